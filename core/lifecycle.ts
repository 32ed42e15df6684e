// Graceful shutdown: on SIGINT/SIGTERM, stop parts in the reverse order they started (simulator, server,
// ingest with its final flush, broker, database), then exit. A second signal exits at once.
import { createLogger } from './log.ts'


/** Longer than ingest's 15 s final flush plus the database closing. */
const SHUTDOWN_DEADLINE_MS = 45_000

export interface Lifecycle {
  /** Registers a stop step; steps run last-registered first. */
  onStop(name: string, stop: () => Promise<void> | void): void
  /** Runs every stop step (once), then exits with `code`. */
  shutdown(code: number, reason: string): Promise<never>
}

/** `name` labels this process's shutdown lines (several IOC processes may share a terminal). */
export function createLifecycle(name: string): Lifecycle {
  const log = createLogger(name)
  const steps: { name: string; stop: () => Promise<void> | void }[] = []
  let stopping: Promise<never> | null = null
  const lifecycle: Lifecycle = {
    onStop(name, stop) {
      steps.push({ name, stop })
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
          try {
            await step.stop()
          } catch (err) {
            log.warn(`stopping ${step.name} failed`, { error: err })
            code ||= 1
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
