// The typed Socket.IO event maps: the shared events, one `<list>:delta` event per registered live channel
// (contract/domains.ts), and the wall definition.

import type { WallDefinition } from './dashboard.ts'
import type { LiveChannels } from './domains.ts'
import type { Ack } from './shared/errors.ts'
import type { DeltaEventsOf, RoomOf, SharedServerEvents, SnapshotBase, SnapshotPartOf, SubscribeRequest, UnionToIntersection } from './shared/live.ts'

export type Room = RoomOf<LiveChannels>
/** A live channel's list room (`stations`, `cameras`): what a client holds a map of. */
export type LiveList = LiveChannels['list']
/** What a snapshot holds per item of a list, and what a delta carries. */
export type SummaryOf<L extends LiveList> = NonNullable<Extract<LiveChannels, { list: L }>['types']>['summary']
export type StateOf<L extends LiveList> = NonNullable<Extract<LiveChannels, { list: L }>['types']>['state']
export type DeltaEventName = `${LiveList}:delta`
export type Snapshot = SnapshotBase & UnionToIntersection<SnapshotPartOf<LiveChannels>>
export type ServerToClientEvents = SharedServerEvents &
  UnionToIntersection<DeltaEventsOf<LiveChannels>> & {
    /** A dashboard file changed (or broke): the whole wall definition again, problems included. */
    'wall:changed': (wall: WallDefinition) => void
  }
export interface ClientToServerEvents {
  subscribe: (req: SubscribeRequest, ack: (res: Ack<Snapshot>) => void) => void
  unsubscribe: (req: SubscribeRequest, ack: (res: Ack<{ rooms: string[] }>) => void) => void
}
