// `npm run bench:ingest`: the ingest hot path, measured end to end against a real broker and database,
// beside its ceiling and a naive baseline from the same run (ratios survive a noisy machine; absolute
// numbers do not).
//
//  1. throughput: BENCH_READINGS readings (8 air metrics each) published to MQTT through BENCH_WORKERS ingest
//     worker processes (default 1; more share a $share subscription); rows/s committed, and worker RSS.
//  2. latency: BENCH_RATE readings/s for BENCH_SECONDS with a server process and a Socket.IO client
//     subscribed to the station list; publish→commit and publish→client p50/p95/p99.
//  3. ceiling: the same rows inserted straight into the database with ingest's own statement and batch size,
//     over as many connections as there are workers (one each).
//  4. naive baseline: one INSERT per message, the way a first prototype would write it.
//  3 and 4 run before and after 1–2; the ratios use the better of each pair.
//
// Needs MQTT_URL and DATABASE_URL (e.g. Mosquitto and PostgreSQL/TimescaleDB); it works in a throwaway
// database it creates on that server and drops afterwards (BENCH_KEEP_DB=1 keeps it).
import { readFileSync } from 'node:fs'
import mqtt from 'mqtt'
import { scratchDatabase } from './shared/scratch-database.ts'
import { io as connectSocket } from 'socket.io-client'
import { envPayload, type LiveEnvBatch, type Metric, type StationsDelta } from '../contract/index.ts'
import { loadConfig } from '../core/config.ts'
import type { Database } from '../db/database.ts'
import { openPostgres } from '../db/postgres.ts'
import { prepareDatabase } from '../db/setup.ts'
import { INSERT_READINGS_SQL, readingColumns } from '../ingest/environment/index.ts'
import { spawnEntry, type Proc } from '../test/helpers/processes.ts'

const env = process.env
const MQTT_URL = env.MQTT_URL
const DATABASE_URL = env.DATABASE_URL
if (!MQTT_URL || !DATABASE_URL) {
  process.stderr.write('bench:ingest measures against real services: set MQTT_URL and DATABASE_URL, e.g.\n  MQTT_URL=mqtt://127.0.0.1:1883 DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:ingest\n')
  process.exit(2)
}
const READINGS = Number(env.BENCH_READINGS ?? 100_000)
const RATE = Number(env.BENCH_RATE ?? 2000)
const SECONDS = Number(env.BENCH_SECONDS ?? 20)
const NAIVE_READINGS = Number(env.BENCH_NAIVE_READINGS ?? 10_000)
const WORKERS = Number(env.BENCH_WORKERS ?? 1)
/** Readings published but not yet committed, at most: below what a default Mosquitto queues per session. */
const WINDOW = 3000 * WORKERS
const BATCH_ROWS = loadConfig({ ...env, MQTT_URL, DATABASE_URL }).ingest.batchMaxRows

const VALUES: Partial<Record<Metric, number>> = { pm25: 0, pm10: 0, o3: 0, no2: 0, so2: 0, co: 0, temp: 0, humidity: 0 }
const ROWS_PER_READING = Object.keys(VALUES).length

function values(i: number): Partial<Record<Metric, number>> {
  return { pm25: 10 + (i % 60), pm10: 20 + (i % 90), o3: 30 + (i % 40), no2: 15 + (i % 30), so2: 5 + (i % 20), co: 400 + (i % 300), temp: 20 + (i % 15), humidity: 50 + (i % 45) }
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}
const ms = (v: number) => `${v.toFixed(1)} ms`
const fmt = (n: number) => Math.round(n).toLocaleString('en-US')

