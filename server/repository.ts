// The server's reads from the database: the data that seeds live state, chart series and the wall's
// history (hourly AQI, yesterday's KPIs) from the aggregates, and dead letters. Plain SQL that runs
// unchanged on TimescaleDB and on plain PostgreSQL (see db/migrations/005_aggregates.*.sql for how the
// aggregates look the same on both).

import {
  AQI_POLLUTANTS,
  bucketStart,
  CAMERA_CLASSES,
  type Bucket,
  type CameraCount,
  type CameraSeriesMetric,
  type DeadLetterQuery,
  type DeadLetterView,
  type SeriesPoint,
} from '../contract/index.ts'
import type { Queryable } from '../db/database.ts'
import type { HourlySum, LatestValue } from './state/stations.ts'
import type { CameraHour } from './wall-history.ts'

const STATION_AGGREGATE: Record<Exclude<Bucket, 'raw'>, string> = { '5m': 'env_5m', '1h': 'env_1h', '1d': 'env_1d' }
const CAMERA_AGGREGATE: Record<Exclude<Bucket, 'raw'>, string> = { '5m': 'camera_5m', '1h': 'camera_1h', '1d': 'camera_1d' }
/** Cap for raw series: two days of one metric at one reading every 10 s is ~17,000. */
const RAW_LIMIT = 20_000

export async function loadLatest(db: Queryable): Promise<LatestValue[]> {
  const r = await db.query<{ station_id: string; metric: string; ts: number; value: number }>('SELECT station_id, metric, ts, value FROM station_latest')
  return r.rows.map((x) => ({ stationId: x.station_id, metric: x.metric, ts: x.ts, value: x.value }))
}

/** Hourly sums of the AQI pollutants over the last 12 clock hours (for NowCast). */
export function loadHourlySums(db: Queryable, now: number): Promise<HourlySum[]> {
  return hourlySums(db, { from: Math.floor(now / 3_600_000) * 3_600_000 - 11 * 3_600_000 })
}

/**
 * Hourly sums of the AQI pollutants for the hours starting in [from, to) (no upper bound without `to`), of
 * one station or all. Absent bounds are left out of the SQL rather than passed as NULL, so the planner
 * still excludes chunks by the constant range.
 */
export async function hourlySums(db: Queryable, o: { from: number; to?: number; stationId?: string }): Promise<HourlySum[]> {
  const params: unknown[] = [o.from, AQI_POLLUTANTS]
  let where = 'bucket >= to_timestamp($1 / 1000.0) AND metric = ANY($2::text[])'
  if (o.to !== undefined) where += ` AND bucket < to_timestamp($${params.push(o.to)} / 1000.0)`
  if (o.stationId !== undefined) where += ` AND station_id = $${params.push(o.stationId)}`
  const r = await db.query<{ station_id: string; metric: string; bucket: number; sum: number; count: number }>(
    `SELECT station_id, metric, bucket, sum, count FROM env_1h WHERE ${where}`,
    params,
  )
  return r.rows.map((x) => ({ stationId: x.station_id, metric: x.metric as HourlySum['metric'], hour: x.bucket, sum: x.sum, count: x.count }))
}

/** Stations with at least one reading (any metric) in the clock hour starting at `hour`. */
export async function stationsReportingIn(db: Queryable, hour: number): Promise<Set<string>> {
  const r = await db.query<{ station_id: string }>(`SELECT DISTINCT station_id FROM env_1h WHERE bucket = to_timestamp($1 / 1000.0)`, [hour])
  return new Set(r.rows.map((x) => x.station_id))
}

/** Every camera's hourly aggregate for the clock hour starting at `hour` (cameras that did not report have no row). */
export async function cameraHour(db: Queryable, hour: number): Promise<CameraHour[]> {
  const r = await db.query<{ camera_id: string; inside_avg: string | number | null; vehicles: number | null }>(
    `SELECT camera_id, inside_avg, vehicles FROM camera_1h WHERE bucket = to_timestamp($1 / 1000.0)`,
    [hour],
  )
  return r.rows.map((x) => ({ cameraId: x.camera_id, insideAvg: x.inside_avg === null ? null : Number(x.inside_avg), vehicles: Number(x.vehicles ?? 0) }))
}

const CAMERA_COLUMNS = `camera_id, ts, period_sec, ${CAMERA_CLASSES.join(', ')}, inside`
type CameraRow = { camera_id: string; ts: number; period_sec: number; inside: number | null } & Record<(typeof CAMERA_CLASSES)[number], number | null>

function toCount(r: CameraRow): CameraCount {
  const counts: CameraCount['counts'] = {}
  for (const k of CAMERA_CLASSES) if (r[k] !== null) counts[k] = r[k]!
  return { cameraId: r.camera_id, ts: r.ts, periodSec: r.period_sec, counts, inside: r.inside }
}

