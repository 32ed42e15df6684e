// MQTT connections: one place that sets client options, reconnects with exponential backoff and logs
// state changes. Callers attach their handlers through `setup` before the connection opens, so
// messages queued in a persistent session are not delivered before anyone listens.
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import { createLogger } from './log.ts'

const log = createLogger('mqtt')

export interface MqttConnectOptions {
  url: string
  clientId: string
  protocolVersion: 4 | 5
  /** Keep the session (subscriptions and unacknowledged QoS 1 messages) across reconnects and restarts. */
  persistentSession?: boolean
  /** MQTT 5: how long the broker keeps the session after a disconnect. */
  sessionExpirySec?: number
  /** MQTT 5: how many unacknowledged QoS 1 messages the broker may send us. */
  receiveMaximum?: number
  /** Called with the client before it connects. */
  setup?: (client: MqttClient) => void
  /** Longest wait between reconnection attempts (default 30 s). */
  maxBackoffMs?: number
}

const MIN_BACKOFF_MS = 500
const MAX_BACKOFF_MS = 30_000

export function connectMqtt(o: MqttConnectOptions): MqttClient {
  const options: IClientOptions = {
    clientId: o.clientId,
    protocolVersion: o.protocolVersion,
    clean: !o.persistentSession,
    reconnectPeriod: MIN_BACKOFF_MS,
    connectTimeout: 10_000,
    keepalive: 30,
    manualConnect: true,
    // a live QoS 0 frame published while offline is worthless by the time we reconnect
    queueQoSZero: false,
  }
  if (o.protocolVersion === 5) {
    options.properties = {
      ...(o.persistentSession ? { sessionExpiryInterval: o.sessionExpirySec ?? 86_400 } : {}),
      ...(o.receiveMaximum ? { receiveMaximum: o.receiveMaximum } : {}),
    }
  }
  const client = mqtt.connect(o.url, options)
  let failures = 0
  client.on('connect', (connack) => {
    if (failures > 0) log.info(`${o.clientId} reconnected`, { sessionPresent: connack.sessionPresent })
    failures = 0
    client.options.reconnectPeriod = MIN_BACKOFF_MS
  })
  client.on('close', () => {
    if (client.disconnecting || client.disconnected) return // we are closing it ourselves
    failures++
    // exponential backoff with jitter: a restarting broker is not hammered by every worker at once
    const next = Math.min(o.maxBackoffMs ?? MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** Math.min(failures, 8))
    client.options.reconnectPeriod = Math.round(next * (0.5 + Math.random() / 2))
    if (failures === 1 || failures % 10 === 0) log.warn(`${o.clientId} disconnected from ${o.url}; retrying`, { attempt: failures })
  })
  client.on('error', (err) => log.warn(`${o.clientId}: ${err.message}`))
  o.setup?.(client)
  client.connect()
  return client
}

/** Resolves once the client is connected (or rejects after the timeout). */
export function whenConnected(client: MqttClient, timeoutMs = 30_000): Promise<void> {
  if (client.connected) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('connect', onConnect)
      reject(new Error(`MQTT broker not reachable within ${timeoutMs / 1000} s`))
    }, timeoutMs)
    const onConnect = () => {
      clearTimeout(timer)
      resolve()
    }
    client.once('connect', onConnect)
  })
}
