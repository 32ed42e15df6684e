// The counter cameras' REST routes (GET /api/cameras…): their queries and responses, among them the series of
// every camera in one call for the site sparklines.

import { optionalOneOf, type SeriesPoint, type SeriesQueryInput, type SeriesResponse } from '../shared/http.ts'
import { route } from '../shared/routes.ts'
import { DEVICE_STATUSES, type DeviceStatus } from '../shared/status.ts'
import { z } from '../shared/schema.ts'
import { CAMERA_CLASSES, CAMERA_KINDS, type CameraClass, type CameraKind } from './classes.ts'
import type { CameraSummary } from './live.ts'

/** GET /api/cameras/series?metric=&kind=&bucket=&from=&to=: one series per camera, for the site sparklines. */
export interface CameraSeriesBulkResponse {
  metric: string
  bucket: string
  from: string
  to: string
  cameras: { id: string; points: SeriesPoint[] }[]
}

/** Camera series: one counted class, all vehicles together, or the occupancy. */
export type CameraSeriesMetric = CameraClass | 'vehicles' | 'inside'
export const CAMERA_SERIES_METRICS: readonly CameraSeriesMetric[] = [...CAMERA_CLASSES, 'vehicles', 'inside']
export function isCameraSeriesMetric(m: string): m is CameraSeriesMetric {
  return (CAMERA_SERIES_METRICS as readonly string[]).includes(m)
}
/** What a camera series counts in: people inside, or a count. */
export function cameraMetricUnit(m: CameraSeriesMetric): string {
  return m === 'inside' ? 'people' : 'count'
}

/** GET /api/cameras: `unit` includes the units below it. */
export interface CamerasQuery {
  kind?: CameraKind
  status?: DeviceStatus
  unit?: string
  site?: string
}

export const camerasQuery = z.object({
  kind: optionalOneOf(CAMERA_KINDS as unknown as [CameraKind, ...CameraKind[]]),
  status: optionalOneOf(DEVICE_STATUSES as unknown as [DeviceStatus, ...DeviceStatus[]]),
  unit: z.string().optional(),
  site: z.string().optional(),
})

export const cameraSeriesHint = CAMERA_SERIES_METRICS.join(', ')

/** GET /api/cameras/series: a series query, optionally for one kind of camera. */
export type CameraSeriesAllQuery = SeriesQueryInput & { kind?: CameraKind }
export const cameraKindQuery = z.object({ kind: optionalOneOf(CAMERA_KINDS as unknown as [CameraKind, ...CameraKind[]]) })

export const CAMERA_ROUTES = {
  cameras: route<CamerasQuery, CameraSummary[]>()('/api/cameras', 'live:read'),
  // before /cameras/:id, which would take 'series' for a camera id
  cameraSeriesAll: route<CameraSeriesAllQuery, CameraSeriesBulkResponse>()('/api/cameras/series', 'live:read'),
  camera: route<Record<string, never>, CameraSummary>()('/api/cameras/:id', 'live:read'),
  cameraSeries: route<SeriesQueryInput, SeriesResponse>()('/api/cameras/:id/series', 'live:read'),
}
