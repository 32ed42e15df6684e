// Environment station readings: air quality, water quality and noise, as a function of the station's place,
// the local time of day and year, pollution episodes and smooth per-station noise. Magnitudes follow what
// Quảng Ninh's automatic stations publish: PM2.5 mostly 15–60 µg/m³ (VN_AQI Good/Moderate, some Poor),
// higher near the coal mines and power plants, higher in the dry winter and at night under inversions.

import { METRICS, type Metric, type Station } from '../contract/index.ts'
import { hourBump, smoothStep, yearPhase } from './clock.ts'
import { HOUR_MS, vnHourOfDay, vnWeekday } from '../contract/shared/clock.ts'
import type { EpisodeField } from './episodes.ts'
import { MINING_INFLUENCE_KM, nearestMiningKm } from './geo.ts'
import type { NoiseBank, NoiseSpec } from './noise.ts'
import { hashString, unitHash } from './random.ts'

export type EnvValues = Partial<Record<Metric, number>>

export interface EnvironmentModel {
  values(station: Station, t: number): EnvValues
}

const MIN = 60_000

// Shared "dispersion" noise moves every pollutant together (weather), the others are pollutant-specific.
const AIR_NOISE: readonly NoiseSpec[] = [
  { tauMs: 3 * HOUR_MS, sigma: 0.22 }, // 0 dispersion (log)
  { tauMs: 40 * MIN, sigma: 0.12 }, // 1 particulates (log)
  { tauMs: 60 * MIN, sigma: 0.12 }, // 2 O3 (log)
  { tauMs: 30 * MIN, sigma: 0.15 }, // 3 NO2 (log)
  { tauMs: 60 * MIN, sigma: 0.2 }, // 4 SO2 (log)
  { tauMs: 30 * MIN, sigma: 0.12 }, // 5 CO (log)
  { tauMs: 2 * HOUR_MS, sigma: 0.7 }, // 6 temperature (°C)
  { tauMs: 2 * HOUR_MS, sigma: 4 }, // 7 humidity (%)
]
const WATER_NOISE: readonly NoiseSpec[] = [
  { tauMs: 8 * HOUR_MS, sigma: 0.12 }, // 0 pH
  { tauMs: 4 * HOUR_MS, sigma: 0.4 }, // 1 DO (mg/L)
  { tauMs: 6 * HOUR_MS, sigma: 0.2 }, // 2 COD (log)
  { tauMs: 3 * HOUR_MS, sigma: 0.3 }, // 3 TSS (log)
  { tauMs: 6 * HOUR_MS, sigma: 0.3 }, // 4 NH4 (log)
  { tauMs: 1 * HOUR_MS, sigma: 0.1 }, // 5 turbidity vs TSS (log)
  { tauMs: 3 * HOUR_MS, sigma: 0.3 }, // 6 water temperature (°C)
]
const NOISE_NOISE: readonly NoiseSpec[] = [
  { tauMs: 15 * MIN, sigma: 1.5 }, // 0 LAeq (dB)
  { tauMs: 10 * MIN, sigma: 0.4 }, // 1 LAmax excess (log)
]

interface Profile {
  key: number
  /** 0 outside the mining influence radius, 1 at a mine. */
  mining: number
  u: (i: number) => number
}

