// What counter cameras count, and the bounds of a believable count; also the camera as the reference data
// holds it.

// Counter cameras: objects counted per period, as people-counting and traffic cameras report them.
export const CAMERA_CLASSES = ['person', 'car', 'motorbike', 'truck', 'bus', 'bicycle'] as const
export type CameraClass = (typeof CAMERA_CLASSES)[number]
export const VEHICLE_CLASSES: readonly CameraClass[] = ['car', 'motorbike', 'truck', 'bus', 'bicycle']

export function isCameraClass(key: string): key is CameraClass {
  return (CAMERA_CLASSES as readonly string[]).includes(key)
}

export type CameraKind = 'service_center' | 'road'
export const CAMERA_KINDS: readonly CameraKind[] = ['service_center', 'road']

/** Upper bounds for camera payloads: beyond these a count is a broken counter, not a crowd. */
export const CAMERA_LIMITS = { maxCount: 100_000, maxInside: 100_000, minPeriodSec: 1, maxPeriodSec: 3600 } as const

export interface Camera {
  id: string
  name: string
  kind: CameraKind
  /** The service center or road the camera watches; KPIs are summed per site. */
  site: string
  unitId: string | null
  lon: number
  lat: number
  /** Crowd threshold for a service center (people inside), or null. */
  capacity: number | null
  expectedIntervalSec: number
}
