// Configuration: the environment parsed once at start-up into a frozen, typed object. Every variable is
// documented here with its default (README's configuration table mirrors this list; a test keeps them
// in step). How each is read is a zod schema checked through check() (contract/shared/schema.ts), like
// every other input; a bad value stops the process with every problem at once, each naming the variable,
// what it expected and what it found.

import { hostname } from 'node:os'
import { join, resolve } from 'node:path'
import { check, fromText, intIn, numberIn, oneOf, sentence, z } from '../contract/shared/schema.ts'
import { DEFAULT_TOPIC_ROOT } from '../contract/shared/topics.ts'
import { parseWorkingPeriods, type WorkingHours } from '../contract/shared/calendar.ts'
import { DEFAULT_766_SCALES, type IndicatorScale, type MeasuredCode } from '../contract/dossiers/kpis.ts'
import type { DuplicatePolicy } from '../contract/reports/routing.ts'
import { parseSlaPolicy, type SlaPolicy } from '../contract/reports/sla.ts'

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
  sim: {
    rate: number
    malformedRatio: number
    backfillHours: number
    seed: number
    /** Mean dossiers submitted per working day to the simulated one-stop system (0: no dossier feed). */
    dossiersPerDay: number
    /** Mean citizen reports a day on an ordinary day (storm days bring ten times as many; 0: no reports). */
    reportsPerDay: number
    /** Days of dossier history the simulator keeps filled (capped by DOSSIER_MAX_AGE). */
    dossierHistoryDays: number
  }
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
  broker: {
    /** Interface the embedded broker binds to (127.0.0.1: this machine only). */
    host: string
    /** Mosquitto-format password file of device and integration accounts; null: internal accounts only. */
    passwordFile: string | null
    /** Mosquitto-format ACL file; null: each account publishes only under its own id. */
    aclFile: string | null
  }
  auth: {
    /** The first admin's password when the user table is empty; null: a random one, printed once. */
    adminPassword: string | null
    sessionTtlMs: number
    /** Sessions unused this long end (idle timeout). */
    sessionIdleMs: number
    loginMaxFailures: number
    lockoutMs: number
    /** Origins (scheme://host[:port]) allowed besides the server's own, for CORS and Socket.IO; empty: none. */
    allowedOrigins: string[]
    /** Bearer token for /metrics; null: /metrics answers only on localhost. */
    metricsToken: string | null
    /** Hops of reverse proxies whose X-Forwarded-* headers are trusted (0: none). */
    trustProxy: number
    oidc: OidcConfig | null
  }
  log: { level: LogLevel; format: 'text' | 'json' }
  dossiers: DossierConfig
  reports: ReportConfig
}

export interface ReportConfig {
  /** SLA spans per priority level and per category, in working hours. */
  sla: SlaPolicy
  /** Open reports of the same category this close and this recent are suggested as duplicates. */
  duplicates: DuplicatePolicy
  /** Keys for Open311 clients and automation, besides the ones admins issue: name → key. */
  open311Keys: { name: string; key: string }[]
  /** Open311 requests a minute per API key (POST) or per address (GET); 0 = no limit. */
  open311PerMinute: number
  /** Where report photos are stored: a folder (DATA_DIR/report-photos), or an S3-compatible bucket (REPORT_PHOTO_S3). */
  photos: PhotoStorage
}

export type PhotoStorage =
  | { kind: 'folder'; dir: string }
  | { kind: 's3'; endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string }

export interface DossierConfig {
  /** Oldest accepted dossier event, vs. receive time (one-stop systems resend history). */
  maxAgeMs: number
  /** Working weekdays and periods of the working-day calendar. */
  hours: WorkingHours
  /** Open dossiers due within this much working time are "due soon". */
  dueSoonMs: number
  /** Dossiers judged (done + overdue) a unit needs in a period to be ranked. */
  rankingMin: number
  /** Decision 766 maxima and targets. */
  scales: Record<MeasuredCode, IndicatorScale>
}

