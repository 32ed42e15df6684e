// `npm run bench:soak`: the default install as a newcomer runs it, over and over, then for a long while.
// Benchmarks report; nothing here fails on a missed target.
//
//  1. BENCH_STARTS (default 5) starts of `bin/ioc.ts` from an empty DATA_DIR, embedded database and broker,
//     each with its SIM_BACKFILL_HOURS (default 24) of history. Each start is watched until the history is
//     in and ingest has nothing pending, then stopped with Ctrl-C (SIGINT) and its history checked hour by
//     hour against what the simulator's model says each device sent (simulator/coverage.ts).
//  2. The last start's data directory again, BENCH_MINUTES (default 30) at BENCH_RATE (default 200)
//     readings/s.
//
// Throughout, /healthz is read every second: any database problem it names counts as a stall (target 0).
// The publish → commit lag is each live reading's commit time minus its own time, read from the committed
// frames ingest publishes ({root}/live/env). RSS of the IOC process and its children (database, simulator)
// is read from /proc at the start and the end of each phase.
import { readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { parseLiveEnvBatch, type HealthResponse } from '../contract/index.ts'
import { startEmbeddedDatabase } from '../db/embedded/index.ts'
import { loadReference } from '../db/reference.ts'
import { hourStart } from '../contract/shared/clock.ts'
import { backfillSteps, findGaps, readCoverage } from '../simulator/coverage.ts'
import { createFeedModel } from '../simulator/model.ts'
import { mulberry32 } from '../simulator/random.ts'
import { brokerAccountFiles, mqttUrlFor } from '../test/helpers/mqtt-accounts.ts'
import { spawnEntry, type Proc } from '../test/helpers/processes.ts'
import { freePort } from '../test/helpers/services.ts'

const STARTS = Number(process.env.BENCH_STARTS ?? 5)
const MINUTES = Number(process.env.BENCH_MINUTES ?? 30)
const RATE = Number(process.env.BENCH_RATE ?? 200)
const BACKFILL_HOURS = Number(process.env.SIM_BACKFILL_HOURS ?? 24)
const SEED = Number(process.env.SIM_SEED ?? 1459)

/** RSS in MB of a process and each of its children, by command. */
function rss(pid: number): Record<string, number> {
  const out: Record<string, number> = {}
  const read = (p: number, name: string) => {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))
    if (m) out[name] = Math.round(Number(m[1]) / 1024)
  }
  try {
    read(pid, 'ioc')
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) {
        const cmd = readFileSync(`/proc/${child}/cmdline`, 'utf8')
        read(Number(child), cmd.includes('embedded') ? 'database' : cmd.includes('simulator') ? 'simulator' : `child ${child}`)
      }
    }
  } catch {
    // a process that just exited
  }
  return out
}

const fmt = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([k, v]) => `${k} ${v} MB`)
    .join(', ')

interface Watch {
  stalls: string[]
  checks: number
  maxLagMs: number
  lags: number[]
  stop(): Promise<void>
}

/** Reads /healthz every second and the committed frames of the embedded broker for publish → commit lag. */
async function watch(url: string, mqttUrl: string, lagSince: number): Promise<Watch> {
  const w: Watch = { stalls: [], checks: 0, maxLagMs: 0, lags: [], stop: async () => {} }
  let running = true
  const health = (async () => {
    while (running) {
      const h = (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) })
        .then((r) => r.json() as Promise<HealthResponse>)
        .catch((e: Error) => ({ ok: false, problems: [`database: /healthz did not answer (${e.message})`] }))) as Pick<HealthResponse, 'ok' | 'problems'>
      w.checks++
      for (const p of h.problems) if (p.startsWith('database')) w.stalls.push(`${new Date().toISOString()} ${p}`)
      await new Promise((r) => setTimeout(r, 1000))
    }
  })()
  const client = await mqtt.connectAsync(mqttUrl, { protocolVersion: 4 })
  await client.subscribeAsync('ioc/v1/live/env')
  client.on('message', (_t, payload) => {
    const batch = parseLiveEnvBatch(JSON.parse(payload.toString()), Date.now(), { maxAgeMs: 8 * 86_400_000, maxFutureMs: 300_000 })
    if (typeof batch === 'string') return
    for (const r of batch.readings) {
      if (r.ts < lagSince) continue // history: its lag is its age
      const lag = batch.committedAt - r.ts
      w.lags.push(lag)
      if (lag > w.maxLagMs) w.maxLagMs = lag
    }
  })
  w.stop = async () => {
    running = false
    await health
    await client.endAsync()
  }
  return w
}

async function startIoc(dir: string, env: Record<string, string>): Promise<{ proc: Proc; url: string; mqttUrl: string }> {
  const mqttPort = await freePort()
  // the watcher reads ingest's live frames with an account of its own (the embedded broker refuses anonymous clients)
  const watcher = { username: 'soak-watcher', password: 'soak-watcher-password', topics: ['topic read ioc/v1/live/#'] }
  const accounts = await brokerAccountFiles(dir, [watcher])
  const proc = spawnEntry('bin/ioc.ts', { DATA_DIR: dir, PORT: '0', MQTT_PORT: String(mqttPort), LOG_LEVEL: 'info', SIM_SEED: String(SEED), ...accounts, ...env })
  const url = (await proc.waitForOutput(/IOC running at (http:\/\/\S+)/, 180_000))[1]!
  return { proc, url, mqttUrl: mqttUrlFor(watcher, mqttPort) }
}

