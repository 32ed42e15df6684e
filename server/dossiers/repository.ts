// The dossiers' SQL on the server side: sums of the daily aggregates (never the event log) per unit, month
// and procedure; the dossiers open at an instant (the GiST index on their received–ended range); the lists
// behind a number; one dossier's events; the procedures catalogue and the calendar.
import { DAILY_COLUMNS, emptySums, periodParts, type CalendarDay, type Channel, type DailySums, type DossierEventName, type DossierFacts, type Judgement, type OnlineLevel, type Procedure } from '../../contract/index.ts'
import type { Database, Queryable } from '../../db/database.ts'
import { calendarStamp } from '../../db/dossier-reference.ts'
import { writeAudit, type Actor } from '../shared/audit.ts'

const SUMS = DAILY_COLUMNS.map((c) => `sum(${c})::int AS ${c}`).join(', ')
const COLUMNS = DAILY_COLUMNS.join(', ')

/**
 * The rows of a period from the aggregates: its whole months from the monthly rollup, its partial months' days
 * from the daily table. `keys` are the grouping columns both share; `month` is each row's month (YYYY-MM-01).
 * Parameters $1 (units) and $2..$7 (two day ranges, one month range; NULL where absent) are `partsParams`'.
 */
function periodRows(daily: string, monthly: string, keys: string, where = 'true'): string {
  return `SELECT ${keys}, date_trunc('month', day)::date AS month, ${COLUMNS} FROM ${daily}
      WHERE unit_id = ANY($1::text[]) AND (day BETWEEN $2::date AND $3::date OR day BETWEEN $4::date AND $5::date) AND ${where}
    UNION ALL
    SELECT ${keys}, month, ${COLUMNS} FROM ${monthly}
      WHERE unit_id = ANY($1::text[]) AND month BETWEEN $6::date AND $7::date AND ${where}`
}

function partsParams(units: readonly string[], from: string, to: string): unknown[] {
  const p = periodParts(from, to)
  const [a, b] = p.days
  return [units, a?.[0] ?? null, a?.[1] ?? null, b?.[0] ?? null, b?.[1] ?? null, p.months?.[0] ?? null, p.months?.[1] ?? null]
}

function sumsOf(row: Record<string, unknown>): DailySums {
  const s = emptySums()
  for (const c of DAILY_COLUMNS) s[c] = Number(row[c] ?? 0)
  return s
}

export interface OpenDossier {
  id: string
  unitId: string
  procedureCode: string | null
  facts: DossierFacts
  legalDays: number | null
}

export interface ProcedureUsage {
  unitId: string
  code: string
  received: number
  online: number
}

export interface DossierRow {
  id: string
  unitId: string | null
  procedureCode: string | null
  channel: Channel | null
  receivedAt: number | null
  endAt: number | null
  judgement: Judgement | null
  dueAt: number | null
  daysLate: number
  facts: DossierFacts
  legalDays: number | null
}

interface RawDossier {
  id: string
  unit_id: string | null
  procedure_code: string | null
  channel: Channel | null
  received_at: number | null
  end_at: number | null
  judgement: Judgement | null
  due_at: number | null
  days_late: number
  facts: DossierFacts
  legal_days: string | null
}

const DOSSIER_COLUMNS = `d.id, d.unit_id, d.procedure_code, d.channel, d.received_at, d.end_at, d.judgement, d.due_at, d.days_late, d.facts, p.legal_days`

function dossierOf(r: RawDossier): DossierRow {
  return {
    id: r.id,
    unitId: r.unit_id,
    procedureCode: r.procedure_code,
    channel: r.channel,
    receivedAt: r.received_at,
    endAt: r.end_at,
    judgement: r.judgement,
    dueAt: r.due_at,
    daysLate: r.days_late,
    facts: r.facts,
    legalDays: r.legal_days === null ? null : Number(r.legal_days),
  }
}

const iso = (ms: number) => new Date(ms).toISOString()

export type DoneFilter = 'done' | 'early' | 'on_time' | 'late'

