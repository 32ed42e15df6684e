// Sensor dropouts: now and then a device goes silent for 5–40 minutes (power cut, modem reboot, lost
// 4G), so a few percent of devices are silent at any moment and the status screens have something to show.
// Like episodes, silence is a pure function of (seed, device, time), so every timeline agrees on it.

import { HOUR_MS } from '../contract/shared/clock.ts'
import { unitHash } from './random.ts'

export interface DropoutOptions {
  seed: number
  /** Long-run share of devices silent at any moment, 0–0.5. Default 0.03; 0 turns dropouts off. */
  silentShare?: number
  /** Shortest and longest silence, minutes. Defaults 5 and 40; the longest must stay under an hour. */
  minMinutes?: number
  maxMinutes?: number
}

/** True when the device (by its hashed id) is reporting at time t. */
export type ReportingCheck = (deviceKey: number, t: number) => boolean

// One chance of a dropout per device per hour, placed wholly inside its hour: silences never overlap, and
// only the current slot can cover t.
const SLOT_MS = HOUR_MS

export function createDropouts(options: DropoutOptions): ReportingCheck {
  const share = Math.min(0.5, Math.max(0, options.silentShare ?? 0.03))
  const minMs = (options.minMinutes ?? 5) * 60_000
  const maxMs = Math.min(options.maxMinutes ?? 40, 59) * 60_000
  if (share === 0) return () => true
  const startChance = Math.min(1, (share * SLOT_MS) / ((minMs + maxMs) / 2))

  return (deviceKey, t) => {
    const slot = Math.floor(t / SLOT_MS)
    if (unitHash(options.seed, deviceKey, slot, 1) >= startChance) return true
    const duration = minMs + unitHash(options.seed, deviceKey, slot, 2) * (maxMs - minMs)
    const start = slot * SLOT_MS + unitHash(options.seed, deviceKey, slot, 3) * (SLOT_MS - duration)
    return t < start || t >= start + duration
  }
}
