import { describe, it, expect } from 'vitest'
import {
  cameraPayload,
  envPayload,
  formatDuration,
  parseCameraPayload,
  parseEnvPayload,
  parseTimestamp,
  CAMERA_LIMITS,
  DEAD_LETTER_CODES,
  type IngestLimits,
  type Parsed,
} from '../../contract/index.ts'

/** Receive time: 2026-11-21 08:00 in Vietnam (UTC+7). */
const NOW = Date.parse('2026-11-21T01:00:00Z')
const DAY = 86_400_000
const LIMITS: IngestLimits = { maxPayloadBytes: 2048, maxAgeMs: 7 * DAY, maxFutureMs: 5 * 60_000 }

const bytes = (s: string) => new TextEncoder().encode(s)
const env = (body: unknown, limits: IngestLimits = LIMITS) =>
  parseEnvPayload('st-1', bytes(typeof body === 'string' ? body : JSON.stringify(body)), NOW, limits)
const camera = (body: unknown, limits: IngestLimits = LIMITS) =>
  parseCameraPayload('cam-1', bytes(typeof body === 'string' ? body : JSON.stringify(body)), NOW, limits)
const codes = (p: Parsed<unknown>) => p.problems.map((x) => x.code)

describe('parseTimestamp', () => {
  it('accepts ISO-8601 with a +07:00 offset', () => {
    expect(parseTimestamp('2026-11-21T08:00:00+07:00', 'ts', NOW, LIMITS)).toBe(NOW)
  })

  it('accepts ISO-8601 in UTC with Z', () => {
    expect(parseTimestamp('2026-11-21T01:00:00Z', 'ts', NOW, LIMITS)).toBe(NOW)
  })

  it('accepts a basic-format offset without a colon', () => {
    expect(parseTimestamp('2026-11-21T08:00:00+0700', 'ts', NOW, LIMITS)).toBe(NOW)
  })

  it('accepts fractional seconds', () => {
    expect(parseTimestamp('2026-11-21T00:59:59.250Z', 'ts', NOW, LIMITS)).toBe(NOW - 750)
  })

  it('rejects ISO-8601 without a zone as invalid_timestamp', () => {
    const r = parseTimestamp('2026-11-21T08:00:00', 'ts', NOW, LIMITS)
    expect(r).toMatchObject({ code: 'invalid_timestamp' })
    expect((r as { message: string }).message).toMatch(/^ts: .*with a zone/)
  })

  it('rejects a bare date as invalid_timestamp', () => {
    expect(parseTimestamp('2026-11-21', 'ts', NOW, LIMITS)).toMatchObject({ code: 'invalid_timestamp' })
  })

  it('rejects a free-text date as invalid_timestamp', () => {
    expect(parseTimestamp('Nov 21 2026 08:00 GMT+7', 'ts', NOW, LIMITS)).toMatchObject({ code: 'invalid_timestamp' })
  })

  it('rejects a month that does not exist', () => {
    expect(parseTimestamp('2026-13-01T08:00:00+07:00', 'ts', NOW, LIMITS)).toMatchObject({ code: 'invalid_timestamp' })
  })

  it('rejects a day that does not exist instead of rolling it into the next month', () => {
    const now = Date.parse('2026-03-02T01:00:00Z')
    expect(parseTimestamp('2026-02-30T08:00:00+07:00', 'ts', now, LIMITS)).toMatchObject({ code: 'invalid_timestamp' })
  })

  it('accepts 29 February in a leap year', () => {
    const now = Date.parse('2028-02-29T01:00:00Z')
    expect(parseTimestamp('2028-02-29T08:00:00+07:00', 'ts', now, LIMITS)).toBe(now)
  })

  it('accepts epoch milliseconds', () => {
    expect(parseTimestamp(NOW - 60_000, 'ts', NOW, LIMITS)).toBe(NOW - 60_000)
  })

  it('rounds fractional epoch milliseconds', () => {
    expect(parseTimestamp(NOW - 0.6, 'ts', NOW, LIMITS)).toBe(NOW - 1)
  })

  it('flags epoch seconds as too old with a hint to send milliseconds', () => {
    const r = parseTimestamp(Math.floor(NOW / 1000), 'ts', NOW, LIMITS)
    expect(r).toMatchObject({ code: 'timestamp_too_old' })
    expect((r as { message: string }).message).toContain('looks like epoch seconds')
  })

  it('gives no epoch-seconds hint for an old millisecond timestamp', () => {
    const r = parseTimestamp(NOW - 30 * DAY, 'ts', NOW, LIMITS)
    expect(r).toMatchObject({ code: 'timestamp_too_old' })
    expect((r as { message: string }).message).not.toContain('epoch seconds')
  })

  it('names the accepted age in the too-old message', () => {
    const r = parseTimestamp('2026-11-01T08:00:00+07:00', 'ts', NOW, LIMITS)
    expect(r).toEqual({ code: 'timestamp_too_old', message: 'ts: 2026-11-01T01:00:00.000Z is older than the accepted 7 d' })
  })

  it('accepts a timestamp exactly at the maximum age', () => {
    expect(parseTimestamp(NOW - 7 * DAY, 'ts', NOW, LIMITS)).toBe(NOW - 7 * DAY)
  })

  it('rejects a timestamp one millisecond past the maximum age', () => {
    expect(parseTimestamp(NOW - 7 * DAY - 1, 'ts', NOW, LIMITS)).toMatchObject({ code: 'timestamp_too_old' })
  })

  it('accepts a device clock running ahead by exactly the allowed skew', () => {
    expect(parseTimestamp(NOW + 5 * 60_000, 'ts', NOW, LIMITS)).toBe(NOW + 5 * 60_000)
  })

  it('rejects a timestamp further in the future than the allowed skew', () => {
    const r = parseTimestamp('2026-11-21T08:06:00+07:00', 'ts', NOW, LIMITS)
    expect(r).toEqual({
      code: 'timestamp_in_future',
      message: 'ts: 2026-11-21T01:06:00.000Z is more than 5 min ahead of the receive time',
    })
  })

  it('reports a missing timestamp as invalid_shape naming the field', () => {
    expect(parseTimestamp(undefined, 'dateObserved', NOW, LIMITS)).toMatchObject({
      code: 'invalid_shape',
      message: expect.stringMatching(/^dateObserved: missing/),
    })
  })

  it('reports a boolean timestamp as wrong_type', () => {
    expect(parseTimestamp(true, 'ts', NOW, LIMITS)).toMatchObject({ code: 'wrong_type', message: expect.stringContaining('a boolean') })
  })

  it('reports a null timestamp as wrong_type', () => {
    expect(parseTimestamp(null, 'ts', NOW, LIMITS)).toMatchObject({ code: 'wrong_type', message: expect.stringContaining('null') })
  })

  it('reports an infinite timestamp as non_finite', () => {
    expect(parseTimestamp(Infinity, 'ts', NOW, LIMITS)).toMatchObject({ code: 'non_finite' })
  })
})

