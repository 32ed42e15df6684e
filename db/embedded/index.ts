// The embedded TimescaleDB behind the Database interface: starts the child process (child.ts), sends it one
// statement at a time over IPC and gives back rows shaped exactly as pg gives them (db/pg-types.ts).
//
// PGlite is one PostgreSQL session, so this side keeps a FIFO lock: a query or a whole session()/transaction()
// holds it, and nobody else's statement can land inside someone's transaction. The lock is also where a
// stall shows: ping() waits in the same queue, so a database that stopped answering fails /healthz instead
// of hanging it.
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { tsChildExecArgv } from '../../core/child.ts'
import { createLogger } from '../../core/log.ts'
import { inTransaction, withDeadline, type Database, type Queryable, type QueryResult, type Row } from '../database.ts'
import { prepareValue } from '../pg-types.ts'
import type { ChildMessage, ChildRequest } from './child.ts'

const log = createLogger('embedded-db')
const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url))
/**
 * How long a clean close may take before the child is killed (committed data is on disk either way). A
 * healthy close takes well under a second; one that takes longer is a stalled database, and every second
 * here is a second of Ctrl-C (lifecycle.ts).
 */
const STOP_GRACE_MS = 2000

export interface EmbeddedDatabase extends Database {
  readonly kind: 'embedded'
  pid: number
  /** Resolves when the child exits, with its exit code. */
  exited: Promise<number | null>
  /** Closes the database and stops the child (killed after a short grace if it does not answer). */
  stop(): Promise<void>
  /** Since when the oldest statement sent has been waiting for its answer (epoch ms), or null. */
  busySince(): number | null
}

interface Pending {
  resolve(r: QueryResult<Row>): void
  reject(err: Error): void
  sentAt: number
}

export async function startEmbeddedDatabase(dataDir: string, opts: { startTimeoutMs?: number } = {}): Promise<EmbeddedDatabase> {
  const started = Date.now()
  const child: ChildProcess = fork(CHILD, [], {
    execArgv: tsChildExecArgv(),
    env: { ...process.env, IOC_EMBEDDED_DATA_DIR: dataDir },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // structured clone: rows keep their numbers, Infinity and Dates across the channel
    serialization: 'advanced',
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const pending = new Map<number, Pending>()
  let nextId = 1
  let gone: Error | null = null

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('embedded database did not start within the timeout')), opts.startTimeoutMs ?? 120_000)
    const onMessage = (m: ChildMessage) => {
      if (m.type === 'ready') {
        clearTimeout(timer)
        child.off('message', onMessage)
        resolve()
      } else if (m.type === 'error') {
        clearTimeout(timer)
        reject(new Error(`embedded database failed to start: ${m.message}`))
      }
    }
    child.on('message', onMessage)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`embedded database exited during start-up (code ${code})`))
    })
  })
  log.info(`embedded TimescaleDB ready in ${Date.now() - started} ms`, { dataDir })

  child.on('message', (m: ChildMessage) => {
    if (m.type !== 'result' && m.type !== 'failure') return
    const p = pending.get(m.id)
    if (!p) return
    pending.delete(m.id)
    if (m.type === 'result') p.resolve({ rows: m.rows, rowCount: m.rowCount })
    else p.reject(Object.assign(new Error(m.error.message), m.error))
  })
  void exited.then((code) => {
    gone = new Error(`the embedded database exited (code ${code})`)
    for (const p of pending.values()) p.reject(gone)
    pending.clear()
    lock.failAll(gone)
  })

  /** Sends one statement; the caller holds the lock. */
  function send<R extends Row>(text: string, values?: readonly unknown[]): Promise<QueryResult<R>> {
    if (gone) return Promise.reject(gone)
    const id = nextId++
    let encoded: (string | null)[] | undefined
    try {
      encoded = values?.map((v) => {
        const p = prepareValue(v)
        if (typeof p !== 'string' && p !== null) throw new TypeError('binary parameters are not supported by the embedded database')
        return p
      })
    } catch (err) {
      return Promise.reject(err)
    }
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve: resolve as Pending['resolve'], reject, sentAt: Date.now() })
      const request: ChildRequest = encoded === undefined ? { type: 'query', id, text } : { type: 'query', id, text, values: encoded }
      child.send(request, (err) => {
        if (!err) return
        pending.delete(id)
        reject(new Error(`the embedded database is not reachable: ${err.message}`))
      })
    })
  }

  const lock = new FifoLock()
  const direct: Queryable = { query: send }
  let ping: Promise<void> | null = null

  const db: EmbeddedDatabase = {
    kind: 'embedded',
    pid: child.pid!,
    exited,
    async query<R extends Row>(text: string, values?: readonly unknown[]): Promise<QueryResult<R>> {
      const release = await lock.acquire()
      try {
        return await send<R>(text, values)
      } finally {
        release()
      }
    },
    async session<T>(fn: (c: Queryable) => Promise<T>): Promise<T> {
      const release = await lock.acquire()
      try {
        return await fn(direct)
      } finally {
        release()
      }
    },
    transaction: (fn) => db.session((c) => inTransaction(c, fn)),
    async ping(timeoutMs) {
      // one probe at a time: a stalled database must not collect a queue of them
      ping ??= db.query('SELECT 1').then(
        () => {
          ping = null
        },
        (err: Error) => {
          ping = null
          throw err
        },
      )
      await withDeadline(ping, timeoutMs, 'embedded database')
    },
    end: () => db.stop(),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.send({ type: 'stop' } satisfies ChildRequest, () => {})
      const timeout = setTimeout(() => {
        log.warn(`the embedded database did not close within ${STOP_GRACE_MS / 1000} s; stopping it (committed data is on disk)`)
        child.kill('SIGKILL')
      }, STOP_GRACE_MS)
      await exited
      clearTimeout(timeout)
    },
    busySince() {
      let oldest: number | null = null
      for (const p of pending.values()) if (oldest === null || p.sentAt < oldest) oldest = p.sentAt
      return oldest
    },
  }
  return db
}

/** First come, first served; acquire() resolves with the release function. */
class FifoLock {
  private held = false
  private waiters: { grant(): void; fail(err: Error): void }[] = []

  acquire(): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const grant = () => {
        let released = false
        resolve(() => {
          if (released) return
          released = true
          const next = this.waiters.shift()
          if (next) next.grant()
          else this.held = false
        })
      }
      if (!this.held) {
        this.held = true
        grant()
      } else this.waiters.push({ grant, fail: reject })
    })
  }

  failAll(err: Error): void {
    const waiting = this.waiters
    this.waiters = []
    for (const w of waiting) w.fail(err)
  }
}
