// Ingest as real processes on Mosquitto + PostgreSQL: a worker killed with SIGKILL mid-stream loses
// nothing (acks are held until commit, its persistent session keeps the rest), and two workers on the
// shared subscription split the stream and store every reading exactly once.
// The Mosquitto is the test's own, configured as deploy/mosquitto/mosquitto.conf ships it: a broker with the
// default max_queued_messages (1000, as the machine's shared one has) silently drops what an absent worker's
// session holds beyond that, and a worker slow to restart on a busy machine lost readings to it.
import { readFileSync } from 'node:fs'
import mqtt from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envPayload } from '../../contract/index.ts'
import { startEmbeddedDatabase } from '../../db/embedded/index.ts'
import { prepareDatabase } from '../../db/setup.ts'
import { uniqueTopicRoot } from '../helpers/brokers.ts'
import { embeddedTestDatabase, postgresTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/databases.ts'
import { spawnEntry, type Proc } from '../helpers/processes.ts'
import { startMosquitto, type OwnMosquitto } from '../helpers/services.ts'
import { testConfig } from '../helpers/stack.ts'
import { waitFor } from '../helpers/wait.ts'
import { writeBatch } from '../helpers/seed.ts'

const real = Boolean(TEST_DATABASE_URL)
const STATIONS = Array.from({ length: 20 }, (_, i) => `QN-KK-${String(i + 1).padStart(3, '0')}`)

describe.skipIf(!real)('ingest worker processes on Mosquitto + PostgreSQL', () => {
  let db: TestDatabase
  let broker: OwnMosquitto
  let brokerUrl: string
  const workers: Proc[] = []

  beforeAll(async () => {
    broker = await startMosquitto()
    brokerUrl = broker.url
    db = await postgresTestDatabase()
    await prepareDatabase(db.db, testConfig())
  })

  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL')
    await Promise.all(workers.map((w) => w.exited))
    await broker?.close()
    await db?.close()
  })

  function worker(clientId: string, topicRoot: string): Proc {
    const p = spawnEntry('ingest/main.ts', {
      DATABASE_URL: db.url!,
      MQTT_URL: brokerUrl,
      MQTT_TOPIC_ROOT: topicRoot,
      INGEST_CLIENT_ID: clientId,
      INGEST_HTTP_PORT: '0',
      INGEST_SHARED: '1',
    })
    workers.push(p)
    return p
  }

  const running = /ingest worker \S+ running; \/healthz and \/metrics on port (\d+)/

  /** Publishes `n` readings (2 values each) at `perSecond`, calling `at(i)` before reading i. */
  async function stream(topicRoot: string, n: number, perSecond: number, base: number, at?: (i: number) => Promise<void> | void) {
    const pub = await mqtt.connectAsync(brokerUrl, { protocolVersion: 5, clientId: `test-pub-${Math.random().toString(36).slice(2, 8)}` })
    const started = Date.now()
    for (let i = 0; i < n; i++) {
      await at?.(i)
      const wait = started + (i * 1000) / perSecond - Date.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      const station = STATIONS[i % STATIONS.length]!
      void pub.publishAsync(`${topicRoot}/env/${station}`, envPayload(base + Math.floor(i / STATIONS.length) * 1000, { pm25: i % 97, pm10: i % 89 }), { qos: 1 })
    }
    await pub.endAsync()
  }

  /** Rows and distinct readings in the time window a stream of `n` readings from `base` covers. */
  async function countStored(base: number, n: number) {
    const r = await db.db.query<{ rows: number; readings: number }>(
      `SELECT count(*)::int AS rows, count(DISTINCT (station_id, ts))::int AS readings FROM station_readings
       WHERE ts >= to_timestamp($1 / 1000.0) AND ts < to_timestamp($2 / 1000.0) AND station_id = ANY($3)`,
      [base, base + Math.ceil(n / STATIONS.length) * 1000, STATIONS],
    )
    return r.rows[0]!
  }

  it('stores every reading exactly once when a worker is SIGKILLed mid-stream and restarted', async () => {
    const topicRoot = uniqueTopicRoot()
    const clientId = `test-crash-${Math.random().toString(36).slice(2, 8)}`
    const base = Date.now() - 3_600_000
    const n = 2400
    let current = worker(clientId, topicRoot)
    await current.waitForOutput(running)
    let killedAt = -1
    await stream(topicRoot, n, 300, base, async (i) => {
      if (i === 800) {
        // mid-stream: some readings committed, some in the worker's batch, some on the wire
        current.kill('SIGKILL')
        await current.exited
        killedAt = i
        current = worker(clientId, topicRoot)
      }
    })
    await current.waitForOutput(running)
    expect(killedAt).toBe(800)
    const stored = await waitFor(() => countStored(base, n), (s) => s.rows >= n * 2, `${n * 2} rows`, 60_000, 250)
    expect(stored).toEqual({ rows: n * 2, readings: n })
    const dead = await db.db.query('SELECT count(*)::int AS n FROM dead_letters')
    expect(dead.rows[0].n).toBe(0)
    current.kill('SIGTERM')
    expect(await current.exited).toEqual({ code: 0, signal: null })
  })

  it('splits the stream between two workers on the shared subscription and stores every reading once', async () => {
    const topicRoot = uniqueTopicRoot()
    const base = Date.now() - 2 * 3_600_000
    const n = 3000
    const a = worker(`test-share-a-${Math.random().toString(36).slice(2, 8)}`, topicRoot)
    const b = worker(`test-share-b-${Math.random().toString(36).slice(2, 8)}`, topicRoot)
    const [pa, pb] = await Promise.all([a.waitForOutput(running), b.waitForOutput(running)])
    await stream(topicRoot, n, 1000, base)
    const stored = await waitFor(() => countStored(base, n), (s) => s.rows >= n * 2, `${n * 2} rows`, 60_000, 250)
    expect(stored).toEqual({ rows: n * 2, readings: n })
    // each worker took a share: its own counter of stored messages
    const handled = async (port: string) => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
      return Number(/ioc_ingest_messages_total\{kind="env",outcome="stored"\} (\d+)/.exec(text)?.[1] ?? 0)
    }
    const [na, nb] = await Promise.all([handled(pa[1]!), handled(pb[1]!)])
    expect(na + nb).toBe(n)
    expect(na).toBeGreaterThan(n / 10)
    expect(nb).toBeGreaterThan(n / 10)
  })

  it('lets a worker retire for good: its share of the feed, queued while it was away, is stored and its session ends', async () => {
    const topicRoot = uniqueTopicRoot()
    const base = Date.now() - 3 * 3_600_000
    const n = 2000
    const idB = `test-retire-b-${Math.random().toString(36).slice(2, 8)}`
    const a = worker(`test-retire-a-${Math.random().toString(36).slice(2, 8)}`, topicRoot)
    let b = worker(idB, topicRoot)
    await Promise.all([a.waitForOutput(running), b.waitForOutput(running)])
    await stream(topicRoot, n, 500, base, async (i) => {
      if (i === 500) {
        // B stops cleanly, keeping its session: the broker goes on queueing B's share there
        b.kill('SIGTERM')
        expect((await b.exited).code).toBe(0)
      }
    })
    // half of what followed is still waiting in B's session; B comes back once, only to hand it over and leave
    const before = await countStored(base, n)
    expect(before.readings).toBeLessThan(n)
    b = spawnEntry('ingest/main.ts', {
      DATABASE_URL: db.url!,
      MQTT_URL: brokerUrl,
      MQTT_TOPIC_ROOT: topicRoot,
      INGEST_CLIENT_ID: idB,
      INGEST_HTTP_PORT: '0',
      INGEST_SHARED: '1',
    }, ['--retire'])
    workers.push(b)
    expect((await b.exited).code).toBe(0)
    expect(b.output()).toContain('its session is gone and nothing is left in it')
    const stored = await waitFor(() => countStored(base, n), (s) => s.rows >= n * 2, `${n * 2} rows`, 60_000, 250)
    expect(stored).toEqual({ rows: n * 2, readings: n })
    // the session is gone: connecting under B's id finds none
    const probe = mqtt.connect(brokerUrl, { clientId: idB, clean: false, protocolVersion: 5, properties: { sessionExpiryInterval: 0 } })
    const connack = await new Promise<{ sessionPresent: boolean }>((resolve) => probe.once('connect', resolve))
    expect(connack.sessionPresent).toBe(false)
    await probe.endAsync()
  })
})

