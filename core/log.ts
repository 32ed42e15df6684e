// Logging: one line per event, readable text for a terminal or JSON lines for a collector. The level and
// format are set once from the configuration; until then everything at info and above is printed.

import type { LogLevel } from './config.ts'

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }
let threshold = ORDER.info
let json = false

export function configureLogging(opts: { level: LogLevel; format: 'text' | 'json' }): void {
  threshold = ORDER[opts.level]
  json = opts.format === 'json'
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

function write(level: LogLevel, name: string, msg: string, fields?: Record<string, unknown>): void {
  if (ORDER[level] < threshold) return
  const time = new Date().toISOString()
  const stream = level === 'error' || level === 'warn' ? process.stderr : process.stdout
  if (json) {
    stream.write(`${JSON.stringify({ time, level, name, msg, ...fields }, errorReplacer)}\n`)
    return
  }
  const extra = fields && Object.keys(fields).length ? ` ${JSON.stringify(fields, errorReplacer)}` : ''
  stream.write(`${time} ${level.toUpperCase().padEnd(5)} [${name}] ${msg}${extra}\n`)
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { message: value.message, code: (value as { code?: unknown }).code } : value
}

export function createLogger(name: string): Logger {
  return {
    debug: (m, f) => write('debug', name, m, f),
    info: (m, f) => write('info', name, m, f),
    warn: (m, f) => write('warn', name, m, f),
    error: (m, f) => write('error', name, m, f),
  }
}

/** A connection URL with its password masked, for logs and health messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '(unparseable url)'
  }
}
