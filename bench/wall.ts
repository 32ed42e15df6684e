// `npm run bench:wall`: the wall in Chromium under the live load, for BENCH_MINUTES (default 10), with its
// targets printed beside the figures. Benchmarks report numbers; nothing here fails on a missed target.
//
//  - the all-in-one `bin/ioc.ts` (embedded TimescaleDB and broker in a temporary DATA_DIR, or the services in
//    MQTT_URL / DATABASE_URL) with the simulator at BENCH_SIM_RATE readings/s (default 2,000) and
//    BENCH_BACKFILL_HOURS of history (default 2) for the charts;
//  - Chromium (SwiftShader GL, so MapLibre draws without a GPU) showing the rotating wall at BENCH_VIEWPORT
//    (default 1920x1080), warmed up for BENCH_WARMUP_SECONDS (default 60) and then measured from 20 s into a
//    screen, so the start and end readings fall on the same screen when the run spans whole rotations;
//  - JS heap after a forced GC at the start, every minute and at the end (target: growth within +15 %), DOM
//    nodes and event listeners (a leak shows there first), renderer RSS;
//  - main-thread long tasks (PerformanceObserver 'longtask'), each classed as "screen change" when it
//    overlaps the 3 s after a screen change (the map is recreated then) and "live updates" otherwise (target:
//    none over 50 ms); Long Animation Frame entries say which scripts ran in them;
//  - the load the page really got: simulator readings/s (its own counters, logged every minute at debug
//    level), ingest messages/s (/metrics), Socket.IO deltas/s and applied frames/s (`window.__iocWall`);
//  - CPU per process and the run-queue wait of the renderer's main thread: on a small machine the simulator,
//    ingest, database, server and Chromium share the cores, and a long task may be a task that waited for one.
//  - the IOC's /healthz every minute, its warnings, and its whole log saved beside the run's other files in
//    the temp directory.
//
// BENCH_PROFILE=1 also records a CPU profile of the page over the measured minutes (which costs the page some
// time: leave it off for the figures) and says which functions, mapped to client/src through the bundle's
// source map, ran inside the long tasks; the profile is kept for DevTools.
//
// BENCH_HEAP_SNAPSHOTS=1 takes a heap snapshot after the start and the end readings (kept for DevTools'
// comparison view) and prints what grew between them, by constructor.
//
// The bench's forced GCs run on the page's main thread; the long tasks they cause are left out and counted
// apart. The page-side recorders are drained every minute so their entries do not weigh on the heap figures.
//
// With DATABASE_URL, the run works in a throwaway database it creates on that server and drops afterwards
// (BENCH_KEEP_DB=1 keeps it); with MQTT_URL, under its own topic root and ingest client id.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import pg from 'pg'
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core'
import type { WallDefinition } from '../contract/index.ts'
import { buildClientIfStale } from '../bin/build-client.ts'
import { kioskFetch, wallLinkOf } from '../test/helpers/auth.ts'
import { spawnEntry, type Proc } from '../test/helpers/processes.ts'

const CHROMIUM = '/usr/bin/chromium'
/** Verified to draw MapLibre on this machine without a GPU. */
const CHROMIUM_ARGS = ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist', '--disable-background-networking', '--disable-component-update', '--no-first-run']
const LONG_TASK_MS = 50
/** A long task overlapping this window after a screen change is the screen change's work (map and charts rebuilt). */
const SCREEN_CHANGE_WINDOW_MS = 3000
/** Measurement starts this far into a screen, away from the work of the change before it. */
const INTO_SCREEN_MS = 20_000
const HEAP_TARGET_PCT = 15

// --- settings, checked once -------------------------------------------------------------------------------
const env = process.env
const problems: string[] = []
function numberSetting(name: string, def: number, min: number, max: number): number {
  const raw = env[name]?.trim()
  if (!raw) return def
  const n = Number(raw)
  if (!Number.isFinite(n) || n < min || n > max) problems.push(`${name}: expected a number ${min}–${max}, got '${raw}'`)
  return n
}
const MINUTES = numberSetting('BENCH_MINUTES', 10, 0.5, 24 * 60)
const WARMUP_S = numberSetting('BENCH_WARMUP_SECONDS', 60, 0, 3600)
const SIM_RATE = numberSetting('BENCH_SIM_RATE', 2000, 1, 100_000)
const BACKFILL_HOURS = numberSetting('BENCH_BACKFILL_HOURS', 2, 0, 24 * 6)
const PROFILE = env.BENCH_PROFILE === '1'
const SNAPSHOTS = env.BENCH_HEAP_SNAPSHOTS === '1'
const viewportRaw = env.BENCH_VIEWPORT?.trim() || '1920x1080'
const viewportMatch = /^(\d{3,5})x(\d{3,5})$/.exec(viewportRaw)
if (!viewportMatch) problems.push(`BENCH_VIEWPORT: expected WIDTHxHEIGHT like 1920x1080 or 3840x2160, got '${viewportRaw}'`)
const VIEWPORT = { width: Number(viewportMatch?.[1] ?? 1920), height: Number(viewportMatch?.[2] ?? 1080) }
if (problems.length) {
  process.stderr.write(`bench:wall: ${problems.join('\n  ')}\n`)
  process.exit(2)
}

// --- what runs in the page ---------------------------------------------------------------------------------
// Plain JavaScript in strings: functions passed to Playwright are serialised with toString(), and tsx's
// transform adds `__name(...)` helpers to them that do not exist in the page.

/**
 * Installed before the wall's scripts: records long tasks, long animation frames (with the scripts that ran
 * in them) and every screen change (the wall only keeps the last one, so its `lastScreenChangeAt` setter is
 * wrapped the moment `window.__iocWall` is assigned).
 */
const PAGE_RECORDER = `(() => {
  const bench = { longTasks: [], frames: [], screenChanges: [], unsupported: [] }
  Object.defineProperty(window, '__bench', { value: bench })
  const observe = (type, record) => {
    try {
      new PerformanceObserver((list) => { for (const e of list.getEntries()) bench[record].push(entry(type, e)) }).observe({ type, buffered: true })
    } catch { bench.unsupported.push(type) }
  }
  const entry = (type, e) => type === 'longtask'
    ? { start: e.startTime, duration: e.duration }
    : { start: e.startTime, duration: e.duration, renderStart: e.renderStart,
        scripts: e.scripts.map((s) => ({ start: s.startTime, duration: s.duration, invoker: s.invoker, invokerType: s.invokerType,
          fn: s.sourceFunctionName, url: s.sourceURL, pos: s.sourceCharPosition, layout: s.forcedStyleAndLayoutDuration })) }
  observe('longtask', 'longTasks')
  observe('long-animation-frame', 'frames')
  let stats
  Object.defineProperty(window, '__iocWall', {
    configurable: true, enumerable: true,
    get: () => stats,
    set(v) {
      stats = v
      let at = v.lastScreenChangeAt
      Object.defineProperty(v, 'lastScreenChangeAt', { configurable: true, enumerable: true, get: () => at, set(t) { at = t; bench.screenChanges.push(t) } })
    },
  })
})()`

