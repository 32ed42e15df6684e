// Migrations on a real database: they record what ran, a second run does nothing, a changed migration is
// refused, and runners started at the same moment (several processes booting) do not collide.
import { afterEach, describe, expect, it } from 'vitest'
import { openPostgres } from '../../db/postgres.ts'
import { loadMigrations, migrate } from '../../db/migrate.ts'
import { DATABASE_TARGETS, openTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/databases.ts'

describe.each(DATABASE_TARGETS)('migrations on the %s database', (kind) => {
  let db: TestDatabase | undefined
  afterEach(async () => {
    await db?.close()
    db = undefined
  })

  it('applies every migration once and records it; a second run applies nothing', async () => {
    db = await openTestDatabase(kind)
    const all = await loadMigrations()
    const first = await migrate(db.db)
    expect(first.backend).toBe(kind === 'embedded' ? 'timescaledb' : 'postgres')
    expect(first.applied).toEqual(all.map((m) => m.id))
    const second = await migrate(db.db)
    expect(second.applied).toEqual([])
    const recorded = await db.db.query<{ id: string; variant: string }>('SELECT id, variant FROM schema_migrations ORDER BY id')
    expect(recorded.rows.map((r) => r.id)).toEqual(all.map((m) => m.id))
    expect(new Set(recorded.rows.map((r) => r.variant))).toEqual(new Set(['common', first.backend]))
  })

  it('refuses a migration whose file changed after it was applied', async () => {
    db = await openTestDatabase(kind)
    await migrate(db.db)
    const edited = await loadMigrations()
    const m = edited.find((x) => x.id === '002_reference')!
    m.files.common = { ...m.files.common!, sql: `${m.files.common!.sql}\n-- edited`, checksum: 'edited' }
    await expect(migrate(db.db, edited)).rejects.toThrow(/migration 002_reference changed after it was applied/)
  })

  // Only PostgreSQL can race runners: the embedded database is one session, which already serializes them
  // before the advisory lock is reached.
  it.runIf(kind === 'postgres')('serializes runners started at the same moment, on their own connections', async () => {
    db = await openTestDatabase(kind)
    const pools = [openPostgres(db.url!), openPostgres(db.url!), openPostgres(db.url!)]
    try {
      const results = await Promise.all(pools.map((p) => migrate(p)))
      const applied = results.map((r) => r.applied.length)
      expect(applied.filter((n) => n > 0)).toHaveLength(1)
      const counts = await db.db.query<{ n: number; distinct: number }>('SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct FROM schema_migrations')
      expect(counts.rows[0]!.n).toBe(counts.rows[0]!.distinct)
      expect(counts.rows[0]!.n).toBe((await loadMigrations()).length)
    } finally {
      await Promise.all(pools.map((p) => p.end()))
    }
  })
})

describe.skipIf(!TEST_DATABASE_URL)('migrations on plain PostgreSQL', () => {
  it('buckets time like TimescaleDB through the time_bucket shim over date_bin', async () => {
    const db = await openTestDatabase('postgres')
    try {
      await migrate(db.db)
      const r = await db.db.query(`SELECT time_bucket(INTERVAL '5 minutes', TIMESTAMPTZ '2026-11-21 08:07:31+07') AS a,
        time_bucket(INTERVAL '1 day', TIMESTAMPTZ '2026-11-21 06:00:00+07', TIMESTAMPTZ '2000-01-03 00:00:00+07') AS b`)
      expect(r.rows[0]).toEqual({ a: Date.parse('2026-11-21T08:05:00+07:00'), b: Date.parse('2026-11-21T00:00:00+07:00') })
    } finally {
      await db.close()
    }
  })
})