export interface OidcConfig {
  issuer: string
  clientId: string
  clientSecret: string
  /** The callback URL registered with the provider: https://ioc.example/auth/oidc/callback. */
  redirectUrl: string
  /** The claim holding the user's groups or roles (a list or a space-separated string). */
  roleClaim: string
  /** Provider group → IOC role. */
  roleMap: Record<string, string>
}

/** Working ms of a day with these periods. */
function workingDayMs(periods: WorkingHours['periods']): number {
  return periods.reduce((ms, [a, b]) => ms + (b - a) * 60_000, 0)
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

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
  SIM_REPORTS_PER_DAY: { default: '40', description: 'Citizen reports a day the simulated call centre and citizen app send (20–60 around it; a storm day, one in twenty, ten times as many); a simulated dispatcher and the agencies answer them through the API (0 = no reports).' },
  SIM_DOSSIERS_PER_DAY: { default: '1300', description: 'Dossiers citizens submit per working day to the simulated one-stop system, across departments, the centre and localities (0 = no dossier feed).' },
  SIM_DOSSIER_HISTORY_DAYS: { default: '90', description: 'Dossier history the simulator keeps filled: at each start it publishes the days of this window the database holds too few events for (0 = none; at most DOSSIER_MAX_AGE).' },
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
  MQTT_HOST: { default: '127.0.0.1', description: 'Interface the embedded broker binds to; 0.0.0.0 opens it to devices on the network (they need accounts: MQTT_PASSWORD_FILE).' },
  MQTT_PASSWORD_FILE: { default: '(unset)', description: "Device and integration accounts for the embedded broker, in Mosquitto's password-file format (user:hash; user:password for development)." },
  MQTT_ACL_FILE: { default: '(unset)', description: "Topic rights for those accounts, in Mosquitto's ACL format. Unset: an account publishes only under its own id ({root}/env/{user}, …)." },
  ADMIN_PASSWORD: { default: '(random)', description: 'Password of the admin created when the user table is empty; unset: a random one, printed once.' },
  SESSION_TTL: { default: '12h', description: 'A session ends this long after sign-in.' },
  SESSION_IDLE: { default: '2h', description: 'A session unused this long ends.' },
  LOGIN_MAX_FAILURES: { default: '5', description: 'Failed sign-ins in a row before an account is locked.' },
  LOGIN_LOCKOUT: { default: '15m', description: 'How long a locked account stays locked.' },
  ALLOWED_ORIGINS: { default: '(none)', description: 'Comma-separated origins (https://portal.example) allowed to call the API and Socket.IO from a browser, besides the IOC itself.' },
  METRICS_TOKEN: { default: '(unset)', description: 'Bearer token for /metrics. Unset: /metrics answers only requests from this machine.' },
  TRUST_PROXY: { default: '0', description: 'Reverse proxies in front of the server whose X-Forwarded-For/-Proto to trust (Secure cookies and client addresses behind TLS termination).' },
  OIDC_ISSUER: { default: '(unset)', description: 'OpenID Connect provider for single sign-on (https://sso.example/realms/province). Unset: passwords only.' },
  OIDC_CLIENT_ID: { default: '(unset)', description: 'Client id registered with the OpenID Connect provider.' },
  OIDC_CLIENT_SECRET: { default: '(unset)', description: 'Client secret registered with the OpenID Connect provider.' },
  OIDC_REDIRECT_URL: { default: '(unset)', description: 'Callback URL registered with the provider: https://<ioc>/auth/oidc/callback.' },
  OIDC_ROLE_CLAIM: { default: 'groups', description: 'ID-token claim holding the groups that map to roles.' },
  OIDC_ROLE_MAP: { default: '(unset)', description: 'group=role pairs, comma-separated (ioc-admins=admin,ioc-ops=operator); a user with no mapped group cannot sign in.' },
  LOG_LEVEL: { default: 'info', description: 'debug, info, warn or error.' },
  LOG_FORMAT: { default: 'text', description: 'text for people, json for log collectors.' },
  DOSSIER_MAX_AGE: { default: '400d', description: 'Dossier events older than this (vs. receive time) are dead-lettered; one-stop systems resend history.' },
  DOSSIER_WORKING_DAYS: { default: '1,2,3,4,5', description: 'Working weekdays of the working-day calendar (0 = Sunday … 6 = Saturday); holidays and overrides come on top.' },
  DOSSIER_WORKING_HOURS: { default: '07:30-11:30,13:00-17:00', description: 'Working periods of a working day, in Vietnam time.' },
  DOSSIER_DUE_SOON: { default: '1', description: 'Open dossiers due within this many working days are "due soon" (0.5 = half a day).' },
  DOSSIER_RANKING_MIN: { default: '20', description: 'Dossiers a unit must have judged (done + overdue) in a period to be ranked; fewer: listed, not ranked.' },
  REPORT_SLA: { default: '(urgent=8h/4h,complex=8h/30d,normal=8h/15d)', description: 'Citizen-report SLAs to replace, in working time: <level or category>=<accept>/<resolve>, e.g. normal=8h/10d,power=4h/2h (h = working hours, d = working days).' },
  REPORT_DUPLICATE_METERS: { default: '250', description: 'A new report within this many metres of an open report of the same category is suggested as its duplicate.' },
  REPORT_DUPLICATE_DAYS: { default: '7', description: 'How far back (days) open reports are considered as duplicates of a new one.' },
  REPORT_PHOTO_S3: { default: '(unset: DATA_DIR/report-photos)', description: 'Store report photos in an S3-compatible bucket instead of DATA_DIR: http(s)://ACCESS_KEY:SECRET@host[:port]/bucket[?region=…] (path-style; region defaults to us-east-1).' },
  OPEN311_API_KEYS: { default: '(none)', description: 'Open311 API keys for automation besides the ones admins issue: name:key,… (each key at least 16 characters).' },
  OPEN311_RATE_LIMIT: { default: '600', description: 'Open311 requests a minute per API key (POST) or per address (GET); more get a 429 in the spec\'s error shape (0 = no limit).' },
  DOSSIER_766_SCALES: { default: '(the portal\'s)', description: 'Decision 766 maxima and targets to replace, e.g. 3.3=6:0.5,2.1=20 (code=max[:target]).' },
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

// --- how a variable's text is read ---------------------------------------------------------------------
// Each is (or builds) a zod schema whose message is the expected phrase (contract/shared/schema.ts). A
// default is written as the variable would be (`.prefault('7d')`), so it goes through the same reading as
// a set value and reads like its line in CONFIG_VARIABLES.

/** A whole number written in digits: '1.0' and '1e3' are refused, as a port or a count is never written so. */
const integer = (min: number, max: number) => fromText((t) => (/^-?\d+$/.test(t) ? Number(t) : t), intIn(min, max))

/** A number as JavaScript reads one (0.5, 1e3). */
const number = (min: number, max: number) => fromText(Number, numberIn(min, max))

const TRUE = ['1', 'true', 'yes', 'on']
const FALSE = ['0', 'false', 'no', 'off']

/**
 * 1/0 (or true/false, yes/no, on/off, in any case). Not z.stringbool: its issue aborts the parse, which would
 * keep the rules between other variables from being checked, and every problem is to be reported at once.
 */
const flag = () =>
  fromText((t) => (TRUE.includes(t.toLowerCase()) ? true : FALSE.includes(t.toLowerCase()) ? false : t), z.boolean({ error: '1 or 0' }))

/** A duration in ms (parseDuration); `zero: 'off'` accepts 0 as switching the feature off. */
function duration(zero: 'off' | 'refused') {
  const expected = `a duration like 500ms, 30s, 5m, 12h or 7d${zero === 'off' ? ' (0 = off)' : ''}`
  const ms = z.number({ error: expected })
  return fromText((t) => parseDuration(t) ?? t, zero === 'off' ? ms : ms.positive({ error: expected }))
}

/** One of `values`, listed in the message as they are typed. */
const choice = <const T extends readonly [string, ...string[]]>(values: T) => oneOf(values, `one of ${values.join(', ')}`)

/**
 * A URL with one of `protocols`, kept as written. A wrong protocol is shown without the rest of the URL,
 * which may hold a password (postgres://ioc:secret@…).
 */
function url(protocols: readonly string[]) {
  return z.string().superRefine((raw, ctx) => {
    let protocol: string
    try {
      protocol = new URL(raw).protocol
    } catch {
      ctx.addIssue({ code: 'custom', message: sentence(`'${raw}' is not a URL (e.g. ${protocols[0]}//host:port)`), input: raw })
      return
    }
    if (!protocols.includes(protocol)) {
      ctx.addIssue({ code: 'custom', message: `a ${protocols.map((p) => `${p}//`).join(' or ')} URL`, input: `${protocol}//…` })
    }
  })
}

const topicRoot = z.string().refine((root) => !/[#+]/.test(root) && !root.startsWith('/') && !root.startsWith('$'), {
  error: (iss) => sentence(`must not contain wildcards or start with / or $, got '${String(iss.input)}'`),
})

/**
 * How each variable of CONFIG_VARIABLES is read, in its order (problems are reported in this order). A
 * variable without a default here has one that depends on others, filled in by toConfig.
 */
const VARIABLES = {
  PORT: integer(0, 65535).prefault('3000'),
  HOST: z.string().prefault('0.0.0.0'),
  MQTT_URL: url(['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'ws:', 'wss:']).optional(),
  MQTT_PORT: integer(0, 65535).prefault('1883'),
  MQTT_VERSION: choice(['4', '5']).transform((v) => (v === '5' ? 5 : 4) as 4 | 5).optional(),
  MQTT_TOPIC_ROOT: topicRoot.prefault(DEFAULT_TOPIC_ROOT),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  DATA_DIR: z.string().prefault('./data').transform((dir) => resolve(dir)),
  DASHBOARDS_DIR: z.string().prefault('./dashboards').transform((dir) => resolve(dir)),
  MAP_STYLE_URL: url(['http:', 'https:']).optional(),
  SIMULATE: flag().optional(),
  SIM_RATE: number(0.01, 100_000).prefault('10'),
  SIM_MALFORMED_RATIO: number(0, 1).prefault('0.002'),
  SIM_BACKFILL_HOURS: number(0, 24 * 7).prefault('24'),
  SIM_SEED: integer(0, 2_147_483_647).prefault('1459'),
  SIM_DOSSIERS_PER_DAY: integer(0, 1_000_000).prefault('1300'),
  SIM_REPORTS_PER_DAY: integer(0, 100_000).prefault('40'),
  SIM_DOSSIER_HISTORY_DAYS: integer(0, 3650).prefault('90'),
  SEED_DEMO: flag().prefault('1'),
  INGEST_BATCH_MAX_ROWS: integer(1, 100_000).prefault('5000'),
  INGEST_BATCH_MAX_WAIT_MS: integer(1, 60_000).prefault('25'),
  INGEST_MAX_PAYLOAD_BYTES: integer(64, 16 * 1024 * 1024).prefault('65536'),
  INGEST_MAX_AGE: duration('refused').prefault('7d'),
  INGEST_MAX_FUTURE: duration('off').prefault('5m'),
  INGEST_CLIENT_ID: z.string().prefault(() => `ioc-ingest-${hostname()}`),
  INGEST_RECEIVE_MAXIMUM: integer(1, 65_535).prefault('5000'),
  // off by default: Mosquitto 2.0 restores a plain subscription from its persistence after a restart,
  // but not a shared one, so a lone worker is safest on a plain one (ARCHITECTURE.md, "Scale-out")
  INGEST_SHARED: flag().prefault('0'),
  INGEST_HTTP_PORT: integer(0, 65535).prefault('9464'),
  RETENTION_RAW: duration('off').prefault('90d'),
  RETENTION_5M: duration('off').prefault('400d'),
  RETENTION_1H: duration('off').prefault('0'),
  COMPRESS_AFTER: duration('off').prefault('7d'),
  AGG_REFRESH_INTERVAL: duration('refused').prefault('30s'),
  LIVE_COALESCE_MS: integer(10, 10_000).prefault('50'),
  STATUS_STALE_FACTOR: number(1, 1000).prefault('2'),
  STATUS_OFFLINE_FACTOR: number(1, 10_000).prefault('10'),
  MQTT_HOST: z.string().prefault('127.0.0.1'),
  MQTT_PASSWORD_FILE: z.string().transform((f) => resolve(f)).optional(),
  MQTT_ACL_FILE: z.string().transform((f) => resolve(f)).optional(),
  ADMIN_PASSWORD: z.string().min(12, { error: sentence('must be at least 12 characters') }).optional(),
  SESSION_TTL: duration('refused').prefault('12h'),
  SESSION_IDLE: duration('refused').prefault('2h'),
  LOGIN_MAX_FAILURES: integer(1, 1000).prefault('5'),
  LOGIN_LOCKOUT: duration('refused').prefault('15m'),
  ALLOWED_ORIGINS: z
    .string()
    .transform((list) => list.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, { error: 'origins like https://portal.example (scheme, host and port only), comma-separated' })))
    .prefault(''),
  METRICS_TOKEN: z.string().min(16, { error: sentence('must be at least 16 characters') }).optional(),
  TRUST_PROXY: integer(0, 10).prefault('0'),
  OIDC_ISSUER: url(['https:', 'http:']).optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_REDIRECT_URL: url(['https:', 'http:']).optional(),
  OIDC_ROLE_CLAIM: z.string().prefault('groups'),
  OIDC_ROLE_MAP: z
    .string()
    .transform((list) => list.split(',').map((p) => p.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[^=\s]+=(operator|dispatcher|agency|leader|admin)$/, { error: 'group=role pairs, the role one of operator, dispatcher, agency, leader, admin' })))
    .transform((pairs) => Object.fromEntries(pairs.map((p) => p.split('=') as [string, string])))
    .optional(),
  LOG_LEVEL: choice(LOG_LEVELS).prefault('info'),
  LOG_FORMAT: choice(['text', 'json']).prefault('text'),
  DOSSIER_MAX_AGE: duration('refused').prefault('400d'),
  DOSSIER_WORKING_DAYS: fromText(
    (t) => (/^[0-6](,[0-6])*$/.test(t.replace(/\s/g, '')) ? [...new Set(t.replace(/\s/g, '').split(',').map(Number))] : t),
    z.array(z.number(), { error: 'weekday numbers 0–6 separated by commas (0 = Sunday), e.g. 1,2,3,4,5' }),
  ).prefault('1,2,3,4,5'),
  DOSSIER_WORKING_HOURS: z
    .string()
    .transform((t, ctx) => {
      try {
        return parseWorkingPeriods(t)
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: sentence(`${(err as Error).message} (e.g. 07:30-11:30,13:00-17:00)`), input: t })
        return z.NEVER
      }
    })
    .prefault('07:30-11:30,13:00-17:00'),
  DOSSIER_DUE_SOON: number(0, 30).prefault('1'),
  DOSSIER_RANKING_MIN: integer(1, 1_000_000).prefault('20'),
  REPORT_SLA: z
    .string()
    .transform((t, ctx) => {
      const p = parseSlaPolicy(t)
      if (typeof p === 'string') {
        ctx.addIssue({ code: 'custom', message: sentence(p), input: t })
        return z.NEVER
      }
      return p
    })
    .prefault(''),
  REPORT_DUPLICATE_METERS: number(1, 100_000).prefault('250'),
  REPORT_DUPLICATE_DAYS: number(0.01, 365).prefault('7'),
  REPORT_PHOTO_S3: z
    .string()
    .transform((t, ctx) => {
      let u: URL
      try {
        u = new URL(t)
      } catch {
        u = new URL('invalid:')
      }
      const bucket = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, ''))
      if (!/^https?:$/.test(u.protocol) || !u.username || !u.password || !/^[a-z0-9][a-z0-9.-]{1,62}$/.test(bucket)) {
        ctx.addIssue({ code: 'custom', message: 'an http(s) URL with credentials and a bucket: http(s)://ACCESS_KEY:SECRET@host[:port]/bucket', input: '(hidden: it holds a secret)' })
        return z.NEVER
      }
      return {
        kind: 's3' as const,
        endpoint: `${u.protocol}//${u.host}`,
        bucket,
        region: u.searchParams.get('region') ?? 'us-east-1',
        accessKeyId: decodeURIComponent(u.username),
        secretAccessKey: decodeURIComponent(u.password),
      }
    })
    .optional(),
  OPEN311_RATE_LIMIT: integer(0, 1_000_000).prefault('600'),
  OPEN311_API_KEYS: z
    .string()
    .transform((t, ctx) => {
      const keys: { name: string; key: string }[] = []
      for (const part of t.split(',').map((p) => p.trim()).filter(Boolean)) {
        const m = /^([^:\s]{1,64}):(\S{16,200})$/.exec(part)
        if (!m) {
          ctx.addIssue({ code: 'custom', message: sentence(`'${part.slice(0, 20)}…' is not name:key with a key of at least 16 characters`), input: '(hidden)' })
          return z.NEVER
        }
        keys.push({ name: m[1]!, key: m[2]! })
      }
      return keys
    })
    .prefault(''),
  DOSSIER_766_SCALES: z
    .string()
    .transform((t, ctx) => {
      const scales = { ...DEFAULT_766_SCALES }
      for (const part of t.split(',').filter((p) => p.trim())) {
        const m = /^\s*(\d\.\d)\s*=\s*(\d+(?:\.\d+)?)\s*(?::\s*(0?\.\d+|1(?:\.0+)?))?\s*$/.exec(part)
        if (!m || !(m[1]! in scales)) {
          ctx.addIssue({ code: 'custom', message: sentence(`'${part.trim()}' is not code=max[:target] for one of ${Object.keys(scales).join(', ')}`), input: t })
          return z.NEVER
        }
        scales[m[1] as MeasuredCode] = { max: Number(m[2]), target: m[3] === undefined ? null : Number(m[3]) }
      }
      return scales
    })
    .prefault(''),
}

