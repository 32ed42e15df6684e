// The feed scheduler: turns the model into a stream of device messages at a target rate, for the demo wall
// and as the ingest load generator (1 to 20,000 readings per second). Transport-free: it calls `publish`,
// and whoever owns the MQTT client decides how to send. Time and timers are injected so tests need no sleep.
//
// Live: devices report round-robin, so each reports every (devices / rate) seconds; a timer tick sends the
// messages that fell due since the last tick. A slow `publish` never builds an unbounded buffer: past
// `maxInFlight` un-resolved publishes a due message is skipped and counted.
// Backfill: history for every reporting device from now − hours to now, on a fork of the model, as fast as
// `publish` resolves with bounded concurrency.

import { CAMERA_LIMITS, HOUR_MS, cameraPayload, envPayload, type Camera, type Station, type TopicMap } from '../contract/index.ts'
import { availableKinds, buildMalformed, MALFORMED_KINDS, type GoodReading, type MalformedKind } from './malformed.ts'
import { createFeedModel, type FeedModel } from './model.ts'
import type { Rng } from './random.ts'

export type Publish = (topic: string, payload: string) => Promise<void> | void

export interface SimulatorOptions {
  stations: readonly Station[]
  cameras: readonly Camera[]
  /** Where devices publish; the contract's `topicMap()`. */
  topics: TopicMap
  /** Readings per second across all devices (live). Any positive number, e.g. 0.5 or 20000. */
  rate: number
  /** Share of live messages replaced by malformed ones, 0–1. Default 0. */
  malformedRatio?: number
  rng: Rng
  /** Clock, epoch ms. Default `Date.now`. */
  now?: () => number
  publish: Publish
  /** Most live publishes awaiting their promise; beyond it due messages are skipped. Default 2000. */
  maxInFlight?: number
  /** Most backfill publishes awaiting their promise. Default 500. */
  backfillConcurrency?: number
  /** Live timer period, ms. Default 100. */
  tickMs?: number
  /** The feed model; default `createFeedModel({ rng, stations })`. */
  model?: FeedModel
  /** Timer functions; default the globals (so fake timers installed before `start()` apply). */
  setInterval?: (fn: () => void, ms: number) => unknown
  clearInterval?: (handle: unknown) => void
}

export type SkipReason = 'dropout' | 'dropped_by_backpressure' | 'dropped_by_lag'

export interface SimulatorStats {
  /** Live messages handed to `publish`, malformed ones included. */
  sent: number
  /** Live messages replaced by bad input, by kind. */
  malformed: Record<MalformedKind, number>
  /**
   * Live slots that sent nothing: the device was in a dropout, too many publishes were in flight, or the
   * process fell more than a second behind (a stalled event loop does not turn into a burst).
   */
  skipped: Record<SkipReason, number>
  /** Publishes that threw or rejected (live and backfill). */
  publishErrors: number
  /** Publishes not yet resolved (live and backfill). */
  inFlight: number
  /** Messages published by backfills. */
  backfilled: number
}

export interface BackfillProgress {
  published: number
  /** Device-steps skipped because the device was in a dropout. */
  skipped: number
  /** Device-steps in the whole backfill. */
  total: number
  /** The time step just finished, epoch ms. */
  ts: number
}

export interface BackfillOptions {
  hours: number
  stepSec: number
  /** Called after each time step. */
  onProgress?: (progress: BackfillProgress) => void
  /** Publishes only the device-steps this accepts (the rest is already stored); default all. */
  only?: (deviceId: string, ts: number) => boolean
}

export interface Simulator {
  start(): void
  /** Stops the live timer and any backfill, then waits for every publish in flight. */
  stop(): Promise<void>
  stats(): SimulatorStats
  /** Publishes history with past timestamps; resolves with the number of messages published. */
  backfill(options: BackfillOptions): Promise<number>
}

type Device = { kind: 'env'; id: string; topic: string; station: Station } | { kind: 'camera'; id: string; topic: string; camera: Camera }

const DEFAULT_MAX_IN_FLIGHT = 2000
const DEFAULT_BACKFILL_CONCURRENCY = 500
const DEFAULT_TICK_MS = 100
// how far behind schedule live publishing may catch up; anything older is skipped
const MAX_CATCH_UP_SEC = 1
// a synchronous `publish` never yields, so backfill lets the event loop breathe this often
const SYNC_YIELD_EVERY = 2000

