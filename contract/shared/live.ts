// The Socket.IO contract every live domain follows. A domain declares a channel: a list room (`stations`)
// and an item room prefix (`station:<id>`). A client subscribes to rooms and gets a snapshot in the ack;
// deltas follow on `<list>:delta`, coalesced per item over LIVE_COALESCE_MS so a burst becomes one frame per
// room per tick, each entry the full current state (a missed frame heals with the next). contract/domains.ts
// composes the registered channels into the typed event maps.
// Acks follow `{ ok: true, data } | { ok: false, error: { code, message } }`.

import type { Access } from './auth.ts'
import type { ApiErrorBody } from './errors.ts'
import type { LiveHealth } from './health.ts'
import { check, sentence, z } from './schema.ts'
import { DEVICE_ID_PATTERN } from './topics.ts'

/**
 * A live channel: its list room, its item room prefix, and (as phantom types) the summary a snapshot holds
 * and the state a delta carries for each item.
 */
export interface LiveChannel<L extends string = string, I extends string = string, Summary = unknown, State = unknown> {
  list: L
  item: I
  /** Who may join its rooms. */
  access: Access
  /** Phantom: never set; carries the types for the event maps. */
  readonly types?: { summary: Summary; state: State }
}

/** Declares a channel with its item types: `liveChannel<StationSummary, StationState>()('stations', 'station', 'live:read')`. */
export function liveChannel<Summary, State>() {
  return <L extends string, I extends string>(list: L, item: I, access: Access): LiveChannel<L, I, Summary, State> => ({ list, item, access })
}

/** An item of a channel whose items are units: when something of the unit (or below it) last changed. */
export interface UnitChangeState {
  /** The unit (its figures include the units below it). */
  id: string
  /** When a change of it (or below it) was last committed; null: none since this server started. */
  changedAt: string | null
}

export type RoomOf<C> = C extends LiveChannel<infer L, infer I> ? L | `${I}:${string}` : never
export type SnapshotPartOf<C> = C extends LiveChannel<infer L, string, infer S> ? { [K in L]?: S[] } : never
export type DeltaOf<C> = C extends LiveChannel<infer L, string, unknown, infer S> ? { at: string; dataAt: string | null } & { [K in L]: S[] } : never
export type DeltaEventsOf<C> = C extends LiveChannel<infer L, string, unknown, infer S> ? { [K in `${L}:delta`]: (delta: { at: string; dataAt: string | null } & { [P in L]: S[] }) => void } : never
export type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never

export interface SnapshotBase {
  at: string
  /** Whether data is flowing, and the commit time of the newest data ("data as of"). */
  health: LiveHealth
}

export interface SubscribeRequest {
  rooms: string[]
}

/** Events every server sends whatever domains it serves. */
export interface SharedServerEvents {
  /** Reference data changed (items added, removed or renamed): subscribe again for a fresh snapshot. */
  'reference:changed': (info: { at: string }) => void
  /** Data stopped flowing (database, broker, ingest) or flows again; sent to every socket on each change. */
  health: (health: LiveHealth) => void
  /** The socket's session ended (signed out, disabled, kiosk link revoked); the server disconnects it next. */
  'session:ended': (info: { reason: 'signed_out' | 'revoked' }) => void
}

export const MAX_ROOMS_PER_REQUEST = 500

/** A room a request named, read against the registered channels. */
export interface ParsedRoom {
  room: string
  channel: LiveChannel
  /** The item's id for an item room; null for the list room. */
  id: string | null
}

const roomLists = new WeakMap<readonly LiveChannel[], z.ZodType<ParsedRoom[]>>()

/** The rooms a request may name: a list of at most MAX_ROOMS_PER_REQUEST, each a registered channel's room. */
function roomList(channels: readonly LiveChannel[]): z.ZodType<ParsedRoom[]> {
  let schema = roomLists.get(channels)
  if (!schema) {
    const names = [...channels.map((c) => `'${c.list}'`), ...channels.map((c) => `'${c.item}:<id>'`)]
    const notARoom = (r: unknown) => sentence(`'${String(r).slice(0, 40)}' is not ${names.slice(0, -1).join(', ')} or ${names.at(-1)}`)
    const room = z.string({ error: (iss) => notARoom(iss.input) }).transform((r, ctx) => {
      const parsed = readRoom(r, channels)
      if (parsed) return parsed
      ctx.addIssue({ code: 'custom', message: notARoom(r), input: r })
      return z.NEVER
    })
    schema = z
      .array(z.unknown(), { error: sentence('expected an array of room names') })
      .max(MAX_ROOMS_PER_REQUEST, { error: sentence(`at most ${MAX_ROOMS_PER_REQUEST} per request`) })
      .pipe(z.array(room))
    roomLists.set(channels, schema)
  }
  return schema
}

/** Validates a subscribe/unsubscribe request; returns the rooms or an error naming the bad entry. */
export function parseRooms(req: unknown, channels: readonly LiveChannel[]): ParsedRoom[] | ApiErrorBody {
  const r = check(roomList(channels), (req as SubscribeRequest | null | undefined)?.rooms, { at: 'rooms' })
  if (r.ok) return r.value
  const first = r.issues[0]!
  return { code: 'bad_request', field: first.path, message: first.message }
}

function readRoom(room: string, channels: readonly LiveChannel[]): ParsedRoom | null {
  for (const channel of channels) {
    if (room === channel.list) return { room, channel, id: null }
    const prefix = `${channel.item}:`
    if (room.startsWith(prefix) && DEVICE_ID_PATTERN.test(room.slice(prefix.length))) return { room, channel, id: room.slice(prefix.length) }
  }
  return null
}
