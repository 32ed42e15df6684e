// CameraService (server/cameras/service.ts): the counter cameras' REST decisions — which cameras a list shows,
// the 404 for an unknown camera, what one camera's series and every camera's series ask the database for and
// how they answer, and yesterday's KPIs for the tiles. The database is a fake CameraRepository that answers
// from memory (series keeps only the cameras asked, as the SQL does) and records every call; the live state is
// a real CameraStates, seeded the way camerasDomain (server/cameras/index.ts) seeds it.
import { describe, expect, it } from 'vitest'
import {
  ARRIVALS_WINDOW_MS,
  DEFAULT_STATUS_THRESHOLDS,
  HOUR_MS as HOUR,
  cameraSeriesHint,
  isCameraSeriesMetric,
  parseSeriesQuery,
  type Bucket,
  type Camera,
  type CameraCount,
  type CameraSeriesMetric,
  type SeriesPoint,
  type SeriesQuery,
  type Unit,
} from '../../contract/index.ts'
import type { CameraHour, CameraRepository } from '../../server/cameras/repository.ts'
import { CameraService } from '../../server/cameras/service.ts'
import { CameraStates } from '../../server/cameras/state.ts'
import { HttpProblem } from '../../server/shared/http.ts'

/** The start of a clock hour; "now" is half an hour into it. */
const H = Date.parse('2026-11-21T03:00:00Z')
const NOW = H + 30 * 60_000
const MIN = 60_000

const unit = (id: string, parentId: string | null, name: string): Unit => ({ id, parentId, name, level: parentId ? 'phường' : 'tỉnh', type: parentId ? 'locality' : 'province', geometry: null, approximate: false })
/** Quảng Ninh ⊃ Hạ Long ⊃ Bãi Cháy, and Cẩm Phả beside Hạ Long. */
const UNITS: Unit[] = [unit('qn', null, 'Quảng Ninh'), unit('ha-long', 'qn', 'TP Hạ Long'), unit('bai-chay', 'ha-long', 'P. Bãi Cháy'), unit('cam-pha', 'qn', 'TP Cẩm Phả')]

const camera = (id: string, over: Partial<Camera> = {}): Camera => ({
  id,
  name: `Camera ${id}`,
  kind: 'service_center',
  site: 'tthc-ha-long',
  unitId: 'ha-long',
  lon: 107.08,
  lat: 20.95,
  capacity: 80,
  expectedIntervalSec: 60,
  ...over,
})

/**
 * Four cameras, one of each situation a filter has to tell apart (every camera reports every 60 s, so it is
 * stale after 2 missed minutes and offline after 10): sc-1 at the Hạ Long service center, online; sc-2 at the
 * same site but placed in Bãi Cháy (below Hạ Long), stale; road-1 on QL18 in Cẩm Phả, never heard, offline;
 * road-2 on QL18 in no unit, online.
 */
const CAMERAS: Camera[] = [
  camera('sc-1'),
  camera('sc-2', { unitId: 'bai-chay' }),
  camera('road-1', { kind: 'road', site: 'ql18', unitId: 'cam-pha', capacity: null }),
  camera('road-2', { kind: 'road', site: 'ql18', unitId: null, capacity: null }),
]
const PERIODS: CameraCount[] = [
  { cameraId: 'sc-1', ts: NOW - MIN, periodSec: 60, counts: { person: 3 }, inside: 12 },
  { cameraId: 'road-2', ts: NOW - MIN / 2, periodSec: 60, counts: { car: 30, motorbike: 90 }, inside: null },
]
const LAST_SEEN = new Map([
  ['sc-1', NOW - MIN],
  ['sc-2', NOW - 5 * MIN],
  ['road-2', NOW - MIN / 2],
])

const point = (t: number, value: number): SeriesPoint => ({ t: new Date(t).toISOString(), value, min: null, max: null, count: 12 })

type Call = { method: keyof CameraRepository; args: unknown[] }

interface FakeData {
  cameras: Camera[]
  periods: CameraCount[]
  lastSeen: Map<string, number>
  /** Hour start → the camera_1h rows of that hour. */
  hours: Map<number, CameraHour[]>
  /** Camera id → its series, whatever range is asked. */
  series: Map<string, SeriesPoint[]>
}

