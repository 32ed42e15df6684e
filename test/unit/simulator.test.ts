import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  KIND_METRICS,
  parseCameraPayload,
  parseEnvPayload,
  topicMap,
  type Camera,
  type IngestLimits,
  type Station,
} from '../../contract/index.ts'
import { isServiceCenterOpen } from '../../simulator/cameras.ts'
import { vnHourOfDay, vnWeekday } from '../../contract/shared/clock.ts'
import { buildMalformed, MALFORMED_EXPECTED_CODES, MALFORMED_KINDS, type GoodReading } from '../../simulator/malformed.ts'
import { createFeedModel, type FeedModel } from '../../simulator/model.ts'
import { mulberry32 } from '../../simulator/random.ts'
import { createSimulator, type SimulatorOptions } from '../../simulator/simulator.ts'

// A small synthetic Quảng Ninh: air stations in Hạ Long and next to the Cẩm Phả mines, water and noise
// stations, two service centers and roads of each type.
const HOUR = 3_600_000
const DAY = 24 * HOUR
/** Monday 12 January 2026, 00:00 in Vietnam. */
const MONDAY = Date.parse('2026-01-12T00:00:00+07:00')
const topics = topicMap()
const generous: IngestLimits = { maxPayloadBytes: 1 << 20, maxAgeMs: 365 * DAY, maxFutureMs: HOUR }
const strict: IngestLimits = { maxPayloadBytes: 64 * 1024, maxAgeMs: 7 * DAY, maxFutureMs: 5 * 60_000 }

function station(id: string, kind: Station['kind'], lon: number, lat: number): Station {
  return { id, name: id, kind, unitId: null, lon, lat, expectedIntervalSec: 60 }
}
function camera(id: string, kind: Camera['kind'], site: string, capacity: number | null = null): Camera {
  return { id, name: id, kind, site, unitId: null, lon: 107.08, lat: 20.95, capacity, expectedIntervalSec: 60 }
}

const HA_LONG_AIR = Array.from({ length: 6 }, (_, i) => station(`QN-AIR-HL-${i}`, 'air', 106.95 + 0.03 * i, 20.95 + 0.01 * i))
const MINING_AIR = Array.from({ length: 4 }, (_, i) => station(`QN-AIR-CP-${i}`, 'air', 107.28 + 0.01 * i, 21.01 + 0.01 * i))
const WATER = Array.from({ length: 5 }, (_, i) => station(`QN-WAT-${i}`, 'water', 107.0 + 0.05 * i, 21.0))
const NOISE = Array.from({ length: 5 }, (_, i) => station(`QN-NOI-${i}`, 'noise', 107.05 + 0.02 * i, 20.96))
const STATIONS = [...HA_LONG_AIR, ...MINING_AIR, ...WATER, ...NOISE]
const CENTERS = [camera('QN-CAM-SC-1', 'service_center', 'Trung tâm Phục vụ hành chính công tỉnh', 60), camera('QN-CAM-SC-2', 'service_center', 'Bộ phận một cửa phường Bãi Cháy', 30)]
const URBAN = camera('QN-CAM-RD-1', 'road', 'Đường Trần Hưng Đạo, Hạ Long')
const HIGHWAY = camera('QN-CAM-RD-2', 'road', 'Quốc lộ 18, Uông Bí')
const EXPRESSWAY = camera('QN-CAM-RD-3', 'road', 'Cao tốc Hạ Long – Vân Đồn')
const CAMERAS = [...CENTERS, URBAN, HIGHWAY, EXPRESSWAY]
const DEVICE_IDS = new Set([...STATIONS, ...CAMERAS].map((d) => d.id))

function model(seed = 1, extra: Partial<Parameters<typeof createFeedModel>[0]> = {}): FeedModel {
  return createFeedModel({ rng: mulberry32(seed), stations: STATIONS, ...extra })
}

