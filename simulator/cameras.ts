// Counter-camera readings. Service centers (Trung tâm phục vụ hành chính công) are a queue: people arrive
// (Poisson, morning peak ~9–10h) during office hours and are served at a rate set by the hall's size; the
// camera reports arrivals per period and people inside. Roads report vehicles per class with morning and
// evening rush hours: motorbike-heavy in towns, no two-wheelers or pedestrians on expressways.

import { CAMERA_LIMITS, type Camera, type CameraClass } from '../contract/index.ts'
import { hourBump, smoothStep } from './clock.ts'
import { HOUR_MS, vnDate, vnDayNumber, vnHourOfDay, vnWeekday } from '../contract/shared/clock.ts'
import type { NoiseBank, NoiseSpec } from './noise.ts'
import { hashString, poisson, unitHash, type Rng } from './random.ts'

export type CameraCounts = Partial<Record<CameraClass, number>>

export interface CameraReading {
  counts: CameraCounts
  /** People in the hall; service centers only. */
  inside?: number
}

export interface CameraModel {
  /** Counts for the period of `periodSec` ending at t. */
  reading(camera: Camera, t: number, periodSec: number): CameraReading
}

export interface CameraModelOptions {
  seed: number
  rng: Rng
  noise: NoiseBank
  /** Local dates (YYYY-MM-DD) the service centers are closed besides Sundays; holidays are yearly decisions. */
  holidays?: ReadonlySet<string>
}

export type RoadType = 'expressway' | 'highway' | 'urban'

/** Hall size used when a service center has no capacity on record. */
export const DEFAULT_CENTER_CAPACITY = 40
/** Share of open days with a crowd (deadline rush, a campaign) that pushes the hall past its capacity. */
export const CROWD_DAY_SHARE = 0.2

const MIN = 60_000
const SERVICE_MINUTES = 12
// Warm-up long enough to always include a closed moment (an office session is at most 4 hours), where the
// hall is empty for certain; from there the queue is simulated forward.
const WARM_UP_MS = 5 * HOUR_MS
const STEP_MS = MIN
const ROAD_NOISE: readonly NoiseSpec[] = [{ tauMs: 20 * MIN, sigma: 0.15 }]

/** Office hours in local time: Mon–Fri 07:30–11:30 and 13:30–17:00, Saturday 07:30–11:30. */
export function isServiceCenterOpen(t: number, holidays?: ReadonlySet<string>): boolean {
  const day = vnWeekday(t)
  if (day === 0) return false
  const h = vnHourOfDay(t)
  const morning = h >= 7.5 && h < 11.5
  const afternoon = day !== 6 && h >= 13.5 && h < 17
  if (!morning && !afternoon) return false
  return !holidays?.has(vnDate(t))
}

/** Expressways by name ("Cao tốc Hạ Long – Vân Đồn"); national highways by "Quốc lộ"/"QL"; anything else is a town road. */
export function roadType(camera: Pick<Camera, 'site' | 'name'>): RoadType {
  const text = `${camera.site} ${camera.name}`.normalize('NFC')
  if (/cao tốc/i.test(text)) return 'expressway'
  if (/quốc lộ|\bQL\s?\d/i.test(text)) return 'highway'
  return 'urban'
}

// Vehicles (and pedestrians) per hour past one camera at the height of the rush hour.
const PEAK_FLOW: Record<RoadType, CameraCounts> = {
  urban: { motorbike: 2400, car: 420, truck: 50, bus: 25, bicycle: 110, person: 260 },
  highway: { motorbike: 900, car: 520, truck: 360, bus: 70, bicycle: 25 },
  expressway: { car: 1300, truck: 600, bus: 140 },
}

interface QueueState {
  t: number
  inside: number
}

