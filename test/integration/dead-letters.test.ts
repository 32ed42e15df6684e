// Bad input never crashes ingest and is never dropped silently: each kind becomes a dead letter with its
// reason, the good part of a partly bad message is stored, and GET /api/dead-letters lists them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cameraPayload, envPayload } from '../../contract/index.ts'
import type { TestBroker } from '../helpers/brokers.ts'
import type { TestDatabase } from '../helpers/databases.ts'
import { closeStack, openStack, STACK_TARGETS, type Stack } from '../helpers/stack.ts'
import { waitFor } from '../helpers/wait.ts'

describe.each(STACK_TARGETS)('dead letters on $db database + $broker broker', (target) => {
  const brokerKind = target.broker
  let db: TestDatabase
  let broker: TestBroker
  let stack: Stack

  beforeAll(async () => {
    ;({ db, broker, stack } = await openStack(target, { INGEST_MAX_PAYLOAD_BYTES: '4096', INGEST_MAX_AGE: '2d', INGEST_MAX_FUTURE: '10m' }))
  })
  afterAll(async () => {
    await closeStack({ db, broker, stack })
  })

  const now = () => Date.now()
  const env = (station: string) => `${stack.topicRoot}/env/${station}`
  const cam = (camera: string) => `${stack.topicRoot}/camera/${camera}`

  // [what, topic, payload, expected code, words the reason must contain]
  const cases: [string, () => string, () => string, string, string][] = [
    ['invalid JSON', () => env('QN-KK-002'), () => '{"ts": 1, "values": {', 'invalid_json', 'not JSON'],
    ['a wrong type', () => env('QN-KK-002'), () => envPayload(now(), { pm25: 'high' as unknown as number }), 'wrong_type', 'values.pm25: expected a number'],
    ['a non-finite number', () => env('QN-KK-002'), () => `{"ts": ${now()}, "values": {"pm10": 1e400}}`, 'non_finite', 'values.pm10'],
    ['a physically impossible value', () => env('QN-KK-002'), () => envPayload(now(), { humidity: 140 }), 'out_of_range', 'values.humidity: 140 is outside the physical range'],
    ['an unknown station', () => env('ZZ-NOT-A-STATION'), () => envPayload(now(), { pm25: 10 }), 'unknown_station', "station 'ZZ-NOT-A-STATION'"],
    ['an unknown camera', () => cam('ZZ-NOT-A-CAMERA'), () => cameraPayload(now(), 60, { car: 3 }), 'unknown_camera', "camera 'ZZ-NOT-A-CAMERA'"],
    ['a timestamp too far in the past', () => env('QN-KK-002'), () => envPayload(now() - 3 * 86_400_000, { pm25: 10 }), 'timestamp_too_old', 'older than the accepted 2 d'],
    ['a timestamp too far in the future', () => env('QN-KK-002'), () => envPayload(now() + 3_600_000, { pm25: 10 }), 'timestamp_in_future', 'more than 10 min ahead'],
    ['an oversized payload', () => env('QN-KK-002'), () => envPayload(now(), { pm25: 10 }).replace('}}', `}, "pad": "${'x'.repeat(5000)}"}`), 'payload_too_large', 'the limit is 4096'],
    ['an unknown metric', () => env('QN-KK-002'), () => envPayload(now(), { radon: 3 } as never), 'unknown_metric', "'radon' is not a known metric"],
    ['an epoch in seconds', () => env('QN-KK-002'), () => envPayload(Math.floor(now() / 1000), { pm25: 10 }), 'timestamp_too_old', 'looks like epoch seconds'],
    ['a fractional camera count', () => cam('QN-CAM-001'), () => cameraPayload(now(), 60, { car: 2.5 }), 'out_of_range', 'counts.car: 2.5 is not a whole number'],
  ]

  it.each(cases)('dead-letters %s with its reason', async (_what, topic, payload, code, reason) => {
    const t = topic()
    const p = payload()
    const before = await db.db.query('SELECT coalesce(max(id), 0)::int AS id FROM dead_letters')
    await stack.pub.publishAsync(t, p, { qos: 1 })
    const row = await waitFor(
      () => db.db.query('SELECT topic, code, reason, payload, payload_bytes, accepted FROM dead_letters WHERE id > $1', [before.rows[0].id]),
      (r) => r.rowCount === 1,
      `a dead letter for ${t}`,
    )
    expect(row.rows[0]).toMatchObject({ topic: t, code, payload_bytes: Buffer.byteLength(p), accepted: 0 })
    expect(row.rows[0].reason).toContain(reason)
    expect(row.rows[0].payload).toBe(p.length > 2048 ? `${p.slice(0, 2048)}…` : p)
  })

  it('stores the good values of a partly bad message and dead-letters the rest', async () => {
    const ts = now()
    await stack.pub.publishAsync(env('QN-KK-003'), envPayload(ts, { pm25: 22.5, so2: -4, temp: 'warm' as unknown as number, no2: 31 }), { qos: 1 })
    const stored = await waitFor(
      () => db.db.query(`SELECT metric, value FROM station_readings WHERE station_id = 'QN-KK-003' AND ts = to_timestamp($1 / 1000.0) ORDER BY metric`, [ts]),
      (r) => r.rowCount === 2,
      'the two good values',
    )
    expect(stored.rows).toEqual([
      { metric: 'no2', value: 31 },
      { metric: 'pm25', value: 22.5 },
    ])
    const dead = await db.db.query(`SELECT code, reason, accepted FROM dead_letters WHERE topic = $1 AND accepted > 0`, [env('QN-KK-003')])
    expect(dead.rows).toHaveLength(1)
    expect(dead.rows[0]).toMatchObject({ code: 'out_of_range', accepted: 2 })
    expect(dead.rows[0].reason).toContain('values.so2: -4 is outside')
    expect(dead.rows[0].reason).toContain('values.temp: expected a number')
  })

  it('keeps ingesting good readings after bad ones', async () => {
    const ts = now()
    await stack.pub.publishAsync(env('QN-KK-004'), 'not json at all', { qos: 1 })
    await stack.pub.publishAsync(env('QN-KK-004'), envPayload(ts, { pm25: 5 }), { qos: 1 })
    await waitFor(
      () => db.db.query(`SELECT 1 FROM station_readings WHERE station_id = 'QN-KK-004' AND ts = to_timestamp($1 / 1000.0)`, [ts]),
      (r) => r.rowCount === 1,
      'the good reading',
    )
  })

  it('lists recent dead letters through the API, newest first, filterable by code', async () => {
    const res = await stack.api(`/api/dead-letters?limit=500`)
    expect(res.status).toBe(200)
    const { items } = (await res.json()) as { items: { code: string; receivedAt: string; topic: string; reason: string }[] }
    expect(items.length).toBeGreaterThanOrEqual(cases.length)
    expect(new Set(items.map((i) => i.code))).toEqual(new Set([...cases.map((c) => c[3]), 'invalid_json']))
    const times = items.map((i) => Date.parse(i.receivedAt))
    expect([...times].sort((a, b) => b - a)).toEqual(times)
    const filtered = (await (await stack.api(`/api/dead-letters?code=unknown_station`)).json()) as { items: { code: string }[] }
    expect(filtered.items.length).toBeGreaterThan(0)
    expect(filtered.items.every((i) => i.code === 'unknown_station')).toBe(true)
  })

  it('pages back through dead letters by id without skipping or repeating one', async () => {
    const page = async (q: string) => ((await (await stack.api(`/api/dead-letters?${q}`)).json()) as { items: { id: string }[] }).items
    const all = await page('limit=1000')
    const first = await page('limit=5')
    const second = await page(`limit=5&before=${first.at(-1)!.id}`)
    expect([...first, ...second].map((d) => d.id)).toEqual(all.slice(0, 10).map((d) => d.id))
  })

  it('dead-letters a message the database refuses and still stores the rest of its batch', async () => {
    // a rule only the database knows, so the message passes ingest's own checks
    await db.db.query('ALTER TABLE station_readings ADD CONSTRAINT test_no_666 CHECK (value <> 666)')
    try {
      const ts = now()
      const good = (i: number) => envPayload(ts + i, { pm25: 10 + i })
      // published back to back, so they share a batch with the bad one
      await Promise.all([
        ...[0, 1, 2].map((i) => stack.pub.publishAsync(env('QN-KK-007'), good(i), { qos: 1 })),
        stack.pub.publishAsync(env('QN-KK-008'), envPayload(ts, { pm25: 666 }), { qos: 1 }),
        ...[3, 4, 5].map((i) => stack.pub.publishAsync(env('QN-KK-007'), good(i), { qos: 1 })),
      ])
      const rejected = await waitFor(
        () => db.db.query(`SELECT topic, reason, payload FROM dead_letters WHERE code = 'db_rejected'`),
        (r) => r.rowCount === 1,
        'the refused message dead-lettered',
      )
      expect(rejected.rows[0]).toMatchObject({ topic: env('QN-KK-008'), payload: envPayload(ts, { pm25: 666 }) })
      expect(rejected.rows[0].reason).toContain('test_no_666')
      const stored = await db.db.query(`SELECT count(*)::int AS n FROM station_readings WHERE station_id = 'QN-KK-007' AND ts >= to_timestamp($1 / 1000.0)`, [ts])
      expect(stored.rows[0].n).toBe(6)
    } finally {
      await db.db.query('ALTER TABLE station_readings DROP CONSTRAINT test_no_666')
    }
  })

  it.runIf(brokerKind === 'embedded')('dead-letters a topic carrying a NUL character instead of stalling on it', async () => {
    // MQTT forbids U+0000 in topic names; Aedes passes it through, and PostgreSQL text cannot store it
    const topic = `${stack.topicRoot}/env/QN-KK-002\u0000x`
    await stack.pub.publishAsync(topic, envPayload(now(), { pm25: 1 }), { qos: 1 })
    const row = await waitFor(
      () => db.db.query(`SELECT topic, code FROM dead_letters WHERE topic = $1`, [topic.replace('\u0000', '\uFFFD')]),
      (r) => r.rowCount === 1,
      'the dead letter with the NUL replaced',
    )
    expect(row.rows[0].code).toBe('unknown_topic')
    // and ingest goes on
    const ts = now()
    await stack.pub.publishAsync(env('QN-KK-009'), envPayload(ts, { pm25: 3 }), { qos: 1 })
    await waitFor(() => db.db.query(`SELECT 1 FROM station_readings WHERE station_id = 'QN-KK-009' AND ts = to_timestamp($1 / 1000.0)`, [ts]), (r) => r.rowCount === 1, 'the next reading')
  })

  it('dead-letters 100 messages on empty and odd topic levels without disturbing the connection or storing anything twice', async () => {
    const before = await db.db.query('SELECT coalesce(max(id), 0)::int AS id FROM dead_letters')
    let closes = 0
    stack.pub.on('close', () => closes++)
    const topics = [`${stack.topicRoot}/env/`, `${stack.topicRoot}/env/QN-KK-002/extra`, `${stack.topicRoot}/camera//x`, `${stack.topicRoot}/env`]
    await Promise.all(Array.from({ length: 100 }, (_, i) => stack.pub.publishAsync(topics[i % topics.length]!, envPayload(now(), { pm25: i }), { qos: 1 })))
    const rows = await waitFor(
      () => db.db.query('SELECT topic, code FROM dead_letters WHERE id > $1', [before.rows[0].id]),
      (r) => r.rowCount >= 100,
      '100 dead letters',
    )
    expect(rows.rowCount).toBe(100)
    expect(new Set(rows.rows.map((r: { code: string }) => r.code))).toEqual(new Set(['unknown_topic']))
    expect(closes).toBe(0)
    expect(stack.pub.connected).toBe(true)
  })

  it('stores a timestamp of 1e308 as a dead letter, not a crash, and goes on ingesting', async () => {
    const before = await db.db.query('SELECT coalesce(max(id), 0)::int AS id FROM dead_letters')
    for (const ts of ['1e308', '-1e308']) await stack.pub.publishAsync(env('QN-KK-010'), `{"ts": ${ts}, "values": {"pm25": 1}}`, { qos: 1 })
    await stack.pub.publishAsync(cam('QN-CAM-002'), `{"ts": 9e15, "periodSec": 60, "counts": {"car": 1}}`, { qos: 1 })
    await stack.pub.publishAsync(env('QN-KK-010'), JSON.stringify({ type: 'AirQualityObserved', dateObserved: 1e16, pm25: 3 }), { qos: 1 })
    const rows = await waitFor(() => db.db.query('SELECT code, reason FROM dead_letters WHERE id > $1', [before.rows[0].id]), (r) => r.rowCount === 4, 'four dead letters')
    for (const r of rows.rows) expect(r).toMatchObject({ code: 'invalid_timestamp', reason: expect.stringContaining('is not a time') })
    const ts = now()
    await stack.pub.publishAsync(env('QN-KK-010'), envPayload(ts, { pm25: 3 }), { qos: 1 })
    await waitFor(() => db.db.query(`SELECT 1 FROM station_readings WHERE station_id = 'QN-KK-010' AND ts = to_timestamp($1 / 1000.0)`, [ts]), (r) => r.rowCount === 1, 'the next reading')
  })

  it('rejects a bad dead-letter query with a 400 naming the parameter', async () => {
    const res = await stack.api(`/api/dead-letters?limit=0`)
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error: { code: 'bad_request', field: 'limit', message: 'limit: expected an integer 1–1000' } })
  })
})
