// Real databases for integration tests: the embedded TimescaleDB (always) and, when TEST_DATABASE_URL is
// set, a fresh database on that PostgreSQL server per test file, dropped afterwards.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { startEmbeddedDatabase } from '../../db/embedded/index.ts'
import { createPool } from '../../db/pool.ts'

export interface TestDatabase {
  kind: 'embedded' | 'postgres'
  url: string
  /** A pool sized for the target (one connection for the embedded database). */
  pool: pg.Pool
  close(): Promise<void>
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || null

export async function embeddedTestDatabase(): Promise<TestDatabase & { dataDir: string; stopServer(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ioc-test-db-'))
  const db = await startEmbeddedDatabase(dataDir)
  const pool = createPool(db.url, { singleConnection: true })
  return {
    kind: 'embedded',
    url: db.url,
    pool,
    dataDir,
    stopServer: () => db.stop(),
    async close() {
      await pool.end().catch(() => {})
      await db.stop()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

export async function postgresTestDatabase(): Promise<TestDatabase> {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set')
  const name = `ioc_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(TEST_DATABASE_URL)
  url.pathname = `/${name}`
  const pool = createPool(url.toString(), { max: 5 })
  return {
    kind: 'postgres',
    url: url.toString(),
    pool,
    async close() {
      await pool.end().catch(() => {})
      const a = new pg.Client({ connectionString: TEST_DATABASE_URL! })
      await a.connect()
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await a.end()
    },
  }
}

/** The database targets every integration suite runs against. */
export const DATABASE_TARGETS: ('embedded' | 'postgres')[] = TEST_DATABASE_URL ? ['embedded', 'postgres'] : ['embedded']

export function openTestDatabase(kind: 'embedded' | 'postgres'): Promise<TestDatabase> {
  return kind === 'embedded' ? embeddedTestDatabase() : postgresTestDatabase()
}
