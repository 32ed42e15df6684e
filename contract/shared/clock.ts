// The one clock module: instants as the IOC reads them (ISO-8601 with a zone, or epoch milliseconds; a date
// as written must exist, since Date.parse rolls 2026-02-30 over to 2 March, and the instant must be one
// JavaScript can represent, |ms| ≤ 8.64e15, so formatting it can never throw), and clock arithmetic: the
// start of a clock hour, the Vietnam day (UTC+7 all year, no daylight saving), the buckets the aggregates
// use. Ingest, REST, the server, the simulator and the wall all count time through here.

export const MINUTE_MS = 60_000
export const HOUR_MS = 3_600_000
export const DAY_MS = 86_400_000
/** Vietnam keeps UTC+7 all year (no DST): a fixed offset is exact and needs no time-zone database. */
export const VN_OFFSET_MS = 7 * HOUR_MS
/** A Vietnam midnight long ago: the origin the daily aggregates bucket from. */
export const DAY_ORIGIN_MS = Date.parse('2000-01-03T00:00:00+07:00')

/** Start of the clock hour containing `ms`. */
export function hourStart(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS
}

/** Start (00:00 in Vietnam) of the Vietnam day containing `ms`. */
export function vnDayStart(ms: number): number {
  return Math.floor((ms - DAY_ORIGIN_MS) / DAY_MS) * DAY_MS + DAY_ORIGIN_MS
}

/** The Vietnam calendar date of `ms`, as YYYY-MM-DD. */
export function vnDate(ms: number): string {
  return new Date(ms + VN_OFFSET_MS).toISOString().slice(0, 10)
}

/** Days since 1970-01-01 in Vietnam: the key for anything decided once per Vietnam day. */
export function vnDayNumber(ms: number): number {
  return Math.floor((ms + VN_OFFSET_MS) / DAY_MS)
}

/** Hour of the day in Vietnam as a fraction, 0 ≤ h < 24. */
export function vnHourOfDay(ms: number): number {
  return ((((ms + VN_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS
}

/** Day of the week in Vietnam: 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function vnWeekday(ms: number): number {
  return (((vnDayNumber(ms) + 4) % 7) + 7) % 7
}

/** The aggregate buckets, and how long each is. */
export type Bucket = 'raw' | '5m' | '1h' | '1d'
export const BUCKETS: readonly Bucket[] = ['raw', '5m', '1h', '1d']
export const BUCKET_MS: Record<Exclude<Bucket, 'raw'>, number> = { '5m': 5 * MINUTE_MS, '1h': HOUR_MS, '1d': DAY_MS }

/** Start of the bucket containing `ts`, exactly as the database's aggregates bucket it (days start at midnight in Vietnam). */
export function bucketStart(ts: number, bucket: Exclude<Bucket, 'raw'>): number {
  if (bucket === '1d') return vnDayStart(ts)
  return Math.floor(ts / BUCKET_MS[bucket]) * BUCKET_MS[bucket]
}

/** The largest epoch-millisecond value a Date can hold (±100,000,000 days). */
export const MAX_TIME_MS = 8.64e15

export const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/
export const ISO_WITHOUT_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/

/** True for a finite epoch-millisecond value a Date can represent. */
export function isRepresentableTime(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_TIME_MS
}

/** Why a text is not an instant, or the instant. */
export type IsoReading = { ms: number } | { problem: 'format' | 'calendar' }

/** Reads ISO-8601 with a zone: its epoch milliseconds, or why not. */
export function readIsoInstant(text: string): IsoReading {
  if (!ISO_WITH_ZONE.test(text)) return { problem: 'format' }
  const ms = Date.parse(text)
  if (!isRepresentableTime(ms) || !isCalendarDate(text)) return { problem: 'calendar' }
  return { ms }
}

/** The date as written (its first 10 characters) exists in the calendar. */
export function isCalendarDate(iso: string): boolean {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number) as [number, number, number]
  const date = new Date(0)
  date.setUTCFullYear(y, m - 1, d)
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

/** ISO text for an instant that may be out of range (error messages must never throw). */
export function isoOrRaw(ms: number): string {
  return isRepresentableTime(ms) ? new Date(ms).toISOString() : String(ms)
}
