import { EventEmitter, once } from 'node:events'
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net'
import { afterEach, describe, it, expect } from 'vitest'
import { completeMessagesLength, framedSocket } from '../../db/embedded/framed-socket.ts'

// PostgreSQL frontend messages, as a driver writes them (https://www.postgresql.org/docs/current/protocol-message-formats.html).

const cstr = (s: string) => Buffer.from(`${s}\0`)
const int16 = (n: number) => Buffer.from([n >> 8, n & 0xff])
const int32 = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeInt32BE(n)
  return b
}

function startupMessage(params: Record<string, string> = { user: 'postgres', database: 'ioc' }): Buffer {
  const body = Buffer.concat([int32(196608), ...Object.entries(params).flatMap(([k, v]) => [cstr(k), cstr(v)]), Buffer.from([0])])
  return Buffer.concat([int32(body.length + 4), body])
}

const sslRequest = () => Buffer.concat([int32(8), int32(80877103)])

function typed(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts)
  return Buffer.concat([Buffer.from(type), int32(body.length + 4), body])
}

/** An extended-query round trip: Parse, Bind (two text parameters), Describe, Execute, Sync. */
function extendedQuery(): Buffer[] {
  return [
    typed('P', cstr(''), cstr('INSERT INTO station_readings (station_id, metric, ts, value) VALUES ($1, $2, now(), 1)'), int16(2), int32(25), int32(25)),
    typed('B', cstr(''), cstr(''), int16(0), int16(2), int32(5), Buffer.from('qn-01'), int32(4), Buffer.from('pm25'), int16(0)),
    typed('D', Buffer.from('P'), cstr('')),
    typed('E', cstr(''), int32(0)),
    typed('S'),
  ]
}

/** Splits a buffer holding whole typed messages into them; fails on a trailing partial message. */
function splitTyped(buf: Buffer): Buffer[] {
  const out: Buffer[] = []
  let at = 0
  while (at < buf.length) {
    const len = buf.readInt32BE(at + 1)
    if (at + 1 + len > buf.length) throw new Error(`partial message at byte ${at}`)
    out.push(buf.subarray(at, at + 1 + len))
    at += 1 + len
  }
  return out
}

/** The part of net.Socket framedSocket touches, driven by hand. */
class FakeSocket extends EventEmitter {
  writable = true
  destroyedWith: Error | null | undefined = undefined
  write() {
    return true
  }
  end() {}
  destroy(err?: Error) {
    this.destroyedWith = err ?? null
  }
}

/** Feeds `chunks` through framedSocket and returns what it emitted, one buffer per 'data' event. */
function emittedFor(chunks: Buffer[]): Buffer[] {
  const raw = new FakeSocket()
  const framed = framedSocket(raw as unknown as Socket)
  const emitted: Buffer[] = []
  framed.on('data', (b: Buffer) => emitted.push(Buffer.from(b)))
  for (const c of chunks) raw.emit('data', c)
  return emitted
}

describe('completeMessagesLength', () => {
  it('takes a whole startup message and leaves the startup phase', () => {
    const startup = startupMessage()
    const state = { startup: true }
    expect(completeMessagesLength(startup, state)).toBe(startup.length)
    expect(state.startup).toBe(false)
  })

  it('waits for the rest of a startup message', () => {
    const startup = startupMessage()
    const state = { startup: true }
    expect(completeMessagesLength(startup.subarray(0, startup.length - 1), state)).toBe(0)
    expect(state.startup).toBe(true)
  })

  it('stays in the startup phase after an SSLRequest alone', () => {
    const state = { startup: true }
    expect(completeMessagesLength(sslRequest(), state)).toBe(8)
    expect(state.startup).toBe(true)
  })

  it('takes an SSLRequest followed by the startup message as untyped messages', () => {
    const stream = Buffer.concat([sslRequest(), startupMessage()])
    const state = { startup: true }
    expect(completeMessagesLength(stream, state)).toBe(stream.length)
    expect(state.startup).toBe(false)
  })

  it('reads typed messages after the startup phase', () => {
    const [parse, bind] = extendedQuery()
    const state = { startup: false }
    expect(completeMessagesLength(Buffer.concat([parse!, bind!.subarray(0, 7)]), state)).toBe(parse!.length)
  })

  it('waits while even the 5-byte header of a typed message is incomplete', () => {
    expect(completeMessagesLength(Buffer.from([0x53, 0, 0, 0]), { startup: false })).toBe(0)
  })

  it('refuses a typed message whose length is below its own 4 bytes instead of looping on it', () => {
    expect(() => completeMessagesLength(Buffer.from([0x51, 0xff, 0xff, 0xff, 0xff]), { startup: false })).toThrow(RangeError)
  })

  it('refuses a startup message whose length is below its 8-byte header', () => {
    expect(() => completeMessagesLength(Buffer.concat([int32(0), int32(196608)]), { startup: true })).toThrow(RangeError)
  })
})