type Name = keyof typeof VARIABLES
type Variables = z.output<z.ZodObject<typeof VARIABLES>>

// a variable read but not documented (or documented but never read) is a mistake in this file: fail at load
const undocumented = Object.keys(VARIABLES).filter((name) => !(name in CONFIG_VARIABLES))
const unread = Object.keys(CONFIG_VARIABLES).filter((name) => !(name in VARIABLES))
if (undocumented.length || unread.length) throw new Error(`core/config.ts: not in CONFIG_VARIABLES: ${undocumented}; not in VARIABLES: ${unread}`)

/** A rule between variables: what is wrong with `name` given the variables it `uses`, or false. */
interface Rule {
  name: Name
  uses: readonly Name[]
  problem: (v: Variables) => string | false
}

const RULES: readonly Rule[] = [
  {
    name: 'MQTT_VERSION',
    uses: ['MQTT_URL'],
    problem: (v) => !v.MQTT_URL && v.MQTT_VERSION === 5 && 'the embedded broker (Aedes) speaks MQTT 3.1.1 only; use 4 or set MQTT_URL',
  },
  {
    name: 'STATUS_OFFLINE_FACTOR',
    uses: ['STATUS_STALE_FACTOR'],
    problem: (v) =>
      v.STATUS_OFFLINE_FACTOR <= v.STATUS_STALE_FACTOR && `must be greater than STATUS_STALE_FACTOR (${v.STATUS_STALE_FACTOR}), got ${v.STATUS_OFFLINE_FACTOR}`,
  },
  {
    name: 'INGEST_SHARED',
    uses: ['MQTT_URL'],
    problem: (v) => !v.MQTT_URL && v.INGEST_SHARED && 'the embedded broker has no shared subscriptions; set MQTT_URL to a broker that has them (e.g. Mosquitto)',
  },
  {
    name: 'RETENTION_RAW',
    uses: ['INGEST_MAX_AGE'],
    problem: (v) =>
      v.RETENTION_RAW > 0 &&
      v.RETENTION_RAW < v.INGEST_MAX_AGE &&
      `must be at least INGEST_MAX_AGE (${v.INGEST_MAX_AGE / 86_400_000} d), or accepted readings would be dropped at once`,
  },
  {
    name: 'OIDC_ISSUER',
    uses: ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL', 'OIDC_ROLE_MAP'],
    problem: (v) => {
      const missing = (['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL', 'OIDC_ROLE_MAP'] as const).filter((n) => v[n] === undefined)
      if (v.OIDC_ISSUER === undefined) return false
      if (missing.length) return `single sign-on also needs ${missing.join(', ')}`
      // tokens and the client secret cross the network: plain http only to a provider on this machine
      return v.OIDC_ISSUER.startsWith('http:') && !/^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:|\/|$)/.test(v.OIDC_ISSUER) && 'must be https:// (plain http only for a provider on this machine)'
    },
  },
  {
    name: 'COMPRESS_AFTER',
    uses: ['RETENTION_RAW'],
    problem: (v) => v.COMPRESS_AFTER > 0 && v.RETENTION_RAW > 0 && v.COMPRESS_AFTER >= v.RETENTION_RAW && 'must be shorter than RETENTION_RAW (or 0)',
  },
]

