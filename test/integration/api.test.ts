// The REST surface over a running stack: bad requests get a 400 naming the parameter, unknown things a
// 404, and /healthz turns 503 naming what is down when the broker or the database goes away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envPayload } from '../../contract/index.ts'
import { openTestBroker } from '../helpers/brokers.ts'
import { embeddedTestDatabase } from '../helpers/databases.ts'
import { closeStack, openStack, STACK_TARGETS, startStack, type Stack, type StackTarget } from '../helpers/stack.ts'
import { waitFor } from '../helpers/wait.ts'

async function get(stack: Stack, path: string) {
  const res = await stack.api(`${path}`)
  const text = await res.text()
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text }
}

describe.each(STACK_TARGETS)('REST API on $db database + $broker broker', (target) => {
  let t: StackTarget
  let stack: Stack

  beforeAll(async () => {
    t = await openStack(target, {}, { wall: true })
    stack = t.stack
  })
  afterAll(() => closeStack(t ?? {}))

  it.each([
    ['/assets/nothing-here.js', 404],
    ['/nothing-here', 404],
    ['/..%2fpackage.json', 404],
    ['/assets/..%2f..%2fpackage.json', 403],
    ['/api/stations/%E0%A4%A', 400],
    ['/assets/%E0%A4%A.js', 400],
    ['/%E0%A4%A', 400],
  ])('answers GET %s with %i and no internals', async (path, status) => {
    const r = await get(stack, path)
    expect(r.status).toBe(status)
    const text = JSON.stringify(r.body)
    expect(text).not.toMatch(/\/work|\/home|\/tmp|client\/dist|node_modules|\.ts:\d|at [A-Za-z.]+ \(/)
    expect(r.body.error).toMatchObject({ code: { 400: 'bad_request', 403: 'forbidden', 404: 'not_found' }[status] })
  })

  it('reads dates as ingest does: 2026-02-30 is not a date, and a time beyond what a Date holds is refused', async () => {
    const feb30 = await get(stack, '/api/stations/QN-KK-001/series?metric=pm25&from=2026-02-30T00:00:00Z&to=2026-03-02T00:00:00Z')
    expect(feb30.status).toBe(400)
    expect(feb30.body.error).toMatchObject({ field: 'from', message: "from: '2026-02-30T00:00:00Z' is not a real date" })
    const far = await get(stack, '/api/kpis/baseline?at=9999999999999999')
    expect(far.status).toBe(400)
    expect(far.body.error).toMatchObject({ field: 'at' })
  })

  it.each([
    ['/api/stations/QN-KK-001/series', 'metric', 'metric: required'],
    ['/api/stations/QN-KK-001/series?metric=radon', 'metric', "metric: 'radon' is not one of"],
    ['/api/stations/QN-KK-001/series?metric=pm25&from=yesterday', 'from', "from: 'yesterday' is not an ISO-8601 time"],
    ['/api/stations/QN-KK-001/series?metric=pm25&from=2026-11-21T10:00:00Z&to=2026-11-21T09:00:00Z', 'from', 'from: must be earlier than to'],
    ['/api/stations/QN-KK-001/series?metric=pm25&from=2020-01-01T00:00:00Z&bucket=5m', 'bucket', 'bucket: 5m over this range gives'],
    ['/api/stations/QN-KK-001/series?metric=pm25&bucket=2m', 'bucket', 'bucket: expected one of raw, 5m, 1h, 1d or auto'],
    ['/api/cameras/QN-CAM-001/series?metric=pm25', 'metric', "metric: 'pm25' is not one of person, car"],
    ['/api/dead-letters?code=nonsense', 'code', 'code: expected one of'],
    ['/api/dead-letters?before=soon', 'before', 'before: expected the id of a dead letter'],
  ])('answers GET %s with 400 naming %s', async (path, field, message) => {
    const r = await get(stack, path)
    expect(r.status).toBe(400)
    expect(r.body.error).toMatchObject({ code: 'bad_request', field })
    expect(r.body.error.message).toContain(message)
  })

  it.each(['/api/stations/NOPE', '/api/stations/NOPE/series?metric=pm25', '/api/cameras/NOPE', '/api/cameras/NOPE/series?metric=car'])('answers GET %s with 404', async (path) => {
    const r = await get(stack, path)
    expect(r.status).toBe(404)
    expect(r.body.error).toMatchObject({ code: 'not_found', field: 'id' })
  })

  it('answers an unknown API route with a JSON 404', async () => {
    const r = await get(stack, '/api/nothing-here')
    expect(r).toMatchObject({ status: 404, body: { error: { code: 'not_found', message: 'no API route GET /api/nothing-here' } } })
  })

  it('lists stations with their unit, coordinates and status, filterable by kind', async () => {
    const all = await get(stack, '/api/stations')
    expect(all.body).toHaveLength(140)
    const water = await get(stack, '/api/stations?kind=water')
    expect(water.body.length).toBeGreaterThan(10)
    expect(water.body.every((s: { kind: string }) => s.kind === 'water')).toBe(true)
    expect(water.body[0]).toMatchObject({ unitId: expect.any(String), unitName: expect.any(String), lon: expect.any(Number), lat: expect.any(Number), expectedIntervalSec: 300 })
  })

  it('serves a station series from the aggregates with the metric unit', async () => {
    const ts = Date.now() - 20 * 60_000
    await stack.pub.publishAsync(`${stack.topicRoot}/env/QN-NC-001`, envPayload(ts, { ph: 7.25 }), { qos: 1 })
    const r = await waitFor(() => get(stack, '/api/stations/QN-NC-001/series?metric=ph&bucket=5m'), (x) => x.body.points?.length === 1, 'one point')
    expect(r.body).toMatchObject({ id: 'QN-NC-001', metric: 'ph', unit: 'pH', bucket: '5m', points: [{ value: 7.25, min: 7.25, max: 7.25, count: 1 }] })
    const raw = await get(stack, '/api/stations/QN-NC-001/series?metric=ph&bucket=raw')
    expect(raw.body.points).toEqual([{ t: new Date(ts).toISOString(), value: 7.25, min: 7.25, max: 7.25, count: 1 }])
  })

  it('serves the unit boundaries as a GeoJSON FeatureCollection marked approximate', async () => {
    const r = await get(stack, '/api/units')
    expect(r.body.type).toBe('FeatureCollection')
    // 29 with a boundary (province, localities, wards); the departments and the centre have none
    expect(r.body.features).toHaveLength(57)
    expect(r.body.features.filter((f: { geometry: unknown }) => f.geometry !== null)).toHaveLength(29)
    expect(r.body.features[0]).toMatchObject({ type: 'Feature', properties: { type: 'province', approximate: true }, geometry: { type: expect.stringMatching(/Polygon/) } })
    expect(r.body.features.find((f: { id: string }) => f.id === 'QN-SXD')).toMatchObject({ properties: { type: 'department', name: 'Sở Xây dựng' }, geometry: null })
  })

  it('exposes Prometheus metrics for ingest, database, broker and sockets, with values', async () => {
    const r = await get(stack, '/metrics')
    expect(r.status).toBe(200)
    const value = (re: RegExp) => Number(re.exec(r.body)?.[1] ?? NaN)
    expect(value(/^ioc_ingest_messages_total\{kind="env",outcome="stored"\} (\d+)/m)).toBeGreaterThan(0)
    expect(value(/^ioc_ingest_rows_written_total\{table="station_readings"\} (\d+)/m)).toBeGreaterThan(0)
    expect(value(/^ioc_ingest_batch_seconds_count (\d+)/m)).toBeGreaterThan(0)
    expect(value(/^ioc_broker_up\{client="server"\} (\d+)/m)).toBe(1)
    expect(value(/^ioc_broker_up\{client="ingest"\} (\d+)/m)).toBe(1)
    expect(r.body).toMatch(/^ioc_socket_clients \d+/m)
    expect(r.body).toMatch(/^# TYPE ioc_dead_letters_total counter/m)
  })

  it('filters stations by a unit and everything below it', async () => {
    const all = (await get(stack, '/api/stations')).body as { unitId: string }[]
    const city = (await get(stack, '/api/stations?unit=QN-HL')).body as { unitId: string }[]
    expect(city.length).toBeGreaterThan(0)
    expect(city.every((s) => s.unitId === 'QN-HL' || s.unitId.startsWith('QN-HL-'))).toBe(true)
    expect((await get(stack, '/api/stations?unit=QN')).body).toHaveLength(all.length)
  })

  it.each([
    ['/api/stations?kind=lava', 'kind'],
    ['/api/stations?status=sleepy', 'status'],
    ['/api/stations?unit=ATLANTIS', 'unit'],
    ['/api/cameras?kind=drone', 'kind'],
  ])('answers GET %s with 400 naming %s', async (path, field) => {
    const r = await get(stack, path)
    expect(r.status).toBe(400)
    expect(r.body.error).toMatchObject({ code: 'bad_request', field })
  })
})

describe('health when a dependency goes down (embedded services)', () => {
  it('turns /healthz 503 naming the broker, then the database', async () => {
    const db = await embeddedTestDatabase()
    const broker = await openTestBroker('embedded')
    const stack = await startStack(db, broker)
    try {
      expect((await get(stack, '/healthz')).status).toBe(200)
      await broker.close()
      const noBroker = await waitFor(() => get(stack, '/healthz'), (r) => r.status === 503, 'a 503')
      expect(noBroker.body).toMatchObject({ ok: false, database: 'up', broker: 'down' })
      expect(noBroker.body.problems[0]).toBe('broker: not connected')
      // public: no address of anything behind it
      expect(JSON.stringify(noBroker.body)).not.toMatch(/127\.0\.0\.1|:\d{4,5}\b|mqtt:\/\//)
      await db.db.stop()
      const neither = await waitFor(() => get(stack, '/healthz'), (r) => r.body.database === 'down', 'the database reported down', 30_000, 200)
      expect(neither.status).toBe(503)
      expect(neither.body.problems.some((p: string) => p.startsWith('database: '))).toBe(true)
      expect(JSON.stringify(neither.body)).not.toMatch(/127\.0\.0\.1|:\d{4,5}\b|postgres:\/\/|\/tmp\//)
    } finally {
      await stack.server.stop().catch(() => {})
      await stack.ingest.stop(1000).catch(() => {})
      await stack.pub.endAsync(true).catch(() => {})
      await db.close().catch(() => {})
    }
  })
})
