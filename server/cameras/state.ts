// The live picture of every counter camera: the last hour of its counts, from which the KPIs are derived
// (people inside now, arrivals in the last hour, vehicles per minute), plus status. Pure state, loaded from
// the database and advanced by committed counts and a clock tick (windows slide with time).
//
// Memory is bounded per camera whatever its report rate: the reports of each clock minute are merged into
// one period (summed counts and durations, ending at the minute's latest report), so a camera holds at most
// one merged period per minute of the hour (plus one per minute its clock runs ahead, which ingest caps with
// INGEST_MAX_FUTURE). The KPIs are the contract's functions (contract/cameras/kpis.ts) over those periods.
// With at most one report per clock minute, the usual case, they equal the per-report values exactly. With
// several, a window edge falling inside a minute takes that minute whole or not at all, as if the camera
// had sent one summed report at the minute's latest report: up to one minute of reports just older than the
// window still counts (in counts and in covered time alike, so vehicles per minute stays a rate), and a
// minute whose latest report is ahead of `now` (a camera clock running fast) waits until it is reached.

import {
  ARRIVALS_WINDOW_MS,
  CAMERA_CLASSES,
  arrivalsLastHour,
  insideNow,
  vehiclesPerMinute,
  type Camera,
  type CameraCount,
  type CameraState,
  type CountPeriod,
} from '../../contract/index.ts'
import { DeviceStore, type DeviceLive } from '../shared/device-store.ts'

const MINUTE_MS = 60_000
/**
 * Report end times a minute remembers to recognise a redelivered report (the database's key is (camera, ts)).
 * Periods of the shortest accepted length (CAMERA_LIMITS.minPeriodSec, one second) end at most 60 times a
 * minute, and 64 leaves room for a jittery clock, so dedupe is exact for any camera whose periods do not
 * overlap. Past it a minute keeps only its latest end time (see isRedelivery).
 */
const KEYS_PER_MINUTE = 64

/**
 * The reports of one clock minute (those whose period ended in (end - 1 min, end]) merged into the period the
 * KPIs read: it ends at the latest report, covers the summed durations and holds the counts summed per class.
 * Its `inside` stays null: the occupancy is kept apart with its own time.
 */
interface Minute extends CountPeriod {
  /** How many reports are merged in it. */
  reports: number
  /** The latest report of the minute that gave an occupancy, or null. */
  occupancy: CountPeriod | null
  /** End times of the merged reports (keyOf), for dedupe, from the second report on (one report's is `ts`); null past KEYS_PER_MINUTE. */
  keys: Uint16Array | null
}

interface Live extends DeviceLive {
  /** The minutes of the last hour (and any ahead of the clock) that have reports, oldest first. */
  minutes: Minute[]
  last: CountPeriod | null
  state: CameraState
}

export class CameraStates extends DeviceStore<Camera, Live, CameraState> {
  protected emptyLive(): Live {
    return { minutes: [], lastSeen: null, lastHeard: null, last: null, state: emptyState('') }
  }

  /** Loads the last hour of periods and each camera's last report time from the database. */
  load(periods: readonly CameraCount[], lastSeen: ReadonlyMap<string, number>, now: number): void {
    for (const [id, l] of this.live) {
      l.minutes = []
      l.last = null
      const seen = lastSeen.get(id)
      if (seen !== undefined && (l.lastSeen === null || seen > l.lastSeen)) l.lastSeen = seen
    }
    this.insert(periods, now)
    for (const id of this.live.keys()) this.recompute(id, now)
  }

