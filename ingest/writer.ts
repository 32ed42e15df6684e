// Writes a batch in one transaction: one INSERT … SELECT FROM unnest(…) per table, so a batch of thousands
// of readings is a handful of statements. Readings and camera counts are inserted with ON CONFLICT DO
// NOTHING (redelivery is harmless); station_latest keeps the newest value per station metric.
import { CAMERA_CLASSES, type CameraCount, type EnvReading } from '../contract/index.ts'
import type { Database } from '../db/database.ts'
import type { DeadLetter, Entry } from './entries.ts'

/** Exported so the benchmark's direct-insert ceiling runs exactly the statement ingest runs. */
export const INSERT_READINGS_SQL = `
WITH inserted AS (
  INSERT INTO station_readings (station_id, metric, ts, value)
  SELECT s, m, to_timestamp(t / 1000.0), v
  FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[]) AS u(s, m, t, v)
  ON CONFLICT DO NOTHING
  RETURNING 1
)
SELECT count(*)::int AS n FROM inserted`

const UPSERT_LATEST_SQL = `
INSERT INTO station_latest (station_id, metric, ts, value)
SELECT s, m, to_timestamp(t / 1000.0), v
FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[]) AS u(s, m, t, v)
ON CONFLICT (station_id, metric) DO UPDATE SET ts = EXCLUDED.ts, value = EXCLUDED.value
WHERE station_latest.ts < EXCLUDED.ts`

const INSERT_CAMERA_SQL = `
WITH inserted AS (
  INSERT INTO camera_counts (camera_id, ts, period_sec, ${CAMERA_CLASSES.join(', ')}, inside)
  SELECT c, to_timestamp(t / 1000.0), p, ${CAMERA_CLASSES.map((k) => `u.${k}`).join(', ')}, i
  FROM unnest($1::text[], $2::float8[], $3::int[], ${CAMERA_CLASSES.map((_, i) => `$${i + 4}::int[]`).join(', ')}, $${CAMERA_CLASSES.length + 4}::int[])
    AS u(c, t, p, ${CAMERA_CLASSES.join(', ')}, i)
  ON CONFLICT DO NOTHING
  RETURNING 1
)
SELECT count(*)::int AS n FROM inserted`

const INSERT_DEAD_LETTERS_SQL = `
INSERT INTO dead_letters (topic, code, reason, payload, payload_bytes, accepted)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[])`

export interface ReadingColumns {
  stationIds: string[]
  metrics: string[]
  ts: number[]
  values: number[]
}

/** Flattens readings into the column arrays INSERT_READINGS_SQL takes. */
export function readingColumns(readings: readonly EnvReading[]): ReadingColumns {
  const cols: ReadingColumns = { stationIds: [], metrics: [], ts: [], values: [] }
  for (const r of readings) {
    for (const [metric, value] of Object.entries(r.values)) {
      cols.stationIds.push(r.stationId)
      cols.metrics.push(metric)
      cols.ts.push(r.ts)
      cols.values.push(value as number)
    }
  }
  return cols
}

/** The newest value per (station, metric) in the batch: ON CONFLICT DO UPDATE may touch a row only once per statement. */
export function latestColumns(cols: ReadingColumns): ReadingColumns {
  const newest = new Map<string, number>()
  for (let i = 0; i < cols.ts.length; i++) {
    const key = `${cols.stationIds[i]}\u0000${cols.metrics[i]}`
    const j = newest.get(key)
    if (j === undefined || cols.ts[i]! > cols.ts[j]!) newest.set(key, i)
  }
  const out: ReadingColumns = { stationIds: [], metrics: [], ts: [], values: [] }
  for (const i of newest.values()) {
    out.stationIds.push(cols.stationIds[i]!)
    out.metrics.push(cols.metrics[i]!)
    out.ts.push(cols.ts[i]!)
    out.values.push(cols.values[i]!)
  }
  return out
}

export interface WriteResult {
  readingRows: number
  readingsInserted: number
  cameraRows: number
  cameraInserted: number
  deadLetters: number
}

export async function writeBatch(db: Database, readings: readonly EnvReading[], counts: readonly CameraCount[], dead: readonly DeadLetter[]): Promise<WriteResult> {
  const cols = readingColumns(readings)
  let readingsInserted = 0
  let cameraInserted = 0
  await db.transaction(async (client) => {
    if (cols.ts.length) {
      const r = await client.query<{ n: number }>(INSERT_READINGS_SQL, [cols.stationIds, cols.metrics, cols.ts, cols.values])
      readingsInserted = r.rows[0]!.n
      const latest = latestColumns(cols)
      await client.query(UPSERT_LATEST_SQL, [latest.stationIds, latest.metrics, latest.ts, latest.values])
    }
    if (counts.length) {
      const params: unknown[] = [counts.map((c) => c.cameraId), counts.map((c) => c.ts), counts.map((c) => c.periodSec)]
      for (const k of CAMERA_CLASSES) params.push(counts.map((c) => c.counts[k] ?? null))
      params.push(counts.map((c) => c.inside))
      const r = await client.query<{ n: number }>(INSERT_CAMERA_SQL, params)
      cameraInserted = r.rows[0]!.n
    }
    if (dead.length) {
      await client.query(INSERT_DEAD_LETTERS_SQL, [
        dead.map((d) => d.topic),
        dead.map((d) => d.code),
        dead.map((d) => d.reason),
        dead.map((d) => d.payload),
        dead.map((d) => d.payloadBytes),
        dead.map((d) => d.accepted),
      ])
    }
  })
  return { readingRows: cols.ts.length, readingsInserted, cameraRows: counts.length, cameraInserted, deadLetters: dead.length }
}

/** Writes the readings, camera periods and dead letters of a batch of entries in one transaction. */
export function writeEntries(db: Database, entries: readonly Entry[]): Promise<WriteResult> {
  const readings: EnvReading[] = []
  const counts: CameraCount[] = []
  const dead: DeadLetter[] = []
  for (const e of entries) {
    if (e.env) readings.push(e.env)
    if (e.camera) counts.push(e.camera)
    if (e.dead) dead.push(e.dead)
  }
  return writeBatch(db, readings, counts, dead)
}

/**
 * True for errors caused by the data rather than the database's state (SQLSTATE classes 22 data exception
 * and 23 integrity violation): retrying the same batch cannot succeed, so the batch is split to find the
 * entry at fault instead.
 */
export function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'))
}