function everyStep(from: number, to: number, stepMs: number, fn: (t: number) => void): void {
  for (let t = from; t < to; t += stepMs) fn(t)
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length
}

function bytes(s: string): Uint8Array {
  return new TextEncoder().encode(s)
}

describe('feed model', () => {
  it('produces payloads the contract parsers accept without a single problem over a simulated day', () => {
    const feed = model()
    const problems: string[] = []
    let parsed = 0
    everyStep(MONDAY, MONDAY + DAY, 5 * 60_000, (t) => {
      for (const s of STATIONS) {
        const r = parseEnvPayload(s.id, bytes(feed.envMessage(s, t)), t, generous)
        problems.push(...r.problems.map((p) => `${s.id}: ${p.message}`))
        if (r.value) parsed++
      }
      for (const c of CAMERAS) {
        const r = parseCameraPayload(c.id, bytes(feed.cameraMessage(c, t, 300)), t, generous)
        problems.push(...r.problems.map((p) => `${c.id}: ${p.message}`))
        if (r.value) parsed++
      }
    })
    expect(problems).toEqual([])
    expect(parsed).toBe(288 * (STATIONS.length + CAMERAS.length))
  })

  it('reports exactly the metrics of the station kind, in epoch milliseconds', () => {
    const feed = model()
    for (const s of STATIONS) {
      const body = JSON.parse(feed.envMessage(s, MONDAY + 8 * HOUR)) as { ts: unknown; values: Record<string, number> }
      expect(body.ts).toBe(MONDAY + 8 * HOUR)
      expect(Object.keys(body.values).sort()).toEqual([...KIND_METRICS[s.kind]].sort())
    }
  })

  it('keeps consecutive readings of a station continuous (smooth noise, not independent draws)', () => {
    const feed = model(3, { episodesPerDay: 0 })
    const s = HA_LONG_AIR[0]!
    const pm: number[] = []
    everyStep(MONDAY + 10 * HOUR, MONDAY + 14 * HOUR, 60_000, (t) => pm.push(feed.envValues(s, t).pm25!))
    const steps = pm.slice(1).map((v, i) => Math.abs(v - pm[i]!) / pm[i]!)
    expect(mean(steps)).toBeLessThan(0.05)
  })

  it('has more PM2.5 in the rush hours than at 3 am, on average', () => {
    const feed = model(5)
    const rush: number[] = []
    const night: number[] = []
    everyStep(MONDAY, MONDAY + 7 * DAY, 10 * 60_000, (t) => {
      const h = vnHourOfDay(t)
      const bucket = (h >= 7 && h < 9) || (h >= 17 && h < 19) ? rush : h >= 3 && h < 4 ? night : null
      if (bucket) for (const s of HA_LONG_AIR) bucket.push(feed.envValues(s, t).pm25!)
    })
    expect(mean(rush)).toBeGreaterThan(mean(night) * 1.1)
  })

  it('keeps PM2.5 mostly at Good to Moderate levels, with some Poor hours', () => {
    const feed = model(6)
    const pm: number[] = []
    everyStep(MONDAY, MONDAY + 7 * DAY, 15 * 60_000, (t) => {
      for (const s of [...HA_LONG_AIR, ...MINING_AIR]) pm.push(feed.envValues(s, t).pm25!)
    })
    const share = (lo: number, hi: number) => pm.filter((v) => v > lo && v <= hi).length / pm.length
    expect(share(0, 50)).toBeGreaterThan(0.6)
    expect(share(50, 1500)).toBeGreaterThan(0.02)
    expect(mean(pm)).toBeGreaterThan(15)
    expect(mean(pm)).toBeLessThan(60)
  })

  it('gives stations next to the coal mines more PM10 and SO2 than the city', () => {
    const feed = model(7, { episodesPerDay: 0 })
    const avg = (list: Station[], metric: 'pm10' | 'so2') => {
      const xs: number[] = []
      everyStep(MONDAY, MONDAY + 2 * DAY, 30 * 60_000, (t) => list.forEach((s) => xs.push(feed.envValues(s, t)[metric]!)))
      return mean(xs)
    }
    expect(avg(MINING_AIR, 'pm10')).toBeGreaterThan(avg(HA_LONG_AIR, 'pm10') * 1.3)
    expect(avg(MINING_AIR, 'so2')).toBeGreaterThan(avg(HA_LONG_AIR, 'so2') * 1.5)
  })

  it('peaks ozone in the early afternoon', () => {
    const feed = model(8)
    const byHour = Array.from({ length: 24 }, () => [] as number[])
    everyStep(MONDAY, MONDAY + 3 * DAY, 15 * 60_000, (t) => HA_LONG_AIR.forEach((s) => byHour[Math.floor(vnHourOfDay(t))]!.push(feed.envValues(s, t).o3!)))
    const means = byHour.map(mean)
    const peakHour = means.indexOf(Math.max(...means))
    expect(peakHour).toBeGreaterThanOrEqual(12)
    expect(peakHour).toBeLessThanOrEqual(15)
  })

  it('has a few pollution episodes a day, multiplying PM inside their radius at their height', () => {
    const feed = model(9)
    const seen = new Map<string, ReturnType<FeedModel['episodesAt']>[number]>()
    everyStep(MONDAY, MONDAY + 7 * DAY, 5 * 60_000, (t) => feed.episodesAt(t).forEach((e) => seen.set(e.id, e)))
    const perDay = seen.size / 7
    expect(perDay).toBeGreaterThanOrEqual(2)
    expect(perDay).toBeLessThanOrEqual(10)
    for (const e of seen.values()) {
      expect(e.radiusKm).toBeGreaterThanOrEqual(3)
      expect(e.radiusKm).toBeLessThanOrEqual(12)
      expect(e.end - e.start).toBeGreaterThanOrEqual(20 * 60_000)
      expect(e.end - e.start).toBeLessThanOrEqual(120 * 60_000)
      expect(e.peakFactor).toBeGreaterThanOrEqual(2.5)
      expect(e.peakFactor).toBeLessThanOrEqual(5)
    }
    // a station at the centre of an episode, against a world without episodes (same seed, same noise)
    const episode = [...seen.values()][0]!
    const site = station('QN-AIR-EP', 'air', episode.lon, episode.lat)
    const height = episode.start + (episode.end - episode.start) / 2
    const calm = model(9, { episodesPerDay: 0 })
    const ratio = feed.fork().envValues(site, height).pm25! / calm.fork().envValues(site, height).pm25!
    expect(ratio).toBeCloseTo(episode.peakFactor, 0)
  })

  it('keeps a few percent of devices silent at any time, for 5 to 40 minutes at a stretch', () => {
    const feed = model(10)
    const ids = Array.from({ length: 200 }, (_, i) => `QN-DEV-${i}`)
    let silent = 0
    const stretches: number[] = []
    for (const id of ids) {
      let run = 0
      everyStep(MONDAY, MONDAY + DAY, 60_000, (t) => {
        if (!feed.isReporting(id, t)) {
          silent++
          run++
        } else if (run > 0) {
          // a silence already under way at midnight is only partly seen
          if (t - run * 60_000 > MONDAY) stretches.push(run)
          run = 0
        }
      })
    }
    const share = silent / (ids.length * 24 * 60)
    expect(share).toBeGreaterThan(0.01)
    expect(share).toBeLessThan(0.06)
    expect(Math.min(...stretches)).toBeGreaterThanOrEqual(4)
    expect(Math.max(...stretches)).toBeLessThanOrEqual(41)
  })

  it('gives the same feed for the same seed', () => {
    const run = () => {
      const feed = model(11)
      const out: string[] = []
      everyStep(MONDAY + 9 * HOUR, MONDAY + 10 * HOUR, 60_000, (t) => {
        out.push(feed.envMessage(MINING_AIR[0]!, t), feed.cameraMessage(CENTERS[0]!, t, 60), feed.cameraMessage(URBAN, t, 60))
      })
      return out
    }
    expect(run()).toEqual(run())
  })
})

