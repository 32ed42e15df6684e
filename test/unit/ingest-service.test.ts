// The ingest service's decisions with a fake source and a fake database: when acknowledgements go out, what
// it says about a database that stopped answering, what it publishes, and what a stop leaves behind.
import { describe, expect, it } from 'vitest'
import { envPayload, type IngestHeartbeat, type LiveEnvBatch } from '../../contract/index.ts'
import type { Database, Queryable, QueryResult } from '../../db/database.ts'
import { startIngest } from '../../ingest/service.ts'
import type { DeliveryHandler, MessageSource } from '../../ingest/shared/source.ts'

const NOW = Date.parse('2026-11-21T01:00:00Z')
const LIMITS = { maxPayloadBytes: 65_536, maxAgeMs: 7 * 86_400_000, maxFutureMs: 300_000 }

/** A database whose commits wait until the test lets them through. */
function fakeDatabase() {
  const gates: (() => void)[] = []
  let open = true
  /** The parameters of every committed statement. */
  const committed: unknown[][] = []
  const answer = async (text: string): Promise<QueryResult<any>> => {
    if (text === 'SELECT id FROM stations') return { rows: [{ id: 'QN-KK-001' }], rowCount: 1 }
    if (text === 'SELECT id FROM cameras') return { rows: [], rowCount: 0 }
    return { rows: [{ n: 1 }], rowCount: 1 }
  }
  const db: Database = {
    kind: 'postgres',
    query: (text) => answer(text),
    session: (fn) => fn({ query: (text: string) => answer(text) }),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const statements: unknown[] = []
      const result = await fn({ query: async (text: string, values?: readonly unknown[]) => (statements.push(values), answer(text)) })
      if (!open) await new Promise<void>((resolve) => gates.push(resolve))
      committed.push(statements)
      return result
    },
    ping: async () => {},
    end: async () => {},
  }
  return {
    db,
    committed,
    stall: () => (open = false),
    resume: () => {
      open = true
      for (const g of gates.splice(0)) g()
    },
  }
}

function fakeSource() {
  let handle!: DeliveryHandler
  const published: { topic: string; payload: string }[] = []
  const acked: number[] = []
  let paused = false
  const source: MessageSource = {
    redelivery: 'the fake broker keeps them',
    start: async (h) => void (handle = h),
    connected: () => true,
    held: () => 0,
    describe: () => 'a fake broker',
    publish: (topic, payload) => void published.push({ topic, payload }),
    pause: () => void (paused = true),
    close: async () => {},
  }
  return {
    source,
    published,
    acked,
    deliver(i: number, topic = 'ioc/v1/env/QN-KK-001') {
      if (paused) return
      void handle({ topic, payload: Buffer.from(envPayload(NOW - i * 1000, { pm25: i })), ack: { release: () => void acked.push(i) } })
    },
  }
}

const settle = () => new Promise((r) => setTimeout(r, 30))

describe('the ingest service', () => {
  it('acknowledges a message only after the batch holding it commits', async () => {
    const fdb = fakeDatabase()
    const fs = fakeSource()
    fdb.stall()
    const ingest = await startIngest({ db: fdb.db, source: fs.source, topicRoot: 'ioc/v1', workerId: 'w1', batchMaxRows: 100, batchMaxWaitMs: 1, limits: LIMITS, now: () => NOW })
    fs.deliver(1)
    fs.deliver(2)
    await settle()
    expect(fs.acked).toEqual([])
    fdb.resume()
    await settle()
    expect(fs.acked.sort()).toEqual([1, 2])
    await ingest.stop(100)
  })

  it('says the database is not answering when a commit has waited over 10 s', async () => {
    const fdb = fakeDatabase()
    const fs = fakeSource()
    let clock = NOW
    const ingest = await startIngest({ db: fdb.db, source: fs.source, topicRoot: 'ioc/v1', workerId: 'w1', batchMaxRows: 100, batchMaxWaitMs: 1, limits: LIMITS, now: () => clock })
    fdb.stall()
    fs.deliver(1)
    await settle()
    expect(ingest.health()).toEqual([])
    clock += 12_000
    expect(ingest.health()).toEqual(['database: a commit has waited 12 s for an answer'])
    fdb.resume()
    await settle()
    expect(ingest.health()).toEqual([])
    await ingest.stop(100)
  })

  it('publishes what it committed, and a heartbeat naming itself', async () => {
    const fdb = fakeDatabase()
    const fs = fakeSource()
    const ingest = await startIngest({ db: fdb.db, source: fs.source, topicRoot: 'ioc/v1', workerId: 'w1', batchMaxRows: 100, batchMaxWaitMs: 1, limits: LIMITS, now: () => NOW })
    fs.deliver(1)
    await settle()
    const live = fs.published.find((p) => p.topic === 'ioc/v1/live/env')
    expect(JSON.parse(live!.payload) as LiveEnvBatch).toEqual({ committedAt: NOW, readings: [{ stationId: 'QN-KK-001', ts: NOW - 1000, values: { pm25: 1 } }] })
    const beat = fs.published.find((p) => p.topic === 'ioc/v1/live/ingest')
    expect(JSON.parse(beat!.payload) as IngestHeartbeat).toMatchObject({ clientId: 'w1', problems: [], pendingRows: expect.any(Number) })
    await ingest.stop(100)
  })

  it('on a stop with the database stalled, leaves the uncommitted messages unacknowledged and says how many', async () => {
    const fdb = fakeDatabase()
    const fs = fakeSource()
    const ingest = await startIngest({ db: fdb.db, source: fs.source, topicRoot: 'ioc/v1', workerId: 'w1', batchMaxRows: 100, batchMaxWaitMs: 1, limits: LIMITS, now: () => NOW })
    fdb.stall()
    for (const i of [1, 2, 3]) fs.deliver(i)
    await settle()
    const started = Date.now()
    expect(await ingest.stop(300)).toBe(3)
    expect(Date.now() - started).toBeLessThan(1000)
    // a message arriving after the stop is not taken
    fs.deliver(4)
    fdb.resume()
    await settle()
    expect(fs.acked).not.toContain(4)
    expect(JSON.stringify(fdb.committed)).not.toContain(String(NOW - 4000))
    expect(JSON.stringify(fdb.committed)).toContain(String(NOW - 3000))
  })
})
