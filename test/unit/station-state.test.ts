import { describe, it, expect } from 'vitest'
import { StationStates } from '../../server/environment/state.ts'
import { DEFAULT_STATUS_THRESHOLDS, type EnvReading, type Station } from '../../contract/index.ts'

/** The start of a clock hour. */
const H = Date.parse('2026-11-21T03:00:00Z')
const MIN = 60_000
const HOUR = 3_600_000
const UNITS = new Map([['ha-long', 'TP Hạ Long']])

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
const reading = (stationId: string, ts: number, values: EnvReading['values']): EnvReading => ({ stationId, ts, values })

function statesOf(stations: Station[] = [station('qn-01')], now = H): StationStates {
  const s = new StationStates(DEFAULT_STATUS_THRESHOLDS)
  s.setReference(stations, UNITS, now)
  return s
}

describe('station states: setReference', () => {
  it('returns every station the first time', () => {
    const s = new StationStates(DEFAULT_STATUS_THRESHOLDS)
    expect(s.setReference([station('qn-01'), station('qn-02')], UNITS, H)).toEqual(['qn-01', 'qn-02'])
  })

  it('returns only the stations added or changed on a later call', () => {
    const s = statesOf([station('qn-01'), station('qn-02')])
    expect(s.setReference([station('qn-01'), station('qn-02', { name: 'Bãi Cháy' }), station('qn-03')], UNITS, H)).toEqual(['qn-02', 'qn-03'])
  })

  it('starts a new station offline with no values', () => {
    expect(statesOf().state('qn-01')).toEqual({ id: 'qn-01', status: 'offline', lastSeen: null, values: {}, aqi: null })
  })

  it('keeps the live state of a station that stays', () => {
    const s = statesOf()
    s.apply([reading('qn-01', H, { pm25: 20 })], H)
    s.setReference([station('qn-01', { name: 'renamed' }), station('qn-02')], UNITS, H)
    expect(s.state('qn-01')).toMatchObject({ status: 'online', values: { pm25: 20 } })
  })

  it('forgets a station that left the reference data', () => {
    const s = statesOf([station('qn-01'), station('qn-02')])
    s.setReference([station('qn-02')], UNITS, H)
    expect(s.state('qn-01')).toBeNull()
    expect(s.summaries().map((x) => x.id)).toEqual(['qn-02'])
  })

  it('names the unit in the summary', () => {
    const s = statesOf([station('qn-01'), station('qn-02', { unitId: null })])
    expect(s.summary('qn-01')).toMatchObject({ unitId: 'ha-long', unitName: 'TP Hạ Long', name: 'Trạm qn-01', expectedIntervalSec: 60 })
    expect(s.summary('qn-02')).toMatchObject({ unitId: null, unitName: null })
  })
})

describe('station states: load', () => {
  it("takes the database's latest values and the newest of them as last seen", () => {
    const s = statesOf()
    s.load(
      [
        { stationId: 'qn-01', metric: 'pm25', ts: H - 5 * MIN, value: 20 },
        { stationId: 'qn-01', metric: 'temp', ts: H - 1 * MIN, value: 28 },
      ],
      [],
      H,
    )
    expect(s.state('qn-01')).toEqual({
      id: 'qn-01',
      status: 'online',
      lastSeen: new Date(H - MIN).toISOString(),
      values: { pm25: 20, temp: 28 },
      aqi: null,
    })
  })

  it('keeps a live value newer than the one loaded', () => {
    const s = statesOf()
    s.apply([reading('qn-01', H + MIN, { pm25: 33 })], H + MIN)
    s.load([{ stationId: 'qn-01', metric: 'pm25', ts: H - 5 * MIN, value: 20 }], [], H + MIN)
    expect(s.state('qn-01')?.values).toEqual({ pm25: 33 })
  })

  it('computes the AQI from loaded hourly sums', () => {
    const s = statesOf()
    s.load(
      [],
      [
        { stationId: 'qn-01', metric: 'pm25', hour: H, sum: 90, count: 2 },
        { stationId: 'qn-01', metric: 'pm25', hour: H - HOUR, sum: 90, count: 3 },
      ],
      H + 15 * MIN,
    )
    // hourly means 45 (this hour) and 30: the same NowCast as the next describe block works out, AQI 78
    expect(s.state('qn-01')?.aqi).toEqual({ value: 78, band: 'moderate', dominant: 'pm25', kind: 'hourly' })
  })

  it('ignores rows of stations it does not know', () => {
    const s = statesOf()
    s.load([{ stationId: 'ghost', metric: 'pm25', ts: H, value: 20 }], [{ stationId: 'ghost', metric: 'pm25', hour: H, sum: 20, count: 1 }], H)
    expect(s.state('ghost')).toBeNull()
    expect(s.state('qn-01')?.values).toEqual({})
  })
})

