// Ingest's messages in the all-in-one: taken at the embedded broker itself (broker/embedded.ts intercept),
// with the publisher's PUBACK held until the batch holding the message commits. A crash therefore leaves
// every uncommitted reading unacknowledged at its publisher, which sends it again once the IOC is back;
// what was committed is never lost and a second copy is harmless (readings are keyed by station, metric,
// time). QoS 0 has no acknowledgement to hold: it is taken, and lost in a crash, as MQTT allows.
import type { UnstartedBroker } from '../../broker/embedded.ts'
import { metrics } from '../../core/metrics.ts'
import { NOOP_ACK, type DeliveryHandler, type HeldAck, type MessageSource } from './source.ts'

export function embeddedBrokerSource(broker: UnstartedBroker, isDeviceTopic: (topic: string) => boolean): MessageSource {
  let paused = false
  let held = 0
  return {
    redelivery: 'their publishers got no acknowledgement and send them again when the IOC is back',
    async start(handle: DeliveryHandler) {
      metrics.brokerUp.set({ client: 'ingest' }, 1) // in the broker's own process: connected while it runs
      broker.intercept(isDeviceTopic, (topic, payload, qos) => {
        // stopping: never acknowledged here; the publisher keeps the message and sends it again
        if (paused) return new Promise<void>(() => {})
        if (qos === 0) {
          // nothing to hold; the connection may still wait while ingest looks a device up
          return handle({ topic, payload, ack: NOOP_ACK }) ?? undefined
        }
        held++
        let release!: () => void
        const committed = new Promise<void>((resolve) => (release = resolve))
        let released = false
        const ack: HeldAck = {
          release() {
            if (released) return
            released = true
            held--
            release()
          },
        }
        const wait = handle({ topic, payload, ack })
        // Aedes reads a publisher's next packets once these are authorized; a lookup in progress adds to the wait
        return wait ? Promise.all([committed, wait]).then(() => {}) : committed
      })
    },
    connected: () => true,
    held: () => held,
    describe: () => 'the embedded broker',
    publish: (topic, payload) => broker.publish(topic, payload),
    pause() {
      paused = true
    },
    async close() {},
  }
}