/** Takes what the recorder holds (so its arrays never grow with the run). */
const DRAIN = `(() => {
  const b = window.__bench
  return { longTasks: b.longTasks.splice(0), frames: b.frames.splice(0), screenChanges: b.screenChanges.splice(0), unsupported: b.unsupported }
})()`
const WALL_STATS = `(() => { const w = window.__iocWall; return { now: performance.now(), deltas: w?.deltas ?? 0, frames: w?.frames ?? 0, snapshots: w?.snapshots ?? 0, screenChanges: w?.screenChanges ?? 0, lastScreenChangeAt: w?.lastScreenChangeAt ?? 0 } })()`

interface WallStats {
  now: number
  deltas: number
  frames: number
  snapshots: number
  screenChanges: number
  lastScreenChangeAt: number
}
interface LongTask {
  start: number
  duration: number
}
interface LoafScript {
  start: number
  duration: number
  invoker: string
  invokerType: string
  fn: string
  url: string
  pos: number
  layout: number
}
interface LongFrame {
  start: number
  duration: number
  renderStart: number
  scripts: LoafScript[]
}
interface Drained {
  longTasks: LongTask[]
  frames: LongFrame[]
  screenChanges: number[]
  unsupported: string[]
}

// --- processes: CPU, run-queue wait and memory from /proc ---------------------------------------------------
const CLOCK_TICKS = 100

interface ProcSample {
  pid: number
  ppid: number
  label: string
  cpuS: number
  rssMb: number
}

function readProc(pid: number): ProcSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const close = stat.lastIndexOf(')')
    const f = stat.slice(close + 2).split(' ')
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
    return { pid, ppid: Number(f[1]), label: labelOf(cmd), cpuS: (Number(f[11]) + Number(f[12])) / CLOCK_TICKS, rssMb: (Number(f[21]) * 4096) / 1048576 }
  } catch {
    return null // gone in between
  }
}

function labelOf(cmd: string[]): string {
  const line = cmd.join(' ')
  if (/chrom/.test(cmd[0] ?? '')) return `chromium ${/--type=(\S+)/.exec(line)?.[1] ?? 'browser'}`
  if (line.includes('simulator/main.ts')) return 'simulator'
  if (line.includes('db/embedded/child.ts')) return 'embedded TimescaleDB'
  if (line.includes('bin/ioc.ts')) return 'ioc (broker, ingest, server)'
  return (cmd[0] ?? '?').split('/').pop()!
}

/** This process's descendants (the IOC tree and Chromium's), with their CPU time and RSS. */
function processTree(): ProcSample[] {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readProc(Number(d)))
    .filter((p): p is ProcSample => p !== null)
  const children = new Map<number, ProcSample[]>()
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p])
  const out: ProcSample[] = []
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      out.push(c)
      walk(c.pid)
    }
  }
  walk(process.pid)
  return out
}

/** Busy and total jiffies of the whole machine. */
function machineCpu(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  const idle = f[3]! + (f[4] ?? 0)
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0)
  return { busy: total - idle, total }
}

/** Nanoseconds the thread ran and waited on a run queue (/proc/…/schedstat). */
function schedstat(pid: number): { runS: number; waitS: number } | null {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number)
    return { runS: run! / 1e9, waitS: wait! / 1e9 }
  } catch {
    return null
  }
}

// --- small helpers ------------------------------------------------------------------------------------------
const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`
const pct = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)} %`
const ms = (v: number) => `${Math.round(v)} ms`

class Interrupted extends Error {}
const abort = new AbortController()
/** `p`, or an Interrupted rejection on Ctrl-C. */
function interruptible<T>(p: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (abort.signal.aborted) return reject(new Interrupted())
    const onAbort = () => reject(new Interrupted())
    abort.signal.addEventListener('abort', onAbort, { once: true })
    p.then(resolve, reject).finally(() => abort.signal.removeEventListener('abort', onAbort))
  })
}
function sleep(msec: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (abort.signal.aborted) return reject(new Interrupted())
    const t = setTimeout(() => {
      abort.signal.removeEventListener('abort', onAbort)
      resolve()
    }, msec)
    const onAbort = () => {
      clearTimeout(t)
      reject(new Interrupted())
    }
    abort.signal.addEventListener('abort', onAbort, { once: true })
  })
}

/** Counters from the server's Prometheus text: the sum of every series of `name`. */
function metricSum(text: string, name: string): number {
  let sum = 0
  for (const line of text.split('\n')) if (line.startsWith(name) && (line[name.length] === '{' || line[name.length] === ' ')) sum += Number(line.slice(line.lastIndexOf(' ') + 1))
  return sum
}

interface SimStats {
  at: number
  sent: number
  dropout: number
  lag: number
  backpressure: number
  publishErrors: number
}
/** The simulator's cumulative counters, logged every minute at debug level. */
function simulatorStats(output: string): SimStats[] {
  const out: SimStats[] = []
  for (const m of output.matchAll(/^(\S+) DEBUG \[simulator\] simulator (\{.*\})$/gm)) {
    const s = JSON.parse(m[2]!) as { sent: number; publishErrors: number; skipped: { dropout: number; dropped_by_lag: number; dropped_by_backpressure: number } }
    out.push({ at: Date.parse(m[1]!), sent: s.sent, dropout: s.skipped.dropout, lag: s.skipped.dropped_by_lag, backpressure: s.skipped.dropped_by_backpressure, publishErrors: s.publishErrors })
  }
  return out
}

interface HeapReading {
  heap: number
  nodes: number
  listeners: number
  taskS: number
  threadS: number
  wall: WallStats
  /** Page time of the forced GC, whose long task is the bench's own. */
  gc: [number, number]
}

// --- naming the code: the bundle's source map and a CPU profile --------------------------------------------
const BASE64 = new Map([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]))

interface SourceMap {
  sources: string[]
  names: string[]
  mappings: string
}
interface Origin {
  source: string
  line: number
  name: string | null
}

/** One generated file and its source map: generated positions back to client/src (or the dependency). */
class BundleMap {
  /** Per generated line: segments [column, source, line, column, name?], decoded from the VLQ mappings. */
  readonly #lines: number[][][] = []
  readonly #lineStarts: number[] = [0]

