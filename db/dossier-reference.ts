// The dossier domain's reference data in and out of PostgreSQL: the procedures catalogue and the working-day
// calendar (seeded public holidays and the yearly announcement's overrides). Writes are one batched
// statement per call; reads map rows to the contract types (dates as YYYY-MM-DD text, never JS Dates).

import { DEFAULT_WORKING_HOURS, WorkingCalendar, type CalendarDay, type OnlineLevel, type Procedure, type WorkingHours } from '../contract/index.ts'
import { SEEDED_YEARS, vietnamHolidays } from '../contract/shared/holidays.ts'
import { StampedCache } from '../core/stamped-cache.ts'
import type { Queryable } from './database.ts'

/** Inserts or updates procedures by code; returns how many rows changed (identical rows are left alone). */
export async function upsertProcedures(db: Queryable, procedures: readonly Procedure[]): Promise<number> {
  const rows = [...new Map(procedures.map((p) => [p.code, p])).values()] // a later row of a code wins
  if (rows.length === 0) return 0
  const res = await db.query(
    `INSERT INTO procedures (code, name, field, legal_days, online_level, has_fee)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::text[], $6::boolean[])
     ON CONFLICT (code) DO UPDATE SET
       name = EXCLUDED.name, field = EXCLUDED.field, legal_days = EXCLUDED.legal_days,
       online_level = EXCLUDED.online_level, has_fee = EXCLUDED.has_fee, updated_at = now()
     WHERE (procedures.name, procedures.field, procedures.legal_days, procedures.online_level, procedures.has_fee)
       IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.field, EXCLUDED.legal_days, EXCLUDED.online_level, EXCLUDED.has_fee)`,
    [
      rows.map((p) => p.code),
      rows.map((p) => p.name),
      rows.map((p) => p.field),
      rows.map((p) => p.legalDays),
      rows.map((p) => p.onlineLevel),
      rows.map((p) => p.hasFee),
    ],
  )
  return res.rowCount ?? 0
}

interface ProcedureRow {
  code: string
  name: string
  field: string
  legal_days: number
  online_level: OnlineLevel
  has_fee: boolean
}

/** The catalogue, ordered by code. */
export async function loadProcedures(db: Queryable): Promise<Procedure[]> {
  const r = await db.query<ProcedureRow>('SELECT code, name, field, legal_days::float8 AS legal_days, online_level, has_fee FROM procedures ORDER BY code')
  return r.rows.map((x) => ({ code: x.code, name: x.name, field: x.field, legalDays: x.legal_days, onlineLevel: x.online_level, hasFee: x.has_fee }))
}

/**
 * Seeds the public holidays of SEEDED_YEARS (contract/shared/holidays.ts) as source 'holiday'. Idempotent:
 * a day already in the table (a holiday seeded before, or an override) is left as it is, so it runs at every
 * start. Returns the days added.
 */
export async function seedHolidays(db: Queryable, hours: WorkingHours = DEFAULT_WORKING_HOURS, years: readonly number[] = SEEDED_YEARS): Promise<number> {
  const days = vietnamHolidays(years, hours)
  if (days.length === 0) return 0
  const res = await db.query(
    `INSERT INTO calendar_days (day, working, note, source)
     SELECT d.day, d.working, d.note, 'holiday' FROM unnest($1::date[], $2::boolean[], $3::text[]) AS d (day, working, note)
     ON CONFLICT (day) DO NOTHING`,
    [days.map((d) => d.day), days.map((d) => d.working), days.map((d) => d.note)],
  )
  return res.rowCount ?? 0
}

/** The yearly announcement's days: each replaces whatever its day held (a seeded holiday or an earlier override). Returns the rows changed. */
export async function upsertCalendarOverrides(db: Queryable, days: readonly CalendarDay[]): Promise<number> {
  const rows = [...new Map(days.map((d) => [d.day, d])).values()]
  if (rows.length === 0) return 0
  const res = await db.query(
    `INSERT INTO calendar_days (day, working, note, source)
     SELECT d.day, d.working, d.note, 'override' FROM unnest($1::date[], $2::boolean[], $3::text[]) AS d (day, working, note)
     ON CONFLICT (day) DO UPDATE SET working = EXCLUDED.working, note = EXCLUDED.note, source = 'override', updated_at = now()
     WHERE (calendar_days.working, calendar_days.note, calendar_days.source) IS DISTINCT FROM (EXCLUDED.working, EXCLUDED.note, 'override')`,
    [rows.map((d) => d.day), rows.map((d) => d.working), rows.map((d) => d.note)],
  )
  return res.rowCount ?? 0
}

/** Changes whenever a day of calendar_days is added, changed or removed. */
export async function calendarStamp(db: Queryable): Promise<string> {
  return (await db.query<{ s: string }>(`SELECT count(*) || '/' || coalesce(max(updated_at)::text, '') AS s FROM calendar_days`)).rows[0]!.s
}

/**
 * The working-day calendar as the database holds it, rebuilt only when calendar_days changed; its stamp asked
 * at most once per `checkEveryMs` (0: at every call, as ingest does inside each batch's transaction).
 */
export function workingCalendarCache(hours: WorkingHours, checkEveryMs = 0): StampedCache<WorkingCalendar, Queryable> {
  return new StampedCache({ stamp: calendarStamp, load: async (db) => new WorkingCalendar(hours, [], await loadCalendarDays(db)), checkEveryMs })
}

/** Every day whose status differs from the weekday rule (holidays with overrides applied), ordered by day: what WorkingCalendar takes. */
export async function loadCalendarDays(db: Queryable): Promise<CalendarDay[]> {
  const r = await db.query<CalendarDay>(`SELECT to_char(day, 'YYYY-MM-DD') AS day, working, note FROM calendar_days ORDER BY day`)
  return r.rows.map((x) => ({ day: x.day, working: x.working, note: x.note }))
}
