import { describe, it, expect } from 'vitest'
import {
  cameraMetricUnit,
  isCameraSeriesMetric,
  isStationMetric,
  parseDeadLetterQuery,
  parseInstant,
  parseSeriesQuery,
  stationMetricHint,
  stationMetricUnit,
} from '../../contract/index.ts'

const NOW = Date.parse('2026-11-21T01:00:00Z')
const DAY = 86_400_000
const FIVE_MIN = 300_000

const stationQuery = (q: Record<string, unknown>) => parseSeriesQuery(q, NOW, isStationMetric, stationMetricHint)
const cameraQuery = (q: Record<string, unknown>) => parseSeriesQuery(q, NOW, isCameraSeriesMetric, 'person, car, vehicles, inside')
/** A query for pm25 ending now and starting `rangeMs` earlier. */
const range = (rangeMs: number, extra: Record<string, unknown> = {}) =>
  stationQuery({ metric: 'pm25', from: String(NOW - rangeMs), to: String(NOW), ...extra })

describe('parseInstant', () => {
  it('reads epoch milliseconds', () => {
    expect(parseInstant(String(NOW), 'from')).toBe(NOW)
  })

  it('reads ISO-8601 with a zone', () => {
    expect(parseInstant('2026-11-21T08:00:00+07:00', 'from')).toBe(NOW)
  })

  it('rejects an empty string naming the field', () => {
    expect(parseInstant('', 'before')).toMatchObject({ code: 'bad_request', field: 'before' })
  })

  it('rejects text that is not a time', () => {
    expect(parseInstant('yesterday', 'to')).toEqual({
      code: 'bad_request',
      field: 'to',
      message: "to: 'yesterday' is not an ISO-8601 time with a zone (2026-11-21T08:00:00+07:00) or epoch milliseconds",
    })
  })

  it('rejects a time without a zone, which would be read in the server zone', () => {
    expect(parseInstant('2026-11-21T08:00:00', 'from')).toMatchObject({ code: 'bad_request', field: 'from' })
  })
})

