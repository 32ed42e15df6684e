// pglite-socket 0.0.19 hands every TCP chunk to PGlite as if it were whole protocol messages, so a query
// larger than one chunk (~64 KiB: a batch insert of a few thousand rows) reaches PGlite cut in two and
// aborts the WASM instance. Upstream fixed it after 0.0.19, in versions that need PGlite 0.5
// (https://github.com/electric-sql/pglite/pull/775). This wrapper reassembles the stream and emits only
// complete frontend messages, presenting the handler with the small part of net.Socket it uses.

import { EventEmitter } from 'node:events'
import type { Socket } from 'node:net'

const SSL_REQUEST = 80877103
const GSSENC_REQUEST = 80877104

/** Byte length of the complete messages at the start of `buf`; `startup` is true until the startup message passed. */
export function completeMessagesLength(buf: Buffer, state: { startup: boolean }): number {
  let end = 0
  for (;;) {
    if (state.startup) {
      // untyped: Int32 length (including itself) then Int32 protocol code
      if (buf.length - end < 8) return end
      const len = buf.readInt32BE(end)
      // a length below the header's own size would never advance `end`: not PostgreSQL, stop reading it
      if (len < 8) throw new RangeError(`startup message length ${len} is below 8`)
      if (buf.length - end < len) return end
      const code = buf.readInt32BE(end + 4)
      end += len
      if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) state.startup = false
    } else {
      // typed: Byte1 type, Int32 length (including itself, not the type byte)
      if (buf.length - end < 5) return end
      const len = buf.readInt32BE(end + 1)
      if (len < 4) throw new RangeError(`message length ${len} is below 4`)
      if (buf.length - end < len + 1) return end
      end += len + 1
    }
  }
}

/** Bytes the first message of `rest` needs in all, once its length is readable (0 until then). */
function nextMessageLength(rest: Buffer, state: { startup: boolean }): number {
  if (state.startup) return rest.length >= 4 ? rest.readInt32BE(0) : 0
  return rest.length >= 5 ? rest.readInt32BE(1) + 1 : 0
}

export function framedSocket(socket: Socket): Socket {
  const proxy = new EventEmitter()
  const state = { startup: true }
  // chunks of an incomplete message are kept apart and joined once the message is whole: a large insert
  // arrives in many 64 KiB chunks, and joining at every chunk would copy it over and over
  let chunks: Buffer[] = []
  let buffered = 0
  let need = 0
  const onData = (chunk: Buffer) => {
    chunks.push(chunk)
    buffered += chunk.length
    if (need > 0 && buffered < need) return
    const pending = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered)
    let n: number
    try {
      n = completeMessagesLength(pending, state)
    } catch (err) {
      socket.destroy(err as Error)
      return
    }
    const rest = pending.subarray(n)
    chunks = rest.length ? [rest] : []
    buffered = rest.length
    need = nextMessageLength(rest, state)
    if (n > 0) proxy.emit('data', pending.subarray(0, n))
  }
  // Read only once the handler listens. The server queues a connection while another one is attached and
  // listens only when its turn comes; a bare net.Socket keeps the client's startup message buffered until
  // then, whereas reading it here at once would emit it to nobody and leave the client waiting forever.
  let reading = false
  proxy.on('newListener', (event: string | symbol) => {
    if (event !== 'data' || reading) return
    reading = true
    socket.on('data', onData)
  })
  // a queued connection can fail before the handler listens; an unheard 'error' would crash the database process
  socket.on('error', (err) => {
    if (proxy.listenerCount('error') > 0) proxy.emit('error', err)
  })
  socket.on('close', () => proxy.emit('close'))
  Object.defineProperties(proxy, {
    writable: { get: () => socket.writable },
    remoteAddress: { get: () => socket.remoteAddress },
    remotePort: { get: () => socket.remotePort },
  })
  Object.assign(proxy, {
    write: socket.write.bind(socket),
    end: socket.end.bind(socket),
    destroy: socket.destroy.bind(socket),
  })
  return proxy as unknown as Socket
}