function rssMb(proc: Proc): number {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) throw new Error(`the ingest worker exited:\n${proc.output().slice(-3000)}`)
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${proc.child.pid}/status`, 'utf8'))
  return m ? Number(m[1]) / 1024 : NaN
}

/** A checkpoint before a measurement, so one phase's dirty pages are not flushed during the next (needs superuser; skipped otherwise). */
async function settle(pool: Database): Promise<void> {
  await pool.query('CHECKPOINT').catch(() => {})
}

async function main(): Promise<void> {
  const scratch = await scratchDatabase(DATABASE_URL!, `ioc_bench_${process.pid}`)
  const benchDb = scratch.url
  const pool = openPostgres(benchDb, { max: Math.max(2, WORKERS), applicationName: 'ioc-bench' })
  const topicRoot = `bench-${process.pid}/ioc/v1`
  const procs: Proc[] = []
  try {
    const prepared = await prepareDatabase(pool, loadConfig({ MQTT_URL, DATABASE_URL: benchDb }))
    const stations = (await pool.query<{ id: string }>(`SELECT id FROM stations WHERE kind = 'air' ORDER BY id`)).rows.map((r) => r.id)
    console.log(`backend: ${prepared.backend} · ${stations.length} air stations · batch ${BATCH_ROWS} rows · ${ROWS_PER_READING} rows per reading\n`)

    const base = Date.now() - 6 * 86_400_000
    const readings = Array.from({ length: READINGS }, (_, i) => ({ stationId: stations[i % stations.length]!, ts: base + Math.floor(i / stations.length) * 1000, values: values(i) }))
    const perBatch = Math.max(1, Math.floor(BATCH_ROWS / ROWS_PER_READING))

    /** The same rows straight into the database, with ingest's statement and batch size, one connection per worker. */
    async function ceiling(): Promise<number> {
      await pool.query('TRUNCATE station_readings, station_latest')
      await settle(pool)
      const batches: (typeof readings)[] = []
      for (let i = 0; i < readings.length; i += perBatch) batches.push(readings.slice(i, i + perBatch))
      // one connection per worker, each taken before the clock starts
      let t = 0
      let ready = 0
      let go!: () => void
      const start = new Promise<void>((resolve) => (go = resolve))
      await Promise.all(
        Array.from({ length: WORKERS }, () =>
          pool.session(async (c) => {
            if (++ready === WORKERS) {
              t = performance.now()
              go()
            }
            await start
            for (let b = batches.shift(); b; b = batches.shift()) {
              const cols = readingColumns(b)
              await c.query(INSERT_READINGS_SQL, [cols.stationIds, cols.metrics, cols.ts, cols.values])
            }
          }),
        ),
      )
      const rate = (READINGS * ROWS_PER_READING) / ((performance.now() - t) / 1000)
      await pool.query('TRUNCATE station_readings, station_latest')
      return rate
    }

    /** One INSERT per message, awaited, the way a first prototype writes it. */
    async function naive(): Promise<number> {
      await pool.query('TRUNCATE station_readings')
      await settle(pool)
      const t = performance.now()
      for (const r of readings.slice(0, NAIVE_READINGS)) {
        const entries = Object.entries(r.values)
        const placeholders = entries.map((_, k) => `($1, $${k * 2 + 3}, to_timestamp($2 / 1000.0), $${k * 2 + 4})`).join(', ')
        await pool.query(`INSERT INTO station_readings (station_id, metric, ts, value) VALUES ${placeholders} ON CONFLICT DO NOTHING`, [r.stationId, r.ts, ...entries.flat()])
      }
      const rate = (NAIVE_READINGS * ROWS_PER_READING) / ((performance.now() - t) / 1000)
      await pool.query('TRUNCATE station_readings')
      return rate
    }
    const [ceiling1, naive1] = [await ceiling(), await naive()]

    const childEnv = { MQTT_URL: MQTT_URL!, DATABASE_URL: benchDb, MQTT_TOPIC_ROOT: topicRoot, INGEST_HTTP_PORT: '0', LOG_LEVEL: 'warn', PORT: '0' }
    const workers = Array.from({ length: WORKERS }, (_, w) =>
      spawnEntry('ingest/main.ts', { ...childEnv, LOG_LEVEL: 'info', INGEST_SHARED: WORKERS > 1 ? '1' : '0', INGEST_CLIENT_ID: `bench-ingest-${process.pid}-${w}` }),
    )
    procs.push(...workers)
    await Promise.all(workers.map((w) => w.waitForOutput(/ingest worker \S+ running/)))

    // committed readings are visible on the live topic ingest publishes after each commit
    const watcher = await mqtt.connectAsync(MQTT_URL!, { protocolVersion: 5, clientId: `bench-watch-${process.pid}` })
    let committed = 0
    const commitLatency: number[] = []
    let recordCommitLatency = false
    watcher.on('message', (_t, payload) => {
      const batch = JSON.parse(payload.toString()) as LiveEnvBatch
      committed += batch.readings.length
      if (recordCommitLatency) for (const r of batch.readings) commitLatency.push(batch.committedAt - r.ts)
    })
    await watcher.subscribeAsync(`${topicRoot}/live/env`, { qos: 0 })
    const pub = await mqtt.connectAsync(MQTT_URL!, { protocolVersion: 5, clientId: `bench-pub-${process.pid}` })

    // 1. throughput
    const rss = () => Math.max(...workers.map(rssMb))
    let peakRss = rss()
    const sampler = setInterval(() => {
      try {
        peakRss = Math.max(peakRss, rss())
      } catch (err) {
        console.error((err as Error).message)
        process.exit(1)
      }
    }, 200)
    const t0 = performance.now()
    for (let i = 0; i < READINGS; i++) {
      while (i - committed >= WINDOW) await new Promise((r) => setTimeout(r, 1))
      const station = stations[i % stations.length]!
      pub.publish(`${topicRoot}/env/${station}`, envPayload(base + Math.floor(i / stations.length) * 1000, values(i)), { qos: 1 })
    }
    while (committed < READINGS) await new Promise((r) => setTimeout(r, 1))
    const e2eSeconds = (performance.now() - t0) / 1000
    const e2eRows = (READINGS * ROWS_PER_READING) / e2eSeconds
    const stored = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM station_readings')).rows[0]!.n
    console.log(`1. MQTT → ${WORKERS} ingest worker${WORKERS > 1 ? 's' : ''} → database: ${fmt(READINGS)} readings, ${fmt(stored)} rows stored in ${e2eSeconds.toFixed(2)} s = ${fmt(e2eRows)} rows/s (${fmt(READINGS / e2eSeconds)} readings/s)`)
    console.log(`   ingest worker RSS: peak ${peakRss.toFixed(0)} MB (largest worker)`)
    if (stored !== READINGS * ROWS_PER_READING) throw new Error(`expected ${READINGS * ROWS_PER_READING} rows, found ${stored}`)

    // 2. latency at a steady rate, through a server to a Socket.IO client
    const adminPassword = `bench-admin-${process.pid}-${Math.random().toString(36).slice(2)}`
    const server = spawnEntry('server/main.ts', { ...childEnv, LOG_LEVEL: 'info', ADMIN_PASSWORD: adminPassword })
    procs.push(server)
    const [, serverUrl] = await server.waitForOutput(/server running at (http:\/\/\S+)/)
    // the wall's socket as a signed-in operator's browser holds it (a socket without a session is refused)
    const signedIn = await fetch(`${serverUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: adminPassword }) })
    if (!signedIn.ok) throw new Error(`could not sign in to the bench's server: ${signedIn.status}`)
    const cookie = signedIn.headers.getSetCookie()[0]!.split(';')[0]!
    const socket = connectSocket(serverUrl!, { transports: ['websocket'], extraHeaders: { cookie } })
    await new Promise<void>((resolve, reject) => socket.emit('subscribe', { rooms: ['stations'] }, (res: { ok: boolean }) => (res.ok ? resolve() : reject(new Error('subscribe failed')))))
    const clientLatency: number[] = []
    let recordClient = false
    socket.on('stations:delta', (d: StationsDelta) => {
      const now = Date.now()
      if (recordClient) for (const s of d.stations) if (s.lastSeen) clientLatency.push(now - Date.parse(s.lastSeen))
    })
    await new Promise((r) => setTimeout(r, 1000))
    recordCommitLatency = true
    recordClient = true
    const total = RATE * SECONDS
    const start = Date.now()
    let sent = 0
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const due = Math.min(total, Math.floor(((Date.now() - start) / 1000) * RATE))
        for (; sent < due; sent++) {
          const station = stations[sent % stations.length]!
          pub.publish(`${topicRoot}/env/${station}`, envPayload(Date.now(), values(sent)), { qos: 1 })
        }
        if (sent >= total) {
          clearInterval(tick)
          resolve()
        }
      }, 5)
    })
    await new Promise((r) => setTimeout(r, 1500))
    recordCommitLatency = false
    recordClient = false
    socket.close()
    clearInterval(sampler)
    commitLatency.sort((a, b) => a - b)
    clientLatency.sort((a, b) => a - b)
    console.log(`2. at ${fmt(RATE)} readings/s for ${SECONDS} s (${fmt(total)} readings):`)
    console.log(`   publish → commit  p50 ${ms(percentile(commitLatency, 50))}  p95 ${ms(percentile(commitLatency, 95))}  p99 ${ms(percentile(commitLatency, 99))}  (${fmt(commitLatency.length)} readings)`)
    console.log(`   publish → Socket.IO client  p50 ${ms(percentile(clientLatency, 50))}  p95 ${ms(percentile(clientLatency, 95))}  p99 ${ms(percentile(clientLatency, 99))}  (${fmt(clientLatency.length)} station updates after coalescing)`)
    console.log(`   ingest worker RSS: peak ${peakRss.toFixed(0)} MB (largest worker)`)
    await pub.endAsync()
    await watcher.endAsync()

    for (const p of procs) p.kill('SIGTERM')
    await Promise.all(procs.map((p) => p.exited))
    procs.length = 0
    // the database's own speed varies ±15 % from minute to minute here: measure the references again after
    // the pipeline and compare with the better of the two runs, so the ratios are never flattered
    const [ceiling2, naive2] = [await ceiling(), await naive()]
    const ceilingRows = Math.max(ceiling1, ceiling2)
    const naiveRows = Math.max(naive1, naive2)
    console.log(`3. ceiling, the same rows inserted directly (same statement, ${perBatch} readings a statement, ${WORKERS} connection${WORKERS > 1 ? 's' : ''}): ${fmt(ceiling1)} and ${fmt(ceiling2)} rows/s, before and after`)
    console.log(`4. naive baseline, one INSERT per message (${fmt(NAIVE_READINGS)} messages): ${fmt(naive1)} and ${fmt(naive2)} rows/s, before and after`)

    const share = (e2eRows / ceilingRows) * 100
    const speedup = e2eRows / naiveRows
    const p99 = percentile(clientLatency, 99)
    console.log('\nsummary                                  measured      target')
    console.log(`  end-to-end vs direct-insert ceiling    ${share.toFixed(0).padStart(5)} %      ≥ 60 %   ${share >= 60 ? 'met' : 'NOT met'}`)
    console.log(`  end-to-end vs naive baseline           ${speedup.toFixed(1).padStart(5)} ×      ≥ 10 ×   ${speedup >= 10 ? 'met' : 'NOT met'}`)
    console.log(`  p99 publish → Socket.IO client         ${p99.toFixed(0).padStart(5)} ms     ≤ 200 ms ${p99 <= 200 ? 'met' : 'NOT met'}`)
  } finally {
    for (const p of procs) p.kill('SIGKILL')
    await pool.end()
    // the bench's ingest session must not linger on the broker
    for (let w = 0; w < WORKERS; w++) {
      const c = await mqtt.connectAsync(MQTT_URL!, { clientId: `bench-ingest-${process.pid}-${w}`, clean: true, protocolVersion: 5, properties: { sessionExpiryInterval: 0 } }).catch(() => null)
      await c?.endAsync()
    }
    await scratch.drop()
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`)
  process.exit(1)
})
