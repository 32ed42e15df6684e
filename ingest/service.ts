// The ingest worker: takes each message from its source (a real broker, or the embedded one), turns it into
// a batch entry, commits batches, then releases the held acknowledgements and publishes the committed data
// for every server instance. It also publishes a heartbeat saying whether it can store data, so every wall
// knows when its data stops. See ARCHITECTURE.md for the guarantees.
import { HEARTBEAT_INTERVAL_MS, topicMap, type IngestHeartbeat, type IngestLimits, type InputTopic } from '../contract/index.ts'
import type { Config } from '../core/config.ts'
import { createLogger } from '../core/log.ts'
import { metrics } from '../core/metrics.ts'
import { describeDatabaseError, type Database } from '../db/database.ts'
import { INGEST_DOMAINS, ingestDomains } from './domains.ts'
import { Batcher } from './shared/batcher.ts'
import { DeviceRegistry } from './shared/device-registry.ts'
import type { IngestDomain } from './shared/domain.ts'
import { safeEntry } from './shared/entries.ts'
import { writeIsolatingBadEntries, type Item } from './shared/isolate.ts'
import { liveFrames } from './shared/live-frames.ts'
import type { Delivery, HeldAck, MessageSource } from './shared/source.ts'
import { writeEntries, type WriteResult } from './shared/writer.ts'

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
  /** The domains to take messages for (default: every registered one). */
  domains?: readonly IngestDomain[]
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

/** Failed commits in a row before the database is reported as the problem. */
const FAILURES_BEFORE_UNHEALTHY = 3
/** A commit (retries included) running this long means the database is not answering. */
const COMMIT_TOO_LONG_MS = 10_000
const KNOWN_DEVICES_REFRESH_MS = 60_000
const UNKNOWN_DEVICE_RECHECK_MS = 10_000
export const DEFAULT_STOP_TIMEOUT_MS = 4000

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
    domains: ingestDomains(config),
  }
}

export async function startIngest(o: IngestOptions): Promise<IngestService> {
  const devices = new DeviceRegistry(o.db, o.domains ?? INGEST_DOMAINS)
  await devices.refresh()
  return new IngestWorker(o, devices)
}

/**
 * One worker's life: messages in (handle → accept → batch), batches committed (commit → release acks →
 * publish live), a heartbeat, and the way out (stop, retire).
 */
class IngestWorker implements IngestService {
  readonly ready: Promise<void>
  #o: IngestOptions
  #devices: DeviceRegistry
  #now: () => number
  #topics: ReturnType<typeof topicMap>
  #batcher: Batcher<Pending>
  #closing = false
  #lastMessageAt = 0
  /** Commit time of the newest batch that held data, for the walls' "data as of". */
  #lastDataAt: number | null = null
  #failing = { count: 0, error: '' }
  #timers: ReturnType<typeof setInterval>[]
  #stopping: Promise<number> | null = null

