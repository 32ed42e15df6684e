// Connection pools. The embedded database serves one connection at a time, so everything in an embedded
// process shares a single pooled connection that is never closed for idleness; against a real server each
// process gets its own small pool.
import pg from 'pg'
import type { HealthResponse } from '../contract/index.ts'
import { createLogger } from '../core/log.ts'

const log = createLogger('db')

// timestamptz → epoch ms numbers and int8 (count(*)) → number: the IOC never needs dates as strings from
// the driver, and counts here stay far below 2^53.
const parseTimestamptz = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ)
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (v) => {
  const d: unknown = parseTimestamptz(v)
  return d instanceof Date ? d.getTime() : d // ±infinity stays ±Infinity
})
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))

export interface PoolOptions {
  /** The database at this URL serves one connection at a time (embedded PGlite). */
  singleConnection?: boolean
  max?: number
  applicationName?: string
}

export function createPool(url: string, opts: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.singleConnection ? 1 : (opts.max ?? 5),
    idleTimeoutMillis: opts.singleConnection ? 0 : 30_000,
    // on the embedded database a caller may queue behind a long maintenance statement
    connectionTimeoutMillis: opts.singleConnection ? 60_000 : 10_000,
    application_name: opts.applicationName ?? 'ioc',
    keepAlive: true,
  })
  // An idle connection that dies (server restart) emits here; without a listener it would crash the process.
  pool.on('error', (err) => log.warn('idle database connection failed; it will be replaced', { error: err }))
  return pool
}

/** SELECT 1 with a deadline, for /healthz. */
export async function pingDatabase(db: pg.Pool, timeoutMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    await Promise.race([
      db.query('SELECT 1'),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))),
    ])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * The /healthz answer of any IOC process: pings the database (a problem when it does not answer) and adds
 * the problems the caller already knows of (its broker connection, ingest's commits).
 */
export async function healthReport(pool: pg.Pool, brokerConnected: boolean, known: string[]): Promise<HealthResponse> {
  const problems = [...known]
  const database = await pingDatabase(pool, 5000).then(
    () => 'up' as const,
    (err: Error) => {
      problems.push(`database: ${err.message}`)
      return 'down' as const
    },
  )
  return { ok: problems.length === 0, database, broker: brokerConnected ? 'up' : 'down', problems }
}
