// `npm start`: the whole IOC in one command. With no configuration it starts the embedded TimescaleDB
// (child process), the embedded MQTT broker, ingest, the server and the feed simulator (child process);
// MQTT_URL / DATABASE_URL switch to real services. Ctrl-C stops everything in order, flushing ingest.
import { fork } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { INPUT_SEGMENTS, topicMap } from '../contract/index.ts'
import { brokerAuth } from '../broker/auth.ts'
import { createEmbeddedBroker } from '../broker/embedded.ts'
import { tsChildExecArgv } from '../core/child.ts'
import { loadConfigOrExit } from '../core/config.ts'
import { createLifecycle } from '../core/lifecycle.ts'
import { configureLogging, createLogger, redactUrl } from '../core/log.ts'
import type { Database } from '../db/database.ts'
import { startEmbeddedDatabase } from '../db/embedded/index.ts'
import { startMaintenance } from '../db/maintenance.ts'
import { openPostgres } from '../db/postgres.ts'
import { loadReference } from '../db/reference.ts'
import { loadReportCategories } from '../db/report-reference.ts'
import { prepareDatabase } from '../db/setup.ts'
import { embeddedBrokerSource } from '../ingest/shared/embedded-source.ts'
import { mqttSource } from '../ingest/shared/mqtt-source.ts'
import { ingestOptions, startIngest } from '../ingest/service.ts'
import type { MessageSource } from '../ingest/shared/source.ts'
import { bootstrapAccounts } from '../server/accounts/bootstrap.ts'
import { accountsRepository } from '../server/accounts/repository.ts'
import { CLIENT_DIR, serverOptions, startServer } from '../server/service.ts'
import type { SimulatorStart } from '../simulator/main.ts'
import { backfillPlan } from '../simulator/coverage.ts'
import { dossierStart } from '../simulator/dossier-feed.ts'
import { simulatorDeskKeys } from './sim-desk.ts'

const config = loadConfigOrExit()
configureLogging(config.log)
const log = createLogger('ioc')
const life = createLifecycle('ioc')
const root = fileURLToPath(new URL('..', import.meta.url))

