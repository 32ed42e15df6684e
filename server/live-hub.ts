// Socket.IO rooms and coalesced deltas. A client subscribes to the rooms it shows and gets a snapshot in
// the ack; changes are marked as they happen and flushed every LIVE_COALESCE_MS as one frame per room
// holding each changed station/camera once, in its current state. A burst of 2,000 readings per second
// therefore costs a client at most 1000/LIVE_COALESCE_MS frames a second, and every frame is encoded
// once for the whole room.
import type { Server, Socket } from 'socket.io'
import {
  parseRooms,
  type Ack,
  type CameraState,
  type ClientToServerEvents,
  type Room,
  type ServerToClientEvents,
  type Snapshot,
  type StationState,
} from '../contract/index.ts'
import { createLogger } from '../core/log.ts'
import { metrics } from '../core/metrics.ts'
import type { HealthMonitor } from './health.ts'
import type { CameraStates } from './state/cameras.ts'
import type { StationStates } from './state/stations.ts'

const log = createLogger('live')

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents>
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents>

export class LiveHub {
  private dirtyStations = new Set<string>()
  private dirtyCameras = new Set<string>()
  private timer: ReturnType<typeof setInterval>

  constructor(
    private readonly io: IoServer,
    private readonly stations: StationStates,
    private readonly cameras: CameraStates,
    private readonly health: HealthMonitor,
    coalesceMs: number,
    private readonly now: () => number = Date.now,
  ) {
    io.on('connection', (socket) => this.onConnection(socket))
    this.timer = setInterval(() => this.flush(), coalesceMs)
    health.onChange((h) => io.emit('health', { ...h, dataAt: this.dataAt() }))
  }

  private dataAt(): string | null {
    const t = this.health.newestDataAt
    return t === null ? null : new Date(t).toISOString()
  }

  markStations(ids: Iterable<string>): void {
    for (const id of ids) this.dirtyStations.add(id)
  }

  markCameras(ids: Iterable<string>): void {
    for (const id of ids) this.dirtyCameras.add(id)
  }

  close(): void {
    clearInterval(this.timer)
  }

  /** Emits one frame per room with pending changes. */
  flush(): void {
    const at = new Date(this.now()).toISOString()
    const dataAt = this.dataAt()
    if (this.dirtyStations.size) {
      const ids = [...this.dirtyStations]
      this.dirtyStations.clear()
      const states = ids.map((id) => this.stations.state(id)).filter((s): s is StationState => s !== null)
      this.emit('stations', 'station', states, (list) => this.io.to('stations').emit('stations:delta', { at, dataAt, stations: list }), (room, s) =>
        this.io.to(room).emit('stations:delta', { at, dataAt, stations: [s] }),
      )
    }
    if (this.dirtyCameras.size) {
      const ids = [...this.dirtyCameras]
      this.dirtyCameras.clear()
      const states = ids.map((id) => this.cameras.state(id)).filter((s): s is CameraState => s !== null)
      this.emit('cameras', 'camera', states, (list) => this.io.to('cameras').emit('cameras:delta', { at, dataAt, cameras: list }), (room, s) =>
        this.io.to(room).emit('cameras:delta', { at, dataAt, cameras: [s] }),
      )
    }
  }

  private emit<S extends { id: string }>(
    listRoom: 'stations' | 'cameras',
    prefix: 'station' | 'camera',
    states: S[],
    toList: (list: S[]) => void,
    toOne: (room: Room, state: S) => void,
  ): void {
    const rooms = this.io.sockets.adapter.rooms
    if (states.length && rooms.get(listRoom)?.size) {
      toList(states)
      metrics.liveFrames.inc({ room: listRoom })
    }
    for (const s of states) {
      const room = `${prefix}:${s.id}` as Room
      if (rooms.get(room)?.size) {
        toOne(room, s)
        metrics.liveFrames.inc({ room: prefix })
      }
    }
  }

  /** An error naming the first room whose station or camera does not exist, or null. */
  missing(rooms: Room[]): Ack<Snapshot> | null {
    for (const r of rooms) {
      if (r.startsWith('station:') && !this.stations.summary(r.slice(8))) return notFound(r, `station '${r.slice(8)}' does not exist`)
      if (r.startsWith('camera:') && !this.cameras.summary(r.slice(7))) return notFound(r, `camera '${r.slice(7)}' does not exist`)
    }
    return null
  }

  snapshot(rooms: Room[]): Ack<Snapshot> {
    const data: Snapshot = { at: new Date(this.now()).toISOString(), health: { ...this.health.current, dataAt: this.dataAt() } }
    const stationIds = new Set<string>()
    const cameraIds = new Set<string>()
    let allStations = false
    let allCameras = false
    for (const r of rooms) {
      if (r === 'stations') allStations = true
      else if (r === 'cameras') allCameras = true
      else if (r.startsWith('station:')) stationIds.add(r.slice(8))
      else cameraIds.add(r.slice(7))
    }
    const missing = this.missing(rooms)
    if (missing) return missing
    if (allStations || stationIds.size) data.stations = allStations ? this.stations.summaries() : [...stationIds].map((id) => this.stations.summary(id)!)
    if (allCameras || cameraIds.size) data.cameras = allCameras ? this.cameras.summaries() : [...cameraIds].map((id) => this.cameras.summary(id)!)
    return { ok: true, data }
  }

  private onConnection(socket: IoSocket): void {
    metrics.socketClients.set(this.io.engine.clientsCount)
    socket.on('disconnect', () => metrics.socketClients.set(this.io.engine.clientsCount))
    socket.on('subscribe', (req, ack) => {
      if (typeof ack !== 'function') return
      const rooms = parseRooms(req)
      if (!Array.isArray(rooms)) return ack({ ok: false, error: rooms })
      const missing = this.missing(rooms)
      if (missing) return ack(missing)
      // join before taking the snapshot: a change racing with it then arrives as a delta after it, never lost
      void socket.join(rooms)
      ack(this.snapshot(rooms))
    })
    socket.on('unsubscribe', (req, ack) => {
      if (typeof ack !== 'function') return
      const rooms = parseRooms(req)
      if (!Array.isArray(rooms)) return ack({ ok: false, error: rooms })
      for (const r of rooms) void socket.leave(r)
      ack({ ok: true, data: { rooms } })
    })
    socket.on('error', (err) => log.debug('socket error', { error: err }))
  }
}

function notFound(field: string, message: string): Ack<Snapshot> {
  return { ok: false, error: { code: 'not_found', field, message } }
}