describe('service-center cameras', () => {
  it('report nobody inside outside office hours, never a negative count, and people inside at 10:00 on weekdays', () => {
    const feed = model(12)
    const closedInside: number[] = []
    const atTen: number[] = []
    everyStep(MONDAY, MONDAY + 7 * DAY, 60_000, (t) => {
      for (const c of CENTERS) {
        const { inside, counts } = feed.cameraReading(c, t, 60)
        expect(inside).toBeGreaterThanOrEqual(0)
        expect(counts.person).toBeGreaterThanOrEqual(0)
        if (!isServiceCenterOpen(t)) closedInside.push(inside!)
        const weekday = vnWeekday(t)
        if (weekday >= 1 && weekday <= 5 && vnHourOfDay(t) === 10) atTen.push(inside!)
      }
    })
    expect(closedInside.length).toBeGreaterThan(0)
    expect(closedInside.every((n) => n === 0)).toBe(true)
    expect(atTen).toHaveLength(5 * CENTERS.length)
    expect(atTen.every((n) => n > 0)).toBe(true)
  })

  it('are closed on Saturday afternoon, Sunday and listed holidays', () => {
    const saturday = MONDAY + 5 * DAY
    expect(isServiceCenterOpen(saturday + 9 * HOUR)).toBe(true)
    expect(isServiceCenterOpen(saturday + 14 * HOUR)).toBe(false)
    expect(isServiceCenterOpen(saturday + DAY + 9 * HOUR)).toBe(false)
    expect(isServiceCenterOpen(MONDAY + 9 * HOUR, new Set(['2026-01-12']))).toBe(false)
  })

  it('count the most arrivals around 9 to 10 in the morning', () => {
    const feed = model(13)
    const byHour = new Array<number>(24).fill(0)
    everyStep(MONDAY, MONDAY + 5 * DAY, 60_000, (t) => {
      byHour[Math.floor(vnHourOfDay(t - 1))]! += feed.cameraReading(CENTERS[0]!, t, 60).counts.person!
    })
    expect([9, 10]).toContain(byHour.indexOf(Math.max(...byHour)))
  })

  it('exceed their capacity at peak on some crowd days but not on most days', () => {
    const feed = model(14)
    const days: boolean[] = []
    for (const c of CENTERS) {
      for (let d = 0; d < 28; d++) {
        if (vnWeekday(MONDAY + d * DAY) === 0) continue
        let peak = 0
        everyStep(MONDAY + d * DAY + 7 * HOUR, MONDAY + d * DAY + 17 * HOUR, 60_000, (t) => {
          peak = Math.max(peak, feed.cameraReading(c, t, 60).inside!)
        })
        days.push(peak > c.capacity!)
      }
    }
    const crowded = days.filter(Boolean).length
    expect(crowded).toBeGreaterThan(0)
    expect(crowded / days.length).toBeLessThan(0.3)
  })
})

