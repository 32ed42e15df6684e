// The SQL of ingest's dossier writes, inside the batch's transaction: every statement takes whole arrays
// (unnest), so a batch of 5,000 events is a dozen statements whatever the number of dossiers.
import { DAILY_COLUMNS, type Channel, type Contribution, type DossierEvent, type DossierEventName, type DossierFacts, type JudgeContext } from '../../contract/index.ts'
import { stateAt } from '../../contract/dossiers/rules.ts'
import type { Queryable } from '../../db/database.ts'

interface EventRow {
  dossier_id: string
  event: DossierEventName
  ts: number
  unit_id: string | null
  procedure_code: string | null
  channel: Channel | null
  appointment_at: number | null
  to_unit_id: string | null
  online: boolean | null
  electronic_result: boolean | null
  fee: string | null
  digitized: boolean | null
  reused_data: boolean | null
}

export function eventOfRow(r: EventRow): DossierEvent {
  return {
    dossierId: r.dossier_id,
    event: r.event,
    ts: r.ts,
    unitId: r.unit_id,
    procedureCode: r.procedure_code,
    channel: r.channel,
    appointmentAt: r.appointment_at,
    toUnitId: r.to_unit_id,
    online: r.online,
    electronicResult: r.electronic_result,
    fee: r.fee === null ? null : Number(r.fee),
    digitized: r.digitized,
    reusedData: r.reused_data,
  }
}

const ms = (t: number | null) => (t === null ? null : new Date(t).toISOString())

