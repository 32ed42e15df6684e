// The wall's one connection to the server: Socket.IO with backoff, a snapshot on every (re)connect that
// replaces all state (nothing stale survives a reconnect), and deltas applied once per animation frame.
// It holds one map of items per registered live channel (`stations`, `cameras`, …), subscribes to every
// list room and follows every `<list>:delta` event, so a new domain's channel needs nothing here.
// The map listens to the per-frame changes (feature-state for the ids that changed); panels read
// `panelVersion`, which moves at most every PANEL_INTERVAL_MS, because a number on a wall does not need
// to change 60 times a second and a chart redraw per frame would cost main-thread time for nothing.
import { io, type Socket } from 'socket.io-client'
import {
  LIVE_CHANNELS,
  type ClientToServerEvents,
  type LiveHealth,
  type LiveList,
  type ServerToClientEvents,
  type Snapshot,
  type StateOf,
  type SummaryOf,
  type WallDefinition,
} from '../../../contract/index.ts'

export type ConnectionState = 'connecting' | 'live' | 'reconnecting'

export interface FrameChanges {
  /** Per list, the ids whose state changed in this frame. */
  changed: ReadonlyMap<LiveList, ReadonlySet<string>>
  /** True after a snapshot: every feature must be redrawn. */
  all: boolean
}

type FrameListener = (changes: FrameChanges) => void
type WallSocket = Socket<ServerToClientEvents, ClientToServerEvents>
type Lists = { [L in LiveList]: Map<string, SummaryOf<L>> }
type Pending = { [L in LiveList]: Map<string, StateOf<L>> }

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

function mapPerList<M>(): { [L in LiveList]: Map<string, M> } {
  return Object.fromEntries(LIVE_CHANNELS.map((c) => [c.list, new Map()])) as { [L in LiveList]: Map<string, M> }
}

export class LiveData {
  connection = $state<ConnectionState>('connecting')
  /** Reconnection attempts since the connection was lost. */
  attempt = $state(0)
  /** Commit time of the newest data the server has (epoch ms): "data as of" stops when the data stops. */
  asOf = $state<number | null>(null)
  /** Whether data is flowing (database, broker, ingest), as the server last said; null before the first word. */
  health = $state<LiveHealth | null>(null)
  /** Bumps when any item changed, at most every PANEL_INTERVAL_MS. */
  panelVersion = $state(0)
  /** Bumps on every snapshot (connect, reconnect, reference change): panels refetch their history. */
  snapshotVersion = $state(0)
  wall = $state<WallDefinition | null>(null)
  /** The session behind this page ended (signed out elsewhere, kiosk link revoked) or was never valid: sign in again. */
  signedOut = $state(false)

  /** The items of each list (not reactive: read them under `panelVersion` or in a frame listener). */
  readonly lists: Lists = mapPerList() as Lists

  #socket: WallSocket
  #listeners = new Set<FrameListener>()
  #pending: Pending = mapPerList() as Pending
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
      if (!s.active && !this.signedOut) s.connect()
    })
    s.io.on('reconnect_attempt', (n) => {
      this.connection = 'reconnecting'
      this.attempt = n
    })
    s.on('connect_error', (err) => {
      // refused at the handshake for its credentials: retrying cannot help, a sign-in can
      if (err.message.startsWith('unauthorized')) {
        this.signedOut = true
        s.disconnect()
        return
      }
      if (this.connection === 'live') this.connection = 'reconnecting'
    })
    s.on('session:ended', () => {
      this.signedOut = true
      s.disconnect()
    })
    for (const c of LIVE_CHANNELS) this.#follow(c.list)
    s.on('health', (h) => {
      this.health = h
      this.#noteAsOf(h.dataAt)
    })
    s.on('reference:changed', () => this.#subscribe())
    s.on('wall:changed', (w) => (this.wall = w))
  }

  /** The items of one list, by id. */
  list<L extends LiveList>(name: L): ReadonlyMap<string, SummaryOf<L>> {
    return this.lists[name]
  }

  /** The items of every list, as iterables (what computeKpis takes). */
  values(): { [L in LiveList]: Iterable<SummaryOf<L>> } {
    // built per channel, which TypeScript cannot follow through a mapped type
    return Object.fromEntries(LIVE_CHANNELS.map((c) => [c.list, this.lists[c.list].values()])) as unknown as { [L in LiveList]: Iterable<SummaryOf<L>> }
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

  /** Queues each delta entry of a list by id: a burst of deltas for one item costs one update per frame. */
  #follow<L extends LiveList>(list: L): void {
    // the event name is built from the channel, so TypeScript cannot pick its listener type from the map
    const on = this.#socket.on.bind(this.#socket) as (event: string, listener: (d: Record<string, unknown> & { dataAt: string | null }) => void) => void
    const pending = this.#pending[list] as Map<string, StateOf<L>>
    on(`${list}:delta`, (d) => {
      wallStats.deltas++
      for (const item of d[list] as StateOf<L>[]) pending.set(item.id, item)
      this.#noteAsOf(d.dataAt)
      this.#schedule()
    })
  }

  #subscribe(): void {
    this.#socket.emit('subscribe', { rooms: LIVE_CHANNELS.map((c) => c.list) }, (res) => {
      if (!res.ok) {
        console.warn('subscribe refused', res.error)
        return
      }
      this.#applySnapshot(res.data)
    })
  }

  #applySnapshot(snap: Snapshot): void {
    // replace, never merge: an item removed while we were away must not linger on the wall
    for (const c of LIVE_CHANNELS) {
      const items = this.lists[c.list] as Map<string, { id: string }>
      items.clear()
      for (const item of (snap[c.list] ?? []) as { id: string }[]) items.set(item.id, item)
      this.#pending[c.list].clear()
    }
    this.health = snap.health
    this.asOf = snap.health.dataAt === null ? null : Date.parse(snap.health.dataAt)
    wallStats.snapshots++
    this.connection = 'live'
    this.attempt = 0
    this.snapshotVersion++
    this.#emit({ changed: new Map(), all: true })
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
    const changed = new Map<LiveList, Set<string>>()
    for (const c of LIVE_CHANNELS) {
      const items = this.lists[c.list] as Map<string, object>
      const pending = this.#pending[c.list] as Map<string, object>
      const ids = new Set<string>()
      for (const [id, state] of pending) {
        const cur = items.get(id)
        if (!cur) continue // not in the snapshot: reference:changed brings it
        items.set(id, { ...cur, ...state })
        ids.add(id)
      }
      pending.clear()
      if (ids.size) changed.set(c.list, ids)
    }
    if (changed.size) {
      wallStats.frames++
      this.#emit({ changed, all: false })
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
