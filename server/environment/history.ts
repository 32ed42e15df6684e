// The environment's look into the past, from the hourly aggregates: a station's hourly AQI per clock hour,
// and its KPIs of the same hour yesterday that the tiles compare against. Pure functions over rows the
// repository reads. The AQI of an hour is the live state's own aqiAt and the KPIs the contract's
// environmentKpis, so history reads exactly as the wall showed it at the time.

import { HOUR_MS as HOUR, bucketStart, environmentKpis, type AqiPoint, type AqiPollutant, type EnvironmentKpis, type StationSummary } from '../../contract/index.ts'
import type { HourlySum } from './repository.ts'
import { aqiAt, type HourSlots } from './state.ts'

/** NowCast of an hour looks at that hour and the 11 before it: a series reads its sums from this much earlier. */
export const AQI_LOOKBACK_MS = 11 * HOUR

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

export interface EnvironmentBaselineInput {
  /** Start of the baseline hour. */
  hour: number
  /** Every station of the live reference (names as the wall shows them now). */
  stations: readonly Pick<StationSummary, 'id' | 'name' | 'unitName'>[]
  /** Stations with any reading in the hour. */
  reporting: ReadonlySet<string>
  /** Hourly sums of the AQI pollutants over the 12 hours ending with the baseline hour. */
  sums: readonly HourlySum[]
}

/**
 * The environment's KPIs of the baseline hour: each station as a summary would have described it during that
 * hour, through environmentKpis. A station that reported in the hour is online, any other offline.
 */
export function environmentBaseline(b: EnvironmentBaselineInput): EnvironmentKpis {
  const slots = hourSlotsByStation(b.sums)
  const stations = b.stations.map((s) => {
    const hours = slots.get(s.id)
    return { ...s, status: b.reporting.has(s.id) ? ('online' as const) : ('offline' as const), aqi: hours ? aqiAt(hours, b.hour) : null }
  })
  return environmentKpis(stations)
}
