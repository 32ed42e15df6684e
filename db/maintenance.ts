// Keeping aggregates fresh and old data out, on each backend:
// - TimescaleDB with its job scheduler: policies do it (applyPolicies sets them from the configuration).
// - Embedded TimescaleDB (PGlite runs no background jobs): the same work, called from here on a timer:
//   refresh_continuous_aggregate, drop_chunks, compress_chunk.
// - Plain PostgreSQL: the shim aggregates of 005_aggregates.postgres.sql refreshed from here, late rows
//   re-materialized from the invalidation log, old rows deleted.
// Several server processes may run this; a try-lock lets one of them do each round.
import { BUCKET_MS, bucketStart, DAY_ORIGIN_MS, type Bucket } from '../contract/index.ts'

const DAY_MS = 86_400_000
import type { Config } from '../core/config.ts'
import type { Database, Queryable } from './database.ts'
import { createLogger } from '../core/log.ts'
import { LOCKS } from './locks.ts'
import type { Backend } from './migrate.ts'

const log = createLogger('maintenance')

export type MaintenanceMode = 'policies' | 'manual-timescaledb' | 'manual-postgres'

export interface AggregateSpec {
  name: string
  source: 'station_readings' | 'camera_counts'
  bucket: Exclude<Bucket, 'raw'>
}

export const AGGREGATES: readonly AggregateSpec[] = [
  { name: 'env_5m', source: 'station_readings', bucket: '5m' },
  { name: 'env_1h', source: 'station_readings', bucket: '1h' },
  { name: 'env_1d', source: 'station_readings', bucket: '1d' },
  { name: 'camera_5m', source: 'camera_counts', bucket: '5m' },
  { name: 'camera_1h', source: 'camera_counts', bucket: '1h' },
  { name: 'camera_1d', source: 'camera_counts', bucket: '1d' },
]
const RAW_TABLES = ['station_readings', 'camera_counts'] as const
const DEAD_LETTER_RETENTION_MS = 30 * 86_400_000
const RETENTION_EVERY_MS = 3_600_000

export type StorageConfig = Config['storage']

export function maintenanceMode(backend: Backend, embedded: boolean): MaintenanceMode {
  if (backend === 'postgres') return 'manual-postgres'
  return embedded ? 'manual-timescaledb' : 'policies'
}

function retentionFor(bucket: Bucket, s: StorageConfig): number {
  return bucket === '5m' ? s.retention5mMs : bucket === '1h' ? s.retention1hMs : 0
}

const interval = (ms: number) => `${Math.round(ms / 1000)} seconds`

/**
 * TimescaleDB with a job scheduler: (re)creates refresh, compression and retention policies from the
 * configuration. The refresh window reaches back INGEST_MAX_AGE, so any reading ingest accepts is
 * materialized; Timescale's invalidation log keeps that cheap.
 */
export async function applyPolicies(db: Database, s: StorageConfig, maxAgeMs: number): Promise<void> {
  await db.transaction(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOCKS.policies])
    for (const a of AGGREGATES) {
      const width = BUCKET_MS[a.bucket]
      // the daily aggregates stop two days back: see dayWindowEnd for why
      const end = a.bucket === '1d' ? DAY_WINDOW_LAG_MS : width
      // TimescaleDB wants a refresh window of at least two buckets between the offsets
      const start = Math.max(maxAgeMs + width, end + 2 * width)
      await client.query(`SELECT remove_continuous_aggregate_policy('${a.name}', if_exists => true)`)
      await client.query(
        `SELECT add_continuous_aggregate_policy('${a.name}', start_offset => INTERVAL '${interval(start)}', end_offset => INTERVAL '${interval(end)}', schedule_interval => INTERVAL '${interval(Math.max(s.refreshIntervalMs, 1000))}')`,
      )
      await client.query(`SELECT remove_retention_policy('${a.name}', if_exists => true)`)
      const keep = retentionFor(a.bucket, s)
      if (keep > 0) await client.query(`SELECT add_retention_policy('${a.name}', INTERVAL '${interval(keep)}')`)
    }
    for (const t of RAW_TABLES) {
      await client.query(`SELECT remove_compression_policy('${t}', if_exists => true)`)
      if (s.compressAfterMs > 0) await client.query(`SELECT add_compression_policy('${t}', INTERVAL '${interval(s.compressAfterMs)}')`)
      await client.query(`SELECT remove_retention_policy('${t}', if_exists => true)`)
      if (s.retentionRawMs > 0) await client.query(`SELECT add_retention_policy('${t}', INTERVAL '${interval(s.retentionRawMs)}')`)
    }
  })
  log.info('TimescaleDB policies applied (refresh, compression, retention)')
}

/**
 * Refresh windows are cut into pieces so that no single statement holds the database for long: on the
 * embedded database every statement takes the one connection ingest also needs.
 */
const REFRESH_PIECE_MS: Record<AggregateSpec['bucket'], number> = { '5m': 6 * 3_600_000, '1h': 2 * 86_400_000, '1d': 14 * 86_400_000 }

