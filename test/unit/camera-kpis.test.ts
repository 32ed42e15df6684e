import { describe, it, expect } from 'vitest'
import { arrivalsLastHour, insideNow, vehiclesPerMinute, type CountPeriod } from '../../contract/index.ts'

const NOW = Date.parse('2026-11-21T01:00:00Z')
const SEC = 1000
const MIN = 60_000
const HOUR = 3_600_000

const period = (endsAgoMs: number, counts: CountPeriod['counts'], periodSec = 60, inside: number | null = null): CountPeriod => ({
  ts: NOW - endsAgoMs,
  periodSec,
  counts,
  inside,
})

describe('arrivalsLastHour', () => {
  it('sums the people counted over the last hour', () => {
    const periods = [period(0, { person: 5 }), period(30 * MIN, { person: 7 }), period(59 * MIN, { person: 3 })]
    expect(arrivalsLastHour(periods, NOW)).toBe(15)
  })

  it('leaves out a period that ended exactly one hour ago', () => {
    expect(arrivalsLastHour([period(0, { person: 5 }), period(HOUR, { person: 100 })], NOW)).toBe(5)
  })

  it('includes a period that ended just under one hour ago', () => {
    expect(arrivalsLastHour([period(HOUR - 1, { person: 4 })], NOW)).toBe(4)
  })

  it('leaves out periods that end after now', () => {
    expect(arrivalsLastHour([period(0, { person: 5 }), period(-MIN, { person: 50 })], NOW)).toBe(5)
  })

  it('counts only people, not vehicles', () => {
    expect(arrivalsLastHour([period(0, { person: 2, car: 9, motorbike: 30 })], NOW)).toBe(2)
  })

  it('is 0 when the camera reported but counted nobody', () => {
    expect(arrivalsLastHour([period(0, { car: 3 })], NOW)).toBe(0)
  })

  it('is null when the camera reported nothing in the last hour', () => {
    expect(arrivalsLastHour([period(2 * HOUR, { person: 8 })], NOW)).toBeNull()
  })

  it('is null without any period', () => {
    expect(arrivalsLastHour([], NOW)).toBeNull()
  })
})

describe('vehiclesPerMinute', () => {
  it('averages every vehicle class over five one-minute periods', () => {
    const counts = { car: 3, motorbike: 6, truck: 1 }
    const periods = [0, 1, 2, 3, 4].map((m) => period(m * MIN, counts))
    // 5 × 10 vehicles over 5 minutes
    expect(vehiclesPerMinute(periods, NOW)).toBe(10)
  })

  it('sums car, motorbike, truck, bus and bicycle but not person', () => {
    const periods = [period(0, { car: 1, motorbike: 1, truck: 1, bus: 1, bicycle: 1, person: 40 })]
    expect(vehiclesPerMinute(periods, NOW)).toBe(5)
  })

  it('scales by the time covered, not the window, when the camera reported only part of it', () => {
    // one one-minute period in the five-minute window: 12 per minute, not 12 / 5
    expect(vehiclesPerMinute([period(0, { car: 12 })], NOW)).toBe(12)
  })

  it('reads a camera reporting every two minutes at its real rate', () => {
    // a steady 10 vehicles/min, 20 per two-minute period; two periods end in the window
    expect(vehiclesPerMinute([period(10 * SEC, { car: 20 }, 120), period(130 * SEC, { car: 20 }, 120)], NOW)).toBe(10)
  })

  it('does not inflate the rate when a period ending in the window started before it', () => {
    // three two-minute periods end in the window (covering 6 minutes): still 10 vehicles/min
    const periods = [0, 120, 240].map((s) => period(s * SEC, { motorbike: 20 }, 120))
    expect(vehiclesPerMinute(periods, NOW)).toBe(10)
  })

  it('divides a period longer than the window by its own length', () => {
    // an hourly counter that saw 600 vehicles: 10 per minute
    expect(vehiclesPerMinute([period(MIN, { car: 600 }, 3600)], NOW)).toBe(10)
  })

  it('leaves out a period that ended exactly five minutes ago', () => {
    expect(vehiclesPerMinute([period(0, { car: 6 }), period(5 * MIN, { car: 600 })], NOW)).toBe(6)
  })

  it('is 0 when the camera reported but saw no vehicle', () => {
    expect(vehiclesPerMinute([period(0, { person: 3 })], NOW)).toBe(0)
  })

  it('is null when nothing was reported in the window', () => {
    expect(vehiclesPerMinute([period(10 * MIN, { car: 6 })], NOW)).toBeNull()
  })

  it('uses a custom window', () => {
    // a 15-minute window reaches the period that ended 10 minutes ago
    expect(vehiclesPerMinute([period(10 * MIN, { car: 6 })], NOW, 15 * MIN)).toBe(6)
  })
})

describe('insideNow', () => {
  const MAX_AGE = 2 * MIN

  it('returns the occupancy of the latest report', () => {
    const periods = [period(MIN, {}, 60, 30), period(0, {}, 60, 41)]
    expect(insideNow(periods, NOW, MAX_AGE)).toBe(41)
  })

  it('does not depend on the order of the periods', () => {
    const periods = [period(0, {}, 60, 41), period(MIN, {}, 60, 30)]
    expect(insideNow(periods, NOW, MAX_AGE)).toBe(41)
  })

  it('skips newer periods that did not report occupancy', () => {
    const periods = [period(MIN, {}, 60, 30), period(0, { person: 2 }, 60, null)]
    expect(insideNow(periods, NOW, MAX_AGE)).toBe(30)
  })

  it('is null when the latest occupancy is older than the maximum age', () => {
    expect(insideNow([period(MAX_AGE + 1, {}, 60, 30)], NOW, MAX_AGE)).toBeNull()
  })

  it('still returns an occupancy exactly at the maximum age', () => {
    expect(insideNow([period(MAX_AGE, {}, 60, 30)], NOW, MAX_AGE)).toBe(30)
  })

  it('ignores periods that end after now', () => {
    const periods = [period(MIN, {}, 60, 30), period(-MIN, {}, 60, 99)]
    expect(insideNow(periods, NOW, MAX_AGE)).toBe(30)
  })

  it('returns 0 for an empty room, not null', () => {
    expect(insideNow([period(0, {}, 60, 0)], NOW, MAX_AGE)).toBe(0)
  })

  it('is null when no period reported occupancy', () => {
    expect(insideNow([period(0, { person: 3 })], NOW, MAX_AGE)).toBeNull()
  })
})
