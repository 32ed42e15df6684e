// How a period is cut for the aggregates: whole months from the monthly rollups, the rest day by day. A day
// read twice or missed would miscount every KPI, so each shape of period is checked to cover its days exactly once.
import { describe, expect, it } from 'vitest'
import { dateOfDayNumber, dayNumberOf, periodParts } from '../../contract/index.ts'

function daysCovered(from: string, to: string): string[] {
  const p = periodParts(from, to)
  const out: string[] = []
  for (const [a, b] of p.days) for (let d = dayNumberOf(a); d <= dayNumberOf(b); d++) out.push(dateOfDayNumber(d))
  if (p.months) {
    for (let d = dayNumberOf(p.months[0]); ; d++) {
      const day = dateOfDayNumber(d)
      if (day.slice(0, 7) > p.months[1].slice(0, 7)) break
      out.push(day)
    }
  }
  return out.sort()
}

function everyDay(from: string, to: string): string[] {
  const out: string[] = []
  for (let d = dayNumberOf(from); d <= dayNumberOf(to); d++) out.push(dateOfDayNumber(d))
  return out
}

describe('cutting a period into whole months and days', () => {
  it('reads a calendar month as one month and no days', () => {
    expect(periodParts('2026-03-01', '2026-03-31')).toEqual({ months: ['2026-03-01', '2026-03-01'], days: [] })
  })

  it('reads a year as twelve months', () => {
    expect(periodParts('2026-01-01', '2026-12-31')).toEqual({ months: ['2026-01-01', '2026-12-01'], days: [] })
  })

  it('reads a period inside one month day by day', () => {
    expect(periodParts('2026-03-05', '2026-03-20')).toEqual({ months: null, days: [['2026-03-05', '2026-03-20']] })
    expect(periodParts('2026-03-01', '2026-03-30')).toEqual({ months: null, days: [['2026-03-01', '2026-03-30']] })
  })

  it('reads partial months at both ends as days around the whole months', () => {
    expect(periodParts('2026-02-15', '2026-05-10')).toEqual({
      months: ['2026-03-01', '2026-04-01'],
      days: [
        ['2026-02-15', '2026-02-28'],
        ['2026-05-01', '2026-05-10'],
      ],
    })
  })

  it('reads two partial neighbouring months as days', () => {
    expect(periodParts('2026-02-15', '2026-03-10')).toEqual({ months: null, days: [['2026-02-15', '2026-03-10']] })
  })

  it('knows the end of February in a leap year and across a year end', () => {
    expect(periodParts('2028-02-01', '2028-02-29')).toEqual({ months: ['2028-02-01', '2028-02-01'], days: [] })
    expect(periodParts('2026-12-10', '2027-01-31')).toEqual({ months: ['2027-01-01', '2027-01-01'], days: [['2026-12-10', '2026-12-31']] })
  })

  it('reads nothing for an empty period', () => {
    expect(periodParts('2026-03-02', '2026-03-01')).toEqual({ months: null, days: [] })
  })

  it('covers every day of any period exactly once', () => {
    const starts = ['2025-12-31', '2026-01-01', '2026-01-15', '2026-02-28', '2026-03-01']
    const ends = ['2026-01-01', '2026-01-31', '2026-02-27', '2026-02-28', '2026-06-30', '2027-01-01', '2027-03-15']
    for (const from of starts) for (const to of ends) expect(daysCovered(from, to), `${from}..${to}`).toEqual(everyDay(from, to))
  })
})
