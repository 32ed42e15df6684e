// The server: Express 5 for REST, health and metrics, Socket.IO for live state, and an MQTT subscription
// to the committed batches ingest publishes under {root}/live/…, so any number of server instances stay
// live beside any number of ingest workers. State is loaded from the database at start and re-read
// periodically, so a missed live frame or a restart costs at most one resync interval of drift.
import { existsSync } from 'node:fs'
import { createServer, type Server as HttpServer } from 'node:http'
import { join } from 'node:path'
import { hostname } from 'node:os'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import express, { type NextFunction, type Request, type Response } from 'express'
import type { MqttClient } from 'mqtt'
import type pg from 'pg'
import { Server } from 'socket.io'
import { topicMap, type LiveCameraBatch, type LiveEnvBatch, type StatusThresholds, type Unit } from '../contract/index.ts'
import type { Config } from '../core/config.ts'
import { createLogger, redactUrl } from '../core/log.ts'
import { metrics, registry } from '../core/metrics.ts'
import { connectMqtt } from '../core/mqtt.ts'
import { loadReference } from '../db/reference.ts'
import { DashboardStore } from './dashboards.ts'
import { LiveHub, type IoServer } from './live-hub.ts'
import { healthReport } from '../db/pool.ts'
import { loadCameraLastSeen, loadHourlySums, loadLatest, loadRecentCameraPeriods, referenceStamp } from './repository.ts'
import { apiRouter, sendError } from './routes.ts'
import { CameraStates } from './state/cameras.ts'
import { StationStates } from './state/stations.ts'

const log = createLogger('server')

export interface ServerOptions {
  pool: pg.Pool
  mqttUrl: string
  mqttVersion: 4 | 5
  topicRoot: string
  port: number
  host: string
  coalesceMs: number
  thresholds: StatusThresholds
  /** Directory of the static client served at /. */
  clientDir: string | null
  /** Folder of the wall's dashboard files, watched for changes (DASHBOARDS_DIR); null serves the built-in dashboard. */
  dashboardsDir: string | null
  /** MapLibre style of the wall map's basemap (MAP_STYLE_URL); null: unit boundaries only. */
  mapStyleUrl: string | null
  now?: () => number
  /** How often live state is re-read from the database. */
  resyncMs?: number
  /** Problems of parts running beside the server in this process (ingest in the all-in-one), for /healthz. */
  extraHealth?: () => string[]
}

export interface RunningServer {
  url: string
  port: number
  http: HttpServer
  io: IoServer
  mqtt: MqttClient
  /** Resolves once the subscription to ingest's live batches is acknowledged. */
  liveReady: Promise<void>
  stations: StationStates
  cameras: CameraStates
  /** Re-reads reference data and live state from the database. */
  resync(): Promise<void>
  stop(): Promise<void>
}

const TICK_MS = 1000
const REFERENCE_RELOAD_MS = 60_000

/** The options every entry point derives from the configuration. */
export function serverOptions(config: Readonly<Config>, pool: pg.Pool, mqttUrl: string, clientDir: string | null): ServerOptions {
  return {
    pool,
    mqttUrl,
    mqttVersion: config.mqttVersion,
    topicRoot: config.topicRoot,
    port: config.port,
    host: config.host,
    coalesceMs: config.live.coalesceMs,
    thresholds: config.status,
    clientDir,
    dashboardsDir: config.dashboardsDir,
    mapStyleUrl: config.mapStyleUrl,
  }
}

