// `npm run bench:reports`: citizen reports under load — agency consoles connected by the thousand, transitions
// reaching them through the broker, and Open311 intake — on real PostgreSQL and Mosquitto, each figure beside
// what the machine allows measured in the same run. Benchmarks report numbers; nothing here fails on a missed
// target.
//
// Processes (so that the servers' event loops are measured, not the load's): this one drives the load and
// measures; REPORT_BENCH_SERVERS server processes (default 2, as behind a load balancer) share the database and
// the broker, each started with startServer as server/main.ts starts it (a pool of 8 connections); the console
// sockets live in REPORT_BENCH_CLIENT_PROCESSES child processes (default 2). Every change a server commits is
// announced on {root}/live/report (QoS 1) and reaches the consoles through each server's subscription, the
// server that took the request included: the path measured is the production one.
//
//  0. set-up: REPORT_BENCH_AGENCIES agencies (default 40; the demo province's departments and localities), one
//     agency user and API key each, a few dispatchers; REPORT_BENCH_SOCKETS sockets (default 2,000) spread over
//     the agencies and the servers, each joined to `report-inbox:<agency>`, and REPORT_BENCH_DISPATCHER_SOCKETS
//     (default 6) in `report-inboxes`. Connect time and every process's RSS.
//  1. fan-out alone: a live frame naming one agency published straight on {root}/live/report (what a commit
//     announces), REPORT_BENCH_FORWARD_RATE a second: broker → servers → coalescing → sockets, no HTTP, no SQL.
//  2. forward → consoles (the target): classified reports forwarded to agencies (POST /api/reports/:id/actions,
//     dispatchers' API keys) at REPORT_BENCH_FORWARD_RATE a second (default 20; Poisson arrivals, as every
//     open loop here, so that sends cannot lock in step with the coalescing timer) for REPORT_BENCH_SECONDS
//     (default 30), each agency in turn; for every (forward, socket of that agency) pair, the time from the start
//     of the request to the socket's `report-inboxes:delta` naming the agency, and where it went: request and
//     commit (to the announce, the frame's committedAt), broker and coalescing (to the server's flush, the
//     delta's `at`), emit and client (to the socket's handler). Missed deliveries are counted.
//  3. HTTP floor: GET /open311/v2/discovery.json at REPORT_BENCH_CONCURRENCY (default 16) for
//     REPORT_BENCH_POST_SECONDS (default 20): what Express and this machine's HTTP allow, no database.
//  4. Open311 POST requests.json (form-urlencoded, a bench key from OPEN311_API_KEYS): at the same concurrency
//     (capacity), then open-loop at REPORT_BENCH_POST_RATE (default 200) a second, latency timed from each
//     request's scheduled start (the target: the rate sustained, and p99).
//  5. SQL ceiling: the same statements a POST runs (the category stamp, INSERT reports and its read-back, the
//     history row, the audit row, in one transaction: server/reports/repository.ts and writeAudit) straight
//     through pg at the same concurrency: what the database allows for the writes alone. Its rows are deleted
//     afterwards (they are not the system's reports, and open reports weigh on every duplicate search).
//  6. together: phase 2's forwards during phase 4b's open-loop POSTs, both targets again at once (the issue
//     states them apart; a province has both at the same time).
//  7. what a delta sets off (no target): all the consoles of one agency GET /api/reports at once (as consoles
//     refetch their inbox on a delta), for ten agencies in turn; and a dispatcher's queue, GET /api/reports.
//
// Needs MQTT_URL and DATABASE_URL. It works in a throwaway database it creates on that server and drops
// afterwards (BENCH_KEEP_DB=1 keeps it), under its own topic root. Times crossing processes are Date.now() of
// this machine's one clock.
import { fork, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import http from 'node:http'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import mqtt, { type MqttClient } from 'mqtt'
import { scratchDatabase } from './shared/scratch-database.ts'
import { io as connectSocket, type Socket } from 'socket.io-client'
import { createUnitLocator, type Unit } from '../contract/index.ts'
import { loadConfig } from '../core/config.ts'
import { configureLogging } from '../core/log.ts'
import { mulberry32, type Rng } from '../core/random.ts'
import type { Database, Queryable } from '../db/database.ts'
import { openPostgres } from '../db/postgres.ts'
import { loadUnits } from '../db/reference.ts'
import { prepareDatabase } from '../db/setup.ts'
import { accountsRepository } from '../server/accounts/repository.ts'
import { AccountService } from '../server/accounts/service.ts'
import { reportRepository } from '../server/reports/repository.ts'
import { serverOptions, startServer } from '../server/service.ts'
import { SYSTEM, writeAudit, type Actor } from '../server/shared/audit.ts'

const DELIVERY_TARGET_MS = 250
const POST_RATE_TARGET = 200
const POST_P99_TARGET_MS = 100
/** Sockets connecting at once, per client process. */
const CONNECT_CONCURRENCY = 50
/** After the last send of a delivery phase: deltas still on their way arrive within this. */
const GRACE_MS = 3000
/** Sockets of the server's pool, as server/main.ts opens it. */
const SERVER_POOL = 8
const SEED = 20_260_412
const ROLE = process.env.REPORT_BENCH_ROLE

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
const ms = (v: number) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(1) : v.toFixed(0)} ms` : '–')
const pct = (part: number, whole: number) => `${whole ? ((part / whole) * 100).toFixed(0) : '–'} %`
const mb = (bytes: number) => `${fmt(bytes / 1048576)} MB`

function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}
const sorted = (xs: readonly number[]) => Float64Array.from(xs).sort()
/** p50 / p95 / p99 / max of a distribution, and how many. */
function dist(xs: readonly number[] | Float64Array): string {
  const s = xs instanceof Float64Array ? xs : sorted(xs)
  const a = Array.from(s)
  if (!a.length) return '(none)'
  return `p50 ${ms(percentile(a, 50))} · p95 ${ms(percentile(a, 95))} · p99 ${ms(percentile(a, 99))} · max ${ms(a.at(-1)!)} (${fmt(a.length)})`
}

// --- messages between the processes ----------------------------------------------------------------------------

interface SocketSpec {
  /** Index over every socket of the run. */
  g: number
  server: number
  key: string
  /** Index into the agencies; -1: a dispatcher in `report-inboxes`. */
  agency: number
}

interface ProcessStats {
  type: 'stats'
  /** A server's database calls since the last stats: [statement, count, total ms] (a top-level query includes the wait for a pooled connection; '(transaction)' is a whole transaction, BEGIN to COMMIT and the wait for its connection). */
  db?: [string, number, number][]
  /** Cumulative event loop utilisation (performance.eventLoopUtilization()). */
  elu: { idle: number; active: number }
  /** Event loop delay since the last stats, ms. */
  delayP99: number
  delayMax: number
  sockets: number
}

type ChildMessage =
  | { type: 'ready'; url: string }
  | ProcessStats
  | { type: 'connected'; ok: number; failed: number[]; errors: string[]; connectMs: number[] }
  | { type: 'records'; records: Float64Array; disconnects: number; reconnects: number }
  | { type: 'error'; message: string }

function send(m: ChildMessage): void {
  process.send!(m)
}

/** The event loop delay histogram's sampling interval (its samples include it: it is taken off). */
const DELAY_RESOLUTION_MS = 10

/** The process's event loop, for its stats: utilisation (cumulative) and the delay histogram since the last call. */
function loopMonitor(): { stats(sockets: number): ProcessStats } {
  const delay = monitorEventLoopDelay({ resolution: DELAY_RESOLUTION_MS })
  delay.enable()
  const beyond = (ns: number) => (delay.count ? Math.max(0, ns / 1e6 - DELAY_RESOLUTION_MS) : 0)
  return {
    stats(sockets) {
      const elu = performance.eventLoopUtilization()
      const out: ProcessStats = { type: 'stats', elu: { idle: elu.idle, active: elu.active }, delayP99: beyond(delay.percentile(99)), delayMax: beyond(delay.max), sockets }
      delay.reset()
      return out
    },
  }
}

// --- a server process ---------------------------------------------------------------------------------------------

/** What each statement the servers run is, in server/reports and server/accounts words (anything else: its first words). */
const STATEMENTS: [RegExp, string][] = [
  [/FROM report_categories\) \|\|/, 'categoryStamp (reports reference check)'],
  [/FROM calendar_days$/, 'calendar stamp'],
  [/^INSERT INTO reports/, 'INSERT reports'],
  [/FROM reports r WHERE r\.id = \$1::bigint FOR UPDATE/, 'SELECT report FOR UPDATE'],
  [/FROM reports r WHERE r\.id = \$1::bigint/, 'SELECT report by id'],
  [/^UPDATE reports/, 'UPDATE reports'],
  [/^INSERT INTO report_events/, 'INSERT report_events'],
  [/FROM report_events WHERE report_id/, 'SELECT report_events'],
  [/^INSERT INTO audit_log/, 'INSERT audit_log'],
  [/AND r\.state <> ALL/, 'openNear (duplicates)'],
  [/ORDER BY r\.received_at DESC, r\.id DESC LIMIT 5000/, 'queue (list, ≤ 5,000 rows)'],
  [/FROM api_keys WHERE key_hash/, 'apiKeyOwner'],
  [/FROM users u WHERE u\.id = \$1/, 'userById'],
  [/k\.id = ANY/, 'liveApiKeys (socket recheck)'],
  [/u\.id = ANY/, 'usersByIds (socket recheck)'],
  [/duplicate_of = \$1::bigint/, 'closeDuplicates'],
  [/r\.state IN \('forwarded', 'accepted', 'in_progress'\) AND r\.escalated_at IS NULL/, 'running (escalation sweep)'],
  [/^UPDATE api_keys SET last_used_at/, 'touchApiKey'],
]
function statementOf(sql: string): string {
  const text = sql.trim()
  for (const [re, name] of STATEMENTS) if (re.test(text)) return name
  return text.replace(/\s+/g, ' ').slice(0, 50)
}

/** The server's database with every call timed by statement (and each transaction as a whole). */
function timedDatabase(db: Database, add: (label: string, ms: number) => void): Database {
  const timed = (q: Queryable): Queryable => ({
    async query(text, values) {
      const start = performance.now()
      try {
        return await q.query(text, values)
      } finally {
        add(statementOf(text), performance.now() - start)
      }
    },
  })
  return {
    kind: db.kind,
    query: timed(db).query,
    session: (fn) => db.session((c) => fn(timed(c))),
    async transaction(fn) {
      const start = performance.now()
      try {
        return await db.transaction((tx) => fn(timed(tx)))
      } finally {
        add('(transaction)', performance.now() - start)
      }
    },
    ping: (timeoutMs) => db.ping(timeoutMs),
    end: () => db.end(),
  }
}

async function runServer(): Promise<void> {
  configureLogging({ level: 'warn', format: 'text' })
  const config = loadConfig(process.env)
  const pool = openPostgres(config.databaseUrl!, { max: SERVER_POOL, applicationName: 'ioc-bench-server' })
  let timings = new Map<string, [number, number]>()
  const db = timedDatabase(pool, (label, t) => {
    const e = timings.get(label)
    if (e) (e[0]++, (e[1] += t))
    else timings.set(label, [1, t])
  })
  const server = await startServer({ ...serverOptions(config, db, config.mqttUrl!, null), port: 0, host: '127.0.0.1', dashboardsDir: null })
  await server.liveReady
  const loop = loopMonitor()
  process.on('disconnect', () => process.exit(0))
  process.on('message', (m: { type: string }) => {
    if (m.type === 'stats') {
      const taken = timings
      timings = new Map()
      send({ ...loop.stats(server.io.engine.clientsCount), db: [...taken].map(([k, [n, total]]) => [k, n, total]) })
    } else if (m.type === 'stop') {
      void Promise.race([server.stop(), sleep(5000)])
        .then(() => pool.end())
        .finally(() => process.exit(0))
    }
  })
  send({ type: 'ready', url: server.url })
}

// --- a process of console sockets ----------------------------------------------------------------------------------

async function runClients(): Promise<void> {
  const loop = loopMonitor()
  const sockets: Socket[] = []
  // each delta naming a watched agency: [socket, agency, changedAt, flushed at, received at] (ms, this machine's clock)
  let records: number[] = []
  let disconnects = 0
  let reconnects = 0
  process.on('disconnect', () => process.exit(0))
  process.on('message', (m: { type: string } & Record<string, unknown>) => {
    if (m.type === 'connect') void connectAll(m.urls as string[], m.agencies as string[], m.sockets as SocketSpec[])
    else if (m.type === 'stats') send(loop.stats(sockets.filter((s) => s.connected).length))
    else if (m.type === 'collect') {
      send({ type: 'records', records: Float64Array.from(records), disconnects, reconnects })
      records = []
      disconnects = 0
      reconnects = 0
    } else if (m.type === 'stop') {
      for (const s of sockets) s.close()
      process.exit(0)
    }
  })

  async function connectAll(urls: string[], agencies: string[], specs: SocketSpec[]): Promise<void> {
    const agencyIndex = new Map(agencies.map((a, i) => [a, i]))
    const connectMs: number[] = []
    const errors: string[] = []
    const failed: number[] = []
    let next = 0
    const one = async (spec: SocketSpec) => {
      const rooms = spec.agency < 0 ? ['report-inboxes'] : [`report-inbox:${agencies[spec.agency]}`]
      const t0 = performance.now()
      const s = connectSocket(urls[spec.server]!, { transports: ['websocket'], auth: { token: spec.key }, forceNew: true, reconnectionDelay: 500, timeout: 20_000 })
      sockets.push(s)
      const subscribe = () =>
        new Promise<void>((resolve, reject) =>
          s.timeout(20_000).emit('subscribe', { rooms }, (err: Error | null, r: { ok: boolean; error?: { message: string } }) => (err ? reject(err) : r.ok ? resolve() : reject(new Error(r.error?.message ?? 'refused')))),
        )
      s.on('report-inboxes:delta', (d: { at: string; 'report-inboxes': { id: string; changedAt: string | null }[] }) => {
        const recv = Date.now()
        const at = Date.parse(d.at)
        for (const st of d['report-inboxes']) {
          const a = agencyIndex.get(st.id)
          if (a === undefined || (spec.agency >= 0 && a !== spec.agency)) continue
          records.push(spec.g, a, st.changedAt === null ? NaN : Date.parse(st.changedAt), at, recv)
        }
      })
      s.on('disconnect', () => disconnects++)
      await new Promise<void>((resolve, reject) => {
        s.once('connect', () => resolve())
        s.once('connect_error', (err) => reject(err))
      })
      await subscribe()
      connectMs.push(performance.now() - t0)
      // a socket that reconnects has left its rooms: it joins them again, as a console does
      s.io.on('reconnect', () => {
        reconnects++
        subscribe().catch(() => {})
      })
    }
    await Promise.all(
      Array.from({ length: CONNECT_CONCURRENCY }, async () => {
        while (next < specs.length) {
          const spec = specs[next++]!
          await one(spec).catch((err: Error) => {
            failed.push(spec.g)
            if (errors.length < 5) errors.push(err.message)
          })
        }
      }),
    )
    send({ type: 'connected', ok: specs.length - failed.length, failed, errors, connectMs })
  }
}

// --- the orchestrator: children ------------------------------------------------------------------------------------

interface Child {
  name: string
  proc: ChildProcess
  pid: number
}

function spawnChild(name: string, role: 'server' | 'clients', env: NodeJS.ProcessEnv): Child {
  const proc = fork(fileURLToPath(import.meta.url), [], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    execArgv: ['--import', 'tsx'],
    env: { ...env, REPORT_BENCH_ROLE: role },
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  return { name, proc, pid: proc.pid! }
}

/** Sends `msg` and waits for the child's answer of `type` (one question at a time per child). */
function ask<T extends ChildMessage>(child: Child, msg: object | null, type: T['type'], timeoutMs = 600_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`${child.name}: no '${type}' within ${timeoutMs / 1000} s`)), timeoutMs)
    const onMessage = (m: ChildMessage) => {
      if (m.type === type) done(null, m as T)
      else if (m.type === 'error') done(new Error(`${child.name}: ${m.message}`))
    }
    const onExit = (code: number | null) => done(new Error(`${child.name} exited (code ${code}) before answering '${type}'`))
    const done = (err: Error | null, m?: T) => {
      clearTimeout(timer)
      child.proc.off('message', onMessage)
      child.proc.off('exit', onExit)
      if (err) reject(err)
      else resolve(m!)
    }
    child.proc.on('message', onMessage)
    child.proc.once('exit', onExit)
    if (msg) child.proc.send(msg)
  })
}

// --- the orchestrator: HTTP -----------------------------------------------------------------------------------------

interface Reply {
  status: number
  body: string
}

function request(agent: http.Agent, base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  const u = new URL(base)
  return new Promise<Reply>((resolve) => {
    const req = http.request({ agent, host: u.hostname, port: u.port, method, path, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', (err) => resolve({ status: 0, body: err.message }))
    })
    req.on('error', (err) => resolve({ status: 0, body: err.message }))
    if (body !== undefined) req.write(body)
    req.end()
  })
}

interface LoopResult {
  /** Requests answered 2xx per second of the phase (open loop: of the window they were offered over). */
  rate: number
  ok: number
  errors: number
  statuses: Map<number, number>
  /** Latency of every request, ms. */
  latencies: Float64Array
  seconds: number
  /** Open loop: how late the driver started requests at worst (its own lag), ms. */
  sendLagMax?: number
  /** Open loop: the last answer, ms after the end of the offer window. */
  tailMs?: number
  firstError?: string
}

function summariseLoop(lat: number[], statuses: Map<number, number>, seconds: number, firstError: string | undefined, open?: { sendLagMax: number; tailMs: number }): LoopResult {
  let ok = 0
  let errors = 0
  for (const [s, n] of statuses) (s >= 200 && s < 300 ? (ok += n) : (errors += n))
  return { rate: ok / seconds, ok, errors, statuses, latencies: sorted(lat), seconds, firstError, ...open }
}

/** `concurrency` requests always in flight for `seconds`. */
async function closedLoop(concurrency: number, seconds: number, make: (i: number) => Promise<Reply>): Promise<LoopResult> {
  const lat: number[] = []
  const statuses = new Map<number, number>()
  let firstError: string | undefined
  let i = 0
  const t0 = performance.now()
  const end = t0 + seconds * 1000
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const s = performance.now()
        const r = await make(i++)
        lat.push(performance.now() - s)
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1)
        if ((r.status < 200 || r.status >= 300) && firstError === undefined) firstError = `${r.status} ${r.body.slice(0, 200)}`
      }
    }),
  )
  return summariseLoop(lat, statuses, (performance.now() - t0) / 1000, firstError)
}

/**
 * `rate` × `seconds` requests over `seconds`, whatever the answers take (an open loop: a slow answer does not
 * slow the arrivals, as citizens do not wait for each other), at random moments (Poisson arrivals, given their
 * number: uniform times in the window, sorted; bursts happen, and the arrivals cannot lock in step with the
 * servers' coalescing timer); each latency counts from the request's scheduled start, so a backlog shows in the
 * latencies. The rate is of the window; how long after its end the last answer came is told beside it.
 */
async function openLoop(rate: number, seconds: number, rng: Rng, make: (i: number) => Promise<Reply>, onDone?: (i: number, r: Reply) => void): Promise<LoopResult> {
  const n = Math.round(rate * seconds)
  const lat: number[] = []
  const statuses = new Map<number, number>()
  let firstError: string | undefined
  let sendLagMax = 0
  const pending: Promise<void>[] = []
  const t0 = performance.now() + 20
  let lastDone = t0
  const times = Float64Array.from({ length: n }, () => rng() * seconds * 1000).sort()
  for (let i = 0; i < n; i++) {
    const due = t0 + times[i]!
    const wait = due - performance.now()
    if (wait > 1) await sleep(wait)
    sendLagMax = Math.max(sendLagMax, performance.now() - due)
    const scheduled = due
    pending.push(
      make(i).then((r) => {
        const now = performance.now()
        lastDone = Math.max(lastDone, now)
        lat.push(now - scheduled)
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1)
        if ((r.status < 200 || r.status >= 300) && firstError === undefined) firstError = `${r.status} ${r.body.slice(0, 200)}`
        onDone?.(i, r)
      }),
    )
  }
  await Promise.all(pending)
  return summariseLoop(lat, statuses, seconds, firstError, { sendLagMax, tailMs: lastDone - t0 - seconds * 1000 })
}

function describeLoop(r: LoopResult): string {
  const errs = r.errors ? `; ${fmt(r.errors)} errors (${[...r.statuses].filter(([s]) => s < 200 || s >= 300).map(([s, n]) => `${s || 'no answer'} × ${fmt(n)}`).join(', ')}; first: ${r.firstError})` : '; no errors'
  const over = r.tailMs === undefined ? `in ${r.seconds.toFixed(1)} s` : `of ${fmt(r.ok + r.errors)} offered over ${r.seconds.toFixed(1)} s (the last answer ${ms(Math.max(0, r.tailMs))} after the window)`
  return `${fmt(r.ok)} answered 2xx ${over} = ${fmt(r.rate)} requests/s${errs}\n     latency ${dist(r.latencies)}`
}

// --- the orchestrator: load ------------------------------------------------------------------------------------------

/** Every process's name and CPU seconds (user + system, every thread), from /proc. */
function processes(): Map<number, { comm: string; cpu: number }> {
  const out = new Map<number, { comm: string; cpu: number }>()
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8')
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      out.set(Number(d), { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), cpu: (Number(f[11]) + Number(f[12])) / 100 })
    } catch {
      // gone in between
    }
  }
  return out
}

function machineCpu(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  const idle = (f[3] ?? 0) + (f[4] ?? 0)
  return { busy: f.reduce((a, b) => a + b, 0) - idle, total: f.reduce((a, b) => a + b, 0) }
}

/** Time a thread ran and waited for a core, seconds (the scheduler's statistics). */
function schedstat(pid: number): { run: number; wait: number } {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').trim().split(' ').map(Number)
    return { run: (run ?? 0) / 1e9, wait: (wait ?? 0) / 1e9 }
  } catch {
    return { run: 0, wait: 0 }
  }
}

function rssOf(pid: number): { rss: number; peak: number } {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? 0) * 1024
    return { rss: kb('VmRSS'), peak: kb('VmHWM') }
  } catch {
    return { rss: 0, peak: 0 }
  }
}

const CORES = readFileSync('/proc/cpuinfo', 'utf8').split('\n').filter((l) => l.startsWith('processor')).length

/**
 * The machine's load over a phase: how busy it was and who took it (this driver, the servers, the socket
 * clients, PostgreSQL, Mosquitto, everything else), how long the servers' main threads waited for a core, and
 * their event loops (utilisation, delay p99 / max). On a small shared machine a slow figure is often a thread
 * that was ready but not running.
 */
async function startLoad(servers: readonly Child[], clients: readonly Child[], benchBackends: () => Promise<number[]>): Promise<{ describe(): Promise<string> }> {
  const t0 = performance.now()
  const m0 = machineCpu()
  const p0 = processes()
  const sched0 = servers.map((s) => schedstat(s.pid))
  const elu0 = await Promise.all(servers.map((s) => ask<ProcessStats>(s, { type: 'stats' }, 'stats')))
  await Promise.all(clients.map((c) => ask<ProcessStats>(c, { type: 'stats' }, 'stats')))
  return {
    async describe() {
      const stats = await Promise.all(servers.map((s) => ask<ProcessStats>(s, { type: 'stats' }, 'stats')))
      const cstats = await Promise.all(clients.map((c) => ask<ProcessStats>(c, { type: 'stats' }, 'stats')))
      const ours = new Set(await benchBackends().catch(() => [] as number[]))
      const seconds = (performance.now() - t0) / 1000
      const m1 = machineCpu()
      const p1 = processes()
      const machine = ((m1.busy - m0.busy) / (m1.total - m0.total)) * CORES
      // a process that started during the phase counts whole; one that ended is only in the machine's total
      const used = new Map<number, number>()
      for (const [pid, p] of p1) used.set(pid, (p.cpu - (p0.get(pid)?.comm === p.comm ? p0.get(pid)!.cpu : 0)) / seconds)
      const of = (pid: number) => used.get(pid) ?? 0
      const self = of(process.pid)
      const srv = servers.map((s) => of(s.pid))
      const cl = clients.reduce((sum, c) => sum + of(c.pid), 0)
      const named = (comm: string) => [...p1].filter(([, p]) => p.comm === comm).map(([pid]) => pid)
      const postgres = named('postgres').reduce((sum, pid) => sum + of(pid), 0)
      const benchPostgres = [...ours].reduce((sum, pid) => sum + of(pid), 0)
      const mosquitto = named('mosquitto').reduce((sum, pid) => sum + of(pid), 0)
      const known = new Set([process.pid, ...servers.map((s) => s.pid), ...clients.map((c) => c.pid), ...named('postgres'), ...named('mosquitto')])
      const others = [...used].filter(([pid, u]) => !known.has(pid) && u >= 0.02).sort((a, b) => b[1] - a[1])
      const other = Math.max(0, machine - self - srv.reduce((a, b) => a + b, 0) - cl - postgres - mosquitto)
      const core = (x: number) => `${(x * 100).toFixed(0)} %`
      const top = others.slice(0, 4).map(([pid, u]) => `${p1.get(pid)!.comm} ${core(u)}`)
      const waits = servers.map((s, i) => {
        const now = schedstat(s.pid)
        return `${(now.wait - sched0[i]!.wait).toFixed(1)} s`
      })
      const elus = stats.map((st, i) => {
        const a = st.elu.active - elu0[i]!.elu.active
        const idle = st.elu.idle - elu0[i]!.elu.idle
        return `${pct(a, a + idle)} busy, delay p99 ${ms(st.delayP99)} max ${ms(st.delayMax)}`
      })
      const celu = cstats.map((st) => `delay p99 ${ms(st.delayP99)} max ${ms(st.delayMax)}`)
      const calls = new Map<string, [number, number]>()
      for (const st of stats) for (const [k, n, total] of st.db ?? []) calls.set(k, [(calls.get(k)?.[0] ?? 0) + n, (calls.get(k)?.[1] ?? 0) + total])
      const tx = calls.get('(transaction)')
      calls.delete('(transaction)')
      const slowest = [...calls].sort((a, b) => b[1][1] - a[1][1]).slice(0, 8)
      const dbLine = slowest.length
        ? `\n     the servers' database calls: ${fmt([...calls.values()].reduce((s, [n]) => s + n, 0))} statements${tx ? `, ${fmt(tx[0])} transactions (mean ${ms(tx[1] / tx[0])}, BEGIN to COMMIT with the wait for a connection)` : ''}; the most time: ${slowest.map(([k, [n, total]]) => `${k} × ${fmt(n)} mean ${ms(total / n)}`).join(', ')}`
        : ''
      return (
        `machine (${CORES} cores = ${CORES * 100} %): ${core(machine)} busy — servers ${srv.map(core).join(' + ')}, socket clients ${core(cl)}, this driver ${core(self)}, postgres ${core(postgres)} (this bench's connections ${core(benchPostgres)}), mosquitto ${core(mosquitto)}, other work ${core(other)}${top.length ? ` (${top.join(', ')})` : ''}\n` +
        `     servers' main threads waiting for a core ${waits.join(' / ')} of ${seconds.toFixed(0)} s; their event loops ${elus.join(' / ')}; socket clients' loops ${celu.join(' / ')}` +
        dbLine
      )
    },
  }
}

