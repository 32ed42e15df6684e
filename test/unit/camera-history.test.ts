import { describe, expect, it } from 'vitest'
import { cameraBaseline, type CameraBaselineInput } from '../../server/cameras/history.ts'

describe('cameraBaseline', () => {
  const base = (over: Partial<CameraBaselineInput> = {}): CameraBaselineInput => ({
    cameras: [
      { id: 'sc-1', kind: 'service_center' },
      { id: 'sc-2', kind: 'service_center' },
      { id: 'road-1', kind: 'road' },
      { id: 'road-2', kind: 'road' },
    ],
    cameraHours: [],
    ...over,
  })

  it('sums the mean occupancy of service-center cameras and the vehicles per minute of road cameras', () => {
    const cameraHours = [
      { cameraId: 'sc-1', insideAvg: 12.5, vehicles: 0 },
      { cameraId: 'sc-2', insideAvg: 7, vehicles: 3 },
      { cameraId: 'road-1', insideAvg: null, vehicles: 600 },
      { cameraId: 'road-2', insideAvg: 4, vehicles: 90 },
    ]
    expect(cameraBaseline(base({ cameraHours }))).toMatchObject({ peopleWaiting: 19.5, vehiclesPerMinute: 690 / 60 })
  })

  it('has no people or traffic figure when no camera of that kind reported in the hour', () => {
    const k = cameraBaseline(base({ cameraHours: [{ cameraId: 'sc-1', insideAvg: null, vehicles: 0 }] }))
    expect(k).toMatchObject({ peopleWaiting: null, vehiclesPerMinute: null })
  })

  it('ignores rows of cameras that are no longer in the reference', () => {
    const k = cameraBaseline(base({ cameraHours: [{ cameraId: 'gone', insideAvg: 50, vehicles: 60 }, { cameraId: 'road-1', insideAvg: null, vehicles: 60 }] }))
    expect(k).toMatchObject({ peopleWaiting: null, vehiclesPerMinute: 1 })
  })
})
