// Socket.IO rooms and coalesced deltas, for every domain's live channel alike. A client subscribes to the
// rooms it shows and gets a snapshot in the ack; changes are marked as they happen and flushed every
// LIVE_COALESCE_MS as one frame per room holding each changed item once, in its current state. A burst of
// 2,000 readings per second therefore costs a client at most 1000/LIVE_COALESCE_MS frames a second, and every
// frame is encoded once for the whole room.
import type { Server, Socket } from 'socket.io'
import { parseRooms, type Ack, type ClientToServerEvents, type ParsedRoom, type ServerToClientEvents, type Snapshot } from '../../contract/index.ts'
import { createLogger } from '../../core/log.ts'
import { metrics } from '../../core/metrics.ts'
import type { ServerDomain } from './domain.ts'
import type { HealthMonitor } from './health.ts'
import { allows, principalOf } from './auth.ts'

const log = createLogger('live')

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents>
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents>
/** The event emitter typed loosely: a delta event's name comes from its channel. */
type Emit = (event: string, payload: unknown) => void

export class LiveHub {
  private dirty = new Map<ServerDomain, Set<string>>()
  private timer: ReturnType<typeof setInterval>
  private readonly channels

  constructor(
    private readonly io: IoServer,
    private readonly domains: readonly ServerDomain[],
    private readonly health: HealthMonitor,
    coalesceMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.channels = domains.map((d) => d.channel)
    for (const d of domains) this.dirty.set(d, new Set())
    io.on('connection', (socket) => this.onConnection(socket))
    this.timer = setInterval(() => this.flush(), coalesceMs)
    health.onChange((h) => io.emit('health', { ...h, dataAt: this.dataAt() }))
  }

  /** Marks items of a domain as changed; they go out at the next flush. */
  mark(domain: ServerDomain, ids: Iterable<string>): void {
    const set = this.dirty.get(domain)!
    for (const id of ids) set.add(id)
  }

  /** Marks every item of every domain (after a resync). */
  markAll(): void {
    for (const d of this.domains) this.mark(d, (d.summaries() as { id: string }[]).map((s) => s.id))
  }

  close(): void {
    clearInterval(this.timer)
  }

  private dataAt(): string | null {
    const t = this.health.newestDataAt
    return t === null ? null : new Date(t).toISOString()
  }

  /** Emits one frame per room with pending changes. */
  flush(): void {
    const at = new Date(this.now()).toISOString()
    const dataAt = this.dataAt()
    const rooms = this.io.sockets.adapter.rooms
    for (const [domain, ids] of this.dirty) {
      if (ids.size === 0) continue
      const { list, item } = domain.channel
      const states = [...ids].map((id) => domain.state(id)).filter((s): s is { id: string } => s !== null)
      ids.clear()
      const event = `${list}:delta`
      if (states.length && rooms.get(list)?.size) {
        ;(this.io.to(list).emit as Emit)(event, { at, dataAt, [list]: states })
        metrics.liveFrames.inc({ room: list })
      }
      for (const s of states) {
        const room = `${item}:${s.id}`
        if (!rooms.get(room)?.size) continue
        ;(this.io.to(room).emit as Emit)(event, { at, dataAt, [list]: [s] })
        metrics.liveFrames.inc({ room: item })
      }
    }
  }

  /** An error naming the first item room whose item does not exist, or null. */
  private missing(rooms: readonly ParsedRoom[]): Ack<Snapshot> | null {
    for (const r of rooms) {
      if (r.id === null) continue
      const domain = this.domainOf(r)
      if (!domain.summary(r.id)) return { ok: false, error: { code: 'not_found', field: r.room, message: `${r.channel.item} '${r.id}' does not exist` } }
    }
    return null
  }

  private domainOf(r: ParsedRoom): ServerDomain {
    return this.domains.find((d) => d.channel === r.channel)!
  }

  snapshot(rooms: readonly ParsedRoom[]): Ack<Snapshot> {
    const missing = this.missing(rooms)
    if (missing) return missing
    const data: Record<string, unknown> = { at: new Date(this.now()).toISOString(), health: { ...this.health.current, dataAt: this.dataAt() } }
    for (const d of this.domains) {
      const mine = rooms.filter((r) => r.channel === d.channel)
      if (mine.length === 0) continue
      data[d.channel.list] = mine.some((r) => r.id === null) ? d.summaries() : [...new Set(mine.map((r) => r.id!))].map((id) => d.summary(id))
    }
    // the keys are the registered channels' list names: what Snapshot declares, built from the same registry
    return { ok: true, data: data as unknown as Snapshot }
  }

  private onConnection(socket: IoSocket): void {
    metrics.socketClients.set(this.io.engine.clientsCount)
    socket.on('disconnect', () => metrics.socketClients.set(this.io.engine.clientsCount))
    socket.on('subscribe', (req, ack) => {
      if (typeof ack !== 'function') return
      const rooms = parseRooms(req, this.channels)
      if (!Array.isArray(rooms)) return ack({ ok: false, error: rooms })
      const principal = principalOf(socket)
      const refused = rooms.find((r) => !allows(principal, r.channel.access))
      if (refused) return ack({ ok: false, error: { code: 'forbidden', field: refused.room, message: `${refused.room}: needs the permission ${refused.channel.access}` } })
      // rooms scoped within a channel (an agency's inbox): the domain decides per room
      for (const r of rooms) {
        const why = this.domainOf(r).mayWatch?.(principal, r.id) ?? null
        if (why) return ack({ ok: false, error: { code: 'forbidden', field: r.room, message: why } })
      }
      const missing = this.missing(rooms)
      if (missing) return ack(missing)
      // join before taking the snapshot: a change racing with it then arrives as a delta after it, never lost
      void socket.join(rooms.map((r) => r.room))
      ack(this.snapshot(rooms))
    })
    socket.on('unsubscribe', (req, ack) => {
      if (typeof ack !== 'function') return
      const rooms = parseRooms(req, this.channels)
      if (!Array.isArray(rooms)) return ack({ ok: false, error: rooms })
      for (const r of rooms) void socket.leave(r.room)
      ack({ ok: true, data: { rooms: rooms.map((r) => r.room) } })
    })
    socket.on('error', (err) => log.debug('socket error', { error: err }))
  }
}