/** CameraRepository from memory. series answers only the cameras asked for, as `camera_id = ANY($1)` does. */
class FakeCameraRepository implements CameraRepository {
  readonly calls: Call[] = []
  constructor(private readonly data: FakeData) {}

  private record(method: keyof CameraRepository, ...args: unknown[]): void {
    this.calls.push({ method, args: structuredClone(args) })
  }
  async cameras() {
    this.record('cameras')
    return structuredClone(this.data.cameras)
  }
  async stamp() {
    this.record('stamp')
    return 'v1'
  }
  async periodsSince(since: number) {
    this.record('periodsSince', since)
    return structuredClone(this.data.periods.filter((p) => p.ts > since))
  }
  async lastSeen() {
    this.record('lastSeen')
    return new Map(this.data.lastSeen)
  }
  async hour(hour: number) {
    this.record('hour', hour)
    return structuredClone(this.data.hours.get(hour) ?? [])
  }
  async series(ids: readonly string[], metric: CameraSeriesMetric, from: number, to: number, bucket: Bucket) {
    this.record('series', ids, metric, from, to, bucket)
    const out = new Map<string, SeriesPoint[]>()
    for (const id of ids) if (this.data.series.has(id)) out.set(id, structuredClone(this.data.series.get(id)!))
    return out
  }
}

/** A service over a fake repository and a CameraStates seeded as camerasDomain seeds it at NOW. */
async function serviceOver(over: Partial<FakeData> = {}) {
  const repo = new FakeCameraRepository({ cameras: CAMERAS, periods: PERIODS, lastSeen: LAST_SEEN, hours: new Map(), series: new Map(), ...over })
  const cameras = new CameraStates(DEFAULT_STATUS_THRESHOLDS)
  // reloadReference, then load: the reference with unit names, then the last hour of periods and each camera's last report
  cameras.setReference(await repo.cameras(), new Map(UNITS.map((u) => [u.id, u.name])), NOW)
  cameras.load(await repo.periodsSince(NOW - ARRIVALS_WINDOW_MS), await repo.lastSeen(), NOW)
  // only what the service itself reads is asserted below
  repo.calls.length = 0
  const service = new CameraService(repo, cameras, () => UNITS)
  return { repo, cameras, service }
}

/** The HttpProblem `f` throws (fails the test if it throws nothing or something else). */
function problemOf(f: () => unknown): HttpProblem {
  try {
    f()
  } catch (e) {
    if (e instanceof HttpProblem) return e
    throw e
  }
  throw new Error('expected an HttpProblem; nothing was thrown')
}

function query(q: Record<string, unknown>): SeriesQuery<CameraSeriesMetric> {
  const parsed = parseSeriesQuery(q, NOW, isCameraSeriesMetric, cameraSeriesHint)
  if ('code' in parsed) throw new Error(`test query did not parse: ${parsed.message}`)
  return parsed
}

const ids = (list: { id: string }[]) => list.map((c) => c.id)

