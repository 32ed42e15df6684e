// The embedded MQTT broker (Aedes: MQTT 3.1.1 only, no shared subscriptions) used when MQTT_URL is unset.
//
// Aedes keeps sessions in memory and acknowledges a QoS 1 publish before it delivers it, so a reading it
// had acknowledged was lost when the process died. The all-in-one therefore lets ingest take device
// messages at the broker itself (intercept): the publisher's PUBACK is sent only once ingest has committed
// the message, and a crash leaves the publisher holding it, to send again. The broker starts listening only
// after ingest is attached, so no publisher is acknowledged before anyone can store what it sends.
// Production uses Mosquitto (see docker-compose.yml).
import { createServer, type AddressInfo, type Server } from 'node:net'
import { Aedes, type AedesOptions } from 'aedes'
import { createLogger } from '../core/log.ts'

const log = createLogger('broker')

/** Takes a publish; the publisher is acknowledged when the returned promise resolves (never, if it never does). */
export type Interceptor = (topic: string, payload: Buffer, qos: number) => Promise<void> | void

export interface EmbeddedBroker {
  url: string
  port: number
  /** Publishes in-process (QoS 0, not retained): ingest's committed frames and heartbeats. */
  publish(topic: string, payload: string): void
  close(): Promise<void>
}

export interface UnstartedBroker {
  /** Routes publishes whose topic `accepts` to `take` (see Interceptor) instead of acknowledging them at once. */
  intercept(accepts: (topic: string) => boolean, take: Interceptor): void
  publish(topic: string, payload: string): void
  /** Starts accepting connections. */
  listen(port: number, host?: string): Promise<EmbeddedBroker>
  close(): Promise<void>
}

export class BrokerPortInUseError extends Error {}

export async function createEmbeddedBroker(): Promise<UnstartedBroker> {
  let route: { accepts: (topic: string) => boolean; take: Interceptor } | null = null
  const authorizePublish: NonNullable<AedesOptions['authorizePublish']> = (_client, packet, callback) => {
    if (packet.topic.startsWith('$SYS')) return callback(new Error('$SYS topics are reserved'))
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
  const aedes = await Aedes.createBroker({ authorizePublish })
  aedes.on('clientError', (client, err) => log.debug(`client ${client?.id} error: ${err.message}`))
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
    async listen(port, host = '0.0.0.0') {
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
      const actual = (server.address() as AddressInfo).port
      log.info(`embedded MQTT broker (Aedes, MQTT 3.1.1) listening on port ${actual}`)
      return { url: `mqtt://127.0.0.1:${actual}`, port: actual, publish, close }
    },
  }
}

/** A broker that acknowledges on receipt, listening at once: for tests that need a plain MQTT 3.1.1 broker. */
export async function startEmbeddedBroker(port: number, host = '0.0.0.0'): Promise<EmbeddedBroker> {
  return (await createEmbeddedBroker()).listen(port, host)
}