export function dossierRepository(db: Database) {
  return {
    /** The first day any dossier counts for (YYYY-MM-DD), or null: the leading column of the key answers it. */
    async firstDay(): Promise<string | null> {
      return (await db.query<{ d: string | null }>(`SELECT to_char(min(day), 'YYYY-MM-DD') AS d FROM dossier_daily`)).rows[0]!.d
    },

    /** Daily sums over [from, to] (Vietnam dates) of each unit in `units` that had any. */
    async sumsByUnit(units: readonly string[], from: string, to: string): Promise<Map<string, DailySums>> {
      const r = await db.query(`SELECT unit_id, ${SUMS} FROM (${periodRows('dossier_unit_daily', 'dossier_unit_monthly', 'unit_id')}) s GROUP BY unit_id`, partsParams(units, from, to))
      return new Map(r.rows.map((row) => [row.unit_id as string, sumsOf(row)]))
    },

    async sumsByMonth(units: readonly string[], from: string, to: string): Promise<Map<string, DailySums>> {
      const r = await db.query(
        `SELECT to_char(month, 'YYYY-MM') AS month, ${SUMS} FROM (${periodRows('dossier_unit_daily', 'dossier_unit_monthly', 'unit_id')}) s GROUP BY 1`,
        partsParams(units, from, to),
      )
      return new Map(r.rows.map((row) => [row.month as string, sumsOf(row)]))
    },

    /** Sums per unit × procedure (rankings need each unit's procedures for 766 indicators 3.1–3.2). */
    async sumsByUnitProcedure(units: readonly string[], from: string, to: string): Promise<{ unitId: string; code: string; sums: DailySums }[]> {
      const r = await db.query(
        `SELECT unit_id, procedure_code, ${SUMS} FROM (${periodRows('dossier_daily', 'dossier_monthly', 'unit_id, procedure_code')}) s GROUP BY 1, 2`,
        partsParams(units, from, to),
      )
      return r.rows.map((row) => ({ unitId: row.unit_id as string, code: row.procedure_code as string, sums: sumsOf(row) }))
    },

    /** Receipts per unit × procedure (766 indicators 3.1–3.2 need only these two counters of each). */
    async procedureUsage(units: readonly string[], from: string, to: string): Promise<ProcedureUsage[]> {
      const r = await db.query<{ unit_id: string; procedure_code: string; received: number; online: number }>(
        `SELECT unit_id, procedure_code, sum(received_total)::int AS received, sum(received_online)::int AS online
         FROM (${periodRows('dossier_daily', 'dossier_monthly', 'unit_id, procedure_code', 'received_total > 0')}) s GROUP BY 1, 2`,
        partsParams(units, from, to),
      )
      return r.rows.map((row) => ({ unitId: row.unit_id, code: row.procedure_code, received: row.received, online: row.online }))
    },

    /** Dossiers received at or before T and not ended by T (of every unit: the service shares one read among its callers). */
    async openAt(T: number): Promise<OpenDossier[]> {
      const r = await db.query<{ id: string; unit_id: string; procedure_code: string | null; facts: DossierFacts; legal_days: string | null }>(
        `SELECT d.id, d.unit_id, d.procedure_code, d.facts, p.legal_days
         FROM dossiers d LEFT JOIN procedures p ON p.code = d.procedure_code
         WHERE d.received_at IS NOT NULL AND tstzrange(d.received_at, d.end_at, '[)') @> $1::timestamptz AND d.unit_id IS NOT NULL`,
        [iso(T)],
      )
      return r.rows.map((row) => ({ id: row.id, unitId: row.unit_id, procedureCode: row.procedure_code, facts: row.facts, legalDays: row.legal_days === null ? null : Number(row.legal_days) }))
    },

    async openRows(ids: readonly string[]): Promise<DossierRow[]> {
      if (ids.length === 0) return []
      const r = await db.query<RawDossier>(`SELECT ${DOSSIER_COLUMNS} FROM dossiers d LEFT JOIN procedures p ON p.code = d.procedure_code WHERE d.id = ANY($1::text[])`, [ids])
      return r.rows.map(dossierOf)
    },

    /** Dossiers that ended in [start, end) (or were received in it), newest first, most late first for 'late'. */
    async ended(units: readonly string[], start: number, end: number, filter: DoneFilter, procedure: string | null, limit: number, offset: number): Promise<{ total: number; rows: DossierRow[] }> {
      const judgement = filter === 'done' ? null : filter
      const where = `d.end_at >= $2::timestamptz AND d.end_at < $3::timestamptz AND d.unit_id = ANY($1::text[]) AND d.received_at IS NOT NULL
        AND ($4::text IS NULL OR d.judgement = $4) AND ($5::text IS NULL OR d.procedure_code = $5)`
      const params = [units, iso(start), iso(end), judgement, procedure]
      const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM dossiers d WHERE ${where}`, params)).rows[0]!.n
      const r = await db.query<RawDossier>(
        `SELECT ${DOSSIER_COLUMNS} FROM dossiers d LEFT JOIN procedures p ON p.code = d.procedure_code WHERE ${where}
         ORDER BY d.days_late DESC, d.end_at DESC, d.id LIMIT $6 OFFSET $7`,
        [...params, limit, offset],
      )
      return { total, rows: r.rows.map(dossierOf) }
    },

    /** Dossiers received in [start, end), of one channel or all, newest first. */
    async received(units: readonly string[], start: number, end: number, channel: Channel | null, procedure: string | null, limit: number, offset: number): Promise<{ total: number; rows: DossierRow[] }> {
      const where = `d.received_at >= $2::timestamptz AND d.received_at < $3::timestamptz AND d.unit_id = ANY($1::text[])
        AND ($4::text IS NULL OR d.channel = $4) AND ($5::text IS NULL OR d.procedure_code = $5)`
      const params = [units, iso(start), iso(end), channel, procedure]
      const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM dossiers d WHERE ${where}`, params)).rows[0]!.n
      const r = await db.query<RawDossier>(
        `SELECT ${DOSSIER_COLUMNS} FROM dossiers d LEFT JOIN procedures p ON p.code = d.procedure_code WHERE ${where} ORDER BY d.received_at DESC, d.id LIMIT $6 OFFSET $7`,
        [...params, limit, offset],
      )
      return { total, rows: r.rows.map(dossierOf) }
    },

    async dossier(id: string): Promise<DossierRow | null> {
      const r = await db.query<RawDossier>(`SELECT ${DOSSIER_COLUMNS} FROM dossiers d LEFT JOIN procedures p ON p.code = d.procedure_code WHERE d.id = $1`, [id])
      return r.rows[0] ? dossierOf(r.rows[0]) : null
    },

    async events(id: string) {
      const r = await db.query<{
        event: DossierEventName
        ts: number
        system_id: string
        unit_id: string | null
        to_unit_id: string | null
        channel: Channel | null
        appointment_at: number | null
        online: boolean | null
        electronic_result: boolean | null
      }>(`SELECT event, ts, system_id, unit_id, to_unit_id, channel, appointment_at, online, electronic_result FROM dossier_events WHERE dossier_id = $1 ORDER BY ts, stored_at`, [id])
      return r.rows
    },

    async procedures(): Promise<Procedure[]> {
      const r = await db.query<{ code: string; name: string; field: string; legal_days: string; online_level: OnlineLevel; has_fee: boolean }>(
        `SELECT code, name, field, legal_days, online_level, has_fee FROM procedures ORDER BY field, code`,
      )
      return r.rows.map((p) => ({ code: p.code, name: p.name, field: p.field, legalDays: Number(p.legal_days), onlineLevel: p.online_level, hasFee: p.has_fee }))
    },

    async procedureStamp(): Promise<string> {
      return (await db.query<{ s: string }>(`SELECT count(*) || '/' || coalesce(max(updated_at)::text, '') AS s FROM procedures`)).rows[0]!.s
    },

    calendarStamp(): Promise<string> {
      return calendarStamp(db)
    },

    async calendarDays(): Promise<(CalendarDay & { source: 'holiday' | 'override' })[]> {
      const r = await db.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, working, note, source FROM calendar_days ORDER BY day`)
      return r.rows as (CalendarDay & { source: 'holiday' | 'override' })[]
    },

    /** Sets or clears an override (clearing restores the seeded holiday of the day, if any), audited in the same transaction. */
    async setOverride(actor: Actor, day: string, value: { working: boolean; note: string } | null, seeded: CalendarDay | null): Promise<void> {
      await db.transaction(async (tx: Queryable) => {
        const before = (await tx.query(`SELECT working, note, source FROM calendar_days WHERE day = $1::date`, [day])).rows[0] ?? null
        if (value) {
          await tx.query(
            `INSERT INTO calendar_days (day, working, note, source) VALUES ($1::date, $2, $3, 'override')
             ON CONFLICT (day) DO UPDATE SET working = EXCLUDED.working, note = EXCLUDED.note, source = 'override', updated_at = now()`,
            [day, value.working, value.note],
          )
        } else {
          await tx.query(`DELETE FROM calendar_days WHERE day = $1::date AND source = 'override'`, [day])
          if (seeded) await tx.query(`INSERT INTO calendar_days (day, working, note, source) VALUES ($1::date, $2, $3, 'holiday') ON CONFLICT (day) DO NOTHING`, [day, seeded.working, seeded.note])
        }
        await writeAudit(tx, actor, { action: value ? 'calendar.set' : 'calendar.reset', targetType: 'calendar_day', targetId: day, before, after: value ? { ...value, source: 'override' } : null })
      })
    },
  }
}

export type DossierRepository = ReturnType<typeof dossierRepository>
