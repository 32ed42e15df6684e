// VN_AQI (Decision 1459/QĐ-TCMT) as DOMAIN.md §2 states it. Every expected value below is worked by hand from
// the formula AQI_x = (I_{i+1} − I_i) / (BP_{i+1} − BP_i) · (C_x − BP_i) + I_i and the table transcribed here,
// never computed by the code under test.
import { describe, it, expect } from 'vitest'
import { AQI_BANDS, aqiBand, dailyAqi, hourlyAqi, nowCast, roundAqi, subIndex, type BreakpointTable } from '../../contract/index.ts'

/** DOMAIN.md §2, column by column; the O3 8h column stops at row 6. */
const INDEX = [0, 50, 100, 150, 200, 300, 400, 500]
const DOMAIN_TABLE: Record<BreakpointTable, number[]> = {
  o3_1h: [0, 160, 200, 300, 400, 800, 1000, 1200],
  o3_8h: [0, 100, 120, 170, 210, 400],
  co: [0, 10000, 30000, 45000, 60000, 90000, 120000, 150000],
  so2: [0, 125, 350, 550, 800, 1600, 2100, 2630],
  no2: [0, 100, 200, 700, 1200, 2350, 3100, 3850],
  pm10: [0, 50, 150, 250, 350, 420, 500, 600],
  pm25: [0, 25, 50, 80, 150, 250, 350, 500],
}

const boundaryCases = Object.entries(DOMAIN_TABLE).flatMap(([table, bps]) =>
  bps.map((bp, i) => ({ table: table as BreakpointTable, bp, index: INDEX[i]! })),
)
// halfway between two breakpoints the formula gives halfway between their indices
const midpointCases = Object.entries(DOMAIN_TABLE).flatMap(([table, bps]) =>
  bps.slice(1).map((hi, i) => ({ table: table as BreakpointTable, c: (bps[i]! + hi) / 2, index: (INDEX[i]! + INDEX[i + 1]!) / 2 })),
)

describe('subIndex', () => {
  it.each(boundaryCases)('gives $index at the $table breakpoint $bp', ({ table, bp, index }) => {
    expect(subIndex(table, bp)).toBeCloseTo(index, 9)
  })

  it.each(midpointCases)('interpolates $table $c to $index', ({ table, c, index }) => {
    expect(subIndex(table, c)).toBeCloseTo(index, 9)
  })

  it('computes the decision example hourly O3 136.1 as 42.53 (50/160 · 136.1)', () => {
    expect(subIndex('o3_1h', 136.1)).toBeCloseTo(42.53125, 9)
  })

  it('computes the decision example NO2 118.7 as 59.35 (50/100 · 18.7 + 50)', () => {
    expect(subIndex('no2', 118.7)).toBeCloseTo(59.35, 9)
  })

  it('computes the decision example daily PM2.5 55.7 as 109.5 (50/30 · 5.7 + 100)', () => {
    expect(subIndex('pm25', 55.7)).toBeCloseTo(109.5, 9)
  })

  it('uses the upper segment just above a breakpoint', () => {
    // PM2.5 25.5: (100 − 50)/(50 − 25) · 0.5 + 50 = 51
    expect(subIndex('pm25', 25.5)).toBeCloseTo(51, 9)
  })

  it('caps PM2.5 above its top breakpoint at 500', () => {
    expect(subIndex('pm25', 600)).toBe(500)
  })

  it('caps O3 1h above 1200 at 500', () => {
    expect(subIndex('o3_1h', 1500)).toBe(500)
  })

  it('caps CO above 150000 at 500', () => {
    expect(subIndex('co', 200_000)).toBe(500)
  })

  it('caps the O3 8h table above 400 at its last index, 300', () => {
    expect(subIndex('o3_8h', 450)).toBe(300)
  })

  it('reads a negative concentration as zero', () => {
    expect(subIndex('pm10', -3)).toBe(0)
  })
})

describe('roundAqi', () => {
  it('rounds the decision example 109.5 up to 110', () => {
    expect(roundAqi(109.5)).toBe(110)
  })

  it('rounds 59.35 down to 59, not the 60 the decision prints', () => {
    expect(roundAqi(59.35)).toBe(59)
  })

  it('rounds a half that floating point left just below .5 up', () => {
    expect(roundAqi(109.49999999999999)).toBe(110)
  })

  it('rounds a value clearly below the half down', () => {
    expect(roundAqi(42.4999)).toBe(42)
  })
})

