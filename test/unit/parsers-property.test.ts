// Property-based: anything a broker can deliver, on any topic, ends as a value or a problem, never as an
// exception (a throw in ingest used to crash it, and the broker then redelivered the same message at every
// restart). Arbitrary bytes, arbitrary JSON, and JSON shaped like the real payloads with hostile values
// (1e308, -1e308, 9e15, NaN-ish strings, impossible dates) go through every parser ingest and the servers use.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  CAMERA_CLASSES,
  METRICS,
  isRepresentableTime,
  parseCameraPayload,
  parseEnvPayload,
  parseIngestHeartbeat,
  parseLiveCameraBatch,
  parseLiveEnvBatch,
  topicMap,
  type IngestLimits,
} from '../../contract/index.ts'
import { toEntry } from '../../ingest/shared/entries.ts'
import { routingOf } from '../helpers/routing.ts'
import { CameraStates } from '../../server/cameras/state.ts'
import { StationStates } from '../../server/environment/state.ts'

const NOW = Date.parse('2026-11-21T01:00:00Z')
const LIMITS: IngestLimits = { maxPayloadBytes: 65_536, maxAgeMs: 7 * 86_400_000, maxFutureMs: 5 * 60_000 }
const topics = topicMap('ioc/v1')
const known = routingOf({ environment: () => true, cameras: () => true })
const RUNS = { numRuns: 400 }
const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v))

/** Times as devices (and attackers) send them. */
const hostileTime = fc.oneof(
  fc.constantFrom(1e308, -1e308, 9e15, -9e15, 8.64e15, 8.64e15 + 1, 0, -0, 1e16, Number.MAX_SAFE_INTEGER, 1.5, NOW),
  fc.double(),
  fc.integer(),
  fc.constantFrom('2026-02-30T00:00:00Z', '2026-11-21T08:00:00+07:00', '+275760-09-13T00:00:00Z', '9999-12-31T23:59:59Z', '', 'now', '2026-11-21T08:00:00'),
  fc.string(),
  fc.constant(null),
)
const hostileNumber = fc.oneof(fc.double(), fc.constantFrom(1e308, -1e308, -0, 0.5, 1e-320), fc.integer(), fc.string(), fc.constant(null), fc.boolean())
const metricKey = fc.oneof(fc.constantFrom(...Object.keys(METRICS)), fc.string())
const envShaped = fc.record({ ts: hostileTime, values: fc.dictionary(metricKey, hostileNumber) }, { requiredKeys: [] })
const cameraShaped = fc.record(
  { ts: hostileTime, periodSec: hostileNumber, counts: fc.dictionary(fc.oneof(fc.constantFrom(...CAMERA_CLASSES), fc.string()), hostileNumber), inside: hostileNumber },
  { requiredKeys: [] },
)
const fiwareAttribute = fc.oneof(
  hostileNumber,
  fc.record({ value: hostileNumber, unitCode: fc.oneof(fc.constantFrom('GQ', 'GP', 'XX', 'constructor', 'toString'), fc.string(), hostileNumber) }, { requiredKeys: ['value'] }),
  fc.record({ value: hostileNumber, metadata: fc.oneof(fc.record({ unitCode: fc.oneof(fc.record({ value: fc.string() }), fc.string()) }), hostileNumber) }),
)
const fiwareShaped = fc.record(
  {
    type: fc.constant('AirQualityObserved'),
    dateObserved: fc.oneof(hostileTime, fc.record({ '@value': hostileTime }), fc.record({ type: fc.constant('DateTime'), value: hostileTime })),
    pm25: fiwareAttribute,
    relativeHumidity: fc.oneof(hostileNumber, fc.record({ value: hostileNumber })),
    // attribute names a plain object inherits
    toString: fiwareAttribute,
    constructor: fiwareAttribute,
  },
  { requiredKeys: ['type', 'dateObserved'] },
)
const anyPayload = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.jsonValue().map(enc),
  envShaped.map(enc),
  cameraShaped.map(enc),
  fiwareShaped.map(enc),
)

describe('device payload parsers, on anything', () => {
  it('parseEnvPayload returns values or problems, and every value it keeps is real', () => {
    fc.assert(
      fc.property(anyPayload, (payload) => {
        const r = parseEnvPayload('st-1', payload, NOW, LIMITS)
        expect(r.value !== null || r.problems.length > 0).toBe(true)
        if (r.value) {
          expect(isRepresentableTime(r.value.ts)).toBe(true)
          for (const [m, v] of Object.entries(r.value.values)) {
            const spec = METRICS[m as keyof typeof METRICS]
            expect(Number.isFinite(v) && v >= spec.min && v <= spec.max).toBe(true)
          }
        }
      }),
      RUNS,
    )
  })

  it('parseCameraPayload returns counts or problems, and every count it keeps is a whole number', () => {
    fc.assert(
      fc.property(anyPayload, (payload) => {
        const r = parseCameraPayload('cam-1', payload, NOW, LIMITS)
        expect(r.value !== null || r.problems.length > 0).toBe(true)
        if (r.value) {
          expect(isRepresentableTime(r.value.ts)).toBe(true)
          for (const v of Object.values(r.value.counts)) expect(Number.isSafeInteger(v) && v >= 0).toBe(true)
        }
      }),
      RUNS,
    )
  })

  it('a message on any topic becomes stored rows or one dead letter with a reason', () => {
    const topic = fc.oneof(
      fc.string().map((s) => `ioc/v1/env/${s}`),
      fc.string().map((s) => `ioc/v1/camera/${s}`),
      fc.constantFrom('ioc/v1/env/', 'ioc/v1/env', 'ioc/v1/env/a/b', 'ioc/v1/camera//x', 'ioc/v1/env/\u0000', 'ioc/v1/camera/+'),
      fc.string(),
    )
    fc.assert(
      fc.property(topic, anyPayload, (t, payload) => {
        const entry = toEntry(t, topics.parse(t), payload, known, NOW, LIMITS)
        expect(entry.item !== null || entry.dead !== null).toBe(true)
        if (entry.dead) {
          expect(entry.dead.reason.length).toBeGreaterThan(0)
          expect(entry.dead.topic.includes('\u0000')).toBe(false)
          expect(entry.dead.payload.includes('\u0000')).toBe(false)
        }
      }),
      RUNS,
    )
  })
})

