// The environment's KPI tiles: stations reporting, the worst VN_AQI now and where, stations at "Kém" or worse.
// The same function turns live state into the tiles on the wall and yesterday's hourly aggregates into the
// baseline on the server, so the two always mean the same thing.

import type { KpiSpec } from '../shared/kpis.ts'
import { bandRank, type AqiBandKey } from './aqi.ts'
import type { StationSummary } from './live.ts'

export interface WorstAqi {
  value: number
  band: AqiBandKey
  stationId: string
  stationName: string
  unitName: string | null
}

export interface EnvironmentKpis {
  /** Stations that reported within their expected interval (online). */
  stationsReporting: number
  stationsTotal: number
  worstAqi: WorstAqi | null
  /** Stations whose hourly AQI is in the "Kém" band or worse. */
  stationsPoorOrWorse: number
}

/** Higher is worse for every KPI but the share of stations reporting. */
export const ENVIRONMENT_KPIS = {
  stations_reporting: { worseWhen: 'lower', value: (k) => (k.stationsTotal === 0 ? null : k.stationsReporting / k.stationsTotal) },
  worst_aqi: { worseWhen: 'higher', value: (k) => k.worstAqi?.value ?? null },
  stations_poor_or_worse: { worseWhen: 'higher', value: (k) => k.stationsPoorOrWorse },
} as const satisfies Record<string, KpiSpec<EnvironmentKpis>>

type StationForKpi = Pick<StationSummary, 'id' | 'name' | 'unitName' | 'status' | 'aqi'>

export function environmentKpis(stations: Iterable<StationForKpi>): EnvironmentKpis {
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
  return { stationsReporting: reporting, stationsTotal: total, worstAqi: worst, stationsPoorOrWorse: poorOrWorse }
}
