// Live state of a set of devices (stations, cameras, whatever a domain counts): the reference rows, each
// device's live part, its status from when it was last heard, and the summaries snapshots and REST return.
// Pure. What a domain keeps per device and how it turns that into the client-visible state is its own
// (environment/state.ts, cameras/state.ts); everything about the set is here, once.
import { deviceStatus, type DeviceStatus, type StatusThresholds } from '../../contract/index.ts'

/** What every device has in the reference data. */
export interface DeviceRef {
  id: string
  unitId: string | null
  expectedIntervalSec: number
}

/** What every device's live part records about its reports. */
export interface DeviceLive {
  /** Observation time of the newest report (the device's clock). */
  lastSeen: number | null
  /** When a report of it last arrived (commit time): status follows it, so a device whose clock runs late is not shown stale. */
  lastHeard: number | null
}

export interface DeviceStateBase {
  id: string
  status: DeviceStatus
  lastSeen: string | null
}

export type SummaryOf<Ref extends DeviceRef, State> = State & Omit<Ref, 'id'> & { unitName: string | null }

export abstract class DeviceStore<Ref extends DeviceRef, Live extends DeviceLive, State extends DeviceStateBase> {
  protected refs = new Map<string, Ref>()
  protected live = new Map<string, Live>()
  private unitNames = new Map<string, string>()

  constructor(protected readonly thresholds: StatusThresholds) {}

  /** A fresh live part for a device just added. */
  protected abstract emptyLive(): Live
  /** Recomputes one device's client-visible state; true when it changed. */
  protected abstract recompute(id: string, now: number): boolean
  /** The client-visible state of one device, or null when it does not exist. */
  abstract state(id: string): State | null

  get size(): number {
    return this.refs.size
  }

  has(id: string): boolean {
    return this.refs.has(id)
  }

  ids(): IterableIterator<string> {
    return this.refs.keys()
  }

  ref(id: string): Ref | undefined {
    return this.refs.get(id)
  }

  /** Replaces the reference data; the live part of devices that still exist is kept. Returns ids added or changed. */
  setReference(refs: readonly Ref[], unitNames: ReadonlyMap<string, string>, now: number): string[] {
    const changed: string[] = []
    const next = new Map(refs.map((r) => [r.id, r]))
    for (const r of refs) {
      const before = this.refs.get(r.id)
      if (!before || JSON.stringify(before) !== JSON.stringify(r)) changed.push(r.id)
      if (!this.live.has(r.id)) this.live.set(r.id, this.emptyLive())
    }
    for (const id of this.live.keys()) if (!next.has(id)) this.live.delete(id)
    this.refs = next
    this.unitNames = new Map(unitNames)
    for (const id of changed) this.recompute(id, now)
    return changed
  }

  /** Re-evaluates every device against the clock; returns those whose state changed. */
  tick(now: number): Set<string> {
    const changed = new Set<string>()
    for (const id of this.live.keys()) if (this.recompute(id, now)) changed.add(id)
    return changed
  }

  summary(id: string): SummaryOf<Ref, State> | null {
    const ref = this.refs.get(id)
    const state = this.state(id)
    if (!ref || !state) return null
    const { id: _id, ...rest } = ref
    return { ...state, ...rest, unitName: ref.unitId ? (this.unitNames.get(ref.unitId) ?? null) : null }
  }

  summaries(): SummaryOf<Ref, State>[] {
    return [...this.refs.keys()].map((id) => this.summary(id)!)
  }

  /** The newest observation time of any device (what "data as of" says before any commit is seen). */
  newestSeen(): number | null {
    let newest: number | null = null
    for (const l of this.live.values()) if (l.lastSeen !== null && (newest === null || l.lastSeen > newest)) newest = l.lastSeen
    return newest
  }

  /** Status from when the device was last heard of (or seen, before anything arrived live). */
  protected statusOf(id: string, now: number): DeviceStatus {
    const l = this.live.get(id)!
    const ref = this.refs.get(id)!
    const heard = l.lastHeard === null ? l.lastSeen : Math.max(l.lastHeard, l.lastSeen ?? -Infinity)
    return deviceStatus(heard, now, ref.expectedIntervalSec, this.thresholds)
  }

  /** Notes a report arriving for a device at `receivedAt` (commit time) observed at `ts`. */
  protected heard(l: Live, ts: number, receivedAt: number): void {
    if (l.lastSeen === null || ts > l.lastSeen) l.lastSeen = ts
    if (l.lastHeard === null || receivedAt > l.lastHeard) l.lastHeard = receivedAt
  }
}
