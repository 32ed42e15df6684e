// Real services a test owns and may break: a PostgreSQL cluster started with the server's own initdb and
// pg_ctl (stopped hard with `-m immediate`, started again), and a Mosquitto of its own (stopped and
// restarted). The machine's shared PostgreSQL and Mosquitto are never touched, so tests running beside
// these keep working.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { chownSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { connect, createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const port = (s.address() as AddressInfo).port
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

/** The directory of initdb and pg_ctl: pg_config's, or Debian's newest versioned one. */
async function pgBin(): Promise<string> {
  try {
    return (await run('pg_config', ['--bindir'])).stdout.trim()
  } catch {
    const { stdout } = await run('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1'])
    return stdout.trim()
  }
}

export interface PgCluster {
  url: string
  /** `pg_ctl stop -m immediate`: every connection cut at once, no clean shutdown. */
  crash(): Promise<void>
  start(): Promise<void>
  close(): Promise<void>
}

/** A throwaway PostgreSQL cluster on a free port. As root it runs as the postgres user (initdb refuses root). */
export async function startPgCluster(): Promise<PgCluster> {
  const bin = await pgBin()
  const dir = await mkdtemp(join(tmpdir(), 'ioc-pg-'))
  const data = join(dir, 'data')
  const port = await freePort()
  const root = process.getuid?.() === 0
  if (root) {
    const { stdout } = await run('id', ['-u', 'postgres'])
    const uid = Number(stdout.trim())
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim())
    chownSync(dir, uid, gid)
  }
  const as = (cmd: string, args: string[]) => (root ? run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]) : run(join(bin, cmd), args))
  await as('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'])
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`
  const start = async () => {
    await as('pg_ctl', ['start', '-D', data, '-w', '-t', '60', '-l', join(dir, 'log'), '-o', options])
  }
  await start()
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async crash() {
      await as('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w'])
    },
    start,
    async close() {
      await as('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']).catch(() => {})
      await rm(dir, { recursive: true, force: true })
    },
  }
}

export interface OwnMosquitto {
  url: string
  /** A clean stop: Mosquitto saves its sessions and queues to disk first. */
  stop(): Promise<void>
  start(): Promise<void>
  close(): Promise<void>
}

/** A Mosquitto of the test's own, configured as deploy/mosquitto/mosquitto.conf asks, with persistence on. */
export async function startMosquitto(): Promise<OwnMosquitto> {
  const dir = await mkdtemp(join(tmpdir(), 'ioc-mosquitto-'))
  const port = await freePort()
  const conf = join(dir, 'mosquitto.conf')
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence true',
      `persistence_location ${dir}/`,
      'max_inflight_messages 0',
      'max_queued_messages 1000000',
      'max_queued_bytes 0',
      'persistent_client_expiration 7d',
      'log_dest none',
    ].join('\n'),
  )
  // as root Mosquitto drops to its own user, which must be able to write the persistence file
  if (process.getuid?.() === 0) {
    const uid = Number((await run('id', ['-u', 'mosquitto'])).stdout.trim())
    const gid = Number((await run('id', ['-g', 'mosquitto'])).stdout.trim())
    chownSync(dir, uid, gid)
  }
  let child: ChildProcess | null = null
  const start = async () => {
    child = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' })
    // listening once a TCP connection is accepted
    for (let i = 0; i < 100; i++) {
      const ok = await new Promise<boolean>((resolve) => {
        const c = connect(port, '127.0.0.1')
        c.once('connect', () => {
          c.destroy()
          resolve(true)
        })
        c.once('error', () => resolve(false))
      })
      if (ok) return
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error('mosquitto did not start')
  }
  const stop = async () => {
    const c = child
    child = null
    if (!c || c.exitCode !== null) return
    const exited = new Promise((r) => c.once('exit', r))
    c.kill('SIGTERM')
    await exited
  }
  await start()
  return {
    url: `mqtt://127.0.0.1:${port}`,
    stop,
    start,
    async close() {
      await stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
