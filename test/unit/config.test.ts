import { hostname } from 'node:os'
import { resolve } from 'node:path'
import { describe, it, expect } from 'vitest'
import { CONFIG_VARIABLES, ConfigError, loadConfig, parseDuration, type Config } from '../../core/config.ts'
import { DEFAULT_TOPIC_ROOT } from '../../contract/index.ts'

type Env = Record<string, string | undefined>

const DAY = 86_400_000
const EXTERNAL = { MQTT_URL: 'mqtt://broker.example:1883', DATABASE_URL: 'postgres://ioc@db.example/ioc' }

/** The problems loadConfig reports for `env`; fails the test when it accepts the environment. */
function problemsFor(env: Env): string[] {
  try {
    loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`)
}

describe('loadConfig defaults', () => {
  it('runs everything embedded with an empty environment', () => {
    expect(loadConfig({})).toMatchObject({
      mqttUrl: null,
      databaseUrl: null,
      mqttVersion: 4,
      simulate: true,
      seedDemo: true,
      topicRoot: DEFAULT_TOPIC_ROOT,
      dataDir: resolve('./data'),
      dashboardsDir: resolve('./dashboards'),
      mapStyleUrl: null,
      ingest: { shared: false, clientId: `ioc-ingest-${hostname()}` },
    })
  })

  it('turns the simulator off and speaks MQTT 5 with external services, on a plain subscription unless asked to share', () => {
    expect(loadConfig(EXTERNAL)).toMatchObject({
      mqttUrl: EXTERNAL.MQTT_URL,
      databaseUrl: EXTERNAL.DATABASE_URL,
      simulate: false,
      mqttVersion: 5,
      ingest: { shared: false },
    })
  })

  it('turns the simulator off with an external database alone, keeping the embedded broker settings', () => {
    expect(loadConfig({ DATABASE_URL: EXTERNAL.DATABASE_URL })).toMatchObject({ simulate: false, mqttVersion: 4, ingest: { shared: false } })
  })

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', SIMULATE: '  ' })).toMatchObject({ port: 3000, simulate: true })
  })

  it('lets SIMULATE=1 run the simulator against external services', () => {
    expect(loadConfig({ ...EXTERNAL, SIMULATE: '1' }).simulate).toBe(true)
  })
})

describe('loadConfig rejects', () => {
  it('a PORT that is not a number', () => {
    expect(problemsFor({ PORT: 'abc' })).toEqual([expect.stringMatching(/^PORT: expected an integer 0–65535, got 'abc'/)])
  })

  it('a PORT above 65535', () => {
    expect(problemsFor({ PORT: '70000' })).toEqual([expect.stringMatching(/^PORT: .*'70000'/)])
  })

  it('an MQTT_URL with a protocol that is not MQTT', () => {
    expect(problemsFor({ MQTT_URL: 'http://x' })).toEqual([expect.stringMatching(/^MQTT_URL: expected a mqtt:\/\/ .*URL, got 'http:\/\/…'/)])
  })

  it('an MQTT_URL that is not a URL', () => {
    expect(problemsFor({ MQTT_URL: 'not a url' })).toEqual([expect.stringMatching(/^MQTT_URL: 'not a url' is not a URL/)])
  })

  it('a DATABASE_URL that is not PostgreSQL', () => {
    expect(problemsFor({ DATABASE_URL: 'mysql://x' })).toEqual([expect.stringMatching(/^DATABASE_URL: expected a postgres:\/\/ or postgresql:\/\/ URL/)])
  })

  it('a MAP_STYLE_URL that is not http(s)', () => {
    expect(problemsFor({ MAP_STYLE_URL: 'mapbox://styles/x' })).toEqual([expect.stringMatching(/^MAP_STYLE_URL: expected a http:\/\/ or https:\/\/ URL, got 'mapbox:\/\/…'/)])
  })

  it('a SIMULATE that is not a boolean', () => {
    expect(problemsFor({ SIMULATE: 'maybe' })).toEqual([expect.stringMatching(/^SIMULATE: expected 1 or 0, got 'maybe'/)])
  })

  it('an INGEST_MAX_AGE in words', () => {
    expect(problemsFor({ INGEST_MAX_AGE: '7 weeks' })).toEqual([expect.stringMatching(/^INGEST_MAX_AGE: expected a duration like .*got '7 weeks'/)])
  })

  it('a RETENTION_RAW shorter than INGEST_MAX_AGE', () => {
    // 10 days still leaves room for the default COMPRESS_AFTER (7 days)
    expect(problemsFor({ INGEST_MAX_AGE: '14d', RETENTION_RAW: '10d' })).toEqual([expect.stringMatching(/^RETENTION_RAW: must be at least INGEST_MAX_AGE/)])
  })

  it('a COMPRESS_AFTER as long as RETENTION_RAW', () => {
    expect(problemsFor({ RETENTION_RAW: '30d', COMPRESS_AFTER: '30d' })).toEqual([expect.stringMatching(/^COMPRESS_AFTER: must be shorter than RETENTION_RAW/)])
  })

  it('a STATUS_OFFLINE_FACTOR equal to STATUS_STALE_FACTOR', () => {
    expect(problemsFor({ STATUS_STALE_FACTOR: '5', STATUS_OFFLINE_FACTOR: '5' })).toEqual([
      expect.stringMatching(/^STATUS_OFFLINE_FACTOR: must be greater than STATUS_STALE_FACTOR \(5\), got 5/),
    ])
  })

  it('MQTT_VERSION=5 with the embedded broker', () => {
    expect(problemsFor({ MQTT_VERSION: '5' })).toEqual([expect.stringMatching(/^MQTT_VERSION: the embedded broker .* 3\.1\.1 only/)])
  })

  it('INGEST_SHARED=1 with the embedded broker', () => {
    expect(problemsFor({ INGEST_SHARED: '1' })).toEqual([expect.stringMatching(/^INGEST_SHARED: the embedded broker has no shared subscriptions/)])
  })

  it("an MQTT_TOPIC_ROOT with a '#' wildcard", () => {
    expect(problemsFor({ MQTT_TOPIC_ROOT: 'city/#' })).toEqual([expect.stringMatching(/^MQTT_TOPIC_ROOT: must not contain wildcards.*'city\/#'/)])
  })

  it('with every problem reported together rather than the first only', () => {
    const problems = problemsFor({ PORT: 'abc', SIMULATE: 'maybe', LOG_LEVEL: 'loud' })
    expect(problems.map((p) => p.split(':')[0])).toEqual(['PORT', 'SIMULATE', 'LOG_LEVEL'])
  })

  it('with a ConfigError whose message lists every problem', () => {
    expect(() => loadConfig({ PORT: 'abc', LOG_FORMAT: 'xml' })).toThrow(/invalid configuration:\n {2}PORT: .*\n {2}LOG_FORMAT: /)
  })
})

describe('loadConfig reads text', () => {
  it('trims the value of a variable', () => {
    expect(loadConfig({ PORT: ' 8080 ', HOST: ' 127.0.0.1\t' })).toMatchObject({ port: 8080, host: '127.0.0.1' })
  })

  it.each(['1.0', '1e3', '0x10', '99999999999999999999999'])('refuses a PORT of %j, once, showing it as written', (raw) => {
    expect(problemsFor({ PORT: raw })).toEqual([`PORT: expected an integer 0–65535, got '${raw}'`])
  })

  it.each([
    ['true', true],
    ['YES', true],
    ['On', true],
    ['false', false],
    ['No', false],
    ['OFF', false],
  ])('reads the flag %j as %s', (raw, value) => {
    expect(loadConfig({ SEED_DEMO: raw }).seedDemo).toBe(value)
  })

  it("refuses a flag outside 1/0, true/false, yes/no, on/off (even 'y')", () => {
    expect(problemsFor({ SEED_DEMO: 'y' })).toEqual(["SEED_DEMO: expected 1 or 0, got 'y'"])
  })

  it('reads a number as JavaScript does, and refuses Infinity', () => {
    expect(loadConfig({ SIM_RATE: '.5', SIM_MALFORMED_RATIO: '1e-3' }).sim).toMatchObject({ rate: 0.5, malformedRatio: 0.001 })
    expect(problemsFor({ SIM_RATE: 'Infinity' })).toEqual(["SIM_RATE: expected a number 0.01–100000, got 'Infinity'"])
  })

  it('accepts 0 for a duration that can be off, and says so when it cannot', () => {
    expect(loadConfig({ INGEST_MAX_FUTURE: '0' }).ingest.maxFutureMs).toBe(0)
    expect(problemsFor({ INGEST_MAX_FUTURE: 'soon' })).toEqual(["INGEST_MAX_FUTURE: expected a duration like 500ms, 30s, 5m, 12h or 7d (0 = off), got 'soon'"])
    expect(problemsFor({ AGG_REFRESH_INTERVAL: '0s' })).toEqual(["AGG_REFRESH_INTERVAL: expected a duration like 500ms, 30s, 5m, 12h or 7d, got '0s'"])
  })

  it('keeps raw readings for good with RETENTION_RAW=0, whatever COMPRESS_AFTER and INGEST_MAX_AGE are', () => {
    expect(loadConfig({ RETENTION_RAW: '0', COMPRESS_AFTER: '30d', INGEST_MAX_AGE: '14d' }).storage.retentionRawMs).toBe(0)
  })

  it('takes LOG_LEVEL as written, in lower case', () => {
    expect(problemsFor({ LOG_LEVEL: 'DEBUG' })).toEqual(["LOG_LEVEL: expected one of debug, info, warn, error, got 'DEBUG'"])
  })

  it('lets MQTT_VERSION=5 and INGEST_SHARED=0 be set explicitly where they are allowed', () => {
    expect(loadConfig({ ...EXTERNAL, MQTT_VERSION: '5' }).mqttVersion).toBe(5)
    expect(loadConfig({ INGEST_SHARED: '0' }).ingest.shared).toBe(false)
  })

  it('shows only the protocol of a URL it refuses, not the password after it', () => {
    const problems = problemsFor({ DATABASE_URL: 'mysql://ioc:s3cret@db.example/ioc' })
    expect(problems).toEqual(["DATABASE_URL: expected a postgres:// or postgresql:// URL, got 'mysql://…'"])
  })
})

describe('loadConfig rules between variables', () => {
  it('are checked alongside bad values of every kind, so every problem is reported at once', () => {
    const problems = problemsFor({
      PORT: 'abc',
      SIMULATE: 'maybe',
      SIM_RATE: 'fast',
      INGEST_MAX_FUTURE: 'soon',
      MQTT_TOPIC_ROOT: 'city/#',
      MAP_STYLE_URL: 'ftp://x',
      LOG_LEVEL: 'loud',
      MQTT_VERSION: '5',
      INGEST_SHARED: '1',
      RETENTION_RAW: '1d',
    })
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      // each variable's own problem, in the order of CONFIG_VARIABLES, then the rules between variables
      'PORT',
      'MQTT_TOPIC_ROOT',
      'MAP_STYLE_URL',
      'SIMULATE',
      'SIM_RATE',
      'INGEST_MAX_FUTURE',
      'LOG_LEVEL',
      'MQTT_VERSION',
      'INGEST_SHARED',
      'RETENTION_RAW',
      'COMPRESS_AFTER',
    ])
  })

  it('are not reported over a variable they read that is bad on its own', () => {
    // not also "STATUS_OFFLINE_FACTOR must be greater than 20, got 10": nobody set 10
    expect(problemsFor({ STATUS_STALE_FACTOR: '20', STATUS_OFFLINE_FACTOR: '0' })).toEqual(["STATUS_OFFLINE_FACTOR: expected a number 1–10000, got '0'"])
    // a mistyped broker URL does not make MQTT_VERSION=5 a request for the embedded broker
    expect(problemsFor({ MQTT_URL: 'broker:1883', MQTT_VERSION: '5' })).toEqual([expect.stringMatching(/^MQTT_URL: /)])
  })

  it('are each reported, also when one variable breaks two of them', () => {
    expect(problemsFor({ RETENTION_RAW: '1d' })).toEqual([
      expect.stringMatching(/^RETENTION_RAW: must be at least INGEST_MAX_AGE \(7 d\)/),
      'COMPRESS_AFTER: must be shorter than RETENTION_RAW (or 0)',
    ])
  })
})

describe('loadConfig result', () => {
  it('is frozen all the way down', () => {
    const frozen: string[] = []
    const thawed: string[] = []
    const visit = (o: object, path: string) => {
      ;(Object.isFrozen(o) ? frozen : thawed).push(path)
      for (const [k, v] of Object.entries(o)) if (v && typeof v === 'object') visit(v, `${path}.${k}`)
    }
    visit(loadConfig({}), 'config')
    expect(thawed).toEqual([])
    expect(frozen).toEqual(expect.arrayContaining(['config', 'config.ingest', 'config.storage', 'config.sim', 'config.log']))
  })

  it('throws on assignment to a nested setting', () => {
    const config = loadConfig({}) as Config
    expect(() => {
      config.ingest.batchMaxRows = 1
    }).toThrow(TypeError)
  })
})

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['12h', 43_200_000],
    ['7d', 7 * DAY],
    ['1.5h', 5_400_000],
    ['0', 0],
    ['0s', 0],
  ])('reads %s as %i ms', (raw, ms) => {
    expect(parseDuration(raw)).toBe(ms)
  })

  it.each(['7 weeks', '1w', '10', '-5m', '5 m', 'm', ''])('refuses %j', (raw) => {
    expect(parseDuration(raw)).toBeNull()
  })
})

/**
 * Each documented variable, a valid value other than its default, and where that value must show up.
 * A variable that is declared but never read, or read and then ignored, fails here.
 */
/** Single sign-on needs all its variables; each SETTINGS entry below leaves out the one it sets. */
const OIDC = { OIDC_CLIENT_ID: 'ioc', OIDC_CLIENT_SECRET: 's3cret', OIDC_REDIRECT_URL: 'https://ioc.example/auth/oidc/callback', OIDC_ROLE_MAP: 'ioc-admins=admin' }
const OIDC_FULL = { ...OIDC, OIDC_ISSUER: 'https://sso.example' }

const SETTINGS: Record<string, { base?: Env; value: string; pick: (c: Readonly<Config>) => unknown; expected: unknown }> = {
  PORT: { value: '8080', pick: (c) => c.port, expected: 8080 },
  HOST: { value: '127.0.0.1', pick: (c) => c.host, expected: '127.0.0.1' },
  MQTT_URL: { value: 'mqtts://broker.example:8883', pick: (c) => c.mqttUrl, expected: 'mqtts://broker.example:8883' },
  MQTT_PORT: { value: '1884', pick: (c) => c.mqttPort, expected: 1884 },
  MQTT_VERSION: { base: EXTERNAL, value: '4', pick: (c) => c.mqttVersion, expected: 4 },
  MQTT_TOPIC_ROOT: { value: 'tenant-b/v2', pick: (c) => c.topicRoot, expected: 'tenant-b/v2' },
  DATABASE_URL: { value: 'postgresql://db.example/ioc', pick: (c) => c.databaseUrl, expected: 'postgresql://db.example/ioc' },
  DATA_DIR: { value: '/var/lib/ioc', pick: (c) => c.dataDir, expected: '/var/lib/ioc' },
  DASHBOARDS_DIR: { value: 'walls', pick: (c) => c.dashboardsDir, expected: resolve('walls') },
  MAP_STYLE_URL: { value: 'https://tiles.example.vn/style.json', pick: (c) => c.mapStyleUrl, expected: 'https://tiles.example.vn/style.json' },
  SIMULATE: { value: '0', pick: (c) => c.simulate, expected: false },
  SIM_RATE: { value: '50', pick: (c) => c.sim.rate, expected: 50 },
  SIM_MALFORMED_RATIO: { value: '0.1', pick: (c) => c.sim.malformedRatio, expected: 0.1 },
  SIM_BACKFILL_HOURS: { value: '0', pick: (c) => c.sim.backfillHours, expected: 0 },
  SIM_SEED: { value: '42', pick: (c) => c.sim.seed, expected: 42 },
  SIM_DOSSIERS_PER_DAY: { value: '0', pick: (c) => c.sim.dossiersPerDay, expected: 0 },
  SIM_REPORTS_PER_DAY: { value: '0', pick: (c) => c.sim.reportsPerDay, expected: 0 },
  SIM_DOSSIER_HISTORY_DAYS: { value: '30', pick: (c) => c.sim.dossierHistoryDays, expected: 30 },
  SEED_DEMO: { value: 'no', pick: (c) => c.seedDemo, expected: false },
  INGEST_BATCH_MAX_ROWS: { value: '100', pick: (c) => c.ingest.batchMaxRows, expected: 100 },
  INGEST_BATCH_MAX_WAIT_MS: { value: '200', pick: (c) => c.ingest.batchMaxWaitMs, expected: 200 },
  INGEST_MAX_PAYLOAD_BYTES: { value: '1024', pick: (c) => c.ingest.maxPayloadBytes, expected: 1024 },
  INGEST_MAX_AGE: { value: '2d', pick: (c) => c.ingest.maxAgeMs, expected: 2 * DAY },
  INGEST_MAX_FUTURE: { value: '1m', pick: (c) => c.ingest.maxFutureMs, expected: 60_000 },
  INGEST_CLIENT_ID: { value: 'ingest-worker-7', pick: (c) => c.ingest.clientId, expected: 'ingest-worker-7' },
  INGEST_RECEIVE_MAXIMUM: { value: '100', pick: (c) => c.ingest.receiveMaximum, expected: 100 },
  INGEST_SHARED: { base: EXTERNAL, value: '1', pick: (c) => c.ingest.shared, expected: true },
  INGEST_HTTP_PORT: { value: '9000', pick: (c) => c.ingest.httpPort, expected: 9000 },
  RETENTION_RAW: { value: '30d', pick: (c) => c.storage.retentionRawMs, expected: 30 * DAY },
  RETENTION_5M: { value: '100d', pick: (c) => c.storage.retention5mMs, expected: 100 * DAY },
  RETENTION_1H: { value: '365d', pick: (c) => c.storage.retention1hMs, expected: 365 * DAY },
  COMPRESS_AFTER: { value: '1d', pick: (c) => c.storage.compressAfterMs, expected: DAY },
  AGG_REFRESH_INTERVAL: { value: '1m', pick: (c) => c.storage.refreshIntervalMs, expected: 60_000 },
  LIVE_COALESCE_MS: { value: '250', pick: (c) => c.live.coalesceMs, expected: 250 },
  STATUS_STALE_FACTOR: { value: '3', pick: (c) => c.status.staleAfter, expected: 3 },
  STATUS_OFFLINE_FACTOR: { value: '20', pick: (c) => c.status.offlineAfter, expected: 20 },
  LOG_LEVEL: { value: 'debug', pick: (c) => c.log.level, expected: 'debug' },
  LOG_FORMAT: { value: 'json', pick: (c) => c.log.format, expected: 'json' },
  MQTT_HOST: { value: '0.0.0.0', pick: (c) => c.broker.host, expected: '0.0.0.0' },
  MQTT_PASSWORD_FILE: { value: '/etc/ioc/passwd', pick: (c) => c.broker.passwordFile, expected: '/etc/ioc/passwd' },
  MQTT_ACL_FILE: { value: 'acl', pick: (c) => c.broker.aclFile, expected: resolve('acl') },
  ADMIN_PASSWORD: { value: 'first-admin-pass', pick: (c) => c.auth.adminPassword, expected: 'first-admin-pass' },
  SESSION_TTL: { value: '8h', pick: (c) => c.auth.sessionTtlMs, expected: 8 * 3_600_000 },
  SESSION_IDLE: { value: '30m', pick: (c) => c.auth.sessionIdleMs, expected: 30 * 60_000 },
  LOGIN_MAX_FAILURES: { value: '3', pick: (c) => c.auth.loginMaxFailures, expected: 3 },
  LOGIN_LOCKOUT: { value: '1h', pick: (c) => c.auth.lockoutMs, expected: 3_600_000 },
  ALLOWED_ORIGINS: { value: 'https://a.example, http://b.example:8080', pick: (c) => c.auth.allowedOrigins, expected: ['https://a.example', 'http://b.example:8080'] },
  METRICS_TOKEN: { value: 'a-scrape-token-123', pick: (c) => c.auth.metricsToken, expected: 'a-scrape-token-123' },
  TRUST_PROXY: { value: '1', pick: (c) => c.auth.trustProxy, expected: 1 },
  OIDC_ISSUER: { base: OIDC, value: 'https://sso.example/realms/qn', pick: (c) => c.auth.oidc?.issuer, expected: 'https://sso.example/realms/qn' },
  OIDC_CLIENT_ID: { base: { ...OIDC_FULL, OIDC_CLIENT_ID: 'another-client' }, value: 'ioc', pick: (c) => c.auth.oidc?.clientId, expected: 'ioc' },
  OIDC_CLIENT_SECRET: { base: { ...OIDC_FULL, OIDC_CLIENT_SECRET: 'old-secret' }, value: 's3cret', pick: (c) => c.auth.oidc?.clientSecret, expected: 's3cret' },
  OIDC_REDIRECT_URL: { base: OIDC_FULL, value: 'https://ioc.example/auth/oidc/callback?x=1', pick: (c) => c.auth.oidc?.redirectUrl, expected: 'https://ioc.example/auth/oidc/callback?x=1' },
  OIDC_ROLE_CLAIM: { base: OIDC_FULL, value: 'roles', pick: (c) => c.auth.oidc?.roleClaim, expected: 'roles' },
  OIDC_ROLE_MAP: { base: OIDC_FULL, value: 'a=admin,b=leader', pick: (c) => c.auth.oidc?.roleMap, expected: { a: 'admin', b: 'leader' } },
  DOSSIER_MAX_AGE: { value: '90d', pick: (c) => c.dossiers.maxAgeMs, expected: 90 * DAY },
  DOSSIER_WORKING_DAYS: { value: '1,2,3,4,5,6', pick: (c) => c.dossiers.hours.weekdays, expected: [1, 2, 3, 4, 5, 6] },
  DOSSIER_WORKING_HOURS: { value: '08:00-12:00,13:30-17:30', pick: (c) => c.dossiers.hours.periods, expected: [[480, 720], [810, 1050]] },
  // half a working day of the default hours: 4 h
  DOSSIER_DUE_SOON: { value: '0.5', pick: (c) => c.dossiers.dueSoonMs, expected: 4 * 3_600_000 },
  DOSSIER_RANKING_MIN: { value: '50', pick: (c) => c.dossiers.rankingMin, expected: 50 },
  DOSSIER_766_SCALES: { value: '3.3=8:0.6', pick: (c) => c.dossiers.scales['3.3'], expected: { max: 8, target: 0.6 } },
  REPORT_SLA: { value: 'normal=8h/10d,power=4h/2h', pick: (c) => [c.reports.sla.levels.normal, c.reports.sla.categories.power], expected: [{ acceptHours: 8, resolveHours: 80 }, { acceptHours: 4, resolveHours: 2 }] },
  REPORT_DUPLICATE_METERS: { value: '100', pick: (c) => c.reports.duplicates.meters, expected: 100 },
  REPORT_DUPLICATE_DAYS: { value: '3', pick: (c) => c.reports.duplicates.withinMs, expected: 3 * 86_400_000 },
  REPORT_PHOTO_S3: { value: 'http://AK:SK@127.0.0.1:9000/photos', pick: (c) => c.reports.photos, expected: { kind: 's3', endpoint: 'http://127.0.0.1:9000', bucket: 'photos', region: 'us-east-1', accessKeyId: 'AK', secretAccessKey: 'SK' } },
  OPEN311_RATE_LIMIT: { value: '120', pick: (c) => c.reports.open311PerMinute, expected: 120 },
  OPEN311_API_KEYS: { value: 'citizen-app:0123456789abcdef0123', pick: (c) => c.reports.open311Keys, expected: [{ name: 'citizen-app', key: '0123456789abcdef0123' }] },
}

/** An invalid value per variable; the free-text ones (HOST, DATA_DIR, DASHBOARDS_DIR, INGEST_CLIENT_ID) accept anything. */
const INVALID: Record<string, string> = {
  PORT: '-1',
  MQTT_URL: 'broker:1883',
  MQTT_PORT: '1883.5',
  MQTT_VERSION: '3',
  MQTT_TOPIC_ROOT: '$SYS/ioc',
  DATABASE_URL: 'sqlite://ioc.db',
  MAP_STYLE_URL: 'file:///srv/style.json',
  SIMULATE: 'sometimes',
  SIM_RATE: '0',
  SIM_MALFORMED_RATIO: '1.5',
  SIM_BACKFILL_HOURS: '1000',
  SIM_SEED: '-1',
  SIM_DOSSIERS_PER_DAY: '1.5',
  SIM_REPORTS_PER_DAY: '-3',
  SIM_DOSSIER_HISTORY_DAYS: '-7',
  SEED_DEMO: 'please',
  INGEST_BATCH_MAX_ROWS: '0',
  INGEST_BATCH_MAX_WAIT_MS: 'fast',
  INGEST_MAX_PAYLOAD_BYTES: '10',
  INGEST_MAX_AGE: '0',
  INGEST_MAX_FUTURE: '5 minutes',
  INGEST_RECEIVE_MAXIMUM: '70000',
  INGEST_SHARED: 'maybe',
  INGEST_HTTP_PORT: '65536',
  RETENTION_RAW: '90 days',
  RETENTION_5M: 'forever',
  RETENTION_1H: '-1h',
  COMPRESS_AFTER: 'weekly',
  AGG_REFRESH_INTERVAL: '0',
  LIVE_COALESCE_MS: '5',
  STATUS_STALE_FACTOR: 'two',
  STATUS_OFFLINE_FACTOR: '0',
  LOG_LEVEL: 'verbose',
  LOG_FORMAT: 'xml',
  ADMIN_PASSWORD: 'short',
  SESSION_TTL: '0',
  SESSION_IDLE: 'a while',
  LOGIN_MAX_FAILURES: '0',
  LOGIN_LOCKOUT: 'never',
  ALLOWED_ORIGINS: 'portal.example',
  METRICS_TOKEN: 'short',
  TRUST_PROXY: 'yes',
  OIDC_ISSUER: 'sso.example',
  OIDC_REDIRECT_URL: 'ftp://x',
  OIDC_ROLE_MAP: 'ioc-admins=root',
  DOSSIER_MAX_AGE: '0',
  DOSSIER_WORKING_DAYS: 'Mon-Fri',
  DOSSIER_WORKING_HOURS: '13:00-11:30',
  DOSSIER_DUE_SOON: '-1',
  DOSSIER_RANKING_MIN: '0',
  DOSSIER_766_SCALES: '9.9=5',
  REPORT_SLA: 'urgent=4x/8h',
  REPORT_DUPLICATE_METERS: '0',
  REPORT_DUPLICATE_DAYS: 'a week',
  OPEN311_API_KEYS: 'app:short',
  OPEN311_RATE_LIMIT: '-5',
  REPORT_PHOTO_S3: 'ftp://bucket',
}
const FREE_TEXT = ['HOST', 'MQTT_HOST', 'DATA_DIR', 'DASHBOARDS_DIR', 'INGEST_CLIENT_ID', 'MQTT_PASSWORD_FILE', 'MQTT_ACL_FILE', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_ROLE_CLAIM']

describe('CONFIG_VARIABLES', () => {
  it('lists exactly the variables exercised below', () => {
    expect(Object.keys(SETTINGS).sort()).toEqual(Object.keys(CONFIG_VARIABLES).sort())
    expect([...Object.keys(INVALID), ...FREE_TEXT].sort()).toEqual(Object.keys(CONFIG_VARIABLES).sort())
  })

  it.each(Object.entries(SETTINGS))('%s changes the configuration', (name, s) => {
    const without = loadConfig({ ...s.base })
    const withIt = loadConfig({ ...s.base, [name]: s.value })
    expect(s.pick(withIt)).toEqual(s.expected)
    expect(s.pick(without)).not.toEqual(s.expected)
  })

  // Defaults that depend on other variables or the host, or are unset, are covered under 'loadConfig defaults'.
  const CONDITIONAL = ['MQTT_URL', 'DATABASE_URL', 'MAP_STYLE_URL', 'MQTT_VERSION', 'SIMULATE', 'INGEST_CLIENT_ID', 'MQTT_PASSWORD_FILE', 'MQTT_ACL_FILE', 'ADMIN_PASSWORD', 'ALLOWED_ORIGINS', 'METRICS_TOKEN', 'OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL', 'OIDC_ROLE_MAP', 'DOSSIER_766_SCALES', 'REPORT_SLA', 'OPEN311_API_KEYS', 'REPORT_PHOTO_S3']

  it.each(Object.entries(CONFIG_VARIABLES).filter(([name]) => !CONDITIONAL.includes(name)))(
    '%s defaults to the value it documents',
    (name, doc) => {
      const pick = SETTINGS[name]!.pick
      expect(pick(loadConfig({}))).toEqual(pick(loadConfig({ [name]: doc.default })))
    },
  )

  it.each(Object.entries(INVALID))('%s is validated: %j is reported under its name', (name, value) => {
    // a list variable names the entry at fault: ALLOWED_ORIGINS[0]: …
    expect(problemsFor({ [name]: value })).toContainEqual(expect.stringMatching(new RegExp(`^${name}(\\[\\d+\\])?: `)))
  })
})
