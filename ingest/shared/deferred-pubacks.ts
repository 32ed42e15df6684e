// Holds the PUBACK of each QoS 1 message until the batch holding it is committed, so a crash between
// receipt and commit makes the broker redeliver instead of losing the message.
//
// mqtt.js acknowledges a message once `handleMessage` calls back, and it processes the next packet only
// after that (https://github.com/mqttjs/MQTT.js/issues/691): delaying the callback until a commit would
// let one message in per batch. So handleMessage calls back at once and the PUBACK it triggers is
// intercepted at `_sendPacket`, held, and written when the batch commits. The commit may also come first:
// a handler that waits (backpressure) calls back only after the batch holding its own message committed,
// so a released hold stays until its PUBACK comes through and then lets it out at once (dropping it would
// leave the message in flight for good and take one place of the broker's Receive Maximum with it).
// Acks held on a connection that closed are dropped: the broker redelivers those messages on the resumed session (same packet ids), and
// the database's ON CONFLICT DO NOTHING makes the second copy harmless.

import type { MqttClient } from 'mqtt'
import type { IPublishPacket, Packet } from 'mqtt-packet'
import { NOOP_ACK, type HeldAck } from './source.ts'

type SendPacket = (packet: Packet, cb?: (err?: Error) => void, ...rest: unknown[]) => void

interface Hold {
  connection: number
  released: boolean
  puback: Packet | null
}

export interface DeferredAcks {
  /** Call from handleMessage before its callback: the PUBACK mqtt.js sends next is held. */
  hold(packet: IPublishPacket): HeldAck
  /** PUBACKs held now (messages received but not committed). */
  readonly held: number
}

export function deferPubacks(client: MqttClient): DeferredAcks {
  const internals = client as unknown as { _sendPacket: SendPacket }
  const send: SendPacket = internals._sendPacket.bind(client)
  const holds = new Map<number, Hold>()
  let connection = 0
  /** Holds not yet released (a released one may still wait for its PUBACK to pass). */
  let waiting = 0

  client.on('close', () => {
    connection++
    holds.clear()
    waiting = 0
  })

  internals._sendPacket = (packet, cb, ...rest) => {
    if (packet.cmd === 'puback' && packet.messageId !== undefined) {
      const h = holds.get(packet.messageId)
      if (h?.released) {
        holds.delete(packet.messageId)
        send(packet, cb, ...rest)
        return
      }
      if (h) h.puback = packet
      // Without a hold, the PUBACK belongs to a message of a connection that has closed (its handler called
      // back late): on this connection the same id may name a redelivered message not yet committed, so it
      // must not go out. Released holds send their own PUBACK (release below).
      cb?.()
      return
    }
    send(packet, cb, ...rest)
  }

  return {
    hold(packet) {
      if (packet.qos !== 1 || packet.messageId === undefined) return NOOP_ACK
      const id = packet.messageId
      const h: Hold = { connection, released: false, puback: null }
      const before = holds.get(id)
      if (before && !before.released) waiting--
      holds.set(id, h)
      waiting++
      return {
        release() {
          if (h.released || h.connection !== connection || holds.get(id) !== h) return
          h.released = true
          waiting--
          // not called back yet: the PUBACK goes out as it passes through _sendPacket
          if (!h.puback) return
          holds.delete(id)
          if (client.connected) send(h.puback)
        },
      }
    },
    get held() {
      return waiting
    },
  }
}
