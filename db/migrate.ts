// Numbered SQL migrations with a record of what ran. Files are `NNN_name.sql` (every backend) or
// `NNN_name.timescaledb.sql` / `NNN_name.postgres.sql` (one per backend; a missing variant is a no-op).
// A session advisory lock serializes concurrent runners (several ingest and server processes starting
// at once); each migration runs in its own transaction with its record, so a failure leaves no half.

import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inTransaction, type Database, type Queryable } from './database.ts'
import { createLogger } from '../core/log.ts'
import { LOCKS } from './locks.ts'

export type Backend = 'timescaledb' | 'postgres'

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations')

const log = createLogger('migrate')

export interface Migration {
  id: string
  /** SQL per variant; `common` applies to every backend. */
  files: Partial<Record<Backend | 'common', { file: string; sql: string; checksum: string }>>
}

export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const byId = new Map<string, Migration>()
  for (const file of (await readdir(dir)).sort()) {
    const m = /^(\d{3}_[a-z0-9_]+?)(?:\.(timescaledb|postgres))?\.sql$/.exec(file)
    if (!m) continue
    const id = m[1]!
    const variant = (m[2] ?? 'common') as Backend | 'common'
    const sql = await readFile(join(dir, file), 'utf8')
    const entry = byId.get(id) ?? { id, files: {} }
    entry.files[variant] = { file, sql, checksum: createHash('sha256').update(sql).digest('hex').slice(0, 16) }
    byId.set(id, entry)
  }
  const list = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id))
  for (const m of list) {
    if (m.files.common && (m.files.timescaledb || m.files.postgres)) {
      throw new Error(`migration ${m.id} has both a common file and backend variants; use one or the other`)
    }
  }
  return list
}

/**
 * Which backend this database is (or will be) migrated for. A database keeps the backend it was first
 * migrated with. A new one gets TimescaleDB only if the extension can really be created here with its
 * community (TSL) features — continuous aggregates and compression; an extension that is installed but not
 * preloaded, or the Apache-only build, falls back to plain tables with the reason in the warning.
 */
export async function detectBackend(client: Queryable): Promise<{ backend: Backend; recorded: boolean; reason: string }> {
  const recorded = await client
    .query<{ variant: Backend }>(`SELECT variant FROM schema_migrations WHERE variant <> 'common' ORDER BY id LIMIT 1`)
    .catch(() => ({ rows: [] as { variant: Backend }[] }))
  const first = recorded.rows[0]?.variant
  if (first) return { backend: first, recorded: true, reason: 'this database was first migrated that way' }
  const available = await client.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'`)
  if (available.rowCount === 0) return { backend: 'postgres', recorded: false, reason: 'the timescaledb extension is not installed on this server' }
  // the extension is created in a transaction that is rolled back when this build cannot serve us
  const apacheOnly = new Error('this TimescaleDB build has the Apache license only (no continuous aggregates or compression)')
  try {
    await inTransaction(client, async (tx) => {
      await tx.query('CREATE EXTENSION IF NOT EXISTS timescaledb')
      const license = await tx.query<{ license: string }>(`SELECT current_setting('timescaledb.license', true) AS license`)
      if (license.rows[0]?.license === 'apache') throw apacheOnly
    })
    return { backend: 'timescaledb', recorded: false, reason: '' }
  } catch (err) {
    if (err === apacheOnly) return { backend: 'postgres', recorded: false, reason: apacheOnly.message }
    return { backend: 'postgres', recorded: false, reason: `creating the timescaledb extension failed: ${(err as Error).message}` }
  }
}

export interface MigrateResult {
  backend: Backend
  applied: string[]
}

/** Brings the database up to date, on one connection held for the whole run (its advisory lock is per session). */
export async function migrate(db: Database, migrations?: Migration[]): Promise<MigrateResult> {
  const list = migrations ?? (await loadMigrations())
  return db.session(async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [LOCKS.migrations])
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        id         text PRIMARY KEY,
        variant    text NOT NULL,
        checksum   text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`)
      const { backend, recorded, reason } = await detectBackend(client)
      if (backend === 'postgres') {
        log.warn(
          `TimescaleDB is not used (${reason}): plain tables, a time_bucket shim over date_bin and aggregate tables refreshed every AGG_REFRESH_INTERVAL; compression is off`,
        )
      } else if (!recorded) log.info('TimescaleDB available: using hypertables and continuous aggregates')

      const done = new Map(
        (await client.query<{ id: string; variant: string; checksum: string }>('SELECT id, variant, checksum FROM schema_migrations')).rows.map((r) => [r.id, r]),
      )
      const applied: string[] = []
      for (const m of list) {
        const variant = m.files.common ? 'common' : backend
        const file = m.files[variant]
        const prior = done.get(m.id)
        if (prior) {
          const expected = file?.checksum ?? 'none'
          if (prior.checksum !== expected) {
            throw new Error(`migration ${m.id} changed after it was applied (recorded ${prior.checksum}, file ${expected}); add a new migration instead`)
          }
          continue
        }
        await inTransaction(client, async (tx) => {
          if (file) await tx.query(file.sql)
          await tx.query('INSERT INTO schema_migrations (id, variant, checksum) VALUES ($1, $2, $3)', [m.id, variant, file?.checksum ?? 'none'])
        }).catch((err: Error) => {
          throw new Error(`migration ${file?.file ?? m.id} failed: ${err.message}`, { cause: err })
        })
        applied.push(m.id)
        log.info(`applied ${file?.file ?? `${m.id} (nothing for ${backend})`}`)
      }
      return { backend, applied }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [LOCKS.migrations]).catch(() => {})
    }
  })
}