describe('parseSeriesQuery', () => {
  it('requires a metric', () => {
    expect(stationQuery({})).toEqual({
      code: 'bad_request',
      field: 'metric',
      message: `metric: required; one of ${stationMetricHint}`,
    })
  })

  it('treats an empty metric as missing', () => {
    expect(stationQuery({ metric: '' })).toMatchObject({ field: 'metric', message: expect.stringContaining('required') })
  })

  it('rejects an unknown metric naming it', () => {
    expect(stationQuery({ metric: 'pm2_5' })).toMatchObject({
      code: 'bad_request',
      field: 'metric',
      message: expect.stringContaining("'pm2_5' is not one of"),
    })
  })

  it('rejects a metric given twice (an array)', () => {
    expect(stationQuery({ metric: ['pm25', 'pm10'] })).toMatchObject({ field: 'metric' })
  })

  it('defaults to the last 24 hours in 5-minute buckets', () => {
    expect(stationQuery({ metric: 'pm25' })).toEqual({ metric: 'pm25', from: NOW - DAY, to: NOW, bucket: '5m' })
  })

  it('ends at now when only from is given', () => {
    expect(stationQuery({ metric: 'pm25', from: String(NOW - 3_600_000) })).toMatchObject({ from: NOW - 3_600_000, to: NOW })
  })

  it('starts 24 hours before to when only to is given', () => {
    const to = NOW - 7 * DAY
    expect(stationQuery({ metric: 'pm25', to: String(to) })).toMatchObject({ from: to - DAY, to })
  })

  it('reads ISO-8601 from and to', () => {
    const r = stationQuery({ metric: 'o3', from: '2026-11-20T08:00:00+07:00', to: '2026-11-21T08:00:00+07:00' })
    expect(r).toEqual({ metric: 'o3', from: NOW - DAY, to: NOW, bucket: '5m' })
  })

  it('rejects a bad from naming the field', () => {
    expect(stationQuery({ metric: 'pm25', from: 'last week' })).toMatchObject({ code: 'bad_request', field: 'from' })
  })

  it('rejects a bad to naming the field', () => {
    expect(stationQuery({ metric: 'pm25', to: 'now' })).toMatchObject({ code: 'bad_request', field: 'to' })
  })

  it('rejects a to given twice (an array)', () => {
    expect(stationQuery({ metric: 'pm25', to: [String(NOW), String(NOW)] })).toMatchObject({ field: 'to' })
  })

  it('rejects from equal to to', () => {
    expect(stationQuery({ metric: 'pm25', from: String(NOW), to: String(NOW) })).toEqual({
      code: 'bad_request',
      field: 'from',
      message: 'from: must be earlier than to',
    })
  })

  it('rejects from after to', () => {
    expect(stationQuery({ metric: 'pm25', from: String(NOW + 1), to: String(NOW) })).toMatchObject({ field: 'from' })
  })

  it('chooses 5-minute buckets for up to two days', () => {
    expect(range(2 * DAY)).toMatchObject({ bucket: '5m' })
  })

  it('chooses hourly buckets just over two days', () => {
    expect(range(2 * DAY + 1)).toMatchObject({ bucket: '1h' })
  })

  it('chooses hourly buckets for up to 90 days', () => {
    expect(range(90 * DAY)).toMatchObject({ bucket: '1h' })
  })

  it('chooses daily buckets beyond 90 days', () => {
    expect(range(90 * DAY + 1)).toMatchObject({ bucket: '1d' })
  })

  it('treats bucket=auto like no bucket', () => {
    expect(range(DAY, { bucket: 'auto' })).toMatchObject({ bucket: '5m' })
  })

  it('treats an empty bucket like no bucket', () => {
    expect(range(30 * DAY, { bucket: '' })).toMatchObject({ bucket: '1h' })
  })

  it('honours an explicit bucket', () => {
    expect(range(DAY, { bucket: '1h' })).toMatchObject({ bucket: '1h' })
  })

  it('rejects an unknown bucket naming the field', () => {
    expect(range(DAY, { bucket: '10m' })).toEqual({
      code: 'bad_request',
      field: 'bucket',
      message: 'bucket: expected one of raw, 5m, 1h, 1d or auto',
    })
  })

  it('allows raw readings over two days', () => {
    expect(range(2 * DAY, { bucket: 'raw' })).toMatchObject({ bucket: 'raw' })
  })

  it('rejects raw readings over more than two days', () => {
    expect(range(2 * DAY + 1, { bucket: 'raw' })).toMatchObject({
      code: 'bad_request',
      field: 'bucket',
      message: expect.stringContaining('at most 2 days'),
    })
  })

  it('allows exactly 4000 points', () => {
    expect(range(4000 * FIVE_MIN, { bucket: '5m' })).toMatchObject({ bucket: '5m' })
  })

  it('rejects a bucket that would give more than 4000 points', () => {
    expect(range(4000 * FIVE_MIN + 1, { bucket: '5m' })).toEqual({
      code: 'bad_request',
      field: 'bucket',
      message: 'bucket: 5m over this range gives 4001 points (max 4000); use a coarser bucket or a shorter range',
    })
  })

  it('rejects a range too long even for daily buckets', () => {
    expect(range(4001 * DAY)).toMatchObject({ field: 'bucket', message: expect.stringContaining('1d over this range gives 4001 points') })
  })

  it('accepts the camera series metrics', () => {
    for (const metric of ['person', 'car', 'vehicles', 'inside']) expect(cameraQuery({ metric })).toMatchObject({ metric })
  })

  it('rejects a station metric as a camera series', () => {
    expect(cameraQuery({ metric: 'pm25' })).toMatchObject({ field: 'metric' })
  })
})

describe('the unit of a series', () => {
  it('gives a station metric its catalogue unit', () => {
    expect(stationMetricUnit('pm25')).toBe('µg/m³')
  })

  it('counts occupancy in people', () => {
    expect(cameraMetricUnit('inside')).toBe('people')
  })

  it('gives counted classes a plain count', () => {
    expect(cameraMetricUnit('vehicles')).toBe('count')
  })
})

describe('parseDeadLetterQuery', () => {
  it('defaults to the latest 100 of any code', () => {
    expect(parseDeadLetterQuery({})).toEqual({ limit: 100, before: null, code: null })
  })

  it('reads limit, before and code', () => {
    expect(parseDeadLetterQuery({ limit: '20', before: '1234', code: 'out_of_range' })).toEqual({
      limit: 20,
      before: 1234,
      code: 'out_of_range',
    })
  })

  it('accepts limits 1 and 1000', () => {
    expect(parseDeadLetterQuery({ limit: '1' })).toMatchObject({ limit: 1 })
    expect(parseDeadLetterQuery({ limit: '1000' })).toMatchObject({ limit: 1000 })
  })

  it.each(['0', '1001', '2.5', 'ten', ''])('rejects limit %j naming the field', (limit) => {
    expect(parseDeadLetterQuery({ limit })).toEqual({ code: 'bad_request', field: 'limit', message: 'limit: expected an integer 1–1000' })
  })

  it('rejects a before that is not a dead-letter id', () => {
    expect(parseDeadLetterQuery({ before: 'soon' })).toMatchObject({ code: 'bad_request', field: 'before' })
  })

  it('rejects an unknown code naming the field', () => {
    expect(parseDeadLetterQuery({ code: 'bad_json' })).toMatchObject({
      code: 'bad_request',
      field: 'code',
      message: expect.stringContaining('invalid_json'),
    })
  })
})
