// `npm run db:migrate`: brings DATABASE_URL up to date (migrations, TimescaleDB policies, demo seed when
// SEED_DEMO=1 and the database is empty) without starting anything else. Every IOC process does the same
// on start; this is for deploy pipelines that migrate first.
import { loadConfigOrExit } from '../core/config.ts'
import { configureLogging, createLogger, redactUrl } from '../core/log.ts'
import { openPostgres } from '../db/postgres.ts'
import { prepareDatabase } from '../db/setup.ts'

const config = loadConfigOrExit()
configureLogging(config.log)
const log = createLogger('migrate')

if (!config.databaseUrl) {
  process.stderr.write('db:migrate needs DATABASE_URL (the embedded database is migrated by npm start itself)\n')
  process.exit(2)
}
const db = openPostgres(config.databaseUrl, { max: 1, applicationName: 'ioc-migrate' })
try {
  const r = await prepareDatabase(db, config)
  log.info(`${redactUrl(config.databaseUrl)} is up to date (${r.backend}${r.seeded ? ', demo province seeded' : ''})`)
} catch (err) {
  log.error((err as Error).message)
  process.exitCode = 1
} finally {
  await db.end()
}