// --- the orchestrator: deliveries -----------------------------------------------------------------------------------

interface Sent {
  agency: number
  /** Date.now() at the start of the request (or the frame's committedAt). */
  t0: number
  /** Date.now() at the answer (0: not answered). */
  t1: number
  ok: boolean
  /** The server the request went to (-1: straight to the broker). */
  server: number
}

interface DeliveryResult {
  agencyLatency: number[]
  dispatcherLatency: number[]
  /** Latency of pairs whose socket is on the server that took the request, and on another one. */
  sameServer: number[]
  otherServer: number[]
  /** Where the time went, per matched agency pair: start → committedAt, committedAt → flush, flush → handler. */
  commit: number[]
  fanout: number[]
  /** announced → flush, on the server that announced (it gets its own frame back) and on another one. */
  fanoutSame: number[]
  fanoutOther: number[]
  client: number[]
  /** The bench's own subscriber to {root}/live/report: committedAt → its arrival there. */
  brokerHop: number[]
  expected: number
  missed: number
  missedDispatcher: number
  expectedDispatcher: number
  /** Sends to an agency that started before the previous one to it was answered (the match may be approximate). */
  overlapping: number
}

/**
 * Each sent change against what each socket watching its agency received: the first delta naming the agency
 * whose changedAt (the announcing server's clock at the commit) is at or after the send's start. A later
 * change to the same agency would also satisfy an earlier send whose own delta was lost: the latency then
 * shows it.
 */
