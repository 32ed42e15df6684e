// Counter-camera KPIs: people inside a service center now, arrivals per hour, vehicles per minute on a road.
// Inputs are the counting periods a camera reported (each attributed to the instant its period ended).

import type { KpiSpec } from '../shared/kpis.ts'
import { VEHICLE_CLASSES, type CameraClass, type CameraKind } from './classes.ts'
import type { CameraSummary } from './live.ts'
import type { CameraSeriesBulkResponse } from './http.ts'

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

export interface CameraKpis {
  /** People inside all service centers now (null when no service-center camera reports). */
  peopleWaiting: number | null
  /** Vehicles per minute summed over the road cameras (null when none reports). */
  vehiclesPerMinute: number | null
}

export const CAMERA_KPIS = {
  people_waiting: { worseWhen: 'higher', value: (k) => k.peopleWaiting },
  vehicles_per_minute: { worseWhen: 'higher', value: (k) => k.vehiclesPerMinute },
} as const satisfies Record<string, KpiSpec<CameraKpis>>

export function cameraKpis(cameras: Iterable<Pick<CameraSummary, 'kind' | 'inside' | 'vehiclesPerMinute'>>): CameraKpis {
  let people: number | null = null
  let vehicles: number | null = null
  for (const c of cameras) {
    if (c.kind === 'service_center' && c.inside !== null) people = (people ?? 0) + c.inside
    if (c.kind === 'road' && c.vehiclesPerMinute !== null) vehicles = (vehicles ?? 0) + c.vehiclesPerMinute
  }
  return { peopleWaiting: people, vehiclesPerMinute: vehicles }
}

export interface SiteSeries {
  site: string
  kind: CameraKind
  /** Summed capacity of the site's cameras (service centers), or null. */
  capacity: number | null
  /** Per bucket start (epoch ms), the site's value: people inside summed, or vehicles per minute summed. */
  points: { t: number; value: number }[]
}

/**
 * Sums camera series into one series per site. Vehicle totals per bucket become vehicles per minute so the
 * history and the live value (CameraState.vehiclesPerMinute) share a unit.
 */
export function siteSeries(
  cameras: readonly Pick<CameraSummary, 'id' | 'kind' | 'site' | 'capacity'>[],
  series: CameraSeriesBulkResponse,
  bucketMs: number,
): SiteSeries[] {
  const byId = new Map(cameras.map((c) => [c.id, c]))
  const sites = new Map<string, { kind: CameraKind; capacity: number | null; sums: Map<number, number> }>()
  for (const c of cameras) {
    let s = sites.get(c.site)
    if (!s) sites.set(c.site, (s = { kind: c.kind, capacity: null, sums: new Map() }))
    if (c.capacity !== null) s.capacity = (s.capacity ?? 0) + c.capacity
  }
  const perMinute = series.metric === 'vehicles' ? 60_000 / bucketMs : 1
  for (const cam of series.cameras) {
    const c = byId.get(cam.id)
    if (!c) continue
    const s = sites.get(c.site)!
    for (const p of cam.points) {
      const t = Date.parse(p.t)
      s.sums.set(t, (s.sums.get(t) ?? 0) + p.value * perMinute)
    }
  }
  return [...sites.entries()].map(([site, s]) => ({
    site,
    kind: s.kind,
    capacity: s.capacity,
    points: [...s.sums.entries()].sort((a, b) => a[0] - b[0]).map(([t, value]) => ({ t, value })),
  }))
}

/** The live value of each site now: people inside summed, or vehicles per minute summed. */
export function siteNow(cameras: Iterable<Pick<CameraSummary, 'kind' | 'site' | 'inside' | 'vehiclesPerMinute'>>): Map<string, number> {
  const out = new Map<string, number>()
  for (const c of cameras) {
    const v = c.kind === 'service_center' ? c.inside : c.vehiclesPerMinute
    if (v === null) continue
    out.set(c.site, (out.get(c.site) ?? 0) + v)
  }
  return out
}
