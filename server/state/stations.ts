// The live picture of every station: latest value per metric, last seen, status and current VN_AQI.
// Pure state: it is loaded from the database (see server/repository.ts), advanced by committed readings
// from ingest, and re-evaluated on a clock tick (statuses age, the clock hour rolls over). Every method
// that changes something returns the ids whose client-visible state changed, for the live hub.

import {
  AQI_POLLUTANTS,
  aqiBand,
  deviceStatus,
  hourlyAqi,
  type AqiNow,
  type AqiPollutant,
  type DeviceStatus,
  type EnvReading,
  type Metric,
  type Station,
  type StationState,
  type StationSummary,
  type StatusThresholds,
} from '../../contract/index.ts'

const HOUR = 3_600_000
/** NowCast looks back 12 clock hours: the current one and 11 before it. */
const AQI_HOURS = 12

export interface HourlySum {
  stationId: string
  metric: AqiPollutant
  /** Start of the clock hour, epoch ms. */
  hour: number
  sum: number
  count: number
}

export interface LatestValue {
  stationId: string
  metric: string
  ts: number
  value: number
}

interface Live {
  values: Partial<Record<Metric, number>>
  valueTs: Partial<Record<Metric, number>>
  /** Observation time of the newest reading (the device's clock). */
  lastSeen: number | null
  /** When a reading of this station last arrived (commit time): status follows it, so a device whose clock runs late is not shown stale. */
  lastHeard: number | null
  /** Per pollutant: hour start → running sum and count of readings in that hour. */
  hours: Map<AqiPollutant, Map<number, { sum: number; count: number }>>
  aqi: AqiNow | null
  status: DeviceStatus
}

const isAqiPollutant = (m: string): m is AqiPollutant => (AQI_POLLUTANTS as readonly string[]).includes(m)
const hourOf = (ts: number) => Math.floor(ts / HOUR) * HOUR

export class StationStates {
  private stations = new Map<string, Station>()
  private unitNames = new Map<string, string>()
  private live = new Map<string, Live>()
  private currentHour = 0

  constructor(private readonly thresholds: StatusThresholds) {}

  get size(): number {
    return this.stations.size
  }

  /** Replaces the reference data; live state of stations that still exist is kept. Returns ids added or changed. */
  setReference(stations: readonly Station[], unitNames: ReadonlyMap<string, string>, now: number): string[] {
    const changed: string[] = []
    const next = new Map(stations.map((s) => [s.id, s]))
    for (const s of stations) {
      const before = this.stations.get(s.id)
      if (!before || JSON.stringify(before) !== JSON.stringify(s)) changed.push(s.id)
      if (!this.live.has(s.id)) this.live.set(s.id, emptyLive())
    }
    for (const id of this.live.keys()) if (!next.has(id)) this.live.delete(id)
    this.stations = next
    this.unitNames = new Map(unitNames)
    for (const id of changed) this.refreshStatus(id, now)
    return changed
  }

  /** Loads the database's view: latest values and hourly sums. Live updates applied meanwhile are kept when newer. */
  load(latest: readonly LatestValue[], hourly: readonly HourlySum[], now: number): void {
    for (const l of this.live.values()) l.hours.clear()
    for (const v of latest) {
      const l = this.live.get(v.stationId)
      if (!l) continue
      const m = v.metric as Metric
      if ((l.valueTs[m] ?? -Infinity) <= v.ts) {
        l.values[m] = v.value
        l.valueTs[m] = v.ts
      }
      if (l.lastSeen === null || v.ts > l.lastSeen) l.lastSeen = v.ts
    }
    for (const h of hourly) {
      const l = this.live.get(h.stationId)
      if (!l) continue
      let byHour = l.hours.get(h.metric)
      if (!byHour) l.hours.set(h.metric, (byHour = new Map()))
      byHour.set(h.hour, { sum: h.sum, count: h.count })
    }
    this.currentHour = hourOf(now)
    for (const id of this.live.keys()) {
      this.refreshAqi(id, now)
      this.refreshStatus(id, now)
    }
  }

