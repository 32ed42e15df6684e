// The embedded MQTT broker (Aedes: MQTT 3.1.1 only, no shared subscriptions) used when MQTT_URL is unset.
//
// Aedes keeps sessions in memory and acknowledges a QoS 1 publish before it delivers it, so a reading it
// had acknowledged was lost when the process died. The all-in-one therefore lets ingest take device
// messages at the broker itself (intercept): the publisher's PUBACK is sent only once ingest has committed
// the message, and a crash leaves the publisher holding it, to send again. The broker starts listening only
// after ingest is attached, so no publisher is acknowledged before anyone can store what it sends.
//
// Given a BrokerAuth (broker/auth.ts) it admits only accounts and enforces their topic rights: a refused
// connection gets its CONNACK code, a refused publish closes the connection (MQTT 3.1.1 has no negative
// PUBACK), a refused subscription gets SUBACK 0x80, and a message is delivered only where the receiver may
// read it. Without one it admits anyone, for tests that need a plain broker. Either way it binds 127.0.0.1
// unless told otherwise. Production uses Mosquitto (see docker-compose.yml).
import { createServer, isIP, type AddressInfo, type Server } from 'node:net'
import { Aedes, type AedesOptions, type AuthenticateError, type Client } from 'aedes'
import { createLogger } from '../core/log.ts'
import { metrics } from '../core/metrics.ts'
import type { Account, BrokerAuth } from './auth.ts'

const log = createLogger('broker')

/** Takes a publish; the publisher is acknowledged when the returned promise resolves (never, if it never does). */
export type Interceptor = (topic: string, payload: Buffer, qos: number) => Promise<void> | void

export interface EmbeddedBroker {
  /** mqtt://host:port, without credentials. */
  url: string
  port: number
  /** The address it is bound to. */
  host: string
  /** The URL a client of `account` connects with: mqtt://user:password@host:port. */
  urlFor(account: Account): string
  /** Publishes in-process (QoS 0, not retained): ingest's committed frames and heartbeats. */
  publish(topic: string, payload: string): void
  close(): Promise<void>
}

export interface UnstartedBroker {
  /** Routes publishes whose topic `accepts` to `take` (see Interceptor) instead of acknowledging them at once. */
  intercept(accepts: (topic: string) => boolean, take: Interceptor): void
  publish(topic: string, payload: string): void
  /** Starts accepting connections on `host` (default 127.0.0.1: this machine only). */
  listen(port: number, host?: string): Promise<EmbeddedBroker>
  close(): Promise<void>
}

export class BrokerPortInUseError extends Error {}

/** Why the broker refused something (the `reason` label of ioc_broker_refused_total). */
type Refusal = 'anonymous' | 'bad_credentials' | 'client_id_in_use' | 'publish_denied' | 'subscribe_denied'

