// Real databases for integration tests: the embedded TimescaleDB (always) and, when TEST_DATABASE_URL is
// set, a fresh database on that PostgreSQL server per test file, dropped afterwards.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import type { Database } from '../../db/database.ts'
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../db/embedded/index.ts'
import { openPostgres } from '../../db/postgres.ts'

export interface TestDatabase {
  kind: 'embedded' | 'postgres'
  /** The connection string of a PostgreSQL database (other processes can open it); null for the embedded one. */
  url: string | null
  db: Database
  close(): Promise<void>
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || null

export async function embeddedTestDatabase(dataDir?: string): Promise<TestDatabase & { db: EmbeddedDatabase; dataDir: string }> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'ioc-test-db-')))
  const db = await startEmbeddedDatabase(dir)
  return {
    kind: 'embedded',
    url: null,
    db,
    dataDir: dir,
    async close() {
      await db.stop()
      if (!dataDir) await rm(dir, { recursive: true, force: true })
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
  const db = openPostgres(url.toString(), { max: 5 })
  return {
    kind: 'postgres',
    url: url.toString(),
    db,
    async close() {
      await db.end().catch(() => {})
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