/** Hours from midnight in Vietnam (UTC+7) to the next midnight UTC. */
const UTC_DAY_AFTER_VN_DAY_MS = DAY_MS - (((DAY_ORIGIN_MS % DAY_MS) + DAY_MS) % DAY_MS)

/**
 * Where a refresh of a daily (Vietnam-day) aggregate ends: the midnight UTC inside the day before yesterday
 * (07:00 that day in Vietnam).
 *
 * TimescaleDB 2.23 cuts a refresh window down to whole UTC days, yet re-materializes whole Vietnam days (the
 * buckets start at 00:00+07): a day that straddles the window's end is materialized whole, with the
 * rows it has at that moment, while changes to its part after the midnight UTC lie outside the window
 * until the window moves on a day. (Fixed upstream in 2.25.2, where the window is cut on the buckets.) So:
 * - The straddled day must be one that no longer fills. Ending the window at the midnight UTC inside today
 *   (as this did before) materialized today at 07:00 in Vietnam; the watermark passed today, so real-time
 *   aggregation stopped computing it, and every reading after 07:00 (late or on time) stayed out of the
 *   daily value until midnight, unless a late reading for an earlier day happened to re-materialize today
 *   along with it. Found by a test that failed only after 09:00 in Vietnam.
 *   Running the window on over the whole of today instead would re-materialize today at every round: a
 *   day of every station's readings, ~2 s per million rows on the embedded database, holding its one
 *   session each 30 s.
 * - It must be one that late readings rarely reach. Ending inside yesterday would leave a late reading
 *   for yesterday after 07:00 (a device catching up, the simulator's history after a restart) out of
 *   the daily value until the next midnight; that test failed only between 00:00 and 03:00 in Vietnam.
 * So today and yesterday are never materialized: the daily aggregates compute them from the raw rows at
 * query time, as the 5-minute and hourly aggregates do with their current bucket, and they are always
 * current. Every older day is materialized, and a late reading in it is re-materialized at the next
 * round, except one more than a day late in the day before yesterday after 07:00, which waits for the
 * next midnight. The policy path gets the same window as a fixed end offset (on TimescaleDB 2.25.2+ it
 * cuts on Vietnam days, so nothing straddles at all).
 */
export function dayWindowEnd(now: number): number {
  return bucketStart(now, '1d') - 2 * DAY_MS + UTC_DAY_AFTER_VN_DAY_MS
}

/** The same end as an offset from now, for a policy: floor-to-UTC-day(now − this) is dayWindowEnd(now) at any time of day. */
const DAY_WINDOW_LAG_MS = 2 * DAY_MS - UTC_DAY_AFTER_VN_DAY_MS

/**
 * Where a refresh of a daily aggregate starts: a midnight UTC (so that every piece of the window covers
 * whole UTC days and none is cut down to nothing), early enough for the oldest day ingest accepts and for
 * the day that straddled the previous day's window end.
 */
function dayWindowStart(now: number, maxAgeMs: number): number {
  return Math.min(bucketStart(now - maxAgeMs, '1d') - DAY_MS, bucketStart(now, '1d') - 3 * DAY_MS) + UTC_DAY_AFTER_VN_DAY_MS
}

export function pieces(start: number, end: number, size: number): [number, number][] {
  const out: [number, number][] = []
  for (let from = start; from < end; from += size) out.push([from, Math.min(end, from + size)])
  return out
}

/**
 * One maintenance round. `db` is the embedded database itself (each statement takes and returns its one
 * session, so ingest interleaves) or a connection holding the maintenance lock elsewhere.
 * Exported for tests; `now` is injectable.
 */
export async function maintain(db: Queryable, mode: MaintenanceMode, s: StorageConfig, maxAgeMs: number, now: number, withRetention: boolean): Promise<void> {
  if (mode === 'manual-timescaledb') {
    for (const a of AGGREGATES) {
      const end = a.bucket === '1d' ? dayWindowEnd(now) : bucketStart(now, a.bucket)
      const start = a.bucket === '1d' ? dayWindowStart(now, maxAgeMs) : bucketStart(now - maxAgeMs, a.bucket) - BUCKET_MS[a.bucket]
      // TimescaleDB only recomputes invalidated buckets, so refreshing the whole accepted window each round is cheap
      for (const [from, to] of pieces(start, end, REFRESH_PIECE_MS[a.bucket])) {
        // CALL takes no bind parameters on every driver path; these are our own numbers
        await db.query(`CALL refresh_continuous_aggregate('${a.name}', to_timestamp(${from / 1000}), to_timestamp(${to / 1000}))`)
      }
    }
  } else if (mode === 'manual-postgres') {
    await refreshPlain(db, now)
  }
  if (!withRetention) return
  if (mode === 'manual-timescaledb') {
    for (const t of RAW_TABLES) {
      if (s.retentionRawMs > 0) await db.query(`SELECT drop_chunks('${t}', older_than => INTERVAL '${interval(s.retentionRawMs)}')`)
      if (s.compressAfterMs > 0) {
        await db.query(`SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('${t}', older_than => INTERVAL '${interval(s.compressAfterMs)}') c`)
      }
    }
    for (const a of AGGREGATES) {
      const keep = retentionFor(a.bucket, s)
      if (keep > 0) await db.query(`SELECT drop_chunks('${a.name}', older_than => INTERVAL '${interval(keep)}')`)
    }
  } else if (mode === 'manual-postgres') {
    for (const t of RAW_TABLES) {
      if (s.retentionRawMs > 0) await db.query(`DELETE FROM ${t} WHERE ts < to_timestamp($1 / 1000.0)`, [now - s.retentionRawMs])
    }
    for (const a of AGGREGATES) {
      const keep = retentionFor(a.bucket, s)
      if (keep > 0) await db.query(`DELETE FROM ${a.name}_store WHERE bucket < to_timestamp($1 / 1000.0)`, [now - keep])
    }
  }
  await db.query(`DELETE FROM dead_letters WHERE received_at < to_timestamp($1 / 1000.0)`, [now - DEAD_LETTER_RETENTION_MS])
}

