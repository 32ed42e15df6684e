// Ingest's messages from a real broker (Mosquitto, EMQX, …): a persistent session subscribed to the device
// topics, through the shared group when the broker has one, with each PUBACK held until the batch holding
// the message commits (deferred-pubacks.ts). See ARCHITECTURE.md, "Ingest", for the guarantees.
import type { MqttClient } from 'mqtt'
import type { IPublishPacket } from 'mqtt-packet'
import { INGEST_SHARE_GROUP, sharedFilter } from '../../contract/index.ts'
import { redactUrl } from '../../core/log.ts'
import { connectMqtt } from '../../core/mqtt.ts'
import { metrics } from '../../core/metrics.ts'
import { deferPubacks } from './deferred-pubacks.ts'
import type { DeliveryHandler, MessageSource } from './source.ts'

export interface MqttSourceOptions {
  url: string
  version: 4 | 5
  clientId: string
  /** Subscription filters for every device topic. */
  filters: readonly string[]
  /** Join the `$share/ioc-ingest/…` group. */
  shared: boolean
  receiveMaximum: number
}

export interface MqttSource extends MessageSource {
  client: MqttClient
}

export function mqttSource(o: MqttSourceOptions): MqttSource {
  const filters = o.filters.map((f) => (o.shared ? sharedFilter(INGEST_SHARE_GROUP, f) : f))
  let paused = false
  let client!: MqttClient
  let heldAcks = () => 0

  return {
    redelivery: 'the broker keeps them in this worker’s session and delivers them again',
    get client() {
      return client
    },
    start(handle: DeliveryHandler) {
      return new Promise<void>((resolve, reject) => {
        client = connectMqtt({
          url: o.url,
          clientId: o.clientId,
          protocolVersion: o.version,
          persistentSession: true,
          sessionExpirySec: 7 * 86_400,
          receiveMaximum: o.receiveMaximum,
          // back within 2 s of the broker: devices reconnect fast too, and with a shared subscription (which
          // Mosquitto 2.0 does not restore after a restart) what they send before ingest resubscribes is lost
          maxBackoffMs: 2000,
          setup(c) {
            const acks = deferPubacks(c)
            c.handleMessage = (packet, done) => {
              if (paused) return // never acknowledged: the broker redelivers it to the next worker or this one's restart
              const publish = packet as IPublishPacket
              const ack = acks.hold(publish)
              const payload = Buffer.isBuffer(publish.payload) ? publish.payload : Buffer.from(publish.payload)
              const wait = handle({ topic: publish.topic, payload, ack })
              // mqtt.js reads the next packet once done() is called: waiting here is the backpressure
              if (wait) void wait.finally(() => done())
              else done()
            }
            c.on('connect', () => {
              metrics.brokerUp.set({ client: 'ingest' }, 1)
              // persistent sessions keep subscriptions; subscribing again is harmless and covers a lost session.
              // Retained messages only on a new subscription (MQTT 5 rh=1): not the same ones again at every reconnect.
              c.subscribe(filters, { qos: 1, rh: 1 }, (err, granted) => {
                const refused = granted?.filter((g) => g.qos >= 128) ?? []
                if (err || refused.length) {
                  const what = err ? err.message : refused.map((g) => `${g.topic} (reason code ${g.qos})`).join(', ')
                  const hint = o.shared ? '; a broker without shared subscriptions needs INGEST_SHARED=0' : ''
                  reject(new Error(`the broker refused the subscription: ${what}. Check the broker's ACL for this client${hint}`))
                } else resolve()
              })
            })
            c.on('close', () => metrics.brokerUp.set({ client: 'ingest' }, 0))
            heldAcks = () => acks.held
          },
        })
      })
    },
    connected: () => client?.connected ?? false,
    held: () => heldAcks(),
    describe: () => `the broker at ${redactUrl(o.url)}`,
    publish(topic, payload) {
      // a frame published while offline would only mislead by the time it arrived: servers resync instead
      if (client?.connected) client.publish(topic, payload, { qos: 0 })
    },
    pause() {
      paused = true
    },
    async close({ endSession = false } = {}) {
      if (!client) return
      // MQTT 5 DISCONNECT with session expiry 0 ends the session; otherwise the broker keeps it for our return
      await client.endAsync(false, endSession && o.version === 5 ? { properties: { sessionExpiryInterval: 0 } } : {})
    },
    async unsubscribe() {
      await client.unsubscribeAsync(filters)
    },
  }
}
