// The environment domain in ingest: stations publish on {root}/env/{stationId}; each message becomes a
// reading (contract/environment/payload.ts), a batch of readings is one insert into the narrow
// station_readings table plus the newest value per station metric (station_latest), and the committed
// readings go to the servers on {root}/live/env.
import { ENVIRONMENT_INPUT, parseEnvPayload, type EnvReading, type LiveEnvBatch } from '../../contract/index.ts'
import { idsOfTable, type DomainWrite, type IngestDomain } from '../shared/domain.ts'

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

export const environmentIngest: IngestDomain<EnvReading> = {
  name: 'environment',
  segment: ENVIRONMENT_INPUT,
  knownIds: idsOfTable('stations'),
  unknown: { code: 'unknown_station', message: (id) => `station '${id}' is not in the reference data (load it with npm run db:load -- stations)` },
  parse: parseEnvPayload,
  size(r) {
    const n = Object.keys(r.values).length
    return { stored: n, rows: n }
  },
  async write(tx, readings): Promise<DomainWrite> {
    const cols = readingColumns(readings)
    if (cols.ts.length === 0) return { tables: {} }
    const r = await tx.query<{ n: number }>(INSERT_READINGS_SQL, [cols.stationIds, cols.metrics, cols.ts, cols.values])
    const latest = latestColumns(cols)
    await tx.query(UPSERT_LATEST_SQL, [latest.stationIds, latest.metrics, latest.ts, latest.values])
    return { tables: { station_readings: { rows: cols.ts.length, inserted: r.rows[0]!.n } } }
  },
  liveFrame: (readings, committedAt): LiveEnvBatch => ({ committedAt, readings: [...readings] }),
}
