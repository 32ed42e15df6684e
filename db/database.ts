// The one database interface every part of the IOC uses, satisfied by PostgreSQL/TimescaleDB through pg
// (db/postgres.ts) and by the embedded TimescaleDB driven directly over IPC (db/embedded/index.ts).
// Services take a Queryable, so they run the same inside or outside a transaction and on either backend.

export interface QueryResult<R> {
  rows: R[]
  /** Rows affected (INSERT, UPDATE, DELETE) or returned (SELECT). */
  rowCount: number
}

// `any`, not `unknown`: row types declared as interfaces only satisfy an index signature of `any`
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Row = Record<string, any>

export interface Queryable {
  // rows are `any` unless the caller names their type, as with pg
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query<R extends Row = any>(text: string, values?: readonly unknown[]): Promise<QueryResult<R>>
}

export interface Database extends Queryable {
  readonly kind: 'embedded' | 'postgres'
  /**
   * Runs `fn` on one connection held for its whole duration: for session state such as advisory locks.
   * Queries on the database itself (not on `c`) while `fn` runs may wait for it on the embedded database,
   * which has one session.
   */
  session<T>(fn: (c: Queryable) => Promise<T>): Promise<T>
  /** `fn` inside BEGIN … COMMIT on one connection; ROLLBACK when it throws (the error is rethrown). */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  /** Resolves when the database answers `SELECT 1` within `timeoutMs`; rejects with a short reason otherwise. */
  ping(timeoutMs: number): Promise<void>
  /** Closes every connection; queries still running are failed. */
  end(): Promise<void>
}

/** The transaction helper both backends share: BEGIN, fn, COMMIT, or ROLLBACK and rethrow. */
export async function inTransaction<T>(c: Queryable, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  await c.query('BEGIN')
  try {
    const result = await fn(c)
    await c.query('COMMIT')
    return result
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {})
    throw err
  }
}

/** Races `work` against a deadline; the error names the wait, never a host or a path. */
export async function withDeadline<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DeadlineError(`${what}: no answer within ${formatMs(timeoutMs)}`)), timeoutMs)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}

export class DeadlineError extends Error {}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}

/**
 * A database error in words a status page may show: SQL errors keep their message; connection failures
 * become their kind (refused, reset, timed out) without the host and port, which /healthz must not reveal.
 */
export function describeDatabaseError(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown; severity?: unknown }
  const code = typeof e?.code === 'string' ? e.code : ''
  const NETWORK: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ETIMEDOUT: 'connection timed out',
    EPIPE: 'connection closed',
    ENOTFOUND: 'host not found',
    EHOSTUNREACH: 'host unreachable',
    '57P01': 'the server was shut down',
    '57P02': 'the server crashed',
    '57P03': 'the server is starting up or shutting down',
  }
  if (NETWORK[code]) return NETWORK[code]!
  if (err instanceof DeadlineError) return err.message.replace(/^[^:]*: /, '')
  const message = typeof e?.message === 'string' ? e.message : String(err)
  if (/Connection terminated|connection timeout|timeout exceeded when trying to connect/i.test(message)) return 'connection lost'
  if (/embedded database/i.test(message)) return message
  // a SQL error from the server (it has a severity): its message says what is wrong and carries no address
  return e?.severity ? message : 'not reachable'
}