describe('CameraService', () => {
  describe('list', () => {
    it('lists every camera, in reference order, when nothing is filtered', async () => {
      const { service } = await serviceOver()
      expect(ids(service.list({}))).toEqual(['sc-1', 'sc-2', 'road-1', 'road-2'])
    })

    it('lists only the cameras of a kind', async () => {
      const { service } = await serviceOver()
      expect(ids(service.list({ kind: 'road' }))).toEqual(['road-1', 'road-2'])
      expect(ids(service.list({ kind: 'service_center' }))).toEqual(['sc-1', 'sc-2'])
    })

    it('lists only the cameras in a status, as the live state has it now', async () => {
      const { service } = await serviceOver()
      expect(ids(service.list({ status: 'online' }))).toEqual(['sc-1', 'road-2'])
      expect(ids(service.list({ status: 'stale' }))).toEqual(['sc-2'])
      expect(ids(service.list({ status: 'offline' }))).toEqual(['road-1'])
    })

    it('lists only the cameras of a unit and the units below it', async () => {
      const { service } = await serviceOver()
      expect(ids(service.list({ unit: 'ha-long' }))).toEqual(['sc-1', 'sc-2'])
      expect(ids(service.list({ unit: 'bai-chay' }))).toEqual(['sc-2'])
    })

    it('leaves out cameras placed in no unit when filtering by unit, even by the root', async () => {
      const { service } = await serviceOver()
      expect(ids(service.list({ unit: 'qn' }))).toEqual(['sc-1', 'sc-2', 'road-1'])
    })

    it('lists only the cameras of a site', async () => {
      const { service } = await serviceOver()
      expect(ids(service.list({ site: 'ql18' }))).toEqual(['road-1', 'road-2'])
      expect(service.list({ site: 'no-such-site' })).toEqual([])
    })

    it('applies every filter given at once', async () => {
      const { service } = await serviceOver()
      expect(ids(service.list({ kind: 'road', site: 'ql18', unit: 'qn', status: 'offline' }))).toEqual(['road-1'])
      expect(service.list({ kind: 'road', unit: 'ha-long' })).toEqual([])
    })

    it('answers summaries with the unit name and live state', async () => {
      const { service } = await serviceOver()
      expect(service.list({ unit: 'ha-long', status: 'online' })).toEqual([
        expect.objectContaining({ id: 'sc-1', site: 'tthc-ha-long', unitName: 'TP Hạ Long', capacity: 80, status: 'online', inside: 12, arrivalsLastHour: 3 }),
      ])
    })

    it('refuses a unit that is not in the tree with a 400 naming `unit`', async () => {
      const { service } = await serviceOver()
      const p = problemOf(() => service.list({ unit: 'ha-noi' }))
      expect(p.status).toBe(400)
      expect(p.body).toMatchObject({ code: 'bad_request', field: 'unit' })
      expect(p.body.message).toContain("'ha-noi'")
    })

    it('does not ask the database', async () => {
      const { service, repo } = await serviceOver()
      service.list({ unit: 'qn', kind: 'road', site: 'ql18' })
      expect(repo.calls).toEqual([])
    })
  })

  describe('get', () => {
    it('answers the summary of a known camera', async () => {
      const { service } = await serviceOver()
      expect(service.get('road-2')).toMatchObject({ id: 'road-2', kind: 'road', unitId: null, unitName: null, status: 'online', vehiclesPerMinute: 120 })
    })

    it('throws the 404 naming `id` for a camera that does not exist', async () => {
      const { service } = await serviceOver()
      const p = problemOf(() => service.get('cam-99'))
      expect(p.status).toBe(404)
      expect(p.body).toEqual({ code: 'not_found', field: 'id', message: "camera 'cam-99' does not exist" })
    })
  })

  describe('series', () => {
    it('asks the repository for that one camera with the parsed metric, range and bucket', async () => {
      const { service, repo } = await serviceOver()
      await service.series('sc-1', query({ metric: 'inside', from: '2026-11-20T10:00:00+07:00', to: '2026-11-21T10:00:00+07:00', bucket: '1h' }))
      expect(repo.calls).toEqual([{ method: 'series', args: [['sc-1'], 'inside', Date.parse('2026-11-20T03:00:00Z'), Date.parse('2026-11-21T03:00:00Z'), '1h'] }])
    })

    it("answers the camera's points with the unit and the range as ISO instants", async () => {
      const points = [point(H - 2 * HOUR, 14), point(H - HOUR, 9)]
      const { service } = await serviceOver({ series: new Map([['sc-1', points], ['sc-2', [point(H - HOUR, 99)]]]) })
      const r = await service.series('sc-1', query({ metric: 'inside', from: String(H - 2 * HOUR), to: String(H), bucket: '1h' }))
      expect(r).toEqual({ id: 'sc-1', metric: 'inside', unit: 'people', bucket: '1h', from: '2026-11-21T01:00:00.000Z', to: '2026-11-21T03:00:00.000Z', points })
    })

    it('counts classes and vehicles, and measures occupancy in people', async () => {
      const { service } = await serviceOver()
      const unitOf = async (metric: string) => (await service.series('road-2', query({ metric }))).unit
      expect(await unitOf('vehicles')).toBe('count')
      expect(await unitOf('car')).toBe('count')
      expect(await unitOf('inside')).toBe('people')
    })

    it('answers an empty series when the repository has no points for the camera', async () => {
      const { service } = await serviceOver()
      expect((await service.series('road-1', query({ metric: 'vehicles' }))).points).toEqual([])
    })

    it('throws the 404 for an unknown camera without asking the database', async () => {
      const { service, repo } = await serviceOver()
      await expect(service.series('cam-99', query({ metric: 'inside' }))).rejects.toMatchObject({ status: 404, body: { code: 'not_found', field: 'id' } })
      expect(repo.calls).toEqual([])
    })
  })

  describe('seriesOfAll', () => {
    it('asks the repository once for every camera of the kind, in reference order', async () => {
      const { service, repo } = await serviceOver()
      await service.seriesOfAll('road', query({ metric: 'vehicles', from: String(H - 6 * HOUR), to: String(H), bucket: '5m' }))
      expect(repo.calls).toEqual([{ method: 'series', args: [['road-1', 'road-2'], 'vehicles', H - 6 * HOUR, H, '5m'] }])
    })

    it('asks for every camera when no kind is given', async () => {
      const { service, repo } = await serviceOver()
      await service.seriesOfAll(undefined, query({ metric: 'inside' }))
      expect(repo.calls[0]!.args[0]).toEqual(['sc-1', 'sc-2', 'road-1', 'road-2'])
    })

    it('answers one series per camera, empty for a camera without points, with the range as ISO instants', async () => {
      const road2 = [point(H - HOUR, 600), point(H - HOUR / 2, 540)]
      const { service } = await serviceOver({ series: new Map([['road-2', road2], ['sc-1', [point(H - HOUR, 5)]]]) })
      const r = await service.seriesOfAll('road', query({ metric: 'vehicles', from: String(H - 2 * HOUR), to: String(H), bucket: '5m' }))
      expect(r).toEqual({
        metric: 'vehicles',
        bucket: '5m',
        from: '2026-11-21T01:00:00.000Z',
        to: '2026-11-21T03:00:00.000Z',
        cameras: [
          { id: 'road-1', points: [] },
          { id: 'road-2', points: road2 },
        ],
      })
    })

    it('refuses raw buckets with a 400 naming `bucket`, without asking the database', async () => {
      const { service, repo } = await serviceOver()
      // raw rows of many cameras would share one row cap
      await expect(service.seriesOfAll('road', query({ metric: 'car', from: String(H - HOUR), to: String(H), bucket: 'raw' }))).rejects.toMatchObject({
        status: 400,
        body: { code: 'bad_request', field: 'bucket' },
      })
      await expect(service.seriesOfAll(undefined, query({ metric: 'car', from: String(H - HOUR), to: String(H), bucket: 'raw' }))).rejects.toBeInstanceOf(HttpProblem)
      expect(repo.calls).toEqual([])
    })
  })

  describe('baseline', () => {
    const B = H - 24 * HOUR

    it('asks the repository for the hourly aggregates of that hour', async () => {
      const { service, repo } = await serviceOver()
      await service.baseline(B)
      expect(repo.calls).toEqual([{ method: 'hour', args: [B] }])
    })

    it("sums the service centers' mean occupancy and the roads' vehicles per minute of that hour", async () => {
      const hours = new Map([
        [
          B,
          [
            { cameraId: 'sc-1', insideAvg: 10, vehicles: 0 },
            { cameraId: 'sc-2', insideAvg: 5.5, vehicles: 0 },
            // road-1 is offline now: the baseline is what the hour was, not what the cameras are now
            { cameraId: 'road-1', insideAvg: null, vehicles: 120 },
            // a camera that left the reference since does not count
            { cameraId: 'gone', insideAvg: 500, vehicles: 6000 },
          ],
        ],
        [B + HOUR, [{ cameraId: 'road-2', insideAvg: null, vehicles: 9000 }]],
      ])
      const { service } = await serviceOver({ hours })
      expect(await service.baseline(B)).toEqual({ peopleWaiting: 15.5, vehiclesPerMinute: 2 })
    })

    it('has no figures for an hour in which no camera reported', async () => {
      const { service } = await serviceOver()
      expect(await service.baseline(B)).toEqual({ peopleWaiting: null, vehiclesPerMinute: null })
    })
  })
})
