import { describe, expect, it } from 'vitest'
import { AQI_SERIES_MAX_MS, aqiBand, hourlyAqi, parseAqiRange, type AqiPollutant } from '../../contract/index.ts'
import { aqiSeries, environmentBaseline, hourSlotsByStation, type EnvironmentBaselineInput } from '../../server/environment/history.ts'
import type { HourlySum } from '../../server/environment/repository.ts'
import { aqiAt } from '../../server/environment/state.ts'

/** The start of a clock hour. */
const H = Date.parse('2026-11-21T03:00:00Z')
const HOUR = 3_600_000

/** One hourly sum of `count` readings averaging `mean`. */
const sum = (stationId: string, metric: AqiPollutant, hour: number, mean: number, count = 2): HourlySum => ({ stationId, metric, hour, sum: mean * count, count })
const slotsOf = (sums: HourlySum[], id = 'qn-01') => hourSlotsByStation(sums).get(id)!

describe('parseAqiRange', () => {
  it('defaults to the 24 hours ending now', () => {
    expect(parseAqiRange({}, H)).toEqual({ from: H - 24 * HOUR, to: H })
  })

  it('starts 24 hours before to when only to is given', () => {
    expect(parseAqiRange({ to: String(H) }, H + 99 * HOUR)).toEqual({ from: H - 24 * HOUR, to: H })
  })

  it('reads ISO-8601 from and to', () => {
    expect(parseAqiRange({ from: '2026-11-21T08:00:00+07:00', to: '2026-11-21T12:00:00+07:00' }, 0)).toEqual({ from: Date.parse('2026-11-21T01:00:00Z'), to: Date.parse('2026-11-21T05:00:00Z') })
  })

  it('rejects a bad from naming the field', () => {
    expect(parseAqiRange({ from: 'yesterday' }, H)).toMatchObject({ code: 'bad_request', field: 'from' })
  })

  it('rejects a bad to naming the field', () => {
    expect(parseAqiRange({ to: '2026-11-21T08:00:00' }, H)).toMatchObject({ code: 'bad_request', field: 'to' })
  })

  it('rejects from not earlier than to', () => {
    expect(parseAqiRange({ from: String(H), to: String(H) }, H)).toMatchObject({ field: 'from', message: 'from: must be earlier than to' })
  })

  it('accepts a range of exactly the maximum', () => {
    expect(parseAqiRange({ from: String(H - AQI_SERIES_MAX_MS), to: String(H) }, H)).toEqual({ from: H - AQI_SERIES_MAX_MS, to: H })
  })

  it('rejects a range longer than the maximum naming from', () => {
    const r = parseAqiRange({ from: String(H - AQI_SERIES_MAX_MS - 1), to: String(H) }, H)
    expect(r).toMatchObject({ code: 'bad_request', field: 'from' })
    expect((r as { message: string }).message).toContain('at most 31 days')
  })
})

describe('hourSlotsByStation', () => {
  it('groups hourly sums by station, pollutant and hour', () => {
    const slots = hourSlotsByStation([sum('a', 'pm25', H, 10), sum('a', 'pm25', H - HOUR, 20), sum('a', 'o3', H, 50), sum('b', 'pm10', H, 5, 3)])
    expect([...slots.keys()]).toEqual(['a', 'b'])
    expect(slots.get('a')!.get('pm25')).toEqual(
      new Map([
        [H, { sum: 20, count: 2 }],
        [H - HOUR, { sum: 40, count: 2 }],
      ]),
    )
    expect(slots.get('b')!.get('pm10')).toEqual(new Map([[H, { sum: 15, count: 3 }]]))
  })
})

describe('aqiAt', () => {
  it('feeds hourlyAqi the 12 hourly means ending at the hour, newest first, with gaps as null', () => {
    const hours = slotsOf([sum('qn-01', 'pm25', H, 60), sum('qn-01', 'pm25', H - 2 * HOUR, 30), sum('qn-01', 'pm25', H - 11 * HOUR, 90), sum('qn-01', 'pm25', H - 12 * HOUR, 500), sum('qn-01', 'no2', H, 150)])
    const expected = hourlyAqi({ pm25: [60, null, 30, null, null, null, null, null, null, null, null, 90], no2: [150, ...Array(11).fill(null)] })!
    expect(aqiAt(hours, H)).toEqual({ value: expected.aqi, band: aqiBand(expected.aqi).key, dominant: expected.dominant, kind: 'hourly' })
  })

  it('gives no AQI without PM in two of the last three hours', () => {
    expect(aqiAt(slotsOf([sum('qn-01', 'pm25', H, 60), sum('qn-01', 'pm25', H - 3 * HOUR, 60)]), H)).toBeNull()
  })
})