async function main(): Promise<void> {
  let db: Database
  if (config.databaseUrl === null) {
    const embedded = await startEmbeddedDatabase(join(config.dataDir, 'timescaledb'))
    life.onStop('embedded database', () => embedded.stop(), { timeoutMs: 3000 })
    void embedded.exited.then((code) => life.shutdown(1, `the embedded database exited (code ${code})`))
    db = embedded
  } else {
    db = openPostgres(config.databaseUrl, { max: 8, applicationName: 'ioc' })
    life.onStop('database connections', () => db.end())
  }
  const prepared = await prepareDatabase(db, config)

  // The embedded broker hands device messages to ingest itself and acknowledges them only once committed;
  // it listens only after ingest is attached, so nothing is acknowledged before it can be stored.
  const topics = topicMap(config.topicRoot)
  // its accounts: the internal ones of this process's own clients, and the devices' from MQTT_PASSWORD_FILE
  const brokerAccounts =
    config.mqttUrl === null ? await brokerAuth({ topicRoot: config.topicRoot, segments: INPUT_SEGMENTS, passwordFile: config.broker.passwordFile, aclFile: config.broker.aclFile }) : null
  const broker = brokerAccounts ? await createEmbeddedBroker({ auth: brokerAccounts }) : null
  if (broker) life.onStop('embedded broker', () => broker.close(), { timeoutMs: 1000 })
  const source: MessageSource = broker
    ? embeddedBrokerSource(broker, topics.isDeviceTopic)
    : mqttSource({
        url: config.mqttUrl!,
        version: config.mqttVersion,
        clientId: config.ingest.clientId,
        filters: topics.deviceFilters,
        shared: config.ingest.shared,
        receiveMaximum: config.ingest.receiveMaximum,
      })
  const ingest = await startIngest(ingestOptions(config, db, source))
  life.onStop('ingest', () => ingest.stop(), { timeoutMs: 5000 })
  await ingest.ready
  const listening = broker ? await broker.listen(config.mqttPort, config.broker.host) : null
  // the server reads live frames, the simulator publishes as devices: each with its own internal account
  const serverMqttUrl = listening ? listening.urlFor(brokerAccounts!.internal.server) : config.mqttUrl!
  const simulatorMqttUrl = listening ? listening.urlFor(brokerAccounts!.internal.simulator) : config.mqttUrl!
  const mqttUrl = listening ? listening.url : config.mqttUrl!

  const maintenance = startMaintenance(db, prepared.mode, config.storage, config.ingest.maxAgeMs)
  life.onStop('maintenance', () => maintenance.stop(), { timeoutMs: 1000 })

  const server = await startServer(serverOptions(config, db, serverMqttUrl, CLIENT_DIR))
  life.onStop('server', () => server.stop())
  const boot = await bootstrapAccounts(server.accounts, accountsRepository(db), { adminPassword: config.auth.adminPassword, dataDir: config.dataDir, baseUrl: server.url })

  if (config.simulate) {
    const ref = await loadReference(db)
    const backfill = await backfillPlan(db, config.sim.backfillHours, config.ingest.maxAgeMs, Date.now())
    const child = fork(join(root, 'simulator', 'main.ts'), [], { execArgv: tsChildExecArgv(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    const province = ref.units.find((u) => u.parentId === null)
    const reports =
      config.sim.reportsPerDay > 0 && province
        ? { baseUrl: server.url, ...(await simulatorDeskKeys(server.accounts, province.id)), units: ref.units, categories: await loadReportCategories(db) }
        : null
    const start: SimulatorStart = { type: 'reference', mqttUrl: simulatorMqttUrl, stations: ref.stations, cameras: ref.cameras, backfill, dossiers: null, reports }
    // what the dossier history holds is counted from the event log (a second for 90 days): not on the way to ready
    const dossiers = config.sim.dossiersPerDay > 0 ? dossierStart(db, { historyDays: config.sim.dossierHistoryDays, maxAgeMs: config.dossiers.maxAgeMs, now: Date.now() }) : Promise.resolve(null)
    void dossiers
      .catch((err: Error) => {
        log.warn(`simulator without dossiers: ${err.message}`)
        return null
      })
      .then((d) => child.connected && child.send({ ...start, dossiers: d }))
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    life.onStop(
      'simulator',
      async () => {
        if (child.exitCode === null) child.send({ type: 'stop' })
        await exited
      },
      // it stops in milliseconds unless its readings wait for acknowledgements a stalled database holds back:
      // then there is nothing to wait for, and Ctrl-C must stay prompt
      { timeoutMs: 500 },
    )
  }

  const parts = [
    config.databaseUrl === null ? `embedded TimescaleDB in ${join(config.dataDir, 'timescaledb')}` : `database ${redactUrl(config.databaseUrl)} (${prepared.backend})`,
    listening ? `embedded MQTT broker on ${listening.host}:${listening.port}` : `broker ${redactUrl(mqttUrl)}`,
    config.simulate ? `simulator at ${config.sim.rate} readings/s` : 'no simulator',
  ]
  log.info(`ready: ${parts.join(' · ')}`)
  const lines = [
    `IOC running at ${server.url}`,
    `The wall of this machine (a kiosk link, no sign-in): ${boot.wallUrl}`,
    ...(boot.admin
      ? [`First admin created — username: ${boot.admin.username}  password: ${boot.admin.password}`, `  (shown this once; sign in at ${server.url}/login and change it, or set ADMIN_PASSWORD before the first start)`]
      : [`Sign in at ${server.url}/login`]),
    `Leaders' administrative-performance screens (sign in as a leader or admin): ${server.url}/leaders`,
    `Citizen-report consoles for dispatchers and agencies: ${server.url}/reports · Open311 GeoReport v2: ${server.url}/open311/v2/discovery.json`,
    `Devices publish to ${mqttUrl.replace(/\/\/[^@]*@/, '//').replace('127.0.0.1', 'localhost')} under ${config.topicRoot}/env/{stationId} and ${config.topicRoot}/camera/{cameraId}, one-stop systems under ${config.topicRoot}/dossier/{systemId}, report channels under ${config.topicRoot}/report/{channelId}${listening ? ' with an account (MQTT_PASSWORD_FILE; see README)' : ''}`,
    'Ctrl-C to stop',
  ]
  process.stdout.write(`\n${lines.map((l) => `  ${l}`).join('\n')}\n\n`)
}

main().catch((err: Error) => {
  log.error(`start-up failed: ${err.message}`)
  void life.shutdown(1, 'start-up failed')
})