/**
 * The rules as one zod check. It runs even when some variables are bad (`when`), so every problem is
 * reported at once; a rule is skipped when a variable it reads is bad on its own, as it would only repeat
 * that problem with a value nobody set (STATUS_OFFLINE_FACTOR=0 is not also "not greater than" anything).
 */
const rules = z.superRefine<Variables>(
  (v, ctx) => {
    const bad = new Set(ctx.issues.map((i) => i.path?.[0]))
    for (const r of RULES) {
      if (bad.has(r.name) || r.uses.some((n) => bad.has(n))) continue
      const message = r.problem(v)
      if (message) ctx.addIssue({ code: 'custom', path: [r.name], message: sentence(message), input: v[r.name] })
    }
  },
  { when: () => true },
)

function toConfig(v: Variables): Config {
  return {
    port: v.PORT,
    host: v.HOST,
    mqttUrl: v.MQTT_URL ?? null,
    mqttPort: v.MQTT_PORT,
    mqttVersion: v.MQTT_VERSION ?? (v.MQTT_URL ? 5 : 4),
    topicRoot: v.MQTT_TOPIC_ROOT,
    databaseUrl: v.DATABASE_URL ?? null,
    dataDir: v.DATA_DIR,
    dashboardsDir: v.DASHBOARDS_DIR,
    mapStyleUrl: v.MAP_STYLE_URL ?? null,
    // with everything embedded the wall would be empty without the simulator
    simulate: v.SIMULATE ?? (!v.MQTT_URL && !v.DATABASE_URL),
    sim: {
      rate: v.SIM_RATE,
      malformedRatio: v.SIM_MALFORMED_RATIO,
      backfillHours: v.SIM_BACKFILL_HOURS,
      seed: v.SIM_SEED,
      dossiersPerDay: v.SIM_DOSSIERS_PER_DAY,
      reportsPerDay: v.SIM_REPORTS_PER_DAY,
      dossierHistoryDays: v.SIM_DOSSIER_HISTORY_DAYS,
    },
    seedDemo: v.SEED_DEMO,
    ingest: {
      batchMaxRows: v.INGEST_BATCH_MAX_ROWS,
      batchMaxWaitMs: v.INGEST_BATCH_MAX_WAIT_MS,
      maxPayloadBytes: v.INGEST_MAX_PAYLOAD_BYTES,
      maxAgeMs: v.INGEST_MAX_AGE,
      maxFutureMs: v.INGEST_MAX_FUTURE,
      clientId: v.INGEST_CLIENT_ID,
      receiveMaximum: v.INGEST_RECEIVE_MAXIMUM,
      shared: v.INGEST_SHARED,
      httpPort: v.INGEST_HTTP_PORT,
    },
    storage: {
      retentionRawMs: v.RETENTION_RAW,
      retention5mMs: v.RETENTION_5M,
      retention1hMs: v.RETENTION_1H,
      compressAfterMs: v.COMPRESS_AFTER,
      refreshIntervalMs: v.AGG_REFRESH_INTERVAL,
    },
    live: { coalesceMs: v.LIVE_COALESCE_MS },
    status: { staleAfter: v.STATUS_STALE_FACTOR, offlineAfter: v.STATUS_OFFLINE_FACTOR },
    log: { level: v.LOG_LEVEL, format: v.LOG_FORMAT },
    dossiers: {
      maxAgeMs: v.DOSSIER_MAX_AGE,
      hours: { weekdays: v.DOSSIER_WORKING_DAYS, periods: v.DOSSIER_WORKING_HOURS },
      dueSoonMs: v.DOSSIER_DUE_SOON * workingDayMs(v.DOSSIER_WORKING_HOURS),
      rankingMin: v.DOSSIER_RANKING_MIN,
      scales: v.DOSSIER_766_SCALES,
    },
    reports: {
      sla: v.REPORT_SLA,
      duplicates: { meters: v.REPORT_DUPLICATE_METERS, withinMs: v.REPORT_DUPLICATE_DAYS * 86_400_000 },
      open311Keys: v.OPEN311_API_KEYS,
      open311PerMinute: v.OPEN311_RATE_LIMIT,
      photos: v.REPORT_PHOTO_S3 ?? { kind: 'folder', dir: join(v.DATA_DIR, 'report-photos') },
    },
    broker: { host: v.MQTT_HOST, passwordFile: v.MQTT_PASSWORD_FILE ?? null, aclFile: v.MQTT_ACL_FILE ?? null },
    auth: {
      adminPassword: v.ADMIN_PASSWORD ?? null,
      sessionTtlMs: v.SESSION_TTL,
      sessionIdleMs: v.SESSION_IDLE,
      loginMaxFailures: v.LOGIN_MAX_FAILURES,
      lockoutMs: v.LOGIN_LOCKOUT,
      allowedOrigins: v.ALLOWED_ORIGINS,
      metricsToken: v.METRICS_TOKEN ?? null,
      trustProxy: v.TRUST_PROXY,
      oidc:
        v.OIDC_ISSUER && v.OIDC_CLIENT_ID && v.OIDC_CLIENT_SECRET && v.OIDC_REDIRECT_URL && v.OIDC_ROLE_MAP
          ? { issuer: v.OIDC_ISSUER, clientId: v.OIDC_CLIENT_ID, clientSecret: v.OIDC_CLIENT_SECRET, redirectUrl: v.OIDC_REDIRECT_URL, roleClaim: v.OIDC_ROLE_CLAIM, roleMap: v.OIDC_ROLE_MAP }
          : null,
    },
  }
}

const ENVIRONMENT = z
  .object(VARIABLES)
  .check(rules)
  .transform(toConfig)

export function loadConfig(env: Env = process.env): Readonly<Config> {
  // a variable set to blanks is unset (`PORT=` in a compose file or a .env)
  const given: Env = {}
  for (const name of Object.keys(VARIABLES)) given[name] = env[name]?.trim() || undefined
  // values are shown as typed, quoted: `PORT: expected an integer 0–65535, got 'abc'`
  const r = check(ENVIRONMENT, given, { show: (v) => `'${String(v)}'` })
  if (!r.ok) throw new ConfigError(r.issues.map((i) => i.message))
  return deepFreeze(r.value)
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