/** The built wall served at / (client/ built by bin/build-client.ts; `npm start` builds it when stale). */
export const CLIENT_DIR = fileURLToPath(new URL('../client/dist', import.meta.url))

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const now = o.now ?? Date.now
  const topics = topicMap(o.topicRoot)
  const stations = new StationStates(o.thresholds)
  const cameras = new CameraStates(o.thresholds)
  let units: Unit[] = []

  let referenceVersion = ''
  /** Re-reads units, stations and cameras when they changed (a cheap version probe first; real cities have large boundaries). */
  async function reloadReference(): Promise<{ stations: string[]; cameras: string[] }> {
    const version = await referenceStamp(o.pool)
    if (version === referenceVersion) return { stations: [], cameras: [] }
    const ref = await loadReference(o.pool)
    referenceVersion = version
    units = ref.units
    const names = new Map(ref.units.map((u) => [u.id, u.name]))
    return { stations: stations.setReference(ref.stations, names, now()), cameras: cameras.setReference(ref.cameras, names, now()) }
  }

  async function resync(): Promise<void> {
    await reloadReference()
    const t = now()
    const [latest, hourly, periods, lastSeen] = await Promise.all([loadLatest(o.pool), loadHourlySums(o.pool, t), loadRecentCameraPeriods(o.pool, t), loadCameraLastSeen(o.pool)])
    stations.load(latest, hourly, now())
    cameras.load(periods, lastSeen, now())
  }

  const started = performance.now()
  await resync()
  log.info(`live state loaded in ${Math.round(performance.now() - started)} ms`, { stations: stations.size })

  const app = express()
  app.disable('x-powered-by')
  app.set('etag', 'weak')
  const http = createServer(app)
  const io: IoServer = new Server(http, { serveClient: true, pingInterval: 10_000, pingTimeout: 8_000 })
  const hub = new LiveHub(io, stations, cameras, o.coalesceMs, now)
  // every wall gets the whole definition again when a dashboard file changes: a handful of small objects
  const dashboards = new DashboardStore({ dir: o.dashboardsDir, mapStyleUrl: o.mapStyleUrl, now, onChange: (wall) => io.emit('wall:changed', wall) })
  await dashboards.start()

  app.use((req, res, next) => {
    res.on('finish', () => metrics.httpRequests.inc({ route: req.route?.path ? `${req.baseUrl}${req.route.path}` : 'other', status: res.statusCode }))
    next()
  })

  let mqtt!: MqttClient
  let liveSubscribed!: () => void
  const liveReady = new Promise<void>((resolve) => (liveSubscribed = resolve))
  app.get('/healthz', async (_req, res) => {
    const known = [...(mqtt.connected ? [] : [`broker: not connected to ${redactUrl(o.mqttUrl)}`]), ...(o.extraHealth?.() ?? [])]
    const body = await healthReport(o.pool, mqtt.connected, known)
    metrics.databaseUp.set(body.database === 'up' ? 1 : 0)
    res.status(body.ok ? 200 : 503).json(body)
  })
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics())
  })
  app.get('/api/wall', (_req, res) => {
    res.json(dashboards.wall)
  })
  app.use('/api', apiRouter({ db: o.pool, stations, cameras, units: () => units, now }))
  if (o.clientDir) {
    if (!existsSync(join(o.clientDir, 'index.html'))) log.warn(`no built wall in ${o.clientDir}: run \`npm run build\` (npm start builds it)`)
    // bundles carry their content hash in the name and never change; index.html must be revalidated so a
    // wall picks up a new build at its next load
    app.use('/assets', express.static(join(o.clientDir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }))
    app.use(express.static(o.clientDir, { maxAge: 0 }))
  }
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    log.error('request failed', { error: err })
    if (!res.headersSent) sendError(res, 500, { code: 'internal', message: err.message })
  })

  mqtt = connectMqtt({
    url: o.mqttUrl,
    clientId: `ioc-server-${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`,
    protocolVersion: o.mqttVersion,
    setup(c) {
      c.on('message', (topic, payload) => {
        try {
          if (topic === topics.liveEnv) {
            const batch = JSON.parse(payload.toString()) as LiveEnvBatch
            metrics.liveBatchesIn.inc({ kind: 'env' })
            hub.markStations(stations.apply(batch.readings, now(), batch.committedAt))
          } else if (topic === topics.liveCamera) {
            const batch = JSON.parse(payload.toString()) as LiveCameraBatch
            metrics.liveBatchesIn.inc({ kind: 'camera' })
            hub.markCameras(cameras.apply(batch.counts, now(), batch.committedAt))
          }
        } catch (err) {
          log.warn('unreadable live batch', { topic, error: err })
        }
      })
      let connectedBefore = false
      c.on('connect', () => {
        metrics.brokerUp.set({ client: 'server' }, 1)
        c.subscribe(topics.liveFilter, { qos: 0 }, (err) => {
          if (err) log.error('subscribing to live batches failed', { error: err })
          else liveSubscribed()
        })
        if (!connectedBefore) {
          connectedBefore = true
          return
        }
        // frames published while we were away are gone: catch up from the database
        void resync().then(
          () => {
            hub.markStations(stations.summaries().map((s) => s.id))
            hub.markCameras(cameras.summaries().map((c) => c.id))
          },
          (err) => log.warn('resync after reconnect failed', { error: err }),
        )
      })
      c.on('close', () => metrics.brokerUp.set({ client: 'server' }, 0))
    },
  })

  const tick = setInterval(() => {
    const t = now()
    hub.markStations(stations.tick(t))
    hub.markCameras(cameras.tick(t))
  }, TICK_MS)
  const referenceTimer = setInterval(() => {
    reloadReference().then(
      (changed) => {
        // names, places or the set of devices changed: clients take a fresh snapshot
        if (changed.stations.length || changed.cameras.length) io.emit('reference:changed', { at: new Date(now()).toISOString() })
      },
      (err) => log.warn('reference reload failed', { error: err }),
    )
  }, REFERENCE_RELOAD_MS)
  const resyncTimer = setInterval(() => void resync().catch((err) => log.warn('resync failed', { error: err })), o.resyncMs ?? 5 * 60_000)

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
    io,
    mqtt,
    liveReady,
    stations,
    cameras,
    resync,
    async stop() {
      await dashboards.close()
      clearInterval(tick)
      clearInterval(referenceTimer)
      clearInterval(resyncTimer)
      hub.close()
      await new Promise<void>((resolve) => io.close(() => resolve()))
      await mqtt.endAsync(true)
    },
  }
}