function matchDeliveries(sends: readonly Sent[], records: Float64Array, sockets: readonly SocketSpec[], connected: ReadonlySet<number>, frames: readonly number[][]): DeliveryResult {
  const byKey = new Map<number, number[]>()
  const A = 1 << 16
  for (let i = 0; i < records.length; i += 5) {
    const key = records[i]! * A + records[i + 1]!
    let list = byKey.get(key)
    if (!list) byKey.set(key, (list = []))
    list.push(i)
  }
  const agencySockets = new Map<number, SocketSpec[]>()
  const dispatchers = sockets.filter((s) => s.agency < 0 && connected.has(s.g))
  for (const s of sockets) if (s.agency >= 0 && connected.has(s.g)) agencySockets.set(s.agency, [...(agencySockets.get(s.agency) ?? []), s])
  const r: DeliveryResult = { agencyLatency: [], dispatcherLatency: [], sameServer: [], otherServer: [], commit: [], fanout: [], fanoutSame: [], fanoutOther: [], client: [], brokerHop: [], expected: 0, missed: 0, missedDispatcher: 0, expectedDispatcher: 0, overlapping: 0 }
  const lastAnswer = new Map<number, number>()
  const framesByAgency = new Map<number, number[][]>()
  for (const f of frames) framesByAgency.set(f[0]!, [...(framesByAgency.get(f[0]!) ?? []), f])
  for (const f of [...sends].sort((a, b) => a.t0 - b.t0)) {
    if (!f.ok) continue
    if ((lastAnswer.get(f.agency) ?? 0) > f.t0) r.overlapping++
    lastAnswer.set(f.agency, f.t1)
    const frame = framesByAgency.get(f.agency)?.find((x) => x[1]! >= f.t0)
    if (frame) r.brokerHop.push(frame[2]! - frame[1]!)
    for (const s of [...(agencySockets.get(f.agency) ?? []), ...dispatchers]) {
      const dispatcher = s.agency < 0
      if (dispatcher) r.expectedDispatcher++
      else r.expected++
      const idx = (byKey.get(s.g * A + f.agency) ?? []).find((i) => records[i + 2]! >= f.t0)
      if (idx === undefined) {
        if (dispatcher) r.missedDispatcher++
        else r.missed++
        continue
      }
      const [changedAt, at, recv] = [records[idx + 2]!, records[idx + 3]!, records[idx + 4]!]
      const latency = recv - f.t0
      if (dispatcher) {
        r.dispatcherLatency.push(latency)
        continue
      }
      r.agencyLatency.push(latency)
      if (f.server >= 0) (s.server === f.server ? r.sameServer : r.otherServer).push(latency)
      if (f.server >= 0) (s.server === f.server ? r.fanoutSame : r.fanoutOther).push(at - changedAt)
      r.commit.push(changedAt - f.t0)
      r.fanout.push(at - changedAt)
      r.client.push(recv - at)
    }
  }
  return r
}

