// The province's unit boundaries for the map, fetched once per page (they change only when a city reloads
// its reference data) and marked for drawing: leaves get a fill, the root gets the province outline.
import { ROUTES, geometryBBox, unionBBox, type BBox, type UnitsResponse } from '../../../contract/index.ts'
import { get } from './api.ts'

export interface MapUnits {
  collection: GeoJSON.FeatureCollection
  bbox: BBox | null
}

type UnitFeature = UnitsResponse['features'][number]

let cached: Promise<MapUnits> | null = null

export function loadUnits(): Promise<MapUnits> {
  cached ??= fetchUnits().catch((err) => {
    cached = null // the next map mount tries again
    throw err
  })
  return cached
}

async function fetchUnits(): Promise<MapUnits> {
  return markUnits((await get(ROUTES.units)).features)
}

export function markUnits(features: readonly UnitFeature[]): MapUnits {
  const parents = new Set(features.map((f) => f.properties.parentId).filter((p): p is string => p !== null))
  const withShape = features.filter((f) => f.geometry !== null)
  const out: GeoJSON.Feature[] = withShape.map((f, index) => ({
    type: 'Feature',
    geometry: f.geometry as GeoJSON.Geometry,
    properties: { ...f.properties, leaf: !parents.has(f.properties.id), root: f.properties.parentId === null, index },
  }))
  const boxes = withShape.map((f) => geometryBBox(f.geometry!))
  return { collection: { type: 'FeatureCollection', features: out }, bbox: boxes.length ? unionBBox(boxes) : null }
}
