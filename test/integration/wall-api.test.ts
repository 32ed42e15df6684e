// The wall's REST endpoints over a running stack: hourly AQI per station, every camera's series in one
// request, and yesterday's KPIs from the hourly aggregates. History is written straight to the database
// at known hours before now and then materialized by a maintenance round, so the endpoints read the
// aggregates as a deployment would (not only the live tail the views compute above their watermark).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aqiBand, hourlyAqi, type AqiPollutant, type CameraCount, type EnvReading } from '../../contract/index.ts'
import { maintain } from '../../db/maintenance.ts'
import { writeBatch } from '../helpers/seed.ts'
import { closeStack, openStack, STACK_TARGETS, type Stack, type StackTarget } from '../helpers/stack.ts'

const MIN = 60_000
const HOUR = 3_600_000
/** The clock hour the suite starts in; every seeded hour is placed relative to it, well in the past. */
const NOW_HOUR = Math.floor(Date.now() / HOUR) * HOUR

async function get(stack: Stack, path: string) {
  const res = await stack.api(`${path}`)
  return { status: res.status, body: await res.json() }
}

const iso = (ms: number) => new Date(ms).toISOString()

// --- hourly AQI of QN-KK-001 over four hours from S, with the two hours before S for NowCast
const S = NOW_HOUR - 40 * HOUR
/** Hourly means per hour offset from S; each hour gets two readings 10 apart around its PM2.5 mean. */
const AQI_HOURS: { offset: number; pm25?: number; o3?: number }[] = [
  { offset: -2, pm25: 40 },
  { offset: -1, pm25: 60 },
  { offset: 0, pm25: 80, o3: 250 },
  { offset: 1, pm25: 100 },
  // offset 2: no readings, so no point (though NowCast could carry 100 and 80 over it)
  { offset: 3, pm25: 25 },
]

function aqiReadings(): EnvReading[] {
  return AQI_HOURS.flatMap(({ offset, pm25, o3 }) => {
    const h = S + offset * HOUR
    return [
      { stationId: 'QN-KK-001', ts: h + 10 * MIN, values: { ...(pm25 !== undefined && { pm25: pm25 - 5 }), ...(o3 !== undefined && { o3 }) } },
      { stationId: 'QN-KK-001', ts: h + 40 * MIN, values: { ...(pm25 !== undefined && { pm25: pm25 + 5 }) } },
    ]
  })
}

/** Hourly means newest first over the 12 hours ending at S + offset, as Decision 1459's NowCast reads them. */
function meansEndingAt(offset: number, p: 'pm25' | 'o3'): (number | null)[] {
  return Array.from({ length: 12 }, (_, i) => AQI_HOURS.find((x) => x.offset === offset - i)?.[p] ?? null)
}

// --- the baseline hour B (yesterday relative to `at`)
const B = NOW_HOUR - 26 * HOUR
const AT = B + 24 * HOUR + 15 * MIN
const ROAD_1 = 'QN-CAM-026'
const ROAD_2 = 'QN-CAM-027'

function baselineReadings(): EnvReading[] {
  return [
    // QN-KK-002: PM2.5 60, 80, 100 in B−2 … B
    { stationId: 'QN-KK-002', ts: B - 2 * HOUR + 5 * MIN, values: { pm25: 60 } },
    { stationId: 'QN-KK-002', ts: B - HOUR + 5 * MIN, values: { pm25: 80 } },
    { stationId: 'QN-KK-002', ts: B + 5 * MIN, values: { pm25: 100 } },
    // QN-KK-003: PM2.5 10 in B−1 and B
    { stationId: 'QN-KK-003', ts: B - HOUR + 5 * MIN, values: { pm25: 10 } },
    { stationId: 'QN-KK-003', ts: B + 59 * MIN, values: { pm25: 10 } },
    // a water station reporting in B: online, no AQI
    { stationId: 'QN-NC-001', ts: B + 30 * MIN, values: { ph: 7.1 } },
    // QN-KK-004: very high PM2.5 in B−2 and B−1 but silent in B: offline, its NowCast must not count
    { stationId: 'QN-KK-004', ts: B - 2 * HOUR + 5 * MIN, values: { pm25: 400 } },
    { stationId: 'QN-KK-004', ts: B - HOUR + 5 * MIN, values: { pm25: 400 } },
    // QN-KK-005 reports only in the hour after B
    { stationId: 'QN-KK-005', ts: B + HOUR, values: { pm25: 300 } },
  ]
}

const count = (cameraId: string, ts: number, counts: CameraCount['counts'], inside: number | null = null): CameraCount => ({ cameraId, ts, periodSec: 60, counts, inside })

function baselineCounts(): CameraCount[] {
  return [
    count('QN-CAM-001', B + 10 * MIN, { person: 3 }, 10),
    count('QN-CAM-001', B + 20 * MIN, { person: 4 }, 20),
    count('QN-CAM-002', B + 30 * MIN, { person: 1 }, 7),
    count(ROAD_1, B + 5 * MIN, { car: 30, motorbike: 90 }),
    count(ROAD_2, B + 59 * MIN, { truck: 6, bus: 4, person: 50 }),
    // outside B: a period ending at the turn of the next hour belongs to it, and one the minute before B
    count(ROAD_1, B + HOUR, { car: 1000 }),
    count('QN-CAM-001', B - MIN, { person: 9 }, 500),
  ]
}

