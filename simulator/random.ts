// Seeded randomness for the simulator. Two kinds, for two needs:
// - a sequential PRNG (mulberry32) for draws whose order is fixed by the caller (per-device noise, queues);
// - counter-based hashes for facts that must be the same whenever they are asked about, in any order
//   (is this device silent at 10:20? is there an episode in this 3-hour slot?), so live publishing and a
//   backfill running beside it agree about the world.

import { mulberry32, type Rng } from '../core/random.ts'

export { mulberry32, type Rng }

/** FNV-1a over the UTF-16 code units: a stable 32-bit key for a device id. */
export function hashString(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** Mixes integers into one well-spread 32-bit value (murmur3 finaliser per step). */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9
  for (const p of parts) {
    h ^= p | 0
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
    h ^= h >>> 16
  }
  return h >>> 0
}

/** A deterministic uniform in [0, 1) for the given key. */
export function unitHash(...parts: number[]): number {
  return hash32(...parts) / 4_294_967_296
}

/** Standard normal (Box–Muller). */
export function normal(rng: Rng): number {
  const u = 1 - rng() // (0, 1], keeps log finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng())
}

/** Poisson draw; exact (Knuth) for small means, normal approximation above 30 where it is indistinguishable here. */
export function poisson(rng: Rng, mean: number): number {
  if (!(mean > 0)) return 0
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rng)))
  const limit = Math.exp(-mean)
  let k = 0
  let p = rng()
  while (p > limit) {
    k++
    p *= rng()
  }
  return k
}

/**
 * One step of an Ornstein–Uhlenbeck process (AR(1) sampled at any spacing): mean 0, stationary standard
 * deviation `sigma`, correlation time `tauMs`. Exact for any dt, so readings stay continuous whether a
 * device reports every second or every hour.
 */
export function ouStep(rng: Rng, x: number, dtMs: number, tauMs: number, sigma: number): number {
  const phi = Math.exp(-Math.max(0, dtMs) / tauMs)
  return phi * x + sigma * Math.sqrt(1 - phi * phi) * normal(rng)
}
