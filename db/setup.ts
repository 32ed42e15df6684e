// Everything a process does to a database before using it: migrate, apply TimescaleDB policies, seed the
// public holidays of the working-day calendar (every start; days already there are kept), seed the demo
// province into an empty database. Safe to run from several processes at once.
import type { Config } from '../core/config.ts'
import { createLogger } from '../core/log.ts'
import type { Database } from './database.ts'
import { seedHolidays } from './dossier-reference.ts'
import { applyPolicies, maintenanceMode, type MaintenanceMode } from './maintenance.ts'
import { migrate, type Backend } from './migrate.ts'
import { seedDemoIfEmpty } from './reference.ts'

const log = createLogger('db')

export interface PreparedDatabase {
  backend: Backend
  mode: MaintenanceMode
  seeded: boolean
  /** True when the database holds no readings yet (the simulator then publishes history first). */
  empty: boolean
}

export async function prepareDatabase(db: Database, config: Pick<Config, 'storage' | 'ingest' | 'seedDemo' | 'dossiers'>): Promise<PreparedDatabase> {
  const { backend } = await migrate(db)
  const mode = maintenanceMode(backend, db.kind === 'embedded')
  if (mode === 'policies') await applyPolicies(db, config.storage, config.ingest.maxAgeMs)
  const holidays = await seedHolidays(db, config.dossiers.hours)
  if (holidays > 0) log.info(`seeded ${holidays} public holidays into the working-day calendar`)
  let seeded = false
  if (config.seedDemo) {
    const r = await seedDemoIfEmpty(db)
    seeded = r.seeded
    if (seeded) log.info('seeded the demo province (modelled on Quảng Ninh; boundaries approximate)', { ...r.counts })
  }
  const any = await db.query('SELECT 1 FROM station_readings LIMIT 1')
  return { backend, mode, seeded, empty: any.rowCount === 0 }
}
