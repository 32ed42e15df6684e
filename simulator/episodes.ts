// Pollution episodes: a few times a day a patch of the province (coal dust, a fire, stagnant air) sees
// particulate levels several times the usual, ramping up and down over tens of minutes, so AQI bands
// visibly change on the map. Episodes are a pure function of (seed, time): every timeline that asks
// about 10:20 sees the same episode, which keeps backfill and live publishing consistent.

import { HOUR_MS } from '../contract/shared/clock.ts'
import { MINING_AREAS, distanceKm, offsetKm, type Place } from './geo.ts'
import { hash32, mulberry32, poisson } from './random.ts'

export interface Episode {
  id: string
  lon: number
  lat: number
  radiusKm: number
  /** Epoch ms the ramp-up begins and the ramp-down ends. */
  start: number
  end: number
  /** PM multiplier at the height of the episode (2.5–5). */
  peakFactor: number
}

export interface EpisodeOptions {
  seed: number
  /** Where episodes may be centred besides the mining areas: usually the air stations, so they are seen. */
  near: readonly Place[]
  /** Average number of episodes per day across the province. Default 5. */
  perDay?: number
}

export interface EpisodeField {
  /** Episodes whose window contains t. */
  activeAt(t: number): Episode[]
  /** 0 (no episode) … 1 (at the peak) for a place at time t, and the PM multiplier that goes with it. */
  exposure(lon: number, lat: number, t: number): { intensity: number; factor: number }
}

// Longer than the longest episode, so an episode can only overlap its own slot and the next one.
const SLOT_MS = 3 * HOUR_MS
const MIN_DURATION_MS = 20 * 60_000
const MAX_DURATION_MS = 120 * 60_000
const RISE_SHARE = 0.35
const FALL_SHARE = 0.45

export function createEpisodeField(options: EpisodeOptions): EpisodeField {
  const perSlot = (options.perDay ?? 5) * (SLOT_MS / (24 * HOUR_MS))
  const cache = new Map<number, Episode[]>()

  function episodesOfSlot(slot: number): Episode[] {
    const cached = cache.get(slot)
    if (cached) return cached
    const rng = mulberry32(hash32(options.seed, slot, 0x5e1))
    const list: Episode[] = []
    const n = poisson(rng, perSlot)
    for (let i = 0; i < n; i++) {
      const nearMine = options.near.length === 0 || rng() < 0.5
      const anchor = nearMine
        ? MINING_AREAS[Math.floor(rng() * MINING_AREAS.length)]!
        : options.near[Math.floor(rng() * options.near.length)]!
      const [lon, lat] = offsetKm(anchor.lon, anchor.lat, rng() * (nearMine ? 5 : 4), rng() * 2 * Math.PI)
      const start = slot * SLOT_MS + Math.floor(rng() * SLOT_MS)
      const duration = MIN_DURATION_MS + rng() * (MAX_DURATION_MS - MIN_DURATION_MS)
      list.push({
        id: `ep-${slot}-${i}`,
        lon,
        lat,
        radiusKm: 3 + rng() * 9,
        start,
        end: start + Math.round(duration),
        peakFactor: 2.5 + rng() * 2.5,
      })
    }
    if (cache.size > 256) cache.clear()
    cache.set(slot, list)
    return list
  }

  function activeAt(t: number): Episode[] {
    const slot = Math.floor(t / SLOT_MS)
    const out: Episode[] = []
    for (const s of [slot - 1, slot]) for (const e of episodesOfSlot(s)) if (t >= e.start && t < e.end) out.push(e)
    return out
  }

  function exposure(lon: number, lat: number, t: number): { intensity: number; factor: number } {
    let intensity = 0
    let factor = 1
    for (const e of activeAt(t)) {
      if (distanceKm(lon, lat, e.lon, e.lat) > e.radiusKm) continue
      const k = envelope((t - e.start) / (e.end - e.start))
      const f = 1 + (e.peakFactor - 1) * k
      if (f > factor) {
        factor = f
        intensity = k
      }
    }
    return { intensity, factor }
  }

  return { activeAt, exposure }
}

/** Smooth rise, short plateau, slower fall; u is the share of the episode elapsed. */
function envelope(u: number): number {
  if (u <= 0 || u >= 1) return 0
  if (u < RISE_SHARE) return smooth(u / RISE_SHARE)
  if (u > 1 - FALL_SHARE) return smooth((1 - u) / FALL_SHARE)
  return 1
}

function smooth(x: number): number {
  return x * x * (3 - 2 * x)
}
