// The demo's citizen reports: 20–60 a day around the mean with a storm day at ten times, points on land
// inside localities, the same world at every start, and agencies between 50 % and 97 % on time.
import { describe, expect, it } from 'vitest'
import { createUnitLocator, DEMO_REPORT_CATEGORIES, vnDayNumber, type Unit } from '../../contract/index.ts'
import { readDemoFiles } from '../../db/seed/demo-files.ts'
import { agencyProfile, createReportModel, isStormDay, reportFate } from '../../simulator/reports.ts'

const SEED = 42
let units: Unit[]
const model = async () => {
  units ??= (await readDemoFiles()).units
  return createReportModel({ seed: SEED, units, categories: DEMO_REPORT_CATEGORIES, perDay: 40 })
}
const today = vnDayNumber(Date.parse('2026-12-03T12:00:00+07:00'))

describe('the citizen-report model', () => {
  it('sends 20–60 reports on an ordinary day and about ten times as many on a storm day', async () => {
    const m = await model()
    const ordinary: number[] = []
    const storms: number[] = []
    for (let n = today - 200; n < today; n++) (isStormDay(SEED, n) ? storms : ordinary).push(m.day(n).length)
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
    expect(storms.length).toBeGreaterThan(2)
    expect(storms.length).toBeLessThan(25)
    expect(mean(ordinary)).toBeGreaterThan(34)
    expect(mean(ordinary)).toBeLessThan(46)
    expect(Math.min(...ordinary)).toBeGreaterThanOrEqual(10)
    expect(Math.max(...ordinary)).toBeLessThanOrEqual(80)
    expect(mean(storms) / mean(ordinary)).toBeGreaterThan(7)
    expect(mean(storms) / mean(ordinary)).toBeLessThan(13)
  })

  it('places every report inside a locality of the province, on the day it names', async () => {
    const m = await model()
    const locate = createUnitLocator(units)
    for (let n = today - 5; n < today; n++) {
      for (const r of m.day(n)) {
        expect(locate([r.lon, r.lat])?.type, r.externalId).toBe('locality')
        expect(vnDayNumber(r.ts)).toBe(n)
        expect(DEMO_REPORT_CATEGORIES.map((c) => c.code)).toContain(r.categoryCode)
      }
    }
  })

  it('is the same world at every start', async () => {
    const a = (await model()).between(Date.parse('2026-11-01T00:00:00+07:00'), Date.parse('2026-11-03T00:00:00+07:00'))
    units = undefined as unknown as Unit[]
    const b = (await model()).between(Date.parse('2026-11-01T00:00:00+07:00'), Date.parse('2026-11-03T00:00:00+07:00'))
    expect(b).toEqual(a)
    expect(a.length).toBeGreaterThan(10)
  })

  it('gives agencies their own on-time share between 50 % and 97 %, and some returns and extensions', () => {
    const shares = Array.from({ length: 200 }, (_, i) => agencyProfile(SEED, `QN-A${i}`).onTime)
    expect(Math.min(...shares)).toBeGreaterThanOrEqual(0.5)
    expect(Math.max(...shares)).toBeLessThanOrEqual(0.97)
    expect(Math.max(...shares) - Math.min(...shares)).toBeGreaterThan(0.3)
    const p = agencyProfile(SEED, 'QN-DLQN')
    const fates = Array.from({ length: 2000 }, (_, i) => reportFate(SEED, String(i), p))
    const late = fates.filter((f) => f.resolveAt > 1).length / fates.length
    expect(late).toBeGreaterThan(1 - p.onTime - 0.05)
    expect(late).toBeLessThan(1 - p.onTime + 0.05)
    expect(fates.some((f) => f.returned)).toBe(true)
    expect(fates.some((f) => f.extension)).toBe(true)
    expect(fates.filter((f) => f.rated).length / fates.length).toBeGreaterThan(0.7)
  })
})