  constructor(
    text: string,
    private readonly map: SourceMap,
  ) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.#lineStarts.push(i + 1)
    const state = [0, 0, 0, 0]
    for (const line of map.mappings.split(';')) {
      const segments: number[][] = []
      let column = 0
      for (const seg of line.split(',')) {
        if (!seg) continue
        const values: number[] = []
        let value = 0
        let shift = 0
        for (const ch of seg) {
          const digit = BASE64.get(ch)!
          value += (digit & 31) << shift
          if (digit & 32) shift += 5
          else {
            values.push(value & 1 ? -(value >>> 1) : value >>> 1)
            value = 0
            shift = 0
          }
        }
        column += values[0]!
        const out = [column]
        for (let k = 1; k < values.length; k++) out.push((state[k - 1]! += values[k]!))
        segments.push(out)
      }
      this.#lines.push(segments)
    }
  }

  /** A zero-based line and column of the bundle. */
  at(line: number, column: number): Origin | null {
    const segments = this.#lines[line]
    if (!segments) return null
    let found: number[] | undefined
    for (const seg of segments) {
      if (seg[0]! > column) break
      found = seg
    }
    if (!found || found.length < 4) return null
    return { source: this.map.sources[found[1]!]!.replace(/^(\.\.\/)+/, ''), line: found[2]! + 1, name: found.length > 4 ? this.map.names[found[4]!]! : null }
  }

  /** A character offset into the bundle (what Long Animation Frame entries give). */
  atOffset(offset: number): Origin | null {
    let lo = 0
    let hi = this.#lineStarts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.#lineStarts[mid]! <= offset) lo = mid
      else hi = mid - 1
    }
    return this.at(lo, offset - this.#lineStarts[lo]!)
  }
}

/** The wall's script bundles, by URL path, with their source maps (built with `sourcemap: true`). */
async function loadBundleMaps(baseUrl: string, page: (path: string) => Promise<Response>): Promise<Map<string, BundleMap>> {
  // the wall's page needs the kiosk session; the bundles it names do not
  const html = await (await page('/')).text()
  const maps = new Map<string, BundleMap>()
  for (const [, path] of html.matchAll(/src="(\/assets\/[^"]+\.js)"/g)) {
    const [text, map] = await Promise.all([fetch(baseUrl + path).then((r) => r.text()), fetch(`${baseUrl}${path}.map`).then((r) => (r.ok ? (r.json() as Promise<SourceMap>) : null))])
    if (map) maps.set(path!, new BundleMap(text, map))
  }
  return maps
}

function describeOrigin(o: Origin | null, fallback: string): string {
  return o ? `${o.source}:${o.line}${o.name ? ` (${o.name})` : ''}` : fallback
}

/** Self size and count per constructor (objects, closures, arrays by their kind; strings and numbers as one each). */
function heapCensus(snapshot: { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] }): Map<string, { size: number; count: number }> {
  const fields = snapshot.snapshot.meta.node_fields
  const types = snapshot.snapshot.meta.node_types[0]
  const [typeAt, nameAt, sizeAt] = [fields.indexOf('type'), fields.indexOf('name'), fields.indexOf('self_size')]
  const census = new Map<string, { size: number; count: number }>()
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    const type = types[snapshot.nodes[i + typeAt]!]!
    const key = ['object', 'closure', 'native', 'array', 'hidden', 'code'].includes(type) ? `${snapshot.strings[snapshot.nodes[i + nameAt]!]} (${type})` : `(${type})`
    const c = census.get(key) ?? { size: 0, count: 0 }
    c.size += snapshot.nodes[i + sizeAt]!
    c.count++
    census.set(key, c)
  }
  return census
}

async function takeHeapSnapshot(cdp: CDPSession, file: string): Promise<Map<string, { size: number; count: number }>> {
  const chunks: string[] = []
  const onChunk = (e: { chunk: string }) => chunks.push(e.chunk)
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk)
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk)
  const text = chunks.join('')
  writeFileSync(file, text)
  return heapCensus(JSON.parse(text))
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }[]
  startTime: number
  samples: number[]
  timeDeltas: number[]
}

/**
 * Where the samples inside the given page-time windows went: by the function on top of the stack (self
 * time) and by the innermost function of the wall's own code on the stack (so time in Svelte, d3 or
 * MapLibre is charged to the component that called it).
 */
function profileIn(profile: CpuProfile, windows: [number, number][], maps: Map<string, BundleMap>, originTicksUs: number): { sampledMs: number; self: [string, number][]; own: [string, number][] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const frameName = new Map<number, { name: string; own: boolean }>()
  const nameOf = (id: number) => {
    let f = frameName.get(id)
    if (!f) {
      const cf = byId.get(id)!.callFrame
      const path = cf.url.replace(/^https?:\/\/[^/]+/, '')
      const origin = maps.get(path)?.at(cf.lineNumber, cf.columnNumber) ?? null
      const name = cf.url ? describeOrigin(origin, `${cf.functionName || '(anonymous)'} ${path}:${cf.lineNumber + 1}`) : cf.functionName
      f = { name, own: origin !== null && !origin.source.includes('node_modules/') }
      frameName.set(id, f)
    }
    return f
  }
  const sorted = windows.map(([a, b]) => [originTicksUs + a * 1000, originTicksUs + b * 1000] as const).sort((x, y) => x[0] - y[0])
  const self = new Map<string, number>()
  const own = new Map<string, number>()
  let sampledMs = 0
  let t = profile.startTime
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!
    if (!sorted.some(([a, b]) => t >= a && t <= b)) continue
    const weight = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i]!) / 1000
    const id = profile.samples[i]!
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue
    sampledMs += weight
    const top = nameOf(id).name
    self.set(top, (self.get(top) ?? 0) + weight)
    let ownFrame = 'no wall code on the stack (browser, GC, a library on its own)'
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const f = nameOf(n)
      if (f.own) {
        ownFrame = f.name
        break
      }
    }
    own.set(ownFrame, (own.get(ownFrame) ?? 0) + weight)
  }
  const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 10)
  return { sampledMs, self: top(self), own: top(own) }
}

