// VN_AQI, Decision 1459/QĐ-TCMT (12 Nov 2019) of the Vietnam Environment Administration.
// Breakpoint tables, NowCast for PM2.5/PM10, hourly and daily AQI, bands and colours, as in
// DOMAIN.md §2. Pure functions: the server feeds them hourly means, tests feed them the decision's
// worked examples.

export type AqiPollutant = 'pm25' | 'pm10' | 'o3' | 'no2' | 'so2' | 'co'
export const AQI_POLLUTANTS: readonly AqiPollutant[] = ['pm25', 'pm10', 'o3', 'no2', 'so2', 'co']

/** I_i: the AQI value at each breakpoint row. */
const INDEX = [0, 50, 100, 150, 200, 300, 400, 500] as const

/** BP_i per pollutant (µg/m³). The O3 8-hour table stops at 400 µg/m³ (AQI 300). */
export const BREAKPOINTS = {
  o3_1h: [0, 160, 200, 300, 400, 800, 1000, 1200],
  o3_8h: [0, 100, 120, 170, 210, 400],
  co: [0, 10000, 30000, 45000, 60000, 90000, 120000, 150000],
  so2: [0, 125, 350, 550, 800, 1600, 2100, 2630],
  no2: [0, 100, 200, 700, 1200, 2350, 3100, 3850],
  pm10: [0, 50, 150, 250, 350, 420, 500, 600],
  pm25: [0, 25, 50, 80, 150, 250, 350, 500],
} as const satisfies Record<string, readonly number[]>
export type BreakpointTable = keyof typeof BREAKPOINTS

/**
 * AQI_x = (I_{i+1} − I_i) / (BP_{i+1} − BP_i) · (C_x − BP_i) + I_i, unrounded.
 * Concentrations above the table's last breakpoint are capped at that row's index.
 */
export function subIndex(table: BreakpointTable, concentration: number): number {
  const bp = BREAKPOINTS[table]
  const c = Math.max(0, concentration)
  for (let i = 0; i < bp.length - 1; i++) {
    const lo = bp[i]!
    const hi = bp[i + 1]!
    if (c <= hi) return ((INDEX[i + 1]! - INDEX[i]!) / (hi - lo)) * (c - lo) + INDEX[i]!
  }
  return INDEX[bp.length - 1]!
}

/**
 * Rounds half up. Computed sub-indices such as 109.5 come out of floating point as 109.49999…
 * or 109.50000…01; rounding at 9 decimals first keeps the decision's examples exact.
 */
export function roundAqi(x: number): number {
  return Math.round(Math.round(x * 1e9) / 1e9)
}

/**
 * NowCast over hourly means c1 (newest) … c12; null marks a missing hour (weight 0).
 * Needs at least 2 of c1..c3; returns null otherwise.
 */
export function nowCast(hourly: readonly (number | null | undefined)[]): number | null {
  const c = hourly.slice(0, 12)
  const recent = c.slice(0, 3).filter((v) => v !== null && v !== undefined).length
  if (recent < 2) return null
  const present = c.filter((v): v is number => v !== null && v !== undefined)
  const max = Math.max(...present)
  const min = Math.min(...present)
  const wStar = max === 0 ? 1 : min / max
  const w = wStar <= 0.5 ? 0.5 : wStar
  let num = 0
  let den = 0
  c.forEach((v, i) => {
    if (v === null || v === undefined) return
    const weight = w ** i
    num += weight * v
    den += weight
  })
  return num / den
}

export interface AqiResult {
  /** Station AQI: the maximum sub-index, rounded. */
  aqi: number
  /** The pollutant with the highest sub-index. */
  dominant: AqiPollutant
  /** Every sub-index that could be computed, rounded. */
  subIndices: Partial<Record<AqiPollutant, number>>
}

/**
 * Hourly AQI from hourly means, newest first (index 0 = the current hour), per pollutant.
 * PM uses NowCast over 12 hours; O3 uses the 1-hour table; NO2, SO2, CO use the current hour's mean, or the
 * previous hour's while the current one has no reading yet (at the turn of the hour a gas-dominated AQI
 * would otherwise drop until the first reading of the new hour). No AQI without PM2.5 or PM10.
 */