function describeDeliveries(d: DeliveryResult, servers: number, what: string): string {
  const lines = [
    `     ${what} → agency consoles: ${dist(d.agencyLatency)}; missed ${fmt(d.missed)} of ${fmt(d.expected)}`,
    `     ${what} → dispatcher consoles: ${dist(d.dispatcherLatency)}; missed ${fmt(d.missedDispatcher)} of ${fmt(d.expectedDispatcher)}`,
  ]
  if (servers > 1 && d.sameServer.length) lines.push(`     sockets on the server that took the request: ${dist(d.sameServer)}; on another server: ${dist(d.otherServer)}`)
  lines.push(
    `     where the time went (agency pairs): start → commit announced ${dist(d.commit)}`,
    `       announced → server's flush (broker, coalescing, server loop) ${dist(d.fanout)}`,
    ...(servers > 1 && d.fanoutSame.length ? [`         on the server that announced ${dist(d.fanoutSame)}; on another ${dist(d.fanoutOther)}`] : []),
    `       flush → socket handler (emit, socket, client loop) ${dist(d.client)}`,
    `       (the bench's own subscriber: announced → frame received ${dist(d.brokerHop)})`,
  )
  if (d.overlapping) lines.push(`     ${fmt(d.overlapping)} sends started before the previous one to the same agency was answered: their matches may be early`)
  return lines.join('\n')
}

