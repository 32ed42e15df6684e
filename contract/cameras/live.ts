// What clients see live of the counter cameras: the current state of each (people inside, arrivals, traffic).
// REST responses and Socket.IO snapshots and deltas carry the same shapes. Also the committed-periods frame
// ingest publishes for the servers, and its check.

import type { IngestLimits } from '../shared/ingest.ts'
import { DEVICE_ID, EPOCH_MS, liveFrame, readLiveFrame } from '../shared/live-frames.ts'
import { liveChannel, type DeltaOf } from '../shared/live.ts'
import type { DeviceStatus } from '../shared/status.ts'
import { z } from '../shared/schema.ts'
import type { CameraClass, CameraKind } from './classes.ts'
import { INSIDE_COUNT, PERIOD_COUNTS, PERIOD_SEC, type CameraCount } from './payload.ts'

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

/** Published by ingest on `{root}/live/camera` after commit. */
export interface LiveCameraBatch {
  committedAt: number
  counts: CameraCount[]
}

/** A committed period as ingest publishes it: counts read by the payloads' own schema. */
const LIVE_COUNT = z.object(
  {
    cameraId: DEVICE_ID,
    ts: EPOCH_MS,
    periodSec: PERIOD_SEC,
    counts: PERIOD_COUNTS,
    inside: INSIDE_COUNT.nullable(),
  },
  { error: 'an object' },
)
const LIVE_CAMERA_BATCH = liveFrame('counts', LIVE_COUNT)

/** Checks a committed-periods frame as parseLiveEnvBatch does: the frame, or why it is refused whole. */
export function parseLiveCameraBatch(json: unknown, now: number, limits: Pick<IngestLimits, 'maxAgeMs' | 'maxFutureMs'>): LiveCameraBatch | string {
  return readLiveFrame(LIVE_CAMERA_BATCH, 'counts', json, now, limits)
}

/** The cameras' live channel: the list room `cameras` and one room per camera, `camera:<id>`. */
export const CAMERAS_CHANNEL = liveChannel<CameraSummary, CameraState>()('cameras', 'camera', 'live:read')
export type CamerasDelta = DeltaOf<typeof CAMERAS_CHANNEL>
