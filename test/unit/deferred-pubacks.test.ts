// The PUBACK of a QoS 1 message goes out once, after the batch holding the message committed, whichever
// comes first: the handler's callback (mqtt.js then writes the PUBACK) or the commit.
import { EventEmitter } from 'node:events'
import type { MqttClient } from 'mqtt'
import type { IPublishPacket, Packet } from 'mqtt-packet'
import { describe, expect, it } from 'vitest'
import { deferPubacks } from '../../ingest/shared/deferred-pubacks.ts'

/** Just enough of an mqtt.js client: `_sendPacket` writes to `wire`. */
function fakeClient() {
  const wire: Packet[] = []
  const client = Object.assign(new EventEmitter(), {
    connected: true,
    _sendPacket(packet: Packet, cb?: () => void) {
      wire.push(packet)
      cb?.()
    },
  })
  const acks = deferPubacks(client as unknown as MqttClient)
  /** What mqtt.js does once handleMessage calls back. */
  const callBack = (id: number) => (client as unknown as { _sendPacket(p: Packet): void })._sendPacket({ cmd: 'puback', messageId: id })
  const publish = (id: number) => ({ cmd: 'publish', qos: 1, messageId: id, topic: 't', payload: Buffer.alloc(0), dup: false, retain: false }) as IPublishPacket
  const pubacks = () => wire.filter((p) => p.cmd === 'puback').map((p) => (p as { messageId: number }).messageId)
  return { client, wire, acks, callBack, publish, pubacks }
}

describe('PUBACKs held until the commit', () => {
  it('holds the PUBACK the handler triggers until the batch commits', () => {
    const { acks, callBack, publish, pubacks } = fakeClient()
    const ack = acks.hold(publish(7))
    callBack(7)
    expect(pubacks()).toEqual([])
    expect(acks.held).toBe(1)
    ack.release()
    expect(pubacks()).toEqual([7])
    expect(acks.held).toBe(0)
  })

  it('sends the PUBACK of a message committed before its handler called back (backpressure), once', () => {
    const { acks, callBack, publish, pubacks } = fakeClient()
    const ack = acks.hold(publish(9))
    ack.release()
    expect(acks.held).toBe(0)
    expect(pubacks()).toEqual([])
    callBack(9)
    expect(pubacks()).toEqual([9])
    ack.release()
    callBack(9)
    expect(pubacks()).toEqual([9])
  })

  it('drops what belongs to a closed connection: the broker redelivers those messages and they are acknowledged then', () => {
    const { client, acks, callBack, publish, pubacks } = fakeClient()
    const first = acks.hold(publish(3))
    client.emit('close')
    expect(acks.held).toBe(0)
    // redelivered on the resumed session with the same packet id, not committed yet
    const again = acks.hold(publish(3))
    first.release()
    callBack(3) // the first handler's late callback
    expect(pubacks()).toEqual([])
    again.release()
    expect(pubacks()).toEqual([3])
    callBack(3) // the second handler's callback: already acknowledged
    expect(pubacks()).toEqual([3])
  })

  it('lets every other packet through untouched', () => {
    const { client, wire } = fakeClient()
    ;(client as unknown as { _sendPacket(p: Packet): void })._sendPacket({ cmd: 'pingreq' })
    expect(wire).toEqual([{ cmd: 'pingreq' }])
  })
})