// --- the run ------------------------------------------------------------------------------------------------
async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (abort.signal.aborted) {
        process.stderr.write('second signal: exiting without cleaning up\n')
        process.exit(130)
      }
      process.stderr.write(`\n${signal}: stopping the browser and the IOC…\n`)
      abort.abort()
    })
  }

  const built = performance.now()
  if (await buildClientIfStale()) console.log(`wall rebuilt (client/dist was stale) in ${((performance.now() - built) / 1000).toFixed(1)} s`)

  const dataDir = await mkdtemp(join(tmpdir(), 'ioc-bench-wall-'))
  let benchDb: { admin: pg.Client; name: string } | null = null
  let ioc: Proc | null = null
  let browser: Browser | null = null
  const ingestClientId = `ioc-bench-wall-${process.pid}`
  try {
    const childEnv: Record<string, string> = {
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      MQTT_PORT: '0',
      SIM_RATE: String(SIM_RATE),
      SIM_BACKFILL_HOURS: String(BACKFILL_HOURS),
      // the simulator logs its counters every minute at debug level; nothing else logs much there
      LOG_LEVEL: 'debug',
    }
    if (env.DATABASE_URL) {
      const name = `ioc_bench_wall_${process.pid}`
      const admin = new pg.Client({ connectionString: env.DATABASE_URL })
      await admin.connect()
      await admin.query(`CREATE DATABASE ${name}`)
      benchDb = { admin, name }
      const url = new URL(env.DATABASE_URL)
      url.pathname = `/${name}`
      childEnv.DATABASE_URL = url.toString()
    }
    if (env.MQTT_URL) {
      Object.assign(childEnv, { MQTT_URL: env.MQTT_URL, MQTT_TOPIC_ROOT: `bench-wall-${process.pid}/ioc/v1`, INGEST_CLIENT_ID: ingestClientId })
    }
    // real services turn the simulator off by default
    if (env.DATABASE_URL || env.MQTT_URL) childEnv.SIMULATE = '1'

    const t0 = performance.now()
    const since = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`
    ioc = spawnEntry('bin/ioc.ts', childEnv)
    const proc = ioc
    const url = (await interruptible(proc.waitForOutput(/IOC running at (http:\/\/\S+)/, 180_000)))[1]!
    // the wall display's way in: the kiosk link the banner prints
    const wallLink = await interruptible(wallLinkOf(proc))
    const get = await kioskFetch(wallLink)
    const upAfter = since()
    const backfillDone =
      BACKFILL_HOURS > 0
        ? proc.waitForOutput(/\[simulator\] history published: (\d+) messages/, 30 * 60_000).then((m) => ({ at: since(), messages: Number(m[1]) }))
        : Promise.resolve(null)
    backfillDone.catch(() => {})
    const iocExited = proc.exited.then((e) => {
      if (!abort.signal.aborted) throw new Error(`the IOC exited during the run (${JSON.stringify(e)}):\n${proc.output().slice(-3000)}`)
    })
    iocExited.catch(() => {})
    const definition = (await (await get('/api/wall')).json()) as WallDefinition
    const screens = definition.dashboards[0]?.screens ?? []
    const rotationS = screens.length > 1 ? screens.reduce((s, x) => s + x.seconds, 0) : 0

    console.log(`IOC up in ${upAfter} at ${url} · simulator asked for ${fmt(SIM_RATE)} readings/s · ${BACKFILL_HOURS} h of history · ${env.DATABASE_URL ? 'external database' : 'embedded TimescaleDB'} · ${env.MQTT_URL ? 'external broker' : 'embedded broker'}`)
    console.log(`wall: ${screens.length} screen${screens.length === 1 ? '' : 's'} (${screens.map((s) => `${s.id} ${s.seconds} s`).join(', ')})${rotationS ? `, one rotation = ${rotationS} s` : ', no rotation'} · viewport ${VIEWPORT.width}×${VIEWPORT.height} · measuring ${MINUTES} min after a ${WARMUP_S} s warm-up`)
    if (rotationS && (MINUTES * 60) % rotationS !== 0) console.log(`  note: ${MINUTES} min is not a whole number of rotations; the end reading may fall on another screen than the start one`)

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false })
    const page: Page = await browser.newPage({ viewport: VIEWPORT })
    const errors: string[] = []
    const warnings: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${m.text()}${m.location().url ? ` (${m.location().url.replace(url, '')})` : ''}`)
      else if (m.type() === 'warning') warnings.push(m.text())
    })
    page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`))
    page.on('crash', () => errors.push('the page crashed'))
    await page.addInitScript({ content: PAGE_RECORDER })
    const cdp: CDPSession = await page.context().newCDPSession(page)
    await cdp.send('Performance.enable', { timeDomain: 'timeTicks' })
    await interruptible(page.goto(wallLink))
    await interruptible(page.locator('[data-testid=connection][data-state=live]').waitFor({ timeout: 60_000 }))
    await interruptible(page.locator('[data-testid=map][data-ready=true]').first().waitFor({ timeout: 60_000 }))
    console.log(`page live and map drawn ${since()} after start`)
    const maps = await loadBundleMaps(url, get)

    const wallStats = () => page.evaluate(WALL_STATS) as Promise<WallStats>
    const drained: Drained = { longTasks: [], frames: [], screenChanges: [], unsupported: [] }
    const drain = async () => {
      const d = (await page.evaluate(DRAIN)) as Drained
      drained.longTasks.push(...d.longTasks)
      drained.frames.push(...d.frames)
      drained.screenChanges.push(...d.screenChanges)
      drained.unsupported = d.unsupported
    }
    const readHeap = async (): Promise<HeapReading> => {
      await drain()
      const before = (await page.evaluate('performance.now()')) as number
      // twice: the first pass can leave garbage that only finalizers of the first made unreachable
      await cdp.send('HeapProfiler.collectGarbage')
      await cdp.send('HeapProfiler.collectGarbage')
      const wall = await wallStats()
      const { metrics } = await cdp.send('Performance.getMetrics')
      const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]))
      return { heap: m.JSHeapUsedSize!, nodes: m.Nodes!, listeners: m.JSEventListeners!, taskS: m.TaskDuration!, threadS: m.ThreadTime!, wall, gc: [before, wall.now] }
    }
    const metricsText = async () => (await fetch(`${url}/metrics`)).text()
    /** The IOC's own verdict (/healthz): its problems, or none. */
    const health = async () => {
      try {
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) })
        return ((await res.json()) as { problems: string[] }).problems
      } catch (err) {
        return [`/healthz: ${(err as Error).message}`]
      }
    }
    const unhealthyMinutes: string[] = []
    const starvedMinutes: string[] = []

    // warm-up, then wait until INTO_SCREEN_MS into a screen
    await sleep(WARMUP_S * 1000)
    const backfill = await interruptible(Promise.race([backfillDone, iocExited.then(() => null)]))
    if (BACKFILL_HOURS > 0) console.log(backfill ? `history: ${fmt(backfill.messages)} messages published by ${backfill.at} after start` : 'history: not published (the database already held readings)')
    if (rotationS) {
      const shortest = Math.min(...screens.map((s) => s.seconds)) * 1000
      for (const giveUp = performance.now() + 2 * rotationS * 1000; performance.now() < giveUp; ) {
        const w = await wallStats()
        const into = w.now - w.lastScreenChangeAt
        if (w.screenChanges > 0 && into >= INTO_SCREEN_MS && into <= shortest - 15_000) break
        await sleep(1000)
      }
    }

    const heaps: HeapReading[] = []
    const gcWindows: [number, number][] = []
    const take = async () => {
      const h = await readHeap()
      heaps.push(h)
      gcWindows.push(h.gc)
      return h
    }
    /** A heap snapshot stops the page for seconds: its long task is the bench's, like the forced GCs. */
    const snapshot = async (name: string) => {
      const before = (await page.evaluate('performance.now()')) as number
      const census = await takeHeapSnapshot(cdp, join(tmpdir(), `ioc-bench-wall-${process.pid}-${name}.heapsnapshot`))
      gcWindows.push([before, (await page.evaluate('performance.now()')) as number])
      return census
    }
    const start = await take()
    const startCensus = SNAPSHOTS ? await snapshot('start') : null
    const startMetrics = await metricsText()
    const startCpu = machineCpu()
    const startOwnCpu = process.cpuUsage()
    const startProcs = processTree()
    if (PROFILE) {
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.setSamplingInterval', { interval: 1000 })
      await cdp.send('Profiler.start')
    }
    const startedAt = performance.now()
    const startedAtEpoch = Date.now()
    const renderer = () => processTree().filter((p) => p.label === 'chromium renderer').sort((a, b) => b.cpuS - a.cpuS)[0]
    const startRenderer = renderer()
    const startSched = startRenderer ? schedstat(startRenderer.pid) : null
    // everything the page did before now was loading and warming up
    const warmupTasks = drained.longTasks.filter((t) => t.start < start.gc[0])
    const isScreenChange = (t: LongTask) => drained.screenChanges.some((c) => t.start <= c + SCREEN_CHANGE_WINDOW_MS && t.start + t.duration >= c)
    const isBenchGc = (t: LongTask) => gcWindows.some(([a, b]) => t.start <= b && t.start + t.duration >= a)
    const classify = (tasks: LongTask[]) => ({
      live: tasks.filter((t) => !isBenchGc(t) && !isScreenChange(t)),
      screen: tasks.filter((t) => !isBenchGc(t) && isScreenChange(t)),
      gc: tasks.filter(isBenchGc),
    })
    const maxOf = (tasks: LongTask[]) => tasks.reduce((m, t) => Math.max(m, t.duration), 0)
    const over = (tasks: LongTask[]) => tasks.filter((t) => t.duration > LONG_TASK_MS).length
    console.log(`measuring from ${since()} after start, ${Math.round((start.wall.now - start.wall.lastScreenChangeAt) / 1000)} s into screen ${start.wall.screenChanges % Math.max(1, screens.length)}\n`)
    console.log(`  min   heap after GC   nodes  listeners   deltas/s  frames/s  ingest msg/s   long tasks > 50 ms (live · screen change)   machine CPU`)

    // one line a minute
    let prev = { heap: start, metrics: startMetrics, cpu: startCpu, tasksSeen: drained.longTasks.length }
    const totalMs = MINUTES * 60_000
    for (let minute = 1; performance.now() - startedAt < totalMs; minute++) {
      await sleep(Math.max(0, Math.min(minute * 60_000, totalMs) - (performance.now() - startedAt)))
      const h = await take()
      const text = await metricsText()
      const cpu = machineCpu()
      const dt = (h.wall.now - prev.heap.wall.now) / 1000
      const tasks = classify(drained.longTasks.slice(prev.tasksSeen).filter((t) => t.start >= start.gc[1]))
      const ingestRate = (metricSum(text, 'ioc_ingest_messages_total') - metricSum(prev.metrics, 'ioc_ingest_messages_total')) / dt
      const busy = ((cpu.busy - prev.cpu.busy) / (cpu.total - prev.cpu.total)) * 100
      const taskCell = `${over(tasks.live)} (max ${ms(maxOf(tasks.live))}) · ${over(tasks.screen)} (max ${ms(maxOf(tasks.screen))})`
      const problems = await health()
      console.log(
        `  ${((performance.now() - startedAt) / 60_000).toFixed(1).padStart(4)}  ${mb(h.heap).padStart(9)} ${pct(((h.heap - start.heap) / start.heap) * 100).padStart(8)}  ${fmt(h.nodes).padStart(6)}  ${fmt(h.listeners).padStart(9)}  ${((h.wall.deltas - prev.heap.wall.deltas) / dt).toFixed(1).padStart(9)}  ${((h.wall.frames - prev.heap.wall.frames) / dt).toFixed(1).padStart(8)}  ${fmt(ingestRate).padStart(12)}   ${taskCell.padEnd(42)} ${busy.toFixed(0).padStart(4)} %`,
      )
      const label = ((performance.now() - startedAt) / 60_000).toFixed(1)
      if (problems.length) {
        unhealthyMinutes.push(label)
        console.log(`        IOC unhealthy: ${problems.join('; ').slice(0, 240)}`)
      }
      if (ingestRate < 0.9 * SIM_RATE) starvedMinutes.push(label)
      prev = { heap: h, metrics: text, cpu, tasksSeen: drained.longTasks.length }
    }

    // --- the figures ------------------------------------------------------------------------------------------
    const end = heaps.at(-1)!
    const endCensus = SNAPSHOTS ? await snapshot('end') : null
    const profile = PROFILE ? ((await cdp.send('Profiler.stop')).profile as CpuProfile) : null
    // the profile counts in the browser's monotonic clock (µs), the page in ms since its time origin
    const originTicksUs = PROFILE ? await pageOriginTicksUs(page, cdp) : 0
    const endMetrics = prev.metrics
    const endCpu = machineCpu()
    const endProcs = processTree()
    const endRenderer = renderer()
    const endSched = endRenderer ? schedstat(endRenderer.pid) : null
    const seconds = (end.wall.now - start.wall.now) / 1000
    const measured = classify(drained.longTasks.filter((t) => t.start >= start.gc[1] && t.start <= end.gc[1]))
    const growth = ((end.heap - start.heap) / start.heap) * 100
    const screenAt = (w: WallStats) => screens[w.screenChanges % Math.max(1, screens.length)]?.id ?? '-'

    console.log(`\nmemory (after a forced GC)                 start         end          change`)
    console.log(`  JS heap used                          ${mb(start.heap).padStart(9)}   ${mb(end.heap).padStart(9)}   ${pct(growth).padStart(9)}`)
    console.log(`  DOM nodes                             ${fmt(start.nodes).padStart(9)}   ${fmt(end.nodes).padStart(9)}   ${pct(((end.nodes - start.nodes) / start.nodes) * 100).padStart(9)}`)
    console.log(`  JS event listeners                    ${fmt(start.listeners).padStart(9)}   ${fmt(end.listeners).padStart(9)}   ${pct(((end.listeners - start.listeners) / start.listeners) * 100).padStart(9)}`)
    if (startRenderer && endRenderer) console.log(`  renderer RSS (its largest process)    ${`${startRenderer.rssMb.toFixed(0)} MB`.padStart(9)}   ${`${endRenderer.rssMb.toFixed(0)} MB`.padStart(9)}   ${pct(((endRenderer.rssMb - startRenderer.rssMb) / startRenderer.rssMb) * 100).padStart(9)}`)
    console.log(`  screen at the reading                 ${screenAt(start.wall).padStart(9)}   ${screenAt(end.wall).padStart(9)}`)
    // each screen holds different widgets (and its own map), so the trend is read screen by screen
    const byScreen = new Map<string, number[]>()
    for (const h of heaps) byScreen.set(screenAt(h.wall), [...(byScreen.get(screenAt(h.wall)) ?? []), h.heap])
    for (const [screen, values] of byScreen) console.log(`  heap after GC on ${screen}, minute by minute: ${values.map((h) => (h / 1048576).toFixed(1)).join(' · ')} MB`)

    // its counter lines come once a minute: the one just before the window too, so a 2-minute run has three
    if (startCensus && endCensus) {
      const keys = new Set([...startCensus.keys(), ...endCensus.keys()])
      const growth = [...keys].map((k) => {
        const a = startCensus.get(k) ?? { size: 0, count: 0 }
        const b = endCensus.get(k) ?? { size: 0, count: 0 }
        return { k, size: b.size - a.size, count: b.count - a.count, end: b.size }
      })
      const total = (c: Map<string, { size: number }>, withCode = true) => [...c].reduce((s, [k, v]) => s + (withCode || !k.endsWith('(code)') ? v.size : 0), 0)
      const [a, b] = [total(startCensus, false), total(endCensus, false)]
      console.log(`  heap snapshots: ${mb(total(startCensus))} → ${mb(total(endCensus))}; without V8's compiled code and its metadata ${mb(a)} → ${mb(b)} (${pct(((b - a) / a) * 100)})`)
      console.log(`    saved as ${join(tmpdir(), `ioc-bench-wall-${process.pid}-{start,end}.heapsnapshot`)}; what grew most, by self size:`)
      for (const g of growth.sort((a, b) => b.size - a.size).slice(0, 10)) console.log(`    ${`${g.size >= 0 ? '+' : ''}${(g.size / 1024).toFixed(0)} KB`.padStart(9)}  ${`${g.count >= 0 ? '+' : ''}${fmt(g.count)}`.padStart(8)} objects  ${g.k.slice(0, 90)}`)
    }

    const simRuns = simulatorStats(proc.output()).filter((s) => s.at >= startedAtEpoch - 60_000)
    const sim = simRuns.length >= 2 ? { first: simRuns[0]!, last: simRuns.at(-1)! } : null
    const ingestIn = (metricSum(endMetrics, 'ioc_ingest_messages_total') - metricSum(startMetrics, 'ioc_ingest_messages_total')) / seconds
    const rowsIn = (metricSum(endMetrics, 'ioc_ingest_rows_written_total') - metricSum(startMetrics, 'ioc_ingest_rows_written_total')) / seconds
    const liveOut = (metricSum(endMetrics, 'ioc_live_frames_total') - metricSum(startMetrics, 'ioc_live_frames_total')) / seconds
    console.log(`\nlive load over the ${(seconds / 60).toFixed(1)} min measured`)
    if (sim) {
      const span = (sim.last.at - sim.first.at) / 1000
      const r = (k: keyof SimStats) => (sim.last[k] - sim.first[k]) / span
      console.log(`  simulator: asked ${fmt(SIM_RATE)} readings/s, published ${fmt(r('sent'))}/s (its counters over ${Math.round(span)} s); skipped by design as device outages ${fmt(r('dropout'))}/s; dropped because it fell behind ${fmt(r('lag'))}/s, by broker backpressure ${fmt(r('backpressure'))}/s; publish errors ${fmt(r('publishErrors'))}/s`)
    } else console.log('  simulator: fewer than two of its minute counters in the window (run longer than 2 min to see its published rate)')
    console.log(`  ingest: ${fmt(ingestIn)} messages/s received, ${fmt(rowsIn)} rows/s committed · server: ${liveOut.toFixed(1)} Socket.IO frames/s emitted`)
    console.log(`  page: ${((end.wall.deltas - start.wall.deltas) / seconds).toFixed(1)} deltas/s received, ${((end.wall.frames - start.wall.frames) / seconds).toFixed(1)} frames/s applied, ${end.wall.snapshots - start.wall.snapshots} snapshots (reconnects), ${end.wall.screenChanges - start.wall.screenChanges} screen changes`)

    console.log(`\nmain-thread long tasks over the run (${LONG_TASK_MS} ms and longer are reported by the browser)`)
    const describe = (tasks: LongTask[]) => (tasks.length ? `${over(tasks)} over ${LONG_TASK_MS} ms, longest ${ms(maxOf(tasks))}, total ${ms(tasks.reduce((s, t) => s + t.duration, 0))}` : 'none')
    console.log(`  ${`live updates (not within ${SCREEN_CHANGE_WINDOW_MS / 1000} s after a screen change)`.padEnd(52)} ${describe(measured.live)}`)
    console.log(`  ${`screen changes (within ${SCREEN_CHANGE_WINDOW_MS / 1000} s after one)`.padEnd(52)} ${describe(measured.screen)}`)
    console.log(`  ${"left out: the bench's forced GCs".padEnd(52)} ${describe(measured.gc)}`)
    console.log(`  ${'left out: page load and warm-up'.padEnd(52)} ${describe(warmupTasks)}`)
    if (measured.live.length) {
      const sorted = measured.live.map((t) => t.duration).sort((a, b) => a - b)
      console.log(`  live-update tasks: median ${ms(sorted[Math.floor(sorted.length / 2)]!)}, 90th percentile ${ms(sorted[Math.floor(sorted.length * 0.9)]!)}, ${sorted.filter((d) => d > 100).length} over 100 ms`)
      attribute(measured.live, drained.frames, maps)
      const sinceChange = (t: LongTask) => {
        const before = drained.screenChanges.filter((c) => c <= t.start)
        return before.length ? (t.start - before.at(-1)!) / 1000 : NaN
      }
      console.log(`  the longest, with the time since the screen change before them and the script that ran longest in them:`)
      for (const t of [...measured.live].sort((a, b) => b.duration - a.duration).slice(0, 8)) {
        const frame = drained.frames.find((f) => t.start < f.start + f.duration && t.start + t.duration > f.start)
        const script = frame?.scripts.reduce<LoafScript | null>((m, x) => (!m || x.duration > m.duration ? x : m), null)
        const where = script ? `${script.invoker} → ${describeOrigin(maps.get(script.url.replace(/^https?:\/\/[^/]+/, ''))?.atOffset(script.pos) ?? null, script.fn || '?')} (${ms(script.duration)})` : 'no script attribution'
        console.log(`    ${ms(t.duration).padStart(8)}  ${sinceChange(t).toFixed(1).padStart(5)} s after a screen change  ${where}`)
      }
      const wide = measured.live.filter((t) => !(sinceChange(t) <= 10))
      console.log(`  with a 10 s screen-change window instead of ${SCREEN_CHANGE_WINDOW_MS / 1000} s, live updates would have ${over(wide)} over ${LONG_TASK_MS} ms, longest ${ms(maxOf(wide))}`)
    }
    if (drained.unsupported.length) console.log(`  (this Chromium does not report: ${drained.unsupported.join(', ')})`)
    if (profile) {
      const file = join(tmpdir(), `ioc-bench-wall-${process.pid}.cpuprofile`)
      writeFileSync(file, JSON.stringify(profile))
      console.log(`\nCPU profile of the page over the run (sampled every 1 ms; saved for DevTools: ${file})`)
      for (const [label, tasks] of [['live-update long tasks', measured.live], ['screen-change long tasks', measured.screen]] as const) {
        if (!tasks.length) continue
        const p = profileIn(profile, tasks.map((t) => [t.start, t.start + t.duration]), maps, originTicksUs)
        const total = tasks.reduce((s, t) => s + t.duration, 0)
        console.log(`  ${label}: ${ms(total)} long, ${ms(p.sampledMs)} of it in non-idle samples (samples also land while the thread waits for a core: shares, not CPU time)`)
        console.log('    by the wall code on the stack (inclusive):')
        for (const [name, t] of p.own) console.log(`      ${ms(t).padStart(7)}  ${name}`)
        console.log('    by the function running (self):')
        for (const [name, t] of p.self.slice(0, 6)) console.log(`      ${ms(t).padStart(7)}  ${name}`)
      }
    }

    const cpuSpan = endCpu.total - startCpu.total
    console.log(`\nCPU over the run (% of one core; ${machineCores()} cores = ${machineCores() * 100} %)`)
    const wallS = (performance.now() - startedAt) / 1000
    const machinePct = ((endCpu.busy - startCpu.busy) / cpuSpan) * machineCores() * 100
    const own = process.cpuUsage(startOwnCpu)
    const benchPct = ((own.user + own.system) / 1e6 / wallS) * 100
    const byLabel = new Map<string, { cpu: number; rss: number; n: number }>()
    for (const p of endProcs) {
      const before = startProcs.find((q) => q.pid === p.pid)?.cpuS ?? 0
      const e = byLabel.get(p.label) ?? { cpu: 0, rss: 0, n: 0 }
      byLabel.set(p.label, { cpu: e.cpu + (p.cpuS - before), rss: e.rss + p.rssMb, n: e.n + 1 })
    }
    byLabel.set('this bench (node, Playwright)', { cpu: (benchPct / 100) * wallS, rss: process.memoryUsage().rss / 1048576, n: 1 })
    const treePct = ([...byLabel.values()].reduce((sum, v) => sum + v.cpu, 0) / wallS) * 100
    console.log(`  whole machine: ${machinePct.toFixed(0)} % busy; the bench, the IOC and Chromium ${treePct.toFixed(0)} %, other processes on the machine ${Math.max(0, machinePct - treePct).toFixed(0)} %`)
    for (const [label, v] of [...byLabel].sort((a, b) => b[1].cpu - a[1].cpu)) {
      console.log(`  ${`${label}${v.n > 1 ? ` ×${v.n}` : ''}`.padEnd(34)} ${((v.cpu / wallS) * 100).toFixed(0).padStart(4)} %   RSS ${v.rss.toFixed(0)} MB`)
    }
    if (startSched && endSched) {
      const run = endSched.runS - startSched.runS
      const wait = endSched.waitS - startSched.waitS
      console.log(`  renderer main thread: on a core ${run.toFixed(1)} s, waiting for one ${wait.toFixed(1)} s (${((wait / (run + wait)) * 100).toFixed(0)} % of its runnable time) — time in the run queue is inside the long tasks' durations`)
    }
    const taskWall = end.taskS - start.taskS
    const thread = end.threadS - start.threadS
    console.log(`  renderer main thread in tasks: ${taskWall.toFixed(1)} s of ${seconds.toFixed(0)} s (${((taskWall / seconds) * 100).toFixed(0)} %), of which on a core ${thread.toFixed(1)} s`)

    console.log(`\nconsole: ${errors.length} error${errors.length === 1 ? '' : 's'}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`)
    for (const e of errors.slice(0, 5)) console.log(`  error: ${e.slice(0, 300)}`)
    for (const w of warnings.slice(0, 3)) console.log(`  warning: ${w.slice(0, 300)}`)
    const iocProblems = proc.output().split('\n').filter((l) => / (WARN|ERROR) /.test(l))
    if (iocProblems.length) {
      console.log(`IOC log: ${iocProblems.length} warning/error line${iocProblems.length === 1 ? '' : 's'}`)
      for (const l of iocProblems.slice(0, 5)) console.log(`  ${l.slice(0, 300)}`)
    }

    const logFile = join(tmpdir(), `ioc-bench-wall-${process.pid}.log`)
    writeFileSync(logFile, proc.output())
    console.log(`IOC log saved: ${logFile}`)

    const liveMax = maxOf(measured.live)
    const liveOver = over(measured.live)
    console.log('\nsummary                                            measured     target')
    console.log(`  JS heap growth over ${`${MINUTES} min`.padEnd(8)} (after GC)         ${pct(growth).padStart(9)}    within +${HEAP_TARGET_PCT} %   ${growth <= HEAP_TARGET_PCT ? 'met' : 'NOT met'}`)
    console.log(`  tasks over ${LONG_TASK_MS} ms caused by live updates        ${String(liveOver).padStart(9)}    0           ${liveOver === 0 ? 'met' : 'NOT met'}`)
    console.log(`  longest task caused by live updates             ${ms(liveMax).padStart(9)}    ≤ ${LONG_TASK_MS} ms     ${liveMax <= LONG_TASK_MS ? 'met' : 'NOT met'}`)
    console.log(`  (no target) longest screen-change task          ${ms(maxOf(measured.screen)).padStart(9)}    ${over(measured.screen)} over ${LONG_TASK_MS} ms in ${end.wall.screenChanges - start.wall.screenChanges} changes`)
    if (starvedMinutes.length) console.log(`\nWARNING: the asked load did not reach the wall for the whole run: ingest took in under 90 % of ${fmt(SIM_RATE)} messages/s in the minute to ${starvedMinutes.join(', ')}; the figures describe a wall that was partly idle then`)
    if (unhealthyMinutes.length) console.log(`\nnote: the IOC's /healthz reported problems at minute ${unhealthyMinutes.join(', ')} (lines under the table)`)
    const busyPct = ((endCpu.busy - startCpu.busy) / cpuSpan) * 100
    if (busyPct >= 85) console.log(`\nnote: the machine was ${busyPct.toFixed(0)} % busy; simulator, ingest, database, server and Chromium (GL in software) share ${machineCores()} cores, so part of every long task's duration may be time its thread waited for a core (see the run-queue line above)`)
  } finally {
    await browser?.close().catch(() => {})
    if (ioc) await stopIoc(ioc)
    if (env.MQTT_URL) {
      // the bench's ingest session must not linger on the broker
      const c = await mqtt.connectAsync(env.MQTT_URL, { clientId: ingestClientId, clean: true, protocolVersion: 5, properties: { sessionExpiryInterval: 0 } }).catch(() => null)
      await c?.endAsync()
    }
    if (benchDb) {
      if (env.BENCH_KEEP_DB !== '1') await benchDb.admin.query(`DROP DATABASE IF EXISTS ${benchDb.name} WITH (FORCE)`).catch((err: Error) => console.error(`could not drop ${benchDb!.name}: ${err.message}`))
      else console.log(`kept database ${benchDb.name}`)
      await benchDb.admin.end()
    }
    await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 500 }).catch((err: Error) => console.error(`could not remove ${dataDir}: ${err.message}`))
  }
}