describe('live-frame parsers on the servers, on anything', () => {
  const window = { maxAgeMs: LIMITS.maxAgeMs, maxFutureMs: LIMITS.maxFutureMs }
  const liveEnv = fc.record({
    committedAt: hostileTime,
    readings: fc.array(fc.record({ stationId: fc.oneof(fc.constant('QN-KK-001'), fc.string()), ts: hostileTime, values: fc.dictionary(metricKey, hostileNumber) }), { maxLength: 5 }),
  })
  const liveCamera = fc.record({
    committedAt: hostileTime,
    counts: fc.array(
      fc.record({ cameraId: fc.oneof(fc.constant('QN-CAM-001'), fc.string()), ts: hostileTime, periodSec: hostileNumber, counts: fc.dictionary(fc.string(), hostileNumber), inside: hostileNumber }),
      { maxLength: 5 },
    ),
  })
  const json = (payload: Uint8Array): unknown => {
    try {
      return JSON.parse(new TextDecoder().decode(payload))
    } catch {
      return undefined
    }
  }

  it('parseLiveEnvBatch accepts a frame or names what is wrong, and live state takes what it accepts', () => {
    const stations = new StationStates({ staleAfter: 2, offlineAfter: 10 })
    stations.setReference([{ id: 'QN-KK-001', name: 'x', kind: 'air', unitId: null, lon: 107, lat: 21, expectedIntervalSec: 60 }], new Map(), NOW)
    fc.assert(
      fc.property(fc.oneof(liveEnv.map(enc), fc.uint8Array({ maxLength: 200 }), fc.jsonValue().map(enc)), (payload) => {
        const frame = parseLiveEnvBatch(json(payload), NOW, window)
        if (typeof frame === 'string') return
        stations.apply(frame.readings, NOW, frame.committedAt)
        stations.tick(NOW + 1000)
        JSON.stringify(stations.summaries())
      }),
      RUNS,
    )
  })

  it('parseLiveCameraBatch accepts a frame or names what is wrong, and live state takes what it accepts', () => {
    const cameras = new CameraStates({ staleAfter: 2, offlineAfter: 10 })
    cameras.setReference([{ id: 'QN-CAM-001', name: 'x', kind: 'road', site: 's', unitId: null, lon: 107, lat: 21, capacity: null, expectedIntervalSec: 60 }], new Map(), NOW)
    fc.assert(
      fc.property(fc.oneof(liveCamera.map(enc), fc.uint8Array({ maxLength: 200 }), fc.jsonValue().map(enc)), (payload) => {
        const frame = parseLiveCameraBatch(json(payload), NOW, window)
        if (typeof frame === 'string') return
        cameras.apply(frame.counts, NOW, frame.committedAt)
        cameras.tick(NOW + 1000)
        JSON.stringify(cameras.summaries())
      }),
      RUNS,
    )
  })

  it('refuses the frames that used to crash a server or show nonsense', () => {
    const reading = (over: Record<string, unknown>) => ({ committedAt: NOW, readings: [{ stationId: 'QN-KK-001', ts: NOW, values: { pm25: 12 }, ...over }] })
    expect(parseLiveEnvBatch(reading({ ts: 1e308 }), NOW, window)).toMatch(/ts: expected epoch milliseconds/)
    expect(parseLiveEnvBatch(reading({ values: { pm25: 999_999 } }), NOW, window)).toMatch(/outside the physical range/)
    expect(parseLiveEnvBatch(reading({ values: { temp: 'NaN' } }), NOW, window)).toMatch(/expected a number/)
    expect(parseLiveEnvBatch(reading({ ts: NOW + 30 * 86_400_000 }), NOW, window)).toMatch(/outside the window/)
    expect(parseLiveEnvBatch(reading({}), NOW, window)).toMatchObject({ committedAt: NOW })
  })

  it('parseIngestHeartbeat accepts a heartbeat or names what is wrong', () => {
    const hb = fc.record({ clientId: fc.string(), at: hostileTime, problems: fc.array(fc.string()), lastDataAt: hostileTime, pendingRows: hostileNumber })
    fc.assert(
      fc.property(fc.oneof(hb, fc.jsonValue()), (v) => {
        const r = parseIngestHeartbeat(v)
        if (typeof r !== 'string') expect(isRepresentableTime(r.at)).toBe(true)
      }),
      RUNS,
    )
  })
})
