// The ingest worker: subscribes to device topics (through the shared group when the broker has one),
// turns each message into a batch entry, commits batches, then releases the held MQTT acks and publishes
// the committed readings for every server instance. See ARCHITECTURE.md for the guarantees.
import type { MqttClient } from 'mqtt'
import type { IPublishPacket } from 'mqtt-packet'
import type pg from 'pg'
import { INGEST_SHARE_GROUP, sharedFilter, topicMap, type CameraCount, type EnvReading, type IngestLimits, type LiveCameraBatch, type LiveEnvBatch } from '../contract/index.ts'
import type { Config } from '../core/config.ts'
import { createLogger } from '../core/log.ts'
import { metrics } from '../core/metrics.ts'
import { connectMqtt } from '../core/mqtt.ts'
import { Batcher } from './batcher.ts'
import { deferPubacks, type HeldAck } from './deferred-acks.ts'
import { payloadExcerpt, toEntry, type DeadLetter, type Entry, type KnownDevices } from './entries.ts'
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
  /** Stops taking messages, commits what was accepted (acks follow), and disconnects. */
  stop(timeoutMs?: number): Promise<void>
}

interface Item {
  entry: Entry
  topic: string
  payload: Buffer
  ack: HeldAck
}

const LIVE_CHUNK = 2000
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

  let client!: MqttClient
  let closing = false
  let subscribed!: () => void
  const ready = new Promise<void>((resolve) => (subscribed = resolve))

  const batcher = new Batcher<Item>({
    maxRows: o.batchMaxRows,
    maxWaitMs: o.batchMaxWaitMs,
    highWaterRows: o.batchMaxRows * 4,
    rowsOf: (item) => item.entry.rows,
    flush: (items) => commit(items),
    onFlushError(err, attempt) {
      metrics.batchFailures.inc()
      metrics.databaseUp.set(0)
      if (attempt === 1 || attempt % 20 === 0) log.warn(`batch commit failed (attempt ${attempt}); retrying, acks held`, { error: err })
    },
  })

  async function commit(items: Item[]): Promise<void> {
    const started = performance.now()
    const result = await writeIsolatingBadEntries(items)
    const committedAt = now()
    metrics.databaseUp.set(1)
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
        log.warn('the database refused a message; dead-lettering it', { topic: item.topic, error: err })
        item.entry = {
          env: null,
          camera: null,
          dead: {
            topic: item.topic,
            code: 'db_rejected',
            reason: `the database refused it: ${(err as Error).message}`,
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

  function accept(packet: IPublishPacket, ack: HeldAck): void {
    const payload = packet.payload as Buffer
    const entry = toEntry(packet.topic, payload, topics, devices, now(), o.limits)
    const kind = entry.env ? 'env' : entry.camera ? 'camera' : topics.parse(packet.topic).kind
    const outcome = entry.dead ? (entry.env || entry.camera ? 'partial' : 'dead') : 'stored'
    metrics.messagesIn.inc({ kind, outcome })
    batcher.add({ entry, topic: packet.topic, payload, ack })
    metrics.pendingRows.set(batcher.pendingRows)
  }

  function unknownDevice(topic: string): boolean {
    const d = topics.parse(topic)
    if (d.kind === 'env') return !devices.hasStation(d.id)
    if (d.kind === 'camera') return !devices.hasCamera(d.id)
    return false
  }

  client = connectMqtt({
    url: o.mqttUrl,
    clientId: o.clientId,
    protocolVersion: o.mqttVersion,
    persistentSession: true,
    sessionExpirySec: 7 * 86_400,
    receiveMaximum: o.receiveMaximum,
    setup(c) {
      const acks = deferPubacks(c)
      c.handleMessage = (packet, done) => {
        if (closing) return // never acknowledged: the broker redelivers it to the next worker or this one's restart
        const ack = acks.hold(packet as IPublishPacket)
        metrics.heldAcks.set(acks.held)
        const proceed = () => (batcher.saturated ? void batcher.whenBelowHighWater().then(() => done()) : done())
        // a device added to the reference data a moment ago: look again before dead-lettering it
        if (unknownDevice(packet.topic as string) && Date.now() - devices.lastRefresh > UNKNOWN_DEVICE_RECHECK_MS) {
          devices
            .refresh()
            .catch(() => {})
            .finally(() => {
              accept(packet as IPublishPacket, ack)
              proceed()
            })
          return
        }
        accept(packet as IPublishPacket, ack)
        proceed()
      }
      c.on('connect', (connack) => {
        metrics.brokerUp.set({ client: 'ingest' }, 1)
        const filters = topics.deviceFilters.map((f) => (o.shared ? sharedFilter(INGEST_SHARE_GROUP, f) : f))
        // persistent sessions keep subscriptions; subscribing again is harmless and covers a lost session
        if (!connack.sessionPresent) log.info(`subscribing ${filters.join(', ')}`)
        c.subscribe(filters, { qos: 1 }, (err) => {
          if (err) log.error('subscribe failed', { error: err })
          else subscribed()
        })
      })
      c.on('close', () => metrics.brokerUp.set({ client: 'ingest' }, 0))
    },
  })

  return {
    client,
    ready,
    get pendingRows() {
      return batcher.pendingRows
    },
    async stop(timeoutMs = 15_000) {
      closing = true
      clearInterval(refreshTimer)
      const drained = await batcher.drain(timeoutMs)
      if (!drained) log.warn('shutdown: could not commit the last batch in time; its messages stay unacknowledged and will be redelivered')
      await client.endAsync(false)
    },
  }
}
