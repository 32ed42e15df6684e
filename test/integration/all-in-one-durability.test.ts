// `npm start` (the all-in-one with embedded TimescaleDB and broker) when things go wrong: the process is
// SIGKILLed mid-stream, a start is cut off halfway through its history, Ctrl-C arrives while the database
// is stalled. Nothing a publisher was told "received" is lost, history ends up complete, and Ctrl-C is prompt.
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { afterEach, describe, expect, it } from 'vitest'
import { envPayload, type HealthResponse, type SeriesResponse, type StationSummary } from '../../contract/index.ts'
import { startEmbeddedDatabase } from '../../db/embedded/index.ts'
import { loadReference } from '../../db/reference.ts'
import { maintain } from '../../db/maintenance.ts'
import { HOUR_MS, hourStart } from '../../contract/shared/clock.ts'
import { BACKFILL_STEP_SEC, backfillSteps, findGaps, readCoverage } from '../../simulator/coverage.ts'
import { createFeedModel } from '../../simulator/model.ts'
import { mulberry32 } from '../../simulator/random.ts'
import { kioskFetch, wallLinkOf } from '../helpers/auth.ts'
import { brokerAccountFiles, mqttUrlFor } from '../helpers/mqtt-accounts.ts'
import { spawnEntry, type Proc } from '../helpers/processes.ts'
import { freePort } from '../helpers/services.ts'
import { waitFor } from '../helpers/wait.ts'
import { testConfig } from '../helpers/stack.ts'

const config = testConfig()

const STATIONS = Array.from({ length: 20 }, (_, i) => `QN-KK-${String(i + 1).padStart(3, '0')}`)

