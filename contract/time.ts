// Instants as the IOC reads them, in one place for ingest and REST: ISO-8601 with a zone, or epoch
// milliseconds. A date as written must exist (Date.parse rolls 2026-02-30 over to 2 March) and the instant
// must be one JavaScript can represent (|ms| ≤ 8.64e15), so formatting it can never throw.

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
