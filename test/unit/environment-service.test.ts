// StationService (server/environment/service.ts): the environment's REST decisions — which stations a list
// shows, the 404 for an unknown station, what a series and an hourly-AQI history ask the database for and
// how they answer, and yesterday's KPIs for the tiles. The database is a fake EnvironmentRepository that
// answers from memory (filtering its hourly sums by the window asked, as the SQL does, so a wrong window
// shows up in the answer) and records every call; the live state is a real StationStates, seeded the way
// environmentDomain (server/environment/index.ts) seeds it.
import { describe, expect, it } from 'vitest'
import {
  AQI_SERIES_DEFAULT_MS,
  DEFAULT_STATUS_THRESHOLDS,
  HOUR_MS as HOUR,
  hourlyAqi,
  isStationMetric,
  parseAqiRange,
  parseSeriesQuery,
  stationMetricHint,
  type AqiPollutant,
  type Bucket,
  type Metric,
  type SeriesPoint,
  type SeriesQuery,
  type Station,
  type Unit,
} from '../../contract/index.ts'
import { AQI_LOOKBACK_MS } from '../../server/environment/history.ts'
import { nowCastWindowStart, type EnvironmentRepository, type HourlySum, type LatestValue } from '../../server/environment/repository.ts'
import { StationService } from '../../server/environment/service.ts'
import { StationStates } from '../../server/environment/state.ts'
import { HttpProblem } from '../../server/shared/http.ts'

/** The start of a clock hour; "now" is half an hour into it. */
const H = Date.parse('2026-11-21T03:00:00Z')
const NOW = H + 30 * 60_000
const MIN = 60_000

const unit = (id: string, parentId: string | null, name: string): Unit => ({ id, parentId, name, level: parentId ? 'phường' : 'tỉnh', type: parentId ? 'locality' : 'province', geometry: null, approximate: false })
/** Quảng Ninh ⊃ Hạ Long ⊃ Bãi Cháy, and Cẩm Phả beside Hạ Long. */
const UNITS: Unit[] = [unit('qn', null, 'Quảng Ninh'), unit('ha-long', 'qn', 'TP Hạ Long'), unit('bai-chay', 'ha-long', 'P. Bãi Cháy'), unit('cam-pha', 'qn', 'TP Cẩm Phả')]

const station = (id: string, over: Partial<Station> = {}): Station => ({
  id,
  name: `Trạm ${id}`,
  kind: 'air',
  unitId: 'ha-long',
  lon: 107.08,
  lat: 20.95,
  expectedIntervalSec: 60,
  ...over,
})

/**
 * Four stations, one of each situation a filter has to tell apart (every station reports every 60 s, so it is
 * stale after 2 missed minutes and offline after 10):
 * qn-01 air in Hạ Long, online; qn-02 water in Bãi Cháy (below Hạ Long), stale; qn-03 air in Cẩm Phả, never
 * heard, offline; qn-04 noise in no unit, online.
 */
const STATIONS: Station[] = [
  station('qn-01'),
  station('qn-02', { kind: 'water', unitId: 'bai-chay' }),
  station('qn-03', { unitId: 'cam-pha' }),
  station('qn-04', { kind: 'noise', unitId: null }),
]
const LATEST: LatestValue[] = [
  { stationId: 'qn-01', metric: 'pm25', ts: NOW - MIN, value: 20 },
  { stationId: 'qn-02', metric: 'ph', ts: NOW - 5 * MIN, value: 7.1 },
  { stationId: 'qn-04', metric: 'noise', ts: NOW - MIN / 2, value: 61 },
]

/** One hourly sum of `count` readings averaging `mean`. */
const sum = (stationId: string, metric: AqiPollutant, hour: number, mean: number, count = 4): HourlySum => ({ stationId, metric, hour, sum: mean * count, count })

type Call = { method: keyof EnvironmentRepository; args: unknown[] }

interface FakeData {
  stations: Station[]
  latest: LatestValue[]
  sums: HourlySum[]
  /** Hour start → the stations with a reading in that hour. */
  reporting: Map<number, string[]>
  /** What series() answers, whatever it is asked. */
  points: SeriesPoint[]
}

