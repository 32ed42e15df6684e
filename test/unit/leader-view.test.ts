// The leader page's periods and URL state, pure: a preset is a whole month, quarter, half year or year; a
// hand-edited or broken link still means a valid view; a step of the drill-down clears what lies deeper.
import { describe, expect, it } from 'vitest'
import { periodLabel, presetPeriod, readPeriod, shiftPeriod, trendSpan, validSpan } from '../../client/src/dossiers/period.ts'
import { readRoute, routeSearch, stepTo, viewOf } from '../../client/src/dossiers/route.ts'

const TODAY = '2026-03-18'

describe('presetPeriod', () => {
  it.each([
    ['month', '2026-02-10', '2026-02-01', '2026-02-28'],
    ['month', '2028-02-10', '2028-02-01', '2028-02-29'],
    ['quarter', '2026-05-31', '2026-04-01', '2026-06-30'],
    ['half', '2026-06-30', '2026-01-01', '2026-06-30'],
    ['half', '2026-07-01', '2026-07-01', '2026-12-31'],
    ['year', '2026-03-18', '2026-01-01', '2026-12-31'],
  ] as const)('makes the %s holding %s run from %s to %s', (kind, day, from, to) => {
    expect(presetPeriod(kind, day)).toEqual({ kind, from, to })
  })
})

describe('shiftPeriod', () => {
  it('moves a month back across the new year', () => {
    expect(shiftPeriod(presetPeriod('month', '2026-01-15'), -1)).toEqual({ kind: 'month', from: '2025-12-01', to: '2025-12-31' })
  })

  it('moves a quarter forward into the next year', () => {
    expect(shiftPeriod(presetPeriod('quarter', '2026-11-02'), 1)).toEqual({ kind: 'quarter', from: '2027-01-01', to: '2027-03-31' })
  })

  it('moves a custom span by its own length', () => {
    expect(shiftPeriod({ kind: 'custom', from: '2026-03-01', to: '2026-03-10' }, 1)).toEqual({ kind: 'custom', from: '2026-03-11', to: '2026-03-20' })
  })
})

describe('readPeriod', () => {
  const read = (q: string) => readPeriod(new URLSearchParams(q), TODAY)

  it('defaults to the current month', () => {
    expect(read('')).toEqual({ kind: 'month', from: '2026-03-01', to: '2026-03-31' })
  })

  it('snaps a preset to the whole period holding its start', () => {
    expect(read('period=quarter&from=2026-05-17&to=2026-05-20')).toEqual({ kind: 'quarter', from: '2026-04-01', to: '2026-06-30' })
  })

  it('keeps a valid custom span as given', () => {
    expect(read('period=custom&from=2026-03-05&to=2026-03-09')).toEqual({ kind: 'custom', from: '2026-03-05', to: '2026-03-09' })
  })

  it.each(['period=custom&from=2026-03-09&to=2026-03-05', 'period=custom&from=2026-02-30&to=2026-03-05', 'period=custom&from=x&to=y', 'period=week'])(
    'falls back to the current month for %s',
    (q) => {
      expect(read(q)).toEqual({ kind: 'month', from: '2026-03-01', to: '2026-03-31' })
    },
  )

  it('refuses a span longer than the routes take', () => {
    expect(validSpan('2000-01-01', '2026-01-01')).toBe(false)
  })
})

describe('trendSpan', () => {
  it('shows the twelve months up to a one-month period', () => {
    expect(trendSpan(presetPeriod('month', '2026-03-01'))).toEqual({ from: '2025-04-01', to: '2026-03-31' })
  })

  it('shows all of a period longer than a year', () => {
    expect(trendSpan({ kind: 'custom', from: '2024-01-01', to: '2026-03-31' })).toEqual({ from: '2024-01-01', to: '2026-03-31' })
  })
})

describe('periodLabel', () => {
  it.each([
    [presetPeriod('month', '2026-03-01'), 'Tháng 3/2026', 'March 2026'],
    [presetPeriod('quarter', '2026-11-01'), 'Quý IV/2026', 'Q4 2026'],
    [presetPeriod('half', '2026-02-01'), '6 tháng đầu năm 2026', 'First half of 2026'],
    [presetPeriod('year', '2026-02-01'), 'Năm 2026', 'Year 2026'],
  ])('names %o in both languages', (p, vi, en) => {
    expect([periodLabel(p, 'vi'), periodLabel(p, 'en')]).toEqual([vi, en])
  })
})

describe('the route in the URL', () => {
  it('reads back what it writes', () => {
    const r = readRoute('?period=quarter&from=2026-01-01&to=2026-03-31&unit=QN-SXD&filter=overdue&procedure=1.004227&page=3&lang=en', TODAY)
    expect(r).toEqual({ period: { kind: 'quarter', from: '2026-01-01', to: '2026-03-31' }, unit: 'QN-SXD', procedure: '1.004227', filter: 'overdue', page: 3, dossier: null, lang: 'en' })
    expect(readRoute(routeSearch(r), TODAY)).toEqual(r)
  })

  it('drops what it cannot use rather than sending it', () => {
    const r = readRoute('?filter=lost&page=-2&unit=a%20b&lang=fr', TODAY)
    expect(r).toMatchObject({ filter: null, page: 1, unit: null, lang: 'vi' })
  })

  it('shows a timeline, a list or an overview by how deep the drill-down went', () => {
    const base = readRoute('', TODAY)
    expect(viewOf(base)).toBe('overview')
    expect(viewOf({ ...base, filter: 'late' })).toBe('list')
    expect(viewOf({ ...base, filter: 'late', dossier: 'D-1' })).toBe('timeline')
  })
})

describe('stepTo', () => {
  const deep = readRoute('?unit=QN-SXD&filter=late_or_overdue&procedure=P-1&page=2&dossier=D-1', TODAY)

  it('starts a new unit at its overview', () => {
    expect(stepTo(deep, { unit: 'QN-STP' })).toMatchObject({ unit: 'QN-STP', filter: null, procedure: null, page: 1, dossier: null })
  })

  it('opens another unit’s list in one step (a ranking row’s number)', () => {
    expect(stepTo(deep, { unit: 'QN-STP', filter: 'overdue' })).toMatchObject({ unit: 'QN-STP', filter: 'overdue', procedure: null, page: 1, dossier: null })
  })

  it('goes back from a timeline to its list, on the same page', () => {
    expect(stepTo(deep, { dossier: null })).toMatchObject({ filter: 'late_or_overdue', procedure: 'P-1', page: 2, dossier: null })
  })

  it('keeps the drill-down for a new period, from the list’s first page', () => {
    expect(stepTo(deep, { period: presetPeriod('month', '2026-01-01') })).toMatchObject({ unit: 'QN-SXD', filter: 'late_or_overdue', procedure: 'P-1', page: 1, dossier: null })
  })
})
