// The Socket.IO contract. A client subscribes to rooms for what it shows and gets a snapshot in the ack;
// deltas follow, coalesced per station/camera over LIVE_COALESCE_MS so a burst of readings becomes one
// frame per room per tick, each entry the full current state (a missed frame heals with the next).
// Acks follow `{ ok: true, data } | { ok: false, error: { code, message } }`.

import type { WallDefinition } from './dashboard.ts'
import type { LiveHealth } from './health.ts'
import type { CameraState, CameraSummary, StationState, StationSummary } from './live.ts'
import { DEVICE_ID_PATTERN } from './topics.ts'

export type Room = 'stations' | 'cameras' | `station:${string}` | `camera:${string}`

export interface ApiErrorBody {
  code: string
  message: string
  /** The request field at fault, when there is one. */
  field?: string
}

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ApiErrorBody }

export interface SubscribeRequest {
  rooms: Room[]
}

export interface Snapshot {
  at: string
  /** Whether data is flowing, and the commit time of the newest data ("data as of"). */
  health: LiveHealth
  stations?: StationSummary[]
  cameras?: CameraSummary[]
}

export interface StationsDelta {
  at: string
  /** Commit time of the newest data the server has seen (ISO-8601), or null. */
  dataAt: string | null
  stations: StationState[]
}

export interface CamerasDelta {
  at: string
  dataAt: string | null
  cameras: CameraState[]
}

export interface ServerToClientEvents {
  'stations:delta': (delta: StationsDelta) => void
  'cameras:delta': (delta: CamerasDelta) => void
  /** Devices were added, removed or renamed: subscribe again for a fresh snapshot. */
  'reference:changed': (info: { at: string }) => void
  /** A dashboard file changed (or broke): the whole wall definition again, problems included. */
  'wall:changed': (wall: WallDefinition) => void
  /** Data stopped flowing (database, broker, ingest) or flows again; sent to every socket on each change. */
  health: (health: LiveHealth) => void
}

export interface ClientToServerEvents {
  subscribe: (req: SubscribeRequest, ack: (res: Ack<Snapshot>) => void) => void
  unsubscribe: (req: SubscribeRequest, ack: (res: Ack<{ rooms: Room[] }>) => void) => void
}

export const MAX_ROOMS_PER_REQUEST = 500

/** Validates a subscribe/unsubscribe request; returns the rooms or an error naming the bad entry. */
export function parseRooms(req: unknown): Room[] | ApiErrorBody {
  const rooms = (req as SubscribeRequest | null)?.rooms
  if (!Array.isArray(rooms)) return { code: 'bad_request', field: 'rooms', message: 'rooms: expected an array of room names' }
  if (rooms.length > MAX_ROOMS_PER_REQUEST) return { code: 'bad_request', field: 'rooms', message: `rooms: at most ${MAX_ROOMS_PER_REQUEST} per request` }
  for (const [i, r] of rooms.entries()) {
    const ok =
      r === 'stations' ||
      r === 'cameras' ||
      (typeof r === 'string' && /^(station|camera):/.test(r) && DEVICE_ID_PATTERN.test(r.slice(r.indexOf(':') + 1)))
    if (!ok) return { code: 'bad_request', field: `rooms[${i}]`, message: `rooms[${i}]: '${String(r).slice(0, 40)}' is not 'stations', 'cameras', 'station:<id>' or 'camera:<id>'` }
  }
  return rooms as Room[]
}
