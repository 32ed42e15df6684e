// The console's live connection: Socket.IO, joined to the inbox it shows — the list room `report-inboxes`
// (every inbox) for dispatchers, `report-inbox:<agency>` (the agency and the units below it) for agency staff.
// Deltas name only which inboxes changed (contract/reports/live.ts), so a delta asks the console to refetch
// over REST, gathered: the deltas of the next half second join it, so a burst (a sweep escalating twenty
// reports) becomes one round of requests, and rounds are at least 1.5 s apart. A reconnect asks for one too,
// since deltas sent while away are lost.
import { io, type Socket } from 'socket.io-client'
import { REPORTS_CHANNEL, type ClientToServerEvents, type ServerToClientEvents } from '../../../contract/index.ts'

type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/** How long a change waits for the ones after it before the console refetches. */
export const REFETCH_GATHER_MS = 500
/**
 * The least time between two refetches: under a storm of changes (the dispatcher's room hears every one) a
 * console asks at most this often, not at every delta (bench:reports: 50 consoles refetching 20 times a
 * second were more than two servers could answer). A quiet console still sees a change within a second.
 */
export const REFETCH_MIN_INTERVAL_MS = 1500

/** The room a console follows: null for every inbox (dispatchers), else the agency's own. */
export function inboxRoom(agencyUnitId: string | null): string {
  return agencyUnitId ? `${REPORTS_CHANNEL.item}:${agencyUnitId}` : REPORTS_CHANNEL.list
}

export class InboxFeed {
  connected = $state(false)
  /** Connected and in the room: changes reach the console from now on. */
  joined = $state(false)
  /** Why the server refused the room, when it did (an agency that is not the account's). */
  refused = $state<string | null>(null)

  #socket: ConsoleSocket
  #timer: ReturnType<typeof setTimeout> | null = null
  #lastFetch = 0
  #connectedBefore = false

  constructor(
    private readonly room: string,
    private readonly onChange: () => void,
    /** The session ended (signed out elsewhere, account disabled): sign in again. */
    private readonly onSignedOut: () => void,
  ) {
    const s: ConsoleSocket = io('', { reconnectionDelay: 1000, reconnectionDelayMax: 30_000, transports: ['websocket', 'polling'] })
    this.#socket = s
    s.on('connect', () => {
      this.connected = true
      // the first connection comes with the console's own first load; a later one follows a gap
      if (this.#connectedBefore) this.#schedule()
      this.#connectedBefore = true
      s.emit('subscribe', { rooms: [this.room] }, (res) => {
        this.joined = res.ok
        this.refused = res.ok ? null : res.error.message
      })
    })
    s.on('disconnect', () => {
      this.connected = false
      this.joined = false
    })
    s.on('connect_error', (err) => {
      if (err.message.startsWith('unauthorized')) this.onSignedOut()
    })
    s.on('session:ended', () => this.onSignedOut())
    s.on(`${REPORTS_CHANNEL.list}:delta`, () => this.#schedule())
  }

  close(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#socket.close()
  }

  #schedule(): void {
    const wait = Math.max(REFETCH_GATHER_MS, this.#lastFetch + REFETCH_MIN_INTERVAL_MS - Date.now())
    this.#timer ??= setTimeout(() => {
      this.#timer = null
      this.#lastFetch = Date.now()
      this.onChange()
    }, wait)
  }
}
