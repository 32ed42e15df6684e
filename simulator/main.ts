// `npm run start:simulator`: publishes the simulated feed of the province's stations and cameras, and the
// dossier events of its one-stop system, to MQTT. Standalone it reads the devices and reference data from
// DATABASE_URL; forked by `npm start` it receives them from the parent (the embedded database belongs to the
// parent process). It goes live at once and fills in the background the history the database is missing:
// device-hour by device-hour (coverage.ts), and dossier day by dossier day (dossier-feed.ts).
import { DOSSIER_INPUT, WorkingCalendar, topicMap, type Camera, type ReportCategory, type Station, type Unit } from '../contract/index.ts'
import { loadConfigOrExit } from '../core/config.ts'
import { configureLogging, createLogger, redactUrl } from '../core/log.ts'
import { createLifecycle } from '../core/lifecycle.ts'
import { connectMqtt, whenConnected } from '../core/mqtt.ts'
import { openPostgres } from '../db/postgres.ts'
import { loadReference } from '../db/reference.ts'
import { hourStart } from '../contract/shared/clock.ts'
import { generateDemoProcedures } from '../db/seed/procedures.ts'
import { BACKFILL_STEP_SEC, backfillPlan, backfillSteps, findGaps, type BackfillRequest } from './coverage.ts'
import { createDossierFeed, dossierStart, type DossierStart } from './dossier-feed.ts'
import { createDossierModel } from './dossiers.ts'
import { createReportDesk } from './report-desk.ts'
import { createReportModel } from './reports.ts'
import { createFeedModel } from './model.ts'
import { mulberry32 } from './random.ts'
import { createSimulator } from './simulator.ts'

const log = createLogger('simulator')

export interface SimulatorStart {
  type: 'reference'
  mqttUrl: string
  stations: Station[]
  cameras: Camera[]
  backfill: BackfillRequest
  /** The dossier feed's start; null: no dossier feed (SIM_DOSSIERS_PER_DAY=0). */
  dossiers: DossierStart | null
  /** The citizen-report desk's start (the all-in-one makes its accounts); null: no reports. */
  reports?: ReportDeskStart | null
}

export interface ReportDeskStart {
  baseUrl: string
  dispatcherKey: string
  agencyKey: string
  units: Unit[]
  categories: ReportCategory[]
}

/** Spaces publishes out to `perSecond`: a backfill must not outrun a broker's per-client queue (Mosquitto drops past max_queued_messages). */
function paced<A extends unknown[]>(perSecond: number, fn: (...a: A) => Promise<void>): (...a: A) => Promise<void> {
  let next = Date.now()
  return async (...a) => {
    const now = Date.now()
    next = Math.max(next, now) + 1000 / perSecond
    if (next - now > 1) await new Promise((r) => setTimeout(r, next - now))
    await fn(...a)
  }
}

async function reference(config: ReturnType<typeof loadConfigOrExit>): Promise<SimulatorStart> {
  if (process.send) {
    // the parent sends the start when it has read the dossier history (a 'stop' may come first)
    return new Promise((resolve) => {
      const onMessage = (m: SimulatorStart | { type?: string }) => {
        if (m?.type !== 'reference') return
        process.off('message', onMessage)
        resolve(m as SimulatorStart)
      }
      process.on('message', onMessage)
    })
  }
  if (!config.databaseUrl || !config.mqttUrl) throw new Error('set DATABASE_URL (to read the stations and cameras) and MQTT_URL (to publish to)')
  const db = openPostgres(config.databaseUrl, { max: 1, applicationName: 'ioc-simulator' })
  try {
    const ref = await loadReference(db)
    const backfill = await backfillPlan(db, config.sim.backfillHours, config.ingest.maxAgeMs, Date.now())
    const dossiers =
      config.sim.dossiersPerDay > 0 ? await dossierStart(db, { historyDays: config.sim.dossierHistoryDays, maxAgeMs: config.dossiers.maxAgeMs, now: Date.now() }) : null
    return { type: 'reference', mqttUrl: config.mqttUrl, stations: ref.stations, cameras: ref.cameras, backfill, dossiers }
  } finally {
    await db.end()
  }
}

