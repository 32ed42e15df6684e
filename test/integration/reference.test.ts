// Reference data against real databases: the demo seed, the repository's upserts and reads, and the
// db:load CLI a city uses for its own files.
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_REPORT_CATEGORIES } from '../../contract/index.ts'
import { startEmbeddedDatabase } from '../../db/embedded/index.ts'
import { migrate } from '../../db/migrate.ts'
import { loadReference, seedDemoIfEmpty, upsertCameras, upsertStations, upsertUnits } from '../../db/reference.ts'
import { readDemoFiles } from '../../db/seed/demo-files.ts'
import { DATABASE_TARGETS, TEST_DATABASE_URL, openTestDatabase, type TestDatabase } from '../helpers/databases.ts'

describe.each(DATABASE_TARGETS)('reference data on the %s database', (kind) => {
  let db: TestDatabase

  beforeAll(async () => {
    db = await openTestDatabase(kind)
    await migrate(db.db)
  })

  afterAll(async () => {
    await db?.close()
  })

  it('seeds the demo province into an empty database once', async () => {
    const first = await seedDemoIfEmpty(db.db)
    expect(first.seeded).toBe(true)
    const demo = await readDemoFiles()
    expect(first.counts).toEqual({ units: demo.units.length, stations: 140, cameras: 60, procedures: demo.procedures.length, reportCategories: DEMO_REPORT_CATEGORIES.length })
    expect(demo.units.length).toBeGreaterThan(50) // 29 with a boundary, the departments and the centre without
    const second = await seedDemoIfEmpty(db.db)
    expect(second).toEqual({ seeded: false, counts: { units: 0, stations: 0, cameras: 0, procedures: 0, reportCategories: 0 } })
    const { rows } = await db.db.query<{ n: number }>('SELECT count(*)::int AS n FROM stations')
    expect(rows[0]!.n).toBe(140)
  })

  it('reads back exactly what was loaded, geometry included', async () => {
    const demo = await readDemoFiles()
    const loaded = await loadReference(db.db)
    const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => (a.id < b.id ? -1 : 1))
    expect(loaded.units).toEqual(byId(demo.units))
    expect(loaded.stations).toEqual(byId(demo.stations))
    expect(loaded.cameras).toEqual(byId(demo.cameras))
    expect(loaded.units.find((u) => u.id === 'QN')!.geometry!.type).toBe('MultiPolygon')
  })

  it('updates a changed station and leaves the others alone', async () => {
    const before = await loadReference(db.db)
    const station = before.stations.find((s) => s.id === 'QN-NC-001')!
    const changed = { ...station, name: 'Trạm quan trắc nước sông Diễn Vọng', lon: station.lon + 0.001, expectedIntervalSec: 600 }
    const unchanged = before.stations.find((s) => s.id === 'QN-KK-001')!
    expect(await upsertStations(db.db, [changed, unchanged])).toBe(1) // the identical row is not rewritten
    const after = await loadReference(db.db)
    expect(after.stations.find((s) => s.id === 'QN-NC-001')).toEqual(changed)
    expect(after.stations.filter((s) => s.id !== 'QN-NC-001')).toEqual(before.stations.filter((s) => s.id !== 'QN-NC-001'))
  })

  it('inserts children listed before their parents and updates a moved unit', async () => {
    const ring: [number, number][] = [[107, 21], [107.01, 21], [107.01, 21.01], [107, 21]]
    const child = { id: 'QN-HL-HG-K1', parentId: 'QN-HL-HG-KV', name: 'Khu 1', level: 'khu', type: 'locality' as const, geometry: null, approximate: false }
    const parent = { id: 'QN-HL-HG-KV', parentId: 'QN-HL-HG', name: 'Khu vực', level: 'khu vực', type: 'area' as const, geometry: { type: 'Polygon' as const, coordinates: [ring] }, approximate: true }
    expect(await upsertUnits(db.db, [child, parent])).toBe(2)
    const moved = { ...child, parentId: 'QN-HL-HG' }
    expect(await upsertUnits(db.db, [moved])).toBe(1)
    const units = (await loadReference(db.db)).units
    expect(units.find((u) => u.id === 'QN-HL-HG-K1')).toEqual(moved)
    expect(units.find((u) => u.id === 'QN-HL-HG-KV')).toEqual(parent)
  })

  it('upserts cameras, a repeated id in one batch keeping the last', async () => {
    const cam = { id: 'TEST-CAM-1', name: 'Camera thử', kind: 'road' as const, site: 'QL18', unitId: 'QN-UB', lon: 106.78, lat: 21.04, capacity: null, expectedIntervalSec: 60 }
    expect(await upsertCameras(db.db, [cam, { ...cam, capacity: 50, kind: 'service_center' }])).toBe(1)
    const stored = (await loadReference(db.db)).cameras.find((c) => c.id === 'TEST-CAM-1')
    expect(stored).toEqual({ ...cam, capacity: 50, kind: 'service_center' })
  })

  it.skipIf(kind !== 'postgres' || !TEST_DATABASE_URL)('db:load loads the good rows into a fresh database, prints the bad one and exits 2', async () => {
    const fresh = await openTestDatabase('postgres')
    const dir = await mkdtemp(join(tmpdir(), 'ioc-load-'))
    try {
      const file = join(dir, 'stations.csv')
      await writeFile(
        file,
        ['id,name,kind,unit_id,lon,lat,expected_interval_sec', 'T-1,Trạm một,air,,107.1,21.0,60', 'T-2,Trạm hai,water,,abc,21.0,300', 'T-3,Trạm ba,noise,,107.2,21.1,'].join('\n'),
      )
      const run = await runCli(['stations', file], { DATABASE_URL: fresh.url! })
      expect(run.code, run.stderr).toBe(2)
      expect(run.stderr).toContain('row 3, field lon')
      const stations = (await loadReference(fresh.db)).stations
      expect(stations.map((s) => s.id)).toEqual(['T-1', 'T-3'])
    } finally {
      await rm(dir, { recursive: true, force: true })
      await fresh.close()
    }
  })
})

describe('db:load without DATABASE_URL', () => {
  it('loads into the embedded database in DATA_DIR, where npm start will find it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ioc-load-'))
    const csv = join(dataDir, 'stations.csv')
    await writeFile(csv, 'id,name,kind,unit_id,lon,lat,expected_interval_sec\nCITY-01,Trạm thử,air,,107.08,20.96,60\n')
    try {
      const run = await runCli(['stations', csv], { DATABASE_URL: '', DATA_DIR: dataDir })
      expect(run.code).toBe(0)
      expect(run.stdout).toContain('loaded 1 stations into the embedded database')
      const db = await startEmbeddedDatabase(join(dataDir, 'timescaledb'))
      const r = await db.query(`SELECT id, kind FROM stations`)
      expect(r.rows).toEqual([{ id: 'CITY-01', kind: 'air' }])
      await db.stop()
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/load.ts', ...args], {
      cwd: join(import.meta.dirname, '..', '..'),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}
