// The server: Express 5 for REST, health and metrics, Socket.IO for live state, and an MQTT subscription to
// what ingest publishes under {root}/live/… (committed data and heartbeats), so any number of server
// instances stay live beside any number of ingest workers. Everything domain-specific comes from the
// registered domains (server/domains.ts): this file runs them all the same way. State is loaded from the
// database at start and re-read periodically, so a missed live frame or a restart costs at most one resync
// interval of drift.
import { existsSync } from 'node:fs'
import { createServer, type Server as HttpServer } from 'node:http'
import { hostname } from 'node:os'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import express, { Router, type Express, type RequestHandler } from 'express'
import type { MqttClient } from 'mqtt'
import { Server } from 'socket.io'
import { topicMap, type IngestLimits, type Permission, type StatusThresholds } from '../contract/index.ts'
import { loadConfig, type Config, type DossierConfig, type ReportConfig } from '../core/config.ts'
import { createLogger } from '../core/log.ts'
import { metrics } from '../core/metrics.ts'
import { connectMqtt } from '../core/mqtt.ts'
import type { Database } from '../db/database.ts'
import { accountsRepository } from './accounts/repository.ts'
import { oidcRoutes } from './accounts/oidc.ts'
import { accountRoutes, kioskLink } from './accounts/routes.ts'
import { AccountService } from './accounts/service.ts'
import { serverDomains } from './domains.ts'
import { allows, authenticate, csrfProtection } from './shared/auth.ts'
import { DashboardStore } from './shared/dashboards.ts'
import { deadLetterRoutes } from './shared/dead-letters.ts'
import { HealthMonitor } from './shared/health.ts'
import { declared, sendError } from './shared/http.ts'
import { errorHandler, notFound, rejectMalformedUrl } from './shared/http-errors.ts'
import { LiveConsumer } from './shared/live-consumer.ts'
import { LiveHub, type IoServer } from './shared/live-hub.ts'
import { opsRoutes } from './shared/ops.ts'
import { ReferenceSync } from './shared/reference-sync.ts'
import { guardSockets } from './shared/socket-auth.ts'
import { apiCors, apiRateLimit, jsonBodies, metricsGuard, originAllowed, securityHeaders } from './shared/web-security.ts'
import { UnitTree } from './shared/units.ts'
import { wallRoutes } from './shared/wall.ts'

const log = createLogger('server')

export interface ServerOptions {
  db: Database
  mqttUrl: string
  mqttVersion: 4 | 5
  topicRoot: string
  port: number
  host: string
  coalesceMs: number
  thresholds: StatusThresholds
  /** Ingest's time window: live frames outside it are refused like any other bad input. */
  limits: Pick<IngestLimits, 'maxAgeMs' | 'maxFutureMs'>
  /** Directory of the static client served at /. */
  clientDir: string | null
  /** Folder of the wall's dashboard files, watched for changes (DASHBOARDS_DIR); null serves the built-in dashboard. */
  dashboardsDir: string | null
  /** MapLibre style of the wall map's basemap (MAP_STYLE_URL); null: unit boundaries only. */
  mapStyleUrl: string | null
  now?: () => number
  /** How often live state is re-read from the database. */
  resyncMs?: number
  /** Sessions, sign-in lockout, allowed origins, /metrics token, proxies (Config.auth). */
  auth: Config['auth']
  /** API requests per caller per minute (default 1200). */
  apiRateLimit?: number
  /** The working-day calendar's hours, due-soon window, ranking minimum and 766 scales (Config.dossiers). */
  dossiers?: DossierConfig
  /** Citizen reports: SLAs, duplicate distances, Open311 keys (Config.reports). */
  reports?: ReportConfig
}

export type Domains = ReturnType<typeof serverDomains>

export interface RunningServer {
  url: string
  port: number
  http: HttpServer
  /** The Express app (tests enumerate its routes). */
  app: Express
  io: IoServer
  mqtt: MqttClient
  /** Resolves once the subscription to ingest's live frames is acknowledged. */
  liveReady: Promise<void>
  domains: Domains
  health: HealthMonitor
  accounts: AccountService
  /** Re-reads reference data and live state from the database. */
  resync(): Promise<void>
  stop(): Promise<void>
}

const TICK_MS = 1000
/** The defaults, for servers started without a configuration (tests, tools). */
const DEFAULT_CONFIG = loadConfig({})
const REFERENCE_RELOAD_MS = 60_000

/** The options every entry point derives from the configuration. */
export function serverOptions(config: Readonly<Config>, db: Database, mqttUrl: string, clientDir: string | null): ServerOptions {
  return {
    db,
    mqttUrl,
    mqttVersion: config.mqttVersion,
    topicRoot: config.topicRoot,
    port: config.port,
    host: config.host,
    coalesceMs: config.live.coalesceMs,
    thresholds: config.status,
    limits: { maxAgeMs: config.ingest.maxAgeMs, maxFutureMs: config.ingest.maxFutureMs },
    clientDir,
    dashboardsDir: config.dashboardsDir,
    mapStyleUrl: config.mapStyleUrl,
    auth: config.auth,
    dossiers: config.dossiers,
    reports: config.reports,
  }
}

