// The ingest worker: takes each message from its source (a real broker, or the embedded one), turns it into
// a batch entry, commits batches, then releases the held acknowledgements and publishes the committed data
// for every server instance. It also publishes a heartbeat saying whether it can store data, so every wall
// knows when its data stops. See ARCHITECTURE.md for the guarantees.
import {
  HEARTBEAT_INTERVAL_MS,
  topicMap,
  type CameraCount,
  type DeviceTopic,
  type EnvReading,
  type IngestHeartbeat,
  type IngestLimits,
  type LiveCameraBatch,
  type LiveEnvBatch,
} from '../contract/index.ts'
import type { Config } from '../core/config.ts'
import { createLogger } from '../core/log.ts'
import { metrics } from '../core/metrics.ts'
import { describeDatabaseError, type Database } from '../db/database.ts'
import { Batcher } from './batcher.ts'
import { safeEntry, type KnownDevices } from './entries.ts'
import { writeIsolatingBadEntries, type Item } from './isolate.ts'
import type { Delivery, HeldAck, MessageSource } from './source.ts'
import { writeEntries, type WriteResult } from './writer.ts'

const log = createLogger('ingest')

export interface IngestOptions {
  db: Database
  source: MessageSource
  topicRoot: string
  /** Names this worker in its heartbeat (its MQTT client id). */
  workerId: string
  batchMaxRows: number
  batchMaxWaitMs: number
  limits: IngestLimits
  now?: () => number
  /** Called after each commit (tests and the benchmark observe progress through it). */
  onCommit?: (result: WriteResult) => void
}

export interface IngestService {
  /** Resolves once messages can flow (subscriptions acknowledged). */
  ready: Promise<void>
  readonly pendingRows: number
  /** What keeps this worker from storing data right now, in words (empty when healthy): for /healthz. */
  health(): string[]
  /**
   * Stops taking messages and commits what was taken, for at most `timeoutMs`; what is left stays
   * unacknowledged (the log says where it goes). Resolves with how many messages that was.
   */
  stop(timeoutMs?: number): Promise<number>
  /**
   * Leaves the shared group for good: unsubscribes (the broker routes nothing new here), takes in what its
   * session still holds until the feed has been quiet for `idleMs`, commits it, and ends the session.
   */
  retire(idleMs?: number): Promise<void>
}

interface Pending extends Item {
  ack: HeldAck
}

const LIVE_CHUNK = 2000
/** Failed commits in a row before the database is reported as the problem. */
const FAILURES_BEFORE_UNHEALTHY = 3
/** A commit (retries included) running this long means the database is not answering. */
const COMMIT_TOO_LONG_MS = 10_000
const KNOWN_DEVICES_REFRESH_MS = 60_000
const UNKNOWN_DEVICE_RECHECK_MS = 10_000
export const DEFAULT_STOP_TIMEOUT_MS = 4000

/** Station and camera ids from the reference tables, refreshed periodically and when an unknown id shows up. */
class DeviceRegistry implements KnownDevices {
  private stations = new Set<string>()
  private cameras = new Set<string>()
  lastRefresh = 0
  private inFlight: Promise<void> | null = null

  constructor(private readonly db: Database) {}

  hasStation(id: string) {
    return this.stations.has(id)
  }
  hasCamera(id: string) {
    return this.cameras.has(id)
  }
  isUnknown(d: DeviceTopic): boolean {
    if (d.kind === 'env') return !this.stations.has(d.id)
    if (d.kind === 'camera') return !this.cameras.has(d.id)
    return false
  }

  refresh(): Promise<void> {
    this.inFlight ??= (async () => {
      try {
        const [s, c] = [await this.db.query<{ id: string }>('SELECT id FROM stations'), await this.db.query<{ id: string }>('SELECT id FROM cameras')]
        this.stations = new Set(s.rows.map((r) => r.id))
        this.cameras = new Set(c.rows.map((r) => r.id))
        this.lastRefresh = Date.now()
      } finally {
        this.inFlight = null
      }
    })()
    return this.inFlight
  }
}

