// How counter cameras look on the province map: rings sized by what they count now (people inside a service
// center, vehicles per minute on a road), faint when not online. Sizes are in rem, as the stations' are.
import type { ExpressionSpecification } from 'maplibre-gl'
import type { CameraSummary } from '../../../contract/index.ts'
import type { CirclePaint, FeatureState } from '../shared/domain.ts'

export const CAMERA_COLORS = { service_center: '#40c4ff', road: '#e0f7fa' } as const

/** Cameras are sized by what they count now: people inside, or vehicles per minute. */
export function cameraFeatureState(c: CameraSummary): FeatureState {
  return { status: c.status, load: (c.kind === 'service_center' ? c.inside : c.vehiclesPerMinute) ?? 0 }
}

const status = ['coalesce', ['feature-state', 'status'], 'offline'] as ExpressionSpecification

export function cameraPaint(rem: number): CirclePaint {
  const load = ['coalesce', ['feature-state', 'load'], 0] as ExpressionSpecification
  return {
    'circle-radius': [
      'match',
      ['get', 'kind'],
      'service_center',
      ['interpolate', ['linear'], load, 0, 0.3 * rem, 60, 0.8 * rem, 150, 1.2 * rem],
      ['interpolate', ['linear'], load, 0, 0.3 * rem, 30, 0.8 * rem, 90, 1.2 * rem],
    ] as ExpressionSpecification,
    'circle-color': ['match', ['get', 'kind'], 'service_center', CAMERA_COLORS.service_center, CAMERA_COLORS.road] as ExpressionSpecification,
    'circle-opacity': ['match', status, 'online', 0.28, 0.08] as ExpressionSpecification,
    'circle-stroke-color': ['match', ['get', 'kind'], 'service_center', CAMERA_COLORS.service_center, CAMERA_COLORS.road] as ExpressionSpecification,
    'circle-stroke-width': 0.1 * rem,
    'circle-stroke-opacity': ['match', status, 'online', 0.9, 0.3] as ExpressionSpecification,
  }
}