/** The built wall served at / (client/ built by bin/build-client.ts; `npm start` builds it when stale). */
export const CLIENT_DIR = fileURLToPath(new URL('../client/dist', import.meta.url))

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const now = o.now ?? Date.now
  const topics = topicMap(o.topicRoot)
  const units = new UnitTree(o.db)
  const accounts = new AccountService(o.db, accountsRepository(o.db), { ...o.auth, now })
  let mqtt!: MqttClient
  const dossierConfig = o.dossiers ?? DEFAULT_CONFIG.dossiers
  const domains = serverDomains(
    {
      db: o.db,
      now,
      thresholds: o.thresholds,
      limits: o.limits,
      units: () => units.all,
      workingHours: dossierConfig.hours,
      // QoS 1: a console on another server must not miss a forwarded report for a dropped packet
      publishLive: (segment, frame) => void mqtt.publishAsync(`${topics.root}/live/${segment}`, JSON.stringify(frame), { qos: 1 }).catch((err: unknown) => log.warn(`publishing a live ${segment} frame failed`, { error: err })),
      authenticator: accounts,
    },
    dossierConfig,
    o.reports ?? DEFAULT_CONFIG.reports,
  )
  const reference = new ReferenceSync(units, domains)
  const resync = () => reference.resync()

  const started = performance.now()
  await resync()
  log.info(`live state loaded in ${Math.round(performance.now() - started)} ms`, Object.fromEntries(domains.map((d) => [d.name, d.summaries().length])))

  const health = new HealthMonitor({ db: o.db, brokerConnected: () => mqtt?.connected ?? false, now, startedAt: now() })
  // until a commit is seen, "data as of" is the newest observation stored
  const newestStored = Math.max(-Infinity, ...domains.map((d) => d.newestSeen() ?? -Infinity))
  if (Number.isFinite(newestStored)) health.noteData(Math.min(newestStored, now()))

  const app = express()
  const http = createServer(app)
  const io: IoServer = new Server(http, {
    serveClient: false,
    pingInterval: 10_000,
    pingTimeout: 8_000,
    // the same origin rule as the API: the IOC's own pages and ALLOWED_ORIGINS (a page elsewhere gets nothing)
    allowRequest: (req, cb) => cb(null, !req.headers.origin || originAllowed(req.headers.origin, req, o.auth.allowedOrigins)),
    cors: { origin: [...o.auth.allowedOrigins], credentials: true },
  })
  const guard = guardSockets(io, accounts)
  const hub = new LiveHub(io, domains, health, o.coalesceMs, now)
  // every wall gets the whole definition again when a dashboard file changes: a handful of small objects
  const dashboards = new DashboardStore({ dir: o.dashboardsDir, mapStyleUrl: o.mapStyleUrl, now, onChange: (wall) => io.emit('wall:changed', wall) })
  await dashboards.start()
  routeHttp(app, o, health, accounts, (api) => {
    accountRoutes(api, accounts)
    // single sign-on: /auth/oidc/start and /callback on the app (404 unless OIDC_ISSUER is set), /api/auth/options
    oidcRoutes(app, api, accounts, o.auth.oidc, { now })
    units.routes(api)
    wallRoutes(api, dashboards, domains, now)
    deadLetterRoutes(api, o.db)
    for (const d of domains) d.routes(api)
    for (const d of domains) d.appRoutes?.(app)
  })

  const live = new LiveConsumer(topics, domains, hub, health)
  let liveSubscribed!: () => void
  const liveReady = new Promise<void>((resolve) => (liveSubscribed = resolve))
  mqtt = connectMqtt({
    url: o.mqttUrl,
    clientId: `ioc-server-${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`,
    protocolVersion: o.mqttVersion,
    setup(c) {
      c.on('message', (topic, payload) => live.consume(topic, payload))
      let connectedBefore = false
      c.on('connect', () => {
        metrics.brokerUp.set({ client: 'server' }, 1)
        c.subscribe(topics.liveFilter, { qos: 0 }, (err) => {
          if (err) log.error('subscribing to live frames failed', { error: err })
          else liveSubscribed()
        })
        if (!connectedBefore) {
          connectedBefore = true
          return
        }
        // frames published while we were away are gone: catch up from the database
        void resync().then(
          () => hub.markAll(),
          (err) => log.warn('resync after reconnect failed', { error: err }),
        )
      })
      c.on('close', () => metrics.brokerUp.set({ client: 'server' }, 0))
    },
  })

  const timers = [
    // statuses move with the clock (online → stale → offline) even when no data arrives
    setInterval(() => {
      const t = now()
      for (const d of domains) hub.mark(d, d.tick(t))
    }, TICK_MS),
    setInterval(() => {
      reference.reload().then(
        // names, places or the set of items changed: clients take a fresh snapshot
        (changed) => changed && io.emit('reference:changed', { at: new Date(now()).toISOString() }),
        (err) => log.warn('reference reload failed', { error: err }),
      )
    }, REFERENCE_RELOAD_MS),
    setInterval(() => void resync().catch((err) => log.warn('resync failed', { error: err })), o.resyncMs ?? 5 * 60_000),
  ]
  health.start()
  void health.check().catch(() => {})

  await new Promise<void>((resolve, reject) => {
    http.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`PORT ${o.port} is already in use; set PORT to a free port`) : err),
    )
    http.listen(o.port, o.host, resolve)
  })
  const port = (http.address() as AddressInfo).port
  return {
    url: `http://${o.host === '0.0.0.0' ? 'localhost' : o.host}:${port}`,
    port,
    http,
    app,
    io,
    mqtt,
    liveReady,
    domains,
    health,
    accounts,
    resync,
    async stop() {
      health.stop()
      guard.stop()
      await dashboards.close()
      for (const t of timers) clearInterval(t)
      hub.close()
      // a request waiting on a stalled database (a console, the demo's report desk) would hold the close
      // forever: idle keep-alive connections go at once, busy ones after a short grace (a healthy request
      // takes milliseconds; the whole stop must fit in the 10 s a supervisor gives)
      http.closeIdleConnections()
      const grace = setTimeout(() => http.closeAllConnections(), 250)
      await new Promise<void>((resolve) => io.close(() => resolve()))
      clearTimeout(grace)
      await mqtt.endAsync(true)
    },
  }
}