export function createSimulator(options: SimulatorOptions): Simulator {
  const config = validate(options)
  const { topics, rng, publish } = options
  const now = options.now ?? Date.now
  const model = options.model ?? createFeedModel({ rng, stations: options.stations })
  const devices: Device[] = [
    ...options.stations.map((station): Device => ({ kind: 'env', id: station.id, topic: topics.input('env', station.id), station })),
    ...options.cameras.map((camera): Device => ({ kind: 'camera', id: camera.id, topic: topics.input('camera', camera.id), camera })),
  ]
  const livePeriodSec = periodSecOf(devices.length / config.rate)
  const malformedKinds = availableKinds(options.cameras.length > 0)

  const stats: SimulatorStats = {
    sent: 0,
    malformed: Object.fromEntries(MALFORMED_KINDS.map((k) => [k, 0])) as Record<MalformedKind, number>,
    skipped: { dropout: 0, dropped_by_backpressure: 0, dropped_by_lag: 0 },
    publishErrors: 0,
    inFlight: 0,
    backfilled: 0,
  }
  const pending = new Set<Promise<void>>()
  let liveInFlight = 0
  let timer: unknown = null
  let startedAt = 0
  let issued = 0 // live slots since start()
  let cursor = 0 // next device, kept across restarts so no device is favoured
  let malformedCount = 0
  let generation = 0 // bumped by stop(); a backfill started before it ends early

  /** Calls publish; returns a promise that settles (never rejects) when it is done, or null if it was synchronous. */
  function send(topic: string, payload: string): Promise<void> | null {
    let result: Promise<void> | void
    try {
      result = publish(topic, payload)
    } catch {
      stats.publishErrors++
      return null
    }
    if (!isThenable(result)) return null
    stats.inFlight++
    const settled: Promise<void> = Promise.resolve(result).then(
      () => undefined,
      () => {
        stats.publishErrors++
      },
    )
    const tracked = settled.then(() => {
      stats.inFlight--
      pending.delete(tracked)
    })
    pending.add(tracked)
    return tracked
  }

  function read(feed: FeedModel, device: Device, ts: number, periodSec: number): GoodReading {
    if (device.kind === 'env') return { device: 'env', id: device.id, ts, values: feed.envValues(device.station, ts) }
    const r = feed.cameraReading(device.camera, ts, periodSec)
    return { device: 'camera', id: device.id, ts, periodSec, counts: r.counts, ...(r.inside === undefined ? {} : { inside: r.inside }) }
  }

  function emitLive(device: Device, ts: number): void {
    if (!model.isReporting(device.id, ts)) {
      stats.skipped.dropout++
      return
    }
    if (liveInFlight >= config.maxInFlight) {
      stats.skipped.dropped_by_backpressure++
      return
    }
    const reading = read(model, device, ts, livePeriodSec)
    let topic = device.topic
    let payload: string
    if (config.malformedRatio > 0 && rng() < config.malformedRatio) {
      const kind = malformedKinds[malformedCount % malformedKinds.length]!
      const camera = options.cameras[malformedCount % Math.max(1, options.cameras.length)]
      malformedCount++
      const bad = buildMalformed(kind, reading, topics, camera?.id)
      stats.malformed[kind]++
      topic = bad.topic
      payload = bad.payload
    } else {
      payload = serialize(reading)
    }
    stats.sent++
    const inFlight = send(topic, payload)
    if (inFlight) {
      liveInFlight++
      void inFlight.then(() => {
        liveInFlight--
      })
    }
  }

  function tick(): void {
    const t = now()
    let due = Math.floor(((t - startedAt) * config.rate) / 1000) - issued
    if (due <= 0) return
    const catchUp = Math.max(1, Math.ceil(config.rate * MAX_CATCH_UP_SEC))
    if (due > catchUp) {
      stats.skipped.dropped_by_lag += due - catchUp
      issued += due - catchUp
      cursor = (cursor + due - catchUp) % devices.length
      due = catchUp
    }
    for (let i = 0; i < due; i++) {
      // nominal slot time, so a device's readings are exactly one period apart whatever the timer jitter
      const ts = Math.min(t, Math.round(startedAt + (issued * 1000) / config.rate))
      issued++
      const device = devices[cursor]!
      cursor = (cursor + 1) % devices.length
      emitLive(device, ts)
    }
  }

  async function backfill({ hours, stepSec, onProgress, only }: BackfillOptions): Promise<number> {
    if (!(hours > 0) || !Number.isFinite(hours)) throw new Error(`backfill.hours: expected a positive number, got ${hours}`)
    if (!(stepSec >= 1) || !Number.isFinite(stepSec)) throw new Error(`backfill.stepSec: expected a number ≥ 1, got ${stepSec}`)
    const feed = model.fork()
    const mine = new Set<Promise<void>>()
    const born = generation
    const end = now()
    const stepMs = Math.round(stepSec * 1000)
    // aligned to the step so two backfills of the same window publish the same timestamps
    const first = Math.ceil((end - hours * HOUR_MS) / stepMs) * stepMs
    const steps = Math.floor((end - first) / stepMs) + 1
    const periodSec = periodSecOf(stepSec)
    const progress: BackfillProgress = { published: 0, skipped: 0, total: steps * devices.length, ts: first }
    const waiters: (() => void)[] = []
    let sinceYield = 0

    for (let s = 0; s < steps && generation === born; s++) {
      const ts = first + s * stepMs
      for (const device of devices) {
        if (only && !only(device.id, ts)) continue
        if (!feed.isReporting(device.id, ts)) {
          progress.skipped++
          continue
        }
        while (mine.size >= config.backfillConcurrency) await new Promise<void>((resolve) => waiters.push(resolve))
        if (generation !== born) break
        const inFlight = send(device.topic, serialize(read(feed, device, ts, periodSec)))
        progress.published++
        stats.backfilled++
        if (inFlight) {
          mine.add(inFlight)
          void inFlight.then(() => {
            mine.delete(inFlight)
            waiters.shift()?.()
          })
        } else if (++sinceYield >= SYNC_YIELD_EVERY) {
          sinceYield = 0
          await new Promise<void>((resolve) => setImmediate(resolve))
        }
      }
      progress.ts = ts
      onProgress?.({ ...progress })
    }
    await Promise.all(mine)
    return progress.published
  }

  return {
    start() {
      if (timer !== null) return
      startedAt = now()
      issued = 0
      const set = options.setInterval ?? ((fn: () => void, ms: number) => setInterval(fn, ms))
      timer = set(tick, config.tickMs)
    },
    async stop() {
      generation++
      if (timer !== null) {
        const clear = options.clearInterval ?? ((handle: unknown) => clearInterval(handle as ReturnType<typeof setInterval>))
        clear(timer)
        timer = null
      }
      while (pending.size > 0) await Promise.all(pending)
    },
    stats: () => structuredClone(stats),
    backfill,
  }
}