describe('nowCast', () => {
  it('returns the value itself for a constant series', () => {
    expect(nowCast([20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20])).toBeCloseTo(20, 9)
  })

  it('returns null when only one of the three newest hours is present', () => {
    expect(nowCast([10, null, null, 20, 20, 20])).toBeNull()
  })

  it('returns null for an empty series', () => {
    expect(nowCast([])).toBeNull()
  })

  it('computes with two of the three newest hours present', () => {
    // c1 = 10, c3 = 20: w* = 0.5 → w = 0.5; (10 + 0.25·20) / (1 + 0.25) = 12
    expect(nowCast([10, null, 20])).toBeCloseTo(12, 9)
  })

  it('gives a missing hour weight 0 without shifting the older hours', () => {
    // w = 0.5; weights 1, 0.5, –, 0.125: (20 + 5 + 1.25) / 1.625
    expect(nowCast([20, 10, null, 10])).toBeCloseTo(26.25 / 1.625, 9)
  })

  it('treats undefined like a missing hour', () => {
    expect(nowCast([20, 10, undefined, 10])).toBeCloseTo(26.25 / 1.625, 9)
  })

  it('raises a w* below one half to one half', () => {
    // w* = 10/100 = 0.1 → 0.5: (100 + 0.5·10) / 1.5 = 70
    expect(nowCast([100, 10])).toBeCloseTo(70, 9)
  })

  it('raises a w* just below one half to one half', () => {
    // w* = 0.45 → 0.5: (100 + 0.5·45) / 1.5 = 81.67 (w = 0.45 would give 82.93)
    expect(nowCast([100, 45])).toBeCloseTo(122.5 / 1.5, 9)
  })

  it('uses w* itself when it is above one half', () => {
    // w = 20/30 = 2/3: (30 + 2/3·20) / (1 + 2/3) = (130/3) / (5/3) = 26
    expect(nowCast([30, 20])).toBeCloseTo(26, 9)
  })

  it('takes min and max over all twelve hours, not just the newest three', () => {
    // w* = 10/30 → 0.5: (30 + 15 + 7.5 + 1.25) / (1 + 0.5 + 0.25 + 0.125)
    expect(nowCast([30, 30, 30, 10])).toBeCloseTo(53.75 / 1.875, 9)
  })

  it('ignores hours older than the twelfth', () => {
    const twelve = Array.from({ length: 12 }, () => 10)
    expect(nowCast([...twelve, 1000])).toBe(10)
  })

  it('returns 0 for an all-zero series', () => {
    expect(nowCast([0, 0, 0, 0])).toBe(0)
  })

  it('handles a zero newest hour with a non-zero older one', () => {
    // w* = 0 → 0.5: (0 + 0.5·10) / 1.5
    expect(nowCast([0, 10])).toBeCloseTo(5 / 1.5, 9)
  })
})

describe('hourlyAqi', () => {
  it('gives 41 for the decision example NowCast PM2.5 20.3', () => {
    // 50/25 · 20.3 = 40.6
    const r = hourlyAqi({ pm25: [20.3, 20.3, 20.3] })
    expect(r).toEqual({ aqi: 41, dominant: 'pm25', subIndices: { pm25: 41 } })
  })

  it('gives 43 for the decision example hourly O3 136.1', () => {
    const r = hourlyAqi({ pm25: [5, 5, 5], o3: [136.1] })
    expect(r?.subIndices.o3).toBe(43)
  })

  it('gives 59 for the decision example hourly NO2 118.7', () => {
    const r = hourlyAqi({ pm25: [5, 5, 5], no2: [118.7] })
    expect(r?.subIndices.no2).toBe(59)
  })

  it('reports the largest sub-index as the AQI and names its pollutant', () => {
    // pm25 40.6, o3 42.53, no2 59.35
    const r = hourlyAqi({ pm25: [20.3, 20.3, 20.3], o3: [136.1], no2: [118.7] })
    expect(r).toEqual({ aqi: 59, dominant: 'no2', subIndices: { pm25: 41, o3: 43, no2: 59 } })
  })

  it('publishes no AQI without PM2.5 or PM10', () => {
    expect(hourlyAqi({ o3: [136.1], no2: [118.7], so2: [100], co: [5000] })).toBeNull()
  })

  it('publishes no AQI when the PM series cannot be NowCast', () => {
    expect(hourlyAqi({ pm25: [20, null, null, 20], o3: [136.1] })).toBeNull()
  })

  it('computes the AQI from PM10 alone', () => {
    // 50/100 · (100 − 50) + 50 = 75
    expect(hourlyAqi({ pm10: [100, 100, 100] })).toEqual({ aqi: 75, dominant: 'pm10', subIndices: { pm10: 75 } })
  })

  it('rates hourly O3 on the 1-hour column', () => {
    // 1-hour column: 300 → 150 (the 8-hour column would give 247)
    expect(hourlyAqi({ pm25: [5, 5], o3: [300] })?.subIndices.o3).toBe(150)
  })

  it('rates SO2 and CO from their newest hour', () => {
    const r = hourlyAqi({ pm25: [5, 5], so2: [350, 2000], co: [10000, 100000] })
    expect(r?.subIndices).toMatchObject({ so2: 100, co: 50 })
  })

  it("uses a gas's previous hour while the current hour has no reading yet", () => {
    // NO2 500: (150 − 100) / (700 − 200) · (500 − 200) + 100 = 130
    const r = hourlyAqi({ pm25: [5, 5], no2: [null, 500] })
    expect(r?.subIndices.no2).toBe(130)
  })

  it('leaves a gas out when neither the current nor the previous hour has it', () => {
    const r = hourlyAqi({ pm25: [5, 5], no2: [null, null, 500] })
    expect(r?.subIndices.no2).toBeUndefined()
  })

  it('caps a PM2.5 NowCast above the table at 500', () => {
    expect(hourlyAqi({ pm25: [700, 700, 700] })?.aqi).toBe(500)
  })
})

