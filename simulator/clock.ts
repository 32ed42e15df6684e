// Vietnam local time for the simulator's daily and weekly rhythms. Vietnam keeps UTC+7 all year (no DST),
// so a fixed offset is exact and avoids depending on the host's time-zone database.

export const HOUR_MS = 3_600_000
export const DAY_MS = 86_400_000
export const VN_OFFSET_MS = 7 * HOUR_MS

/** Local hour of day as a fraction, 0 ≤ h < 24. */
export function localHour(t: number): number {
  const ms = (((t + VN_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS
  return ms / HOUR_MS
}

/** Days since 1970-01-01 in local time; the key for anything decided once per local day. */
export function localDay(t: number): number {
  return Math.floor((t + VN_OFFSET_MS) / DAY_MS)
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function localWeekday(t: number): number {
  return (((localDay(t) + 4) % 7) + 7) % 7
}

/** Local calendar date, YYYY-MM-DD, as holiday calendars list it. */
export function localDate(t: number): string {
  return new Date(localDay(t) * DAY_MS).toISOString().slice(0, 10)
}

/** Phase of the year, 0 at 1 January, for the dry-winter / wet-summer cycle. */
export function yearPhase(t: number): number {
  const d = new Date(t + VN_OFFSET_MS)
  const start = Date.UTC(d.getUTCFullYear(), 0, 1)
  return (t + VN_OFFSET_MS - start) / (365.25 * DAY_MS)
}

/** A Gaussian bump on the 24-hour circle, 1 at `centre`, so a peak at 23h also lifts 1h. */
export function hourBump(hour: number, centre: number, width: number): number {
  let d = Math.abs(hour - centre) % 24
  if (d > 12) d = 24 - d
  return Math.exp(-(d * d) / (2 * width * width))
}

/** A smooth 0→1 step around `edge` (logistic, `softness` hours wide). */
export function smoothStep(hour: number, edge: number, softness: number): number {
  return 1 / (1 + Math.exp(-(hour - edge) / softness))
}