export function dossierStore(tx: Queryable) {
  return {
    async existingUnits(ids: string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set()
      return new Set((await tx.query<{ id: string }>('SELECT id FROM units WHERE id = ANY($1::text[])', [ids])).rows.map((r) => r.id))
    },

    async procedures(codes: string[]): Promise<Map<string, { legalDays: number }>> {
      if (codes.length === 0) return new Map()
      const r = await tx.query<{ code: string; legal_days: string }>('SELECT code, legal_days FROM procedures WHERE code = ANY($1::text[])', [codes])
      return new Map(r.rows.map((p) => [p.code, { legalDays: Number(p.legal_days) }]))
    },

    /** Transaction-scoped locks on the dossiers, taken in id order so two workers can never deadlock. */
    async lock(ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return
      await tx.query(`SELECT count(pg_advisory_xact_lock(7, hashtext(id))) FROM (SELECT unnest($1::text[]) AS id ORDER BY 1) s`, [ids])
    },

    async events(ids: readonly string[]): Promise<Map<string, DossierEvent[]>> {
      const out = new Map<string, DossierEvent[]>()
      if (ids.length === 0) return out
      // one index probe per dossier: with `dossier_id = ANY(…)` the planner often chose a sequential scan of
      // the whole log (878k rows read for 11.6k in bench:dossiers), which grows with the table
      const r = await tx.query<EventRow>(
        `SELECT e.dossier_id, e.event, e.ts, e.unit_id, e.procedure_code, e.channel, e.appointment_at, e.to_unit_id, e.online, e.electronic_result, e.fee, e.digitized, e.reused_data
         FROM unnest($1::text[]) AS k(id)
         CROSS JOIN LATERAL (SELECT * FROM dossier_events WHERE dossier_id = k.id OFFSET 0) e`,
        [ids],
      )
      for (const row of r.rows) {
        const list = out.get(row.dossier_id)
        if (list) list.push(eventOfRow(row))
        else out.set(row.dossier_id, [eventOfRow(row)])
      }
      return out
    },

    async insertEvents(events: readonly { e: DossierEvent; systemId: string }[]): Promise<number> {
      if (events.length === 0) return 0
      const col = <T>(f: (e: DossierEvent) => T) => events.map(({ e }) => f(e))
      const r = await tx.query<{ n: number }>(
        `WITH inserted AS (
           INSERT INTO dossier_events (dossier_id, event, ts, system_id, unit_id, procedure_code, channel, appointment_at, to_unit_id, online, electronic_result, fee, digitized, reused_data)
           SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::text[], $10::boolean[], $11::boolean[], $12::numeric[], $13::boolean[], $14::boolean[])
           ON CONFLICT DO NOTHING
           RETURNING 1
         )
         SELECT count(*)::int AS n FROM inserted`,
        [
          col((e) => e.dossierId),
          col((e) => e.event),
          col((e) => ms(e.ts)),
          events.map((x) => x.systemId),
          col((e) => e.unitId),
          col((e) => e.procedureCode),
          col((e) => e.channel),
          col((e) => ms(e.appointmentAt)),
          col((e) => e.toUnitId),
          col((e) => e.online),
          col((e) => e.electronicResult),
          col((e) => e.fee),
          col((e) => e.digitized),
          col((e) => e.reusedData),
        ],
      )
      return r.rows[0]!.n
    },

    /** What each dossier counted in the aggregates as last written. */
    async counted(ids: readonly string[]): Promise<Map<string, Contribution[]>> {
      const r = await tx.query<{ id: string; counted: Contribution[] }>('SELECT id, counted FROM dossiers WHERE id = ANY($1::text[])', [ids])
      return new Map(r.rows.map((row) => [row.id, row.counted]))
    },

    async upsertDossiers(rows: readonly { facts: DossierFacts; ctx: JudgeContext; counted: Contribution[] }[]): Promise<number> {
      if (rows.length === 0) return 0
      const judged = rows.map(({ facts, ctx }) => {
        // an ended dossier's judgement is final; an open one's due time is the one in force at its last event
        const at = facts.end?.at ?? Math.max(facts.receivedAt ?? 0, ...facts.supplements.map((s) => s.answeredAt ?? s.requestedAt))
        const s = stateAt(facts, at, ctx)
        return s.status === 'done' ? { judgement: s.judgement, due: s.due, daysLate: s.daysLate } : s.status === 'in_progress' ? { judgement: null, due: s.due, daysLate: 0 } : { judgement: null, due: null, daysLate: 0 }
      })
      // one JSON document rather than twelve arrays: pg encodes a jsonb[] parameter element by element, which
      // cost more than the statement itself (bench:dossiers: 617 ms of encoding for 6k dossiers, 46 ms so)
      const doc = rows.map((x, i) => ({
        id: x.facts.id,
        unit_id: x.facts.unitId,
        procedure_code: x.facts.procedureCode,
        channel: x.facts.channel,
        received_at: ms(x.facts.receivedAt),
        end_at: ms(x.facts.end?.at ?? null),
        end_event: x.facts.end?.event ?? null,
        judgement: judged[i]!.judgement,
        due_at: ms(judged[i]!.due),
        days_late: judged[i]!.daysLate,
        facts: x.facts,
        counted: x.counted,
      }))
      const r = await tx.query(
        `INSERT INTO dossiers (id, unit_id, procedure_code, channel, received_at, end_at, end_event, judgement, due_at, days_late, facts, counted, updated_at)
         SELECT u.*, now() FROM jsonb_to_recordset($1::jsonb) AS u(id text, unit_id text, procedure_code text, channel text, received_at timestamptz, end_at timestamptz,
           end_event text, judgement text, due_at timestamptz, days_late int, facts jsonb, counted jsonb)
         ON CONFLICT (id) DO UPDATE SET
           unit_id = EXCLUDED.unit_id, procedure_code = EXCLUDED.procedure_code, channel = EXCLUDED.channel,
           received_at = EXCLUDED.received_at, end_at = EXCLUDED.end_at, end_event = EXCLUDED.end_event,
           judgement = EXCLUDED.judgement, due_at = EXCLUDED.due_at, days_late = EXCLUDED.days_late,
           facts = EXCLUDED.facts, counted = EXCLUDED.counted, updated_at = now()`,
        [JSON.stringify(doc)],
      )
      return r.rowCount
    },

    /** Adds the net changes to the daily aggregates and their monthly rollups; returns the daily counters changed. */
    async applyDeltas(delta: readonly (Contribution & { delta: number })[]): Promise<number> {
      if (delta.length === 0) return 0
      const tables = {
        daily: new Map<string, { key: string[]; v: number[] }>(),
        unitDaily: new Map<string, { key: string[]; v: number[] }>(),
        monthly: new Map<string, { key: string[]; v: number[] }>(),
        unitMonthly: new Map<string, { key: string[]; v: number[] }>(),
      }
      const add = (table: Map<string, { key: string[]; v: number[] }>, key: string[], i: number, n: number) => {
        const k = key.join('\u0000')
        let row = table.get(k)
        if (!row) table.set(k, (row = { key, v: DAILY_COLUMNS.map(() => 0) }))
        row.v[i]! += n
      }
      for (const d of delta) {
        const i = DAILY_COLUMNS.indexOf(d.column)
        const month = `${d.day.slice(0, 7)}-01`
        add(tables.daily, [d.unitId, d.procedureCode, d.day], i, d.delta)
        add(tables.unitDaily, [d.unitId, d.day], i, d.delta)
        add(tables.monthly, [d.unitId, d.procedureCode, month], i, d.delta)
        add(tables.unitMonthly, [d.unitId, month], i, d.delta)
      }
      const cols = DAILY_COLUMNS.join(', ')
      const sets = DAILY_COLUMNS.map((c) => `${c} = t.${c} + EXCLUDED.${c}`).join(', ')
      const upsert = async (table: string, keys: [string, string][], rows: { key: string[]; v: number[] }[]) => {
        const params = [...keys.map((_, k) => rows.map((r) => r.key[k])), ...DAILY_COLUMNS.map((_, i) => rows.map((r) => r.v[i]))]
        const types = [...keys.map(([, type]) => `${type}[]`), ...DAILY_COLUMNS.map(() => 'int[]')]
        const names = keys.map(([name]) => name)
        await tx.query(
          `INSERT INTO ${table} AS t (${names.join(', ')}, ${cols})
           SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}`).join(', ')})
           ON CONFLICT (${names.join(', ')}) DO UPDATE SET ${sets}`,
          params,
        )
      }
      // one after another: statements of one transaction share its connection
      await upsert('dossier_daily', [['unit_id', 'text'], ['procedure_code', 'text'], ['day', 'date']], [...tables.daily.values()])
      await upsert('dossier_unit_daily', [['unit_id', 'text'], ['day', 'date']], [...tables.unitDaily.values()])
      await upsert('dossier_monthly', [['unit_id', 'text'], ['procedure_code', 'text'], ['month', 'date']], [...tables.monthly.values()])
      await upsert('dossier_unit_monthly', [['unit_id', 'text'], ['month', 'date']], [...tables.unitMonthly.values()])
      return tables.daily.size
    },
  }
}
