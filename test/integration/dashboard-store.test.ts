// The dashboard loader over a real folder: files are read, validated and watched; a broken edit keeps the
// last good version and says so; fixing, adding, deleting and editors' write-then-rename all reach the wall
// without a restart. Changes are awaited by polling with a deadline, never by sleeping.
import { mkdir, mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { WallDefinition } from '../../contract/index.ts'
import { DashboardStore, FALLBACK_DASHBOARD, parseDashboardFile } from '../../server/shared/dashboards.ts'
import { waitFor } from '../helpers/wait.ts'

const yamlDashboard = (title: string, screen = 'environment') => `title: ${title}
screens:
  - id: ${screen}
    title: Môi trường
    grid: { columns: 12, rows: 8 }
    widgets:
      - type: map
        at: { x: 1, y: 1, w: 8, h: 8 }
      - type: aqi-ranking
        at: { x: 9, y: 1, w: 4, h: 8 }
`

const jsonDashboard = (title: string) =>
  JSON.stringify({
    title,
    screens: [{ id: 'traffic', title: 'Giao thông', grid: { columns: 4, rows: 4 }, widgets: [{ type: 'site-sparklines', kind: 'road', at: { x: 1, y: 1, w: 4, h: 4 } }] }],
  })

describe('DashboardStore', () => {
  let dir: string
  let store: DashboardStore | undefined
  let changes: WallDefinition[]

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ioc-dashboards-'))
    changes = []
  })

  afterEach(async () => {
    await store?.close()
    store = undefined
    await rm(dir, { recursive: true, force: true })
  })

  async function start(folder: string | null = dir): Promise<DashboardStore> {
    store = new DashboardStore({ dir: folder, mapStyleUrl: null, debounceMs: 50, retryMs: 100, onChange: (w) => changes.push(w) })
    await store.start()
    return store
  }

  const ids = (w: WallDefinition) => w.dashboards.map((d) => d.id)
  const untilWall = (s: DashboardStore, ok: (w: WallDefinition) => boolean, what: string) => waitFor(() => s.wall, ok, what, 5_000, 20)

  it('loads every JSON and YAML file at start, sorted by id, and ignores other files', async () => {
    await writeFile(join(dir, 'operations.yaml'), yamlDashboard('Vận hành'))
    await writeFile(join(dir, 'night.yml'), yamlDashboard('Ca đêm'))
    await writeFile(join(dir, 'lobby.json'), jsonDashboard('Sảnh'))
    await writeFile(join(dir, 'README.md'), '# not a dashboard')
    await writeFile(join(dir, '.operations.yaml.swp'), 'vim swap file')
    await mkdir(join(dir, 'archive.yaml'))
    const s = await start()
    expect(ids(s.wall)).toEqual(['lobby', 'night', 'operations'])
    expect(s.wall.problems).toEqual([])
    expect(s.wall.mapStyleUrl).toBeNull()
    expect(s.wall.dashboards.find((d) => d.id === 'operations')).toMatchObject({ title: 'Vận hành', alerts: { aqiBand: 'poor' } })
  })

  it('keeps the last good version of a file that breaks, and reports the problem with file and path', async () => {
    await writeFile(join(dir, 'operations.yaml'), yamlDashboard('Vận hành'))
    const s = await start()
    await writeFile(join(dir, 'operations.yaml'), yamlDashboard('Vận hành').replace('w: 8, h: 8', 'w: 13, h: 8'))
    const wall = await untilWall(s, (w) => w.problems.length > 0, 'the problem of the broken file')
    expect(ids(wall)).toEqual(['operations'])
    expect(wall.dashboards[0]!.screens[0]!.widgets[0]!.at).toEqual({ x: 1, y: 1, w: 8, h: 8 })
    expect(wall.problems).toEqual([
      {
        file: 'operations.yaml',
        path: 'screens[0].widgets[0].at.w',
        expected: 'an integer 1–12',
        message: 'operations.yaml: screens[0].widgets[0].at.w: expected an integer 1–12, got 13',
        keptPrevious: true,
      },
    ])
    expect(changes.at(-1)).toEqual(wall)
  })

  it('clears the problem when the file is fixed', async () => {
    await writeFile(join(dir, 'operations.yaml'), yamlDashboard('Vận hành'))
    const s = await start()
    await writeFile(join(dir, 'operations.yaml'), 'title: [')
    await untilWall(s, (w) => w.problems.length > 0, 'the syntax error')
    await writeFile(join(dir, 'operations.yaml'), yamlDashboard('Vận hành mới'))
    const wall = await untilWall(s, (w) => w.problems.length === 0, 'the problem to clear')
    expect(wall.dashboards[0]!.title).toBe('Vận hành mới')
  })

  it('shows a new file', async () => {
    await writeFile(join(dir, 'operations.yaml'), yamlDashboard('Vận hành'))
    const s = await start()
    await writeFile(join(dir, 'lobby.json'), jsonDashboard('Sảnh'))
    const wall = await untilWall(s, (w) => w.dashboards.length === 2, 'the new dashboard')
    expect(ids(wall)).toEqual(['lobby', 'operations'])
    expect(changes.map(ids)).toContainEqual(['lobby', 'operations'])
  })

  it('drops a deleted file, and its problems with it', async () => {
    await writeFile(join(dir, 'operations.yaml'), yamlDashboard('Vận hành'))
    await writeFile(join(dir, 'lobby.json'), jsonDashboard('Sảnh'))
    await writeFile(join(dir, 'broken.yaml'), 'title: [')
    const s = await start()
    expect(s.wall.problems.map((p) => p.file)).toEqual(['broken.yaml'])
    await Promise.all([unlink(join(dir, 'lobby.json')), unlink(join(dir, 'broken.yaml'))])
    const wall = await untilWall(s, (w) => w.dashboards.length === 1 && w.problems.length === 0, 'the deleted files to go')
    expect(ids(wall)).toEqual(['operations'])
  })

  it('follows a rename: the dashboard takes the new file name as its id', async () => {
    await writeFile(join(dir, 'operations.yaml'), yamlDashboard('Vận hành'))
    const s = await start()
    await rename(join(dir, 'operations.yaml'), join(dir, 'day-shift.yaml'))
    const wall = await untilWall(s, (w) => ids(w).includes('day-shift'), 'the renamed dashboard')
    expect(ids(wall)).toEqual(['day-shift'])
  })

  it("picks up an editor's save that writes a temporary file and renames it over the original", async () => {
    await writeFile(join(dir, 'operations.yaml'), yamlDashboard('Vận hành'))
    const s = await start()
    for (const title of ['Bản 2', 'Bản 3']) {
      const temp = join(dir, `.operations.yaml.${title.length}.tmp`)
      await writeFile(temp, yamlDashboard(title))
      await rename(temp, join(dir, 'operations.yaml'))
      await untilWall(s, (w) => w.dashboards[0]?.title === title, `the saved title ${title}`)
    }
  })

  it('names the line and column of a YAML syntax error', async () => {
    await writeFile(join(dir, 'operations.yaml'), 'title: Vận hành\nscreens:\n  - id: environment\n   title: x\n')
    const s = await start()
    expect(s.wall.problems).toEqual([
      expect.objectContaining({ file: 'operations.yaml', path: 'line 4, column 1', expected: 'valid YAML', keptPrevious: false }),
    ])
    expect(s.wall.problems[0]!.message).toBe('operations.yaml: line 4, column 1: expected valid YAML, got a syntax error (Sequence item without - indicator)')
  })

  it('shows the built-in dashboard while no file is valid, without calling it a problem', async () => {
    await writeFile(join(dir, 'operations.yaml'), 'screens: []')
    const s = await start()
    expect(ids(s.wall)).toEqual(['default'])
    expect(s.wall.problems.map((p) => p.path)).toEqual(['title', 'screens'])
    await writeFile(join(dir, 'operations.yaml'), yamlDashboard('Vận hành'))
    const wall = await untilWall(s, (w) => ids(w).includes('operations'), 'the fixed dashboard')
    expect(ids(wall)).toEqual(['operations'])
    await unlink(join(dir, 'operations.yaml'))
    expect(ids(await untilWall(s, (w) => ids(w).includes('default'), 'the built-in dashboard'))).toEqual(['default'])
  })

  it('serves the built-in dashboard with no folder configured', async () => {
    const s = await start(null)
    expect(s.wall).toMatchObject({ dashboards: [FALLBACK_DASHBOARD], problems: [] })
  })

  it('waits for a folder that does not exist yet', async () => {
    const later = join(dir, 'later')
    const s = await start(later)
    expect(ids(s.wall)).toEqual(['default'])
    await mkdir(later)
    await writeFile(join(later, 'operations.yaml'), yamlDashboard('Vận hành'))
    await untilWall(s, (w) => ids(w).includes('operations'), 'the dashboard of the new folder')
  })

  it('falls back while the folder is gone and follows it when it is back', async () => {
    const folder = join(dir, 'walls')
    await mkdir(folder)
    await writeFile(join(folder, 'operations.yaml'), yamlDashboard('Vận hành'))
    const s = await start(folder)
    await rm(folder, { recursive: true })
    await untilWall(s, (w) => ids(w).includes('default'), 'the built-in dashboard')
    await mkdir(folder)
    await writeFile(join(folder, 'lobby.json'), jsonDashboard('Sảnh'))
    expect(ids(await untilWall(s, (w) => ids(w).includes('lobby'), 'the dashboard of the folder made again'))).toEqual(['lobby'])
  })

  it('follows a folder replaced as a whole', async () => {
    const folder = join(dir, 'walls')
    const next = join(dir, 'walls-next')
    await mkdir(folder)
    await mkdir(next)
    await writeFile(join(folder, 'operations.yaml'), yamlDashboard('Vận hành'))
    await writeFile(join(next, 'lobby.json'), jsonDashboard('Sảnh'))
    const s = await start(folder)
    await rename(folder, join(dir, 'walls-old'))
    await rename(next, folder)
    await untilWall(s, (w) => ids(w).join() === 'lobby', 'the dashboards of the new folder')
    await writeFile(join(folder, 'operations.yaml'), yamlDashboard('Vận hành'))
    await untilWall(s, (w) => ids(w).join() === 'lobby,operations', 'a file added to the new folder')
  })

  it('reports the second of two files that give the same id', async () => {
    await writeFile(join(dir, 'lobby.json'), jsonDashboard('Sảnh JSON'))
    await writeFile(join(dir, 'lobby.yaml'), yamlDashboard('Sảnh YAML'))
    const s = await start()
    expect(s.wall.dashboards.map((d) => d.title)).toEqual(['Sảnh JSON'])
    expect(s.wall.problems).toEqual([
      expect.objectContaining({ file: 'lobby.yaml', path: '', expected: "a file name of its own (lobby.json already gives the dashboard id 'lobby')" }),
    ])
  })

  it('does not announce a change when a rescan finds the same definitions', async () => {
    await writeFile(join(dir, 'operations.yaml'), yamlDashboard('Vận hành'))
    const s = await start()
    const before = changes.length
    const at = s.wall.at
    await s.reload()
    expect(changes.length).toBe(before)
    expect(s.wall.at).toBe(at)
  })

  it('stops watching when closed', async () => {
    await writeFile(join(dir, 'operations.yaml'), yamlDashboard('Vận hành'))
    const s = await start()
    await s.close()
    const count = changes.length
    await writeFile(join(dir, 'lobby.json'), jsonDashboard('Sảnh'))
    await s.reload()
    expect(changes.length).toBe(count)
    expect(ids(s.wall)).toEqual(['operations'])
  })
})