async function main(): Promise<void> {
  const config = loadConfigOrExit()
  configureLogging(config.log)
  const life = createLifecycle('simulator')
  // forked by `npm start`: the parent decides when we stop (Ctrl-C reaches the whole process group)
  if (process.send) {
    process.removeAllListeners('SIGINT')
    process.on('SIGINT', () => {})
    process.on('disconnect', () => void life.shutdown(0, 'parent exited'))
    process.on('message', (m: { type?: string }) => m?.type === 'stop' && void life.shutdown(0, 'asked to stop'))
  }
  const start = await reference(config)
  const client = connectMqtt({ url: start.mqttUrl, clientId: `ioc-simulator-${process.pid}`, protocolVersion: config.mqttUrl ? config.mqttVersion : 4 })
  life.onStop('mqtt', () => client.endAsync())
  await whenConnected(client)
  const publish = (topic: string, payload: string) => client.publishAsync(topic, payload, { qos: 1 }).then(() => undefined)
  // live and backfill share the seed, so the history they publish describes the same world; it is fixed, so
  // every start agrees with the history the last one published and can tell what is missing
  const seed = config.sim.seed
  const sim = createSimulator({
    stations: start.stations,
    cameras: start.cameras,
    topics: topicMap(config.topicRoot),
    rate: config.sim.rate,
    malformedRatio: config.sim.malformedRatio,
    rng: mulberry32(seed),
    publish,
  })
  life.onStop('simulator', () => sim.stop())
  log.info(`publishing ${config.sim.rate} readings/s for ${start.stations.length} stations and ${start.cameras.length} cameras to ${redactUrl(start.mqttUrl)}`)
  sim.start()
  if (start.dossiers) startDossiers(start.dossiers, config, publish, life)
  if (start.backfill.hours < config.sim.backfillHours) log.warn(`SIM_BACKFILL_HOURS ${config.sim.backfillHours} reaches past INGEST_MAX_AGE; filling ${start.backfill.hours} h`)
  const { hours } = start.backfill
  if (hours > 0) {
    const model = createFeedModel({ rng: mulberry32(seed), stations: start.stations })
    const gaps = findGaps(model, [...start.stations, ...start.cameras], start.backfill.stored, backfillSteps(hours, Date.now()))
    if (gaps.missing.size === 0) log.info(`history complete: all ${gaps.total} device-hours of the last ${hours} h are stored`)
    else {
      const backfill = createSimulator({
        stations: start.stations,
        cameras: start.cameras,
        topics: topicMap(config.topicRoot),
        rate: 1,
        rng: mulberry32(seed),
        model,
        publish: paced(2000, publish),
      })
      const missingHours = gaps.total - gaps.complete
      log.info(`publishing history first: ${missingHours} of ${gaps.total} device-hours of the last ${hours} h are missing`)
      const only = (id: string, ts: number) => gaps.missing.get(id)?.has(hourStart(ts)) ?? false
      const n = await backfill.backfill({ hours, stepSec: BACKFILL_STEP_SEC, only })
      log.info(`history published: ${n} messages`)
    }
  }
  // the report desk works through the API: after the readings' history, so start-up and backfill have the
  // database to themselves (on the embedded one every request waits its turn)
  if (start.reports && config.sim.reportsPerDay > 0) {
    const desk = createReportDesk({
      model: createReportModel({ seed: config.sim.seed, units: start.reports.units, categories: start.reports.categories, perDay: config.sim.reportsPerDay }),
      seed: config.sim.seed,
      baseUrl: start.reports.baseUrl,
      dispatcherKey: start.reports.dispatcherKey,
      agencyKey: start.reports.agencyKey,
      topicRoot: config.topicRoot,
      publish,
      now: Date.now,
      historyHours: 24,
    })
    life.onStop('report desk', () => desk.stop())
    desk.start()
    log.info(`sending ~${config.sim.reportsPerDay} citizen reports a day (the last 24 h first); a simulated dispatcher and the agencies answer them at ${start.reports.baseUrl}`)
  }
  setInterval(() => log.debug('simulator', { ...sim.stats() }), 60_000).unref()
}

/**
 * The one-stop system's feed: live at once, its history in the background at a bounded rate (one message
 * awaiting its acknowledgement, ingest kept busy half the time at most, at most 20 messages a second), so
 * neither start-up nor the live readings wait for it.
 */
function startDossiers(
  start: DossierStart,
  config: ReturnType<typeof loadConfigOrExit>,
  publish: (topic: string, payload: string) => Promise<void>,
  life: ReturnType<typeof createLifecycle>,
): void {
  const calendar = new WorkingCalendar(config.dossiers.hours, start.calendar)
  const model = createDossierModel({
    seed: config.sim.seed,
    units: start.units,
    procedures: start.procedures,
    calendar,
    perDay: config.sim.dossiersPerDay,
    routes: generateDemoProcedures().routes, // the demo's; a city's own procedures are routed by field
  })
  const { departments, centre, localities } = model.receivers
  if (start.procedures.length === 0 || departments.length + localities.length + (centre ? 1 : 0) === 0) {
    log.warn('no dossier feed: load procedures (npm run db:load -- procedures) and units typed department, centre or locality')
    return
  }
  const feed = createDossierFeed({
    model,
    from: start.history.from,
    topic: topicMap(config.topicRoot).input(DOSSIER_INPUT, start.systemId),
    publish,
    maxBytes: Math.min(60_000, config.ingest.maxPayloadBytes - 1024),
  })
  life.onStop('dossier feed', () => feed.stop())
  log.info(
    `publishing ~${config.sim.dossiersPerDay} dossiers per working day as ${start.systemId} (${departments.length} departments, ${centre ? 'the centre, ' : ''}${localities.length} localities, ${start.procedures.length} procedures)`,
  )
  feed.start()
  if (start.history.days === 0) return
  if (start.history.days < config.sim.dossierHistoryDays) log.warn(`SIM_DOSSIER_HISTORY_DAYS ${config.sim.dossierHistoryDays} reaches past DOSSIER_MAX_AGE; filling ${start.history.days} days`)
  const until = Date.now()
  feed
    .backfill({ until, stored: start.history.stored, publish: paced(20, publish) })
    .then((r) => {
      if (r.messages === 0) log.info(`dossier history complete: all ${r.days} days of the last ${start.history.days} are stored`)
      else log.info(`dossier history published: ${r.published} events in ${r.messages} messages for ${r.days - r.complete} of ${r.days} days`)
    })
    .catch((err: Error) => log.warn(`dossier history stopped: ${err.message}`))
}

main().catch((err: Error) => {
  process.stderr.write(`simulator failed: ${err.message}\n`)
  process.exit(1)
})