describe('framedSocket', () => {
  const messages = [startupMessage(), ...extendedQuery()]
  const stream = Buffer.concat(messages)

  it('emits the original messages in order wherever the stream is cut in two', () => {
    let offset = 0
    const boundaries = new Set(messages.map((m) => (offset += m.length)))
    const wrongCuts: number[] = []
    for (let cut = 1; cut < stream.length; cut++) {
      const emitted = emittedFor([stream.subarray(0, cut), stream.subarray(cut)])
      let end = 0
      const wholeChunks = emitted.every((e) => boundaries.has((end += e.length)))
      const typedMessages = splitTyped(Buffer.concat(emitted).subarray(messages[0]!.length))
      const same = Buffer.concat(emitted).equals(stream) && typedMessages.every((m, i) => m.equals(messages[i + 1]!))
      if (!wholeChunks || !same) wrongCuts.push(cut)
    }
    expect(wrongCuts).toEqual([])
  })

  it('emits each message once complete when the stream arrives one byte at a time', () => {
    const bytes = Array.from(stream, (b) => Buffer.from([b]))
    expect(emittedFor(bytes)).toEqual(messages)
  })

  it('destroys the socket on a message length that cannot be PostgreSQL', () => {
    const raw = new FakeSocket()
    framedSocket(raw as unknown as Socket).on('data', () => {})
    raw.emit('data', Buffer.concat([startupMessage(), Buffer.from([0x51, 0, 0, 0, 0])]))
    expect(raw.destroyedWith).toBeInstanceOf(RangeError)
  })

  describe('over TCP', () => {
    let server: Server | null = null
    const sockets: Socket[] = []

    afterEach(async () => {
      for (const s of sockets.splice(0)) s.destroy()
      if (server) await new Promise((resolve) => server!.close(resolve))
      server = null
    })

    /** A connected pair: the server side accepted, the client side connected. */
    async function socketPair(): Promise<{ serverSide: Socket; client: Socket }> {
      server = createServer()
      server.listen(0, '127.0.0.1')
      await once(server, 'listening')
      const accepted = once(server, 'connection') as Promise<[Socket]>
      const client = connect((server.address() as AddressInfo).port, '127.0.0.1')
      const [[serverSide]] = await Promise.all([accepted, once(client, 'connect')])
      sockets.push(client, serverSide)
      return { serverSide, client }
    }

    async function writeInPieces(socket: Socket, buf: Buffer, piece: number): Promise<void> {
      for (let at = 0; at < buf.length; at += piece) {
        if (!socket.write(buf.subarray(at, at + piece))) await once(socket, 'drain')
      }
    }

    it('reassembles a message larger than 200 KiB written in small pieces', async () => {
      const { serverSide, client } = await socketPair()
      const framed = framedSocket(serverSide)
      const received: Buffer[] = []
      let receivedBytes = 0
      const query = typed('Q', cstr(`INSERT INTO t VALUES ${Array.from({ length: 30_000 }, (_, i) => `(${i})`).join(',')}`))
      expect(query.length).toBeGreaterThan(200 * 1024)
      const sent = [startupMessage(), query, typed('S')]
      const total = sent.reduce((n, m) => n + m.length, 0)
      const all = new Promise<void>((resolve) =>
        framed.on('data', (b: Buffer) => {
          received.push(Buffer.from(b))
          if ((receivedBytes += b.length) === total) resolve()
        }),
      )
      for (const m of sent) await writeInPieces(client, m, 1000)
      await all
      expect(Buffer.concat(received)).toEqual(Buffer.concat(sent))
      // no 'data' event cuts a message: each ends where one of the sent messages ends
      let offset = 0
      const boundaries = new Set(sent.map((m) => (offset += m.length)))
      let end = 0
      for (const r of received) expect(boundaries).toContain((end += r.length))
    })

    it('keeps what the client sent before the handler listens, as a queued connection needs', async () => {
      const { serverSide, client } = await socketPair()
      const framed = framedSocket(serverSide)
      const startup = startupMessage()
      client.write(startup)
      // the bytes have reached the server's socket; only then does the handler start listening
      while (serverSide.bytesRead < startup.length) await new Promise((r) => setImmediate(r))
      const received: Buffer[] = []
      const sync = typed('S')
      const syncSeen = new Promise<void>((resolve) =>
        framed.on('data', (b: Buffer) => {
          received.push(Buffer.from(b))
          if (b.subarray(-sync.length).equals(sync)) resolve()
        }),
      )
      client.write(sync)
      await syncSeen
      expect(Buffer.concat(received)).toEqual(Buffer.concat([startup, sync]))
    })
  })
})