/** The options every entry point derives from the configuration (they differ in database and source). */
export function ingestOptions(config: Readonly<Config>, db: Database, source: MessageSource): IngestOptions {
  return {
    db,
    source,
    topicRoot: config.topicRoot,
    workerId: config.ingest.clientId,
    batchMaxRows: config.ingest.batchMaxRows,
    batchMaxWaitMs: config.ingest.batchMaxWaitMs,
    limits: { maxPayloadBytes: config.ingest.maxPayloadBytes, maxAgeMs: config.ingest.maxAgeMs, maxFutureMs: config.ingest.maxFutureMs },
  }
}

export async function startIngest(o: IngestOptions): Promise<IngestService> {
  const now = o.now ?? Date.now
  const topics = topicMap(o.topicRoot)
  const devices = new DeviceRegistry(o.db)
  await devices.refresh()
  const refreshTimer = setInterval(() => devices.refresh().catch((err) => log.warn('could not refresh the device list', { error: err })), KNOWN_DEVICES_REFRESH_MS)

  let closing = false
  let lastMessageAt = 0
  /** Commit time of the newest batch that held data, for the walls' "data as of". */
  let lastDataAt: number | null = null
  const failing = { count: 0, error: '' }

  const batcher = new Batcher<Pending>({
    maxRows: o.batchMaxRows,
    maxWaitMs: o.batchMaxWaitMs,
    highWaterRows: o.batchMaxRows * 4,
    rowsOf: (item) => item.entry.rows,
    flush: (items) => commit(items),
    now,
    onFlushError(err, attempt) {
      metrics.batchFailures.inc()
      metrics.databaseUp.set(0)
      failing.count++
      failing.error = describeDatabaseError(err)
      if (attempt === 1 || attempt % 20 === 0) log.warn(`batch commit failed (attempt ${attempt}): ${failing.error}; retrying, acknowledgements held`)
    },
  })

  async function commit(items: Pending[]): Promise<void> {
    const started = performance.now()
    const { result, rejected, dropped } = await writeIsolatingBadEntries(items, (entries) => writeEntries(o.db, entries))
    const committedAt = now()
    metrics.databaseUp.set(1)
    failing.count = 0
    for (const item of items) item.ack.release()
    for (const item of rejected) log.warn('the database refused a message; dead-lettered it', { topic: item.topic.slice(0, 200) })
    for (const item of dropped) log.error('the database refused a message and its dead letter; dropped it', { topic: item.topic.slice(0, 200) })
    metrics.dropped.inc(dropped.length)
    for (const { entry } of items) if (entry.dead) metrics.deadLetters.inc({ code: entry.dead.code })
    metrics.batchSeconds.observe((performance.now() - started) / 1000)
    metrics.batchRows.observe(result.readingRows + result.cameraRows + result.deadLetters)
    metrics.rowsWritten.inc({ table: 'station_readings' }, result.readingsInserted)
    metrics.rowsWritten.inc({ table: 'camera_counts' }, result.cameraInserted)
    metrics.rowsDuplicate.inc({ table: 'station_readings' }, result.readingRows - result.readingsInserted)
    metrics.rowsDuplicate.inc({ table: 'camera_counts' }, result.cameraRows - result.cameraInserted)
    if (result.readingRows + result.cameraRows > 0) lastDataAt = committedAt
    publishLive(items, committedAt)
    o.onCommit?.(result)
  }

  function publishLive(items: Pending[], committedAt: number): void {
    const readings: EnvReading[] = []
    const counts: CameraCount[] = []
    for (const { entry } of items) {
      if (entry.env) readings.push(entry.env)
      if (entry.camera) counts.push(entry.camera)
    }
    for (let i = 0; i < readings.length; i += LIVE_CHUNK) {
      const msg: LiveEnvBatch = { committedAt, readings: readings.slice(i, i + LIVE_CHUNK) }
      o.source.publish(topics.liveEnv, JSON.stringify(msg))
    }
    for (let i = 0; i < counts.length; i += LIVE_CHUNK) {
      const msg: LiveCameraBatch = { committedAt, counts: counts.slice(i, i + LIVE_CHUNK) }
      o.source.publish(topics.liveCamera, JSON.stringify(msg))
    }
  }

  /** Turns a message into a batch entry; total: whatever arrives ends as data or a dead letter. */
  function accept(d: Delivery, device: DeviceTopic): void {
    const { entry, error } = safeEntry(d.topic, device, d.payload, devices, now(), o.limits)
    if (error) log.error('a message failed its handler; dead-lettered it as internal_error', { topic: d.topic.slice(0, 200), error })
    metrics.messagesIn.inc({ kind: device.kind, outcome: entry.dead ? (entry.env || entry.camera ? 'partial' : 'dead') : 'stored' })
    batcher.add({ entry, topic: d.topic, payload: d.payload, ack: d.ack })
  }

  function handle(d: Delivery): void | Promise<void> {
    if (closing) return
    lastMessageAt = Date.now()
    const device = topics.parse(d.topic)
    // a device added to the reference data a moment ago: look again before dead-lettering it
    if (devices.isUnknown(device) && Date.now() - devices.lastRefresh > UNKNOWN_DEVICE_RECHECK_MS) {
      return devices
        .refresh()
        .catch(() => {})
        .then(() => {
          if (!closing) accept(d, device)
          return backpressure()
        })
    }
    accept(d, device)
    return backpressure()
  }

  /** Rows waiting for the database past the high-water mark: the source waits before the next message. */
  function backpressure(): Promise<void> | void {
    return batcher.saturated ? batcher.whenBelowHighWater() : undefined
  }

  function health(): string[] {
    const problems: string[] = []
    if (!o.source.connected()) problems.push(`broker: ingest is not connected to ${o.source.describe()}`)
    const since = batcher.flushingSince
    if (failing.count >= FAILURES_BEFORE_UNHEALTHY) problems.push(`database: the last ${failing.count} commits failed (${failing.error})`)
    else if (since !== null && now() - since > COMMIT_TOO_LONG_MS) problems.push(`database: a commit has waited ${Math.round((now() - since) / 1000)} s for an answer`)
    return problems
  }

  function heartbeat(): void {
    const hb: IngestHeartbeat = { clientId: o.workerId, at: now(), problems: health(), lastDataAt, pendingRows: batcher.pendingRows }
    o.source.publish(topics.liveIngest, JSON.stringify(hb))
  }

  const ready = o.source.start(handle)
  // a refused subscription is reported by whoever awaits `ready`; keep it from counting as unhandled
  ready.catch(() => {})
  // gauges tick once a second: cheaper than per message, fresh enough for /metrics
  const gaugeTimer = setInterval(() => {
    metrics.pendingRows.set(batcher.pendingRows)
    metrics.heldAcks.set(o.source.held())
  }, 1000)
  const heartbeatTimer = setInterval(heartbeat, HEARTBEAT_INTERVAL_MS)
  void ready.then(heartbeat, () => {})

  let stopping: Promise<number> | null = null
  async function shutdown(timeoutMs: number, endSession: boolean): Promise<number> {
    closing = true
    o.source.pause()
    clearInterval(refreshTimer)
    clearInterval(gaugeTimer)
    clearInterval(heartbeatTimer)
    const drained = await batcher.drain(timeoutMs)
    const left = batcher.pendingEntries
    if (!drained) log.warn(`stopping: ${left} message(s) were not committed within ${timeoutMs / 1000} s; ${o.source.redelivery}`)
    await o.source.close({ endSession })
    return drained ? 0 : left
  }

  return {
    ready,
    get pendingRows() {
      return batcher.pendingRows
    },
    health,
    stop(timeoutMs = DEFAULT_STOP_TIMEOUT_MS) {
      stopping ??= shutdown(timeoutMs, false)
      return stopping
    },
    async retire(idleMs = 2000) {
      if (!o.source.unsubscribe) throw new Error('this source has no subscription to leave')
      await ready
      await o.source.unsubscribe()
      log.info(`retiring ${o.workerId}: unsubscribed; taking in what the session still holds`)
      lastMessageAt = Date.now()
      while (Date.now() - lastMessageAt < idleMs || batcher.pendingRows > 0) await new Promise((r) => setTimeout(r, 100))
      stopping ??= shutdown(15_000, true)
      await stopping
      log.info(`retired ${o.workerId}: its session is gone and nothing is left in it`)
    },
  }
}
