// `npm run start:simulator`: publishes the simulated feed of the province's stations and cameras to MQTT.
// Standalone it reads the devices from DATABASE_URL; forked by `npm start` it receives them from the parent
// (the embedded database serves one connection, which the parent holds).
import { topicMap, type Camera, type Station } from '../contract/index.ts'
import { loadConfigOrExit } from '../core/config.ts'
import { configureLogging, createLogger, redactUrl } from '../core/log.ts'
import { createLifecycle } from '../core/lifecycle.ts'
import { connectMqtt, whenConnected } from '../core/mqtt.ts'
import { createPool } from '../db/pool.ts'
import { loadReference } from '../db/reference.ts'
import { mulberry32 } from './random.ts'
import { createSimulator } from './simulator.ts'

const log = createLogger('simulator')

export interface SimulatorStart {
  type: 'reference'
  mqttUrl: string
  stations: Station[]
  cameras: Camera[]
  backfillHours: number
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
    return new Promise((resolve) => process.once('message', (m: SimulatorStart) => resolve(m)))
  }
  if (!config.databaseUrl || !config.mqttUrl) throw new Error('set DATABASE_URL (to read the stations and cameras) and MQTT_URL (to publish to)')
  const pool = createPool(config.databaseUrl, { max: 1, applicationName: 'ioc-simulator' })
  const ref = await loadReference(pool)
  // history only into a database that has none; a restarted simulator just carries on live
  const empty = (await pool.query('SELECT 1 FROM station_readings LIMIT 1')).rowCount === 0
  await pool.end()
  return { type: 'reference', mqttUrl: config.mqttUrl, stations: ref.stations, cameras: ref.cameras, backfillHours: empty ? config.sim.backfillHours : 0 }
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
  // live and backfill share the seed, so the history they publish describes the same world
  const seed = Date.now() & 0x7fffffff
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
  // history older than INGEST_MAX_AGE would only be dead-lettered
  const maxHours = Math.floor(config.ingest.maxAgeMs / 3_600_000) - 1
  if (start.backfillHours > maxHours) log.warn(`SIM_BACKFILL_HOURS ${start.backfillHours} reaches past INGEST_MAX_AGE; publishing ${maxHours} h`)
  const backfillHours = Math.min(start.backfillHours, maxHours)
  if (backfillHours > 0) {
    const backfill = createSimulator({
      stations: start.stations,
      cameras: start.cameras,
      topics: topicMap(config.topicRoot),
      rate: 1,
      rng: mulberry32(seed),
      publish: paced(2000, publish),
    })
    log.info(`publishing ${backfillHours} h of history first (database was empty)`)
    const n = await backfill.backfill({ hours: backfillHours, stepSec: 300 })
    log.info(`history published: ${n} messages`)
  }
  setInterval(() => log.debug('simulator', { ...sim.stats() }), 60_000).unref()
}

main().catch((err: Error) => {
  process.stderr.write(`simulator failed: ${err.message}\n`)
  process.exit(1)
})