describe('formatDuration', () => {
  it.each([
    [7 * DAY, '7 d'],
    [2 * 3_600_000, '2 h'],
    [5 * 60_000, '5 min'],
    [1500, '1.5 s'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})

describe('parseEnvPayload', () => {
  it('accepts a well-formed payload built by envPayload', () => {
    const r = env(envPayload('2026-11-21T08:00:00+07:00', { pm25: 35.2, pm10: 50, temp: 28.5 }))
    expect(r).toEqual({ value: { stationId: 'st-1', ts: NOW, values: { pm25: 35.2, pm10: 50, temp: 28.5 } }, problems: [] })
  })

  it('accepts epoch milliseconds in ts', () => {
    expect(env({ ts: NOW, values: { noise: 62 } }).value).toEqual({ stationId: 'st-1', ts: NOW, values: { noise: 62 } })
  })

  it('dead-letters a payload larger than the limit', () => {
    const body = envPayload(NOW, { pm25: 1 })
    const r = env(body, { ...LIMITS, maxPayloadBytes: body.length - 1 })
    expect(r.value).toBeNull()
    expect(codes(r)).toEqual(['payload_too_large'])
  })

  it('accepts a payload of exactly the limit', () => {
    const body = envPayload(NOW, { pm25: 1 })
    expect(env(body, { ...LIMITS, maxPayloadBytes: body.length }).problems).toEqual([])
  })

  it('measures the limit in bytes, not characters', () => {
    // 'ồ' is 3 bytes in UTF-8: 4 of them are 4 characters but 12 bytes
    const body = JSON.stringify({ ts: NOW, values: { pm25: 1 }, note: '\u1ed3'.repeat(4) })
    const r = env(body, { ...LIMITS, maxPayloadBytes: body.length + 2 })
    expect(codes(r)).toEqual(['payload_too_large'])
  })

  it('dead-letters text that is not JSON', () => {
    const r = env('pm25=35')
    expect(r.value).toBeNull()
    expect(codes(r)).toEqual(['invalid_json'])
  })

  it('dead-letters truncated JSON', () => {
    expect(codes(env('{"ts": 1795222800000, "values": {"pm25": 3'))).toEqual(['invalid_json'])
  })

  it('dead-letters a JSON array as invalid_shape', () => {
    expect(env([{ ts: NOW, values: { pm25: 1 } }]).problems).toEqual([
      { code: 'invalid_shape', message: 'payload: expected a JSON object, got an array' },
    ])
  })

  it('dead-letters JSON null as invalid_shape', () => {
    expect(codes(env('null'))).toEqual(['invalid_shape'])
  })

  it('dead-letters a message without ts', () => {
    expect(env({ values: { pm25: 1 } }).problems).toEqual([
      { code: 'invalid_shape', message: 'ts: missing (ISO-8601 string or epoch milliseconds)' },
    ])
  })

  it('dead-letters a message whose values is not an object', () => {
    const r = env({ ts: NOW, values: [35] })
    expect(r.value).toBeNull()
    expect(r.problems).toMatchObject([{ code: 'invalid_shape', message: expect.stringMatching(/^values: .*got an array/) }])
  })

  it('dead-letters a message without values', () => {
    expect(codes(env({ ts: NOW }))).toEqual(['invalid_shape'])
  })

  it('dead-letters a message with empty values', () => {
    const r = env({ ts: NOW, values: {} })
    expect(r.value).toBeNull()
    expect(r.problems).toEqual([{ code: 'invalid_shape', message: 'values: empty, nothing to store' }])
  })

  it('dead-letters the whole message when ts is bad, good values included', () => {
    const r = env({ ts: '21/11/2026 08:00', values: { pm25: 35 } })
    expect(r.value).toBeNull()
    expect(codes(r)).toEqual(['invalid_timestamp'])
  })

  it('dead-letters a ts too far in the future', () => {
    expect(codes(env({ ts: NOW + DAY, values: { pm25: 35 } }))).toEqual(['timestamp_in_future'])
  })

  it('dead-letters a ts sent in epoch seconds with the hint', () => {
    const r = env({ ts: Math.floor(NOW / 1000), values: { pm25: 35 } })
    expect(codes(r)).toEqual(['timestamp_too_old'])
    expect(r.problems[0]?.message).toContain('send milliseconds')
  })

  it('dead-letters an infinite ts written as 1e400', () => {
    expect(codes(env('{"ts": 1e400, "values": {"pm25": 1}}'))).toEqual(['non_finite'])
  })

  it('dead-letters a value sent as a string', () => {
    expect(env({ ts: NOW, values: { pm25: '35.2' } }).problems).toEqual([
      { code: 'wrong_type', message: "values.pm25: expected a number, got a string ('35.2')" },
    ])
  })

  it('dead-letters a null value as wrong_type', () => {
    expect(codes(env({ ts: NOW, values: { pm25: null } }))).toEqual(['wrong_type'])
  })

  it('dead-letters a value of 1e400 as non_finite', () => {
    const r = env(`{"ts": ${NOW}, "values": {"pm25": 1e400}}`)
    expect(r.value).toBeNull()
    expect(r.problems).toEqual([{ code: 'non_finite', message: 'values.pm25: not a finite number' }])
  })

  it('dead-letters a value outside the physical range', () => {
    expect(env({ ts: NOW, values: { humidity: 101 } }).problems).toEqual([
      { code: 'out_of_range', message: 'values.humidity: 101 is outside the physical range 0–100 %' },
    ])
  })

  it('dead-letters a negative concentration', () => {
    expect(codes(env({ ts: NOW, values: { pm25: -1 } }))).toEqual(['out_of_range'])
  })

  it('accepts values exactly at the ends of the physical range', () => {
    const r = env({ ts: NOW, values: { humidity: 100, temp: -40, ph: 0 } })
    expect(r).toEqual({ value: { stationId: 'st-1', ts: NOW, values: { humidity: 100, temp: -40, ph: 0 } }, problems: [] })
  })

  it('dead-letters an unknown metric', () => {
    expect(env({ ts: NOW, values: { pm2_5: 35 } }).problems).toEqual([
      { code: 'unknown_metric', message: "values.pm2_5: 'pm2_5' is not a known metric" },
    ])
  })

  it('does not take an inherited property name for a metric', () => {
    expect(codes(env(`{"ts": ${NOW}, "values": {"__proto__": 1, "toString": 2}}`))).toEqual(['unknown_metric', 'unknown_metric'])
  })

  it('keeps the good values of a partly bad message and reports each bad one', () => {
    const r = env({ ts: NOW, values: { pm25: 35, pm10: 'n/a', humidity: 140, benzene: 2, o3: 80 } })
    expect(r.value).toEqual({ stationId: 'st-1', ts: NOW, values: { pm25: 35, o3: 80 } })
    expect(codes(r)).toEqual(['wrong_type', 'out_of_range', 'unknown_metric'])
  })

  it('stores nothing when every value is bad but reports each one', () => {
    const r = env({ ts: NOW, values: { pm25: -5, pm10: 'x' } })
    expect(r.value).toBeNull()
    expect(codes(r)).toEqual(['out_of_range', 'wrong_type'])
  })
})

describe('parseEnvPayload with FIWARE AirQualityObserved', () => {
  const DATE = '2026-11-21T08:00:00+07:00'

  it('reads the key-values shape', () => {
    const r = env({
      id: 'urn:ngsi-ld:AirQualityObserved:st-1',
      type: 'AirQualityObserved',
      dateObserved: DATE,
      location: { type: 'Point', coordinates: [107.08, 20.95] },
      pm25: 35.2,
      pm10: 50,
      no2: 40,
      temperature: 28.5,
      atmosphericPressure: 1012,
      windSpeed: 3.2,
      windDirection: 180,
      precipitation: 0,
    })
    expect(r).toEqual({
      value: {
        stationId: 'st-1',
        ts: NOW,
        values: { pm25: 35.2, pm10: 50, no2: 40, temp: 28.5, pressure: 1012, wind_speed: 3.2, wind_dir: 180, rain: 0 },
      },
      problems: [],
    })
  })

  it('turns a relativeHumidity ratio into a percentage', () => {
    const r = env({ type: 'AirQualityObserved', dateObserved: DATE, relativeHumidity: 0.65 })
    expect(r.value?.values.humidity).toBeCloseTo(65, 9)
  })

  it('dead-letters a relativeHumidity already sent as a percentage, since ×100 leaves the range', () => {
    const r = env({ type: 'AirQualityObserved', dateObserved: DATE, relativeHumidity: 65, pm25: 10 })
    expect(r.value?.values).toEqual({ pm25: 10 })
    expect(r.problems).toMatchObject([{ code: 'out_of_range', message: expect.stringMatching(/^relativeHumidity: 6500 /) }])
  })

  it('reads the NGSI-v2 normalized shape', () => {
    const r = env({
      id: 'st-1',
      type: 'AirQualityObserved',
      dateObserved: { type: 'DateTime', value: DATE },
      pm25: { type: 'Number', value: 35.2, metadata: { unitCode: { type: 'Text', value: 'GQ' } } },
      temperature: { type: 'Number', value: 28.5 },
      location: { type: 'geo:json', value: { type: 'Point', coordinates: [107.08, 20.95] } },
    })
    expect(r).toEqual({ value: { stationId: 'st-1', ts: NOW, values: { pm25: 35.2, temp: 28.5 } }, problems: [] })
  })

  it('converts an NGSI-v2 value in mg/m³ (metadata unitCode GP) to µg/m³', () => {
    const r = env({
      type: 'AirQualityObserved',
      dateObserved: { type: 'DateTime', value: DATE },
      co: { type: 'Number', value: 1.2, metadata: { unitCode: { value: 'GP' } } },
    })
    expect(r.value?.values).toEqual({ co: 1200 })
  })

  it('reads the NGSI-LD normalized shape with a DateTime-typed dateObserved', () => {
    const r = env({
      '@context': ['https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld'],
      id: 'urn:ngsi-ld:AirQualityObserved:st-1',
      type: 'AirQualityObserved',
      dateObserved: { type: 'Property', value: { '@type': 'DateTime', '@value': DATE } },
      pm25: { type: 'Property', value: 35.2, unitCode: 'GQ', observedAt: '2026-11-21T01:00:00Z' },
      temperature: { type: 'Property', value: 28.5, unitCode: 'CEL' },
      relativeHumidity: { type: 'Property', value: 0.5 },
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [107.08, 20.95] } },
    })
    expect(r).toEqual({ value: { stationId: 'st-1', ts: NOW, values: { pm25: 35.2, temp: 28.5, humidity: 50 } }, problems: [] })
  })

  it('reads a bare {"@type": "DateTime", "@value"} dateObserved', () => {
    const r = env({ type: 'AirQualityObserved', dateObserved: { '@type': 'DateTime', '@value': DATE }, pm10: 20 })
    expect(r.value).toEqual({ stationId: 'st-1', ts: NOW, values: { pm10: 20 } })
  })

  it('converts an NGSI-LD value in mg/m³ (unitCode GP) to µg/m³', () => {
    const r = env({ type: 'AirQualityObserved', dateObserved: DATE, co: { type: 'Property', value: 0.8, unitCode: 'GP' } })
    expect(r.value?.values).toEqual({ co: 800 })
  })

  it('keeps a relativeHumidity given in percent (unitCode P1) as it is', () => {
    const r = env({ type: 'AirQualityObserved', dateObserved: DATE, relativeHumidity: { type: 'Property', value: 65, unitCode: 'P1' } })
    expect(r.value?.values).toEqual({ humidity: 65 })
  })

  it('reports an unsupported unitCode and keeps the other attributes', () => {
    const r = env({
      type: 'AirQualityObserved',
      dateObserved: DATE,
      pm25: { type: 'Property', value: 35, unitCode: 'GQ' },
      temperature: { type: 'Property', value: 82, unitCode: 'FAH' },
    })
    expect(r.value?.values).toEqual({ pm25: 35 })
    expect(r.problems).toMatchObject([{ code: 'unsupported_unit', message: expect.stringMatching(/^temperature: unitCode 'FAH'/) }])
  })

  it('reports a pollutant in ppm (unitCode 59) as unsupported rather than storing it as µg/m³', () => {
    const r = env({ type: 'AirQualityObserved', dateObserved: DATE, no2: { type: 'Number', value: 0.05, metadata: { unitCode: { value: '59' } } } })
    expect(r.value).toBeNull()
    expect(codes(r)).toEqual(['unsupported_unit'])
  })

  it('ignores metadata attributes', () => {
    const r = env({
      id: 'st-1',
      type: 'AirQualityObserved',
      dateObserved: DATE,
      dateCreated: '2026-01-01T00:00:00Z',
      name: 'Trạm Hạ Long',
      address: { addressLocality: 'Hạ Long', addressCountry: 'VN' },
      source: 'http://example.org',
      airQualityIndex: 65,
      airQualityLevel: 'moderate',
      reliability: 0.7,
      refDevice: 'urn:ngsi-ld:Device:1',
      pm25: 35,
    })
    expect(r).toEqual({ value: { stationId: 'st-1', ts: NOW, values: { pm25: 35 } }, problems: [] })
  })

  it('skips unknown non-numeric attributes silently', () => {
    const r = env({
      type: 'AirQualityObserved',
      dateObserved: DATE,
      coLevel: 'moderate',
      refStation: { type: 'Relationship', object: 'urn:ngsi-ld:Station:1' },
      pm25: 35,
    })
    expect(r.problems).toEqual([])
  })

  it('reports an unknown numeric attribute as unknown_metric', () => {
    const r = env({ type: 'AirQualityObserved', dateObserved: DATE, pm25: 35, nox: 139 })
    expect(r.value?.values).toEqual({ pm25: 35 })
    expect(r.problems).toEqual([{ code: 'unknown_metric', message: 'nox: not a supported AirQualityObserved attribute' }])
  })

  it('reports an unknown numeric attribute in the normalized shape', () => {
    const r = env({ type: 'AirQualityObserved', dateObserved: DATE, pm25: 35, nh3: { type: 'Property', value: 4 } })
    expect(codes(r)).toEqual(['unknown_metric'])
  })

  it('dead-letters a known attribute whose value is not a number', () => {
    const r = env({ type: 'AirQualityObserved', dateObserved: DATE, pm25: { type: 'Property', value: 'high' } })
    expect(r.value).toBeNull()
    expect(r.problems).toMatchObject([{ code: 'wrong_type', message: expect.stringMatching(/^pm25: /) }])
  })

  it('dead-letters an entity without dateObserved', () => {
    const r = env({ type: 'AirQualityObserved', pm25: 35 })
    expect(r.value).toBeNull()
    expect(r.problems).toMatchObject([{ code: 'invalid_shape', message: expect.stringMatching(/^dateObserved: missing/) }])
  })

  it('reads a dateObserved without a zone as UTC, as NGSI-v2 DateTime values are', () => {
    const r = env({ type: 'AirQualityObserved', dateObserved: '2026-11-21T01:00:00', pm25: 35 })
    expect(r.value?.ts).toBe(Date.parse('2026-11-21T01:00:00Z'))
    expect(r.problems).toEqual([])
  })

  it('takes no inherited property name for an attribute or a unitCode', () => {
    // these used to throw (toString, valueOf) or read as other problems (constructor)
    const r = env({ type: 'AirQualityObserved', dateObserved: DATE, pm25: 10, toString: 5, valueOf: 'x', constructor: { type: 'Property', value: 2, unitCode: 'GQ' } })
    expect(r.value?.values).toEqual({ pm25: 10 })
    expect(r.problems).toEqual([
      { code: 'unknown_metric', message: 'toString: not a supported AirQualityObserved attribute' },
      { code: 'unknown_metric', message: 'constructor: not a supported AirQualityObserved attribute' },
    ])
    expect(env({ type: 'AirQualityObserved', dateObserved: DATE, pm25: { type: 'Property', value: 10, unitCode: 'toString' } }).problems).toMatchObject([
      { code: 'unsupported_unit', message: expect.stringMatching(/^pm25: unitCode 'toString'/) },
    ])
  })

  it('dead-letters an entity with no measurement attribute', () => {
    const r = env({ id: 'st-1', type: 'AirQualityObserved', dateObserved: DATE, name: 'Trạm 1' })
    expect(r).toEqual({ value: null, problems: [{ code: 'invalid_shape', message: 'AirQualityObserved: no measurement attribute to store' }] })
  })
})

describe('parseCameraPayload', () => {
  it('accepts a well-formed payload built by cameraPayload', () => {
    const r = camera(cameraPayload('2026-11-21T08:00:00+07:00', 60, { person: 12, car: 3 }, 41))
    expect(r).toEqual({ value: { cameraId: 'cam-1', ts: NOW, periodSec: 60, counts: { person: 12, car: 3 }, inside: 41 }, problems: [] })
  })

  it('reads a missing inside as null', () => {
    expect(camera(cameraPayload(NOW, 60, { car: 3 })).value?.inside).toBeNull()
  })

  it('reads inside: null as null', () => {
    expect(camera({ ts: NOW, periodSec: 60, counts: { car: 3 }, inside: null }).value?.inside).toBeNull()
  })

  it('accepts an occupancy report without counts', () => {
    expect(camera({ ts: NOW, periodSec: 60, inside: 17 })).toEqual({
      value: { cameraId: 'cam-1', ts: NOW, periodSec: 60, counts: {}, inside: 17 },
      problems: [],
    })
  })

  it('accepts zero counts', () => {
    expect(camera({ ts: NOW, periodSec: 60, counts: { person: 0 } }).value?.counts).toEqual({ person: 0 })
  })

  it('dead-letters a payload larger than the limit', () => {
    const body = cameraPayload(NOW, 60, { car: 3 })
    expect(codes(camera(body, { ...LIMITS, maxPayloadBytes: body.length - 1 }))).toEqual(['payload_too_large'])
  })

  it('dead-letters text that is not JSON', () => {
    expect(codes(camera('<xml/>'))).toEqual(['invalid_json'])
  })

  it('dead-letters a JSON value that is not an object', () => {
    expect(codes(camera('42'))).toEqual(['invalid_shape'])
  })

  it('dead-letters a timestamp older than the accepted age', () => {
    expect(codes(camera({ ts: NOW - 8 * DAY, periodSec: 60, counts: { car: 1 } }))).toEqual(['timestamp_too_old'])
  })

  it('dead-letters a message without periodSec', () => {
    const r = camera({ ts: NOW, counts: { car: 3 } })
    expect(r.value).toBeNull()
    expect(r.problems).toEqual([{ code: 'invalid_shape', message: 'periodSec: expected an integer 1–3600, got nothing' }])
  })

  it('dead-letters a periodSec sent as a string', () => {
    expect(codes(camera({ ts: NOW, periodSec: '60', counts: { car: 3 } }))).toEqual(['wrong_type'])
  })

  it('dead-letters a periodSec of zero', () => {
    expect(codes(camera({ ts: NOW, periodSec: 0, counts: { car: 3 } }))).toEqual(['out_of_range'])
  })

  it('dead-letters a periodSec longer than an hour', () => {
    expect(codes(camera({ ts: NOW, periodSec: 3601, counts: { car: 3 } }))).toEqual(['out_of_range'])
  })

  it('dead-letters a fractional periodSec', () => {
    expect(codes(camera({ ts: NOW, periodSec: 59.5, counts: { car: 3 } }))).toEqual(['out_of_range'])
  })

  it('accepts periodSec at both limits', () => {
    expect(camera({ ts: NOW, periodSec: CAMERA_LIMITS.minPeriodSec, counts: { car: 1 } }).problems).toEqual([])
    expect(camera({ ts: NOW, periodSec: CAMERA_LIMITS.maxPeriodSec, counts: { car: 1 } }).problems).toEqual([])
  })

  it('dead-letters a negative count', () => {
    const r = camera({ ts: NOW, periodSec: 60, counts: { car: -1 } })
    expect(r.value).toBeNull()
    expect(r.problems).toEqual([{ code: 'out_of_range', message: 'counts.car: -1 is not a whole number 0–100000' }])
  })

  it('dead-letters a fractional count', () => {
    expect(codes(camera({ ts: NOW, periodSec: 60, counts: { person: 2.5 } }))).toEqual(['out_of_range'])
  })

  it('dead-letters a count above the counter limit', () => {
    expect(codes(camera({ ts: NOW, periodSec: 60, counts: { person: CAMERA_LIMITS.maxCount + 1 } }))).toEqual(['out_of_range'])
  })

  it('accepts a count exactly at the counter limit', () => {
    expect(camera({ ts: NOW, periodSec: 60, counts: { person: CAMERA_LIMITS.maxCount } }).problems).toEqual([])
  })

  it('dead-letters a count sent as a string', () => {
    expect(camera({ ts: NOW, periodSec: 60, counts: { car: '3' } }).problems).toEqual([
      { code: 'wrong_type', message: "counts.car: expected a whole number, got a string ('3')" },
    ])
  })

  it('dead-letters a count of 1e400 as non_finite', () => {
    expect(codes(camera(`{"ts": ${NOW}, "periodSec": 60, "counts": {"car": 1e400}}`))).toEqual(['non_finite'])
  })

  it('reports an unknown class and keeps the known counts', () => {
    const r = camera({ ts: NOW, periodSec: 60, counts: { car: 3, dog: 1 } })
    expect(r.value?.counts).toEqual({ car: 3 })
    expect(r.problems).toMatchObject([{ code: 'unknown_metric', message: expect.stringMatching(/^counts\.dog: not a counted class/) }])
  })

  it('reports counts that are not an object and still stores inside', () => {
    const r = camera({ ts: NOW, periodSec: 60, counts: [3, 1], inside: 12 })
    expect(r.value).toEqual({ cameraId: 'cam-1', ts: NOW, periodSec: 60, counts: {}, inside: 12 })
    expect(codes(r)).toEqual(['invalid_shape'])
  })

  it('reports a negative inside and keeps the counts', () => {
    const r = camera({ ts: NOW, periodSec: 60, counts: { person: 4 }, inside: -2 })
    expect(r.value).toEqual({ cameraId: 'cam-1', ts: NOW, periodSec: 60, counts: { person: 4 }, inside: null })
    expect(r.problems).toMatchObject([{ code: 'out_of_range', message: expect.stringMatching(/^inside: /) }])
  })

  it('dead-letters a message with neither counts nor inside', () => {
    expect(camera({ ts: NOW, periodSec: 60 })).toEqual({
      value: null,
      problems: [{ code: 'invalid_shape', message: 'counts: empty and no inside, nothing to store' }],
    })
  })
})

describe('DEAD_LETTER_CODES', () => {
  it('lists every code the pure parsers produce', () => {
    const produced = [
      'payload_too_large',
      'invalid_json',
      'invalid_shape',
      'invalid_timestamp',
      'timestamp_too_old',
      'timestamp_in_future',
      'wrong_type',
      'non_finite',
      'out_of_range',
      'unknown_metric',
      'unsupported_unit',
    ]
    expect(DEAD_LETTER_CODES).toEqual(expect.arrayContaining(produced))
  })
})
