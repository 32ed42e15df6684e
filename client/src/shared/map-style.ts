// How the province map looks underneath the domains' layers: the offline base style (no tiles, fonts or
// sprites, so it draws with no internet), the unit boundaries, the colour every layer gives an offline item,
// and the GeoJSON every point layer is built from. Each domain's map-layer.ts paints its own points.
import type { LayerSpecification, StyleSpecification } from 'maplibre-gl'
import type { MapItem } from './domain.ts'

/** The map's background: also the fill of a hollow ring (a point drawn as "not yet"). */
export const MAP_BACKGROUND = '#05080e'

export const OFFLINE_STYLE: StyleSpecification = {
  version: 8,
  name: 'IOC offline',
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': MAP_BACKGROUND } }],
}

export const OFFLINE_COLOR = '#5b6472'

/** The unit boundaries: leaves filled in alternating shades, their outlines, and the province's outline over them. */
export function unitLayers(rem: number): LayerSpecification[] {
  return [
    { id: 'units-fill', type: 'fill', source: 'units', filter: ['==', ['get', 'leaf'], true], paint: { 'fill-color': ['match', ['%', ['get', 'index'], 4], 0, '#0d1726', 1, '#101c2e', 2, '#0b1422', '#0f1929'], 'fill-opacity': 0.95 } },
    { id: 'units-line', type: 'line', source: 'units', filter: ['==', ['get', 'leaf'], true], paint: { 'line-color': '#2f4a6e', 'line-width': 0.07 * rem } },
    { id: 'province-line', type: 'line', source: 'units', filter: ['==', ['get', 'root'], true], paint: { 'line-color': '#6f94c4', 'line-width': 0.16 * rem } },
  ]
}

export function pointCollection(items: Iterable<MapItem>): GeoJSON.FeatureCollection {
  const features: GeoJSON.Feature[] = []
  for (const d of items) features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [d.lon, d.lat] }, properties: { id: d.id, kind: d.kind } })
  return { type: 'FeatureCollection', features }
}
