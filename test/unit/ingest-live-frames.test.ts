// What ingest publishes after a commit: per domain, its stored items in frames of at most LIVE_CHUNK, and
// nothing for dead letters.
import { describe, expect, it } from 'vitest'
import { camerasIngest } from '../../ingest/cameras/index.ts'
import { environmentIngest } from '../../ingest/environment/index.ts'
import type { Entry } from '../../ingest/shared/entries.ts'
import { liveFrames } from '../../ingest/shared/live-frames.ts'

const T = Date.parse('2026-11-21T01:00:00Z')
const reading = (id: string): Entry => ({ topic: `ioc/v1/env/${id}`, domain: environmentIngest, item: { stationId: id, ts: T, values: { pm25: 10 } }, dead: null, rows: 1 })
const count = (id: string): Entry => ({ topic: `ioc/v1/camera/${id}`, domain: camerasIngest, item: { cameraId: id, ts: T, periodSec: 60, counts: { person: 1 }, inside: null }, dead: null, rows: 1 })
const deadOnly: Entry = { topic: 't', domain: null, item: null, dead: { topic: 't', code: 'invalid_json', reason: 'r', payload: '', payloadBytes: 0, accepted: 0 }, rows: 1 }

describe('liveFrames', () => {
  it('gives one frame per domain on its segment, with the commit time', () => {
    const frames = liveFrames([reading('a'), count('c'), reading('b')], T + 5)
    expect(frames.map((f) => f.segment)).toEqual(['env', 'camera'])
    expect(JSON.parse(frames[0]!.payload)).toEqual({ committedAt: T + 5, readings: [reading('a').item, reading('b').item] })
    expect(JSON.parse(frames[1]!.payload)).toMatchObject({ committedAt: T + 5, counts: [{ cameraId: 'c' }] })
  })

  it('splits the items of a domain into frames of at most the chunk size, in order', () => {
    const frames = liveFrames(['a', 'b', 'c', 'd', 'e'].map(reading), T, 2)
    expect(frames.map((f) => (JSON.parse(f.payload) as { readings: { stationId: string }[] }).readings.map((r) => r.stationId))).toEqual([['a', 'b'], ['c', 'd'], ['e']])
  })

  it('publishes nothing for a batch of dead letters only', () => {
    expect(liveFrames([deadOnly], T)).toEqual([])
  })
})