describe('dailyAqi', () => {
  it('gives 110 for the decision example daily PM2.5 55.7', () => {
    expect(dailyAqi({ pm25: 55.7 })).toEqual({ aqi: 110, dominant: 'pm25', subIndices: { pm25: 110 } })
  })

  it('publishes no AQI without PM2.5 or PM10', () => {
    expect(dailyAqi({ pm25: null, o3Max1h: 300, no2Max1h: 500 })).toBeNull()
  })

  it('rates PM10 from its 24-hour mean', () => {
    expect(dailyAqi({ pm10: 250 })?.aqi).toBe(150)
  })

  it('takes the larger of the O3 1-hour and 8-hour sub-indices', () => {
    // 1h 160 → 50, 8h 120 → 100
    const r = dailyAqi({ pm25: 10, o3Max1h: 160, o3Max8h: 120 })
    expect(r).toEqual({ aqi: 100, dominant: 'o3', subIndices: { pm25: 20, o3: 100 } })
  })

  it('drops the O3 8-hour part when the 8-hour mean exceeds 400', () => {
    // only 1h 100 → 31.25 counts; the 8-hour table would have capped at 300
    expect(dailyAqi({ pm25: 10, o3Max1h: 100, o3Max8h: 450 })?.subIndices.o3).toBe(31)
  })

  it('has no O3 sub-index when only an 8-hour mean above 400 is known', () => {
    expect(dailyAqi({ pm25: 10, o3Max8h: 450 })?.subIndices.o3).toBeUndefined()
  })

  it('keeps the O3 8-hour part at exactly 400', () => {
    expect(dailyAqi({ pm25: 10, o3Max8h: 400 })?.subIndices.o3).toBe(300)
  })

  it('rates NO2, SO2 and CO from the highest hour of the day', () => {
    // no2 1200 → 200, so2 125 → 50, co 30000 → 100, pm10 250 → 150
    const r = dailyAqi({ pm10: 250, no2Max1h: 1200, so2Max1h: 125, coMax1h: 30000 })
    expect(r).toEqual({ aqi: 200, dominant: 'no2', subIndices: { pm10: 150, no2: 200, so2: 50, co: 100 } })
  })
})

describe('aqiBand', () => {
  // DOMAIN.md §2 band table
  it.each([
    [0, 'good', 'Tốt', [0, 228, 0]],
    [50, 'good', 'Tốt', [0, 228, 0]],
    [51, 'moderate', 'Trung bình', [255, 255, 0]],
    [100, 'moderate', 'Trung bình', [255, 255, 0]],
    [101, 'poor', 'Kém', [255, 126, 0]],
    [150, 'poor', 'Kém', [255, 126, 0]],
    [151, 'bad', 'Xấu', [255, 0, 0]],
    [200, 'bad', 'Xấu', [255, 0, 0]],
    [201, 'very_bad', 'Rất xấu', [143, 63, 151]],
    [300, 'very_bad', 'Rất xấu', [143, 63, 151]],
    [301, 'hazardous', 'Nguy hại', [126, 0, 35]],
    [500, 'hazardous', 'Nguy hại', [126, 0, 35]],
  ] as const)('puts AQI %i in band %s (%s, rgb %j)', (aqi, key, vi, rgb) => {
    const band = aqiBand(aqi)
    expect(band.key).toBe(key)
    expect(band.vi).toBe(vi)
    expect(band.rgb).toEqual(rgb)
  })

  it('keeps an AQI above 500 in the hazardous band', () => {
    expect(aqiBand(620).key).toBe('hazardous')
  })

  it('gives every band a hex colour equal to its RGB', () => {
    for (const b of AQI_BANDS) {
      const hex = `#${b.rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`
      expect(b.hex).toBe(hex)
    }
  })

  it('covers 0–500 with contiguous bands', () => {
    expect(AQI_BANDS.map((b) => [b.min, b.max])).toEqual([
      [0, 50],
      [51, 100],
      [101, 150],
      [151, 200],
      [201, 300],
      [301, 500],
    ])
  })
})
