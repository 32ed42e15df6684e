// The counter cameras' decisions on the server: which cameras a list shows, whether a camera exists, what a
// series holds (of one camera, or of every camera of a kind for the site sparklines), what the cameras' KPIs
// were yesterday. I/O only through the repository, so it is tested with a fake one.
import {
  hourStart,
  cameraMetricUnit,
  type CameraKind,
  type CameraKpis,
  type CameraSeriesBulkResponse,
  type CameraSeriesMetric,
  type CamerasQuery,
  type CameraSummary,
  type SeriesQuery,
  type SeriesResponse,
  type Unit,
} from '../../contract/index.ts'
import { HttpProblem, notFound } from '../shared/http.ts'
import { unitFilter } from '../shared/units.ts'
import { cameraBaseline } from './history.ts'
import type { CameraRepository } from './repository.ts'
import type { CameraStates } from './state.ts'

export class CameraService {
  constructor(
    private readonly repo: CameraRepository,
    private readonly cameras: CameraStates,
    private readonly units: () => readonly Unit[],
  ) {}

  list(q: CamerasQuery): CameraSummary[] {
    const unit = unitFilter(this.units(), q.unit)
    return this.cameras
      .summaries()
      .filter(
        (c) =>
          (!q.kind || c.kind === q.kind) &&
          (!q.status || c.status === q.status) &&
          (!unit || (c.unitId !== null && unit.has(c.unitId))) &&
          (q.site === undefined || c.site === q.site),
      )
  }

  get(id: string): CameraSummary {
    const c = this.cameras.summary(id)
    if (!c) throw notFound('id', `camera '${id}' does not exist`)
    return c
  }

  async series(id: string, q: SeriesQuery<CameraSeriesMetric>): Promise<SeriesResponse> {
    this.get(id)
    const points = (await this.repo.series([id], q.metric, q.from, q.to, q.bucket)).get(id) ?? []
    return { id, metric: q.metric, unit: cameraMetricUnit(q.metric), bucket: q.bucket, from: iso(q.from), to: iso(q.to), points }
  }

  /** Every camera's series (optionally of one kind) in one query; aggregated buckets only, as raw rows of many cameras would share one row cap. */
  async seriesOfAll(kind: CameraKind | undefined, q: SeriesQuery<CameraSeriesMetric>): Promise<CameraSeriesBulkResponse> {
    if (q.bucket === 'raw') throw new HttpProblem(400, { code: 'bad_request', field: 'bucket', message: 'bucket: raw is for one camera (/cameras/:id/series); use 5m, 1h or 1d' })
    const ids = this.cameras
      .summaries()
      .filter((c) => !kind || c.kind === kind)
      .map((c) => c.id)
    const series = await this.repo.series(ids, q.metric, q.from, q.to, q.bucket)
    return { metric: q.metric, bucket: q.bucket, from: iso(q.from), to: iso(q.to), cameras: ids.map((id) => ({ id, points: series.get(id) ?? [] })) }
  }

  /** The cameras' KPIs of the clock hour containing `at`. */
  async baseline(at: number): Promise<CameraKpis> {
    return cameraBaseline({ cameras: this.cameras.summaries(), cameraHours: await this.repo.hour(hourStart(at)) })
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}