/** EnvironmentRepository from memory. hourlySums keeps the hours in [from, to) of the station asked, as the SQL does. */
class FakeEnvironmentRepository implements EnvironmentRepository {
  readonly calls: Call[] = []
  constructor(private readonly data: FakeData) {}

  private record(method: keyof EnvironmentRepository, ...args: unknown[]): void {
    this.calls.push({ method, args })
  }
  async stations() {
    this.record('stations')
    return structuredClone(this.data.stations)
  }
  async stamp() {
    this.record('stamp')
    return 'v1'
  }
  async latest() {
    this.record('latest')
    return structuredClone(this.data.latest)
  }
  async hourlySums(o: { from: number; to?: number; stationId?: string }) {
    this.record('hourlySums', o)
    return this.data.sums.filter((s) => s.hour >= o.from && (o.to === undefined || s.hour < o.to) && (o.stationId === undefined || s.stationId === o.stationId))
  }
  async reportingIn(hour: number) {
    this.record('reportingIn', hour)
    return new Set(this.data.reporting.get(hour) ?? [])
  }
  async series(id: string, metric: Metric, from: number, to: number, bucket: Bucket) {
    this.record('series', id, metric, from, to, bucket)
    return structuredClone(this.data.points)
  }
}

/** A service over a fake repository and a StationStates seeded as environmentDomain seeds it at `now`. */
async function serviceOver(over: Partial<FakeData> = {}, now = NOW) {
  const repo = new FakeEnvironmentRepository({ stations: STATIONS, latest: LATEST, sums: [], reporting: new Map(), points: [], ...over })
  const stations = new StationStates(DEFAULT_STATUS_THRESHOLDS)
  // reloadReference, then load: the reference with unit names, then latest values and the NowCast window's sums
  stations.setReference(await repo.stations(), new Map(UNITS.map((u) => [u.id, u.name])), now)
  stations.load(await repo.latest(), await repo.hourlySums({ from: nowCastWindowStart(now) }), now)
  // only what the service itself reads is asserted below
  repo.calls.length = 0
  let units: readonly Unit[] = UNITS
  const service = new StationService(repo, stations, () => units)
  return { repo, stations, service, setUnits: (u: readonly Unit[]) => void (units = u) }
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

const ids = (list: { id: string }[]) => list.map((s) => s.id)

describe('StationService', () => {
  describe('list', () => {
    it('lists every station, in reference order, when nothing is filtered', async () => {
      const { service } = await serviceOver()
      expect(ids(service.list({}))).toEqual(['qn-01', 'qn-02', 'qn-03', 'qn-04'])
    })

    it('lists only the stations of a kind', async () => {
      const { service } = await serviceOver()
      expect(ids(service.list({ kind: 'air' }))).toEqual(['qn-01', 'qn-03'])
      expect(ids(service.list({ kind: 'noise' }))).toEqual(['qn-04'])
    })

    it('lists only the stations in a status, as the live state has it now', async () => {
      const { service } = await serviceOver()
      expect(ids(service.list({ status: 'online' }))).toEqual(['qn-01', 'qn-04'])
      expect(ids(service.list({ status: 'stale' }))).toEqual(['qn-02'])
      expect(ids(service.list({ status: 'offline' }))).toEqual(['qn-03'])
    })

    it('lists only the stations of a unit and the units below it', async () => {
      const { service } = await serviceOver()
      expect(ids(service.list({ unit: 'ha-long' }))).toEqual(['qn-01', 'qn-02'])
      expect(ids(service.list({ unit: 'bai-chay' }))).toEqual(['qn-02'])
    })

    it('leaves out stations placed in no unit when filtering by unit, even by the root', async () => {
      const { service } = await serviceOver()
      expect(ids(service.list({ unit: 'qn' }))).toEqual(['qn-01', 'qn-02', 'qn-03'])
    })

    it('applies every filter given at once', async () => {
      const { service } = await serviceOver()
      expect(ids(service.list({ kind: 'air', unit: 'qn', status: 'online' }))).toEqual(['qn-01'])
      expect(service.list({ kind: 'water', unit: 'cam-pha' })).toEqual([])
    })

    it('answers summaries with the unit name and live state', async () => {
      const { service } = await serviceOver()
      expect(service.list({ unit: 'bai-chay' })).toEqual([
        expect.objectContaining({ id: 'qn-02', kind: 'water', unitId: 'bai-chay', unitName: 'P. Bãi Cháy', status: 'stale', values: { ph: 7.1 } }),
      ])
    })

    it('refuses a unit that is not in the tree with a 400 naming `unit`', async () => {
      const { service } = await serviceOver()
      const p = problemOf(() => service.list({ unit: 'ha-noi' }))
      expect(p.status).toBe(400)
      expect(p.body).toMatchObject({ code: 'bad_request', field: 'unit' })
      expect(p.body.message).toContain("'ha-noi'")
    })

    it('reads the unit tree at each request, so a unit loaded later filters at once', async () => {
      const { service, setUnits } = await serviceOver()
      expect(() => service.list({ unit: 'hon-gai' })).toThrow(HttpProblem)
      setUnits([...UNITS, unit('hon-gai', 'ha-long', 'P. Hồng Gai')])
      expect(service.list({ unit: 'hon-gai' })).toEqual([])
    })

    it('does not ask the database', async () => {
      const { service, repo } = await serviceOver()
      service.list({ unit: 'qn', kind: 'air' })
      expect(repo.calls).toEqual([])
    })
  })

  describe('get', () => {
    it('answers the summary of a known station', async () => {
      const { service } = await serviceOver()
      expect(service.get('qn-01')).toMatchObject({ id: 'qn-01', name: 'Trạm qn-01', unitName: 'TP Hạ Long', status: 'online', values: { pm25: 20 } })
    })

    it('throws the 404 naming `id` for a station that does not exist', async () => {
      const { service } = await serviceOver()
      const p = problemOf(() => service.get('qn-99'))
      expect(p.status).toBe(404)
      expect(p.body).toEqual({ code: 'not_found', field: 'id', message: "station 'qn-99' does not exist" })
    })
  })

  describe('series', () => {
    const query = (q: Record<string, unknown>): SeriesQuery<Metric> => {
      const parsed = parseSeriesQuery(q, NOW, isStationMetric, stationMetricHint)
      if ('code' in parsed) throw new Error(`test query did not parse: ${parsed.message}`)
      return parsed
    }

    it('asks the repository for the parsed metric, range and bucket', async () => {
      const { service, repo } = await serviceOver()
      await service.series('qn-01', query({ metric: 'pm25', from: '2026-11-20T10:00:00+07:00', to: '2026-11-21T10:00:00+07:00', bucket: '1h' }))
      expect(repo.calls).toEqual([{ method: 'series', args: ['qn-01', 'pm25', Date.parse('2026-11-20T03:00:00Z'), Date.parse('2026-11-21T03:00:00Z'), '1h'] }])
    })

    it('passes on the bucket the query chose from the range', async () => {
      const { service, repo } = await serviceOver()
      // no range and no bucket: the last day before now, in 5-minute buckets
      await service.series('qn-01', query({ metric: 'o3' }))
      expect(repo.calls[0]!.args).toEqual(['qn-01', 'o3', NOW - 86_400_000, NOW, '5m'])
    })

    it("answers the repository's points with the metric's unit and the range as ISO instants", async () => {
      const points: SeriesPoint[] = [
        { t: '2026-11-21T01:00:00.000Z', value: 18.5, min: 12, max: 25, count: 60 },
        { t: '2026-11-21T02:00:00.000Z', value: 21, min: 19, max: 24, count: 58 },
      ]
      const { service } = await serviceOver({ points })
      const r = await service.series('qn-01', query({ metric: 'pm25', from: String(H - 2 * HOUR), to: String(H), bucket: '1h' }))
      expect(r).toEqual({ id: 'qn-01', metric: 'pm25', unit: 'µg/m³', bucket: '1h', from: '2026-11-21T01:00:00.000Z', to: '2026-11-21T03:00:00.000Z', points })
    })

    it("names each metric's own unit", async () => {
      const { service } = await serviceOver()
      const unitOf = async (metric: string) => (await service.series('qn-02', query({ metric }))).unit
      expect(await unitOf('noise')).not.toBe(await unitOf('pm25'))
    })

    it('answers an empty series when the station has no data in the range', async () => {
      const { service } = await serviceOver({ points: [] })
      expect((await service.series('qn-03', query({ metric: 'pm25' }))).points).toEqual([])
    })

    it('throws the 404 for an unknown station without asking the database', async () => {
      const { service, repo } = await serviceOver()
      await expect(service.series('qn-99', query({ metric: 'pm25' }))).rejects.toMatchObject({ status: 404, body: { code: 'not_found', field: 'id' } })
      expect(repo.calls).toEqual([])
    })
  })

  describe('aqi', () => {
    /** Hourly PM2.5 of qn-01: a mean of 10 in `from`'s hour and the one before, and 1000 eleven hours before `from`'s hour. */
    const pmAround = (fromHour: number) => [sum('qn-01', 'pm25', fromHour, 10), sum('qn-01', 'pm25', fromHour - HOUR, 10), sum('qn-01', 'pm25', fromHour - 11 * HOUR, 1000)]

    it('reads the hourly sums of the station from 11 hours before from up to to', async () => {
      const { service, repo } = await serviceOver()
      const from = H - 24 * HOUR
      await service.aqi('qn-01', { from, to: H })
      expect(repo.calls).toEqual([{ method: 'hourlySums', args: [{ from: from - AQI_LOOKBACK_MS, to: H, stationId: 'qn-01' }] }])
      expect(AQI_LOOKBACK_MS).toBe(11 * HOUR)
    })

    it('answers one point per clock hour with readings, in [from, to), with the range as ISO instants', async () => {
      const sums = [
        sum('qn-01', 'pm25', H - 4 * HOUR, 30), // before from: only read for NowCast
        sum('qn-01', 'pm25', H - 3 * HOUR, 30),
        sum('qn-01', 'pm25', H - 2 * HOUR, 30),
        // no reading at all in H - 1h: a gap, not a point carried over
        sum('qn-01', 'pm25', H, 30), // the hour starting at `to` is outside the range
        sum('qn-02', 'pm25', H - 2 * HOUR, 900), // another station's sums are not this one's
      ]
      const { service } = await serviceOver({ sums })
      const r = await service.aqi('qn-01', { from: H - 3 * HOUR, to: H })
      expect(r.id).toBe('qn-01')
      expect(r.from).toBe('2026-11-21T00:00:00.000Z')
      expect(r.to).toBe('2026-11-21T03:00:00.000Z')
      expect(r.points.map((p) => p.t)).toEqual(['2026-11-21T00:00:00.000Z', '2026-11-21T01:00:00.000Z'])
      // a steady 30 µg/m³ of PM2.5: the same AQI in both hours, the first one's NowCast reaching back before from
      const aqi = hourlyAqi({ pm25: [30, 30] })!.aqi
      expect(r.points).toEqual([
        { t: '2026-11-21T00:00:00.000Z', value: aqi, band: expect.any(String), dominant: 'pm25' },
        { t: '2026-11-21T01:00:00.000Z', value: aqi, band: expect.any(String), dominant: 'pm25' },
      ])
    })

    it('computes each hour with NowCast over the sums before from, as the wall showed that hour', async () => {
      const from = H - 2 * HOUR
      const { service } = await serviceOver({ sums: pmAround(from) })
      const r = await service.aqi('qn-01', { from, to: from + HOUR })
      const shown = await wallAqiAt(pmAround(from), from)
      expect(r.points).toEqual([expect.objectContaining({ t: new Date(from).toISOString(), value: shown })])
    })

    it('reads the full NowCast window of the first hour when from falls inside an hour', async () => {
      // parseAqiRange's default range is the 24 hours ending now: from is rarely on the hour
      expect(parseAqiRange({}, NOW)).toEqual({ from: NOW - AQI_SERIES_DEFAULT_MS, to: NOW })
      const fromHour = H - 2 * HOUR
      const from = fromHour + 30 * 60_000
      const { service, repo } = await serviceOver({ sums: pmAround(fromHour) })
      const r = await service.aqi('qn-01', { from, to: fromHour + HOUR })
      const shown = await wallAqiAt(pmAround(fromHour), fromHour)
      // the 1000 µg/m³ hour moves the AQI, so a window one hour short answers a different value
      expect(shown).not.toBe(hourlyAqi({ pm25: [10, 10] })!.aqi)
      expect(r.points).toEqual([expect.objectContaining({ t: new Date(fromHour).toISOString(), value: shown })])
      // the first point is the hour containing from, whose NowCast looks back to 11 hours before that hour's start
      const asked = repo.calls[0]!.args[0] as { from: number }
      expect(asked.from).toBeLessThanOrEqual(fromHour - AQI_LOOKBACK_MS)
    })

    it('answers no points for a station without AQI pollutants in the range', async () => {
      const { service } = await serviceOver({ sums: [sum('qn-01', 'pm25', H - 30 * HOUR, 10)] })
      expect((await service.aqi('qn-04', { from: H - 24 * HOUR, to: H })).points).toEqual([])
    })

    it('throws the 404 for an unknown station without asking the database', async () => {
      const { service, repo } = await serviceOver()
      await expect(service.aqi('qn-99', { from: H - HOUR, to: H })).rejects.toMatchObject({ status: 404, body: { field: 'id' } })
      expect(repo.calls).toEqual([])
    })
  })

  describe('baseline', () => {
    const B = H - 24 * HOUR

    it('asks which stations reported in the hour and the sums of the 12 hours ending with it', async () => {
      const { service, repo } = await serviceOver()
      await service.baseline(B)
      expect(repo.calls).toEqual([
        { method: 'reportingIn', args: [B] },
        { method: 'hourlySums', args: [{ from: B - AQI_LOOKBACK_MS, to: B + HOUR }] },
      ])
    })

    it('counts the stations that reported in the hour as online and every other reference station as offline', async () => {
      // qn-03 is offline now but reported then; qn-01 is online now but did not; 'gone' left the reference since
      // (two stations are online now, so a count from the live state would read 2)
      const { service } = await serviceOver({ reporting: new Map([[B, ['qn-02', 'qn-03', 'qn-04', 'gone']]]) })
      expect(await service.baseline(B)).toMatchObject({ stationsReporting: 3, stationsTotal: 4 })
    })

    it('counts nobody online in an hour without readings', async () => {
      const { service } = await serviceOver({ reporting: new Map([[B + HOUR, ['qn-01']]]) })
      expect(await service.baseline(B)).toEqual({ stationsReporting: 0, stationsTotal: 4, worstAqi: null, stationsPoorOrWorse: 0 })
    })

    it("names the worst AQI of the hour among the stations that reported, from that hour's sums", async () => {
      const sums = [
        sum('qn-01', 'pm25', B, 40),
        sum('qn-01', 'pm25', B - HOUR, 40),
        sum('qn-03', 'pm25', B, 120),
        sum('qn-03', 'pm25', B - HOUR, 120),
        // qn-02 did not report in the hour: its AQI from earlier sums does not count
        sum('qn-02', 'pm25', B - HOUR, 400),
        sum('qn-02', 'pm25', B - 2 * HOUR, 400),
        // the hour after the baseline is not part of it
        sum('qn-01', 'pm25', B + HOUR, 900),
      ]
      const { service } = await serviceOver({ sums, reporting: new Map([[B, ['qn-01', 'qn-03']]]) })
      const k = await service.baseline(B)
      expect(k.worstAqi).toEqual({ value: hourlyAqi({ pm25: [120, 120] })!.aqi, band: expect.any(String), stationId: 'qn-03', stationName: 'Trạm qn-03', unitName: 'TP Cẩm Phả' })
      expect(k.stationsReporting).toBe(2)
    })
  })
})

/** The AQI a live StationStates shows for qn-01 during the clock hour starting at `hour`, loaded with `sums`. */
async function wallAqiAt(sums: HourlySum[], hour: number): Promise<number | undefined> {
  const { stations } = await serviceOver({ sums, latest: [{ stationId: 'qn-01', metric: 'pm25', ts: hour + 10 * MIN, value: 10 }] }, hour + 20 * MIN)
  return stations.state('qn-01')?.aqi?.value
}
