import { describe, it, expect } from 'vitest'
import { latestColumns, readingColumns, type ReadingColumns } from '../../ingest/environment/index.ts'
import { isDataError } from '../../ingest/shared/writer.ts'

const T = Date.parse('2026-11-21T01:00:00Z')

/** Column arrays from rows, for readable fixtures. */
function columns(rows: [station: string, metric: string, ts: number, value: number][]): ReadingColumns {
  return { stationIds: rows.map((r) => r[0]), metrics: rows.map((r) => r[1]), ts: rows.map((r) => r[2]), values: rows.map((r) => r[3]) }
}

/** Rows from column arrays, sorted, so comparisons do not depend on output order. */
function rows(c: ReadingColumns): [string, string, number, number][] {
  return c.ts.map((ts, i) => [c.stationIds[i]!, c.metrics[i]!, ts, c.values[i]!] as [string, string, number, number]).sort()
}

describe('readingColumns', () => {
  it('flattens readings into one row per value', () => {
    const cols = readingColumns([
      { stationId: 'qn-01', ts: T, values: { pm25: 12, temp: 28 } },
      { stationId: 'qn-02', ts: T + 1000, values: { noise: 61 } },
    ])
    expect(cols).toEqual(
      columns([
        ['qn-01', 'pm25', T, 12],
        ['qn-01', 'temp', T, 28],
        ['qn-02', 'noise', T + 1000, 61],
      ]),
    )
  })

  it('gives empty columns for no readings', () => {
    expect(readingColumns([])).toEqual(columns([]))
  })
})

describe('latestColumns', () => {
  it.each([
    ['newest first', [['qn-01', 'pm25', T + 2000, 30], ['qn-01', 'pm25', T, 10], ['qn-01', 'pm25', T + 1000, 20]]],
    ['newest last', [['qn-01', 'pm25', T, 10], ['qn-01', 'pm25', T + 1000, 20], ['qn-01', 'pm25', T + 2000, 30]]],
  ] as [string, [string, string, number, number][]][])('keeps the newest value of a station metric with the %s', (_, input) => {
    expect(rows(latestColumns(columns(input)))).toEqual([['qn-01', 'pm25', T + 2000, 30]])
  })

  it('keeps one row per station and metric', () => {
    const input = columns([
      ['qn-01', 'pm25', T, 10],
      ['qn-02', 'pm25', T, 11],
      ['qn-01', 'pm10', T, 40],
      ['qn-01', 'pm25', T + 1000, 12],
    ])
    expect(rows(latestColumns(input))).toEqual([
      ['qn-01', 'pm10', T, 40],
      ['qn-01', 'pm25', T + 1000, 12],
      ['qn-02', 'pm25', T, 11],
    ])
  })

  it('keeps apart station and metric pairs whose names run together alike', () => {
    const input = columns([
      ['ab', 'c', T + 1000, 1],
      ['a', 'bc', T, 2],
    ])
    expect(rows(latestColumns(input))).toHaveLength(2)
  })
})

describe('isDataError', () => {
  it.each([
    ['22P02', 'invalid text representation'],
    ['22003', 'numeric value out of range'],
    ['23505', 'unique violation'],
    ['23503', 'foreign key violation'],
  ])('is true for SQLSTATE %s (%s)', (code) => {
    expect(isDataError(Object.assign(new Error('refused'), { code }))).toBe(true)
  })

  it.each([
    ['40001', 'serialization failure'],
    ['57P01', 'admin shutdown'],
    ['53300', 'too many connections'],
    ['ECONNREFUSED', 'a refused connection'],
  ])('is false for %s (%s)', (code) => {
    expect(isDataError(Object.assign(new Error('failed'), { code }))).toBe(false)
  })

  it('is false for an error without a code', () => {
    expect(isDataError(new Error('timeout exceeded when trying to connect'))).toBe(false)
  })

  it('is false for a numeric code', () => {
    expect(isDataError({ code: 22 })).toBe(false)
  })

  it.each([null, undefined, 'boom'])('is false for a thrown %j', (thrown) => {
    expect(isDataError(thrown)).toBe(false)
  })
})