export function hourlyAqi(hourly: Partial<Record<AqiPollutant, readonly (number | null | undefined)[]>>): AqiResult | null {
  const raw: Partial<Record<AqiPollutant, number>> = {}
  for (const pm of ['pm25', 'pm10'] as const) {
    const series = hourly[pm]
    const nc = series ? nowCast(series) : null
    if (nc !== null) raw[pm] = subIndex(pm, nc)
  }
  if (raw.pm25 === undefined && raw.pm10 === undefined) return null
  const latest = (p: AqiPollutant) => {
    const series = hourly[p]
    const v = series?.[0] ?? series?.[1]
    return v === null || v === undefined ? null : v
  }
  const o3 = latest('o3')
  if (o3 !== null) raw.o3 = subIndex('o3_1h', o3)
  for (const p of ['no2', 'so2', 'co'] as const) {
    const v = latest(p)
    if (v !== null) raw[p] = subIndex(p, v)
  }
  return summarize(raw)
}

export interface DailyInput {
  /** 24-hour means. */
  pm25?: number | null
  pm10?: number | null
  /** Highest 1-hour means of the day. */
  o3Max1h?: number | null
  no2Max1h?: number | null
  so2Max1h?: number | null
  coMax1h?: number | null
  /** Highest 8-hour running mean of O3 in the day. */
  o3Max8h?: number | null
}

/** Daily AQI: PM from 24-h means; SO2, NO2, CO from the day's highest hour; O3 the larger of the 1-h and 8-h sub-indices. */
export function dailyAqi(d: DailyInput): AqiResult | null {
  const raw: Partial<Record<AqiPollutant, number>> = {}
  if (d.pm25 != null) raw.pm25 = subIndex('pm25', d.pm25)
  if (d.pm10 != null) raw.pm10 = subIndex('pm10', d.pm10)
  if (raw.pm25 === undefined && raw.pm10 === undefined) return null
  const o3Parts: number[] = []
  if (d.o3Max1h != null) o3Parts.push(subIndex('o3_1h', d.o3Max1h))
  // the 8-hour table ends at 400 µg/m³; above it only the 1-hour value counts
  if (d.o3Max8h != null && d.o3Max8h <= 400) o3Parts.push(subIndex('o3_8h', d.o3Max8h))
  if (o3Parts.length) raw.o3 = Math.max(...o3Parts)
  if (d.no2Max1h != null) raw.no2 = subIndex('no2', d.no2Max1h)
  if (d.so2Max1h != null) raw.so2 = subIndex('so2', d.so2Max1h)
  if (d.coMax1h != null) raw.co = subIndex('co', d.coMax1h)
  return summarize(raw)
}

function summarize(raw: Partial<Record<AqiPollutant, number>>): AqiResult {
  let dominant: AqiPollutant = 'pm25'
  let max = -1
  const subIndices: Partial<Record<AqiPollutant, number>> = {}
  for (const p of AQI_POLLUTANTS) {
    const v = raw[p]
    if (v === undefined) continue
    subIndices[p] = roundAqi(v)
    if (v > max) {
      max = v
      dominant = p
    }
  }
  return { aqi: roundAqi(max), dominant, subIndices }
}

export type AqiBandKey = 'good' | 'moderate' | 'poor' | 'bad' | 'very_bad' | 'hazardous'

export interface AqiBand {
  key: AqiBandKey
  /** Inclusive AQI range. */
  min: number
  max: number
  vi: string
  en: string
  rgb: readonly [number, number, number]
  hex: string
}

export const AQI_BANDS: readonly AqiBand[] = [
  { key: 'good', min: 0, max: 50, vi: 'Tốt', en: 'Good', rgb: [0, 228, 0], hex: '#00e400' },
  { key: 'moderate', min: 51, max: 100, vi: 'Trung bình', en: 'Moderate', rgb: [255, 255, 0], hex: '#ffff00' },
  { key: 'poor', min: 101, max: 150, vi: 'Kém', en: 'Poor', rgb: [255, 126, 0], hex: '#ff7e00' },
  { key: 'bad', min: 151, max: 200, vi: 'Xấu', en: 'Bad', rgb: [255, 0, 0], hex: '#ff0000' },
  { key: 'very_bad', min: 201, max: 300, vi: 'Rất xấu', en: 'Very bad', rgb: [143, 63, 151], hex: '#8f3f97' },
  { key: 'hazardous', min: 301, max: 500, vi: 'Nguy hại', en: 'Hazardous', rgb: [126, 0, 35], hex: '#7e0023' },
]

export function aqiBand(aqi: number): AqiBand {
  return AQI_BANDS.find((b) => aqi <= b.max) ?? AQI_BANDS[AQI_BANDS.length - 1]!
}

/** Band index for comparisons: good = 0 … hazardous = 5. */
export function bandRank(key: AqiBandKey): number {
  return AQI_BANDS.findIndex((b) => b.key === key)
}
