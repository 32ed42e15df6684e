// The environment's REST routes (GET /api/stations…): their queries, how each is read, and the responses.

import { DEVICE_STATUSES, type DeviceStatus } from '../shared/status.ts'
import { instantParam, optionalOneOf, parseQuery, type SeriesQueryInput, type SeriesResponse } from '../shared/http.ts'
import { DAY_MS, HOUR_MS } from '../shared/clock.ts'
import type { ApiErrorBody } from '../shared/errors.ts'
import { route } from '../shared/routes.ts'
import { sentence, z } from '../shared/schema.ts'
import type { AqiBandKey, AqiPollutant } from './aqi.ts'
import type { StationSummary } from './live.ts'
import { METRICS, STATION_KINDS, isMetric, type Metric, type StationKind } from './metrics.ts'

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

export const stationMetricHint = `a metric such as ${['pm25', 'pm10', 'o3', 'noise', 'ph'].join(', ')}`
export function isStationMetric(m: string): m is Metric {
  return isMetric(m)
}
/** The unit of a station metric, as series responses name it. */
export function stationMetricUnit(m: Metric): string {
  return METRICS[m].unit
}

/** GET /api/stations: `unit` includes the units below it. */
export interface StationsQuery {
  kind?: StationKind
  status?: DeviceStatus
  unit?: string
}

export const stationsQuery = z.object({
  kind: optionalOneOf(STATION_KINDS as unknown as [StationKind, ...StationKind[]]),
  status: optionalOneOf(DEVICE_STATUSES as unknown as [DeviceStatus, ...DeviceStatus[]]),
  unit: z.string().optional(),
})

/** Range of an AQI series without `from`. */
export const AQI_SERIES_DEFAULT_MS = 24 * HOUR_MS
/** A month of hourly points (744) is the longest chart of hourly AQI; longer views want daily AQI. */
export const AQI_SERIES_MAX_MS = 31 * DAY_MS

export interface AqiRangeQuery {
  from?: string | number
  to?: string | number
}

/** `from`/`to` of an AQI series: instants as the other series take them, to ≤ now by default, at most AQI_SERIES_MAX_MS apart. */
export function parseAqiRange(q: Record<string, unknown>, now: number): { from: number; to: number } | ApiErrorBody {
  const schema = z.object({ from: instantParam.optional(), to: instantParam.optional() }).transform((r, ctx) => {
    const to = r.to ?? now
    const from = r.from ?? to - AQI_SERIES_DEFAULT_MS
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', path: ['from'], message: sentence(message), input: r })
      return z.NEVER
    }
    if (from >= to) return fail('must be earlier than to')
    if (to - from > AQI_SERIES_MAX_MS) return fail(`hourly AQI covers at most ${AQI_SERIES_MAX_MS / DAY_MS} days; move from later or to earlier`)
    return { from, to }
  })
  return parseQuery(schema, q)
}

export const ENVIRONMENT_ROUTES = {
  stations: route<StationsQuery, StationSummary[]>()('/api/stations', 'live:read'),
  station: route<Record<string, never>, StationSummary>()('/api/stations/:id', 'live:read'),
  stationSeries: route<SeriesQueryInput, SeriesResponse>()('/api/stations/:id/series', 'live:read'),
  stationAqi: route<AqiRangeQuery, AqiSeriesResponse>()('/api/stations/:id/aqi', 'live:read'),
}