describe('embedded database durability', () => {
  it('keeps every committed reading across a SIGKILL of the database process, and takes new ones after reopening', async () => {
    const db = await embeddedTestDatabase()
    try {
      await prepareDatabase(db.db, testConfig())
      const base = Date.now() - 3_600_000
      const readings = Array.from({ length: 3000 }, (_, i) => ({ stationId: STATIONS[i % 20]!, ts: base + i * 1000, values: { pm25: i % 50, pm10: i % 70 } }))
      for (let i = 0; i < readings.length; i += 500) await writeBatch(db.db, readings.slice(i, i + 500))
      // the embedded database's own process, as its lock file names it
      const pid = Number(readFileSync(`${db.dataDir}/embedded.pid`, 'utf8'))
      expect(pid).toBe(db.db.pid)
      process.kill(pid, 'SIGKILL')
      await db.db.exited
      const again = await startEmbeddedDatabase(db.dataDir)
      const r = await again.query('SELECT count(*)::int AS n FROM station_readings')
      expect(r.rows[0].n).toBe(6000)
      // and the reopened database takes new readings (hypertables with continuous aggregates need TimescaleDB's TSL module loaded)
      await writeBatch(again, [{ stationId: 'QN-KK-001', ts: Date.now(), values: { pm25: 1 } }])
      expect((await again.query('SELECT count(*)::int AS n FROM station_readings')).rows[0].n).toBe(6001)
      await again.stop()
    } finally {
      await db.close().catch(() => {})
    }
  })
})
