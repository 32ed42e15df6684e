// The server's reads from the database: the data that seeds live state, chart series from the aggregates,
// and dead letters. Plain SQL that runs unchanged on TimescaleDB and on plain PostgreSQL (see
// db/migrations/005_aggregates.*.sql for how the aggregates look the same on both).

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
import type { Queryable } from '../core/db.ts'
import type { HourlySum, LatestValue } from './state/stations.ts'

const STATION_AGGREGATE: Record<Exclude<Bucket, 'raw'>, string> = { '5m': 'env_5m', '1h': 'env_1h', '1d': 'env_1d' }
const CAMERA_AGGREGATE: Record<Exclude<Bucket, 'raw'>, string> = { '5m': 'camera_5m', '1h': 'camera_1h', '1d': 'camera_1d' }
/** Cap for raw series: two days of one metric at one reading every 10 s is ~17,000. */
const RAW_LIMIT = 20_000

export async function loadLatest(db: Queryable): Promise<LatestValue[]> {
  const r = await db.query<{ station_id: string; metric: string; ts: number; value: number }>('SELECT station_id, metric, ts, value FROM station_latest')
  return r.rows.map((x) => ({ stationId: x.station_id, metric: x.metric, ts: x.ts, value: x.value }))
}

/** Hourly sums of the AQI pollutants over the last 12 clock hours (for NowCast). */
export async function loadHourlySums(db: Queryable, now: number): Promise<HourlySum[]> {
  const since = Math.floor(now / 3_600_000) * 3_600_000 - 11 * 3_600_000
  const r = await db.query<{ station_id: string; metric: string; bucket: number; sum: number; count: number }>(
    `SELECT station_id, metric, bucket, sum, count FROM env_1h WHERE bucket >= to_timestamp($1 / 1000.0) AND metric = ANY($2::text[])`,
    [since, AQI_POLLUTANTS],
  )
  return r.rows.map((x) => ({ stationId: x.station_id, metric: x.metric as HourlySum['metric'], hour: x.bucket, sum: x.sum, count: x.count }))
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

function toPoints(rows: PointRow[]): SeriesPoint[] {
  const num = (v: number | string | null) => (v === null ? null : Number(v))
  return rows.map((r) => ({ t: new Date(r.t).toISOString(), value: Number(r.value), min: num(r.min), max: num(r.max), count: r.count }))
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
  if (bucket === 'raw') {
    const value =
      metric === 'inside' ? 'inside' : metric === 'vehicles' ? 'coalesce(car, 0) + coalesce(motorbike, 0) + coalesce(truck, 0) + coalesce(bus, 0) + coalesce(bicycle, 0)' : metric
    const r = await db.query<PointRow>(
      `SELECT ts AS t, ${value} AS value, ${value} AS min, ${value} AS max, 1 AS count FROM camera_counts
       WHERE camera_id = $1 AND ts >= to_timestamp($2 / 1000.0) AND ts < to_timestamp($3 / 1000.0) AND ${value} IS NOT NULL
       ORDER BY ts LIMIT ${RAW_LIMIT}`,
      [id, from, to],
    )
    return toPoints(r.rows)
  }
  // occupancy is a level (mean, low, high); classes and vehicles are totals over the bucket
  const cols = metric === 'inside' ? 'inside_avg AS value, inside_min AS min, inside_max AS max' : `${metric} AS value, NULL AS min, NULL AS max`
  const r = await db.query<PointRow>(
    `SELECT bucket AS t, ${cols}, reports AS count FROM ${CAMERA_AGGREGATE[bucket]}
     WHERE camera_id = $1 AND bucket >= to_timestamp($2 / 1000.0) AND bucket < to_timestamp($3 / 1000.0)
       AND ${metric === 'inside' ? 'inside_avg' : metric} IS NOT NULL
     ORDER BY bucket`,
    [id, bucketStart(from, bucket), to],
  )
  return toPoints(r.rows)
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
