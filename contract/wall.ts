// What the wall computes and the REST shapes behind its charts: the KPI tiles (the same function turns live
// state into KPIs on the wall and hourly aggregates into yesterday's baseline on the server), hourly AQI
// series, and camera series per site (a service center or a road watched by several cameras).

import { AQI_BANDS, type AqiBandKey, type AqiPollutant } from './aqi.ts'
import type { KpiKey } from './dashboard.ts'
import type { CameraSummary, StationSummary } from './live.ts'
import type { CameraKind } from './metrics.ts'
import type { SeriesPoint } from './rest.ts'

/** Band index for comparisons: good = 0 … hazardous = 5. */
export function bandRank(key: AqiBandKey): number {
  return AQI_BANDS.findIndex((b) => b.key === key)
}

export interface WorstAqi {
  value: number
  band: AqiBandKey
  stationId: string
  stationName: string
  unitName: string | null
}

export interface WallKpis {
  /** Stations that reported within their expected interval (online). */
  stationsReporting: number
  stationsTotal: number
  worstAqi: WorstAqi | null
  /** Stations whose hourly AQI is in the "Kém" band or worse. */
  stationsPoorOrWorse: number
  /** People inside all service centers now (null when no service-center camera reports). */
  peopleWaiting: number | null
  /** Vehicles per minute summed over the road cameras (null when none reports). */
  vehiclesPerMinute: number | null
}

/** Higher is worse for every KPI but the share of stations reporting. */
export const KPI_SPECS: Record<KpiKey, { worseWhen: 'higher' | 'lower' }> = {
  stations_reporting: { worseWhen: 'lower' },
  worst_aqi: { worseWhen: 'higher' },
  stations_poor_or_worse: { worseWhen: 'higher' },
  people_waiting: { worseWhen: 'higher' },
  vehicles_per_minute: { worseWhen: 'higher' },
}

/** The number a KPI tile shows (stations_reporting as a 0–1 share, for thresholds). */
export function kpiValue(k: WallKpis, key: KpiKey): number | null {
  switch (key) {
    case 'stations_reporting':
      return k.stationsTotal === 0 ? null : k.stationsReporting / k.stationsTotal
    case 'worst_aqi':
      return k.worstAqi?.value ?? null
    case 'stations_poor_or_worse':
      return k.stationsPoorOrWorse
    case 'people_waiting':
      return k.peopleWaiting
    case 'vehicles_per_minute':
      return k.vehiclesPerMinute
  }
}

type StationForKpi = Pick<StationSummary, 'id' | 'name' | 'unitName' | 'status' | 'aqi'>
type CameraForKpi = Pick<CameraSummary, 'kind' | 'inside' | 'vehiclesPerMinute'>

export function computeKpis(stations: Iterable<StationForKpi>, cameras: Iterable<CameraForKpi>): WallKpis {
  const poor = bandRank('poor')
  let reporting = 0
  let total = 0
  let worst: WorstAqi | null = null
  let poorOrWorse = 0
  for (const s of stations) {
    total++
    if (s.status === 'online') reporting++
    if (!s.aqi || s.status === 'offline') continue
    if (bandRank(s.aqi.band) >= poor) poorOrWorse++
    if (!worst || s.aqi.value > worst.value) worst = { value: s.aqi.value, band: s.aqi.band, stationId: s.id, stationName: s.name, unitName: s.unitName }
  }
  let people: number | null = null
  let vehicles: number | null = null
  for (const c of cameras) {
    if (c.kind === 'service_center' && c.inside !== null) people = (people ?? 0) + c.inside
    if (c.kind === 'road' && c.vehiclesPerMinute !== null) vehicles = (vehicles ?? 0) + c.vehiclesPerMinute
  }
  return { stationsReporting: reporting, stationsTotal: total, worstAqi: worst, stationsPoorOrWorse: poorOrWorse, peopleWaiting: people, vehiclesPerMinute: vehicles }
}

/** GET /api/kpis/baseline?at=: the KPIs of the same clock hour one day before `at`, from the hourly aggregates. */
export interface KpiBaselineResponse {
  /** Start of the hour the baseline describes (yesterday). */
  hour: string
  kpis: WallKpis
}

export interface AqiPoint {
  /** Start of the clock hour. */
  t: string
  value: number
  band: AqiBandKey
  dominant: AqiPollutant
}

/** GET /api/stations/:id/aqi?from=&to=: hourly AQI (Decision 1459, NowCast for PM) per clock hour. */
export interface AqiSeriesResponse {
  id: string
  from: string
  to: string
  points: AqiPoint[]
}

/** GET /api/cameras/series?metric=&kind=&bucket=&from=&to=: one series per camera, for the site sparklines. */
export interface CameraSeriesBulkResponse {
  metric: string
  bucket: string
  from: string
  to: string
  cameras: { id: string; points: SeriesPoint[] }[]
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
