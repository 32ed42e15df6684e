// `npm start`: the whole IOC in one command. With no configuration it starts the embedded TimescaleDB
// (child process), the embedded MQTT broker, ingest, the server and the feed simulator (child process);
// MQTT_URL / DATABASE_URL switch to real services. Ctrl-C stops everything in order, flushing ingest.
import { fork } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmbeddedBroker } from '../broker/embedded.ts'
import { tsChildExecArgv } from '../core/child.ts'
import { loadConfigOrExit } from '../core/config.ts'
import { createLifecycle } from '../core/lifecycle.ts'
import { configureLogging, createLogger, redactUrl } from '../core/log.ts'
import { startEmbeddedDatabase } from '../db/embedded/index.ts'
import { startMaintenance } from '../db/maintenance.ts'
import { createPool } from '../db/pool.ts'
import { loadReference } from '../db/reference.ts'
import { prepareDatabase } from '../db/setup.ts'
import { ingestOptions, startIngest } from '../ingest/service.ts'
import { CLIENT_DIR, serverOptions, startServer } from '../server/service.ts'
import type { SimulatorStart } from '../simulator/main.ts'

const config = loadConfigOrExit()
configureLogging(config.log)
const log = createLogger('ioc')
const life = createLifecycle('ioc')
const root = fileURLToPath(new URL('..', import.meta.url))

async function main(): Promise<void> {
  let databaseUrl = config.databaseUrl
  const embeddedDb = databaseUrl === null
  if (databaseUrl === null) {
    const db = await startEmbeddedDatabase(join(config.dataDir, 'timescaledb'))
    life.onStop('embedded database', () => db.stop())
    void db.exited.then((code) => life.shutdown(1, `the embedded database exited (code ${code})`))
    databaseUrl = db.url
  }
  let mqttUrl = config.mqttUrl
  if (mqttUrl === null) {
    const broker = await startEmbeddedBroker(config.mqttPort)
    life.onStop('embedded broker', () => broker.close())
    mqttUrl = broker.url
  }

  const pool = createPool(databaseUrl, { singleConnection: embeddedDb, max: 8, applicationName: 'ioc' })
  life.onStop('database connections', () => pool.end())
  const prepared = await prepareDatabase(pool, config, embeddedDb)

  const ingest = await startIngest(ingestOptions(config, pool, mqttUrl))
  life.onStop('ingest', () => ingest.stop())
  await ingest.ready

  const maintenance = startMaintenance(pool, prepared.mode, config.storage, config.ingest.maxAgeMs, { singleConnection: embeddedDb })
  life.onStop('maintenance', () => maintenance.stop())

  const server = await startServer({ ...serverOptions(config, pool, mqttUrl, CLIENT_DIR), extraHealth: () => ingest.health() })
  life.onStop('server', () => server.stop())

  if (config.simulate) {
    const ref = await loadReference(pool)
    const child = fork(join(root, 'simulator', 'main.ts'), [], { execArgv: tsChildExecArgv(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    const start: SimulatorStart = {
      type: 'reference',
      mqttUrl,
      stations: ref.stations,
      cameras: ref.cameras,
      backfillHours: prepared.empty ? config.sim.backfillHours : 0,
    }
    child.send(start)
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    life.onStop('simulator', async () => {
      if (child.exitCode === null) child.send({ type: 'stop' })
      await exited
    })
  }

  const parts = [
    embeddedDb ? `embedded TimescaleDB in ${join(config.dataDir, 'timescaledb')}` : `database ${redactUrl(databaseUrl)} (${prepared.backend})`,
    config.mqttUrl ? `broker ${redactUrl(mqttUrl)}` : `embedded MQTT broker on port ${new URL(mqttUrl).port}`,
    config.simulate ? `simulator at ${config.sim.rate} readings/s` : 'no simulator',
  ]
  log.info(`ready: ${parts.join(' · ')}`)
  process.stdout.write(`\n  IOC running at ${server.url}\n  Publish to ${mqttUrl.replace('127.0.0.1', 'localhost')} under ${config.topicRoot}/env/{stationId} and ${config.topicRoot}/camera/{cameraId}\n  Ctrl-C to stop\n\n`)
}

main().catch((err: Error) => {
  log.error(`start-up failed: ${err.message}`)
  void life.shutdown(1, 'start-up failed')
})
