// What clients see live: the current state of each station and camera. REST responses and Socket.IO
// snapshots and deltas carry the same shapes, so a client renders either the same way. Times are ISO-8601.

import type { AqiBandKey, AqiPollutant } from './aqi.ts'
import type { CameraClass, CameraKind, Metric, StationKind } from './metrics.ts'
import type { CameraCount, EnvReading } from './payloads.ts'
import type { DeviceStatus } from './status.ts'

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
