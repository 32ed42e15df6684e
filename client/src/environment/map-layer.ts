// How stations look on the province map: coloured by VN_AQI band (air) or by kind (water, noise), faded when
// late, grey when offline, a hollow ring while an air station has too few hours for an AQI. Sizes are in rem
// so circles keep their size on a 4K wall; the caller passes the current rem in pixels.
import type { ExpressionSpecification } from 'maplibre-gl'
import { AQI_BANDS, type StationSummary } from '../../../contract/index.ts'
import type { CirclePaint, FeatureState } from '../shared/domain.ts'
import { MAP_BACKGROUND, OFFLINE_COLOR } from '../shared/map-style.ts'

// not purple or red: those are VN_AQI bands
export const KIND_COLORS = { water: '#4fc3f7', noise: '#b0bec5' } as const
/** An air station that reports but has no VN_AQI yet (fewer than 2 of the last 3 hours): a hollow ring. */
export const PENDING_RING = '#c9d3e0'

/** True for an air station that is reporting but has no VN_AQI yet: not offline, not a band either. */
export function isAqiPending(s: Pick<StationSummary, 'kind' | 'status' | 'aqi'>): boolean {
  return s.kind === 'air' && s.status !== 'offline' && s.aqi === null
}

/** The state a live update writes per station (MapLibre feature-state). */
export function stationFeatureState(s: StationSummary): FeatureState {
  return {
    status: s.status,
    color: s.aqi ? (AQI_BANDS.find((b) => b.key === s.aqi!.band)?.hex ?? null) : null,
    aqi: s.aqi?.value ?? null,
    pending: isAqiPending(s),
  }
}

const status = ['coalesce', ['feature-state', 'status'], 'offline'] as ExpressionSpecification
const pending = ['boolean', ['feature-state', 'pending'], false] as ExpressionSpecification

export function stationPaint(rem: number): CirclePaint {
  const radius: ExpressionSpecification = ['match', ['get', 'kind'], 'air', 0.55 * rem, 0.38 * rem]
  return {
    'circle-radius': radius,
    'circle-color': [
      'case',
      ['==', status, 'offline'],
      OFFLINE_COLOR,
      pending,
      MAP_BACKGROUND,
      ['coalesce', ['feature-state', 'color'], ['match', ['get', 'kind'], 'water', KIND_COLORS.water, 'noise', KIND_COLORS.noise, '#9aa5b5']],
    ] as ExpressionSpecification,
    // stale: a faded disc with a bright ring; offline: grey with a dark ring; AQI pending: a hollow light ring
    'circle-opacity': ['case', ['==', status, 'stale'], 0.35, ['==', status, 'offline'], 0.75, 0.95] as ExpressionSpecification,
    'circle-stroke-color': ['case', ['==', status, 'offline'], '#11161d', pending, PENDING_RING, ['==', status, 'stale'], '#ffffff', '#05080e'] as ExpressionSpecification,
    'circle-stroke-width': ['case', ['==', status, 'offline'], 0.08 * rem, pending, 0.16 * rem, ['==', status, 'stale'], 0.16 * rem, 0.08 * rem] as ExpressionSpecification,
  }
}