describe('aqiSeries', () => {
  it('gives each hour the AQI the live state computes at that hour', () => {
    const sums = [sum('qn-01', 'pm25', H - 2 * HOUR, 20), sum('qn-01', 'pm25', H - HOUR, 40), sum('qn-01', 'pm25', H, 80), sum('qn-01', 'o3', H, 250)]
    const hours = slotsOf(sums)
    const points = aqiSeries(hours, H - HOUR, H + HOUR)
    expect(points.map((p) => p.t)).toEqual([new Date(H - HOUR).toISOString(), new Date(H).toISOString()])
    for (const p of points) {
      const live = aqiAt(hours, Date.parse(p.t))!
      expect(p).toEqual({ t: p.t, value: live.value, band: live.band, dominant: live.dominant })
    }
  })

  it('uses the hours before from for the first point’s NowCast', () => {
    // 20, 40 before the range and 80 in it: NowCast over 80, 40, 20 (w* = 0.25 → 0.5) = (80 + 20 + 5) / 1.75 = 60
    // PM2.5 60 lies in 50–80 → AQI 100–150: 100 + 50 / 30 · 10 = 116.67 → 117
    const hours = slotsOf([sum('qn-01', 'pm25', H - 2 * HOUR, 20), sum('qn-01', 'pm25', H - HOUR, 40), sum('qn-01', 'pm25', H, 80)])
    expect(aqiSeries(hours, H, H + HOUR)).toEqual([{ t: new Date(H).toISOString(), value: 117, band: 'poor', dominant: 'pm25' }])
  })

  it('starts at the hour containing from', () => {
    const hours = slotsOf([sum('qn-01', 'pm25', H - HOUR, 40), sum('qn-01', 'pm25', H, 40)])
    expect(aqiSeries(hours, H + 30 * 60_000, H + HOUR).map((p) => p.t)).toEqual([new Date(H).toISOString()])
  })

  it('ends before the hour starting at to', () => {
    const hours = slotsOf([sum('qn-01', 'pm25', H - HOUR, 40), sum('qn-01', 'pm25', H, 40)])
    expect(aqiSeries(hours, H - HOUR, H).map((p) => p.t)).toEqual([])
  })

  it('gives no point for an hour without readings, though NowCast could carry the previous hours over it', () => {
    const hours = slotsOf([sum('qn-01', 'pm25', H - 2 * HOUR, 40), sum('qn-01', 'pm25', H - HOUR, 40)])
    expect(aqiAt(hours, H)).not.toBeNull()
    expect(aqiSeries(hours, H - HOUR, H + HOUR).map((p) => p.t)).toEqual([new Date(H - HOUR).toISOString()])
  })

  it('gives no point for an hour whose readings yield no AQI (gases without PM)', () => {
    expect(aqiSeries(slotsOf([sum('qn-01', 'no2', H, 150)]), H, H + HOUR)).toEqual([])
  })
})

describe('environmentBaseline', () => {
  const base = (over: Partial<EnvironmentBaselineInput> = {}): EnvironmentBaselineInput => ({
    hour: H,
    stations: [
      { id: 'a', name: 'Trạm A', unitName: 'Hạ Long' },
      { id: 'b', name: 'Trạm B', unitName: null },
      { id: 'c', name: 'Trạm C', unitName: 'Cẩm Phả' },
    ],
    reporting: new Set(),
    sums: [],
    ...over,
  })

  it('counts a station reporting in the hour as online and every station in the total', () => {
    const k = environmentBaseline(base({ reporting: new Set(['a', 'c']) }))
    expect(k).toMatchObject({ stationsReporting: 2, stationsTotal: 3, worstAqi: null, stationsPoorOrWorse: 0 })
  })

  it('takes the worst AQI of the hour, NowCast over the hours before it, with the station’s live name and unit', () => {
    // a: PM2.5 80, 40, 20 → NowCast 60 → AQI 117 (poor); b: PM2.5 10, 10 → AQI 20 (good)
    const sums = [sum('a', 'pm25', H - 2 * HOUR, 20), sum('a', 'pm25', H - HOUR, 40), sum('a', 'pm25', H, 80), sum('b', 'pm25', H - HOUR, 10), sum('b', 'pm25', H, 10)]
    const k = environmentBaseline(base({ reporting: new Set(['a', 'b']), sums }))
    expect(k.worstAqi).toEqual({ value: 117, band: 'poor', stationId: 'a', stationName: 'Trạm A', unitName: 'Hạ Long' })
    expect(k.stationsPoorOrWorse).toBe(1)
  })

  it('ignores the AQI of a station that did not report in the hour', () => {
    // c's NowCast over the two hours before would still give an AQI at H
    const sums = [sum('c', 'pm25', H - 2 * HOUR, 400), sum('c', 'pm25', H - HOUR, 400), sum('a', 'pm25', H - HOUR, 10), sum('a', 'pm25', H, 10)]
    const k = environmentBaseline(base({ reporting: new Set(['a']), sums }))
    expect(k.worstAqi).toMatchObject({ stationId: 'a', value: 20 })
    expect(k.stationsPoorOrWorse).toBe(0)
  })
})
