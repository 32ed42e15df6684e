import { describe, it, expect } from 'vitest'
import { DEAD_LETTER_PAYLOAD_CHARS, payloadExcerpt, safeEntry, toEntry } from '../../ingest/shared/entries.ts'
import { camerasIngest } from '../../ingest/cameras/index.ts'
import { environmentIngest } from '../../ingest/environment/index.ts'
import { routingOf } from '../helpers/routing.ts'
import { cameraPayload, envPayload, topicMap, type IngestLimits } from '../../contract/index.ts'

const NOW = Date.parse('2026-11-21T01:00:00Z')
const LIMITS: IngestLimits = { maxPayloadBytes: 65_536, maxAgeMs: 7 * 86_400_000, maxFutureMs: 5 * 60_000 }
const topics = topicMap('ioc/v1')
const known = routingOf({ environment: (id) => id === 'qn-01', cameras: (id) => id === 'cam-7' })
const bytes = (s: string) => new TextEncoder().encode(s)
const entryFor = (topic: string, payload: string) => toEntry(topic, topics.parse(topic), bytes(payload), known, NOW, LIMITS)

describe('toEntry', () => {
  it('turns a good environment message into a reading with one row per value', () => {
    expect(entryFor('ioc/v1/env/qn-01', envPayload(NOW, { pm25: 12.5, temp: 28 }))).toEqual({
      topic: 'ioc/v1/env/qn-01',
      domain: environmentIngest,
      item: { stationId: 'qn-01', ts: NOW, values: { pm25: 12.5, temp: 28 } },
      dead: null,
      rows: 2,
    })
  })

  it('turns a good camera message into one camera row', () => {
    expect(entryFor('ioc/v1/camera/cam-7', cameraPayload(NOW, 60, { person: 5, car: 2 }, 12))).toEqual({
      topic: 'ioc/v1/camera/cam-7',
      domain: camerasIngest,
      item: { cameraId: 'cam-7', ts: NOW, periodSec: 60, counts: { person: 5, car: 2 }, inside: 12 },
      dead: null,
      rows: 1,
    })
  })

  it('dead-letters a message on a topic outside the device topics', () => {
    const payload = envPayload(NOW, { pm25: 12 })
    expect(entryFor('ioc/v1/weather/qn-01', payload)).toEqual({
      topic: 'ioc/v1/weather/qn-01',
      domain: null,
      item: null,
      dead: {
        topic: 'ioc/v1/weather/qn-01',
        code: 'unknown_topic',
        reason: expect.stringContaining('ioc/v1/env/'),
        payload,
        payloadBytes: bytes(payload).byteLength,
        accepted: 0,
      },
      rows: 1,
    })
  })

  it('dead-letters a reading from a station missing from the reference data', () => {
    const entry = entryFor('ioc/v1/env/qn-99', envPayload(NOW, { pm25: 12 }))
    expect(entry).toMatchObject({ domain: null, item: null, rows: 1, dead: { code: 'unknown_station', accepted: 0 } })
    expect(entry.dead?.reason).toContain("station 'qn-99'")
  })

  it('dead-letters counts from a camera missing from the reference data', () => {
    const entry = entryFor('ioc/v1/camera/cam-99', cameraPayload(NOW, 60, { person: 1 }))
    expect(entry).toMatchObject({ domain: null, item: null, rows: 1, dead: { code: 'unknown_camera', accepted: 0 } })
    expect(entry.dead?.reason).toContain("camera 'cam-99'")
  })

  it('does not take a known station id for a camera', () => {
    expect(entryFor('ioc/v1/camera/qn-01', cameraPayload(NOW, 60, { person: 1 })).dead?.code).toBe('unknown_camera')
  })

  it('stores the good values of a partly bad environment message and dead-letters the rest', () => {
    const entry = entryFor('ioc/v1/env/qn-01', JSON.stringify({ ts: NOW, values: { pm25: 12, pm10: -5, radon: 3 } }))
    expect(entry.item).toEqual({ stationId: 'qn-01', ts: NOW, values: { pm25: 12 } })
    expect(entry.dead).toMatchObject({ code: 'out_of_range', accepted: 1 })
    expect(entry.dead?.reason).toMatch(/values\.pm10: .*; values\.radon: /)
    expect(entry.rows).toBe(2)
  })

  it('stores the good counts of a partly bad camera message, counting inside as an accepted value', () => {
    const entry = entryFor('ioc/v1/camera/cam-7', JSON.stringify({ ts: NOW, periodSec: 60, counts: { person: 3, car: -1 }, inside: 10 }))
    expect(entry.item).toEqual({ cameraId: 'cam-7', ts: NOW, periodSec: 60, counts: { person: 3 }, inside: 10 })
    expect(entry.dead).toMatchObject({ code: 'out_of_range', accepted: 2 })
    expect(entry.rows).toBe(2)
  })

  it('dead-letters an environment message with nothing usable as one row', () => {
    expect(entryFor('ioc/v1/env/qn-01', '{"ts": ')).toMatchObject({ domain: null, item: null, dead: { code: 'invalid_json', accepted: 0 }, rows: 1 })
  })
})

