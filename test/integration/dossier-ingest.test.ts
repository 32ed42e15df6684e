// Ingest's dossier writes on both backends: events stored idempotently, each dossier derived from its whole
// log whatever the arrival order, the daily aggregates moved by exact deltas (equal to recounting the dossiers
// from scratch), and bad events refused one by one with a reason while the good ones of the same message stay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DAILY_COLUMNS, dossierEventJson, type DossierEvent } from '../../contract/index.ts'
import { prepareDatabase } from '../../db/setup.ts'
import { dossiersIngest } from '../../ingest/dossiers/index.ts'
import type { Entry } from '../../ingest/shared/entries.ts'
import { writeEntries } from '../../ingest/shared/writer.ts'
import { dossierRepository } from '../../server/dossiers/repository.ts'
import { DATABASE_TARGETS, openTestDatabase, type TestDatabase } from '../helpers/databases.ts'
import { testConfig } from '../helpers/stack.ts'

const domain = dossiersIngest()
const limits = { maxPayloadBytes: 65536, maxAgeMs: 7 * 86_400_000, maxFutureMs: 300_000 }
const NOW = Date.parse('2026-03-20T10:00:00+07:00')
const t = (iso: string) => Date.parse(`${iso}+07:00`)

/** Events as one message on {root}/dossier/{system}, through the domain's own parse, as ingest does. */
function message(events: readonly Record<string, unknown>[], system = 'QN-MOTCUA'): Entry {
  const topic = `ioc/v1/dossier/${system}`
  const parsed = domain.parse(system, Buffer.from(JSON.stringify(events)), NOW, limits)
  return { topic, domain: parsed.value ? domain : null, item: parsed.value, dead: null, rows: 1 }
}

function ev(dossierId: string, event: DossierEvent['event'], ts: string, extra: Partial<DossierEvent> = {}) {
  return dossierEventJson({ dossierId, event, ts: t(ts), ...extra })
}

