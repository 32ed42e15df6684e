// The embedded broker with accounts, over real connections: a real Aedes on port 0 and real mqtt.js clients
// (MQTT 3.1.1) against the rights broker/auth.ts gives them. Device messages are taken at the broker as
// ingest takes them in the all-in-one; live frames are published in-process as ingest publishes them.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { brokerAuth, type Account } from '../../broker/auth.ts'
import { createEmbeddedBroker, type EmbeddedBroker, type UnstartedBroker } from '../../broker/embedded.ts'
import { INPUT_SEGMENTS } from '../../contract/domains.ts'
import { metrics } from '../../core/metrics.ts'
import { uniqueTopicRoot } from '../helpers/brokers.ts'
import { waitFor } from '../helpers/wait.ts'

const STATION: Account = { username: 'QN-KK-001', password: 'station-pw' }
const OTHER_STATION: Account = { username: 'QN-KK-002', password: 'other-pw' }
const OPS: Account = { username: 'ops', password: 'ops-pw' }

interface Running {
  root: string
  unstarted: UnstartedBroker
  broker: EmbeddedBroker
  /** Device messages the broker handed to its interceptor (ingest, in the all-in-one). */
  taken: { topic: string; payload: string }[]
  internal: { server: Account; simulator: Account }
}

let dir: string
const clients: MqttClient[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ioc-broker-auth-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => {})))
})

/** A broker with STATION, OTHER_STATION and OPS as accounts (plaintext lines: development form). */
async function startBroker(acl: string | null = null): Promise<Running> {
  const root = uniqueTopicRoot()
  const passwordFile = join(dir, `passwd-${Math.random().toString(36).slice(2)}`)
  await writeFile(passwordFile, [STATION, OTHER_STATION, OPS].map((a) => `${a.username}:${a.password}`).join('\n'))
  await chmod(passwordFile, 0o600)
  let aclFile: string | null = null
  if (acl !== null) {
    aclFile = join(dir, `acl-${Math.random().toString(36).slice(2)}`)
    await writeFile(aclFile, acl.replaceAll('{root}', root))
  }
  const auth = await brokerAuth({ topicRoot: root, segments: INPUT_SEGMENTS, passwordFile, aclFile })
  const unstarted = await createEmbeddedBroker({ auth })
  const taken: Running['taken'] = []
  unstarted.intercept(
    (topic) => INPUT_SEGMENTS.some((s) => topic.startsWith(`${root}/${s}/`)),
    (topic, payload) => void taken.push({ topic, payload: payload.toString() }),
  )
  const broker = await unstarted.listen(0)
  return { root, unstarted, broker, taken, internal: auth.internal }
}

async function connect(r: Running, account: Account | null, extra: IClientOptions = {}): Promise<MqttClient> {
  const url = account ? r.broker.urlFor(account) : r.broker.url
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, clientId: `test-${Math.random().toString(36).slice(2, 10)}`, ...extra })
  clients.push(client)
  return client
}

/** The CONNACK return code a connection attempt is refused with. */
async function refusal(r: Running, account: Account | null, extra: IClientOptions = {}): Promise<number | undefined> {
  const error = await connect(r, account, extra).then(
    () => null,
    (err: Error & { code?: number }) => err,
  )
  expect(error, 'the connection to be refused').not.toBeNull()
  return error!.code
}

/** Resolves when the broker has closed the client's connection. */
const closed = (client: MqttClient) => new Promise<void>((resolve) => client.once('close', () => resolve()))

