import { describe, it, expect } from 'vitest'
import { DEFAULT_TOPIC_ROOT, DEVICE_ID_PATTERN, INGEST_SHARE_GROUP, sharedFilter, topicMap } from '../../contract/index.ts'

describe('topicMap', () => {
  const topics = topicMap()

  it('uses ioc/v1 as the default root', () => {
    expect(DEFAULT_TOPIC_ROOT).toBe('ioc/v1')
    expect(topics.root).toBe('ioc/v1')
  })

  it('builds a station topic under env', () => {
    expect(topics.input('env', 'qn-halong-01')).toBe('ioc/v1/env/qn-halong-01')
  })

  it('builds a camera topic under camera', () => {
    expect(topics.input('camera', 'cam-7')).toBe('ioc/v1/camera/cam-7')
  })

  it('subscribes to every device topic, odd levels included, with one multi-level wildcard per kind', () => {
    expect(topics.deviceFilters).toEqual(['ioc/v1/env/#', 'ioc/v1/camera/#', 'ioc/v1/dossier/#', 'ioc/v1/report/#'])
  })

  it('counts every topic the device filters match as a device topic, and nothing else', () => {
    for (const t of ['ioc/v1/env/QN-KK-001', 'ioc/v1/env/', 'ioc/v1/env/a/b', 'ioc/v1/env', 'ioc/v1/camera/c1', 'ioc/v1/camera']) expect(topics.isDeviceTopic(t), t).toBe(true)
    for (const t of ['ioc/v1/environment/x', 'ioc/v1/live/env', 'ioc/v2/env/a', 'other/env/a', 'ioc/v1/cameras/x']) expect(topics.isDeviceTopic(t), t).toBe(false)
  })

  it('publishes live batches and ingest heartbeats under live', () => {
    expect([topics.live('env'), topics.live('camera'), topics.liveIngest, topics.liveFilter]).toEqual(['ioc/v1/live/env', 'ioc/v1/live/camera', 'ioc/v1/live/ingest', 'ioc/v1/live/+'])
  })

  it('uses a custom root everywhere', () => {
    const t = topicMap('hanoi/test-42')
    expect([t.input('env', 'a'), t.input('camera', 'b'), t.live('env'), ...t.deviceFilters]).toEqual([
      'hanoi/test-42/env/a',
      'hanoi/test-42/camera/b',
      'hanoi/test-42/live/env',
      'hanoi/test-42/env/#',
      'hanoi/test-42/camera/#',
      'hanoi/test-42/dossier/#',
      'hanoi/test-42/report/#',
    ])
  })

  it('strips trailing slashes from the root', () => {
    expect(topicMap('city//').input('env', 'a')).toBe('city/env/a')
  })
})

describe('topicMap().parse', () => {
  const topics = topicMap()

  it('reads a station topic', () => {
    expect(topics.parse('ioc/v1/env/qn-halong-01')).toEqual({ kind: 'env', id: 'qn-halong-01' })
  })

  it('reads a camera topic', () => {
    expect(topics.parse('ioc/v1/camera/cam-7')).toEqual({ kind: 'camera', id: 'cam-7' })
  })

  it('round-trips the topics it builds', () => {
    expect(topics.parse(topics.input('env', 'st.1_a:b'))).toEqual({ kind: 'env', id: 'st.1_a:b' })
  })

  it('reads topics under a custom root', () => {
    expect(topicMap('hanoi/test').parse('hanoi/test/camera/c1')).toEqual({ kind: 'camera', id: 'c1' })
  })

  it('rejects a topic under another root', () => {
    const r = topicMap('hanoi/test').parse('ioc/v1/env/st-1')
    expect(r).toEqual({ kind: 'unknown', reason: 'topic is not under hanoi/test/env/ or hanoi/test/camera/ or hanoi/test/dossier/ or hanoi/test/report/' })
  })

  it('rejects a live topic as a device topic', () => {
    expect(topics.parse('ioc/v1/live/env').kind).toBe('unknown')
  })

  it('rejects a kind that only starts like env', () => {
    expect(topics.parse('ioc/v1/envx/st-1').kind).toBe('unknown')
  })

  it('rejects a single-level wildcard as an id', () => {
    expect(topics.parse('ioc/v1/env/+')).toMatchObject({ kind: 'unknown', reason: expect.stringContaining("'+'") })
  })

  it('rejects a multi-level wildcard as an id', () => {
    expect(topics.parse('ioc/v1/camera/#').kind).toBe('unknown')
  })

  it('rejects an id spanning several levels', () => {
    expect(topics.parse('ioc/v1/env/st-1/extra').kind).toBe('unknown')
  })

  it('rejects an empty id', () => {
    expect(topics.parse('ioc/v1/env/').kind).toBe('unknown')
  })

  it('rejects an id starting with a separator character', () => {
    expect(topics.parse('ioc/v1/env/-st').kind).toBe('unknown')
  })

  it('rejects an id with a space', () => {
    expect(topics.parse('ioc/v1/env/st 1').kind).toBe('unknown')
  })

  it('accepts an id of 64 characters', () => {
    const id = 'a'.repeat(64)
    expect(topics.parse(`ioc/v1/env/${id}`)).toEqual({ kind: 'env', id })
  })

  it('rejects an id of 65 characters', () => {
    expect(topics.parse(`ioc/v1/env/${'a'.repeat(65)}`).kind).toBe('unknown')
  })
})

describe('DEVICE_ID_PATTERN', () => {
  it('rejects non-ASCII letters', () => {
    expect(DEVICE_ID_PATTERN.test('trạm-1')).toBe(false)
  })
})

describe('sharedFilter', () => {
  it('wraps a filter for a shared subscription group', () => {
    expect(sharedFilter(INGEST_SHARE_GROUP, 'ioc/v1/env/+')).toBe('$share/ioc-ingest/ioc/v1/env/+')
  })
})
