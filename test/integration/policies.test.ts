// TimescaleDB with a job scheduler gets its upkeep as policies. The embedded TimescaleDB accepts the same
// policy DDL (its jobs just never run), so the statements the IOC sends a production TimescaleDB are
// checked here against a real TimescaleDB 2.23.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyPolicies } from '../../db/maintenance.ts'
import { migrate } from '../../db/migrate.ts'
import { embeddedTestDatabase, type TestDatabase } from '../helpers/databases.ts'
import { testConfig } from '../helpers/stack.ts'

describe('TimescaleDB policies', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await embeddedTestDatabase()
    await migrate(db.db)
  })
  afterAll(async () => {
    await db?.close()
  })

  async function jobs() {
    const r = await db.db.query<{ proc_name: string; hypertable_name: string; config: Record<string, unknown> }>(
      `SELECT j.proc_name, coalesce(ca.view_name, j.hypertable_name) AS hypertable_name, j.config
       FROM timescaledb_information.jobs j
       LEFT JOIN timescaledb_information.continuous_aggregates ca ON ca.materialization_hypertable_name = j.hypertable_name
       WHERE j.proc_name IN ('policy_refresh_continuous_aggregate', 'policy_compression', 'policy_retention')
       ORDER BY 1, 2`,
    )
    return r.rows
  }

  it('installs refresh, compression and retention policies from the configuration', async () => {
    const c = testConfig({ RETENTION_RAW: '30d', RETENTION_5M: '60d', RETENTION_1H: '0', COMPRESS_AFTER: '7d', INGEST_MAX_AGE: '7d' })
    await applyPolicies(db.db, c.storage, c.ingest.maxAgeMs)
    const all = await jobs()
    const refresh = all.filter((j) => j.proc_name === 'policy_refresh_continuous_aggregate')
    expect(refresh.map((j) => j.hypertable_name).sort()).toEqual(['camera_1d', 'camera_1h', 'camera_5m', 'env_1d', 'env_1h', 'env_5m'])
    // the refresh window reaches back INGEST_MAX_AGE plus a bucket, so every accepted late reading is materialized
    expect(refresh.find((j) => j.hypertable_name === 'env_5m')?.config).toMatchObject({ start_offset: '168:05:00', end_offset: '00:05:00' })
    const compression = all.filter((j) => j.proc_name === 'policy_compression').map((j) => j.hypertable_name).sort()
    expect(compression).toEqual(['camera_counts', 'station_readings'])
    const retention = all.filter((j) => j.proc_name === 'policy_retention')
    expect(retention.map((j) => j.hypertable_name).sort()).toEqual(['camera_5m', 'camera_counts', 'env_5m', 'station_readings'])
    expect(retention.find((j) => j.hypertable_name === 'station_readings')?.config).toMatchObject({ drop_after: '720:00:00' })
  })

  it('replaces the policies when the configuration changes, without duplicates', async () => {
    const c = testConfig({ RETENTION_RAW: '0', COMPRESS_AFTER: '0', INGEST_MAX_AGE: '1d' })
    await applyPolicies(db.db, c.storage, c.ingest.maxAgeMs)
    await applyPolicies(db.db, c.storage, c.ingest.maxAgeMs)
    const all = await jobs()
    expect(all.filter((j) => j.proc_name === 'policy_refresh_continuous_aggregate')).toHaveLength(6)
    expect(all.filter((j) => j.proc_name === 'policy_compression')).toHaveLength(0)
    expect(all.filter((j) => j.proc_name === 'policy_retention').map((j) => j.hypertable_name).sort()).toEqual(['camera_5m', 'env_5m'])
    // the daily aggregate's window ends at the UTC midnight inside the day before yesterday (today and yesterday
    // stay real-time: dayWindowEnd in db/maintenance.ts), and a one-day INGEST_MAX_AGE still leaves it the two
    // buckets TimescaleDB requires
    expect(all.find((j) => j.hypertable_name === 'env_1d')?.config).toMatchObject({ start_offset: '89:00:00', end_offset: '41:00:00' })
  })
})