function serialize(reading: GoodReading): string {
  return reading.device === 'env'
    ? envPayload(reading.ts, reading.values)
    : cameraPayload(reading.ts, reading.periodSec, reading.counts, reading.inside)
}

/** A camera's counting period: its reporting interval, as the whole seconds the contract accepts. */
function periodSecOf(intervalSec: number): number {
  return Math.min(CAMERA_LIMITS.maxPeriodSec, Math.max(CAMERA_LIMITS.minPeriodSec, Math.round(intervalSec)))
}

function isThenable(v: unknown): v is PromiseLike<void> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function'
}

interface Config {
  rate: number
  malformedRatio: number
  maxInFlight: number
  backfillConcurrency: number
  tickMs: number
}

function validate(o: SimulatorOptions): Config {
  const config: Config = {
    rate: o.rate,
    malformedRatio: o.malformedRatio ?? 0,
    maxInFlight: o.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
    backfillConcurrency: o.backfillConcurrency ?? DEFAULT_BACKFILL_CONCURRENCY,
    tickMs: o.tickMs ?? DEFAULT_TICK_MS,
  }
  if (!(config.rate > 0) || !Number.isFinite(config.rate)) throw new Error(`simulator.rate: expected readings per second > 0, got ${o.rate}`)
  if (!(config.malformedRatio >= 0 && config.malformedRatio <= 1)) {
    throw new Error(`simulator.malformedRatio: expected a share 0–1, got ${o.malformedRatio}`)
  }
  for (const key of ['maxInFlight', 'backfillConcurrency'] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 1) throw new Error(`simulator.${key}: expected a whole number ≥ 1, got ${config[key]}`)
  }
  if (!(config.tickMs > 0) || !Number.isFinite(config.tickMs)) throw new Error(`simulator.tickMs: expected milliseconds > 0, got ${o.tickMs}`)
  if (o.stations.length + o.cameras.length === 0) throw new Error('simulator.stations, simulator.cameras: nothing to simulate (both are empty)')
  return config
}
