// Where ingest's messages come from. Two sources hand over the same thing, a topic, a payload and an
// acknowledgement to release once the message is committed:
// - an MQTT subscription to a real broker (mqtt-source.ts): the PUBACK to the broker is held until commit,
//   so the broker redelivers whatever a crash left uncommitted;
// - the embedded broker of the all-in-one (embedded-source.ts): the PUBACK to the *publisher* is held until
//   commit, so a publisher never hears "received" for a reading that a crash could still lose.

export interface HeldAck {
  /** Sends the held acknowledgement, if the connection it belongs to is still open. */
  release(): void
}

export const NOOP_ACK: HeldAck = { release() {} }

export interface Delivery {
  topic: string
  payload: Buffer
  ack: HeldAck
}

/**
 * Takes one message. It never throws. A returned promise asks the source to wait before taking the next
 * message from the same connection (a device unknown a moment ago being looked up, or too many rows waiting
 * for the database on a protocol without flow control).
 */
export type DeliveryHandler = (d: Delivery) => void | Promise<void>

export interface MessageSource {
  /** Where messages not acknowledged at a stop end up, in words for the shutdown log. */
  readonly redelivery: string
  /** Starts delivering; resolves once the subscriptions are in place (rejects when the broker refuses them). */
  start(handle: DeliveryHandler): Promise<void>
  /** Connected to the broker (always true in-process). */
  connected(): boolean
  /** Acknowledgements held now (messages taken and not yet committed). */
  held(): number
  /** What it is connected to, for health messages (no credentials). */
  describe(): string
  /** Publishes a frame (QoS 0) for the servers: committed batches and heartbeats. */
  publish(topic: string, payload: string): void
  /** Stops taking messages at once: what arrives from now on is never acknowledged here. */
  pause(): void
  /** Disconnects; `endSession` ends a persistent session for good (retiring a worker). */
  close(opts?: { endSession?: boolean }): Promise<void>
  /** Leaves the shared subscription so nothing new is routed here (retiring a worker); MQTT only. */
  unsubscribe?(): Promise<void>
}
