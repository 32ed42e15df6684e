// A domain of devices on the server, put together the same way whatever the devices are: reference rows
// re-read when their version stamp moves, live state loaded from the database and advanced by ingest's
// frames, statuses aged by the tick, the store answering snapshots and deltas. A device domain's index.ts
// gives only what differs: its store, repository reads, frame check, routes and baseline.
import type { Router } from 'express'
import type { LiveChannel, WallKpis } from '../../contract/index.ts'
import type { DomainContext, ServerDomain } from './domain.ts'
import type { DeviceLive, DeviceRef, DeviceStateBase, DeviceStore } from './device-store.ts'

interface DeviceDomainParts<Ref extends DeviceRef, Item> {
  name: string
  channel: LiveChannel
  liveTopic: string
  store: DeviceStore<Ref, DeviceLive, DeviceStateBase> & { apply(items: readonly Item[], now: number, receivedAt: number): Iterable<string> }
  /** The reference rows, and a stamp that changes whenever they do. */
  reference: { stamp(): Promise<string>; rows(): Promise<Ref[]> }
  /** Reads the live state from the database into the store. */
  load(now: number): Promise<void>
  /** Checks a frame from ingest: its items and commit time, or why it is refused. */
  readFrame(json: unknown): { items: readonly Item[]; committedAt: number } | string
  routes(router: Router): void
  baseline(hour: number): Promise<Partial<WallKpis>>
}

export function deviceDomain<Ref extends DeviceRef, Item>(ctx: DomainContext, p: DeviceDomainParts<Ref, Item>): ServerDomain {
  let stamp = ''
  const { store } = p
  return {
    name: p.name,
    channel: p.channel,
    liveTopic: p.liveTopic,
    async reloadReference(unitNames, unitsChanged) {
      const next = await p.reference.stamp()
      if (next === stamp && !unitsChanged) return []
      const changed = store.setReference(await p.reference.rows(), unitNames, ctx.now())
      stamp = next
      return changed
    },
    load: () => p.load(ctx.now()),
    applyFrame(json) {
      const frame = p.readFrame(json)
      if (typeof frame === 'string') return frame
      return { changed: store.apply(frame.items, ctx.now(), frame.committedAt), committedAt: frame.committedAt }
    },
    tick: (now) => store.tick(now),
    summaries: () => store.summaries(),
    summary: (id) => store.summary(id),
    state: (id) => store.state(id),
    newestSeen: () => store.newestSeen(),
    routes: p.routes,
    baseline: p.baseline,
  }
}
