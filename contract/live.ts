// What clients see live: the current state of each station and camera. REST responses and Socket.IO
// snapshots and deltas carry the same shapes, so a client renders either the same way. Times are ISO-8601.

import type { AqiBandKey, AqiPollutant } from './aqi.ts'
import { CAMERA_LIMITS, isCameraClass, type CameraClass, type CameraKind, type Metric, type StationKind } from './metrics.ts'
import { checkCount, checkMetricValue, type CameraCount, type EnvReading, type IngestLimits } from './payloads.ts'
import type { DeviceStatus } from './status.ts'
import { isRepresentableTime } from './time.ts'
import { DEVICE_ID_PATTERN } from './topics.ts'

export interface AqiNow {
  value: number
  band: AqiBandKey
  dominant: AqiPollutant
  /** Hourly AQI per Decision 1459: NowCast PM over 12 clock hours, the current hour's means for gases. */
  kind: 'hourly'
}

export interface StationState {
  id: string
  status: DeviceStatus
  lastSeen: string | null
  /** Latest value per metric, each from the station's most recent report of it. */
  values: Partial<Record<Metric, number>>
  aqi: AqiNow | null
}

export interface StationSummary extends StationState {
  name: string
  kind: StationKind
  unitId: string | null
  unitName: string | null
  lon: number
  lat: number
  expectedIntervalSec: number
}

export interface CameraState {
  id: string
  status: DeviceStatus
  lastSeen: string | null
  /** People inside now (service centers), from the latest report within two reporting intervals. */
  inside: number | null
  /** People counted arriving over the last 60 minutes. */
  arrivalsLastHour: number | null
  /** Vehicles per minute over the last 5 minutes. */
  vehiclesPerMinute: number | null
  /** The latest period's counts. */
  lastCounts: Partial<Record<CameraClass, number>>
}

export interface CameraSummary extends CameraState {
  name: string
  kind: CameraKind
  site: string
  unitId: string | null
  unitName: string | null
  lon: number
  lat: number
  capacity: number | null
  expectedIntervalSec: number
}

/** Published by ingest on `{root}/live/env` after the batch holding these readings committed. */
export interface LiveEnvBatch {
  committedAt: number
  readings: EnvReading[]
}

/** Published by ingest on `{root}/live/camera` after commit. */
export interface LiveCameraBatch {
  committedAt: number
  counts: CameraCount[]
}

/** Readings per live frame at most (ingest publishes batches in chunks of 2,000). */
export const MAX_LIVE_ITEMS = 10_000

/**
 * Servers check live frames like any other input: a frame on a live topic comes from the broker, and a
 * wrong one must be refused whole, never shown and never allowed to throw. The time window is ingest's own
 * (INGEST_MAX_AGE, INGEST_MAX_FUTURE) around the server's clock, with an hour of slack for clock skew.
 */
export function parseLiveEnvBatch(json: unknown, now: number, limits: Pick<IngestLimits, 'maxAgeMs' | 'maxFutureMs'>): LiveEnvBatch | string {
  const frame = liveFrame(json, 'readings')
  if (typeof frame === 'string') return frame
  const readings: EnvReading[] = []
  for (const [i, raw] of frame.items.entries()) {
    const r = raw as Record<string, unknown>
    const where = `readings[${i}]`
    if (typeof r !== 'object' || r === null) return `${where}: expected an object`
    if (typeof r.stationId !== 'string' || !DEVICE_ID_PATTERN.test(r.stationId)) return `${where}.stationId: not a device id`
    const ts = liveTime(r.ts, now, limits)
    if (typeof ts === 'string') return `${where}.ts: ${ts}`
    if (typeof r.values !== 'object' || r.values === null || Array.isArray(r.values)) return `${where}.values: expected an object`
    const values: Partial<Record<Metric, number>> = {}
    for (const [key, v] of Object.entries(r.values)) {
      const checked = checkMetricValue(key, v, `${where}.values.${key.slice(0, 40)}`)
      if (typeof checked !== 'number') return checked.message
      values[key as Metric] = checked
    }
    readings.push({ stationId: r.stationId, ts, values })
  }
  return { committedAt: frame.committedAt, readings }
}

export function parseLiveCameraBatch(json: unknown, now: number, limits: Pick<IngestLimits, 'maxAgeMs' | 'maxFutureMs'>): LiveCameraBatch | string {
  const frame = liveFrame(json, 'counts')
  if (typeof frame === 'string') return frame
  const counts: CameraCount[] = []
  for (const [i, raw] of frame.items.entries()) {
    const c = raw as Record<string, unknown>
    const where = `counts[${i}]`
    if (typeof c !== 'object' || c === null) return `${where}: expected an object`
    if (typeof c.cameraId !== 'string' || !DEVICE_ID_PATTERN.test(c.cameraId)) return `${where}.cameraId: not a device id`
    const ts = liveTime(c.ts, now, limits)
    if (typeof ts === 'string') return `${where}.ts: ${ts}`
    if (typeof c.periodSec !== 'number' || !Number.isInteger(c.periodSec) || c.periodSec < CAMERA_LIMITS.minPeriodSec || c.periodSec > CAMERA_LIMITS.maxPeriodSec) {
      return `${where}.periodSec: expected an integer ${CAMERA_LIMITS.minPeriodSec}–${CAMERA_LIMITS.maxPeriodSec}`
    }
    if (typeof c.counts !== 'object' || c.counts === null || Array.isArray(c.counts)) return `${where}.counts: expected an object`
    const classes: Partial<Record<CameraClass, number>> = {}
    for (const [key, v] of Object.entries(c.counts)) {
      if (!isCameraClass(key)) return `${where}.counts.${key.slice(0, 40)}: not a counted class`
      const checked = checkCount(v, `${where}.counts.${key}`, CAMERA_LIMITS.maxCount)
      if (typeof checked !== 'number') return checked.message
      classes[key] = checked
    }
    let inside: number | null = null
    if (c.inside !== null) {
      const checked = checkCount(c.inside, `${where}.inside`, CAMERA_LIMITS.maxInside)
      if (typeof checked !== 'number') return checked.message
      inside = checked
    }
    counts.push({ cameraId: c.cameraId, ts, periodSec: c.periodSec, counts: classes, inside })
  }
  return { committedAt: frame.committedAt, counts }
}

const SKEW_MS = 3_600_000

function liveFrame(json: unknown, list: 'readings' | 'counts'): { committedAt: number; items: unknown[] } | string {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'expected a JSON object'
  const f = json as Record<string, unknown>
  if (typeof f.committedAt !== 'number' || !isRepresentableTime(f.committedAt)) return 'committedAt: expected epoch milliseconds'
  const items = f[list]
  if (!Array.isArray(items)) return `${list}: expected an array`
  if (items.length > MAX_LIVE_ITEMS) return `${list}: more than ${MAX_LIVE_ITEMS}`
  return { committedAt: f.committedAt, items }
}

function liveTime(raw: unknown, now: number, limits: Pick<IngestLimits, 'maxAgeMs' | 'maxFutureMs'>): number | string {
  if (typeof raw !== 'number' || !isRepresentableTime(raw)) return 'expected epoch milliseconds'
  if (raw < now - limits.maxAgeMs - SKEW_MS || raw > now + limits.maxFutureMs + SKEW_MS) return 'outside the window ingest accepts'
  return raw
}
