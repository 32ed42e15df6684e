// The ingest worker: subscribes to device topics (through the shared group when the broker has one),
// turns each message into a batch entry, commits batches, then releases the held MQTT acks and publishes
// the committed readings for every server instance. See ARCHITECTURE.md for the guarantees.
import type { MqttClient } from 'mqtt'
import type { IPublishPacket } from 'mqtt-packet'
import type pg from 'pg'
import {
  INGEST_SHARE_GROUP,
  sharedFilter,
  topicMap,
  type CameraCount,
  type DeviceTopic,
  type EnvReading,
  type IngestLimits,
  type LiveCameraBatch,
  type LiveEnvBatch,
} from '../contract/index.ts'
import type { Config } from '../core/config.ts'
import { createLogger, redactUrl } from '../core/log.ts'
import { metrics } from '../core/metrics.ts'
import { connectMqtt } from '../core/mqtt.ts'
import { Batcher } from './batcher.ts'
import { deferPubacks, type DeferredAcks, type HeldAck } from './deferred-acks.ts'
import { payloadExcerpt, storableText, toEntry, type DeadLetter, type Entry, type KnownDevices } from './entries.ts'
import { isDataError, writeBatch, type WriteResult } from './writer.ts'

const log = createLogger('ingest')

export interface IngestOptions {
  pool: pg.Pool
  mqttUrl: string
  mqttVersion: 4 | 5
  topicRoot: string
  clientId: string
  shared: boolean
  receiveMaximum: number
  batchMaxRows: number
  batchMaxWaitMs: number
  limits: IngestLimits
  now?: () => number
  /** Called after each commit (tests and the benchmark observe progress through it). */
  onCommit?: (result: WriteResult) => void
}

export interface IngestService {
  client: MqttClient
  /** Resolves once the device subscriptions are acknowledged by the broker. */
  ready: Promise<void>
  readonly pendingRows: number
  /** What is wrong right now, in words (empty when healthy): for /healthz. */
  health(): string[]
  /** Stops taking messages, commits what was accepted (acks follow), and disconnects keeping the session. */
  stop(timeoutMs?: number): Promise<void>
  /**
   * Leaves the shared group for good: unsubscribes (the broker routes nothing new here), takes in what its
   * session still holds until the feed has been quiet for `idleMs`, commits it, and ends the session.
   */
  retire(idleMs?: number): Promise<void>
}

interface Item {
  entry: Entry
  topic: string
  payload: Buffer
  ack: HeldAck
}

const LIVE_CHUNK = 2000
/** Failed commits in a row before /healthz reports the database as the problem. */
const FAILURES_BEFORE_UNHEALTHY = 3
/** Readings waiting longer than this make ingest unhealthy. */
const PENDING_TOO_LONG_MS = 60_000
const KNOWN_DEVICES_REFRESH_MS = 60_000
const UNKNOWN_DEVICE_RECHECK_MS = 10_000

/** Station and camera ids from the reference tables, refreshed periodically and when an unknown id shows up. */
class DeviceRegistry implements KnownDevices {
  private stations = new Set<string>()
  private cameras = new Set<string>()
  lastRefresh = 0
  private inFlight: Promise<void> | null = null

  constructor(private readonly pool: pg.Pool) {}

  hasStation(id: string) {
    return this.stations.has(id)
  }
  hasCamera(id: string) {
    return this.cameras.has(id)
  }

