// A running IOC over real connections for integration tests: a prepared database (migrated, demo province
// seeded), ingest and server in this process on ephemeral ports, with a unique topic root.
import mqtt, { type MqttClient } from 'mqtt'
import { topicMap } from '../../contract/index.ts'
import { loadConfig, type Config } from '../../core/config.ts'
import { prepareDatabase, type PreparedDatabase } from '../../db/setup.ts'
import { embeddedBrokerSource } from '../../ingest/shared/embedded-source.ts'
import { mqttSource } from '../../ingest/shared/mqtt-source.ts'
import { ingestOptions, startIngest, type IngestService } from '../../ingest/service.ts'
import { SYSTEM } from '../../server/shared/audit.ts'
import { CLIENT_DIR, serverOptions, startServer, type RunningServer } from '../../server/service.ts'
import { openTestBroker, publisher, uniqueTopicRoot, type TestBroker } from './brokers.ts'
import { openTestDatabase, type TestDatabase } from './databases.ts'

export interface Stack {
  prepared: PreparedDatabase
  /** An admin's API key (test-admin): every permission. */
  apiKey: string
  /** A kiosk link of the wall (what a wall display opens). */
  wallLink: string
  /** GET (or any method) on the server as test-admin, through its API key. */
  api(path: string, init?: RequestInit): Promise<Response>
  ingest: IngestService
  server: RunningServer
  pub: MqttClient
  topicRoot: string
  config: Readonly<Config>
  stop(): Promise<void>
}

/** Defaults as a deployment would have them, with overrides from `env` (same variable names as production). */
export function testConfig(env: Record<string, string> = {}): Readonly<Config> {
  return loadConfig({ MQTT_URL: 'mqtt://127.0.0.1:1', DATABASE_URL: 'postgres://x@127.0.0.1/x', INGEST_SHARED: '0', ...env })
}

export interface StackOptions {
  /** Serve the built wall (client/dist) too. */
  wall?: boolean
}

export async function startStack(db: TestDatabase, broker: TestBroker, env: Record<string, string> = {}, opts: StackOptions = {}): Promise<Stack> {
  const config = testConfig(env)
  const topicRoot = uniqueTopicRoot()
  const prepared = await prepareDatabase(db.db, config)
  const clientId = `test-ingest-${Math.random().toString(36).slice(2, 8)}`
  const topics = topicMap(topicRoot)
  // as the all-in-one does: at the embedded broker itself, or over MQTT from a real one
  const source = broker.embedded
    ? embeddedBrokerSource(broker.embedded, topics.isDeviceTopic)
    : mqttSource({ url: broker.url, version: broker.version, clientId, filters: topics.deviceFilters, shared: broker.shared, receiveMaximum: config.ingest.receiveMaximum })
  const ingest = await startIngest({ ...ingestOptions(config, db.db, source), topicRoot, workerId: clientId })
  const server = await startServer({
    ...serverOptions(config, db.db, broker.url, opts.wall ? CLIENT_DIR : null),
    // the built-in dashboard unless a suite asks for a folder: no watcher on the repository's dashboards/
    dashboardsDir: 'DASHBOARDS_DIR' in env ? config.dashboardsDir : null,
    mqttVersion: broker.version,
    topicRoot,
    port: 0,
    host: '127.0.0.1',
  })
  const admin = await testCredentials(server)
  const pub = await publisher(broker)
  // a test's first message must find both subscriptions in place
  await Promise.all([ingest.ready, server.liveReady])
  return {
    prepared,
    ...admin,
    api: (path, init = {}) => fetch(`${server.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${admin.apiKey}` } }),
    ingest,
    server,
    pub,
    topicRoot,
    config,
    async stop() {
      await pub.endAsync()
      await server.stop()
      await ingest.stop()
      // leave no persistent session behind on a shared broker
      const purge = await mqtt.connectAsync(broker.url, { clientId, clean: true, protocolVersion: broker.version }).catch(() => null)
      await purge?.endAsync()
    },
  }
}

/** A test admin with an API key, and a kiosk link, in the stack's database (each made once per database). */
export async function testCredentials(server: RunningServer): Promise<{ apiKey: string; wallLink: string }> {
  const users = await server.accounts.users()
  if (!users.some((u) => u.username === 'test-admin')) {
    await server.accounts.addUser(SYSTEM, { username: 'test-admin', password: 'test-admin-password', roles: ['admin'] })
  }
  const key = await server.accounts.addApiKey(SYSTEM, `test-${Math.random().toString(36).slice(2, 8)}`, 'test-admin')
  const name = `test-wall-${Math.random().toString(36).slice(2, 8)}`
  const kiosk = await server.accounts.addKiosk(SYSTEM, name, server.url)
  return { apiKey: key.key, wallLink: kiosk.url }
}

/** The combinations every end-to-end suite runs: all embedded, and the real services when configured. */
export const STACK_TARGETS: { db: 'embedded' | 'postgres'; broker: 'embedded' | 'mosquitto' }[] = [
  { db: 'embedded', broker: 'embedded' },
  ...(process.env.TEST_DATABASE_URL || process.env.TEST_MQTT_URL
    ? [{ db: process.env.TEST_DATABASE_URL ? ('postgres' as const) : ('embedded' as const), broker: process.env.TEST_MQTT_URL ? ('mosquitto' as const) : ('embedded' as const) }]
    : []),
]

export interface StackTarget {
  db: TestDatabase
  broker: TestBroker
  stack: Stack
}

/** Opens the database and broker of one of STACK_TARGETS and starts the stack over them. */
export async function openStack(target: (typeof STACK_TARGETS)[number], env: Record<string, string> = {}, opts: StackOptions = {}): Promise<StackTarget> {
  const db = await openTestDatabase(target.db)
  const broker = await openTestBroker(target.broker)
  return { db, broker, stack: await startStack(db, broker, env, opts) }
}

/** Stops what openStack started, in reverse; tolerates a half-opened target. */
export async function closeStack(t: Partial<StackTarget>): Promise<void> {
  await t.stack?.stop()
  await t.broker?.close()
  await t.db?.close()
}
