// The counter cameras' reads from the database: the cameras, the last hour of periods that seeds live state,
// the series behind the sparklines, and the hour the KPI baseline compares against. Plain SQL that runs
// unchanged on TimescaleDB and on plain PostgreSQL.
import { bucketStart, CAMERA_CLASSES, type Bucket, type Camera, type CameraCount, type CameraSeriesMetric, type SeriesPoint } from '../../contract/index.ts'
import type { Queryable } from '../../db/database.ts'
import { loadCameras, tableStamp } from '../../db/reference.ts'
import { toPoint, type PointRow } from '../shared/series.ts'

/** One camera's hourly aggregate (camera_1h), as the KPI baseline reads it. */
export interface CameraHour {
  cameraId: string
  /** Mean occupancy over the hour's reports (null when the camera reported none). */
  insideAvg: number | null
  /** Vehicles counted in the hour, all classes together. */
  vehicles: number
}

const AGGREGATE: Record<Exclude<Bucket, 'raw'>, string> = { '5m': 'camera_5m', '1h': 'camera_1h', '1d': 'camera_1d' }
/** Cap for raw series. */
const RAW_LIMIT = 20_000
const COLUMNS = `camera_id, ts, period_sec, ${CAMERA_CLASSES.join(', ')}, inside`
type CountRow = { camera_id: string; ts: number; period_sec: number; inside: number | null } & Record<(typeof CAMERA_CLASSES)[number], number | null>

function toCount(r: CountRow): CameraCount {
  const counts: CameraCount['counts'] = {}
  for (const k of CAMERA_CLASSES) if (r[k] !== null) counts[k] = r[k]!
  return { cameraId: r.camera_id, ts: r.ts, periodSec: r.period_sec, counts, inside: r.inside }
}

export interface CameraRepository {
  cameras(): Promise<Camera[]>
  /** Changes whenever a camera is added, removed or updated. */
  stamp(): Promise<string>
  /** Periods ending after `since`, oldest first. */
  periodsSince(since: number): Promise<CameraCount[]>
  /** Each camera's last report time. */
  lastSeen(): Promise<Map<string, number>>
  /** Every camera's hourly aggregate for the clock hour starting at `hour` (cameras that did not report have no row). */
  hour(hour: number): Promise<CameraHour[]>
  /**
   * The series of several cameras in one query, keyed by camera id (cameras without points are absent).
   * `metric` is one of CAMERA_SERIES_METRICS, so it is safe as a column name here.
   */
  series(ids: readonly string[], metric: CameraSeriesMetric, from: number, to: number, bucket: Bucket): Promise<Map<string, SeriesPoint[]>>
}

export function cameraRepository(db: Queryable): CameraRepository {
  return {
    cameras: () => loadCameras(db),
    stamp: () => tableStamp(db, 'cameras'),

    async periodsSince(since) {
      const r = await db.query<CountRow>(`SELECT ${COLUMNS} FROM camera_counts WHERE ts > to_timestamp($1 / 1000.0) ORDER BY ts`, [since])
      return r.rows.map(toCount)
    },

    // through the (camera_id, ts) primary key: one index probe per camera
    async lastSeen() {
      const r = await db.query<{ id: string; ts: number | null }>(`SELECT c.id, (SELECT max(ts) FROM camera_counts WHERE camera_id = c.id) AS ts FROM cameras c`)
      return new Map(r.rows.filter((x) => x.ts !== null).map((x) => [x.id, x.ts!]))
    },

    async hour(hour) {
      const r = await db.query<{ camera_id: string; inside_avg: string | number | null; vehicles: number | null }>(
        `SELECT camera_id, inside_avg, vehicles FROM camera_1h WHERE bucket = to_timestamp($1 / 1000.0)`,
        [hour],
      )
      return r.rows.map((x) => ({ cameraId: x.camera_id, insideAvg: x.inside_avg === null ? null : Number(x.inside_avg), vehicles: Number(x.vehicles ?? 0) }))
    },

    async series(ids, metric, from, to, bucket) {
      let sql: string
      let lower = from
      if (bucket === 'raw') {
        const value =
          metric === 'inside' ? 'inside' : metric === 'vehicles' ? 'coalesce(car, 0) + coalesce(motorbike, 0) + coalesce(truck, 0) + coalesce(bus, 0) + coalesce(bicycle, 0)' : metric
        sql = `SELECT camera_id, ts AS t, ${value} AS value, ${value} AS min, ${value} AS max, 1 AS count FROM camera_counts
           WHERE camera_id = ANY($1::text[]) AND ts >= to_timestamp($2 / 1000.0) AND ts < to_timestamp($3 / 1000.0) AND ${value} IS NOT NULL
           ORDER BY camera_id, ts LIMIT ${RAW_LIMIT}`
      } else {
        // occupancy is a level (mean, low, high); classes and vehicles are totals over the bucket
        const cols = metric === 'inside' ? 'inside_avg AS value, inside_min AS min, inside_max AS max' : `${metric} AS value, NULL AS min, NULL AS max`
        sql = `SELECT camera_id, bucket AS t, ${cols}, reports AS count FROM ${AGGREGATE[bucket]}
           WHERE camera_id = ANY($1::text[]) AND bucket >= to_timestamp($2 / 1000.0) AND bucket < to_timestamp($3 / 1000.0)
             AND ${metric === 'inside' ? 'inside_avg' : metric} IS NOT NULL
           ORDER BY camera_id, bucket`
        lower = bucketStart(from, bucket)
      }
      const r = await db.query<PointRow & { camera_id: string }>(sql, [ids, lower, to])
      const out = new Map<string, SeriesPoint[]>()
      for (const row of r.rows) {
        let points = out.get(row.camera_id)
        if (!points) out.set(row.camera_id, (points = []))
        points.push(toPoint(row))
      }
      return out
    },
  }
}
