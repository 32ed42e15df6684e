// Wall dashboards as files: reads every *.json, *.yaml and *.yml in DASHBOARDS_DIR, validates each
// (contract/dashboard.ts validateDashboard), keeps the last good version of a file that breaks, and watches
// the folder so an edit reaches every wall without a restart. The wall always has something to show: with
// no valid file at all it gets a built-in dashboard (a map and the five KPI tiles).
import { watch, type FSWatcher } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { parseDocument } from 'yaml'
import {
  DASHBOARD_FILE_EXTENSIONS,
  dashboardProblem,
  KPI_KEYS,
  validateDashboard,
  type Dashboard,
  type DashboardProblem,
  type WallDefinition,
} from '../../contract/index.ts'
import { createLogger } from '../../core/log.ts'

const log = createLogger('dashboards')

type Parsed = { dashboard: Dashboard } | { problems: DashboardProblem[] }

/** Parses one file's text by its extension (JSON or YAML) and validates it; syntax errors name line and column. */
export function parseDashboardFile(file: string, text: string): Parsed {
  const yaml = extname(file).toLowerCase() !== '.json'
  let doc: unknown
  if (yaml) {
    const parsed = parseDocument(text, { prettyErrors: true, uniqueKeys: true })
    if (parsed.errors.length) {
      const lines = new Set<number>()
      const problems: DashboardProblem[] = []
      // one problem per line: after a syntax error the parser often reports the rest of the line again
      for (const err of parsed.errors) {
        const pos = err.linePos?.[0]
        if (pos && lines.has(pos.line)) continue
        if (pos) lines.add(pos.line)
        // with prettyErrors the message ends in " at line L, column C:" and a code excerpt
        const reason = err.message.split(/ at line \d+, column \d+:?/)[0]!.trim()
        problems.push(dashboardProblem(file, pos ? `line ${pos.line}, column ${pos.col}` : '', 'valid YAML', `a syntax error (${reason})`))
      }
      return { problems }
    }
    doc = parsed.toJS({ maxAliasCount: 100 })
  } else {
    const source = text.replace(/^\uFEFF/, '')
    try {
      doc = JSON.parse(source)
    } catch (err) {
      const message = (err as Error).message
      const reason = message.replace(/, ".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '')
      const { line, col } = jsonErrorPlace(source, message)
      return { problems: [dashboardProblem(file, `line ${line}, column ${col}`, 'valid JSON', `a syntax error (${reason})`)] }
    }
  }
  return validateDashboard(doc, file)
}

/**
 * Where JSON.parse stopped. V8 gives an offset for most errors ("at position 42") but not for an unexpected
 * token; there the YAML parser, reading the text as JSON, finds the place. Failing both: the end of the text.
 */
function jsonErrorPlace(source: string, message: string): { line: number; col: number } {
  const at = /at position (\d+)/.exec(message)
  if (!at) {
    const pos = parseDocument(source, { schema: 'json', prettyErrors: true }).errors[0]?.linePos?.[0]
    if (pos) return pos
  }
  const before = source.slice(0, at ? Number(at[1]) : source.length).split('\n')
  return { line: before.length, col: before.at(-1)!.length + 1 }
}

/** What the wall shows when no file in the folder is valid: the map with the five KPI tiles above it. */
export const FALLBACK_DASHBOARD: Dashboard = (() => {
  const result = validateDashboard(
    {
      title: { vi: 'Trung tâm điều hành thông minh', en: 'Intelligent operations center' },
      screens: [
        {
          id: 'overview',
          title: { vi: 'Tổng quan', en: 'Overview' },
          grid: { columns: 10, rows: 8 },
          widgets: [
            ...KPI_KEYS.map((kpi, i) => ({ type: 'kpi', kpi, at: { x: 1 + 2 * i, y: 1, w: 2, h: 1 } })),
            { type: 'map', at: { x: 1, y: 2, w: 10, h: 7 } },
          ],
        },
      ],
    },
    'default.json',
  )
  if (!('dashboard' in result)) throw new Error(`the built-in dashboard is invalid: ${result.problems.map((p) => p.message).join('; ')}`)
  return result.dashboard
})()

export interface DashboardStoreOptions {
  /** Folder of the definition files (DASHBOARDS_DIR); null serves the built-in dashboard only. */
  dir: string | null
  /** MAP_STYLE_URL, handed to the wall unchanged. */
  mapStyleUrl: string | null
  /** Called with the whole definition whenever what the wall gets changed (not for edits that change nothing). */
  onChange?: (wall: WallDefinition) => void
  /** Quiet time after the last file event before the folder is read again; an editor's save is several events. Default 200. */
  debounceMs?: number
  /** How often a missing or lost folder is looked for again. Default 2000. */
  retryMs?: number
  now?: () => number
}

const isDashboardFile = (name: string) =>
  // dot files are editor swap and lock files (.x.yaml.swp, emacs .#x.yaml); #x.yaml# is an emacs autosave
  !name.startsWith('.') && !name.startsWith('#') && (DASHBOARD_FILE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase())

/**
 * Keeps the wall definition in step with the folder. Every change re-reads the whole folder (a handful of
 * small files), so a rename, an editor's write-to-temp-then-rename, a deleted or a new file, or a
 * Kubernetes ConfigMap swapping its `..data` link all come down to the same rescan.
 */
export class DashboardStore {
  #wall: WallDefinition
  /** The last good version of each file, by file name: what a broken file falls back to. */
  #good = new Map<string, Dashboard>()
  #watcher: FSWatcher | null = null
  /** Inode of the folder being watched: a folder replaced as a whole (mv new dashboards) needs a new watch. */
  #watchedInode: number | null = null
  #debounce: NodeJS.Timeout | null = null
  #retry: NodeJS.Timeout | null = null
  #reloading: Promise<WallDefinition> | null = null
  #again = false
  #closed = false
  #logged: DashboardProblem[] = []
  #fallbackLogged = false
  readonly #now: () => number

  constructor(private readonly o: DashboardStoreOptions) {
    this.#now = o.now ?? Date.now
    this.#wall = { at: new Date(this.#now()).toISOString(), dashboards: [FALLBACK_DASHBOARD], problems: [], mapStyleUrl: o.mapStyleUrl }
  }

  /** The current definition: GET /api/wall. */
  get wall(): WallDefinition {
    return this.#wall
  }

  /** Reads the folder and starts watching it. */
  async start(): Promise<WallDefinition> {
    if (this.o.dir === null) {
      log.info('no dashboards folder: the wall shows the built-in dashboard')
      return this.#wall
    }
    this.#watch()
    return this.reload()
  }

  /** Reads the folder now (a reload already running is followed by one more, so no change is missed). */
  reload(): Promise<WallDefinition> {
    if (this.#reloading) {
      this.#again = true
      return this.#reloading
    }
    this.#reloading = (async () => {
      try {
        do {
          this.#again = false
          this.#apply(await this.#read())
        } while (this.#again && !this.#closed)
      } finally {
        this.#reloading = null
      }
      return this.#wall
    })()
    return this.#reloading
  }

  async close(): Promise<void> {
    this.#closed = true
    this.#watcher?.close()
    this.#watcher = null
    if (this.#debounce) clearTimeout(this.#debounce)
    if (this.#retry) clearTimeout(this.#retry)
    await this.#reloading?.catch(() => undefined)
  }

  #watch(): void {
    const dir = this.o.dir!
    try {
      // persistent: false, so a forgotten store never keeps a process (or a test run) alive
      this.#watcher = watch(dir, { persistent: false }, () => this.#schedule())
      this.#watchedInode = null
      this.#watcher.on('error', (err) => {
        log.warn(`stopped watching ${dir}; looking for it again every ${(this.o.retryMs ?? 2000) / 1000} s`, { error: err })
        this.#watcher?.close()
        this.#watcher = null
        this.#schedule()
        this.#retryLater()
      })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn(`cannot watch ${dir}`, { error: err })
      this.#retryLater()
    }
  }

  #retryLater(): void {
    if (this.#closed || this.#retry) return
    this.#retry = setTimeout(() => {
      this.#retry = null
      if (this.#closed || this.#watcher) return
      this.#watch()
      if (this.#watcher) void this.reload()
    }, this.o.retryMs ?? 2000)
    this.#retry.unref()
  }

  #schedule(): void {
    if (this.#closed) return
    if (this.#debounce) clearTimeout(this.#debounce)
    this.#debounce = setTimeout(() => {
      this.#debounce = null
      this.reload().catch((err) => log.error('reading the dashboards failed', { error: err }))
    }, this.o.debounceMs ?? 200)
    this.#debounce.unref()
  }

  /** Every dashboard file of the folder, parsed and validated, by file name. */
  async #read(): Promise<Map<string, Parsed> | null> {
    const dir = this.o.dir!
    let names: string[]
    try {
      names = (await readdir(dir)).filter(isDashboardFile).sort()
      const inode = (await stat(dir)).ino
      if (this.#watcher && this.#watchedInode !== null && inode !== this.#watchedInode) {
        // the folder was replaced: the watch still follows the old one
        this.#watcher.close()
        this.#watcher = null
        this.#watch()
      }
      this.#watchedInode = inode
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      return null
    }
    const results = new Map<string, Parsed>()
    await Promise.all(
      names.map(async (name) => {
        const path = join(dir, name)
        try {
          if (!(await stat(path)).isFile()) return
          results.set(name, parseDashboardFile(name, await readFile(path, 'utf8')))
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code
          // gone between readdir and read (an editor's rename in flight): the next event rescans
          if (code === 'ENOENT') return
          results.set(name, { problems: [dashboardProblem(name, '', 'a readable file', `an error (${code ?? (err as Error).message})`)] })
        }
      }),
    )
    return new Map([...results.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  }

  /** Turns the files read into the wall definition, keeping last good versions; notifies when it changed. */
  #apply(results: Map<string, Parsed> | null): void {
    if (this.#closed) return
    if (results === null) {
      // the folder is gone: a watch on it hears nothing more, so look for it again until it is back
      this.#watcher?.close()
      this.#watcher = null
      this.#retryLater()
    }
    const files = results ?? new Map<string, Parsed>()
    const problems: DashboardProblem[] = []
    const byId = new Map<string, { file: string; dashboard: Dashboard }>()
    for (const file of [...this.#good.keys()]) if (!files.has(file)) this.#good.delete(file)
    for (const [file, result] of files) {
      let dashboard: Dashboard | undefined
      if ('dashboard' in result) {
        dashboard = result.dashboard
        this.#good.set(file, dashboard)
      } else {
        dashboard = this.#good.get(file)
        problems.push(...result.problems.map((p) => ({ ...p, keptPrevious: dashboard !== undefined })))
      }
      if (!dashboard) continue
      const other = byId.get(dashboard.id)
      if (other) {
        problems.push(dashboardProblem(file, '', `a file name of its own (${other.file} already gives the dashboard id '${dashboard.id}')`, JSON.stringify(file)))
        continue
      }
      byId.set(dashboard.id, { file, dashboard })
    }
    const dashboards = [...byId.values()].map((d) => d.dashboard).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    if (dashboards.length === 0) {
      if (!this.#fallbackLogged) {
        log.warn(
          results === null
            ? `${this.o.dir} does not exist: the wall shows the built-in dashboard`
            : `no valid dashboard in ${this.o.dir}: the wall shows the built-in dashboard`,
        )
      }
      this.#fallbackLogged = true
      dashboards.push(FALLBACK_DASHBOARD)
    } else {
      this.#fallbackLogged = false
    }
    this.#logProblems(problems, new Set(files.keys()))

    const changed = JSON.stringify([dashboards, problems]) !== JSON.stringify([this.#wall.dashboards, this.#wall.problems])
    if (!changed) return
    this.#wall = { at: new Date(this.#now()).toISOString(), dashboards, problems, mapStyleUrl: this.o.mapStyleUrl }
    log.info(`wall dashboards: ${dashboards.map((d) => `${d.id} (${d.screens.length} screen${d.screens.length === 1 ? '' : 's'})`).join(', ')}`, {
      problems: problems.length,
    })
    this.o.onChange?.(this.#wall)
  }

  /** Logs each problem once, when it appears, and says when a file that had problems has none any more. */
  #logProblems(problems: DashboardProblem[], files: ReadonlySet<string>): void {
    const key = (p: DashboardProblem) => `${p.keptPrevious} ${p.message}`
    const logged = new Set(this.#logged.map(key))
    for (const p of problems) {
      if (!logged.has(key(p))) log.warn(`${p.message}${p.keptPrevious ? ' (the wall keeps the last good version)' : ''}`)
    }
    const failing = new Set(problems.map((p) => p.file))
    for (const file of new Set(this.#logged.map((p) => p.file))) {
      if (!failing.has(file) && files.has(file)) log.info(`${file}: fixed`)
    }
    this.#logged = problems
  }
}