describe.each(DATABASE_TARGETS)('dossier ingest on the %s database', (kind) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await openTestDatabase(kind)
    await prepareDatabase(db.db, testConfig({ SEED_DEMO: '1' }))
    await db.db.query(`INSERT INTO units (id, parent_id, name, level, type) VALUES ('T-SXD', 'QN', 'Sở Xây dựng (test)', 'sở', 'department') ON CONFLICT DO NOTHING`)
    await db.db.query(`INSERT INTO procedures (code, name, field, legal_days, online_level, has_fee) VALUES ('T.1', 'Cấp giấy phép xây dựng (test)', 'Xây dựng', 5, 'full', true) ON CONFLICT DO NOTHING`)
  })
  afterAll(async () => {
    await db?.close()
  })

  const received = (id: string, ts: string, appointment: string, channel = 'online') =>
    ev(id, 'received', ts, { unitId: 'T-SXD', procedureCode: 'T.1', channel: channel as DossierEvent['channel'], appointmentAt: t(appointment) })

  it('derives a dossier from events arriving out of order, and stores a resend once', async () => {
    // processed arrives before the receipt it follows
    await writeEntries(db.db, [message([ev('D-1', 'processed', '2026-03-05T09:00:00', { unitId: 'T-SXD' })])])
    await writeEntries(db.db, [message([received('D-1', '2026-03-02T08:15:00', '2026-03-09T17:00:00'), ev('D-1', 'processed', '2026-03-05T09:00:00', { unitId: 'T-SXD' })])])
    const events = await db.db.query(`SELECT count(*)::int AS n FROM dossier_events WHERE dossier_id = 'D-1'`)
    expect(events.rows[0].n).toBe(2)
    const d = await db.db.query(`SELECT judgement, end_event, to_char(received_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') AS rday FROM dossiers WHERE id = 'D-1'`)
    expect(d.rows[0]).toEqual({ judgement: 'early', end_event: 'processed', rday: '2026-03-02' })
    const daily = await db.db.query(`SELECT received_total, received_online, done_total, done_early FROM dossier_unit_daily WHERE unit_id = 'T-SXD' AND day IN ('2026-03-02', '2026-03-05') ORDER BY day`)
    expect(daily.rows).toEqual([
      { received_total: 1, received_online: 1, done_total: 0, done_early: 0 },
      { received_total: 0, received_online: 0, done_total: 1, done_early: 1 },
    ])
  })

  it('moves a dossier from early to late when a second supplement request arrives later, without counting it twice', async () => {
    await writeEntries(db.db, [
      message([
        received('D-2', '2026-03-02T09:00:00', '2026-03-06T17:00:00'),
        ev('D-2', 'supplement_requested', '2026-03-03T09:00:00'),
        ev('D-2', 'supplement_received', '2026-03-03T10:00:00'),
        ev('D-2', 'processed', '2026-03-05T15:00:00'),
      ]),
    ])
    expect((await db.db.query(`SELECT judgement FROM dossiers WHERE id = 'D-2'`)).rows[0].judgement).toBe('early')
    await writeEntries(db.db, [message([ev('D-2', 'supplement_requested', '2026-03-04T09:00:00'), ev('D-2', 'supplement_received', '2026-03-04T11:00:00')])])
    expect((await db.db.query(`SELECT judgement FROM dossiers WHERE id = 'D-2'`)).rows[0].judgement).toBe('late')
    const day = await db.db.query(`SELECT done_total, done_early, done_late FROM dossier_daily WHERE unit_id = 'T-SXD' AND procedure_code = 'T.1' AND day = '2026-03-05'`)
    expect(day.rows[0]).toEqual({ done_total: 2, done_early: 1, done_late: 1 })
  })

  it('refuses unknown units and procedures and impossible sequences one event at a time, and keeps the good events of the same message', async () => {
    const before = (await db.db.query(`SELECT count(*)::int AS n FROM dead_letters`)).rows[0].n
    const r = await writeEntries(db.db, [
      message([
        received('D-3', '2026-03-10T08:00:00', '2026-03-16T17:00:00', 'counter'),
        ev('D-4', 'received', '2026-03-10T08:00:00', { unitId: 'NO-SUCH-UNIT', procedureCode: 'T.1' }),
        ev('D-5', 'received', '2026-03-10T08:00:00', { unitId: 'T-SXD', procedureCode: '9.999999' }),
        ev('D-1', 'received', '2026-03-03T08:00:00', { unitId: 'T-SXD', procedureCode: 'T.1' }),
        { dossierId: 'D-6', event: 'received', ts: 'yesterday' },
      ]),
    ])
    expect(r.tables.dossier_events?.inserted).toBe(1)
    const letters = await db.db.query(`SELECT topic, code, reason, payload FROM dead_letters ORDER BY id OFFSET $1`, [before])
    expect(letters.rows.map((l) => l.code).sort()).toEqual(['impossible_sequence', 'invalid_timestamp', 'unknown_procedure', 'unknown_unit'])
    for (const l of letters.rows) expect(l.topic).toBe('ioc/v1/dossier/QN-MOTCUA')
    expect(letters.rows.find((l) => l.code === 'unknown_unit').reason).toMatch(/unit 'NO-SUCH-UNIT' is not in the reference data/)
    expect(letters.rows.find((l) => l.code === 'impossible_sequence').reason).toMatch(/D-1 received: dossier D-1 was already received/)
    expect(JSON.parse(letters.rows.find((l) => l.code === 'unknown_procedure').payload)).toMatchObject({ dossierId: 'D-5' })
  })

  it('keeps the aggregates equal to counting every dossier again from scratch', async () => {
    const recount = await db.db.query(
      `SELECT c."unitId" AS unit_id, c."procedureCode" AS procedure_code, c.day::text AS day, c."column" AS column_name, count(*)::int AS n
       FROM dossiers, jsonb_to_recordset(counted) AS c(day date, "column" text, "unitId" text, "procedureCode" text)
       GROUP BY 1, 2, 3, 4`,
    )
    const stored = await db.db.query(`SELECT unit_id, procedure_code, day::text AS day, ${DAILY_COLUMNS.join(', ')} FROM dossier_daily`)
    const expected = new Map<string, number>()
    for (const r of recount.rows) expected.set(`${r.unit_id}|${r.procedure_code}|${r.day}|${r.column_name}`, r.n)
    const actual = new Map<string, number>()
    for (const r of stored.rows) for (const c of DAILY_COLUMNS) if (r[c] !== 0) actual.set(`${r.unit_id}|${r.procedure_code}|${r.day}|${c}`, r[c])
    expect(actual).toEqual(expected)
  })

  it('sums any period from the rollups and the days the same as from the days alone', async () => {
    const repo = dossierRepository(db.db)
    const units = (await db.db.query<{ id: string }>(`SELECT id FROM units`)).rows.map((u) => u.id)
    const sums = DAILY_COLUMNS.map((c) => `sum(${c})::int AS ${c}`).join(', ')
    for (const [from, to] of [
      ['2026-03-01', '2026-03-31'],
      ['2026-02-15', '2026-04-10'],
      ['2026-03-05', '2026-03-05'],
      ['2026-01-01', '2026-12-31'],
    ] as const) {
      const direct = await db.db.query(`SELECT unit_id, ${sums} FROM dossier_unit_daily WHERE day BETWEEN $1::date AND $2::date GROUP BY 1`, [from, to])
      const expected = new Map(direct.rows.map(({ unit_id, ...s }) => [unit_id as string, s]))
      expect(await repo.sumsByUnit(units, from, to), `${from}..${to}`).toEqual(expected)
    }
  })

  it('keeps the monthly rollups equal to the sums of their days', async () => {
    const sums = DAILY_COLUMNS.map((c) => `sum(${c})::int AS ${c}`).join(', ')
    const cols = DAILY_COLUMNS.join(', ')
    const fromDays = await db.db.query(`SELECT unit_id, procedure_code, date_trunc('month', day)::date::text AS month, ${sums} FROM dossier_daily GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`)
    const monthly = await db.db.query(`SELECT unit_id, procedure_code, month::text AS month, ${cols} FROM dossier_monthly ORDER BY 1, 2, 3`)
    expect(fromDays.rows.length).toBeGreaterThan(0)
    expect(monthly.rows).toEqual(fromDays.rows)
    const unitFromDays = await db.db.query(`SELECT unit_id, date_trunc('month', day)::date::text AS month, ${sums} FROM dossier_unit_daily GROUP BY 1, 2 ORDER BY 1, 2`)
    const unitMonthly = await db.db.query(`SELECT unit_id, month::text AS month, ${cols} FROM dossier_unit_monthly ORDER BY 1, 2`)
    expect(unitMonthly.rows).toEqual(unitFromDays.rows)
  })
})
