// Device status from the time since it last reported, relative to its expected reporting interval.
// online: within `staleAfter` intervals; stale: within `offlineAfter` intervals; offline beyond, or never seen.

export type DeviceStatus = 'online' | 'stale' | 'offline'
export const DEVICE_STATUSES: readonly DeviceStatus[] = ['online', 'stale', 'offline']

export interface StatusThresholds {
  /** Missed intervals before a device is stale. */
  staleAfter: number
  /** Missed intervals before a device is offline. */
  offlineAfter: number
}

export const DEFAULT_STATUS_THRESHOLDS: StatusThresholds = { staleAfter: 2, offlineAfter: 10 }

export function deviceStatus(
  lastSeen: number | null,
  now: number,
  expectedIntervalSec: number,
  t: StatusThresholds = DEFAULT_STATUS_THRESHOLDS,
): DeviceStatus {
  if (lastSeen === null) return 'offline'
  const age = now - lastSeen
  const interval = expectedIntervalSec * 1000
  if (age <= t.staleAfter * interval) return 'online'
  if (age <= t.offlineAfter * interval) return 'stale'
  return 'offline'
}
