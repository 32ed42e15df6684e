// How the province map looks: the offline base style (no tiles, fonts or sprites, so it draws with no
// internet), the layers the wall adds, and the feature-state each live update writes. Sizes are in rem
// so circles keep their size on a 4K wall; the caller passes the current rem in pixels.
import type { ExpressionSpecification, StyleSpecification } from 'maplibre-gl'
import { AQI_BANDS, type AqiBand, type AqiBandKey, type CameraSummary, type StationSummary } from '../../../contract/index.ts'

const OFFLINE_STYLE_BACKGROUND = '#05080e'

export const OFFLINE_STYLE: StyleSpecification = {
  version: 8,
  name: 'IOC offline',
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': OFFLINE_STYLE_BACKGROUND } }],
}

// not purple or red: those are VN_AQI bands
export const KIND_COLORS = { water: '#4fc3f7', noise: '#b0bec5' } as const
export const CAMERA_COLORS = { service_center: '#40c4ff', road: '#e0f7fa' } as const
export const OFFLINE_COLOR = '#5b6472'
/** An air station that reports but has no VN_AQI yet (fewer than 2 of the last 3 hours): a hollow ring. */
export const PENDING_RING = '#c9d3e0'

/**
 * Band colours for text and lines on the dark wall. The official fills of the two worst bands (#8f3f97,
 * #7e0023) are too dark to read as text on it (about 1.7:1), so text uses lighter tints of the same hue;
 * fills (map points, bars, chart bands) keep the official colours.
 */
const BAND_TEXT: Partial<Record<AqiBandKey, string>> = { very_bad: '#c38bd0', hazardous: '#e0557c' }
export function bandTextColor(band: AqiBand): string {
  return BAND_TEXT[band.key] ?? band.hex
}

/** True for an air station that is reporting but has no VN_AQI yet: not offline, not a band either. */
export function isAqiPending(s: Pick<StationSummary, 'kind' | 'status' | 'aqi'>): boolean {
  return s.kind === 'air' && s.status !== 'offline' && s.aqi === null
}

/** The state a live update writes per station (MapLibre feature-state). */
export function stationFeatureState(s: StationSummary): Record<string, string | number | boolean | null> {
  return {
    status: s.status,
    color: s.aqi ? (AQI_BANDS.find((b) => b.key === s.aqi!.band)?.hex ?? null) : null,
    aqi: s.aqi?.value ?? null,
    pending: isAqiPending(s),
  }
}

/** Cameras are sized by what they count now: people inside, or vehicles per minute. */
export function cameraFeatureState(c: CameraSummary): Record<string, string | number | null> {
  return { status: c.status, load: (c.kind === 'service_center' ? c.inside : c.vehiclesPerMinute) ?? 0 }
}

const status = ['coalesce', ['feature-state', 'status'], 'offline'] as ExpressionSpecification
const pending = ['boolean', ['feature-state', 'pending'], false] as ExpressionSpecification

export function stationPaint(rem: number) {
  const radius: ExpressionSpecification = ['match', ['get', 'kind'], 'air', 0.55 * rem, 0.38 * rem]
  return {
    'circle-radius': radius,
    'circle-color': [
      'case',
      ['==', status, 'offline'],
      OFFLINE_COLOR,
      pending,
      OFFLINE_STYLE_BACKGROUND,
      ['coalesce', ['feature-state', 'color'], ['match', ['get', 'kind'], 'water', KIND_COLORS.water, 'noise', KIND_COLORS.noise, '#9aa5b5']],
    ] as ExpressionSpecification,
    // stale: a faded disc with a bright ring; offline: grey with a dark ring; AQI pending: a hollow light ring
    'circle-opacity': ['case', ['==', status, 'stale'], 0.35, ['==', status, 'offline'], 0.75, 0.95] as ExpressionSpecification,
    'circle-stroke-color': ['case', ['==', status, 'offline'], '#11161d', pending, PENDING_RING, ['==', status, 'stale'], '#ffffff', '#05080e'] as ExpressionSpecification,
    'circle-stroke-width': ['case', ['==', status, 'offline'], 0.08 * rem, pending, 0.16 * rem, ['==', status, 'stale'], 0.16 * rem, 0.08 * rem] as ExpressionSpecification,
  }
}

export function cameraPaint(rem: number) {
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

export function pointCollection(items: Iterable<{ id: string; kind: string; lon: number; lat: number }>): GeoJSON.FeatureCollection {
  const features: GeoJSON.Feature[] = []
  for (const d of items) features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [d.lon, d.lat] }, properties: { id: d.id, kind: d.kind } })
  return { type: 'FeatureCollection', features }
}