describe('road cameras', () => {
  it('count more vehicles in the rush hours than at night', () => {
    const feed = model(15)
    const vehicles = (t: number) => {
      const { counts } = feed.cameraReading(URBAN, t, 60)
      return (counts.car ?? 0) + (counts.motorbike ?? 0) + (counts.truck ?? 0) + (counts.bus ?? 0) + (counts.bicycle ?? 0)
    }
    const peak: number[] = []
    const night: number[] = []
    everyStep(MONDAY, MONDAY + 5 * DAY, 60_000, (t) => {
      const h = vnHourOfDay(t)
      if ((h >= 6.5 && h < 8.5) || (h >= 16.5 && h < 18.5)) peak.push(vehicles(t))
      else if (h >= 1 && h < 4) night.push(vehicles(t))
    })
    expect(mean(peak)).toBeGreaterThan(mean(night) * 3)
  })

  it('never report motorbikes, bicycles or pedestrians on an expressway', () => {
    const feed = model(16)
    everyStep(MONDAY, MONDAY + 2 * DAY, 5 * 60_000, (t) => {
      const { counts, inside } = feed.cameraReading(EXPRESSWAY, t, 300)
      expect(counts).not.toHaveProperty('motorbike')
      expect(counts).not.toHaveProperty('bicycle')
      expect(counts).not.toHaveProperty('person')
      expect(inside).toBeUndefined()
    })
  })

  it('see mostly motorbikes and some pedestrians in town', () => {
    const feed = model(17)
    const totals = { motorbike: 0, car: 0, person: 0 }
    everyStep(MONDAY + 7 * HOUR, MONDAY + 19 * HOUR, 5 * 60_000, (t) => {
      const { counts } = feed.cameraReading(URBAN, t, 300)
      totals.motorbike += counts.motorbike!
      totals.car += counts.car!
      totals.person += counts.person!
    })
    expect(totals.motorbike).toBeGreaterThan(totals.car * 3)
    expect(totals.person).toBeGreaterThan(0)
    expect(feed.cameraReading(HIGHWAY, MONDAY + 8 * HOUR, 60).counts).not.toHaveProperty('person')
  })
  it('keep summed counts true to the traffic when reading far more often than the counting period', () => {
    const vehicles = (feed: FeedModel, stepMs: number) => {
      let total = 0
      everyStep(MONDAY + 8 * HOUR, MONDAY + 12 * HOUR, stepMs, (t) => {
        const { counts } = feed.cameraReading(URBAN, t, 60)
        total += (counts.car ?? 0) + (counts.motorbike ?? 0)
      })
      return total
    }
    const everySecond = vehicles(model(18).fork(), 1_000)
    const everyMinute = vehicles(model(18).fork(), 60_000)
    expect(everySecond / everyMinute).toBeGreaterThan(0.75)
    expect(everySecond / everyMinute).toBeLessThan(1.25)
  })
})

