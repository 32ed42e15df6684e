// `npm run start:server`: the server alone (REST, Socket.IO, the wall) against real services; run as many
// as needed behind a load balancer. It also runs aggregate maintenance where no TimescaleDB job scheduler
// does (one instance at a time, by advisory lock).
import { loadConfigOrExit } from '../core/config.ts'
import { createLifecycle } from '../core/lifecycle.ts'
import { configureLogging, createLogger } from '../core/log.ts'
import { startMaintenance } from '../db/maintenance.ts'
import { openPostgres } from '../db/postgres.ts'
import { prepareDatabase } from '../db/setup.ts'
import { SYSTEM } from './shared/audit.ts'
import { CLIENT_DIR, serverOptions, startServer } from './service.ts'

const config = loadConfigOrExit()
configureLogging(config.log)
const log = createLogger('server')
const life = createLifecycle('server')

async function main(): Promise<void> {
  if (!config.databaseUrl || !config.mqttUrl) {
    throw new Error(`start:server runs against real services: set ${!config.databaseUrl ? 'DATABASE_URL' : 'MQTT_URL'} (or use npm start for the all-in-one)`)
  }
  const db = openPostgres(config.databaseUrl, { max: 8, applicationName: 'ioc-server' })
  life.onStop('database connections', () => db.end())
  const prepared = await prepareDatabase(db, config)
  const maintenance = startMaintenance(db, prepared.mode, config.storage, config.ingest.maxAgeMs)
  life.onStop('maintenance', () => maintenance.stop(), { timeoutMs: 1000 })
  const server = await startServer(serverOptions(config, db, config.mqttUrl, CLIENT_DIR))
  life.onStop('server', () => server.stop())
  // several servers may start at once on an empty database: ensureFirstAdmin creates the admin only once
  const admin = await server.accounts.ensureFirstAdmin(config.auth.adminPassword, SYSTEM)
  if (admin) process.stdout.write(`\n  First admin created — username: ${admin.username}  password: ${admin.password}\n  (shown this once; or set ADMIN_PASSWORD before the first start)\n\n`)
  log.info(`server running at ${server.url}`)
}

main().catch((err: Error) => {
  log.error(`start-up failed: ${err.message}`)
  void life.shutdown(1, 'start-up failed')
})