  refresh(): Promise<void> {
    this.inFlight ??= (async () => {
      try {
        const [s, c] = await Promise.all([
          this.pool.query<{ id: string }>('SELECT id FROM stations'),
          this.pool.query<{ id: string }>('SELECT id FROM cameras'),
        ])
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

/** The options every entry point derives from the configuration (they differ only in pool and broker). */
export function ingestOptions(config: Readonly<Config>, pool: pg.Pool, mqttUrl: string): IngestOptions {
  return {
    pool,
    mqttUrl,
    mqttVersion: config.mqttVersion,
    topicRoot: config.topicRoot,
    clientId: config.ingest.clientId,
    shared: config.ingest.shared,
    receiveMaximum: config.ingest.receiveMaximum,
    batchMaxRows: config.ingest.batchMaxRows,
    batchMaxWaitMs: config.ingest.batchMaxWaitMs,
    limits: { maxPayloadBytes: config.ingest.maxPayloadBytes, maxAgeMs: config.ingest.maxAgeMs, maxFutureMs: config.ingest.maxFutureMs },
  }
}

export async function startIngest(o: IngestOptions): Promise<IngestService> {
  const now = o.now ?? Date.now
  const topics = topicMap(o.topicRoot)
  const devices = new DeviceRegistry(o.pool)
  await devices.refresh()
  const refreshTimer = setInterval(() => devices.refresh().catch((err) => log.warn('could not refresh the device list', { error: err })), KNOWN_DEVICES_REFRESH_MS)
  // gauges and the health clock tick once a second: cheaper than per message, fresh enough for /metrics
  const gaugeTimer = setInterval(() => updateGauges(), 1000)

  let client!: MqttClient
  let closing = false
  let subscribed!: () => void
  let subscribeFailed!: (err: Error) => void
  const ready = new Promise<void>((resolve, reject) => {
    subscribed = resolve
    subscribeFailed = reject
  })
  const filters = topics.deviceFilters.map((f) => (o.shared ? sharedFilter(INGEST_SHARE_GROUP, f) : f))
  // with MQTT 5 the Receive Maximum bounds what the broker hands over unacknowledged, so ingest never has
  // to stop reading; MQTT 3.1.1 has no such bound, so there a saturated batcher pauses the connection
  const pauseWhenSaturated = o.mqttVersion === 4
  let lastMessageAt = 0
  const failing = { count: 0, error: '' }
  /** Since when rows have been waiting for the database without a pause (0: nothing waiting). */
  let pendingSince = 0

  const batcher = new Batcher<Item>({
    maxRows: o.batchMaxRows,
    maxWaitMs: o.batchMaxWaitMs,
    highWaterRows: o.batchMaxRows * 4,
    rowsOf: (item) => item.entry.rows,
    flush: (items) => commit(items),
    onFlushError(err, attempt) {
      metrics.batchFailures.inc()
      metrics.databaseUp.set(0)
      failing.count++
      failing.error = (err as Error).message
      if (attempt === 1 || attempt % 20 === 0) log.warn(`batch commit failed (attempt ${attempt}); retrying, acks held`, { error: err })
    },
  })

  async function commit(items: Item[]): Promise<void> {
    const started = performance.now()
    const result = await writeIsolatingBadEntries(items)
    const committedAt = now()
    metrics.databaseUp.set(1)
    failing.count = 0
    for (const item of items) item.ack.release()
    metrics.batchSeconds.observe((performance.now() - started) / 1000)
    metrics.batchRows.observe(result.readingRows + result.cameraRows + result.deadLetters)
    metrics.rowsWritten.inc({ table: 'station_readings' }, result.readingsInserted)
    metrics.rowsWritten.inc({ table: 'camera_counts' }, result.cameraInserted)
    metrics.rowsDuplicate.inc({ table: 'station_readings' }, result.readingRows - result.readingsInserted)
    metrics.rowsDuplicate.inc({ table: 'camera_counts' }, result.cameraRows - result.cameraInserted)
    publishLive(items, committedAt)
    o.onCommit?.(result)
  }

  function updateGauges(): void {
    metrics.pendingRows.set(batcher.pendingRows)
    metrics.heldAcks.set(acks.held)
    pendingSince = batcher.pendingRows === 0 ? 0 : pendingSince || Date.now()
  }

  /** Writes the batch; when the data itself is refused, splits it until the entry at fault is found and dead-letters that one. */
  async function writeIsolatingBadEntries(items: Item[]): Promise<WriteResult> {
    const readings: EnvReading[] = []
    const counts: CameraCount[] = []
    const dead: DeadLetter[] = []
    for (const { entry } of items) {
      if (entry.env) readings.push(entry.env)
      if (entry.camera) counts.push(entry.camera)
      if (entry.dead) dead.push(entry.dead)
    }
    try {
      const result = await writeBatch(o.pool, readings, counts, dead)
      for (const d of dead) metrics.deadLetters.inc({ code: d.code })
      return result
    } catch (err) {
      if (!isDataError(err)) throw err
      if (items.length === 1) {
        const item = items[0]!
        if (item.entry.dead?.code === 'db_rejected') {
          // the database refuses even the dead letter: retrying cannot help and would stall ingest for good
          log.error('the database refused a message and its dead letter; dropping it', { topic: storableText(item.topic), error: err })
          metrics.dropped.inc()
          item.entry = { env: null, camera: null, dead: null, rows: 0 }
          return { readingRows: 0, readingsInserted: 0, cameraRows: 0, cameraInserted: 0, deadLetters: 0 }
        }
        log.warn('the database refused a message; dead-lettering it', { topic: storableText(item.topic), error: err })
        item.entry = {
          env: null,
          camera: null,
          dead: {
            topic: storableText(item.topic),
            code: 'db_rejected',
            reason: storableText(`the database refused it: ${(err as Error).message}`),
            payload: payloadExcerpt(item.payload),
            payloadBytes: item.payload.byteLength,
            accepted: 0,
          },
          rows: 1,
        }
        return writeIsolatingBadEntries(items)
      }
      const half = Math.ceil(items.length / 2)
      const a = await writeIsolatingBadEntries(items.slice(0, half))
      const b = await writeIsolatingBadEntries(items.slice(half))
      return {
        readingRows: a.readingRows + b.readingRows,
        readingsInserted: a.readingsInserted + b.readingsInserted,
        cameraRows: a.cameraRows + b.cameraRows,
        cameraInserted: a.cameraInserted + b.cameraInserted,
        deadLetters: a.deadLetters + b.deadLetters,
      }
    }
  }

  function publishLive(items: Item[], committedAt: number): void {
    if (!client.connected) return // servers resync from the database; a late live frame would only mislead
    const readings: EnvReading[] = []
    const counts: CameraCount[] = []
    for (const { entry } of items) {
      if (entry.env) readings.push(entry.env)
      if (entry.camera) counts.push(entry.camera)
    }
    for (let i = 0; i < readings.length; i += LIVE_CHUNK) {
      const msg: LiveEnvBatch = { committedAt, readings: readings.slice(i, i + LIVE_CHUNK) }
      client.publish(topics.liveEnv, JSON.stringify(msg), { qos: 0 })
    }
    for (let i = 0; i < counts.length; i += LIVE_CHUNK) {
      const msg: LiveCameraBatch = { committedAt, counts: counts.slice(i, i + LIVE_CHUNK) }
      client.publish(topics.liveCamera, JSON.stringify(msg), { qos: 0 })
    }
  }

  function accept(packet: IPublishPacket, device: DeviceTopic, ack: HeldAck): void {
    const payload = packet.payload as Buffer
    const entry = toEntry(packet.topic, device, payload, devices, now(), o.limits)
    const outcome = entry.dead ? (entry.env || entry.camera ? 'partial' : 'dead') : 'stored'
    metrics.messagesIn.inc({ kind: device.kind, outcome })
    batcher.add({ entry, topic: packet.topic, payload, ack })
  }

  function isUnknownDevice(d: DeviceTopic): boolean {
    if (d.kind === 'env') return !devices.hasStation(d.id)
    if (d.kind === 'camera') return !devices.hasCamera(d.id)
    return false
  }

  let acks!: DeferredAcks
  client = connectMqtt({
    url: o.mqttUrl,
    clientId: o.clientId,
    protocolVersion: o.mqttVersion,
    persistentSession: true,
    sessionExpirySec: 7 * 86_400,
    receiveMaximum: o.receiveMaximum,
    setup(c) {
      acks = deferPubacks(c)
      c.handleMessage = (packet, done) => {
        if (closing) return // never acknowledged: the broker redelivers it to the next worker or this one's restart
        lastMessageAt = Date.now()
        const publish = packet as IPublishPacket
        const ack = acks.hold(publish)
        const device = topics.parse(publish.topic)
        const proceed = () => (pauseWhenSaturated && batcher.saturated ? void batcher.whenBelowHighWater().then(() => done()) : done())
        // a device added to the reference data a moment ago: look again before dead-lettering it
        if (isUnknownDevice(device) && Date.now() - devices.lastRefresh > UNKNOWN_DEVICE_RECHECK_MS) {
          devices
            .refresh()
            .catch(() => {})
            .finally(() => {
              if (closing) return
              accept(publish, device, ack)
              proceed()
            })
          return
        }
        accept(publish, device, ack)
        proceed()
      }
      c.on('connect', (connack) => {
        metrics.brokerUp.set({ client: 'ingest' }, 1)
        // persistent sessions keep subscriptions; subscribing again is harmless and covers a lost session.
        // Retained messages only on a new subscription (MQTT 5 rh=1): not the same ones again at every reconnect.
        if (!connack.sessionPresent) log.info(`subscribing ${filters.join(', ')}`)
        c.subscribe(filters, { qos: 1, rh: 1 }, (err, granted) => {
          const refused = granted?.filter((g) => g.qos >= 128) ?? []
          if (err || refused.length) {
            const what = err ? err.message : refused.map((g) => `${g.topic} (reason code ${g.qos})`).join(', ')
            const hint = o.shared ? '; a broker without shared subscriptions needs INGEST_SHARED=0' : ''
            subscribeFailed(new Error(`the broker refused the subscription: ${what}. Check the broker's ACL for this client${hint}`))
          } else subscribed()
        })
      })
      c.on('close', () => metrics.brokerUp.set({ client: 'ingest' }, 0))
    },
  })
  // a refused subscription is reported by whoever awaits `ready`; keep it from counting as unhandled
  ready.catch(() => {})

  let stopping: Promise<void> | null = null
  function stop(timeoutMs = 15_000, endSession = false): Promise<void> {
    stopping ??= shutdown(timeoutMs, endSession)
    return stopping
  }
  async function shutdown(timeoutMs: number, endSession: boolean): Promise<void> {
    closing = true
    clearInterval(refreshTimer)
    clearInterval(gaugeTimer)
    const drained = await batcher.drain(timeoutMs)
    if (!drained) log.warn('shutdown: could not commit the last batch in time; its messages stay unacknowledged and will be redelivered')
    // MQTT 5 DISCONNECT with session expiry 0 ends the session; otherwise the broker keeps it for our return
    await client.endAsync(false, endSession && o.mqttVersion === 5 ? { properties: { sessionExpiryInterval: 0 } } : {})
  }

  return {
    client,
    ready,
    get pendingRows() {
      return batcher.pendingRows
    },
    health() {
      const problems: string[] = []
      if (!client.connected) problems.push(`broker: ingest is not connected to ${redactUrl(o.mqttUrl)}`)
      if (failing.count >= FAILURES_BEFORE_UNHEALTHY) problems.push(`database: the last ${failing.count} batch commits failed (${failing.error})`)
      if (pendingSince && Date.now() - pendingSince > PENDING_TOO_LONG_MS) {
        problems.push(`ingest: ${batcher.pendingRows} rows have waited ${Math.round((Date.now() - pendingSince) / 1000)} s for the database`)
      }
      return problems
    },
    stop: (timeoutMs) => stop(timeoutMs),
    async retire(idleMs = 2000) {
      await ready
      await client.unsubscribeAsync(filters)
      log.info(`retiring ${o.clientId}: unsubscribed; taking in what the session still holds`)
      lastMessageAt = Date.now()
      while (Date.now() - lastMessageAt < idleMs || batcher.pendingRows > 0) await new Promise((r) => setTimeout(r, 100))
      await stop(15_000, true)
      log.info(`retired ${o.clientId}: its session is gone and nothing is left in it`)
    },
  }
}
