// The leader page's live connection: Socket.IO, joined to the room of the unit in view
// (`dossier-unit:<id>` hears of changes anywhere below it; the list room `dossiers` before the unit is known).
// Deltas carry only which units changed (contract/dossiers/live.ts), so a delta asks for one refetch,
// gathered: the deltas of the next second join it, so a burst of events becomes one round of requests, not
// one per frame, and a steady stream still refetches every second. A reconnect asks for one too, since deltas
// sent while away are lost.
import { io, type Socket } from 'socket.io-client'
import { DOSSIERS_CHANNEL, type ClientToServerEvents, type ServerToClientEvents } from '../../../contract/index.ts'

type DossierSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/** How long a change waits for the ones after it before the page refetches. */
export const REFETCH_GATHER_MS = 1000

export class UnitFeed {
  connected = $state(false)
  /** When the last change of the units in view arrived (epoch ms). */
  lastChange = $state<number | null>(null)

  #socket: DossierSocket
  #room: string | null = null
  #timer: ReturnType<typeof setTimeout> | null = null
  #connectedBefore = false

  constructor(
    private readonly onChange: () => void,
    /** The session ended (signed out elsewhere, account disabled): sign in again. */
    private readonly onSignedOut: () => void,
  ) {
    const s = (this.#socket = io('', { reconnectionDelay: 1000, reconnectionDelayMax: 30_000, transports: ['websocket', 'polling'] }))
    s.on('connect', () => {
      this.connected = true
      // the first connection comes with the page's own first load; a later one follows a gap
      if (this.#connectedBefore) this.#schedule()
      this.#connectedBefore = true
      this.#join(this.#room)
    })
    s.on('disconnect', () => (this.connected = false))
    s.on('connect_error', (err) => {
      if (err.message.startsWith('unauthorized')) this.onSignedOut()
    })
    s.on('session:ended', () => this.onSignedOut())
    s.on(`${DOSSIERS_CHANNEL.list}:delta`, () => {
      this.lastChange = Date.now()
      this.#schedule()
    })
  }

  /** Follows the unit in view (null: the list room, every unit the caller may see). */
  follow(unitId: string | null): void {
    const room = unitId ? `${DOSSIERS_CHANNEL.item}:${unitId}` : DOSSIERS_CHANNEL.list
    if (room === this.#room) return
    const old = this.#room
    this.#room = room
    if (!this.#socket.connected) return
    if (old) this.#socket.emit('unsubscribe', { rooms: [old] }, () => {})
    this.#join(room)
  }

  close(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#socket.close()
  }

  #join(room: string | null): void {
    if (!room) return
    this.#socket.emit('subscribe', { rooms: [room] }, (res) => {
      if (!res.ok) console.warn('dossier room refused', res.error)
    })
  }

  #schedule(): void {
    this.#timer ??= setTimeout(() => {
      this.#timer = null
      this.onChange()
    }, REFETCH_GATHER_MS)
  }
}