/** The page's time origin on the browser's monotonic clock, in µs: a clock reading from each side, back to back. */
async function pageOriginTicksUs(page: Page, cdp: CDPSession): Promise<number> {
  const estimates: { offset: number; spread: number }[] = []
  for (let i = 0; i < 5; i++) {
    const before = (await page.evaluate('performance.now()')) as number
    const { metrics } = await cdp.send('Performance.getMetrics')
    const after = (await page.evaluate('performance.now()')) as number
    const ticksS = metrics.find((m) => m.name === 'Timestamp')!.value
    estimates.push({ offset: ticksS * 1e6 - ((before + after) / 2) * 1000, spread: after - before })
  }
  return estimates.sort((a, b) => a.spread - b.spread)[0]!.offset
}

function machineCores(): number {
  return readFileSync('/proc/cpuinfo', 'utf8').split('\n').filter((l) => l.startsWith('processor')).length
}

/** SIGINT once (a Ctrl-C in the terminal may already have sent it: a second one would skip its shutdown), then wait. */
async function stopIoc(ioc: Proc): Promise<void> {
  if (ioc.child.exitCode !== null || ioc.child.signalCode !== null) return
  // its embedded database and simulator close after it; the data directory can go only once they have
  const children = descendants(ioc.child.pid!)
  await new Promise((r) => setTimeout(r, 300))
  if (!/\[ioc\] stopping \(/.test(ioc.output())) ioc.kill('SIGINT')
  const killer = setTimeout(() => ioc.kill('SIGKILL'), 60_000)
  const exit = await ioc.exited
  clearTimeout(killer)
  if (exit.code !== 0) console.error(`the IOC stopped with ${JSON.stringify(exit)}:\n${ioc.output().slice(-2000)}`)
  for (const deadline = Date.now() + 30_000; children.some(alive) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 200))
  for (const pid of children.filter(alive)) {
    console.error(`process ${pid} (started by the IOC) still running 30 s after it: killing it`)
    process.kill(pid, 'SIGKILL')
  }
}

