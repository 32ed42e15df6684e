// Counter-camera KPIs: people inside a service center now, arrivals per hour, vehicles per minute on a road.
// Inputs are the counting periods a camera reported (each attributed to the instant its period ended).

import { VEHICLE_CLASSES, type CameraClass } from './metrics.ts'

export interface CountPeriod {
  /** End of the period, epoch ms. */
  ts: number
  periodSec: number
  counts: Partial<Record<CameraClass, number>>
  inside: number | null
}

export const ARRIVALS_WINDOW_MS = 3_600_000
export const TRAFFIC_WINDOW_MS = 5 * 60_000

function sumOver(periods: readonly CountPeriod[], now: number, windowMs: number, classes: readonly CameraClass[]): { total: number; coveredMs: number } {
  let total = 0
  let coveredMs = 0
  for (const p of periods) {
    if (p.ts <= now - windowMs || p.ts > now) continue
    for (const c of classes) total += p.counts[c] ?? 0
    coveredMs += p.periodSec * 1000
  }
  return { total, coveredMs }
}

/** People counted entering over the last hour (null when the camera reported nothing in it). */
export function arrivalsLastHour(periods: readonly CountPeriod[], now: number): number | null {
  const { total, coveredMs } = sumOver(periods, now, ARRIVALS_WINDOW_MS, ['person'])
  return coveredMs === 0 ? null : total
}

/**
 * Vehicles per minute over the last five minutes, scaled by the time the camera actually covered,
 * so a camera that reports every 2 minutes is not read as half the traffic. The divisor is the full
 * covered time, not capped at the window: a period ending inside the window may have started before
 * it, and its whole count belongs to its whole duration.
 */
export function vehiclesPerMinute(periods: readonly CountPeriod[], now: number, windowMs: number = TRAFFIC_WINDOW_MS): number | null {
  const { total, coveredMs } = sumOver(periods, now, windowMs, VEHICLE_CLASSES)
  if (coveredMs === 0) return null
  return total / (coveredMs / 60_000)
}

/** The latest reported occupancy, if it is recent enough to describe "now". */
export function insideNow(periods: readonly CountPeriod[], now: number, maxAgeMs: number): number | null {
  let latest: CountPeriod | null = null
  for (const p of periods) if (p.inside !== null && p.ts <= now && (!latest || p.ts > latest.ts)) latest = p
  return latest && now - latest.ts <= maxAgeMs ? latest.inside : null
}