export function createEnvironmentModel(options: { seed: number; noise: NoiseBank; episodes: EpisodeField }): EnvironmentModel {
  const { seed, noise, episodes } = options
  const profiles = new Map<string, Profile>()

  function profile(station: Station): Profile {
    let p = profiles.get(station.id)
    if (!p) {
      const key = hashString(station.id)
      const km = nearestMiningKm(station.lon, station.lat)
      p = { key, mining: Math.max(0, 1 - km / MINING_INFLUENCE_KM), u: (i) => unitHash(seed, key, i) }
      profiles.set(station.id, p)
    }
    return p
  }

  return {
    values(station, t) {
      const p = profile(station)
      if (station.kind === 'air') return air(station, p, t)
      if (station.kind === 'water') return water(station, p, t)
      return noiseLevels(station, p, t)
    },
  }

  function air(station: Station, p: Profile, t: number): EnvValues {
    const z = noise.at(station.id, t, AIR_NOISE)
    const h = vnHourOfDay(t)
    // +1 in mid-January (dry north-east monsoon, worst air), −1 in mid-July (rainy, washed out)
    const winter = Math.cos(2 * Math.PI * (yearPhase(t) - 0.04))
    const sunday = vnWeekday(t) === 0 ? 0.85 : 1
    const local = 0.8 + 0.45 * p.u(1)
    const traffic = 0.55 + sunday * (0.65 * hourBump(h, 7.75, 1) + 0.75 * hourBump(h, 18.25, 1.3)) + 0.2 * hourBump(h, 1.5, 3) - 0.2 * hourBump(h, 13.5, 2)
    // rush-hour traffic, a night-time inversion that traps what is emitted, and afternoon mixing that dilutes it
    const pmShape = 0.8 + sunday * (0.7 * hourBump(h, 7.75, 1.1) + 0.75 * hourBump(h, 18.25, 1.3)) + 0.25 * hourBump(h, 1.5, 3.5) - 0.25 * hourBump(h, 14, 2.2)
    const { factor: episode } = episodes.exposure(station.lon, station.lat, t)

    const pm25 = 19 * local * (1 + 0.8 * p.mining) * (1 + 0.3 * winter) * pmShape * Math.exp(z[0]! + z[1]!) * episode
    // coarse coal dust makes PM10 a larger multiple of PM2.5 near the mines
    const pm10 = pm25 * (1.65 + 0.15 * p.u(2) + 0.9 * p.mining)
    // power-plant plumes mix down to the ground by late morning
    const so2 =
      9 * (0.8 + 0.4 * p.u(3)) * (1 + 2.5 * p.mining) * (0.8 + 0.4 * hourBump(h, 10.5, 3)) * Math.exp(0.5 * z[0]! + z[4]!) * (1 + 0.5 * (episode - 1))
    const no2 = 24 * (0.7 + 0.6 * p.u(4)) * traffic * Math.exp(0.6 * z[0]! + z[3]!)
    const co = 850 * (0.7 + 0.6 * p.u(5)) * traffic * (1 + 0.2 * winter) * Math.exp(0.6 * z[0]! + z[5]!)
    const o3 = (22 + 80 * hourBump(h, 13.5, 2.3) * (1 - 0.15 * winter)) * (0.85 + 0.3 * p.u(6)) * Math.exp(z[2]!)

    const mean = 22.8 - 6.3 * winter + (p.u(7) - 0.5) * 1.6
    const temp = mean + 3.5 * Math.sin((2 * Math.PI * (h - 9)) / 24) + z[6]!
    const humidity = Math.min(99, Math.max(35, 82 - 2.8 * (temp - mean) + z[7]!))

    return {
      pm25: fit('pm25', pm25, 1),
      pm10: fit('pm10', pm10, 1),
      o3: fit('o3', o3, 1),
      no2: fit('no2', no2, 1),
      so2: fit('so2', so2, 1),
      co: fit('co', co, 0),
      temp: fit('temp', temp, 1),
      humidity: fit('humidity', humidity, 1),
    }
  }

  function water(station: Station, p: Profile, t: number): EnvValues {
    const z = noise.at(station.id, t, WATER_NOISE)
    const h = vnHourOfDay(t)
    const winter = Math.cos(2 * Math.PI * (yearPhase(t) - 0.04))
    // photosynthesis lifts dissolved oxygen and pH in the afternoon and respiration lowers them before dawn
    const daylight = Math.sin((2 * Math.PI * (h - 9)) / 24)
    const coastal = p.u(10) < 0.4
    const ph = (coastal ? 7.9 : 7.1) + 0.5 * (p.u(11) - 0.5) + 0.1 * daylight + z[0]!
    const waterTemp = 24 - 5.5 * winter + 1.2 * Math.sin((2 * Math.PI * (h - 10)) / 24) + z[6]!
    const doSat = 14.6 - 0.39 * waterTemp + 0.006 * waterTemp * waterTemp // mg/L at saturation, fresh water
    const dissolvedO2 = doSat * (0.6 + 0.25 * p.u(12)) + 0.7 * daylight + z[1]!
    const cod = (8 + 22 * p.u(13)) * Math.exp(z[2]!)
    const tss = (12 + 45 * p.u(14)) * (1 + 0.3 * p.mining) * Math.exp(z[3]!)
    const nh4 = (0.08 + 0.6 * p.u(15)) * Math.exp(z[4]!)
    const turbidity = tss * 0.6 * Math.exp(z[5]!)
    return {
      ph: fit('ph', clamp(ph, 5.5, 9.2), 2),
      do: fit('do', clamp(dissolvedO2, 0.5, 14), 2),
      cod: fit('cod', cod, 1),
      tss: fit('tss', tss, 1),
      nh4: fit('nh4', nh4, 2),
      turbidity: fit('turbidity', turbidity, 1),
      water_temp: fit('water_temp', waterTemp, 1),
    }
  }

  function noiseLevels(station: Station, p: Profile, t: number): EnvValues {
    const z = noise.at(station.id, t, NOISE_NOISE)
    const h = vnHourOfDay(t)
    const daytime = smoothStep(h, 5.5, 0.5) * smoothStep(-h, -22, 0.6)
    // roadside stations sit several dB above residential ones
    const siteOffset = -4 + 10 * p.u(20)
    const laeq = 51 + 14 * daytime + 3 * hourBump(h, 7.5, 1) + 3 * hourBump(h, 17.5, 1.2) + siteOffset + z[0]!
    const lamax = laeq + 10 + 6 * Math.exp(z[1]!)
    return { noise: fit('noise', laeq, 1), noise_max: fit('noise_max', lamax, 1) }
  }
}

/** Rounds and keeps the value inside the contract's physical range, so a simulated reading is never dead-lettered. */
export function fit(metric: Metric, value: number, decimals: number): number {
  const spec = METRICS[metric]
  const f = 10 ** decimals
  return clamp(Math.round(value * f) / f, spec.min, spec.max)
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v
}