  /** Applies committed periods (`receivedAt`: their commit time); returns the cameras whose state changed. */
  apply(counts: readonly CameraCount[], now: number, receivedAt: number = now): Set<string> {
    const changed = new Set(this.insert(counts, now))
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

  /** How many merged periods (minutes with reports) a camera holds; what bounds its memory. */
  heldPeriods(id: string): number {
    return this.live.get(id)?.minutes.length ?? 0
  }

  private insert(counts: readonly CameraCount[], now: number): string[] {
    const touched: string[] = []
    const cutoff = now - ARRIVALS_WINDOW_MS
    for (const c of counts) {
      const l = this.live.get(c.cameraId)
      if (!l || !merge(l.minutes, c, cutoff)) continue
      if (!l.last || c.ts > l.last.ts) l.last = { ts: c.ts, periodSec: c.periodSec, counts: c.counts, inside: c.inside }
      if (l.lastSeen === null || c.ts > l.lastSeen) l.lastSeen = c.ts
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
    while (drop < l.minutes.length && l.minutes[drop]!.ts <= cutoff) drop++
    if (drop) l.minutes.splice(0, drop)
    const occupancies = l.minutes.flatMap((m) => (m.occupancy ? [m.occupancy] : []))
    const next: CameraState = {
      id,
      status: this.statusOf(id, now),
      lastSeen: l.lastSeen === null ? null : new Date(l.lastSeen).toISOString(),
      // "now" means the latest report within two reporting intervals
      inside: insideNow(occupancies, now, 2 * c.expectedIntervalSec * 1000),
      arrivalsLastHour: c.kind === 'service_center' ? arrivalsLastHour(l.minutes, now) : null,
      vehiclesPerMinute: c.kind === 'road' ? round1(vehiclesPerMinute(l.minutes, now)) : null,
      lastCounts: l.last ? { ...l.last.counts } : {},
    }
    const changed = JSON.stringify(next) !== JSON.stringify(l.state)
    l.state = next
    return changed
  }
}

/**
 * Merges a report into its minute; false when it is a redelivery, which must not count twice. A report that
 * ended at or before `cutoff` is heard (it may still be the newest, or move last seen) but kept nowhere: the
 * window has left it already.
 */
function merge(minutes: Minute[], c: CameraCount, cutoff: number): boolean {
  const end = minuteEnd(c.ts)
  // reports almost always arrive in order, so this finds the last minute or the place after it
  let i = minutes.length
  while (i > 0 && minuteEnd(minutes[i - 1]!.ts) > end) i--
  const m = i > 0 && minuteEnd(minutes[i - 1]!.ts) === end ? minutes[i - 1]! : null
  if (m && isRedelivery(m, c.ts)) return false
  if (c.ts <= cutoff) return true
  if (!m) {
    // the counts object is the report's own (as the periods were before minutes); copied once a second report merges
    const occupancy = c.inside === null ? null : occupancyOf(c)
    minutes.splice(i, 0, { ts: c.ts, periodSec: c.periodSec, counts: c.counts, inside: null, reports: 1, occupancy, keys: null })
    return true
  }
  if (m.reports === 1) m.counts = { ...m.counts }
  remember(m, c.ts)
  if (c.ts > m.ts) m.ts = c.ts
  m.periodSec += c.periodSec
  for (const k of CAMERA_CLASSES) {
    const n = c.counts[k]
    if (n !== undefined) m.counts[k] = (m.counts[k] ?? 0) + n
  }
  if (c.inside !== null && (!m.occupancy || c.ts > m.occupancy.ts)) m.occupancy = occupancyOf(c)
  return true
}

/**
 * Whether a minute already holds a report ending at `ts`. A report newer than all of the minute's is new.
 * Once a minute has merged more reports than it remembers (a camera sending overlapping periods), an older
 * one is taken for a redelivery: never counted twice, at the price of dropping a genuinely late report of
 * that minute, which the next resync (load) restores from the database.
 */
function isRedelivery(m: Minute, ts: number): boolean {
  if (ts > m.ts) return false
  if (m.reports === 1) return ts === m.ts
  if (!m.keys) return true
  const key = keyOf(ts)
  for (let j = 0; j < m.reports; j++) if (m.keys[j] === key) return true
  return false
}

/** Notes the end time of a report merging into a minute that already has one (call before counting it). */
function remember(m: Minute, ts: number): void {
  if (m.reports === 1) {
    m.keys = new Uint16Array(4)
    m.keys[0] = keyOf(m.ts)
  }
  if (m.reports >= KEYS_PER_MINUTE) m.keys = null
  if (m.keys) {
    if (m.reports === m.keys.length) {
      const grown = new Uint16Array(Math.min(4 * m.keys.length, KEYS_PER_MINUTE))
      grown.set(m.keys)
      m.keys = grown
    }
    m.keys[m.reports] = keyOf(ts)
  }
  m.reports++
}

/**
 * A report's end time as a key within its minute: whole milliseconds into it, at most 60,000, so two bytes.
 * Report times are whole milliseconds anyway (ingest rounds them); a fraction would be dropped, not misread.
 */
function keyOf(ts: number): number {
  return Math.floor(ts - (minuteEnd(ts) - MINUTE_MS))
}

/** End of the clock minute a report ending at `ts` belongs to. */
function minuteEnd(ts: number): number {
  return Math.ceil(ts / MINUTE_MS) * MINUTE_MS
}

const NO_COUNTS: CountPeriod['counts'] = Object.freeze({})

/** A report's occupancy as the period insideNow reads. */
function occupancyOf(c: CameraCount): CountPeriod {
  return { ts: c.ts, periodSec: c.periodSec, counts: NO_COUNTS, inside: c.inside }
}

function round1(v: number | null): number | null {
  return v === null ? null : Math.round(v * 10) / 10
}

function emptyState(id: string): CameraState {
  return { id, status: 'offline', lastSeen: null, inside: null, arrivalsLastHour: null, vehiclesPerMinute: null, lastCounts: {} }
}
