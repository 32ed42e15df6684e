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
import express from 'express'
import type { MqttClient } from 'mqtt'
import { Server } from 'socket.io'
import {
  parseIngestHeartbeat,
  parseLiveCameraBatch,
  parseLiveEnvBatch,
  topicMap,
  type IngestLimits,
  type StatusThresholds,
  type Unit,
} from '../contract/index.ts'
import type { Config } from '../core/config.ts'
import { createLogger, redactUrl } from '../core/log.ts'
import { metrics, registry } from '../core/metrics.ts'
import { connectMqtt } from '../core/mqtt.ts'
import type { Database } from '../db/database.ts'
import { loadReference } from '../db/reference.ts'
import { DashboardStore } from './dashboards.ts'
import { errorHandler, notFound, rejectMalformedUrl } from './http-errors.ts'
import { HealthMonitor } from './health.ts'
import { LiveHub, type IoServer } from './live-hub.ts'
import { loadCameraLastSeen, loadHourlySums, loadLatest, loadRecentCameraPeriods, referenceStamp } from './repository.ts'
import { apiRouter } from './routes.ts'
import { CameraStates } from './state/cameras.ts'
import { StationStates } from './state/stations.ts'

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
  health: HealthMonitor
  /** Re-reads reference data and live state from the database. */
  resync(): Promise<void>
  stop(): Promise<void>
}

const TICK_MS = 1000
const REFERENCE_RELOAD_MS = 60_000

let lastRefusal = 0
/** A refused live frame is logged at most every 10 s (a flood must not flood the log) and always counted. */
function refuseFrame(topic: string, kind: string, why: string): void {
  metrics.liveFramesRefused.inc({ kind })
  if (Date.now() - lastRefusal < 10_000) return
  lastRefusal = Date.now()
  log.warn(`refused a live frame on ${topic.slice(0, 120)}: ${why.slice(0, 200)}`)
}

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
    const version = await referenceStamp(o.db)
    if (version === referenceVersion) return { stations: [], cameras: [] }
    const ref = await loadReference(o.db)
    referenceVersion = version
    units = ref.units
    const names = new Map(ref.units.map((u) => [u.id, u.name]))
    return { stations: stations.setReference(ref.stations, names, now()), cameras: cameras.setReference(ref.cameras, names, now()) }
  }

  async function resync(): Promise<void> {
    await reloadReference()
    const t = now()
    const [latest, hourly, periods, lastSeen] = await Promise.all([loadLatest(o.db), loadHourlySums(o.db, t), loadRecentCameraPeriods(o.db, t), loadCameraLastSeen(o.db)])
    stations.load(latest, hourly, now())
    cameras.load(periods, lastSeen, now())
  }

  const started = performance.now()
  await resync()
  log.info(`live state loaded in ${Math.round(performance.now() - started)} ms`, { stations: stations.size })

  let mqtt!: MqttClient
  const health = new HealthMonitor({ db: o.db, brokerConnected: () => mqtt?.connected ?? false, brokerName: redactUrl(o.mqttUrl), now, startedAt: now() })
  // until a commit is seen, "data as of" is the newest reading stored
  const newestStored = Math.max(-Infinity, ...stations.summaries().map((s) => (s.lastSeen ? Date.parse(s.lastSeen) : -Infinity)), ...cameras.summaries().map((c) => (c.lastSeen ? Date.parse(c.lastSeen) : -Infinity)))
  if (Number.isFinite(newestStored)) health.noteData(Math.min(newestStored, now()))

  const app = express()
  app.disable('x-powered-by')
  app.set('etag', 'weak')
  const http = createServer(app)
  const io: IoServer = new Server(http, { serveClient: true, pingInterval: 10_000, pingTimeout: 8_000 })
  const hub = new LiveHub(io, stations, cameras, health, o.coalesceMs, now)
  // every wall gets the whole definition again when a dashboard file changes: a handful of small objects
  const dashboards = new DashboardStore({ dir: o.dashboardsDir, mapStyleUrl: o.mapStyleUrl, now, onChange: (wall) => io.emit('wall:changed', wall) })
  await dashboards.start()

  app.use(rejectMalformedUrl)
  app.use((req, res, next) => {
    res.on('finish', () => metrics.httpRequests.inc({ route: req.route?.path ? `${req.baseUrl}${req.route.path}` : 'other', status: res.statusCode }))
    next()
  })

  let liveSubscribed!: () => void
  const liveReady = new Promise<void>((resolve) => (liveSubscribed = resolve))
  app.get('/healthz', async (_req, res) => {
    const { http: body } = await health.check()
    metrics.databaseUp.set(body.database === 'up' ? 1 : 0)
    res.status(body.ok ? 200 : 503).json(body)
  })
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics())
  })
  app.get('/api/wall', (_req, res) => {
    res.json(dashboards.wall)
  })
  app.use('/api', apiRouter({ db: o.db, stations, cameras, units: () => units, now }))
  if (o.clientDir) {
    if (!existsSync(join(o.clientDir, 'index.html'))) log.warn(`no built wall in ${o.clientDir}: run \`npm run build\` (npm start builds it)`)
    // bundles carry their content hash in the name and never change; index.html must be revalidated so a
    // wall picks up a new build at its next load
    app.use('/assets', express.static(join(o.clientDir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }))
    app.use(express.static(o.clientDir, { maxAge: 0 }))
  }
  app.use(notFound)
  app.use(errorHandler)

  mqtt = connectMqtt({
    url: o.mqttUrl,
    clientId: `ioc-server-${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`,
    protocolVersion: o.mqttVersion,
    setup(c) {
      c.on('message', (topic, payload) => {
        // live frames are input like any other: checked whole, refused whole, never allowed to throw
        let kind = 'other'
        try {
          const json: unknown = JSON.parse(payload.toString())
          if (topic === topics.liveEnv) {
            kind = 'env'
            const batch = parseLiveEnvBatch(json, now(), o.limits)
            if (typeof batch === 'string') return refuseFrame(topic, kind, batch)
            metrics.liveBatchesIn.inc({ kind })
            health.noteData(batch.committedAt)
            hub.markStations(stations.apply(batch.readings, now(), batch.committedAt))
          } else if (topic === topics.liveCamera) {
            kind = 'camera'
            const batch = parseLiveCameraBatch(json, now(), o.limits)
            if (typeof batch === 'string') return refuseFrame(topic, kind, batch)
            metrics.liveBatchesIn.inc({ kind })
            health.noteData(batch.committedAt)
            hub.markCameras(cameras.apply(batch.counts, now(), batch.committedAt))
          } else if (topic === topics.liveIngest) {
            kind = 'ingest'
            const hb = parseIngestHeartbeat(json)
            if (typeof hb === 'string') return refuseFrame(topic, kind, hb)
            health.noteHeartbeat(hb)
          }
        } catch (err) {
          refuseFrame(topic, kind, (err as Error).message)
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
    io,
    mqtt,
    liveReady,
    stations,
    cameras,
    health,
    resync,
    async stop() {
      health.stop()
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