export function createCameraModel(options: CameraModelOptions): CameraModel {
  const { seed, rng, noise, holidays } = options
  const queues = new Map<string, QueueState>()
  const lastRoadReading = new Map<string, number>()
  const keys = new Map<string, number>()

  function keyOf(id: string): number {
    let k = keys.get(id)
    if (k === undefined) keys.set(id, (k = hashString(id)))
    return k
  }

  function reading(camera: Camera, t: number, periodSec: number): CameraReading {
    return camera.kind === 'service_center' ? serviceCenter(camera, t, periodSec) : road(camera, t, periodSec)
  }

  function serviceCenter(camera: Camera, t: number, periodSec: number): CameraReading {
    const windowStart = t - periodSec * 1000
    let q = queues.get(camera.id)
    if (!q || q.t > t) {
      q = { t: windowStart - WARM_UP_MS, inside: 0 }
      queues.set(camera.id, q)
    }
    // a gap (first reading, dropout) is simulated without counting, so `person` covers only this period
    if (q.t < windowStart) advance(camera, q, windowStart)
    const arrivals = advance(camera, q, t)
    const inside = isServiceCenterOpen(t, holidays) ? Math.min(q.inside, CAMERA_LIMITS.maxInside) : 0
    return { counts: { person: Math.min(arrivals, CAMERA_LIMITS.maxCount) }, inside }
  }

  /** Steps the hall's queue to `to`; returns how many people arrived on the way. */
  function advance(camera: Camera, q: QueueState, to: number): number {
    const capacity = camera.capacity ?? DEFAULT_CENTER_CAPACITY
    const counters = Math.max(2, Math.round(capacity / 8))
    let arrived = 0
    while (q.t < to) {
      const dt = Math.min(STEP_MS, to - q.t)
      const mid = q.t + dt / 2
      if (!isServiceCenterOpen(mid, holidays)) {
        // at closing the remaining visitors get an appointment slip and leave; the hall is empty until it opens
        q.inside = 0
      } else {
        const a = poisson(rng, (arrivalsPerHour(camera, capacity, counters, mid) * dt) / HOUR_MS)
        const busy = Math.min(q.inside, counters)
        const served = Math.min(q.inside, poisson(rng, (busy * dt) / (SERVICE_MINUTES * MIN)))
        q.inside += a - served
        arrived += a
      }
      q.t += dt
    }
    return arrived
  }

  function arrivalsPerHour(camera: Camera, capacity: number, counters: number, t: number): number {
    const key = keyOf(camera.id)
    const day = vnDayNumber(t)
    const weekday = vnWeekday(t)
    const h = vnHourOfDay(t)
    const throughput = (counters * 60) / SERVICE_MINUTES
    const crowd = unitHash(seed, key, day, 7) < CROWD_DAY_SHARE
    let level = throughput * (crowd ? 1.8 + 0.5 * unitHash(seed, key, day, 8) : 0.85 + 0.3 * unitHash(seed, key, day, 9))
    if (weekday === 1) level *= 1.15 // Monday: the weekend's backlog
    if (weekday === 6) level *= 0.55
    const shape = h < 12 ? 0.3 + 0.7 * hourBump(h, 9.5, 0.8) : 0.25 + 0.45 * hourBump(h, 14.5, 0.9)
    // few people start a procedure in the last twenty minutes
    const closing = h < 12 ? 11.5 : 17
    const taper = closing - h < 1 / 3 ? 0.4 : 1
    return level * shape * taper
  }

  function road(camera: Camera, t: number, periodSec: number): CameraReading {
    const type = roadType(camera)
    const key = keyOf(camera.id)
    const z = noise.at(camera.id, t, ROAD_NOISE)
    const h = vnHourOfDay(t)
    const weekday = vnWeekday(t)
    const rush = weekday === 0 ? 0.45 : weekday === 6 ? 0.7 : 1
    const plateau = weekday === 0 || weekday === 6 ? 0.9 : 1
    const daytime = smoothStep(h, 5.5, 0.5) * smoothStep(-h, -21.5, 0.7)
    const traffic = 0.05 + 0.5 * plateau * daytime + rush * (0.45 * hourBump(h, 7.5, 0.6) + 0.5 * hourBump(h, 17.5, 0.65))
    // counts cover the time since the previous reading when that is shorter than the period (a load test
    // reporting many times a second), so summed counts stay true to the traffic
    const last = lastRoadReading.get(camera.id)
    lastRoadReading.set(camera.id, t)
    const spanSec = last !== undefined && t > last ? Math.min(periodSec, (t - last) / 1000) : periodSec
    const scale = (0.5 + unitHash(seed, key, 1)) * Math.exp(z[0]!) * (spanSec / 3600)
    const counts: CameraCounts = {}
    for (const [cls, peak] of Object.entries(PEAK_FLOW[type]) as [CameraClass, number][]) {
      let shape = traffic
      // freight runs day and night (coal trucks especially); pedestrians follow daylight and school runs
      if (cls === 'truck') shape = 0.3 + 0.7 * traffic
      if (cls === 'person') shape = 0.03 + 0.6 * daytime + 0.3 * hourBump(h, 7, 0.7) + 0.3 * hourBump(h, 17.5, 0.8)
      counts[cls] = Math.min(poisson(rng, peak * shape * scale), CAMERA_LIMITS.maxCount)
    }
    return { counts }
  }

  return { reading }
}