  constructor(o: IngestOptions, devices: DeviceRegistry) {
    this.#o = o
    this.#devices = devices
    this.#now = o.now ?? Date.now
    this.#topics = topicMap(o.topicRoot)
    this.#batcher = new Batcher<Pending>({
      maxRows: o.batchMaxRows,
      maxWaitMs: o.batchMaxWaitMs,
      highWaterRows: o.batchMaxRows * 4,
      rowsOf: (item) => item.entry.rows,
      flush: (items) => this.#commit(items),
      now: this.#now,
      onFlushError: (err, attempt) => {
        metrics.batchFailures.inc()
        metrics.databaseUp.set(0)
        this.#failing.count++
        this.#failing.error = describeDatabaseError(err)
        if (attempt === 1 || attempt % 20 === 0) log.warn(`batch commit failed (attempt ${attempt}): ${this.#failing.error}; retrying, acknowledgements held`)
      },
    })
    this.ready = o.source.start((d) => this.#handle(d))
    // a refused subscription is reported by whoever awaits `ready`; keep it from counting as unhandled
    this.ready.catch(() => {})
    this.#timers = [
      setInterval(() => devices.refresh().catch((err) => log.warn('could not refresh the device list', { error: err })), KNOWN_DEVICES_REFRESH_MS),
      // gauges tick once a second: cheaper than per message, fresh enough for /metrics
      setInterval(() => {
        metrics.pendingRows.set(this.#batcher.pendingRows)
        metrics.heldAcks.set(o.source.held())
      }, 1000),
      setInterval(() => this.#heartbeat(), HEARTBEAT_INTERVAL_MS),
    ]
    void this.ready.then(() => this.#heartbeat(), () => {})
  }

  get pendingRows(): number {
    return this.#batcher.pendingRows
  }

  health(): string[] {
    const problems: string[] = []
    const now = this.#now()
    if (!this.#o.source.connected()) problems.push('broker: ingest is not connected')
    const since = this.#batcher.flushingSince
    if (this.#failing.count >= FAILURES_BEFORE_UNHEALTHY) problems.push(`database: the last ${this.#failing.count} commits failed (${this.#failing.error})`)
    else if (since !== null && now - since > COMMIT_TOO_LONG_MS) problems.push(`database: a commit has waited ${Math.round((now - since) / 1000)} s for an answer`)
    return problems
  }

  stop(timeoutMs = DEFAULT_STOP_TIMEOUT_MS): Promise<number> {
    this.#stopping ??= this.#shutdown(timeoutMs, false)
    return this.#stopping
  }

  async retire(idleMs = 2000): Promise<void> {
    const { source, workerId } = this.#o
    if (!source.unsubscribe) throw new Error('this source has no subscription to leave')
    await this.ready
    await source.unsubscribe()
    log.info(`retiring ${workerId}: unsubscribed; taking in what the session still holds`)
    this.#lastMessageAt = Date.now()
    while (Date.now() - this.#lastMessageAt < idleMs || this.#batcher.pendingRows > 0) await new Promise((r) => setTimeout(r, 100))
    this.#stopping ??= this.#shutdown(15_000, true)
    await this.#stopping
    log.info(`retired ${workerId}: its session is gone and nothing is left in it`)
  }

  #handle(d: Delivery): void | Promise<void> {
    if (this.#closing) return
    this.#lastMessageAt = Date.now()
    const input = this.#topics.parse(d.topic)
    // a device added to the reference data a moment ago: look again before dead-lettering it
    if (this.#devices.isUnknown(input) && Date.now() - this.#devices.lastRefresh > UNKNOWN_DEVICE_RECHECK_MS) {
      return this.#devices
        .refresh()
        .catch(() => {})
        .then(() => {
          if (!this.#closing) this.#accept(d, input)
          return this.#backpressure()
        })
    }
    this.#accept(d, input)
    return this.#backpressure()
  }

  /** Turns a message into a batch entry; total: whatever arrives ends as data or a dead letter. */
  #accept(d: Delivery, input: InputTopic): void {
    const { entry, error } = safeEntry(d.topic, input, d.payload, this.#devices, this.#now(), this.#o.limits)
    if (error) log.error('a message failed its handler; dead-lettered it as internal_error', { topic: d.topic.slice(0, 200), error })
    metrics.messagesIn.inc({ kind: input.kind, outcome: entry.dead ? (entry.item !== null ? 'partial' : 'dead') : 'stored' })
    this.#batcher.add({ entry, topic: d.topic, payload: d.payload, ack: d.ack })
  }

  /** Rows waiting for the database past the high-water mark: the source waits before the next message. */
  #backpressure(): Promise<void> | void {
    return this.#batcher.saturated ? this.#batcher.whenBelowHighWater() : undefined
  }

  async #commit(items: Pending[]): Promise<void> {
    const started = performance.now()
    const { result, rejected, dropped } = await writeIsolatingBadEntries(items, (entries) => writeEntries(this.#o.db, entries))
    const committedAt = this.#now()
    metrics.databaseUp.set(1)
    this.#failing.count = 0
    for (const item of items) item.ack.release()
    for (const item of rejected) log.warn('the database refused a message; dead-lettered it', { topic: item.topic.slice(0, 200) })
    for (const item of dropped) log.error('the database refused a message and its dead letter; dropped it', { topic: item.topic.slice(0, 200) })
    const rows = countCommit(items, result, dropped.length, performance.now() - started)
    if (rows > 0) this.#lastDataAt = committedAt
    for (const frame of liveFrames(items.map((i) => i.entry), committedAt)) this.#o.source.publish(this.#topics.live(frame.segment), frame.payload)
    this.#o.onCommit?.(result)
  }

  #heartbeat(): void {
    const hb: IngestHeartbeat = { clientId: this.#o.workerId, at: this.#now(), problems: this.health(), lastDataAt: this.#lastDataAt, pendingRows: this.#batcher.pendingRows }
    this.#o.source.publish(this.#topics.liveIngest, JSON.stringify(hb))
  }

  async #shutdown(timeoutMs: number, endSession: boolean): Promise<number> {
    this.#closing = true
    this.#o.source.pause()
    for (const t of this.#timers) clearInterval(t)
    const drained = await this.#batcher.drain(timeoutMs)
    const left = this.#batcher.pendingEntries
    if (!drained) log.warn(`stopping: ${left} message(s) were not committed within ${timeoutMs / 1000} s; ${this.#o.source.redelivery}`)
    await this.#o.source.close({ endSession })
    return drained ? 0 : left
  }
}

/** Counts a committed batch into the metrics; returns the data rows it wrote. */
function countCommit(items: readonly Pending[], result: WriteResult, dropped: number, ms: number): number {
  metrics.dropped.inc(dropped)
  for (const { entry } of items) if (entry.dead) metrics.deadLetters.inc({ code: entry.dead.code })
  metrics.batchSeconds.observe(ms / 1000)
  let rows = 0
  for (const [table, c] of Object.entries(result.tables)) {
    rows += c.rows
    metrics.rowsWritten.inc({ table }, c.inserted)
    metrics.rowsDuplicate.inc({ table }, c.rows - c.inserted)
  }
  metrics.batchRows.observe(rows + result.deadLetters)
  return rows
}
