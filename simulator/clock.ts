// The simulator's rhythms over Vietnam local time (the clock arithmetic itself is contract/shared/clock.ts):
// the season of the year, bumps around an hour of the day, and soft steps at office hours.
import { DAY_MS, VN_OFFSET_MS } from '../contract/shared/clock.ts'

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