/** Plain PostgreSQL: re-materialize buckets that received late rows, then move each watermark up to the last complete bucket. */
async function refreshPlain(db: Queryable, now: number): Promise<void> {
  const state = await db.query<{ name: string; watermark: number }>('SELECT name, watermark FROM ioc_aggregates')
  const watermark = new Map(state.rows.map((r) => [r.name, r.watermark]))
  const refresh = (name: string, from: number | '-infinity', to: number) =>
    db.query('SELECT ioc_refresh_aggregate($1, $2::timestamptz, to_timestamp($3 / 1000.0))', [name, from === '-infinity' ? from : new Date(from).toISOString(), to])
  for (const source of RAW_TABLES) {
    const inv = await db.query<{ lo: number | null; hi: number | null; upto: number | null }>(
      'SELECT min(from_ts) AS lo, max(to_ts) AS hi, max(id) AS upto FROM ioc_invalidations WHERE source = $1',
      [source],
    )
    const { lo, hi, upto } = inv.rows[0]!
    let oldest: number | null | undefined
    for (const a of AGGREGATES.filter((x) => x.source === source)) {
      const mark = watermark.get(a.name) ?? -Infinity
      const size = REFRESH_PIECE_MS[a.bucket]
      if (lo !== null && hi !== null && Number.isFinite(mark) && lo < mark) {
        const to = Math.min(mark, bucketStart(hi, a.bucket) + BUCKET_MS[a.bucket])
        for (const [f, t] of pieces(bucketStart(lo, a.bucket), to, size)) await refresh(a.name, f, t)
      }
      const end = bucketStart(now, a.bucket)
      if (end <= mark) continue
      if (Number.isFinite(mark)) {
        for (const [f, t] of pieces(mark, end, size)) await refresh(a.name, f, t)
        continue
      }
      // first run: materialize the history already there, starting below its oldest row
      oldest ??= (await db.query<{ ts: number | null }>(`SELECT min(ts) AS ts FROM ${source}`)).rows[0]!.ts
      const parts = pieces(oldest === null ? end : Math.min(end, bucketStart(oldest, a.bucket)), end, size)
      if (parts.length === 0) await refresh(a.name, '-infinity', end)
      for (const [i, [f, t]] of parts.entries()) await refresh(a.name, i === 0 ? '-infinity' : f, t)
    }
    if (upto !== null) await db.query('DELETE FROM ioc_invalidations WHERE source = $1 AND id <= $2', [source, upto])
  }
}

export interface Maintenance {
  /** Runs one round now (tests and start-up); resolves false if another process held the lock. */
  runOnce(withRetention?: boolean): Promise<boolean>
  stop(): Promise<void>
}

export function startMaintenance(db: Database, mode: MaintenanceMode, s: StorageConfig, maxAgeMs: number, opts: { now?: () => number } = {}): Maintenance {
  const now = opts.now ?? Date.now
  let lastRetention = 0
  let running: Promise<boolean> | null = null
  const round = async (db: Queryable, t: number, retention: boolean) => {
    await maintain(db, mode, s, maxAgeMs, t, retention)
    if (retention) lastRetention = t
  }
  const runOnce = (withRetention?: boolean): Promise<boolean> => {
    running ??= (async () => {
      const t = now()
      const retention = withRetention ?? t - lastRetention >= RETENTION_EVERY_MS
      // one process owns the embedded database: no lock, and its one session goes back to ingest between statements
      if (db.kind === 'embedded') {
        await round(db, t, retention)
        return true
      }
      return db.session(async (client) => {
        const got = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LOCKS.maintenance])
        if (!got.rows[0]!.ok) return false
        try {
          await round(client, t, retention)
          return true
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [LOCKS.maintenance])
        }
      })
    })().finally(() => {
      running = null
    })
    return running
  }
  const timer = setInterval(() => {
    runOnce().catch((err) => log.warn('maintenance round failed; will retry', { error: err }))
  }, s.refreshIntervalMs)
  return {
    runOnce,
    async stop() {
      clearInterval(timer)
      await running?.catch(() => {})
    },
  }
}
