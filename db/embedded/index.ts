// Starts and stops the embedded TimescaleDB child process (see child.ts) and hands back its URL.
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { tsChildExecArgv } from '../../core/child.ts'
import { createLogger } from '../../core/log.ts'
import type { ChildMessage } from './child.ts'

const log = createLogger('embedded-db')
const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url))

export interface EmbeddedDatabase {
  url: string
  pid: number
  /** Resolves when the child exits, with its exit code. */
  exited: Promise<number | null>
  stop(): Promise<void>
}

export async function startEmbeddedDatabase(dataDir: string, opts: { startTimeoutMs?: number } = {}): Promise<EmbeddedDatabase> {
  const started = Date.now()
  const child: ChildProcess = fork(CHILD, [], {
    execArgv: tsChildExecArgv(),
    env: { ...process.env, IOC_EMBEDDED_DATA_DIR: dataDir },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('embedded database did not start within the timeout')), opts.startTimeoutMs ?? 120_000)
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'ready') {
        clearTimeout(timer)
        resolve(m.port)
      } else if (m.type === 'error') {
        clearTimeout(timer)
        reject(new Error(`embedded database failed to start: ${m.message}`))
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`embedded database exited during start-up (code ${code})`))
    })
  })
  log.info(`embedded TimescaleDB ready in ${Date.now() - started} ms`, { dataDir, port })
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    pid: child.pid!,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.send({ type: 'stop' })
      const timeout = setTimeout(() => child.kill('SIGKILL'), 30_000)
      await exited
      clearTimeout(timeout)
    },
  }
}
