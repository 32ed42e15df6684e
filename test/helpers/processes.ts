// IOC entry points as real child processes (for SIGKILL, Ctrl-C and multi-worker tests).
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { tsChildExecArgv } from '../../core/child.ts'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface Proc {
  child: ChildProcess
  /** Everything written to stdout and stderr so far. */
  output(): string
  /** Resolves with the first match of `re` in the output (already printed or still to come). */
  waitForOutput(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  kill(signal?: NodeJS.Signals): void
}

export function spawnEntry(entry: string, env: Record<string, string>, args: string[] = []): Proc {
  const child = spawn(process.execPath, [...tsChildExecArgv(), entry, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const listeners = new Set<() => void>()
  const onData = (d: Buffer) => {
    out += d.toString()
    for (const l of listeners) l()
  }
  child.stdout!.on('data', onData)
  child.stderr!.on('data', onData)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  return {
    child,
    output: () => out,
    waitForOutput(re, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(re)
          if (m) {
            cleanup()
            resolve(m)
          }
        }
        const timer = setTimeout(() => {
          cleanup()
          reject(new Error(`timed out waiting for ${re} in the output of ${entry}:\n${out.slice(-3000)}`))
        }, timeoutMs)
        const onExit = () => {
          setTimeout(() => {
            if (!out.match(re)) {
              cleanup()
              reject(new Error(`${entry} exited before printing ${re}:\n${out.slice(-3000)}`))
            }
          }, 50)
        }
        const cleanup = () => {
          clearTimeout(timer)
          listeners.delete(check)
          child.off('exit', onExit)
        }
        listeners.add(check)
        child.once('exit', onExit)
        check()
      })
    },
    exited,
    kill: (signal = 'SIGTERM') => void child.kill(signal),
  }
}