export async function createEmbeddedBroker(o: { auth?: BrokerAuth } = {}): Promise<UnstartedBroker> {
  const auth = o.auth ?? null
  let route: { accepts: (topic: string) => boolean; take: Interceptor } | null = null
  /** The account each admitted client logged in with. */
  const users = new WeakMap<Client, string>()
  const refused = refusalLog()
  const authorizePublish: NonNullable<AedesOptions['authorizePublish']> = (client, packet, callback) => {
    if (packet.topic.startsWith('$SYS')) return callback(new Error('$SYS topics are reserved'))
    // client is null only for a will Aedes replays from its persistence: one it held when it was accepted
    if (auth && client) {
      const user = users.get(client)
      if (user === undefined || !auth.canPublish(user, client.id, packet.topic)) {
        refused('publish_denied', { user, clientId: client.id, topic: packet.topic })
        return callback(new Error(`not authorised to publish to ${packet.topic}`))
      }
    }
    if (!route?.accepts(packet.topic)) return callback(null)
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload)
    let held: Promise<void> | void
    try {
      held = route.take(packet.topic, payload, packet.qos)
    } catch (err) {
      // the interceptor is total; should it ever throw, the publisher gets no ack and sends again
      log.error('ingest could not take a message; its publisher will send it again', { error: err })
      return
    }
    if (!held) return callback(null)
    // a rejected hold means "not stored": no PUBACK, and the publisher sends it again after reconnecting
    held.then(() => callback(null), () => {})
  }
  const checks: Partial<AedesOptions> = auth
    ? {
        authenticate(client, username, password, done) {
          const verdict = auth.authenticate(username, password)
          if (!verdict.ok) {
            refused(verdict.reason, { user: username, clientId: client.id })
            return done(connectError(verdict.reason === 'anonymous' ? 5 : 4, verdict.reason), false)
          }
          // Aedes would close the client already holding this id: one account must not cut off another's
          const holder = (aedes as unknown as { clients: Record<string, Client | undefined> }).clients[client.id]
          if (holder && holder !== client && users.get(holder) !== username) {
            refused('client_id_in_use', { user: username, clientId: client.id })
            return done(connectError(2, 'client_id_in_use'), false)
          }
          users.set(client, username!)
          done(null, true)
        },
        authorizeSubscribe(client, sub, done) {
          const user = users.get(client)
          if (user !== undefined && auth.canSubscribe(user, client.id, sub.topic)) return done(null, sub)
          refused('subscribe_denied', { user, clientId: client.id, topic: sub.topic })
          done(null, null) // SUBACK 0x80 for this filter; the client stays connected
        },
        authorizeForward(client, packet) {
          const user = users.get(client)
          return user !== undefined && auth.canRead(user, client.id, packet.topic) ? packet : null
        },
      }
    : {}
  const aedes = await Aedes.createBroker({ authorizePublish, ...checks })
  const server: Server = createServer(aedes.handle)
  const publish = (topic: string, payload: string) => {
    aedes.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, retain: false, dup: false }, () => {})
  }
  const close = async () => {
    await new Promise<void>((resolve) => aedes.close(() => resolve()))
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  return {
    intercept(accepts, take) {
      route = { accepts, take }
    },
    publish,
    close,
    async listen(port, host = '127.0.0.1') {
      await new Promise<void>((resolve, reject) => {
        server.once('error', (err: NodeJS.ErrnoException) => {
          if (err.code === 'EADDRINUSE') {
            reject(
              new BrokerPortInUseError(
                `MQTT_PORT ${port} is already in use, probably by another MQTT broker (Mosquitto?). ` +
                  `To use that broker set MQTT_URL=mqtt://127.0.0.1:${port}; to run the embedded broker elsewhere set MQTT_PORT to a free port.`,
              ),
            )
          } else reject(err)
        })
        server.listen(port, host, resolve)
      })
      const address = server.address() as AddressInfo
      const reach = connectHost(address.address)
      const url = `mqtt://${reach}:${address.port}`
      const access = auth ? 'accounts only' : 'anonymous clients admitted'
      log.info(`embedded MQTT broker (Aedes, MQTT 3.1.1) listening on ${reach}:${address.port} (${access})`)
      if (!auth && !isLoopback(address.address)) log.warn(`the embedded broker admits anonymous clients on ${address.address}, reachable from the network`)
      return {
        url,
        port: address.port,
        host: address.address,
        urlFor: (a) => `mqtt://${encodeURIComponent(a.username)}:${encodeURIComponent(a.password)}@${reach}:${address.port}`,
        publish,
        close,
      }
    },
  }
}

function connectError(code: 2 | 4 | 5, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: code as AuthenticateError['returnCode'] })
}

/** Where a local client reaches an address the broker is bound to: loopback for a wildcard one. */
function connectHost(address: string): string {
  if (address === '0.0.0.0' || address === '::') return '127.0.0.1'
  return isIP(address) === 6 ? `[${address}]` : address
}

const isLoopback = (address: string) => address.startsWith('127.') || address === '::1'

/**
 * Counts every refusal and warns about it, at most once a minute per reason and account: a device stuck in
 * a reconnect loop with a wrong password would otherwise fill the log. User names and topics are what the
 * client sent, so they go into the fields (escaped), never into the message text.
 */
function refusalLog(now: () => number = Date.now): (reason: Refusal, who: { user: string | undefined; clientId: string; topic?: string }) => void {
  const WINDOW_MS = 60_000
  const last = new Map<string, { at: number; suppressed: number }>()
  const what: Record<Refusal, string> = {
    anonymous: 'a connection without a user name',
    bad_credentials: 'a connection with a wrong user name or password',
    client_id_in_use: "a connection taking over another account's client id",
    publish_denied: 'a publish the account may not make (connection closed)',
    subscribe_denied: 'a subscription the account may not make',
  }
  return (reason, who) => {
    metrics.brokerRefused.inc({ reason })
    const key = `${reason}\u0000${who.user ?? ''}`
    const seen = last.get(key)
    if (seen && now() - seen.at < WINDOW_MS) {
      seen.suppressed++
      return
    }
    // a flood of invented user names must not grow this without bound
    if (last.size >= 1000) last.clear()
    last.set(key, { at: now(), suppressed: 0 })
    const clip = (s: string) => (s.length > 200 ? `${s.slice(0, 200)}…` : s)
    const fields = { reason, user: who.user === undefined ? null : clip(who.user), clientId: clip(who.clientId), ...(who.topic === undefined ? {} : { topic: clip(who.topic) }) }
    const more = seen?.suppressed ? ` (${seen.suppressed} more like it since the last warning)` : ''
    log.warn(`refused ${what[reason]}${more}`, fields)
  }
}

/** A broker that acknowledges on receipt and admits anyone, listening at once: for tests that need a plain MQTT 3.1.1 broker. */
export async function startEmbeddedBroker(port: number, host = '127.0.0.1'): Promise<EmbeddedBroker> {
  return (await createEmbeddedBroker()).listen(port, host)
}