describe('parseDashboardFile', () => {
  it('names the line and column of a JSON syntax error', () => {
    const result = parseDashboardFile('lobby.json', '{\n  "title": "Sảnh",\n  "screens": [,]\n}')
    expect(result).toEqual({
      problems: [expect.objectContaining({ file: 'lobby.json', path: 'line 3, column 15', expected: 'valid JSON', keptPrevious: false })],
    })
  })

  it('names the line and column of a missing comma in JSON, and what JSON.parse said', () => {
    const result = parseDashboardFile('lobby.json', '{\n  "title": "Sảnh"\n  "screens": []\n}')
    expect(result).toEqual({
      problems: [
        expect.objectContaining({ path: 'line 3, column 3', message: "lobby.json: line 3, column 3: expected valid JSON, got a syntax error (Expected ',' or '}' after property value)" }),
      ],
    })
  })

  it('names the end of a truncated JSON file', () => {
    const result = parseDashboardFile('lobby.json', '{\n  "title": "Sảnh"')
    expect(result).toEqual({ problems: [expect.objectContaining({ path: 'line 2, column 18', expected: 'valid JSON' })] })
  })

  it('reports a key written twice in YAML (the first would be lost silently)', () => {
    const result = parseDashboardFile('operations.yaml', `${yamlDashboard('Vận hành')}title: Lặp\n`)
    expect(result).toEqual({ problems: [expect.objectContaining({ path: 'line 11, column 1', expected: 'valid YAML' })] })
    expect('problems' in result && result.problems[0]!.message).toContain('Map keys must be unique')
  })

  it('reads a JSON file with a byte-order mark', () => {
    expect(parseDashboardFile('lobby.json', `\uFEFF${jsonDashboard('Sảnh')}`)).toMatchObject({ dashboard: { id: 'lobby', title: 'Sảnh' } })
  })

  it('validates what it parsed', () => {
    expect(parseDashboardFile('operations.yml', 'title: x\nscreens: 3\n')).toEqual({ problems: [expect.objectContaining({ path: 'screens' })] })
  })
})

describe('FALLBACK_DASHBOARD', () => {
  it('is a full-screen map with the five KPI tiles', () => {
    const [screen] = FALLBACK_DASHBOARD.screens
    expect(FALLBACK_DASHBOARD.id).toBe('default')
    expect(screen!.widgets.filter((w) => w.type === 'kpi').map((w) => w.type === 'kpi' && w.kpi)).toEqual([
      'stations_reporting',
      'worst_aqi',
      'stations_poor_or_worse',
      'people_waiting',
      'vehicles_per_minute',
    ])
    expect(screen!.widgets.find((w) => w.type === 'map')).toMatchObject({ at: { x: 1, w: screen!.grid.columns }, layers: ['stations', 'cameras'] })
  })
})
