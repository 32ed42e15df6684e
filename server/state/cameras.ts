// The live picture of every counter camera: the last hour of counting periods, from which the KPIs are
// derived (people inside now, arrivals in the last hour, vehicles per minute), plus status. Pure state,
// loaded from the database and advanced by committed counts and a clock tick (windows slide with time).

import {
  ARRIVALS_WINDOW_MS,
  arrivalsLastHour,
  deviceStatus,
  insideNow,
  vehiclesPerMinute,
  type Camera,
  type CameraCount,
  type CameraState,
  type CameraSummary,
  type CountPeriod,
  type StatusThresholds,
} from '../../contract/index.ts'

interface Live {
  /** Periods of the last hour, oldest first. */
  periods: CountPeriod[]
  /** End of the newest period (the camera's clock). */
  lastSeen: number | null
  /** When a period last arrived (commit time); status follows it, as for stations. */
  lastHeard: number | null
  last: CountPeriod | null
  state: CameraState
}

export class CameraStates {
  private cameras = new Map<string, Camera>()
  private unitNames = new Map<string, string>()
  private live = new Map<string, Live>()

  constructor(private readonly thresholds: StatusThresholds) {}

  setReference(cameras: readonly Camera[], unitNames: ReadonlyMap<string, string>, now: number): string[] {
    const changed: string[] = []
    const next = new Map(cameras.map((c) => [c.id, c]))
    for (const c of cameras) {
      const before = this.cameras.get(c.id)
      if (!before || JSON.stringify(before) !== JSON.stringify(c)) changed.push(c.id)
      if (!this.live.has(c.id)) this.live.set(c.id, { periods: [], lastSeen: null, lastHeard: null, last: null, state: emptyState(c.id) })
    }
    for (const id of this.live.keys()) if (!next.has(id)) this.live.delete(id)
    this.cameras = next
    this.unitNames = new Map(unitNames)
    for (const id of changed) this.recompute(id, now)
    return changed
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

  tick(now: number): Set<string> {
    const changed = new Set<string>()
    for (const id of this.live.keys()) if (this.recompute(id, now)) changed.add(id)
    return changed
  }

  state(id: string): CameraState | null {
    return this.live.get(id)?.state ?? null
  }

  summary(id: string): CameraSummary | null {
    const c = this.cameras.get(id)
    const state = this.state(id)
    if (!c || !state) return null
    return {
      ...state,
      name: c.name,
      kind: c.kind,
      site: c.site,
      unitId: c.unitId,
      unitName: c.unitId ? (this.unitNames.get(c.unitId) ?? null) : null,
      lon: c.lon,
      lat: c.lat,
      capacity: c.capacity,
      expectedIntervalSec: c.expectedIntervalSec,
    }
  }

  summaries(): CameraSummary[] {
    return [...this.cameras.keys()].map((id) => this.summary(id)!)
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

  private recompute(id: string, now: number): boolean {
    const l = this.live.get(id)
    const c = this.cameras.get(id)
    if (!l || !c) return false
    const cutoff = now - ARRIVALS_WINDOW_MS
    let drop = 0
    while (drop < l.periods.length && l.periods[drop]!.ts <= cutoff) drop++
    if (drop) l.periods.splice(0, drop)
    const next: CameraState = {
      id,
      status: deviceStatus(l.lastHeard === null ? l.lastSeen : Math.max(l.lastHeard, l.lastSeen ?? -Infinity), now, c.expectedIntervalSec, this.thresholds),
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
