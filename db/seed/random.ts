// Seeded randomness for the demo-province generator: the same seed gives the same province on every
// machine, so the committed demo files can be regenerated and compared byte for byte.

import { mulberry32, type Rng } from '../../core/random.ts'

export { mulberry32, type Rng }

/** Uniform in [min, max). */
export function uniform(rng: Rng, min: number, max: number): number {
  return min + (max - min) * rng()
}

/** Uniform integer in [min, max], both inclusive. */
export function integer(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1))
}

/** Fisher–Yates shuffle into a new array. */
export function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}