const refusedCount = async (reason: string) => (await metrics.brokerRefused.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0

describe('embedded broker with accounts', () => {
  let r: Running
  beforeAll(async () => {
    r = await startBroker()
  })
  afterAll(async () => {
    await r.unstarted.close()
  })

  it('binds 127.0.0.1 unless told otherwise', () => {
    expect(r.broker.host).toBe('127.0.0.1')
    expect(r.broker.url).toBe(`mqtt://127.0.0.1:${r.broker.port}`)
    expect(r.broker.urlFor(r.internal.server)).toBe(`mqtt://ioc-server:${r.internal.server.password}@127.0.0.1:${r.broker.port}`)
  })

  it('refuses an anonymous client as not authorised, and counts it', async () => {
    const before = await refusedCount('anonymous')
    expect(await refusal(r, null)).toBe(5)
    expect(await refusedCount('anonymous')).toBe(before + 1)
  })

  it('refuses a wrong password and an unknown user as bad user name or password', async () => {
    const before = await refusedCount('bad_credentials')
    expect(await refusal(r, { ...STATION, password: 'guess' })).toBe(4)
    expect(await refusal(r, { username: 'nobody', password: STATION.password })).toBe(4)
    expect(await refusedCount('bad_credentials')).toBe(before + 2)
  })

  it('hands a device its own topic’s messages, acknowledged', async () => {
    const device = await connect(r, STATION)
    await device.publishAsync(`${r.root}/env/${STATION.username}`, 'own reading', { qos: 1 })
    expect(r.taken).toContainEqual({ topic: `${r.root}/env/${STATION.username}`, payload: 'own reading' })
  })

  it("closes a device's connection when it publishes to another station's topic, and never delivers that message", async () => {
    const before = await refusedCount('publish_denied')
    const device = await connect(r, STATION)
    const gone = closed(device)
    device.publish(`${r.root}/env/${OTHER_STATION.username}`, 'forged reading', { qos: 1 })
    await gone
    // a later message of the rightful station has passed the broker: the forged one was not just slow
    const other = await connect(r, OTHER_STATION)
    await other.publishAsync(`${r.root}/env/${OTHER_STATION.username}`, 'real reading', { qos: 1 })
    expect(r.taken.filter((m) => m.topic === `${r.root}/env/${OTHER_STATION.username}`).map((m) => m.payload)).toEqual(['real reading'])
    expect(await refusedCount('publish_denied')).toBe(before + 1)
  })

  it('never lets a device publish live data: only ingest does, in-process', async () => {
    const server = await connect(r, r.internal.server)
    const frames: string[] = []
    server.on('message', (topic, payload) => frames.push(`${topic} ${payload}`))
    await server.subscribeAsync(`${r.root}/live/+`)
    const device = await connect(r, STATION)
    const gone = closed(device)
    device.publish(`${r.root}/live/env`, 'forged frame', { qos: 1 })
    await gone
    r.unstarted.publish(`${r.root}/live/env`, 'committed frame')
    await waitFor(() => frames, (f) => f.length > 0, 'the in-process live frame at the server')
    expect(frames).toEqual([`${r.root}/live/env committed frame`])
  })

  it('refuses a device subscribing to # (SUBACK 0x80) and sends it nothing', async () => {
    const before = await refusedCount('subscribe_denied')
    const device = await connect(r, STATION)
    const received: string[] = []
    device.on('message', (topic) => received.push(topic))
    // mqtt.js turns a SUBACK failure into an error carrying the packet
    const failed = await device.subscribeAsync('#').then(
      () => null,
      (err: Error & { packet?: { granted?: number[] } }) => err,
    )
    expect(failed?.packet?.granted).toEqual([0x80])
    expect(await refusedCount('subscribe_denied')).toBe(before + 1)
    const server = await connect(r, r.internal.server)
    const frames: string[] = []
    server.on('message', (topic) => frames.push(topic))
    await server.subscribeAsync(`${r.root}/live/#`)
    r.unstarted.publish(`${r.root}/live/env`, 'committed frame')
    await waitFor(() => frames, (f) => f.length > 0, 'the live frame at the server')
    // the device's connection is still open, and nothing reached it ahead of this round trip
    await device.publishAsync(`${r.root}/env/${STATION.username}`, 'still connected', { qos: 1 })
    expect(received).toEqual([])
  })

  it('lets the internal server account subscribe to the live topics', async () => {
    const server = await connect(r, r.internal.server)
    const granted = await server.subscribeAsync(`${r.root}/live/#`)
    expect(granted.map((g) => g.qos)).toEqual([0])
  })

  it('lets the internal server announce its own citizen-report changes to the other servers, and nothing else live', async () => {
    const other = await connect(r, r.internal.server)
    const frames: string[] = []
    other.on('message', (topic, payload) => frames.push(`${topic} ${payload}`))
    await other.subscribeAsync(`${r.root}/live/#`)
    const server = await connect(r, r.internal.server)
    // a console action this server committed: acknowledged, delivered, and the connection stays open
    await server.publishAsync(`${r.root}/live/report`, 'report frame', { qos: 1 })
    await waitFor(() => frames, (f) => f.length > 0, 'the report frame at the other server')
    expect(frames).toEqual([`${r.root}/live/report report frame`])
    expect(server.connected).toBe(true)
    const gone = closed(server)
    server.publish(`${r.root}/live/env`, 'forged readings', { qos: 1 })
    await gone
  })

  it('lets the internal simulator publish as any station', async () => {
    const simulator = await connect(r, r.internal.simulator)
    await simulator.publishAsync(`${r.root}/camera/CAM-77`, 'simulated', { qos: 1 })
    expect(r.taken).toContainEqual({ topic: `${r.root}/camera/CAM-77`, payload: 'simulated' })
  })

  it("refuses a client id another account is connected with, so no account can cut off another's connection", async () => {
    const server = await connect(r, r.internal.server, { clientId: 'ioc-server-here' })
    expect(await refusal(r, STATION, { clientId: 'ioc-server-here' })).toBe(2)
    expect(server.connected).toBe(true)
  })
})

describe('embedded broker with an ACL file', () => {
  let r: Running
  beforeAll(async () => {
    r = await startBroker(['user ops', 'topic read {root}/live/#', 'topic deny {root}/live/ingest', 'topic write {root}/live/#', 'pattern write {root}/camera/%u'].join('\n'))
  })
  afterAll(async () => {
    await r.unstarted.close()
  })

  it('delivers only the messages the account may read under a filter it may subscribe to', async () => {
    const ops = await connect(r, OPS)
    const seen: string[] = []
    ops.on('message', (topic) => seen.push(topic))
    expect((await ops.subscribeAsync(`${r.root}/live/#`)).map((g) => g.qos)).toEqual([0])
    r.unstarted.publish(`${r.root}/live/ingest`, 'heartbeat')
    r.unstarted.publish(`${r.root}/live/env`, 'frame')
    await waitFor(() => seen, (s) => s.length > 0, 'a live frame at ops')
    expect(seen).toEqual([`${r.root}/live/env`])
  })

  it('applies the file instead of the own-topic rule, still without live writes', async () => {
    const station = await connect(r, STATION)
    await station.publishAsync(`${r.root}/camera/${STATION.username}`, 'by pattern', { qos: 1 })
    expect(r.taken).toContainEqual({ topic: `${r.root}/camera/${STATION.username}`, payload: 'by pattern' })
    const ops = await connect(r, OPS)
    const gone = closed(ops)
    ops.publish(`${r.root}/live/env`, 'granted by the file, refused anyway', { qos: 1 })
    await gone
  })

  it("closes a station's connection for its own env topic, which this file does not grant", async () => {
    const station = await connect(r, STATION)
    const gone = closed(station)
    station.publish(`${r.root}/env/${STATION.username}`, 'not granted', { qos: 1 })
    await gone
    expect(r.taken.some((m) => m.payload === 'not granted')).toBe(false)
  })
})

describe('embedded broker without accounts', () => {
  it('still admits anyone, for tests that need a plain broker', async () => {
    const unstarted = await createEmbeddedBroker()
    const broker = await unstarted.listen(0)
    try {
      expect(broker.host).toBe('127.0.0.1')
      const client = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 })
      clients.push(client)
      expect((await client.subscribeAsync('#')).map((g) => g.qos)).toEqual([0])
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.endAsync(true)))
      await unstarted.close()
    }
  })
})