  /** Applies committed readings (`receivedAt`: their commit time); returns the stations whose state changed. */
  apply(readings: readonly EnvReading[], now: number, receivedAt: number = now): Set<string> {
    const changed = new Set<string>()
    const oldest = hourOf(now) - (AQI_HOURS - 1) * HOUR
    for (const r of readings) {
      const l = this.live.get(r.stationId)
      if (!l) continue
      for (const [key, value] of Object.entries(r.values) as [Metric, number][]) {
        if ((l.valueTs[key] ?? -Infinity) < r.ts) {
          l.values[key] = value
          l.valueTs[key] = r.ts
        }
        // Late readings (history, a device catching up) count into their hour too. A redelivered message is
        // rare (after an ingest crash or reconnect; ingest publishes what it committed, duplicates included)
        // and may count twice until the next load from the database replaces the sums (resyncMs, 5 min).
        if (isAqiPollutant(key) && r.ts >= oldest && r.ts <= now + HOUR) {
          let byHour = l.hours.get(key)
          if (!byHour) l.hours.set(key, (byHour = new Map()))
          const slot = byHour.get(hourOf(r.ts))
          if (slot) {
            slot.sum += value
            slot.count++
          } else byHour.set(hourOf(r.ts), { sum: value, count: 1 })
        }
      }
      if (l.lastSeen === null || r.ts > l.lastSeen) l.lastSeen = r.ts
      if (l.lastHeard === null || receivedAt > l.lastHeard) l.lastHeard = receivedAt
      changed.add(r.stationId)
    }
    for (const id of changed) {
      this.refreshAqi(id, now)
      this.refreshStatus(id, now)
    }
    return changed
  }

  /** Ages statuses and, at the turn of the hour, recomputes AQI; returns stations whose state changed. */
  tick(now: number): Set<string> {
    const changed = new Set<string>()
    const hourTurned = hourOf(now) !== this.currentHour
    this.currentHour = hourOf(now)
    for (const id of this.live.keys()) {
      if (this.refreshStatus(id, now)) changed.add(id)
      if (hourTurned && this.refreshAqi(id, now)) changed.add(id)
    }
    return changed
  }

  state(id: string): StationState | null {
    const l = this.live.get(id)
    if (!l) return null
    return { id, status: l.status, lastSeen: l.lastSeen === null ? null : new Date(l.lastSeen).toISOString(), values: { ...l.values }, aqi: l.aqi }
  }

  summary(id: string): StationSummary | null {
    const s = this.stations.get(id)
    const state = this.state(id)
    if (!s || !state) return null
    return {
      ...state,
      name: s.name,
      kind: s.kind,
      unitId: s.unitId,
      unitName: s.unitId ? (this.unitNames.get(s.unitId) ?? null) : null,
      lon: s.lon,
      lat: s.lat,
      expectedIntervalSec: s.expectedIntervalSec,
    }
  }

  summaries(): StationSummary[] {
    return [...this.stations.keys()].map((id) => this.summary(id)!)
  }

  /** Hourly means, newest first (index 0 = the current clock hour), for one pollutant of one station. */
  hourlyMeans(id: string, pollutant: AqiPollutant, now: number): (number | null)[] {
    return windowMeans(this.live.get(id)?.hours.get(pollutant), hourOf(now))
  }

  private refreshAqi(id: string, now: number): boolean {
    const l = this.live.get(id)!
    const oldest = hourOf(now) - (AQI_HOURS - 1) * HOUR
    for (const byHour of l.hours.values()) for (const h of byHour.keys()) if (h < oldest) byHour.delete(h)
    const next = aqiAt(l.hours, hourOf(now))
    const same = next?.value === l.aqi?.value && next?.dominant === l.aqi?.dominant
    l.aqi = next
    return !same
  }

  private refreshStatus(id: string, now: number): boolean {
    const l = this.live.get(id)
    const s = this.stations.get(id)
    if (!l || !s) return false
    const heard = l.lastHeard === null ? l.lastSeen : Math.max(l.lastHeard, l.lastSeen ?? -Infinity)
    const next = deviceStatus(heard, now, s.expectedIntervalSec, this.thresholds)
    if (next === l.status) return false
    l.status = next
    return true
  }
}

/** One pollutant of one station: clock-hour start → sum and count of the readings in that hour. */
export type HourSlots = ReadonlyMap<number, { sum: number; count: number }>

/** Hourly means over the NowCast window ending at the clock hour starting at `hour`, newest first (index 0 = that hour). */
export function windowMeans(byHour: HourSlots | undefined, hour: number): (number | null)[] {
  return Array.from({ length: AQI_HOURS }, (_, i) => {
    const slot = byHour?.get(hour - i * HOUR)
    return slot && slot.count > 0 ? slot.sum / slot.count : null
  })
}

/**
 * The hourly AQI of the clock hour starting at `hour` (Decision 1459 through the contract's hourlyAqi), from
 * hourly sums per pollutant. The live state and the history endpoints (server/wall-history.ts) both use it,
 * so a past hour reads the same as the wall showed it then.
 */
export function aqiAt(hours: ReadonlyMap<AqiPollutant, HourSlots>, hour: number): AqiNow | null {
  const input: Partial<Record<AqiPollutant, (number | null)[]>> = {}
  for (const [p, byHour] of hours) input[p] = windowMeans(byHour, hour)
  const r = hourlyAqi(input)
  return r ? { value: r.aqi, band: aqiBand(r.aqi).key, dominant: r.dominant, kind: 'hourly' } : null
}

function emptyLive(): Live {
  return { values: {}, valueTs: {}, lastSeen: null, lastHeard: null, hours: new Map(), aqi: null, status: 'offline' }
}