// --- the orchestrator: settings --------------------------------------------------------------------------------------

const env = process.env
const problems: string[] = []
function numberSetting(name: string, def: number, min: number, max: number, integer = true): number {
  const raw = env[name]
  const text = raw?.trim().replaceAll('_', '')
  if (!text) return def
  const n = Number(text)
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) problems.push(`${name}: expected ${integer ? 'an integer' : 'a number'} ${fmt(min)}–${fmt(max)}, got '${raw}'`)
  return n
}

/** A random point inside a locality (the locator agrees), so that the report gets its unit as a citizen's would. */
function pointsIn(units: readonly Unit[], rng: Rng, n: number): [number, number][] {
  const locate = createUnitLocator(units)
  const localities = units.filter((u) => u.type === 'locality' && u.geometry)
  const out: [number, number][] = []
  for (let tries = 0; out.length < n && tries < n * 200; tries++) {
    const u = localities[Math.floor(rng() * localities.length)]!
    const coords = (u.geometry!.coordinates as unknown[]).flat(3) as unknown as number[]
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity]
    for (let i = 0; i < coords.length; i += 2) {
      x0 = Math.min(x0, coords[i]!)
      x1 = Math.max(x1, coords[i]!)
      y0 = Math.min(y0, coords[i + 1]!)
      y1 = Math.max(y1, coords[i + 1]!)
    }
    const p: [number, number] = [x0 + rng() * (x1 - x0), y0 + rng() * (y1 - y0)]
    if (locate(p)?.id === u.id) out.push(p)
  }
  if (!out.length) throw new Error('no point could be placed inside a locality of the demo province')
  return out
}

const DESCRIPTIONS = ['Dây điện đứt rơi xuống vỉa hè', 'Vỡ ống nước trước cửa nhà', 'Rác tồn đọng nhiều ngày', 'Đèn đường không sáng cả dãy phố', 'Ổ gà lớn giữa đường', 'Cây đổ chắn lối đi', 'Nước thải tràn ra đường', 'Lấn chiếm vỉa hè để kinh doanh']