function descendants(pid: number): number[] {
  const tree = processTree()
  const out: number[] = []
  const walk = (p: number) => {
    for (const c of tree.filter((q) => q.ppid === p)) {
      out.push(c.pid)
      walk(c.pid)
    }
  }
  walk(pid)
  return out
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * Which scripts ran in the long animation frames that hold the live-update long tasks: grouped by what
 * invoked them and where (bundle position), with the time spent, so the code to look at can be named.
 */
function attribute(tasks: LongTask[], frames: LongFrame[], maps: Map<string, BundleMap>): void {
  const groups = new Map<string, { n: number; total: number; max: number; layout: number }>()
  let rendering = 0
  let framesHit = 0
  for (const f of frames) {
    if (!tasks.some((t) => t.start < f.start + f.duration && t.start + t.duration > f.start)) continue
    framesHit++
    if (f.renderStart > 0) rendering += f.start + f.duration - f.renderStart
    for (const s of f.scripts) {
      const path = s.url.replace(/^https?:\/\/[^/]+/, '')
      const key = `${s.invokerType} ${s.invoker} → ${describeOrigin(maps.get(path)?.atOffset(s.pos) ?? null, `${s.fn || '(anonymous)'} @ ${path}:${s.pos}`)}`
      const g = groups.get(key) ?? { n: 0, total: 0, max: 0, layout: 0 }
      groups.set(key, { n: g.n + 1, total: g.total + s.duration, max: Math.max(g.max, s.duration), layout: g.layout + s.layout })
    }
  }
  if (!framesHit) return
  console.log(`  in the ${framesHit} long animation frames holding them: rendering (style, layout, paint) ${ms(rendering)}; scripts by time:`)
  for (const [key, g] of [...groups].sort((a, b) => b[1].total - a[1].total).slice(0, 8)) {
    console.log(`    ${ms(g.total).padStart(8)} in ${String(g.n).padStart(4)} runs (longest ${ms(g.max)}, forced layout ${ms(g.layout)})  ${key}`)
  }
}

main()
  .then(() => process.exit(0))
  .catch((err: Error) => {
    if (err instanceof Interrupted) {
      process.stderr.write('bench interrupted: no figures\n')
      process.exit(130)
    }
    process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`)
    process.exit(1)
  })
