// The wall's one connection to the server: Socket.IO with backoff, a snapshot on every (re)connect that
// replaces all state (nothing stale survives a reconnect), and deltas applied once per animation frame.
// The map listens to the per-frame changes (feature-state for the ids that changed); panels read
// `panelVersion`, which moves at most every PANEL_INTERVAL_MS, because a number on a wall does not need
// to change 60 times a second and a chart redraw per frame would cost main-thread time for nothing.
import { io, type Socket } from 'socket.io-client'
import type {
  CamerasDelta,
  CameraSummary,
  ClientToServerEvents,
  LiveHealth,
  ServerToClientEvents,
  Snapshot,
  StationsDelta,
  StationSummary,
  WallDefinition,
} from '../../../contract/index.ts'

export type ConnectionState = 'connecting' | 'live' | 'reconnecting'

export interface FrameChanges {
  stations: ReadonlySet<string>
  cameras: ReadonlySet<string>
  /** True after a snapshot: every feature must be redrawn. */
  all: boolean
}

type FrameListener = (changes: FrameChanges) => void
type WallSocket = Socket<ServerToClientEvents, ClientToServerEvents>

export const PANEL_INTERVAL_MS = 1000

/**
 * Counters a test or benchmark can read from the page (`window.__iocWall`): how much live data arrived and
 * how many frames applied it. Plain numbers, no reactivity, no cost.
 */
export interface WallStats {
  deltas: number
  frames: number
  snapshots: number
  /** Screen changes (set by the wall view), so a benchmark can tell rotation work from live-update work. */
  screenChanges: number
  lastScreenChangeAt: number
  /** Alert checks run (the first only learns the state), so a test knows when the ticker is armed. */
  alertChecks: number
}
export const wallStats: WallStats = { deltas: 0, frames: 0, snapshots: 0, screenChanges: 0, lastScreenChangeAt: 0, alertChecks: 0 }
;(globalThis as { __iocWall?: WallStats }).__iocWall = wallStats
/** Socket.IO's own reconnection backoff: 1 s doubling to 30 s, ±50 % jitter so a wall of screens does not reconnect in step. */
const RECONNECT = { reconnectionDelay: 1000, reconnectionDelayMax: 30_000, randomizationFactor: 0.5 }

export class LiveData {
  connection = $state<ConnectionState>('connecting')
  /** Reconnection attempts since the connection was lost. */
  attempt = $state(0)
  /** Commit time of the newest data the server has (epoch ms): "data as of" stops when the data stops. */
  asOf = $state<number | null>(null)
  /** Whether data is flowing (database, broker, ingest), as the server last said; null before the first word. */
  health = $state<LiveHealth | null>(null)
  /** Bumps when stations or cameras changed, at most every PANEL_INTERVAL_MS. */
  panelVersion = $state(0)
  /** Bumps on every snapshot (connect, reconnect, reference change): panels refetch their history. */
  snapshotVersion = $state(0)
  wall = $state<WallDefinition | null>(null)

  readonly stations = new Map<string, StationSummary>()
  readonly cameras = new Map<string, CameraSummary>()

  #socket: WallSocket
  #listeners = new Set<FrameListener>()
  #pendingStations = new Map<string, StationsDelta['stations'][number]>()
  #pendingCameras = new Map<string, CamerasDelta['cameras'][number]>()
  #frame = 0
  #panelTimer: ReturnType<typeof setTimeout> | null = null
  #lastPanel = 0

