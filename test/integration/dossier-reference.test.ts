// The dossier domain's reference data against real databases: the procedures catalogue, the working-day
// calendar (holidays seeded at every start, overrides winning), the demo seed with its departments and
// procedures, the history the simulator reads back, and the db:load CLI for procedures and the calendar.
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { vietnamHolidays } from '../../contract/shared/holidays.ts'
import { loadCalendarDays, loadProcedures, seedHolidays, upsertCalendarOverrides, upsertProcedures } from '../../db/dossier-reference.ts'
import { migrate } from '../../db/migrate.ts'
import { loadUnits, seedDemoIfEmpty, upsertUnits } from '../../db/reference.ts'
import { readDemoFiles } from '../../db/seed/demo-files.ts'
import { prepareDatabase } from '../../db/setup.ts'
import { readDossierCoverage } from '../../simulator/dossier-feed.ts'
import { DATABASE_TARGETS, TEST_DATABASE_URL, openTestDatabase, type TestDatabase } from '../helpers/databases.ts'
import { testConfig } from '../helpers/stack.ts'

describe.each(DATABASE_TARGETS)('dossier reference data on the %s database', (kind) => {
  let db: TestDatabase

  beforeAll(async () => {
    db = await openTestDatabase(kind)
    await migrate(db.db)
  })

  afterAll(async () => {
    await db?.close()
  })

  it('seeds the public holidays once, however often it runs', async () => {
    const expected = vietnamHolidays()
    expect(await seedHolidays(db.db)).toBe(expected.length)
    expect(await seedHolidays(db.db)).toBe(0)
    const days = await loadCalendarDays(db.db)
    expect(days).toEqual(expected)
    expect(days.find((d) => d.day === '2026-02-17')).toMatchObject({ working: false }) // Mùng 1 Tết
  })

  it('lets an override replace a seeded holiday, and keeps it when the holidays are seeded again', async () => {
    const changed = await upsertCalendarOverrides(db.db, [
      { day: '2026-02-14', working: true, note: 'Làm bù cho ngày 20/02' },
      { day: '2026-02-20', working: false, note: 'Nghỉ Tết (theo thông báo)' },
      { day: '2026-09-01', working: true, note: 'Không nghỉ' },
    ])
    expect(changed).toBe(3)
    expect(await upsertCalendarOverrides(db.db, [{ day: '2026-02-14', working: true, note: 'Làm bù cho ngày 20/02' }])).toBe(0)
    expect(await seedHolidays(db.db)).toBe(0)
    const days = await loadCalendarDays(db.db)
    expect(days.find((d) => d.day === '2026-02-14')).toEqual({ day: '2026-02-14', working: true, note: 'Làm bù cho ngày 20/02' })
    expect(days.find((d) => d.day === '2026-09-01')).toEqual({ day: '2026-09-01', working: true, note: 'Không nghỉ' })
    const { rows } = await db.db.query<{ source: string; n: number }>(`SELECT source, count(*)::int AS n FROM calendar_days GROUP BY source ORDER BY source`)
    expect(rows).toEqual([
      { source: 'holiday', n: vietnamHolidays().length - 2 },
      { source: 'override', n: 3 },
    ])
  })

  it('upserts procedures, reads them back exactly, and leaves identical rows alone', async () => {
    const { procedures } = await readDemoFiles()
    expect(await upsertProcedures(db.db, procedures)).toBe(procedures.length)
    expect(await upsertProcedures(db.db, procedures)).toBe(0)
    const loaded = await loadProcedures(db.db)
    expect(loaded).toEqual([...procedures].sort((a, b) => (a.code < b.code ? -1 : 1)))
    expect(loaded.some((p) => p.legalDays === 0.5)).toBe(true)
    const changed = { ...procedures[0]!, legalDays: 12.5, onlineLevel: '4' as const, hasFee: !procedures[0]!.hasFee }
    expect(await upsertProcedures(db.db, [changed, procedures[1]!])).toBe(1)
    expect((await loadProcedures(db.db)).find((p) => p.code === changed.code)).toEqual(changed)
  })

  it('counts the events of one system per Vietnam day, for the simulator to resume its history', async () => {
    await db.db.query(
      `INSERT INTO dossier_events (dossier_id, event, ts, system_id) VALUES
         ('D1', 'received', '2026-03-02T16:59:00Z', 'QN-MOTCUA'),  -- 23:59 on 2 March in Vietnam
         ('D1', 'processing', '2026-03-02T17:01:00Z', 'QN-MOTCUA'), -- 00:01 on 3 March
         ('D2', 'received', '2026-03-03T02:00:00Z', 'QN-MOTCUA'),
         ('D3', 'received', '2026-03-03T02:00:00Z', 'OTHER'),
         ('D0', 'received', '2026-02-20T02:00:00Z', 'QN-MOTCUA')`,
    )
    expect(await readDossierCoverage(db.db, 'QN-MOTCUA', Date.parse('2026-03-01T00:00:00+07:00'))).toEqual({ '2026-03-02': 1, '2026-03-03': 2 })
  })
})

