// Configuration: the environment parsed once at start-up into a frozen, typed object. Every variable is
// documented here with its default (README's configuration table mirrors this list; a test keeps them
// in step). A bad value stops the process with a message naming the variable and what it expected.

import { hostname } from 'node:os'
import { resolve } from 'node:path'
import { DEFAULT_TOPIC_ROOT } from '../contract/topics.ts'

export interface Config {
  /** HTTP port of the server (0 = any free port). */
  port: number
  /** Interface the HTTP server binds to. */
  host: string
  /** External MQTT broker; null starts the embedded broker. */
  mqttUrl: string | null
  /** TCP port of the embedded broker (0 = any free port). */
  mqttPort: number
  /** MQTT protocol version used by ingest and server: 5 (external brokers) or 4 (the embedded Aedes). */
  mqttVersion: 4 | 5
  topicRoot: string
  /** External PostgreSQL/TimescaleDB; null starts the embedded TimescaleDB. */
  databaseUrl: string | null
  /** Where the embedded TimescaleDB keeps its files. */
  dataDir: string
  /** Folder of the wall's dashboard files (*.json, *.yaml, *.yml), watched for changes. */
  dashboardsDir: string
  /** MapLibre style of a basemap under the wall's map; null draws the unit boundaries only (works offline). */
  mapStyleUrl: string | null
  /** Run the feed simulator in-process. */
  simulate: boolean
  sim: { rate: number; malformedRatio: number; backfillHours: number; seed: number }
  seedDemo: boolean
  ingest: {
    batchMaxRows: number
    batchMaxWaitMs: number
    maxPayloadBytes: number
    maxAgeMs: number
    maxFutureMs: number
    clientId: string
    /** MQTT 5 Receive Maximum: how many unacknowledged messages the broker may hand us at once. */
    receiveMaximum: number
    /** Join the `$share/ioc-ingest/...` group (needs a broker with shared subscriptions). */
    shared: boolean
    /** Port of the standalone ingest process's /healthz and /metrics (0 = any free port). */
    httpPort: number
  }
  storage: {
    /** Raw readings older than this are dropped; 0 keeps them. */
    retentionRawMs: number
    retention5mMs: number
    retention1hMs: number
    /** TimescaleDB compresses chunks older than this; 0 disables compression. */
    compressAfterMs: number
    /** How often aggregates are refreshed where no TimescaleDB job scheduler runs them. */
    refreshIntervalMs: number
  }
  live: { coalesceMs: number }
  status: { staleAfter: number; offlineAfter: number }
  log: { level: LogLevel; format: 'text' | 'json' }
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`)
  }
}

type Env = Record<string, string | undefined>

/** Every variable the IOC reads, with a one-line description and its default (README is checked against this). */
export const CONFIG_VARIABLES: Record<string, { default: string; description: string }> = {
  PORT: { default: '3000', description: 'HTTP port of the server (wall, REST, Socket.IO, /metrics).' },
  HOST: { default: '0.0.0.0', description: 'Interface the HTTP server binds to.' },
  MQTT_URL: { default: '(unset)', description: 'External broker, e.g. mqtt://127.0.0.1:1883. Unset: start the embedded broker.' },
  MQTT_PORT: { default: '1883', description: "Embedded broker's TCP port. If taken, start-up fails and says how to use the running broker." },
  MQTT_VERSION: { default: '5 with MQTT_URL, 4 embedded', description: 'MQTT protocol version for ingest and server (4 = 3.1.1, 5).' },
  MQTT_TOPIC_ROOT: { default: DEFAULT_TOPIC_ROOT, description: 'Prefix of every topic: {root}/env/{stationId}, {root}/camera/{cameraId}, {root}/live/…' },
  DATABASE_URL: { default: '(unset)', description: 'External PostgreSQL/TimescaleDB. Unset: start the embedded TimescaleDB.' },
  DATA_DIR: { default: './data', description: 'Where the embedded TimescaleDB stores its files.' },
  DASHBOARDS_DIR: { default: './dashboards', description: 'Wall dashboard files (*.json, *.yaml, *.yml; see dashboards/README.md), reloaded when they change.' },
  MAP_STYLE_URL: { default: '(unset)', description: 'http(s) URL of a MapLibre style drawn under the wall map. Unset: unit boundaries only, no internet needed.' },
  SIMULATE: { default: '1 embedded, 0 with real services', description: 'Run the feed simulator (1/0).' },
  SIM_RATE: { default: '10', description: 'Simulator readings per second across all devices.' },
  SIM_MALFORMED_RATIO: { default: '0.002', description: 'Share of simulated messages that are deliberately malformed.' },
  SIM_BACKFILL_HOURS: { default: '24', description: 'History the simulator keeps filled: at each start it publishes the device-hours of this window the database is missing (0 = none).' },
  SIM_SEED: { default: '1459', description: 'Seed of the simulated world (episodes, dropouts, baselines); fixed, so every start agrees with the history already stored.' },
  SEED_DEMO: { default: '1', description: 'Seed the demo province into an empty database (1/0).' },
  INGEST_BATCH_MAX_ROWS: { default: '5000', description: 'Rows per batch before a flush.' },
  INGEST_BATCH_MAX_WAIT_MS: { default: '25', description: 'Longest a reading waits in a batch before a flush.' },
  INGEST_MAX_PAYLOAD_BYTES: { default: '65536', description: 'Larger payloads are dead-lettered.' },
  INGEST_MAX_AGE: { default: '7d', description: 'Readings older than this (vs. receive time) are dead-lettered.' },
  INGEST_MAX_FUTURE: { default: '5m', description: 'Readings further ahead of the receive time are dead-lettered.' },
  INGEST_CLIENT_ID: { default: 'ioc-ingest-<hostname>', description: 'MQTT client id; keep it stable per worker so its persistent session survives restarts.' },
  INGEST_RECEIVE_MAXIMUM: { default: '5000', description: 'MQTT 5 Receive Maximum: unacknowledged messages the broker may send ingest at once.' },
  INGEST_SHARED: { default: '0', description: 'Subscribe through $share/ioc-ingest/… so several workers split the load (needs a broker with shared subscriptions; see the caveat on broker restarts in README).' },
  INGEST_HTTP_PORT: { default: '9464', description: 'Port of /healthz and /metrics of a standalone ingest process.' },
  RETENTION_RAW: { default: '90d', description: 'Drop raw readings older than this (0 = keep).' },
  RETENTION_5M: { default: '400d', description: 'Drop 5-minute aggregates older than this (0 = keep).' },
  RETENTION_1H: { default: '0', description: 'Drop hourly aggregates older than this (0 = keep). Daily aggregates are kept.' },
  COMPRESS_AFTER: { default: '7d', description: 'TimescaleDB compresses raw chunks older than this (0 = off; no effect without TimescaleDB).' },
  AGG_REFRESH_INTERVAL: { default: '30s', description: 'Aggregate refresh period where no TimescaleDB job scheduler runs (embedded, plain PostgreSQL).' },
  LIVE_COALESCE_MS: { default: '50', description: 'Socket.IO deltas are coalesced per station/camera over this window.' },
  STATUS_STALE_FACTOR: { default: '2', description: 'A device is stale after this many missed reporting intervals.' },
  STATUS_OFFLINE_FACTOR: { default: '10', description: 'A device is offline after this many missed reporting intervals.' },
  LOG_LEVEL: { default: 'info', description: 'debug, info, warn or error.' },
  LOG_FORMAT: { default: 'text', description: 'text for people, json for log collectors.' },
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const

/** Parses `500ms`, `30s`, `5m`, `12h`, `7d`; a bare `0` means zero. */
export function parseDuration(raw: string): number | null {
  if (raw === '0') return 0
  const m = DURATION.exec(raw.trim())
  if (!m) return null
  return Math.round(Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS])
}

export function loadConfig(env: Env = process.env): Readonly<Config> {
  const problems: string[] = []
  const read = (name: string): string | undefined => {
    if (!(name in CONFIG_VARIABLES)) throw new Error(`config variable ${name} is not declared in CONFIG_VARIABLES`)
    const v = env[name]?.trim()
    return v === '' ? undefined : v
  }
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = read(name)
    if (raw === undefined) return def
    const n = Number(raw)
    if (!/^-?\d+$/.test(raw) || n < min || n > max) {
      problems.push(`${name}: expected an integer ${min}–${max}, got '${raw}'`)
      return def
    }
    return n
  }
  const num = (name: string, def: number, min: number, max: number): number => {
    const raw = read(name)
    if (raw === undefined) return def
    const n = Number(raw)
    if (!Number.isFinite(n) || n < min || n > max) {
      problems.push(`${name}: expected a number ${min}–${max}, got '${raw}'`)
      return def
    }
    return n
  }
  const bool = (name: string, def: boolean): boolean => {
    const raw = read(name)
    if (raw === undefined) return def
    if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true
    if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false
    problems.push(`${name}: expected 1 or 0, got '${raw}'`)
    return def
  }
  const duration = (name: string, def: string, allowZero = true): number => {
    const raw = read(name) ?? def
    const ms = parseDuration(raw)
    if (ms === null || (!allowZero && ms === 0)) {
      problems.push(`${name}: expected a duration like 500ms, 30s, 5m, 12h or 7d${allowZero ? ' (0 = off)' : ''}, got '${raw}'`)
      return parseDuration(def) ?? 0
    }
    return ms
  }
  const url = (name: string, protocols: string[]): string | null => {
    const raw = read(name)
    if (raw === undefined) return null
    try {
      const u = new URL(raw)
      if (!protocols.includes(u.protocol)) {
        problems.push(`${name}: expected a ${protocols.map((p) => `${p}//`).join(' or ')} URL, got '${u.protocol}//…'`)
        return null
      }
      return raw
    } catch {
      problems.push(`${name}: '${raw}' is not a URL (e.g. ${protocols[0]}//host:port)`)
      return null
    }
  }
  const oneOf = <T extends string>(name: string, def: T, allowed: readonly T[]): T => {
    const raw = read(name)
    if (raw === undefined) return def
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name}: expected one of ${allowed.join(', ')}, got '${raw}'`)
      return def
    }
    return raw as T
  }

  const mqttUrl = url('MQTT_URL', ['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'ws:', 'wss:'])
  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:'])
  const embeddedEverything = !read('MQTT_URL') && !read('DATABASE_URL')
  const versionRaw = oneOf('MQTT_VERSION', mqttUrl ? '5' : '4', ['4', '5'] as const)
  if (!mqttUrl && versionRaw === '5' && read('MQTT_VERSION')) {
    problems.push('MQTT_VERSION: the embedded broker (Aedes) speaks MQTT 3.1.1 only; use 4 or set MQTT_URL')
  }
  const topicRoot = read('MQTT_TOPIC_ROOT') ?? DEFAULT_TOPIC_ROOT
  if (/[#+]/.test(topicRoot) || topicRoot.startsWith('/') || topicRoot.startsWith('$')) {
    problems.push(`MQTT_TOPIC_ROOT: must not contain wildcards or start with / or $, got '${topicRoot}'`)
  }
  const staleAfter = num('STATUS_STALE_FACTOR', 2, 1, 1000)
  const offlineAfter = num('STATUS_OFFLINE_FACTOR', 10, 1, 10_000)
  if (offlineAfter <= staleAfter) problems.push(`STATUS_OFFLINE_FACTOR: must be greater than STATUS_STALE_FACTOR (${staleAfter}), got ${offlineAfter}`)

  const config: Config = {
    port: int('PORT', 3000, 0, 65535),
    host: read('HOST') ?? '0.0.0.0',
    mqttUrl,
    mqttPort: int('MQTT_PORT', 1883, 0, 65535),
    mqttVersion: versionRaw === '5' ? 5 : 4,
    topicRoot,
    databaseUrl,
    dataDir: resolve(read('DATA_DIR') ?? './data'),
    dashboardsDir: resolve(read('DASHBOARDS_DIR') ?? './dashboards'),
    mapStyleUrl: url('MAP_STYLE_URL', ['http:', 'https:']),
    simulate: bool('SIMULATE', embeddedEverything),
    sim: {
      rate: num('SIM_RATE', 10, 0.01, 100_000),
      malformedRatio: num('SIM_MALFORMED_RATIO', 0.002, 0, 1),
      backfillHours: num('SIM_BACKFILL_HOURS', 24, 0, 24 * 7),
      seed: int('SIM_SEED', 1459, 0, 2_147_483_647),
    },
    seedDemo: bool('SEED_DEMO', true),
    ingest: {
      batchMaxRows: int('INGEST_BATCH_MAX_ROWS', 5000, 1, 100_000),
      batchMaxWaitMs: int('INGEST_BATCH_MAX_WAIT_MS', 25, 1, 60_000),
      maxPayloadBytes: int('INGEST_MAX_PAYLOAD_BYTES', 65_536, 64, 16 * 1024 * 1024),
      maxAgeMs: duration('INGEST_MAX_AGE', '7d', false),
      maxFutureMs: duration('INGEST_MAX_FUTURE', '5m'),
      clientId: read('INGEST_CLIENT_ID') ?? `ioc-ingest-${hostname()}`,
      receiveMaximum: int('INGEST_RECEIVE_MAXIMUM', 5000, 1, 65_535),
      // off by default: Mosquitto 2.0 restores a plain subscription from its persistence after a restart,
      // but not a shared one, so a lone worker is safest on a plain one (ARCHITECTURE.md, "Scale-out")
      shared: bool('INGEST_SHARED', false),
      httpPort: int('INGEST_HTTP_PORT', 9464, 0, 65535),
    },
    storage: {
      retentionRawMs: duration('RETENTION_RAW', '90d'),
      retention5mMs: duration('RETENTION_5M', '400d'),
      retention1hMs: duration('RETENTION_1H', '0'),
      compressAfterMs: duration('COMPRESS_AFTER', '7d'),
      refreshIntervalMs: duration('AGG_REFRESH_INTERVAL', '30s', false),
    },
    live: { coalesceMs: int('LIVE_COALESCE_MS', 50, 10, 10_000) },
    status: { staleAfter, offlineAfter },
    log: { level: oneOf('LOG_LEVEL', 'info', ['debug', 'info', 'warn', 'error'] as const), format: oneOf('LOG_FORMAT', 'text', ['text', 'json'] as const) },
  }
  if (!mqttUrl && config.ingest.shared && read('INGEST_SHARED')) {
    problems.push('INGEST_SHARED: the embedded broker has no shared subscriptions; set MQTT_URL to a broker that has them (e.g. Mosquitto)')
  }
  const { retentionRawMs, compressAfterMs } = config.storage
  if (retentionRawMs > 0 && retentionRawMs < config.ingest.maxAgeMs) {
    problems.push(`RETENTION_RAW: must be at least INGEST_MAX_AGE (${config.ingest.maxAgeMs / 86_400_000} d), or accepted readings would be dropped at once`)
  }
  if (compressAfterMs > 0 && retentionRawMs > 0 && compressAfterMs >= retentionRawMs) {
    problems.push('COMPRESS_AFTER: must be shorter than RETENTION_RAW (or 0)')
  }
  if (problems.length) throw new ConfigError(problems)
  return deepFreeze(config)
}

/** Entry points call this: a bad configuration prints every problem and exits with status 2. */
export function loadConfigOrExit(env: Env = process.env): Readonly<Config> {
  try {
    return loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee the configuration table in README.md.\n`)
      process.exit(2)
    }
    throw err
  }
}

function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (v && typeof v === 'object') deepFreeze(v)
  return Object.freeze(o)
}