describe('station states: apply', () => {
  it('returns the stations it changed and ignores unknown ones', () => {
    const s = statesOf([station('qn-01'), station('qn-02')])
    expect(s.apply([reading('ghost', H, { pm25: 1 }), reading('qn-01', H, { pm25: 12 })], H)).toEqual(new Set(['qn-01']))
    expect(s.state('ghost')).toBeNull()
  })

  it('takes a station online with its values', () => {
    const s = statesOf()
    s.apply([reading('qn-01', H, { pm25: 12, temp: 27.5 })], H)
    expect(s.state('qn-01')).toMatchObject({ status: 'online', lastSeen: new Date(H).toISOString(), values: { pm25: 12, temp: 27.5 } })
  })

  it('computes the AQI from hourly means by NowCast', () => {
    const s = statesOf()
    const now = H + 15 * MIN
    s.apply(
      [
        // last hour: mean 30; this hour: mean 45
        reading('qn-01', H - 50 * MIN, { pm25: 30 }),
        reading('qn-01', H - 40 * MIN, { pm25: 30 }),
        reading('qn-01', H - 30 * MIN, { pm25: 30 }),
        reading('qn-01', H + 5 * MIN, { pm25: 40 }),
        reading('qn-01', H + 10 * MIN, { pm25: 50 }),
      ],
      now,
    )
    // w* = 30 / 45 = 2/3 (> 1/2, so w = 2/3); NowCast = (45 + 2/3 · 30) / (1 + 2/3) = 39 µg/m³
    // PM2.5 39 lies in 25–50 → AQI 50–100: 50 + (100 − 50) / (50 − 25) · (39 − 25) = 78
    expect(s.hourlyMeans('qn-01', 'pm25', now).slice(0, 3)).toEqual([45, 30, null])
    expect(s.state('qn-01')?.aqi).toEqual({ value: 78, band: 'moderate', dominant: 'pm25', kind: 'hourly' })
  })

  it('keeps the newer value when an older reading arrives late, but counts the older one into its hour', () => {
    const s = statesOf()
    const now = H + 30 * MIN
    s.apply([reading('qn-01', H + 20 * MIN, { pm25: 50 })], now)
    s.apply([reading('qn-01', H + 10 * MIN, { pm25: 10 })], now)
    expect(s.state('qn-01')).toMatchObject({ values: { pm25: 50 }, lastSeen: new Date(H + 20 * MIN).toISOString() })
    expect(s.hourlyMeans('qn-01', 'pm25', now)[0]).toBe(30)
  })

  it('leaves readings older than the 12-hour NowCast window out of the hourly means', () => {
    const s = statesOf()
    const now = H + 30 * MIN
    s.apply([reading('qn-01', H - 12 * HOUR, { pm25: 500 }), reading('qn-01', H - 11 * HOUR, { pm25: 20 })], now)
    expect(s.hourlyMeans('qn-01', 'pm25', now)[11]).toBe(20)
    expect(s.hourlyMeans('qn-01', 'pm25', now - HOUR)[11]).toBeNull()
  })
})

