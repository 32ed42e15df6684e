// The wall's look into the past, from the hourly aggregates: a station's hourly AQI per clock hour, and the
// KPIs of the same hour yesterday that the KPI tiles compare against. Pure functions over rows the routes
// fetch (server/repository.ts). The AQI of an hour is the live state's own aqiAt and the KPIs the contract's
// computeKpis, so history reads exactly as the wall showed it at the time.

import {
  bucketStart,
  computeKpis,
  parseInstant,
  type ApiErrorBody,
  type AqiPoint,
  type AqiPollutant,
  type CameraSummary,
  type StationSummary,
  type WallKpis,
} from '../contract/index.ts'
import { aqiAt, type HourlySum, type HourSlots } from './state/stations.ts'

const HOUR = 3_600_000
/** NowCast of an hour looks at that hour and the 11 before it: a series reads its sums from this much earlier. */
export const AQI_LOOKBACK_MS = 11 * HOUR
/** Range of /stations/:id/aqi without `from`. */
export const AQI_SERIES_DEFAULT_MS = 24 * HOUR
/** A month of hourly points (744) is the longest chart of hourly AQI; longer views want daily AQI. */
export const AQI_SERIES_MAX_MS = 31 * 86_400_000
/** The baseline is the same clock hour one day earlier. */
export const BASELINE_OFFSET_MS = 24 * HOUR

/** Per station, per AQI pollutant: hour start → sum and count (the shape aqiAt reads). */
export type StationHourSlots = Map<AqiPollutant, Map<number, { sum: number; count: number }>>

export function hourSlotsByStation(sums: readonly HourlySum[]): Map<string, StationHourSlots> {
  const out = new Map<string, StationHourSlots>()
  for (const s of sums) {
    let station = out.get(s.stationId)
    if (!station) out.set(s.stationId, (station = new Map()))
    let byHour = station.get(s.metric)
    if (!byHour) station.set(s.metric, (byHour = new Map()))
    byHour.set(s.hour, { sum: s.sum, count: s.count })
  }
  return out
}

/** `from`/`to` of an AQI series: instants as the other series take them, to ≤ now by default, at most AQI_SERIES_MAX_MS apart. */
export function parseAqiRange(q: Record<string, unknown>, now: number): { from: number; to: number } | ApiErrorBody {
  const to = q.to === undefined ? now : parseInstant(q.to, 'to')
  if (typeof to !== 'number') return to
  const from = q.from === undefined ? to - AQI_SERIES_DEFAULT_MS : parseInstant(q.from, 'from')
  if (typeof from !== 'number') return from
  if (from >= to) return { code: 'bad_request', field: 'from', message: 'from: must be earlier than to' }
  if (to - from > AQI_SERIES_MAX_MS) {
    return { code: 'bad_request', field: 'from', message: `from: hourly AQI covers at most ${AQI_SERIES_MAX_MS / 86_400_000} days; move from later or to earlier` }
  }
  return { from, to }
}

/**
 * One point per clock hour from the hour containing `from` (as the other series start at the bucket
 * containing it) up to `to`. An hour in which the station measured no AQI pollutant gives no point, although
 * NowCast could carry the previous hours over it: a chart should show the gap.
 */
export function aqiSeries(hours: ReadonlyMap<AqiPollutant, HourSlots>, from: number, to: number): AqiPoint[] {
  const points: AqiPoint[] = []
  for (let h = bucketStart(from, '1h'); h < to; h += HOUR) {
    if (![...hours.values()].some((byHour) => (byHour.get(h)?.count ?? 0) > 0)) continue
    const aqi = aqiAt(hours, h)
    if (aqi) points.push({ t: new Date(h).toISOString(), value: aqi.value, band: aqi.band, dominant: aqi.dominant })
  }
  return points
}

/** Start of the clock hour the baseline for `at` describes: the hour containing `at`, one day earlier. */
export function baselineHour(at: number): number {
  return bucketStart(at, '1h') - BASELINE_OFFSET_MS
}

/** One camera's hourly aggregate (camera_1h) for the baseline hour. */
export interface CameraHour {
  cameraId: string
  /** Mean occupancy over the hour's reports (null when the camera reported none). */
  insideAvg: number | null
  /** Vehicles counted in the hour, all classes together. */
  vehicles: number
}

export interface BaselineInput {
  /** Start of the baseline hour. */
  hour: number
  /** Every station of the live reference (names as the wall shows them now). */
  stations: readonly Pick<StationSummary, 'id' | 'name' | 'unitName'>[]
  cameras: readonly Pick<CameraSummary, 'id' | 'kind'>[]
  /** Stations with any reading in the hour. */
  reporting: ReadonlySet<string>
  /** Hourly sums of the AQI pollutants over the 12 hours ending with the baseline hour. */
  sums: readonly HourlySum[]
  cameraHours: readonly CameraHour[]
}

/**
 * The KPIs of the baseline hour: each station and camera as a summary would have described it during that
 * hour, through computeKpis. A station that reported in the hour is online, any other offline; occupancy is
 * the hour's mean, and traffic the hour's vehicles per minute.
 */
export function baselineKpis(b: BaselineInput): WallKpis {
  const slots = hourSlotsByStation(b.sums)
  const stations = b.stations.map((s) => {
    const hours = slots.get(s.id)
    return { ...s, status: b.reporting.has(s.id) ? ('online' as const) : ('offline' as const), aqi: hours ? aqiAt(hours, b.hour) : null }
  })
  const byCamera = new Map(b.cameraHours.map((c) => [c.cameraId, c]))
  const cameras = b.cameras.map((c) => {
    const row = byCamera.get(c.id)
    return { kind: c.kind, inside: row?.insideAvg ?? null, vehiclesPerMinute: row ? row.vehicles / 60 : null }
  })
  return computeKpis(stations, cameras)
}