describe('malformed messages', () => {
  const reading = (device: 'env' | 'camera'): GoodReading => {
    const now = MONDAY + 9 * HOUR
    return device === 'env'
      ? { device, id: HA_LONG_AIR[0]!.id, ts: now, values: model().envValues(HA_LONG_AIR[0]!, now) }
      : { device, id: CENTERS[0]!.id, ts: now, periodSec: 60, counts: { person: 4 }, inside: 12 }
  }

  it.each(MALFORMED_KINDS.flatMap((kind) => (['env', 'camera'] as const).map((device) => ({ kind, device }))))(
    '$kind from a $device device is rejected by the contract parser or addressed to an unknown device',
    ({ kind, device }) => {
      const good = reading(device)
      const bad = buildMalformed(kind, good, topics, CENTERS[1]!.id)
      expect(bad.kind).toBe(kind)
      const target = topics.parse(bad.topic)
      if (target.kind === 'unknown') throw new Error(target.reason)
      if (kind === 'unknown_device') {
        expect(DEVICE_IDS.has(target.id)).toBe(false)
        return
      }
      const parse = target.kind === 'env' ? parseEnvPayload : parseCameraPayload
      const { problems } = parse(target.id, bytes(bad.payload), good.ts, strict)
      expect(problems.map((p) => p.code)).toEqual([expect.toBeOneOf([...MALFORMED_EXPECTED_CODES[kind]])])
    },
  )
})