async function main(): Promise<void> {
  const SOCKETS = numberSetting('REPORT_BENCH_SOCKETS', 2000, 1, 20_000)
  const AGENCIES = numberSetting('REPORT_BENCH_AGENCIES', 40, 1, 51)
  const DISPATCHER_SOCKETS = numberSetting('REPORT_BENCH_DISPATCHER_SOCKETS', 6, 0, 200)
  const SERVERS = numberSetting('REPORT_BENCH_SERVERS', 2, 1, 8)
  const CLIENT_PROCESSES = numberSetting('REPORT_BENCH_CLIENT_PROCESSES', 2, 1, 8)
  const FORWARD_RATE = numberSetting('REPORT_BENCH_FORWARD_RATE', 20, 0.1, 500, false)
  const SECONDS = numberSetting('REPORT_BENCH_SECONDS', 30, 1, 3600, false)
  const POST_SECONDS = numberSetting('REPORT_BENCH_POST_SECONDS', 20, 1, 3600, false)
  const CONCURRENCY = numberSetting('REPORT_BENCH_CONCURRENCY', 16, 1, 256)
  const POST_RATE = numberSetting('REPORT_BENCH_POST_RATE', POST_RATE_TARGET, 1, 10_000, false)
  const MQTT_URL = env.MQTT_URL
  const DATABASE_URL = env.DATABASE_URL
  if (!MQTT_URL || !DATABASE_URL) problems.push('bench:reports measures against real services: set MQTT_URL and DATABASE_URL, e.g.\n  MQTT_URL=mqtt://127.0.0.1:1883 DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:reports')
  if (problems.length) {
    process.stderr.write(`bench:reports: ${problems.join('\n  ')}\n`)
    process.exit(2)
  }
  configureLogging({ level: 'warn', format: 'text' })

  const scratch = await scratchDatabase(DATABASE_URL!, `bench_reports_${process.pid}`)
  const { name: dbName, url: benchDb, admin } = scratch
  const topicRoot = `bench-reports-${process.pid}/ioc/v1`
  const open311Key = `bench-open311-${process.pid}-${Math.random().toString(36).slice(2)}`.padEnd(32, 'x')
  const childEnv: NodeJS.ProcessEnv = { ...env, MQTT_URL, DATABASE_URL: benchDb, MQTT_TOPIC_ROOT: topicRoot, OPEN311_API_KEYS: `bench:${open311Key}`, OPEN311_RATE_LIMIT: '0' /* one key at hundreds a second: capacity, not the limiter, is measured */, LOG_LEVEL: 'warn' }
  const config = loadConfig(childEnv)
  const pool: Database = openPostgres(benchDb, { max: CONCURRENCY + 2, applicationName: 'ioc-bench-reports' })
  const children: Child[] = []
  let observer: MqttClient | null = null
  let publisher: MqttClient | null = null
  const agents: http.Agent[] = []
  let cleaning: Promise<void> | null = null
  const step = (work: () => Promise<unknown>, t: number) => Promise.race([work().catch(() => {}), sleep(t)])
  const cleanUp = () =>
    (cleaning ??= (async () => {
      configureLogging({ level: 'error', format: 'text' })
      for (const a of agents) a.destroy()
      await step(async () => observer?.endAsync(true), 3000)
      await step(async () => publisher?.endAsync(true), 3000)
      await step(
        () =>
          Promise.all(
            children.map(
              (c) =>
                new Promise<void>((resolve) => {
                  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return resolve()
                  c.proc.once('exit', () => resolve())
                  c.proc.send({ type: 'stop' }, () => {})
                  setTimeout(() => c.proc.kill('SIGKILL'), 8000).unref()
                }),
            ),
          ),
        10_000,
      )
      await step(() => pool.end(), 5000)
      await step(() => scratch.drop(), 15_000)
    })())
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`bench:reports: ${signal}, cleaning up (dropping ${dbName}) …\n`)
      void cleanUp().finally(() => process.exit(130))
    })
  }
  process.stdout.on('error', () => {})

  try {
    const prepared = await prepareDatabase(pool, config)
    const units = await loadUnits(pool)
    const rng = mulberry32(SEED)
    // the agencies: departments and localities in turn, none above another (a change below an agency also reaches its inbox)
    const departments = units.filter((u) => u.type === 'department')
    const localities = units.filter((u) => u.type === 'locality')
    const parents = new Map(units.map((u) => [u.id, u.parentId]))
    const above = (a: string, b: string) => {
      for (let x = parents.get(b); x; x = parents.get(x)) if (x === a) return true
      return false
    }
    const agencies: string[] = []
    for (let i = 0; agencies.length < AGENCIES && i < Math.max(departments.length, localities.length); i++) {
      for (const u of [departments[i], localities[i]]) {
        if (u && agencies.length < AGENCIES && !agencies.some((a) => above(a, u.id) || above(u.id, a))) agencies.push(u.id)
      }
    }
    if (agencies.length < AGENCIES) throw new Error(`only ${agencies.length} agencies could be chosen from the demo units (REPORT_BENCH_AGENCIES=${AGENCIES})`)
    const categoryRows = await reportRepository(pool).categories()
    const categories = categoryRows.map((c) => c.code)
    if (!categories.length) throw new Error('the bench database has no report categories: the demo seed did not load')
    const points = pointsIn(units, rng, 500)

    // accounts: as an admin makes them (argon2 password hashes, audited), through the server's own service
    const tAccounts = performance.now()
    const accounts = new AccountService(pool, accountsRepository(pool), { ...config.auth, now: Date.now })
    // each key may make 1,200 API requests a minute: the console actions are spread over enough dispatchers
    const DISPATCHERS = Math.max(4, Math.ceil((4 * FORWARD_RATE * SECONDS) / 1000))
    const dispatcherKeys: string[] = []
    for (let i = 0; i < DISPATCHERS; i++) {
      await accounts.addUser(SYSTEM, { username: `bench-dispatcher-${i}`, password: `bench-dispatcher-password-${i}`, roles: ['dispatcher'] })
      dispatcherKeys.push((await accounts.addApiKey(SYSTEM, `bench-dispatcher-${i}`, `bench-dispatcher-${i}`)).key)
    }
    const agencyKeys: string[] = []
    for (const [i, a] of agencies.entries()) {
      await accounts.addUser(SYSTEM, { username: `bench-agency-${i}`, password: `bench-agency-password-${i}`, roles: ['agency'], agencyUnitId: a })
      agencyKeys.push((await accounts.addApiKey(SYSTEM, `bench-agency-${i}`, `bench-agency-${i}`)).key)
    }
    const accountsSeconds = (performance.now() - tAccounts) / 1000

    // the servers
    for (let i = 0; i < SERVERS; i++) children.push(spawnChild(`server ${i + 1}`, 'server', childEnv))
    const servers = children.slice()
    const urls = (await Promise.all(servers.map((s) => ask<{ type: 'ready'; url: string }>(s, null, 'ready', 120_000)))).map((r) => r.url)
    for (let i = 0; i < CLIENT_PROCESSES; i++) children.push(spawnChild(`socket clients ${i + 1}`, 'clients', childEnv))
    const clients = children.slice(SERVERS)

    console.log(`backend: ${prepared.backend} · database ${dbName} · topic root ${topicRoot} · ${SERVERS} server process(es) (pool of ${SERVER_POOL} each) at ${urls.join(', ')}`)
    console.log(`LIVE_COALESCE_MS ${config.live.coalesceMs} · ${agencies.length} agencies (${agencies.filter((a) => departments.some((d) => d.id === a)).length} departments, ${agencies.filter((a) => localities.some((l) => l.id === a)).length} localities) · ${DISPATCHERS} dispatchers' keys in turn for console actions · ${categories.length} categories · users and keys made in ${accountsSeconds.toFixed(1)} s`)

    // 0. the sockets
    const sockets: SocketSpec[] = []
    for (let i = 0; i < SOCKETS; i++) {
      const agency = i % agencies.length
      // each agency's consoles spread over the servers (not all on one: i % servers would follow the agency)
      sockets.push({ g: i, server: Math.floor(i / agencies.length) % SERVERS, key: agencyKeys[agency]!, agency })
    }
    for (let j = 0; j < DISPATCHER_SOCKETS; j++) sockets.push({ g: SOCKETS + j, server: j % SERVERS, key: dispatcherKeys[j % DISPATCHERS]!, agency: -1 })
    const backends = async () => (await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [dbName])).rows.map((r) => r.pid)
    const connectLoad = await startLoad(servers, clients, backends)
    const tConnect = performance.now()
    const connectedReplies = await Promise.all(
      clients.map((c, ci) => ask<Extract<ChildMessage, { type: 'connected' }>>(c, { type: 'connect', urls, agencies, sockets: sockets.filter((s) => s.g % CLIENT_PROCESSES === ci) }, 'connected')),
    )
    const connectSeconds = (performance.now() - tConnect) / 1000
    const failedIds = new Set(connectedReplies.flatMap((r) => r.failed))
    const connected = new Set(sockets.filter((s) => !failedIds.has(s.g)).map((s) => s.g))
    const failed = failedIds.size
    if (failed) {
      // they are left out of the expected deliveries
      console.log(`   WARNING: ${fmt(failed)} sockets did not connect or subscribe, e.g. ${connectedReplies.flatMap((r) => r.errors).slice(0, 3).join('; ')}`)
    }
    const connectLoadLine = await connectLoad.describe()
    const serverStats = await Promise.all(servers.map((s) => ask<ProcessStats>(s, { type: 'stats' }, 'stats')))
    console.log(
      `0. ${fmt(SOCKETS)} agency console sockets (${(SOCKETS / agencies.length).toFixed(0)} per agency) + ${DISPATCHER_SOCKETS} dispatcher sockets over ${SERVERS} server(s) and ${CLIENT_PROCESSES} client process(es): connected and subscribed in ${connectSeconds.toFixed(1)} s, each ${dist(connectedReplies.flatMap((r) => r.connectMs))}; server-side sockets ${serverStats.map((s) => fmt(s.sockets)).join(' + ')}`,
    )
    console.log(`   ${connectLoadLine}`)
    const rssLine = () => [...servers.map((s) => `${s.name} ${mb(rssOf(s.pid).rss)}`), ...clients.map((c) => `${c.name} ${mb(rssOf(c.pid).rss)}`), `this driver ${mb(process.memoryUsage().rss)}`].join(', ')
    console.log(`   RSS with every socket connected: ${rssLine()}`)

    // the bench's own subscriber to the announcements: [agency, committedAt, received at]
    const agencyIndex = new Map(agencies.map((a, i) => [a, i]))
    let frames: number[][] = []
    observer = await mqtt.connectAsync(MQTT_URL!, { protocolVersion: config.mqttVersion, clientId: `bench-reports-observer-${process.pid}` })
    observer.on('message', (_topic, payload) => {
      const recv = Date.now()
      try {
        const f = JSON.parse(payload.toString()) as { committedAt: number; units: { unitId: string }[] }
        for (const u of f.units) {
          const a = agencyIndex.get(u.unitId)
          if (a !== undefined) frames.push([a, f.committedAt, recv])
        }
      } catch {
        // not a frame of ours
      }
    })
    await observer.subscribeAsync(`${topicRoot}/live/report`, { qos: 0 })

    // HTTP clients: keep-alive connections, as a load balancer or a citizen app's backend holds them
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY })
    const openAgent = new http.Agent({ keepAlive: true, maxSockets: 256 })
    const setupAgent = new http.Agent({ keepAlive: true, maxSockets: 8 })
    agents.push(agent, openAgent, setupAgent)
    const serverOf = (i: number) => urls[i % urls.length]!
    const form = (i: number) => {
      const [lon, lat] = points[Math.floor(rng() * points.length)]!
      return new URLSearchParams({
        api_key: open311Key,
        service_code: categories[Math.floor(rng() * categories.length)]!,
        lat: lat.toFixed(6),
        long: lon.toFixed(6),
        description: `${DESCRIPTIONS[i % DESCRIPTIONS.length]} (phản ánh số ${i})`,
        first_name: 'An',
        last_name: 'Nguyễn',
        phone: `09${String(10_000_000 + (i % 89_999_999)).padStart(8, '0')}`,
      }).toString()
    }
    let posted = 0
    const post311 = (a: http.Agent, i: number) => request(a, serverOf(i), 'POST', '/open311/v2/requests.json', { 'content-type': 'application/x-www-form-urlencoded' }, form(posted++))
    const act = (a: http.Agent, server: number, key: string, id: string, body: object) =>
      request(a, urls[server]!, 'POST', `/api/reports/${id}/actions`, { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, JSON.stringify(body))
    let dispatcherTurn = 0
    const nextDispatcher = () => dispatcherKeys[dispatcherTurn++ % dispatcherKeys.length]!

    // reports to forward: created over Open311 and classified by dispatchers, before any timing
    const perPhase = Math.round(FORWARD_RATE * SECONDS)
    const tPrep = performance.now()
    const ids: string[] = []
    const prepErrors: string[] = []
    let cursor = 0
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (cursor < 2 * perPhase) {
          const i = cursor++
          const r = await post311(setupAgent, i)
          if (r.status !== 201) {
            prepErrors.push(`POST ${r.status} ${r.body.slice(0, 120)}`)
            continue
          }
          const id = (JSON.parse(r.body) as { service_request_id: string }[])[0]!.service_request_id
          const c = await act(setupAgent, i % SERVERS, nextDispatcher(), id, { action: 'classify' })
          if (c.status >= 300) prepErrors.push(`classify ${c.status} ${c.body.slice(0, 120)}`)
          else ids.push(id)
        }
      }),
    )
    if (ids.length < 2 * perPhase) throw new Error(`could not prepare ${2 * perPhase} classified reports (${ids.length}); first problems: ${prepErrors.slice(0, 3).join('; ')}`)
    console.log(`   prepared ${fmt(ids.length)} classified reports to forward in ${((performance.now() - tPrep) / 1000).toFixed(1)} s (Open311 POST, then classify, 8 at a time)\n`)

    const openCount = async () => (await pool.query<{ open: number; all: number }>(`SELECT count(*) FILTER (WHERE state NOT IN ('resolved', 'published', 'rated', 'rejected', 'duplicate'))::int AS open, count(*)::int AS "all" FROM reports`)).rows[0]!
    const tableLine = async () => {
      const c = await openCount()
      return `reports table ${fmt(c.all)} rows, ${fmt(c.open)} open`
    }
    const collect = async () => {
      const replies = await Promise.all(clients.map((c) => ask<Extract<ChildMessage, { type: 'records' }>>(c, { type: 'collect' }, 'records')))
      const total = replies.reduce((s, r) => s + r.records.length, 0)
      const all = new Float64Array(total)
      let o = 0
      for (const r of replies) {
        all.set(r.records, o)
        o += r.records.length
      }
      return { records: all, disconnects: replies.reduce((s, r) => s + r.disconnects, 0), reconnects: replies.reduce((s, r) => s + r.reconnects, 0) }
    }
    await collect()

    /** Forwards `count` prepared reports at FORWARD_RATE, each agency in turn, to the servers in turn. */
    const forwardAll = async (from: number): Promise<{ sends: Sent[]; http: LoopResult }> => {
      const sends: Sent[] = []
      const result = await openLoop(
        FORWARD_RATE,
        SECONDS,
        rng,
        (i) => {
          const agency = i % agencies.length
          const server = i % SERVERS
          sends[i] = { agency, t0: Date.now(), t1: 0, ok: false, server }
          return act(agent, server, nextDispatcher(), ids[from + i]!, { action: 'forward', agencyId: agencies[agency] })
        },
        (i, r) => {
          sends[i]!.t1 = Date.now()
          sends[i]!.ok = r.status >= 200 && r.status < 300
        },
      )
      return { sends, http: result }
    }

    // 1. fan-out alone: a commit's announcement, published straight to the broker
    const fanoutSeconds = Math.min(15, SECONDS)
    frames = []
    const fanLoad = await startLoad(servers, clients, backends)
    const fanSends: Sent[] = []
    // a client of its own, subscribed to nothing: the frames reach only the servers (and the observer)
    const broker = (publisher = await mqtt.connectAsync(MQTT_URL!, { protocolVersion: config.mqttVersion, clientId: `bench-reports-publisher-${process.pid}` }))
    await openLoop(FORWARD_RATE, fanoutSeconds, rng, async (i) => {
      const agency = i % agencies.length
      const now = Date.now()
      fanSends.push({ agency, t0: now, t1: now, ok: true, server: -1 })
      await broker.publishAsync(`${topicRoot}/live/report`, JSON.stringify({ committedAt: now, units: [{ unitId: agencies[agency], ts: now }] }), { qos: 1 })
      return { status: 201, body: '' }
    })
    await sleep(GRACE_MS)
    const fanLoadLine = await fanLoad.describe()
    const fanRecords = await collect()
    const fan = matchDeliveries(fanSends, fanRecords.records, sockets, connected, frames)
    console.log(`1. fan-out alone: ${fmt(fanSends.length)} frames naming an agency published on {root}/live/report (QoS 1), ${FORWARD_RATE}/s (Poisson arrivals) for ${fanoutSeconds} s, no HTTP, no SQL`)
    console.log(describeDeliveries(fan, 1, 'frame published'))
    console.log(`     ${fanLoadLine}\n`)

    // 2. forward → consoles
    frames = []
    const fwdLoad = await startLoad(servers, clients, backends)
    const fwd = await forwardAll(0)
    await sleep(GRACE_MS)
    const fwdLoadLine = await fwdLoad.describe()
    const fwdRecords = await collect()
    const fwdFrames = frames
    const delivery = matchDeliveries(fwd.sends, fwdRecords.records, sockets, connected, fwdFrames)
    console.log(`2. forward → consoles (${await tableLine()}): ${fmt(fwd.sends.length)} forwards (POST /api/reports/:id/actions), ${FORWARD_RATE}/s (Poisson arrivals) for ${SECONDS} s, agencies in turn, servers in turn`)
    console.log(`     the forward requests: ${describeLoop(fwd.http)}; the driver started them at worst ${ms(fwd.http.sendLagMax ?? NaN)} late`)
    console.log(describeDeliveries(delivery, SERVERS, 'forward'))
    console.log(`     sockets: ${fmt(fwdRecords.disconnects)} disconnects, ${fmt(fwdRecords.reconnects)} reconnects during the phase`)
    console.log(`     ${fwdLoadLine}\n`)

    // 3. HTTP floor
    const floorLoad = await startLoad(servers, clients, backends)
    const floor = await closedLoop(CONCURRENCY, POST_SECONDS, (i) => request(agent, serverOf(i), 'GET', '/open311/v2/discovery.json', {}))
    console.log(`3. HTTP floor: GET /open311/v2/discovery.json (no database), ${CONCURRENCY} in flight, servers in turn: ${describeLoop(floor)}`)
    console.log(`     ${await floorLoad.describe()}\n`)

    // 4. Open311 POST
    const tableBefore = await tableLine()
    const capLoad = await startLoad(servers, clients, backends)
    const capacity = await closedLoop(CONCURRENCY, POST_SECONDS, (i) => post311(agent, i))
    console.log(`4a. Open311 POST requests.json, capacity: ${CONCURRENCY} in flight, servers in turn (${tableBefore}): ${describeLoop(capacity)}`)
    console.log(`     ${await capLoad.describe()}`)
    const rateLoad = await startLoad(servers, clients, backends)
    const atRate = await openLoop(POST_RATE, POST_SECONDS, rng, (i) => post311(openAgent, i))
    console.log(`4b. Open311 POST requests.json, open loop, ${fmt(POST_RATE)}/s (Poisson arrivals) for ${POST_SECONDS} s (latency from each request's scheduled start): ${describeLoop(atRate)}; the driver started them at worst ${ms(atRate.sendLagMax ?? NaN)} late`)
    console.log(`     ${await rateLoad.describe()}\n`)

    // 5. SQL ceiling: what create() writes, straight through pg
    const repo = reportRepository(pool)
    const actor: Actor = { kind: 'api_key', id: 'env:bench-ceiling', name: 'bench-ceiling', ip: '127.0.0.1' }
    const sqlLoad = await startLoad(servers, clients, backends)
    const ceiling = await closedLoop(CONCURRENCY, POST_SECONDS, async (i) => {
      const [lon, lat] = points[i % points.length]!
      const category = categoryRows[i % categoryRows.length]!
      const code = category.code
      try {
        await repo.categoryStamp()
        await pool.transaction(async (tx) => {
          const stored = await repo.insert(tx, {
            token: `ceiling-${process.pid}-${i}`,
            source: 'open311',
            channelId: null,
            externalId: null,
            categoryCode: code,
            priority: category.priority,
            description: `${DESCRIPTIONS[i % DESCRIPTIONS.length]} (trần ${i})`,
            lat,
            lon,
            address: null,
            unitId: null,
            contact: { first_name: 'An', last_name: 'Nguyễn', phone: '0912345678' },
            mediaUrls: [],
            attributes: {},
            receivedAt: Date.now(),
            apiKeyId: actor.id,
            state: 'new',
            agencyId: null,
          })
          await repo.addEvent(tx, stored.row.id, { action: 'submit', fromState: null, toState: 'new', actorKind: actor.kind, actorId: actor.id, actorName: actor.name, agencyId: null, note: null, public: false })
          await writeAudit(tx, actor, { action: 'report.create', targetType: 'report', targetId: stored.row.id, after: { category: code, source: 'open311', unitId: null } })
        })
        return { status: 201, body: '' }
      } catch (err) {
        return { status: 0, body: (err as Error).message }
      }
    })
    console.log(`5. SQL ceiling: a POST's statements (category stamp; INSERT reports + read-back, report_events, audit_log in one transaction) straight through pg, ${CONCURRENCY} in flight: ${describeLoop(ceiling)}`)
    console.log(`     ${await sqlLoad.describe()}`)
    // the ceiling's rows are not the system's reports: left open, they would swell every duplicate search after
    // (its audit rows stay: the log is append-only)
    await pool.query(`DELETE FROM report_events WHERE report_id IN (SELECT id FROM reports WHERE api_key_id = $1)`, [actor.id])
    const removed = await pool.query(`DELETE FROM reports WHERE api_key_id = $1`, [actor.id])
    await pool.query('VACUUM ANALYZE reports, report_events')
    console.log(`     (its ${fmt(removed.rowCount ?? 0)} reports deleted again, the tables vacuumed)\n`)

    // 6. together
    frames = []
    const tableBefore6 = await tableLine()
    const bothLoad = await startLoad(servers, clients, backends)
    const [both, bothPosts] = await Promise.all([forwardAll(perPhase), openLoop(POST_RATE, SECONDS, rng, (i) => post311(openAgent, i))])
    await sleep(GRACE_MS)
    const bothLoadLine = await bothLoad.describe()
    const bothRecords = await collect()
    const bothDelivery = matchDeliveries(both.sends, bothRecords.records, sockets, connected, frames)
    console.log(`6. together: the forwards of phase 2 during Open311 POSTs at ${fmt(POST_RATE)}/s, ${SECONDS} s (${tableBefore6})`)
    console.log(`     the forward requests: ${describeLoop(both.http)}`)
    console.log(`     the POSTs: ${describeLoop(bothPosts)}`)
    console.log(describeDeliveries(bothDelivery, SERVERS, 'forward'))
    console.log(`     sockets: ${fmt(bothRecords.disconnects)} disconnects, ${fmt(bothRecords.reconnects)} reconnects during the phase`)
    console.log(`     ${bothLoadLine}\n`)

    // 7. what a delta sets off: every console of the agency refetches its inbox; a dispatcher reads the queue
    const refetchLoad = await startLoad(servers, clients, backends)
    const perAgency = Math.max(1, Math.round(SOCKETS / agencies.length))
    const bursts: number[] = []
    const gets: number[] = []
    const getErrors: string[] = []
    let inboxItems = 0
    const BURSTS = Math.min(10, agencies.length)
    for (let a = 0; a < BURSTS; a++) {
      const t0 = performance.now()
      await Promise.all(
        Array.from({ length: perAgency }, async (_, k) => {
          const s = performance.now()
          const r = await request(openAgent, serverOf(k), 'GET', '/api/reports', { authorization: `Bearer ${agencyKeys[a]!}` })
          gets.push(performance.now() - s)
          if (r.status !== 200) getErrors.push(`${r.status} ${r.body.slice(0, 120)}`)
          else if (k === 0) inboxItems += (JSON.parse(r.body) as { total: number }).total
        }),
      )
      bursts.push(performance.now() - t0)
    }
    const queueTimes: number[] = []
    let queueTotal = 0
    for (let i = 0; i < 5; i++) {
      const s = performance.now()
      const r = await request(setupAgent, serverOf(i), 'GET', '/api/reports', { authorization: `Bearer ${dispatcherKeys[i % dispatcherKeys.length]!}` })
      queueTimes.push(performance.now() - s)
      if (r.status !== 200) getErrors.push(`${r.status} ${r.body.slice(0, 120)}`)
      else queueTotal = (JSON.parse(r.body) as { total: number }).total
    }
    const openReports = (await openCount()).open
    console.log(`7. (no target) what a delta sets off, one agency at a time for ${BURSTS} agencies: its ${perAgency} consoles GET /api/reports at once (${(inboxItems / BURSTS).toFixed(0)} open reports in an inbox on average)`)
    console.log(`     all ${perAgency} answered after ${dist(bursts)}; each GET ${dist(gets)}${getErrors.length ? `; ${getErrors.length} errors, e.g. ${getErrors[0]}` : ''}`)
    console.log(`   a dispatcher's queue, GET /api/reports (first page of 50; ${fmt(openReports)} open reports, the service reads up to 5,000 of them and answers total ${fmt(queueTotal)}): ${dist(queueTimes)}`)
    console.log(`     ${await refetchLoad.describe()}`)
    const peak = [...servers.map((s) => `${s.name} ${mb(rssOf(s.pid).peak)}`), ...clients.map((c) => `${c.name} ${mb(rssOf(c.pid).peak)}`)].join(', ')
    console.log(`   RSS at the end: ${rssLine()}; peak ${peak}; ${await tableLine()}`)

    // summary
    const d99 = percentile(Array.from(sorted(delivery.agencyLatency)), 99)
    const postP99 = percentile(Array.from(atRate.latencies), 99)
    const capP99 = percentile(Array.from(capacity.latencies), 99)
    const row = (label: string, measured: string, target: string, met: boolean | null) => console.log(`  ${label.padEnd(58)} ${measured.padStart(22)}    ${target.padEnd(14)} ${met === null ? '' : met ? 'met' : 'NOT met'}`)
    console.log(`\nsummary (${fmt(connected.size - DISPATCHER_SOCKETS)} agency sockets over ${agencies.length} agencies + ${DISPATCHER_SOCKETS} dispatcher sockets, ${SERVERS} server process(es), LIVE_COALESCE_MS ${config.live.coalesceMs})`)
    row('', 'measured', 'target', null)
    row(`forward → agency consoles p99 (${FORWARD_RATE}/s, ${fmt(delivery.expected)} pairs)`, ms(d99), `≤ ${DELIVERY_TARGET_MS} ms`, d99 <= DELIVERY_TARGET_MS && delivery.expected > 0)
    row('  deliveries missed (agency / dispatcher consoles)', `${fmt(delivery.missed)} / ${fmt(delivery.missedDispatcher)}`, '(none)', null)
    row(`Open311 POST offered at ${fmt(POST_RATE)}/s: answered`, `${fmt(atRate.rate)} req/s`, `≥ ${POST_RATE_TARGET} req/s`, atRate.rate >= POST_RATE_TARGET && atRate.errors === 0)
    row(`Open311 POST offered at ${fmt(POST_RATE)}/s: p99`, ms(postP99), `≤ ${POST_P99_TARGET_MS} ms`, postP99 <= POST_P99_TARGET_MS)
    row(`(no target) Open311 POST capacity, ${CONCURRENCY} in flight`, `${fmt(capacity.rate)} req/s`, `p99 ${ms(capP99)}`, null)
    row(`(no target) SQL ceiling, same statements, ${CONCURRENCY} in flight`, `${fmt(ceiling.rate)} req/s`, `POST is ${pct(capacity.rate, ceiling.rate)}`, null)
    row(`(no target) HTTP floor, discovery.json, ${CONCURRENCY} in flight`, `${fmt(floor.rate)} req/s`, `POST is ${pct(capacity.rate, floor.rate)}`, null)
    row('(no target) fan-out alone (frame on the broker → agency) p99', ms(percentile(Array.from(sorted(fan.agencyLatency)), 99)), '', null)
    const b99 = percentile(Array.from(sorted(bothDelivery.agencyLatency)), 99)
    const bp99 = percentile(Array.from(bothPosts.latencies), 99)
    row(`both at once: forward → agency consoles p99`, ms(b99), `≤ ${DELIVERY_TARGET_MS} ms`, b99 <= DELIVERY_TARGET_MS && bothDelivery.expected > 0)
    row(`both at once: Open311 POST at ${fmt(POST_RATE)}/s, p99`, ms(bp99), `≤ ${POST_P99_TARGET_MS} ms`, bp99 <= POST_P99_TARGET_MS && bothPosts.errors === 0 && bothPosts.rate >= POST_RATE_TARGET)
  } finally {
    await cleanUp()
  }
}

if (ROLE === 'server') runServer().catch((err: Error) => (send({ type: 'error', message: err.stack ?? err.message }), process.exit(1)))
else if (ROLE === 'clients') runClients().catch((err: Error) => (send({ type: 'error', message: err.stack ?? err.message }), process.exit(1)))
else {
  main()
    .then(() => process.exit(0))
    .catch((err: Error) => {
      process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`)
      process.exit(1)
    })
}