describe('payloadExcerpt', () => {
  it('keeps a short payload as it is', () => {
    expect(payloadExcerpt(bytes('{"ts": 1}'))).toBe('{"ts": 1}')
  })

  it('keeps a payload of exactly DEAD_LETTER_PAYLOAD_CHARS characters whole', () => {
    const text = 'x'.repeat(DEAD_LETTER_PAYLOAD_CHARS)
    expect(payloadExcerpt(bytes(text))).toBe(text)
  })

  it('truncates a longer payload to DEAD_LETTER_PAYLOAD_CHARS characters and marks the cut with …', () => {
    const text = 'a'.repeat(DEAD_LETTER_PAYLOAD_CHARS) + 'bcd'
    expect(payloadExcerpt(bytes(text))).toBe(`${'a'.repeat(DEAD_LETTER_PAYLOAD_CHARS)}…`)
  })

  it('counts characters, not bytes, for multi-byte text', () => {
    // 3 bytes per character: 9000 bytes, more than the bytes decoded for the excerpt
    const excerpt = payloadExcerpt(bytes('ệ'.repeat(3000)))
    expect(excerpt).toBe(`${'ệ'.repeat(DEAD_LETTER_PAYLOAD_CHARS)}…`)
  })

  it('replaces NUL, which PostgreSQL text cannot hold', () => {
    expect(payloadExcerpt(bytes('a\u0000b'))).toBe('a\uFFFDb')
  })

  it('decodes invalid UTF-8 lossily instead of failing', () => {
    expect(payloadExcerpt(Uint8Array.from([0x61, 0xff, 0xfe, 0x62]))).toBe('a\uFFFD\uFFFDb')
  })
})

describe('safeEntry', () => {
  it('turns a message whose handling throws into an internal_error dead letter carrying the error', () => {
    const broken = routingOf({
      environment: () => {
        throw new TypeError('lookup exploded')
      },
      cameras: () => true,
    })
    const topic = 'ioc/v1/env/qn-01'
    const { entry, error } = safeEntry(topic, topics.parse(topic), bytes(envPayload(NOW, { pm25: 1 })), broken, NOW, LIMITS)
    expect(error).toBeInstanceOf(TypeError)
    expect(entry).toMatchObject({ domain: null, item: null, rows: 1, dead: { code: 'internal_error', topic, accepted: 0 } })
    expect(entry.dead!.reason).toBe('handling failed: TypeError: lookup exploded')
  })

  it('gives the ordinary entry when nothing throws', () => {
    const topic = 'ioc/v1/env/qn-01'
    const payload = bytes(envPayload(NOW, { pm25: 1 }))
    expect(safeEntry(topic, topics.parse(topic), payload, known, NOW, LIMITS)).toEqual({ entry: toEntry(topic, topics.parse(topic), payload, known, NOW, LIMITS), error: null })
  })
})
