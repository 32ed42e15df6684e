// Per-device smooth noise: a bank of Ornstein–Uhlenbeck (continuous AR(1)) processes per device, advanced
// to each reading's time, so consecutive readings are continuous rather than independent draws. One bank
// belongs to one timeline (live or a backfill); a timeline asked about an earlier time than its last reading
// just steps by the gap, which keeps values plausible if callers interleave.

import { normal, ouStep, type Rng } from './random.ts'

/** One process: correlation time and stationary standard deviation (in the unit the caller adds it in). */
export interface NoiseSpec {
  tauMs: number
  sigma: number
}

export interface NoiseBank {
  /** The processes for `key` advanced to t, in the order of `specs`. */
  at(key: string, t: number, specs: readonly NoiseSpec[]): Float64Array
}

interface State {
  t: number
  z: Float64Array
}

export function createNoiseBank(rng: Rng): NoiseBank {
  const states = new Map<string, State>()
  return {
    at(key, t, specs) {
      let s = states.get(key)
      if (!s || s.z.length !== specs.length) {
        // start from the stationary distribution so the first reading is as varied as any later one
        const z = new Float64Array(specs.length)
        for (let i = 0; i < specs.length; i++) z[i] = specs[i]!.sigma * normal(rng)
        s = { t, z }
        states.set(key, s)
        return s.z
      }
      const dt = Math.abs(t - s.t)
      if (dt > 0) {
        for (let i = 0; i < specs.length; i++) s.z[i] = ouStep(rng, s.z[i]!, dt, specs[i]!.tauMs, specs[i]!.sigma)
        s.t = t
      }
      return s.z
    },
  }
}