// --- camera series over three hours from C
const C = NOW_HOUR - 6 * HOUR

function seriesCounts(): CameraCount[] {
  const out: CameraCount[] = []
  for (let m = 0; m < 180; m += 7) {
    out.push(count(ROAD_1, C + m * MIN + MIN, { car: m % 11, motorbike: 2 }))
    out.push(count('QN-CAM-003', C + m * MIN + 2 * MIN, { person: 1 }, 5 + (m % 13)))
  }
  return out
}

describe.each(STACK_TARGETS)('wall REST API on $db database + $broker broker', (target) => {
  let t: StackTarget
  let stack: Stack

  beforeAll(async () => {
    t = await openStack(target)
    stack = t.stack
    await writeBatch(t.db.db, [...aqiReadings(), ...baselineReadings()], [...baselineCounts(), ...seriesCounts()])
    // Materialize the seeded hours. Where TimescaleDB's scheduler runs policies, one may already have
    // materialized these hours empty, and a real-time aggregate hides back-dated rows below its watermark
    // until the next run; refreshing explicitly, as the embedded round does, makes them visible now.
    const mode = stack.prepared.mode === 'policies' ? 'manual-timescaledb' : stack.prepared.mode
    await maintain(t.db.db, mode, stack.config.storage, stack.config.ingest.maxAgeMs, Date.now(), false)
  })
  afterAll(() => closeStack(t ?? {}))

  describe('GET /api/stations/:id/aqi', () => {
    it('gives each clock hour with readings the hourly AQI of Decision 1459, NowCast including the hours before from', async () => {
      const r = await get(stack, `/api/stations/QN-KK-001/aqi?from=${S}&to=${S + 4 * HOUR}`)
      expect(r.status).toBe(200)
      const expected = [0, 1, 3].map((offset) => {
        const input: Partial<Record<AqiPollutant, (number | null)[]>> = { pm25: meansEndingAt(offset, 'pm25'), o3: meansEndingAt(offset, 'o3') }
        const aqi = hourlyAqi(input)!
        return { t: iso(S + offset * HOUR), value: aqi.aqi, band: aqiBand(aqi.aqi).key, dominant: aqi.dominant }
      })
      expect(r.body).toEqual({ id: 'QN-KK-001', from: iso(S), to: iso(S + 4 * HOUR), points: expected })
    })

    it('computes the first hour from the PM2.5 means 80, 60, 40 and O3 250 as worked by hand', async () => {
      // NowCast: w* = 40 / 80 = 0.5 → w = 0.5; (80 + 0.5·60 + 0.25·40) / 1.75 = 120 / 1.75 = 68.57
      // PM2.5 68.57 in 50–80 → 100 + 50/30 · 18.57 = 130.95; O3 250 in 200–300 (1 h) → 100 + 50/100 · 50 = 125
      const r = await get(stack, `/api/stations/QN-KK-001/aqi?from=${S}&to=${S + HOUR}`)
      expect(r.body.points).toEqual([{ t: iso(S), value: 131, band: 'poor', dominant: 'pm25' }])
    })

    it('defaults to the 24 hours ending now', async () => {
      const r = await get(stack, '/api/stations/QN-KK-001/aqi')
      expect(r.status).toBe(200)
      expect(Date.parse(r.body.to) - Date.parse(r.body.from)).toBe(24 * HOUR)
      expect(r.body.points).toEqual([])
    })

    it.each([
      ['from=yesterday', 'from', "from: 'yesterday' is not an ISO-8601 time"],
      ['to=2026-11-21T08:00:00', 'to', "to: '2026-11-21T08:00:00' is not an ISO-8601 time"],
      [`from=${S + HOUR}&to=${S}`, 'from', 'from: must be earlier than to'],
      [`from=${S - 32 * 24 * HOUR}&to=${S}`, 'from', 'from: hourly AQI covers at most 31 days'],
    ])('answers ?%s with 400 naming %s', async (query, field, message) => {
      const r = await get(stack, `/api/stations/QN-KK-001/aqi?${query}`)
      expect(r.status).toBe(400)
      expect(r.body.error).toMatchObject({ code: 'bad_request', field })
      expect(r.body.error.message).toContain(message)
    })

    it('answers an unknown station with 404', async () => {
      const r = await get(stack, '/api/stations/NOPE/aqi')
      expect(r.status).toBe(404)
      expect(r.body.error).toMatchObject({ code: 'not_found', field: 'id' })
    })
  })

  describe('GET /api/cameras/series', () => {
    const range = `from=${C}&to=${C + 3 * HOUR}`

    it('returns a series for every camera, in reference order, empty where a camera has no data', async () => {
      const cameras = (await get(stack, '/api/cameras')).body as { id: string }[]
      const r = await get(stack, `/api/cameras/series?metric=car&bucket=1h&${range}`)
      expect(r.status).toBe(200)
      expect(r.body).toMatchObject({ metric: 'car', bucket: '1h', from: iso(C), to: iso(C + 3 * HOUR) })
      expect(r.body.cameras.map((c: { id: string }) => c.id)).toEqual(cameras.map((c) => c.id))
      expect(r.body.cameras.find((c: { id: string }) => c.id === 'QN-CAM-010').points).toEqual([])
    })

    it.each([
      ['car', '1h', ROAD_1],
      ['vehicles', '5m', ROAD_1],
      ['inside', '5m', 'QN-CAM-003'],
    ])('gives %s in %s buckets of %s the same points as its own series', async (metric, bucket, id) => {
      const bulk = await get(stack, `/api/cameras/series?metric=${metric}&bucket=${bucket}&${range}`)
      const single = await get(stack, `/api/cameras/${id}/series?metric=${metric}&bucket=${bucket}&${range}`)
      expect(single.body.points.length).toBeGreaterThan(0)
      expect(bulk.body.cameras.find((c: { id: string }) => c.id === id).points).toEqual(single.body.points)
    })

    it('keeps only the cameras of one kind', async () => {
      const roads = (await get(stack, '/api/cameras?kind=road')).body as { id: string }[]
      const r = await get(stack, `/api/cameras/series?metric=car&bucket=1h&kind=road&${range}`)
      expect(r.body.cameras.map((c: { id: string }) => c.id)).toEqual(roads.map((c) => c.id))
      expect(r.body.cameras.some((c: { id: string }) => c.id === 'QN-CAM-003')).toBe(false)
    })

    it.each([
      ['', 'metric', 'metric: required'],
      ['metric=pm25', 'metric', "metric: 'pm25' is not one of person, car"],
      [`metric=car&bucket=raw&${range}`, 'bucket', 'bucket: raw is for one camera'],
      ['metric=car&bucket=2m', 'bucket', 'bucket: expected one of'],
      ['metric=car&kind=drone', 'kind', 'kind: expected one of service_center, road'],
    ])('answers ?%s with 400 naming %s', async (query, field, message) => {
      const r = await get(stack, `/api/cameras/series?${query}`)
      expect(r.status).toBe(400)
      expect(r.body.error).toMatchObject({ code: 'bad_request', field })
      expect(r.body.error.message).toContain(message)
    })
  })

  describe('GET /api/kpis/baseline', () => {
    it('computes the KPIs of the same hour yesterday from the hourly aggregates', async () => {
      const worst = (await get(stack, '/api/stations/QN-KK-002')).body
      const r = await get(stack, `/api/kpis/baseline?at=${AT}`)
      expect(r.status).toBe(200)
      expect(r.body).toEqual({
        hour: iso(B),
        kpis: {
          // QN-KK-002, QN-KK-003 and QN-NC-001 have readings in B; QN-KK-004 went silent, QN-KK-005 reported after it
          stationsReporting: 3,
          stationsTotal: 140,
          // QN-KK-002: NowCast over 100, 80, 60: w* = 0.6; (100 + 0.6·80 + 0.36·60) / 1.96 = 86.53
          // PM2.5 86.53 in 80–150 → 150 + 50/70 · 6.53 = 154.66 → 155 ("Xấu"); QN-KK-003: PM2.5 10 → 20
          worstAqi: { value: 155, band: 'bad', stationId: 'QN-KK-002', stationName: worst.name, unitName: worst.unitName },
          stationsPoorOrWorse: 1,
          // QN-CAM-001 mean of 10 and 20, plus QN-CAM-002's 7
          peopleWaiting: 22,
          // 30 + 90 + 6 + 4 vehicles over the hour
          vehiclesPerMinute: 130 / 60,
        },
      })
    })

    it('describes the hour containing at, one day earlier', async () => {
      const r = await get(stack, `/api/kpis/baseline?at=${B + 24 * HOUR + 59 * MIN}`)
      expect(r.body.hour).toBe(iso(B))
      expect(r.body.kpis.stationsReporting).toBe(3)
    })

    it('counts nothing reporting in an hour without data', async () => {
      const r = await get(stack, `/api/kpis/baseline?at=${B - 24 * HOUR}`)
      expect(r.body.kpis).toEqual({ stationsReporting: 0, stationsTotal: 140, worstAqi: null, stationsPoorOrWorse: 0, peopleWaiting: null, vehiclesPerMinute: null })
    })

    it('defaults to the hour one day before now', async () => {
      const r = await get(stack, '/api/kpis/baseline')
      expect(r.status).toBe(200)
      const hour = Date.parse(r.body.hour)
      expect(hour % HOUR).toBe(0)
      expect(Date.now() - hour).toBeGreaterThanOrEqual(24 * HOUR)
      expect(Date.now() - hour).toBeLessThan(25 * HOUR + MIN)
    })

    it('answers a bad at with 400 naming at', async () => {
      const r = await get(stack, '/api/kpis/baseline?at=soon')
      expect(r.status).toBe(400)
      expect(r.body.error).toMatchObject({ code: 'bad_request', field: 'at' })
    })
  })
})
