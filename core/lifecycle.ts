// Graceful shutdown: on SIGINT/SIGTERM, stop parts in the reverse order they started (simulator, server,
// ingest with its final flush, broker, database), then exit. A second signal exits at once.
//
// Ctrl-C is prompt even when the database has stopped answering: every step has its own time budget, and a
// step that overruns it is left behind (its messages stay unacknowledged and come back; ingest's own log
// says how many), so the whole shutdown ends within SHUTDOWN_DEADLINE_MS.
import { createLogger } from './log.ts'

/** The whole shutdown, worst case. */
export const SHUTDOWN_DEADLINE_MS = 9000
const DEFAULT_STEP_MS = 2000

export interface Lifecycle {
  /** Registers a stop step with its time budget (default 2 s); steps run last-registered first. */
  onStop(name: string, stop: () => Promise<unknown> | void, opts?: { timeoutMs?: number }): void
  /** Runs every stop step (once), then exits with `code`. */
  shutdown(code: number, reason: string): Promise<never>
}

/** `name` labels this process's shutdown lines (several IOC processes may share a terminal). */
export function createLifecycle(name: string): Lifecycle {
  const log = createLogger(name)
  const steps: { name: string; stop: () => Promise<unknown> | void; timeoutMs: number }[] = []
  let stopping: Promise<never> | null = null
  const lifecycle: Lifecycle = {
    onStop(name, stop, opts) {
      steps.push({ name, stop, timeoutMs: opts?.timeoutMs ?? DEFAULT_STEP_MS })
    },
    shutdown(code, reason) {
      stopping ??= (async () => {
        log.info(`stopping (${reason})`)
        // a part that never finishes stopping must not keep the process (and its port) alive forever
        setTimeout(() => {
          log.error(`shutdown still unfinished after ${SHUTDOWN_DEADLINE_MS / 1000} s; exiting`)
          process.exit(code || 1)
        }, SHUTDOWN_DEADLINE_MS).unref()
        for (const step of [...steps].reverse()) {
          let timer: ReturnType<typeof setTimeout> | undefined
          try {
            const overran = new Promise<'overran'>((resolve) => (timer = setTimeout(() => resolve('overran'), step.timeoutMs)))
            const outcome = await Promise.race([Promise.resolve(step.stop()).then(() => 'done' as const), overran])
            if (outcome === 'overran') log.warn(`stopping ${step.name} took over ${step.timeoutMs / 1000} s; going on without it`)
          } catch (err) {
            log.warn(`stopping ${step.name} failed`, { error: err })
            code ||= 1
          } finally {
            clearTimeout(timer)
          }
        }
        log.info('stopped')
        process.exit(code)
      })()
      return stopping
    },
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        log.warn(`second ${signal}: exiting without finishing shutdown`)
        process.exit(130)
      }
      void lifecycle.shutdown(0, signal)
    })
  }
  return lifecycle
}

/** For `main` functions: prints a start-up failure as one clear line and exits non-zero. */
export function exitOnStartupError(err: unknown): never {
  process.stderr.write(`\nstart-up failed: ${(err as Error)?.message ?? String(err)}\n`)
  process.exit(1)
}