async function pendingRows(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text()
  return Number(/^ioc_ingest_pending_rows (\d+)/m.exec(text)?.[1] ?? NaN)
}

/** Device-hours of the window's complete clock hours that hold what the model says was sent, and how many there are. */
async function completeness(dir: string, startedAt: number): Promise<{ complete: number; total: number }> {
  const db = await startEmbeddedDatabase(join(dir, 'timescaledb'))
  try {
    const ref = await loadReference(db)
    const steps = backfillSteps(BACKFILL_HOURS, startedAt).filter((t) => t < hourStart(startedAt))
    const stored = await readCoverage(db, hourStart(steps[0]!))
    const gaps = findGaps(createFeedModel({ rng: mulberry32(SEED), stations: ref.stations }), [...ref.stations, ...ref.cameras], stored, steps)
    return { complete: gaps.complete, total: gaps.total }
  } finally {
    await db.stop()
  }
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}

async function main(): Promise<void> {
  console.log(`soak: ${STARTS} starts from an empty DATA_DIR with ${BACKFILL_HOURS} h of history, then ${MINUTES} min at ${RATE} readings/s (embedded services)\n`)
  const rows: string[] = []
  let totalStalls = 0
  let lastDir = ''
  const dirs: string[] = []
  try {
    for (let i = 1; i <= STARTS; i++) {
      const dir = await mkdtemp(join(tmpdir(), 'ioc-soak-'))
      dirs.push(dir)
      lastDir = dir
      const t0 = Date.now()
      const { proc, url, mqttUrl } = await startIoc(dir, { SIM_BACKFILL_HOURS: String(BACKFILL_HOURS) })
      const ready = Date.now()
      const rssStart = rss(proc.child.pid!)
      const w = await watch(url, mqttUrl, ready)
      await proc.waitForOutput(/\[simulator\] history published/, 20 * 60_000)
      // the broker acknowledged everything it took; wait until ingest has committed it all
      while ((await pendingRows(url)) > 0) await new Promise((r) => setTimeout(r, 1000))
      const done = Date.now()
      const rssEnd = rss(proc.child.pid!)
      await w.stop()
      proc.kill('SIGINT')
      await proc.exited
      const c = await completeness(dir, ready)
      totalStalls += w.stalls.length
      rows.push(
        `| start ${i} | ${((ready - t0) / 1000).toFixed(1)} s to ready, history in after ${((done - ready) / 1000).toFixed(0)} s | ${w.stalls.length} in ${w.checks} checks | ${c.complete}/${c.total} device-hours (${((100 * c.complete) / c.total).toFixed(2)} %) | ${fmt(rssStart)} → ${fmt(rssEnd)} |`,
      )
      console.log(rows.at(-1))
      for (const s of w.stalls.slice(0, 5)) console.log(`    stall: ${s}`)
    }

    // the long run, on the last start's data (its history is complete, so the simulator only runs live)
    const { proc, url, mqttUrl } = await startIoc(lastDir, { SIM_BACKFILL_HOURS: String(BACKFILL_HOURS), SIM_RATE: String(RATE) })
    const began = Date.now()
    await new Promise((r) => setTimeout(r, 10_000))
    const rssStart = rss(proc.child.pid!)
    const w = await watch(url, mqttUrl, Date.now())
    const minutes: string[] = []
    for (let m = 1; m <= MINUTES; m++) {
      await new Promise((r) => setTimeout(r, 60_000))
      if (m % 5 === 0 || m === MINUTES) minutes.push(`${m} min: ${fmt(rss(proc.child.pid!))}, max lag so far ${w.maxLagMs} ms, stalls ${w.stalls.length}`)
      if (m % 5 === 0) console.log(`  ${minutes.at(-1)}`)
    }
    const rssEnd = rss(proc.child.pid!)
    await w.stop()
    proc.kill('SIGINT')
    await proc.exited
    totalStalls += w.stalls.length
    for (const s of w.stalls.slice(0, 5)) console.log(`    stall: ${s}`)

    console.log('\n| phase | time | database stalls (/healthz, every second) | backfill completeness | RSS start → end |')
    console.log('|---|---|---|---|---|')
    for (const r of rows) console.log(r)
    console.log(`| ${MINUTES} min at ${RATE} readings/s | ${((Date.now() - began) / 60_000).toFixed(1)} min | ${w.stalls.length} in ${w.checks} checks | – | ${fmt(rssStart)} → ${fmt(rssEnd)} |`)
    console.log(`\npublish → commit lag over the long run: ${w.lags.length} readings, p50 ${percentile(w.lags, 50)} ms, p99 ${percentile(w.lags, 99)} ms, max ${w.maxLagMs} ms`)
    console.log(`database stalls in all: ${totalStalls} (target 0 — ${totalStalls === 0 ? 'met' : 'NOT met'})`)
  } finally {
    for (const d of dirs) await rm(d, { recursive: true, force: true })
  }
}

main().catch((err: Error) => {
  console.error(`bench:soak failed: ${err.stack ?? err.message}`)
  process.exit(1)
})