describe('simulator', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  function simulator(extra: Partial<SimulatorOptions> & Pick<SimulatorOptions, 'publish' | 'rate'>) {
    return createSimulator({
      stations: STATIONS,
      cameras: CAMERAS,
      topics,
      rng: mulberry32(21),
      now: () => Date.now(),
      model: model(21, { dropoutShare: 0 }),
      ...extra,
    })
  }

  it.each([1, 50, 20_000])('sends rate × seconds messages at %d per second', async (rate) => {
    vi.useFakeTimers({ now: MONDAY + 9 * HOUR })
    let received = 0
    const sim = simulator({ rate, publish: () => void received++ })
    sim.start()
    vi.advanceTimersByTime(5_000)
    await sim.stop()
    expect(received).toBe(rate * 5)
    expect(sim.stats().sent).toBe(rate * 5)
  })

  it('spreads devices round-robin so each reports every devices / rate seconds', async () => {
    vi.useFakeTimers({ now: MONDAY + 9 * HOUR })
    const seen = new Map<string, number[]>()
    const rate = 10
    const sim = simulator({
      rate,
      publish: (topic, payload) => {
        const list = seen.get(topic) ?? []
        list.push((JSON.parse(payload) as { ts: number }).ts)
        seen.set(topic, list)
      },
    })
    sim.start()
    vi.advanceTimersByTime(60_000)
    await sim.stop()
    const periodMs = ((STATIONS.length + CAMERAS.length) / rate) * 1000
    expect(seen.size).toBe(STATIONS.length + CAMERAS.length)
    for (const ts of seen.values()) ts.slice(1).forEach((t, i) => expect(t - ts[i]!).toBe(periodMs))
  })

  it('skips due readings while devices are in a dropout and counts them', async () => {
    vi.useFakeTimers({ now: MONDAY + 9 * HOUR })
    let received = 0
    const sim = simulator({ rate: 100, publish: () => void received++, model: model(22, { dropoutShare: 0.2 }) })
    sim.start()
    vi.advanceTimersByTime(600_000)
    await sim.stop()
    const { skipped, sent } = sim.stats()
    expect(skipped.dropout).toBeGreaterThan(0)
    expect(sent + skipped.dropout).toBe(100 * 600)
    expect(received).toBe(sent)
  })

  it('keeps at most maxInFlight publishes unresolved and counts the rest as dropped_by_backpressure', async () => {
    vi.useFakeTimers({ now: MONDAY + 9 * HOUR })
    const resolvers: (() => void)[] = []
    let unresolved = 0
    let most = 0
    const sim = simulator({
      rate: 1000,
      maxInFlight: 50,
      publish: () =>
        new Promise<void>((resolve) => {
          most = Math.max(most, ++unresolved)
          resolvers.push(() => {
            unresolved--
            resolve()
          })
        }),
    })
    sim.start()
    await vi.advanceTimersByTimeAsync(2_000)
    expect(most).toBe(50)
    expect(sim.stats().skipped.dropped_by_backpressure).toBe(2_000 - 50)
    resolvers.splice(0).forEach((r) => r())
    await vi.advanceTimersByTimeAsync(1_000)
    expect(sim.stats().sent).toBe(100)
    resolvers.splice(0).forEach((r) => r())
    await sim.stop()
    expect(sim.stats().inFlight).toBe(0)
  })

  it('stop() resolves only after the publishes in flight have', async () => {
    vi.useFakeTimers({ now: MONDAY + 9 * HOUR })
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const sim = simulator({ rate: 10, publish: () => gate })
    sim.start()
    vi.advanceTimersByTime(1_000)
    let stopped = false
    const stopping = sim.stop().then(() => (stopped = true))
    await Promise.resolve()
    expect(stopped).toBe(false)
    release()
    await stopping
    expect(stopped).toBe(true)
  })

  it('skips rather than bursts when the process falls behind schedule', async () => {
    vi.useFakeTimers({ now: MONDAY + 9 * HOUR })
    let received = 0
    const sim = simulator({ rate: 100, publish: () => void received++ })
    sim.start()
    vi.setSystemTime(Date.now() + 30_000) // the clock jumps as after a suspended laptop; no tick ran meanwhile
    vi.advanceTimersByTime(100)
    await sim.stop()
    expect(received).toBeLessThanOrEqual(100)
    expect(sim.stats().skipped.dropped_by_lag).toBeGreaterThan(2_900)
  })

  it('replaces about malformedRatio of the messages, cycling through every kind', async () => {
    vi.useFakeTimers({ now: MONDAY + 9 * HOUR })
    const sim = simulator({ rate: 5_000, malformedRatio: 0.01, publish: () => {} })
    sim.start()
    vi.advanceTimersByTime(20_000)
    await sim.stop()
    const { malformed, sent } = sim.stats()
    const total = Object.values(malformed).reduce((a, b) => a + b, 0)
    expect(total / sent).toBeGreaterThan(0.008)
    expect(total / sent).toBeLessThan(0.012)
    for (const kind of MALFORMED_KINDS) expect(malformed[kind]).toBeGreaterThanOrEqual(Math.floor(total / MALFORMED_KINDS.length))
  })

  it('backfills every reporting device over the requested hours with past timestamps', async () => {
    const now = MONDAY + 12 * HOUR + 123
    const byDevice = new Map<string, number[]>()
    const sim = simulator({
      rate: 10,
      now: () => now,
      model: model(23),
      publish: (topic, payload) => {
        const ts = (JSON.parse(payload) as { ts: number }).ts
        byDevice.set(topic, [...(byDevice.get(topic) ?? []), ts])
      },
    })
    const published = await sim.backfill({ hours: 6, stepSec: 300 })
    const all = [...byDevice.values()].flat()
    expect(published).toBe(all.length)
    expect(byDevice.size).toBe(STATIONS.length + CAMERAS.length)
    expect(Math.min(...all)).toBeGreaterThanOrEqual(now - 6 * HOUR)
    expect(Math.min(...all)).toBeLessThan(now - 6 * HOUR + 300_000)
    expect(Math.max(...all)).toBeLessThanOrEqual(now)
    expect(Math.max(...all)).toBeGreaterThan(now - 300_000)
    // 6 h at 5 min is 72 steps; dropouts (a few percent) take some away
    expect(published).toBeGreaterThan(0.9 * 72 * byDevice.size)
    expect(published).toBeLessThanOrEqual(72 * byDevice.size)
  })

  it('backfill keeps at most backfillConcurrency publishes unresolved', async () => {
    let unresolved = 0
    let most = 0
    const sim = simulator({
      rate: 10,
      backfillConcurrency: 7,
      now: () => MONDAY + 12 * HOUR,
      publish: async () => {
        most = Math.max(most, ++unresolved)
        await new Promise((resolve) => setImmediate(resolve))
        unresolved--
      },
    })
    const progress: number[] = []
    const published = await sim.backfill({ hours: 1, stepSec: 60, onProgress: (p) => progress.push(p.published) })
    expect(most).toBe(7)
    expect(published).toBe(61 * (STATIONS.length + CAMERAS.length))
    expect(progress).toHaveLength(61)
    expect(sim.stats().backfilled).toBe(published)
  })

  it('backfilled camera payloads are valid for the backfill step as their counting period', async () => {
    const now = MONDAY + 12 * HOUR
    const problems: string[] = []
    const periods = new Set<number | undefined>()
    const sim = simulator({
      rate: 10,
      now: () => now,
      publish: (topic, payload) => {
        const target = topics.parse(topic)
        if (target.kind !== 'camera') return
        const r = parseCameraPayload(target.id, bytes(payload), now, generous)
        problems.push(...r.problems.map((p) => p.message))
        periods.add(r.value?.periodSec)
      },
    })
    await sim.backfill({ hours: 2, stepSec: 600 })
    expect(problems).toEqual([])
    expect([...periods]).toEqual([600])
  })
})
