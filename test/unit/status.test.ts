import { describe, it, expect } from 'vitest'
import { DEFAULT_STATUS_THRESHOLDS, deviceStatus } from '../../contract/index.ts'

const NOW = Date.parse('2026-11-21T01:00:00Z')
/** A station expected to report every minute. */
const INTERVAL_SEC = 60
const MIN = 60_000

describe('deviceStatus', () => {
  it('is offline when the device was never seen', () => {
    expect(deviceStatus(null, NOW, INTERVAL_SEC)).toBe('offline')
  })

  it('is online right after a report', () => {
    expect(deviceStatus(NOW, NOW, INTERVAL_SEC)).toBe('online')
  })

  it('defaults to stale after 2 missed intervals and offline after 10', () => {
    expect(DEFAULT_STATUS_THRESHOLDS).toEqual({ staleAfter: 2, offlineAfter: 10 })
  })

  it('is still online exactly two intervals after the last report', () => {
    expect(deviceStatus(NOW - 2 * MIN, NOW, INTERVAL_SEC)).toBe('online')
  })

  it('turns stale one millisecond past two intervals', () => {
    expect(deviceStatus(NOW - 2 * MIN - 1, NOW, INTERVAL_SEC)).toBe('stale')
  })

  it('is still stale exactly ten intervals after the last report', () => {
    expect(deviceStatus(NOW - 10 * MIN, NOW, INTERVAL_SEC)).toBe('stale')
  })

  it('turns offline one millisecond past ten intervals', () => {
    expect(deviceStatus(NOW - 10 * MIN - 1, NOW, INTERVAL_SEC)).toBe('offline')
  })

  it('reads the expected interval in seconds', () => {
    // 5 minutes of silence: stale for a 1-minute station, online for a 5-minute one
    expect(deviceStatus(NOW - 5 * MIN, NOW, 60)).toBe('stale')
    expect(deviceStatus(NOW - 5 * MIN, NOW, 300)).toBe('online')
  })

  it('applies custom thresholds', () => {
    const t = { staleAfter: 1, offlineAfter: 3 }
    expect(deviceStatus(NOW - 61_000, NOW, INTERVAL_SEC, t)).toBe('stale')
    expect(deviceStatus(NOW - 3 * MIN - 1, NOW, INTERVAL_SEC, t)).toBe('offline')
  })

  it('treats a last report slightly in the future (clock skew) as online', () => {
    expect(deviceStatus(NOW + 5_000, NOW, INTERVAL_SEC)).toBe('online')
  })
})