export async function loadRecentCameraPeriods(db: Queryable, now: number): Promise<CameraCount[]> {
  const r = await db.query<CameraRow>(`SELECT ${CAMERA_COLUMNS} FROM camera_counts WHERE ts > to_timestamp($1 / 1000.0) ORDER BY ts`, [now - 3_600_000])
  return r.rows.map(toCount)
}

/** Each camera's last report, through the (camera_id, ts) primary key: one index probe per camera. */
export async function loadCameraLastSeen(db: Queryable): Promise<Map<string, number>> {
  const r = await db.query<{ id: string; ts: number | null }>(
    `SELECT c.id, (SELECT max(ts) FROM camera_counts WHERE camera_id = c.id) AS ts FROM cameras c`,
  )
  return new Map(r.rows.filter((x) => x.ts !== null).map((x) => [x.id, x.ts!]))
}

interface PointRow {
  t: number
  value: number | string
  min: number | string | null
  max: number | string | null
  count: number
}

function toPoint(r: PointRow): SeriesPoint {
  const num = (v: number | string | null) => (v === null ? null : Number(v))
  return { t: new Date(r.t).toISOString(), value: Number(r.value), min: num(r.min), max: num(r.max), count: r.count }
}

function toPoints(rows: PointRow[]): SeriesPoint[] {
  return rows.map(toPoint)
}

export async function stationSeries(db: Queryable, id: string, metric: string, from: number, to: number, bucket: Bucket): Promise<SeriesPoint[]> {
  if (bucket === 'raw') {
    const r = await db.query<PointRow>(
      `SELECT ts AS t, value, value AS min, value AS max, 1 AS count FROM station_readings
       WHERE station_id = $1 AND metric = $2 AND ts >= to_timestamp($3 / 1000.0) AND ts < to_timestamp($4 / 1000.0)
       ORDER BY ts LIMIT ${RAW_LIMIT}`,
      [id, metric, from, to],
    )
    return toPoints(r.rows)
  }
  const r = await db.query<PointRow>(
    `SELECT bucket AS t, avg AS value, min, max, count FROM ${STATION_AGGREGATE[bucket]}
     WHERE station_id = $1 AND metric = $2 AND bucket >= to_timestamp($3 / 1000.0) AND bucket < to_timestamp($4 / 1000.0)
     ORDER BY bucket`,
    [id, metric, bucketStart(from, bucket), to],
  )
  return toPoints(r.rows)
}

export async function cameraSeries(db: Queryable, id: string, metric: CameraSeriesMetric, from: number, to: number, bucket: Bucket): Promise<SeriesPoint[]> {
  return (await cameraSeriesRows(db, [id], metric, from, to, bucket)).get(id) ?? []
}

/**
 * The series of several cameras in one query, keyed by camera id (cameras without points are absent).
 * Aggregated buckets only: raw rows of many cameras would share one row cap.
 */
export function cameraSeriesBulk(
  db: Queryable,
  ids: readonly string[],
  metric: CameraSeriesMetric,
  from: number,
  to: number,
  bucket: Exclude<Bucket, 'raw'>,
): Promise<Map<string, SeriesPoint[]>> {
  return cameraSeriesRows(db, ids, metric, from, to, bucket)
}

/** The one query behind both camera series endpoints. `metric` is one of CAMERA_SERIES_METRICS, so safe as SQL. */
async function cameraSeriesRows(
  db: Queryable,
  ids: readonly string[],
  metric: CameraSeriesMetric,
  from: number,
  to: number,
  bucket: Bucket,
): Promise<Map<string, SeriesPoint[]>> {
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
    sql = `SELECT camera_id, bucket AS t, ${cols}, reports AS count FROM ${CAMERA_AGGREGATE[bucket]}
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
}

export async function deadLetters(db: Queryable, q: DeadLetterQuery): Promise<DeadLetterView[]> {
  const r = await db.query<{ id: number; received_at: number; topic: string; code: DeadLetterView['code']; reason: string; payload: string; payload_bytes: number; accepted: number }>(
    `SELECT id, received_at, topic, code, reason, payload, payload_bytes, accepted FROM dead_letters
     WHERE ($1::bigint IS NULL OR id < $1) AND ($2::text IS NULL OR code = $2)
     ORDER BY id DESC LIMIT $3`,
    [q.before, q.code, q.limit],
  )
  return r.rows.map((x) => ({
    id: String(x.id),
    receivedAt: new Date(x.received_at).toISOString(),
    topic: x.topic,
    code: x.code,
    reason: x.reason,
    payload: x.payload,
    payloadBytes: x.payload_bytes,
    accepted: x.accepted,
  }))
}

/** Changes whenever a unit, station or camera is added, removed or updated (loaders bump updated_at). */
export async function referenceStamp(db: Queryable): Promise<string> {
  const r = await db.query<{ stamp: string }>(
    `SELECT concat_ws('/', (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM units),
                           (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM stations),
                           (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM cameras)) AS stamp`,
  )
  return r.rows[0]!.stamp
}