describe.each(DATABASE_TARGETS)('the demo seed on the %s database', (kind) => {
  let db: TestDatabase

  beforeAll(async () => {
    db = await openTestDatabase(kind)
  })

  afterAll(async () => {
    await db?.close()
  })

  it('prepares a fresh database with holidays, the typed demo units and the procedures, once', async () => {
    const demo = await readDemoFiles()
    await prepareDatabase(db.db, testConfig({ SEED_DEMO: '1' }))
    expect(await loadCalendarDays(db.db)).toHaveLength(vietnamHolidays().length)
    const units = await loadUnits(db.db)
    expect(units).toHaveLength(demo.units.length)
    expect(units.find((u) => u.id === 'QN-SXD')).toMatchObject({ type: 'department', name: 'Sở Xây dựng', geometry: null })
    expect(units.find((u) => u.id === 'QN-TTPVHCC')).toMatchObject({ type: 'centre' })
    expect(units.find((u) => u.id === 'QN-HL')).toMatchObject({ type: 'area' })
    expect(units.find((u) => u.id === 'QN-HL-BC')).toMatchObject({ type: 'locality' })
    expect(await loadProcedures(db.db)).toHaveLength(demo.procedures.length)
    expect(await seedDemoIfEmpty(db.db)).toEqual({ seeded: false, counts: { units: 0, stations: 0, cameras: 0, procedures: 0, reportCategories: 0 } })
  })

  it('brings the demo of an earlier start up to date: departments added, types set, procedures loaded', async () => {
    // as a database seeded before units had types: no departments, migration 007's default types, no procedures
    await db.db.query(`DELETE FROM procedures`)
    await db.db.query(`DELETE FROM units WHERE type IN ('department', 'centre')`)
    await db.db.query(`UPDATE units SET type = 'locality' WHERE parent_id IS NOT NULL`)
    const r = await seedDemoIfEmpty(db.db)
    const demo = await readDemoFiles()
    const added = demo.units.filter((u) => u.type === 'department' || u.type === 'centre' || u.type === 'area').length
    expect(r).toEqual({ seeded: true, counts: { units: added, stations: 0, cameras: 0, procedures: demo.procedures.length, reportCategories: 0 } })
    expect((await loadUnits(db.db)).find((u) => u.id === 'QN-HL')?.type).toBe('area')
  })

  it('leaves a city’s own units and its empty catalogue alone', async () => {
    const city = await openTestDatabase(kind)
    try {
      await migrate(city.db)
      await upsertUnits(city.db, [{ id: 'HP', parentId: null, name: 'Thành phố Hải Phòng', level: 'thành phố', type: 'province', geometry: null, approximate: false }])
      expect(await seedDemoIfEmpty(city.db)).toEqual({ seeded: false, counts: { units: 0, stations: 0, cameras: 0, procedures: 0, reportCategories: 0 } })
      expect(await loadProcedures(city.db)).toEqual([])
    } finally {
      await city.close()
    }
  })
})

describe.skipIf(!TEST_DATABASE_URL)('db:load procedures and calendar', () => {
  it('loads the good rows, prints the bad ones with their column, and exits 2', async () => {
    const fresh = await openTestDatabase('postgres')
    const dir = await mkdtemp(join(tmpdir(), 'ioc-load-'))
    try {
      const procedures = join(dir, 'procedures.csv')
      await writeFile(procedures, ['code,name,field,legal_days,online_level,has_fee', '1.001193,Đăng ký khai sinh,Hộ tịch,0.5,full,false', '1.002,Thủ tục lỗi,Hộ tịch,ba,full,false'].join('\n'))
      const p = await runCli(['procedures', procedures], { DATABASE_URL: fresh.url! })
      expect(p.code, p.stderr).toBe(2)
      expect(p.stderr).toContain('row 3, field legal_days')
      expect(p.stdout).toContain('loaded 1 procedures')
      expect((await loadProcedures(fresh.db)).map((x) => x.code)).toEqual(['1.001193'])

      const calendar = join(dir, 'calendar.csv')
      await writeFile(calendar, 'day,working,note\n2026-02-14,true,Làm bù\n')
      const c = await runCli(['calendar', calendar], { DATABASE_URL: fresh.url! })
      expect(c.code, c.stderr).toBe(0)
      expect(c.stdout).toContain('loaded 1 calendar days')
      expect(await loadCalendarDays(fresh.db)).toEqual([{ day: '2026-02-14', working: true, note: 'Làm bù' }])
    } finally {
      await rm(dir, { recursive: true, force: true })
      await fresh.close()
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