  constructor(url?: string) {
    this.#socket = io(url ?? '', { ...RECONNECT, transports: ['websocket', 'polling'] })
    const s = this.#socket
    s.on('connect', () => this.#subscribe())
    s.on('disconnect', () => {
      // say so at once; Socket.IO reconnects by itself unless the server closed us on purpose
      this.connection = 'reconnecting'
      if (!s.active) s.connect()
    })
    s.io.on('reconnect_attempt', (n) => {
      this.connection = 'reconnecting'
      this.attempt = n
    })
    s.on('connect_error', () => {
      if (this.connection === 'live') this.connection = 'reconnecting'
    })
    s.on('stations:delta', (d) => {
      wallStats.deltas++
      for (const st of d.stations) this.#pendingStations.set(st.id, st)
      this.#noteAsOf(d.dataAt)
      this.#schedule()
    })
    s.on('cameras:delta', (d) => {
      wallStats.deltas++
      for (const c of d.cameras) this.#pendingCameras.set(c.id, c)
      this.#noteAsOf(d.dataAt)
      this.#schedule()
    })
    s.on('health', (h) => {
      this.health = h
      this.#noteAsOf(h.dataAt)
    })
    s.on('reference:changed', () => this.#subscribe())
    s.on('wall:changed', (w) => (this.wall = w))
  }

  /** Called with the ids that changed, once per animation frame; returns an unsubscribe function. */
  onFrame(listener: FrameListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  close(): void {
    cancelAnimationFrame(this.#frame)
    if (this.#panelTimer) clearTimeout(this.#panelTimer)
    this.#socket.close()
  }

  #subscribe(): void {
    this.#socket.emit('subscribe', { rooms: ['stations', 'cameras'] }, (res) => {
      if (!res.ok) {
        console.warn('subscribe refused', res.error)
        return
      }
      this.#applySnapshot(res.data)
    })
  }

  #applySnapshot(snap: Snapshot): void {
    // replace, never merge: a device removed while we were away must not linger on the wall
    this.stations.clear()
    this.cameras.clear()
    for (const s of snap.stations ?? []) this.stations.set(s.id, s)
    for (const c of snap.cameras ?? []) this.cameras.set(c.id, c)
    this.#pendingStations.clear()
    this.#pendingCameras.clear()
    this.health = snap.health
    this.asOf = snap.health.dataAt === null ? null : Date.parse(snap.health.dataAt)
    wallStats.snapshots++
    this.connection = 'live'
    this.attempt = 0
    this.snapshotVersion++
    this.#emit({ stations: new Set(), cameras: new Set(), all: true })
    this.#bumpPanels(true)
  }

  #noteAsOf(at: string | null): void {
    if (at === null) return
    const t = Date.parse(at)
    if (this.asOf === null || t > this.asOf) this.asOf = t
  }

  #schedule(): void {
    if (this.#frame) return
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0
      this.#flush()
    })
  }

  #flush(): void {
    const stations = new Set<string>()
    const cameras = new Set<string>()
    for (const [id, st] of this.#pendingStations) {
      const cur = this.stations.get(id)
      if (!cur) continue // not in the snapshot: reference:changed brings it
      this.stations.set(id, { ...cur, ...st })
      stations.add(id)
    }
    for (const [id, c] of this.#pendingCameras) {
      const cur = this.cameras.get(id)
      if (!cur) continue
      this.cameras.set(id, { ...cur, ...c })
      cameras.add(id)
    }
    this.#pendingStations.clear()
    this.#pendingCameras.clear()
    if (stations.size || cameras.size) {
      wallStats.frames++
      this.#emit({ stations, cameras, all: false })
      this.#bumpPanels(false)
    }
  }

  #emit(changes: FrameChanges): void {
    for (const l of this.#listeners) {
      try {
        l(changes)
      } catch (err) {
        console.error('live listener failed', err)
      }
    }
  }

  /**
   * Panels refresh in a task of their own (a timer), never inside the animation frame that updates the map:
   * two moderate tasks instead of one long one.
   */
  #bumpPanels(now: boolean): void {
    if (now && this.#panelTimer) {
      clearTimeout(this.#panelTimer)
      this.#panelTimer = null
    }
    const wait = now ? 0 : Math.max(0, PANEL_INTERVAL_MS - (performance.now() - this.#lastPanel))
    this.#panelTimer ??= setTimeout(() => {
      this.#panelTimer = null
      this.#lastPanel = performance.now()
      this.panelVersion++
    }, wait)
  }
}
