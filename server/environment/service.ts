// The environment's decisions on the server: which stations a list shows, whether a station exists, what a
// series or an AQI history holds, what the stations' KPIs were yesterday. I/O only through the repository,
// so it is tested with a fake one (test/unit/environment-service.test.ts).
import {
  HOUR_MS,
  hourStart,
  stationMetricUnit,
  type AqiSeriesResponse,
  type EnvironmentKpis,
  type Metric,
  type SeriesQuery,
  type SeriesResponse,
  type StationSummary,
  type StationsQuery,
  type Unit,
} from '../../contract/index.ts'
import { notFound } from '../shared/http.ts'
import { unitFilter } from '../shared/units.ts'
import { AQI_LOOKBACK_MS, aqiSeries, environmentBaseline, hourSlotsByStation } from './history.ts'
import type { EnvironmentRepository } from './repository.ts'
import type { StationStates } from './state.ts'

export class StationService {
  constructor(
    private readonly repo: EnvironmentRepository,
    private readonly stations: StationStates,
    private readonly units: () => readonly Unit[],
  ) {}

  list(q: StationsQuery): StationSummary[] {
    const unit = unitFilter(this.units(), q.unit)
    return this.stations
      .summaries()
      .filter((s) => (!q.kind || s.kind === q.kind) && (!q.status || s.status === q.status) && (!unit || (s.unitId !== null && unit.has(s.unitId))))
  }

  get(id: string): StationSummary {
    const s = this.stations.summary(id)
    if (!s) throw notFound('id', `station '${id}' does not exist`)
    return s
  }

  async series(id: string, q: SeriesQuery<Metric>): Promise<SeriesResponse> {
    this.get(id)
    const points = await this.repo.series(id, q.metric, q.from, q.to, q.bucket)
    return { id, metric: q.metric, unit: stationMetricUnit(q.metric), bucket: q.bucket, from: iso(q.from), to: iso(q.to), points }
  }

  async aqi(id: string, range: { from: number; to: number }): Promise<AqiSeriesResponse> {
    this.get(id)
    // the first point is the hour containing `from`: its NowCast reads the 11 hours before that hour's start
    const sums = await this.repo.hourlySums({ from: hourStart(range.from) - AQI_LOOKBACK_MS, to: range.to, stationId: id })
    return { id, from: iso(range.from), to: iso(range.to), points: aqiSeries(hourSlotsByStation(sums).get(id) ?? new Map(), range.from, range.to) }
  }

  /** The stations' KPIs of the clock hour containing `at`. */
  async baseline(at: number): Promise<EnvironmentKpis> {
    const hour = hourStart(at)
    const [reporting, sums] = [await this.repo.reportingIn(hour), await this.repo.hourlySums({ from: hour - AQI_LOOKBACK_MS, to: hour + HOUR_MS })]
    return environmentBaseline({ hour, stations: this.stations.summaries(), reporting, sums })
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}
