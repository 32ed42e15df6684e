// The environment's reads from the database: the stations, the data that seeds their live state, and the
// series and history behind the charts, from the aggregates. Plain SQL that runs unchanged on TimescaleDB
// and on plain PostgreSQL (db/migrations/005_aggregates.*.sql makes the aggregates look the same on both).
import { AQI_POLLUTANTS, bucketStart, hourStart, HOUR_MS, type AqiPollutant, type Bucket, type Metric, type SeriesPoint, type Station } from '../../contract/index.ts'
import type { Queryable } from '../../db/database.ts'
import { loadStations, tableStamp } from '../../db/reference.ts'
import { toPoints, type PointRow } from '../shared/series.ts'

/** The newest value of one metric of one station (station_latest). */
export interface LatestValue {
  stationId: string
  metric: string
  ts: number
  value: number
}

/** The sum and count of one AQI pollutant of one station over one clock hour (env_1h). */
export interface HourlySum {
  stationId: string
  metric: AqiPollutant
  /** Start of the clock hour, epoch ms. */
  hour: number
  sum: number
  count: number
}

const AGGREGATE: Record<Exclude<Bucket, 'raw'>, string> = { '5m': 'env_5m', '1h': 'env_1h', '1d': 'env_1d' }
/** Cap for raw series: two days of one metric at one reading every 10 s is ~17,000. */
const RAW_LIMIT = 20_000

export interface EnvironmentRepository {
  stations(): Promise<Station[]>
  /** Changes whenever a station is added, removed or updated. */
  stamp(): Promise<string>
  latest(): Promise<LatestValue[]>
  /** Hourly sums of the AQI pollutants for the hours starting in [from, to), of one station or all. */
  hourlySums(o: { from: number; to?: number; stationId?: string }): Promise<HourlySum[]>
  /** Stations with at least one reading (any metric) in the clock hour starting at `hour`. */
  reportingIn(hour: number): Promise<Set<string>>
  series(id: string, metric: Metric, from: number, to: number, bucket: Bucket): Promise<SeriesPoint[]>
}

export function environmentRepository(db: Queryable): EnvironmentRepository {
  return {
    stations: () => loadStations(db),
    stamp: () => tableStamp(db, 'stations'),

    async latest() {
      const r = await db.query<{ station_id: string; metric: string; ts: number; value: number }>('SELECT station_id, metric, ts, value FROM station_latest')
      return r.rows.map((x) => ({ stationId: x.station_id, metric: x.metric, ts: x.ts, value: x.value }))
    },

    // Absent bounds are left out of the SQL rather than passed as NULL, so the planner still excludes chunks
    // by the constant range.
    async hourlySums(o) {
      const params: unknown[] = [o.from, AQI_POLLUTANTS]
      let where = 'bucket >= to_timestamp($1 / 1000.0) AND metric = ANY($2::text[])'
      if (o.to !== undefined) where += ` AND bucket < to_timestamp($${params.push(o.to)} / 1000.0)`
      if (o.stationId !== undefined) where += ` AND station_id = $${params.push(o.stationId)}`
      const r = await db.query<{ station_id: string; metric: string; bucket: number; sum: number; count: number }>(
        `SELECT station_id, metric, bucket, sum, count FROM env_1h WHERE ${where}`,
        params,
      )
      return r.rows.map((x) => ({ stationId: x.station_id, metric: x.metric as AqiPollutant, hour: x.bucket, sum: x.sum, count: x.count }))
    },

    async reportingIn(hour) {
      const r = await db.query<{ station_id: string }>(`SELECT DISTINCT station_id FROM env_1h WHERE bucket = to_timestamp($1 / 1000.0)`, [hour])
      return new Set(r.rows.map((x) => x.station_id))
    },

    async series(id, metric, from, to, bucket) {
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
        `SELECT bucket AS t, avg AS value, min, max, count FROM ${AGGREGATE[bucket]}
         WHERE station_id = $1 AND metric = $2 AND bucket >= to_timestamp($3 / 1000.0) AND bucket < to_timestamp($4 / 1000.0)
         ORDER BY bucket`,
        [id, metric, bucketStart(from, bucket), to],
      )
      return toPoints(r.rows)
    },
  }
}

/** NowCast looks back 12 clock hours: live state loads the current one and the 11 before it. */
export function nowCastWindowStart(now: number): number {
  return hourStart(now) - 11 * HOUR_MS
}
