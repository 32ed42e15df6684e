// The live picture of every counter camera: the last hour of counting periods, from which the KPIs are
// derived (people inside now, arrivals in the last hour, vehicles per minute), plus status. Pure state,
// loaded from the database and advanced by committed counts and a clock tick (windows slide with time).

import {
  ARRIVALS_WINDOW_MS,
  arrivalsLastHour,
  insideNow,
  vehiclesPerMinute,
  type Camera,
  type CameraCount,
  type CameraState,
  type CountPeriod,
} from '../../contract/index.ts'
import { DeviceStore, type DeviceLive } from '../shared/device-store.ts'

interface Live extends DeviceLive {
  /** Periods of the last hour, oldest first. */
  periods: CountPeriod[]
  last: CountPeriod | null
  state: CameraState
}

export class CameraStates extends DeviceStore<Camera, Live, CameraState> {
  protected emptyLive(): Live {
    return { periods: [], lastSeen: null, lastHeard: null, last: null, state: emptyState('') }
  }

  /** Loads the last hour of periods and each camera's last report time from the database. */
  load(periods: readonly CameraCount[], lastSeen: ReadonlyMap<string, number>, now: number): void {
    for (const [id, l] of this.live) {
      l.periods = []
      l.last = null
      const seen = lastSeen.get(id)
      if (seen !== undefined && (l.lastSeen === null || seen > l.lastSeen)) l.lastSeen = seen
    }
    this.insert(periods)
    for (const id of this.live.keys()) this.recompute(id, now)
  }

  /** Applies committed periods (`receivedAt`: their commit time); returns the cameras whose state changed. */
  apply(counts: readonly CameraCount[], now: number, receivedAt: number = now): Set<string> {
    const changed = new Set(this.insert(counts))
    for (const id of changed) {
      const l = this.live.get(id)!
      if (l.lastHeard === null || receivedAt > l.lastHeard) l.lastHeard = receivedAt
    }
    for (const id of changed) this.recompute(id, now)
    return changed
  }

  state(id: string): CameraState | null {
    return this.live.get(id)?.state ?? null
  }

  private insert(counts: readonly CameraCount[]): string[] {
    const touched: string[] = []
    for (const c of counts) {
      const l = this.live.get(c.cameraId)
      if (!l) continue
      const p: CountPeriod = { ts: c.ts, periodSec: c.periodSec, counts: c.counts, inside: c.inside }
      // keep periods ordered; they almost always arrive in order, so this is an append
      let i = l.periods.length
      while (i > 0 && l.periods[i - 1]!.ts > p.ts) i--
      if (l.periods[i - 1]?.ts === p.ts) continue // a redelivered period
      l.periods.splice(i, 0, p)
      if (!l.last || p.ts > l.last.ts) l.last = p
      if (l.lastSeen === null || p.ts > l.lastSeen) l.lastSeen = p.ts
      touched.push(c.cameraId)
    }
    return touched
  }

  protected recompute(id: string, now: number): boolean {
    const l = this.live.get(id)
    const c = this.refs.get(id)
    if (!l || !c) return false
    const cutoff = now - ARRIVALS_WINDOW_MS
    let drop = 0
    while (drop < l.periods.length && l.periods[drop]!.ts <= cutoff) drop++
    if (drop) l.periods.splice(0, drop)
    const next: CameraState = {
      id,
      status: this.statusOf(id, now),
      lastSeen: l.lastSeen === null ? null : new Date(l.lastSeen).toISOString(),
      // "now" means the latest report within two reporting intervals
      inside: insideNow(l.periods, now, 2 * c.expectedIntervalSec * 1000),
      arrivalsLastHour: c.kind === 'service_center' ? arrivalsLastHour(l.periods, now) : null,
      vehiclesPerMinute: c.kind === 'road' ? round1(vehiclesPerMinute(l.periods, now)) : null,
      lastCounts: l.last ? { ...l.last.counts } : {},
    }
    const changed = JSON.stringify(next) !== JSON.stringify(l.state)
    l.state = next
    return changed
  }
}

function round1(v: number | null): number | null {
  return v === null ? null : Math.round(v * 10) / 10
}

function emptyState(id: string): CameraState {
  return { id, status: 'offline', lastSeen: null, inside: null, arrivalsLastHour: null, vehiclesPerMinute: null, lastCounts: {} }
}
