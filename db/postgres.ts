// PostgreSQL/TimescaleDB through pg: a small pool per process behind the Database interface. Every
// connection has an error listener for its whole life, checked out or idle: a server that goes away
// (restart, `pg_ctl stop -m immediate`) fails the queries in flight and never crashes the process, and a
// connection that broke is destroyed instead of going back to the pool.
import pg from 'pg'
import { createLogger } from '../core/log.ts'
import { describeDatabaseError, inTransaction, withDeadline, type Database, type Queryable, type QueryResult, type Row } from './database.ts'
import './pg-types.ts'

const log = createLogger('db')

export interface PostgresOptions {
  max?: number
  applicationName?: string
}

export function openPostgres(url: string, o: PostgresOptions = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: o.max ?? 5,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    application_name: o.applicationName ?? 'ioc',
    keepAlive: true,
  })
  let lastWarning = 0
  const onError = (err: Error) => {
    // one line per outage, not one per connection
    if (Date.now() - lastWarning > 10_000) log.warn(`database connection failed (${describeDatabaseError(err)}); queries are retried on a new one`)
    lastWarning = Date.now()
  }
  // idle connections: pg-pool emits their errors here
  pool.on('error', onError)
  // checked-out connections emit on the client itself; pg-pool listens only while they are idle
  pool.on('connect', (client) => client.on('error', onError))

  const db: Database = {
    kind: 'postgres',
    async query<R extends Row>(text: string, values?: readonly unknown[]): Promise<QueryResult<R>> {
      return result<R>(await pool.query(text, values as unknown[] | undefined))
    },
    async session<T>(fn: (c: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect()
      let broken: Error | undefined
      try {
        return await fn(wrap(client))
      } catch (err) {
        // a SQL error leaves the connection usable; a network error does not
        if (!(err as { severity?: unknown }).severity) broken = err as Error
        throw err
      } finally {
        client.release(broken)
      }
    },
    transaction: (fn) => db.session((c) => inTransaction(c, fn)),
    async ping(timeoutMs) {
      await withDeadline(pool.query('SELECT 1'), timeoutMs, 'database')
    },
    end: () => pool.end(),
  }
  return db
}

function wrap(client: pg.PoolClient): Queryable {
  return {
    async query<R extends Row>(text: string, values?: readonly unknown[]): Promise<QueryResult<R>> {
      return result<R>(await client.query(text, values as unknown[] | undefined))
    },
  }
}

/** pg answers a simple query holding several statements (a migration file) with one result each: keep the last, as the embedded driver does. */
function result<R extends Row>(r: pg.QueryResult | pg.QueryResult[]): QueryResult<R> {
  const last = Array.isArray(r) ? (r[r.length - 1] ?? { rows: [], rowCount: 0 }) : r
  return { rows: last.rows as R[], rowCount: last.rowCount ?? last.rows.length }
}