/**
 * The HTTP surface, in the order a request meets it: security headers, malformed URLs refused, request
 * metrics, who is asking (session cookie or API key), the origin and CSRF checks on writes, /healthz (public)
 * and /metrics (token or localhost), kiosk links, the pages, the /api router (`mount` registers the routes,
 * each checking the access it declares; an unknown API route is a JSON 404), the bundles, the error handlers.
 */
function routeHttp(app: Express, o: ServerOptions, health: HealthMonitor, accounts: AccountService, mount: (api: Router) => void): void {
  const web = { allowedOrigins: o.auth.allowedOrigins, mapStyleUrl: o.mapStyleUrl, metricsToken: o.auth.metricsToken }
  app.disable('x-powered-by')
  app.set('etag', 'weak')
  app.set('trust proxy', o.auth.trustProxy)
  app.use(securityHeaders(web))
  app.use(rejectMalformedUrl)
  app.use((req, res, next) => {
    res.on('finish', () => metrics.httpRequests.inc({ route: req.route?.path ? `${req.baseUrl}${req.route.path}` : 'other', status: res.statusCode }))
    next()
  })
  // before anything asks the database who is calling: /healthz must answer when the database does not
  opsRoutes(app, health, metricsGuard(o.auth.metricsToken))
  app.use('/api', apiCors(web))
  app.use(authenticate(accounts))
  app.use(csrfProtection((origin, req) => originAllowed(origin, req, o.auth.allowedOrigins)))
  app.get('/k/:token', ...declared('public', kioskLink(accounts)))
  if (o.clientDir) pageRoutes(app, o.clientDir)
  const api = Router()
  api.use(apiRateLimit(o.apiRateLimit), jsonBodies)
  mount(api)
  api.use((req, res) => sendError(res, 404, { code: 'not_found', message: `no API route ${req.method} ${req.baseUrl}${req.path}` }))
  app.use('/api', api)
  if (o.clientDir) {
    if (!existsSync(join(o.clientDir, 'index.html'))) log.warn(`no built wall in ${o.clientDir}: run \`npm run build\` (npm start builds it)`)
    // bundles carry their content hash in the name and never change; they hold no data, so need no session
    app.use('/assets', express.static(join(o.clientDir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }))
  }
  app.use(notFound)
  app.use(errorHandler)
}

/**
 * The pages: the wall at / (a session or kiosk link with live:read; otherwise the sign-in page), the sign-in
 * page, the admin page (for admins), the leaders' performance page (dossiers:read) and the citizen-report
 * consoles (reports:read: the dispatcher's queue or the agency's inbox, one page). Pages are revalidated
 * at every load, so a new build is picked up. Sent to sign in, a page comes back with its query string (the
 * leader page keeps its view there).
 */
function pageRoutes(app: Express, clientDir: string): void {
  const send = (file: string): RequestHandler => (_req, res) => res.sendFile(join(clientDir, file), { headers: { 'Cache-Control': 'no-cache' } })
  const gated = (file: string, ...access: Permission[]): RequestHandler => (req, res, next) => {
    if (access.some((a) => allows(req.principal, a))) return send(file)(req, res, next)
    // signed in without the permission: say so on the sign-in page rather than loop back to it
    res.redirect(303, `/login?${new URLSearchParams(req.principal ? { denied: req.path } : { next: req.originalUrl })}`)
  }
  app.get('/', ...declared('public', gated('index.html', 'live:read')))
  app.get('/login', ...declared('public', send('login.html')))
  app.get('/admin', ...declared('public', gated('admin.html', 'accounts:manage', 'audit:read', 'reference:manage')))
  app.get('/leaders', ...declared('public', gated('leaders.html', 'dossiers:read')))
  app.get('/reports', ...declared('public', gated('reports.html', 'reports:read')))
}