describe('station states: tick', () => {
  it('keeps a station online through two reporting intervals without a change to report', () => {
    const s = statesOf()
    s.apply([reading('qn-01', H, { pm25: 12 })], H)
    expect(s.tick(H + 2 * MIN)).toEqual(new Set())
    expect(s.state('qn-01')?.status).toBe('online')
  })

  it('turns a station stale just past two missed intervals', () => {
    const s = statesOf()
    s.apply([reading('qn-01', H, { pm25: 12 })], H)
    expect(s.tick(H + 2 * MIN + 1)).toEqual(new Set(['qn-01']))
    expect(s.state('qn-01')?.status).toBe('stale')
  })

  it('turns a stale station offline just past ten missed intervals', () => {
    const s = statesOf()
    s.apply([reading('qn-01', H, { pm25: 12 })], H)
    s.tick(H + 5 * MIN)
    expect(s.tick(H + 10 * MIN)).toEqual(new Set())
    expect(s.tick(H + 10 * MIN + 1)).toEqual(new Set(['qn-01']))
    expect(s.state('qn-01')?.status).toBe('offline')
  })

  it('keeps the AQI steady at the turn of the hour, a gas standing on its previous hour until it reports', () => {
    // an hourly station, so the status stays online and only the AQI could change
    const s = statesOf([station('qn-01', { expectedIntervalSec: 3600 })])
    s.apply([reading('qn-01', H - 50 * MIN, { pm25: 10 }), reading('qn-01', H + 10 * MIN, { pm25: 10, no2: 150 })], H + 10 * MIN)
    // NO2 150 → 50 + 50 / 100 · 50 = 75 beats PM2.5 10 → 20
    expect(s.state('qn-01')?.aqi).toMatchObject({ value: 75, dominant: 'no2' })
    // the new hour has no NO2 mean yet: the previous hour's 150 stands in, so nothing changes
    expect(s.tick(H + HOUR + MIN)).toEqual(new Set())
    expect(s.state('qn-01')?.aqi).toEqual({ value: 75, band: 'moderate', dominant: 'no2', kind: 'hourly' })
    // a first NO2 reading of the new hour replaces it
    s.apply([reading('qn-01', H + HOUR + 5 * MIN, { no2: 50 })], H + HOUR + 5 * MIN)
    expect(s.state('qn-01')?.aqi).toEqual({ value: 25, band: 'good', dominant: 'no2', kind: 'hourly' })
  })

  it('drops the AQI once fewer than two of the last three hours have PM', () => {
    const s = statesOf([station('qn-01', { expectedIntervalSec: 3600 })])
    s.apply([reading('qn-01', H - 50 * MIN, { pm25: 10 }), reading('qn-01', H + 10 * MIN, { pm25: 10 })], H + 10 * MIN)
    expect(s.tick(H + 2 * HOUR + MIN)).toEqual(new Set(['qn-01']))
    expect(s.state('qn-01')?.aqi).toBeNull()
  })
})

describe('station states: status follows arrival', () => {
  it('keeps a station whose clock runs late online while its readings keep arriving', () => {
    // expected every 60 s; the device stamps its readings 5 minutes behind the real time
    const s = statesOf([station('qn-01', { expectedIntervalSec: 60 })])
    const now = H + 30 * MIN
    s.apply([reading('qn-01', now - 5 * MIN, { pm25: 12 })], now, now)
    expect(s.state('qn-01')).toMatchObject({ status: 'online', lastSeen: new Date(now - 5 * MIN).toISOString() })
    // nothing more arrives: it ages from the arrival, stale after two missed intervals
    expect(s.tick(now + 3 * MIN)).toEqual(new Set(['qn-01']))
    expect(s.state('qn-01')?.status).toBe('stale')
  })
})
