// The counter cameras' KPIs of the same hour yesterday, that the tiles compare against: pure, over the rows
// the repository reads, through the contract's cameraKpis so history reads as the wall showed it then.
import { cameraKpis, type CameraKpis, type CameraSummary } from '../../contract/index.ts'
import type { CameraHour } from './repository.ts'

export interface CameraBaselineInput {
  cameras: readonly Pick<CameraSummary, 'id' | 'kind'>[]
  cameraHours: readonly CameraHour[]
}

/** Occupancy is the hour's mean, and traffic the hour's vehicles per minute; rows of cameras no longer in the reference are ignored. */
export function cameraBaseline(b: CameraBaselineInput): CameraKpis {
  const byCamera = new Map(b.cameraHours.map((c) => [c.cameraId, c]))
  const cameras = b.cameras.map((c) => {
    const row = byCamera.get(c.id)
    return { kind: c.kind, inside: row?.insideAvg ?? null, vehiclesPerMinute: row ? row.vehicles / 60 : null }
  })
  return cameraKpis(cameras)
}
