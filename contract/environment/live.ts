// What clients see live of the environment stations: the current state of each. REST responses and
// Socket.IO snapshots and deltas carry the same shapes, so a client renders either the same way. Times are
// ISO-8601. Also the committed-readings frame ingest publishes for the servers, and its check.

import type { IngestLimits } from '../shared/ingest.ts'
import { DEVICE_ID, EPOCH_MS, liveFrame, readLiveFrame } from '../shared/live-frames.ts'
import { liveChannel, type DeltaOf } from '../shared/live.ts'
import type { DeviceStatus } from '../shared/status.ts'
import { z } from '../shared/schema.ts'
import type { AqiBandKey, AqiPollutant } from './aqi.ts'
import type { Metric, StationKind } from './metrics.ts'
import { READING_VALUES, type EnvReading } from './payload.ts'

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

/** Published by ingest on `{root}/live/env` after the batch holding these readings committed. */
export interface LiveEnvBatch {
  committedAt: number
  readings: EnvReading[]
}

/** A committed reading as ingest publishes it: values read by the payloads' own schema. */
const LIVE_READING = z.object(
  {
    stationId: DEVICE_ID,
    ts: EPOCH_MS,
    values: READING_VALUES,
  },
  { error: 'an object' },
)
const LIVE_ENV_BATCH = liveFrame('readings', LIVE_READING)

/**
 * Servers check live frames like any other input: a frame on a live topic comes from the broker, and a
 * wrong one must be refused whole, never shown and never allowed to throw. The time window is ingest's own
 * (INGEST_MAX_AGE, INGEST_MAX_FUTURE) around the server's clock, with an hour of slack for clock skew.
 */
export function parseLiveEnvBatch(json: unknown, now: number, limits: Pick<IngestLimits, 'maxAgeMs' | 'maxFutureMs'>): LiveEnvBatch | string {
  return readLiveFrame(LIVE_ENV_BATCH, 'readings', json, now, limits)
}

/** The stations' live channel: the list room `stations` and one room per station, `station:<id>`. */
export const STATIONS_CHANNEL = liveChannel<StationSummary, StationState>()('stations', 'station', 'live:read')
export type StationsDelta = DeltaOf<typeof STATIONS_CHANNEL>