describe('npm start when things go wrong', () => {
  const procs: Proc[] = []
  const dirs: string[] = []
  afterEach(async () => {
    for (const p of procs.splice(0)) p.kill('SIGKILL')
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
  })
  async function dataDir(): Promise<string> {
    const d = await mkdtemp(join(tmpdir(), 'ioc-durable-'))
    dirs.push(d)
    return d
  }
  function start(env: Record<string, string>): Proc {
    const p = spawnEntry('bin/ioc.ts', env)
    procs.push(p)
    return p
  }
  /** Opens the stopped IOC's embedded database, runs `fn`, closes it. */
  async function inDatabase<T>(dir: string, fn: (db: Awaited<ReturnType<typeof startEmbeddedDatabase>>) => Promise<T>): Promise<T> {
    const db = await startEmbeddedDatabase(join(dir, 'timescaledb'))
    try {
      return await fn(db)
    } finally {
      await db.stop()
    }
  }

  // two cold starts of the all-in-one (migrations, seed) and 2,400 readings: longer than the default minute on 2 cores
  it('stores every reading its publisher got a PUBACK for, exactly once, across a SIGKILL of npm start', { timeout: 180_000 }, async () => {
    const dir = await dataDir()
    // an integration account allowed to publish for every station (a gateway)
    const probe = { username: 'durability-probe', password: 'probe-password-1', topics: ['topic write ioc/v1/env/+'] }
    const env = { DATA_DIR: dir, PORT: '0', MQTT_PORT: String(await freePort()), SIMULATE: '0', ...(await brokerAccountFiles(dir, [probe])) }
    let ioc = start(env)
    await ioc.waitForOutput(/IOC running at/, 120_000)
    // a device with a persistent session, sending numbered readings at 200/s with QoS 1
    const pub = mqtt.connect(mqttUrlFor(probe, env.MQTT_PORT), { clientId: 'durability-probe', clean: false, protocolVersion: 4, reconnectPeriod: 200 })
    await new Promise((r) => pub.once('connect', r))
    const base = Date.now() - 3_600_000
    const acked = new Set<number>()
    const N = 2400
    const sending = (async () => {
      for (let i = 0; i < N; i++) {
        pub.publish(`ioc/v1/env/${STATIONS[i % 20]}`, envPayload(base + i * 1000, { pm25: i % 500 }), { qos: 1 }, (err) => {
          if (!err) acked.add(i)
        })
        await new Promise((r) => setTimeout(r, 5))
      }
    })()
    await waitFor(() => acked.size, (n) => n >= 600, '600 acknowledged readings', 30_000)
    ioc.kill('SIGKILL')
    await ioc.exited
    const ackedBeforeKill = acked.size
    ioc = start(env)
    await ioc.waitForOutput(/IOC running at/, 120_000)
    await sending
    // the publisher sends again what was never acknowledged; wait until everything is
    // a cold start on a busy 2-core machine (CI runs two test files at once) can take most of a minute
    await waitFor(() => acked.size, (n) => n === N, `all ${N} readings acknowledged`, 120_000, 200)
    await pub.endAsync()
    ioc.kill('SIGINT')
    expect((await ioc.exited).code).toBe(0)
    const rows = await inDatabase(dir, (db) =>
      db.query<{ station_id: string; ts: number; n: number }>(`SELECT station_id, ts, count(*)::int AS n FROM station_readings WHERE metric = 'pm25' GROUP BY 1, 2`),
    )
    const stored = new Map(rows.rows.map((r) => [`${r.station_id}@${r.ts}`, r.n]))
    const missing = [...acked].filter((i) => !stored.has(`${STATIONS[i % 20]}@${base + i * 1000}`))
    expect(ackedBeforeKill).toBeGreaterThanOrEqual(600)
    expect(missing).toEqual([])
    expect(rows.rows.every((r) => r.n === 1)).toBe(true)
    expect(rows.rowCount).toBe(N)
  })

  it('fills in the history a start cut off halfway did not, and sends nothing twice that was complete', { timeout: 300_000 }, async () => {
    const dir = await dataDir()
    const hours = 24
    // maintenance every second: the hourly aggregate the simulator reads what is stored from stays current
    // while this test watches it; no dossier feed, whose history would only compete for the database
    const env = {
      DATA_DIR: dir,
      PORT: '0',
      MQTT_PORT: String(await freePort()),
      SIM_RATE: '5',
      SIM_BACKFILL_HOURS: String(hours),
      AGG_REFRESH_INTERVAL: '1s',
      SIM_DOSSIERS_PER_DAY: '0',
    }
    let ioc = start(env)
    const get = await kioskFetch(await wallLinkOf(ioc))
    const first = await ioc.waitForOutput(/publishing history first: (\d+) of (\d+) device-hours/, 120_000)
    expect(first[1]).toBe(first[2])
    // Cut off once some device-hour is certainly complete, measured as the next start measures it. History
    // goes out a 5-minute step at a time for every device, oldest first, so a device-hour is complete only
    // once the backfill has passed the end of its hour: the window's first, partial hour alone can take 12
    // steps (~10,000 station rows), which is why waiting for 2,000 stored rows found nothing complete when
    // the test started early in a clock hour. The hour watched is the window's third clock hour, whole and
    // well inside the next start's window too; the station's count in it is read from the hourly aggregate
    // (the series API) and compared with what the model says the station sent, by findGaps, as the
    // simulator does with readCoverage. That count only grows (rows are never deleted before the next
    // start, and the aggregate is re-materialized from them), so the next start sees the device-hour
    // complete as well. The hour is done an eighth of the way through the history at the latest; the rest,
    // ~49,000 messages, takes over 20 s even at the backfill's ceiling of 2,000 a second, so the cut-off
    // comes long before the history is all in.
    const station = ((await (await get('/api/stations')).json()) as StationSummary[]).find((s) => s.kind === 'air')!
    const hour = hourStart(Date.now() - hours * HOUR_MS) + 2 * HOUR_MS
    const steps = Array.from({ length: HOUR_MS / (BACKFILL_STEP_SEC * 1000) }, (_, i) => hour + i * BACKFILL_STEP_SEC * 1000)
    const model = createFeedModel({ rng: mulberry32(1459) })
    const completeHours = async () => {
      const { points } = (await (await get(`/api/stations/${station.id}/series?metric=pm25&bucket=1h&from=${hour}&to=${hour + HOUR_MS}`)).json()) as SeriesResponse
      const stored = { [station.id]: Object.fromEntries(points.map((p) => [String(Date.parse(p.t)), p.count])) }
      return findGaps(model, [station], stored, steps).complete
    }
    await waitFor(completeHours, (n) => n === 1, `${station.id} complete in the hour from ${new Date(hour).toISOString()}`, 120_000, 100)
    ioc.kill('SIGKILL')
    await ioc.exited
    ioc = start(env)
    const second = await ioc.waitForOutput(/publishing history first: (\d+) of (\d+) device-hours|history complete: all (\d+) device-hours/, 120_000)
    expect(second[0], 'the history was all in before the cut-off').toMatch(/^publishing/)
    const missingNow = Number(second[1])
    expect(missingNow).toBeGreaterThan(0)
    expect(missingNow).toBeLessThan(Number(second[2]))
    const startedAt = Date.now()
    await ioc.waitForOutput(/history published/, 120_000)
    ioc.kill('SIGINT')
    expect((await ioc.exited).code).toBe(0)
    // every complete clock hour of the window now holds what the model says each device sent in it, read as
    // the simulator reads it, from the hourly aggregate, once a maintenance round has re-materialized it: the
    // last rows of history can come in after the last round before Ctrl-C (with a round every second and
    // 24 h of history, up to a whole hour of stations showed short before it)
    const gaps = await inDatabase(dir, async (db) => {
      const ref = await loadReference(db)
      await maintain(db, 'manual-timescaledb', config.storage, config.ingest.maxAgeMs, Date.now(), false)
      const steps = backfillSteps(hours, startedAt).filter((t) => t < Math.floor(startedAt / HOUR_MS) * HOUR_MS)
      const stored = await readCoverage(db, Math.floor(steps[0]! / HOUR_MS) * HOUR_MS)
      return findGaps(createFeedModel({ rng: mulberry32(1459), stations: ref.stations }), [...ref.stations, ...ref.cameras], stored, steps)
    })
    // at least the 23 whole clock hours of the window, in each of which every one of the 200 devices reports
    // (a dropout is shorter than an hour); the first, partial hour adds up to 200 more unless it is empty
    expect(gaps.total).toBeGreaterThanOrEqual((hours - 1) * 200)
    expect(gaps.total - gaps.complete).toBe(0)
  })

  it('stops within 10 s on Ctrl-C while the database is stalled, saying what was not committed, and starts again', { timeout: 180_000 }, async () => {
    const dir = await dataDir()
    const env = { DATA_DIR: dir, PORT: '0', MQTT_PORT: String(await freePort()), SIM_RATE: '50', SIM_BACKFILL_HOURS: '0' }
    let ioc = start(env)
    const url = (await ioc.waitForOutput(/IOC running at (http:\/\/\S+)/, 120_000))[1]!
    const get = await kioskFetch(await wallLinkOf(ioc))
    await waitFor(async () => (await get('/api/stations')).json(), (s: { lastSeen: string | null }[]) => s.some((x) => x.lastSeen), 'live data')
    const dbPid = Number(readFileSync(join(dir, 'timescaledb', 'embedded.pid'), 'utf8'))
    process.kill(dbPid, 'SIGSTOP')
    try {
      const health = await waitFor(() => fetch(`${url}/healthz`).then((r) => r.json() as Promise<HealthResponse>), (h) => !h.ok, 'an unhealthy /healthz', 20_000, 500)
      expect(health.problems.some((p: string) => p.startsWith('database: '))).toBe(true)
      const stopping = Date.now()
      ioc.kill('SIGINT')
      expect((await ioc.exited).code).toBe(0)
      expect(Date.now() - stopping).toBeLessThan(10_000)
      expect(ioc.output()).toMatch(/\d+ message\(s\) were not committed within \d+ s; their publishers got no acknowledgement and send them again/)
    } finally {
      try {
        process.kill(dbPid, 'SIGCONT')
        process.kill(dbPid, 'SIGKILL')
      } catch {
        // already gone: the IOC stopped it
      }
    }
    ioc = start(env)
    const again = (await ioc.waitForOutput(/IOC running at (http:\/\/\S+)/, 120_000))[1]!
    expect((await fetch(`${again}/healthz`)).status).toBe(200)
    ioc.kill('SIGINT')
    expect((await ioc.exited).code).toBe(0)
  })
})
