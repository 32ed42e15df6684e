// The live picture of every station: latest value per metric, last seen, status and current VN_AQI.
// Pure state: it is loaded from the database (see repository.ts), advanced by committed readings
// from ingest, and re-evaluated on a clock tick (statuses age, the clock hour rolls over). Every method
// that changes something returns the ids whose client-visible state changed, for the live hub.

import {
  AQI_POLLUTANTS,
  HOUR_MS as HOUR,
  aqiBand,
  hourStart,
  hourlyAqi,
  type AqiNow,
  type AqiPollutant,
  type DeviceStatus,
  type EnvReading,
  type Metric,
  type Station,
  type StationState,
} from '../../contract/index.ts'
import { DeviceStore, type DeviceLive } from '../shared/device-store.ts'
import type { HourlySum, LatestValue } from './repository.ts'

/** NowCast looks back 12 clock hours: the current one and 11 before it. */
const AQI_HOURS = 12

interface Live extends DeviceLive {
  values: Partial<Record<Metric, number>>
  valueTs: Partial<Record<Metric, number>>
  /** Per pollutant: hour start → running sum and count of readings in that hour. */
  hours: Map<AqiPollutant, Map<number, { sum: number; count: number }>>
  aqi: AqiNow | null
  status: DeviceStatus
}

const isAqiPollutant = (m: string): m is AqiPollutant => (AQI_POLLUTANTS as readonly string[]).includes(m)

export class StationStates extends DeviceStore<Station, Live, StationState> {
  private currentHour = 0

  protected emptyLive(): Live {
    return { values: {}, valueTs: {}, lastSeen: null, lastHeard: null, hours: new Map(), aqi: null, status: 'offline' }
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
    this.currentHour = hourStart(now)
    for (const id of this.live.keys()) {
      this.refreshAqi(id, now)
      this.recompute(id, now)
    }
  }

  /** Applies committed readings (`receivedAt`: their commit time); returns the stations whose state changed. */
  apply(readings: readonly EnvReading[], now: number, receivedAt: number = now): Set<string> {
    const changed = new Set<string>()
    const oldest = hourStart(now) - (AQI_HOURS - 1) * HOUR
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
          const slot = byHour.get(hourStart(r.ts))
          if (slot) {
            slot.sum += value
            slot.count++
          } else byHour.set(hourStart(r.ts), { sum: value, count: 1 })
        }
      }
      this.heard(l, r.ts, receivedAt)
      changed.add(r.stationId)
    }
    for (const id of changed) {
      this.refreshAqi(id, now)
      this.recompute(id, now)
    }
    return changed
  }

  /** Ages statuses and, at the turn of the hour, recomputes AQI; returns stations whose state changed. */
  override tick(now: number): Set<string> {
    const hourTurned = hourStart(now) !== this.currentHour
    this.currentHour = hourStart(now)
    const changed = super.tick(now)
    if (hourTurned) for (const id of this.live.keys()) if (this.refreshAqi(id, now)) changed.add(id)
    return changed
  }

  state(id: string): StationState | null {
    const l = this.live.get(id)
    if (!l) return null
    return { id, status: l.status, lastSeen: l.lastSeen === null ? null : new Date(l.lastSeen).toISOString(), values: { ...l.values }, aqi: l.aqi }
  }

  /** Hourly means, newest first (index 0 = the current clock hour), for one pollutant of one station. */
  hourlyMeans(id: string, pollutant: AqiPollutant, now: number): (number | null)[] {
    return windowMeans(this.live.get(id)?.hours.get(pollutant), hourStart(now))
  }

  private refreshAqi(id: string, now: number): boolean {
    const l = this.live.get(id)!
    const oldest = hourStart(now) - (AQI_HOURS - 1) * HOUR
    for (const byHour of l.hours.values()) for (const h of byHour.keys()) if (h < oldest) byHour.delete(h)
    const next = aqiAt(l.hours, hourStart(now))
    const same = next?.value === l.aqi?.value && next?.dominant === l.aqi?.dominant
    l.aqi = next
    return !same
  }

  protected recompute(id: string, now: number): boolean {
    const l = this.live.get(id)
    if (!l || !this.refs.has(id)) return false
    const next = this.statusOf(id, now)
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
