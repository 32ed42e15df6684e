// The seeded PRNG shared by the demo-province generator and the simulator: same seed, same sequence on
// every machine.

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number

/** mulberry32: 32-bit state, fast, well distributed enough for simulation (not for cryptography). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}
