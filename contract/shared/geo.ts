// Planar geometry on GeoJSON lon/lat coordinates, small enough for the browser: which unit a point falls in,
// bounding boxes, ring orientation and great-circle distance. Point-in-polygon works in degrees, which is
// exact for the straight-edged polygons the IOC stores (RFC 7946 edges are straight in lon/lat).

import type { Position, Ring, Unit, UnitGeometry } from './units.ts'

/** [minLon, minLat, maxLon, maxLat], the GeoJSON bbox order. */
export type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number]

const EARTH_RADIUS_M = 6_371_008.8 // mean radius (IUGG)
const RAD = Math.PI / 180

/** Great-circle distance in metres between two [lon, lat] positions. */
export function haversineMeters(a: Position, b: Position): number {
  const dLat = (b[1] - a[1]) * RAD
  const dLon = (b[0] - a[0]) * RAD
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * RAD) * Math.cos(b[1] * RAD) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

/**
 * Even-odd ray casting. Works whether or not the ring repeats its first position at the end. A point exactly
 * on an edge may count either way; callers placing devices keep them off boundaries.
 */
export function pointInRing(point: Position, ring: Ring): boolean {
  const [x, y] = point
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!
    const [xj, yj] = ring[j]!
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** Inside the outer ring (first) and outside every hole (the rest). */
export function pointInPolygon(point: Position, rings: readonly Ring[]): boolean {
  const [outer, ...holes] = rings
  if (!outer || !pointInRing(point, outer)) return false
  return !holes.some((hole) => pointInRing(point, hole))
}

/** The polygons of a Polygon or MultiPolygon, each as its rings. */
export function geometryPolygons(geometry: UnitGeometry): Ring[][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
}

export function pointInGeometry(point: Position, geometry: UnitGeometry): boolean {
  return geometryPolygons(geometry).some((rings) => pointInPolygon(point, rings))
}

export function ringBBox(ring: Ring): BBox {
  let minLon = Infinity
  let minLat = Infinity
  let maxLon = -Infinity
  let maxLat = -Infinity
  for (const [lon, lat] of ring) {
    if (lon < minLon) minLon = lon
    if (lat < minLat) minLat = lat
    if (lon > maxLon) maxLon = lon
    if (lat > maxLat) maxLat = lat
  }
  return [minLon, minLat, maxLon, maxLat]
}

/** Bounding box of a geometry; holes cannot extend it, so only outer rings are read. */
export function geometryBBox(geometry: UnitGeometry): BBox {
  return unionBBox(geometryPolygons(geometry).flatMap((rings) => (rings[0] ? [ringBBox(rings[0])] : [])))
}

export function unionBBox(boxes: readonly BBox[]): BBox {
  const out: BBox = [Infinity, Infinity, -Infinity, -Infinity]
  for (const b of boxes) {
    out[0] = Math.min(out[0], b[0])
    out[1] = Math.min(out[1], b[1])
    out[2] = Math.max(out[2], b[2])
    out[3] = Math.max(out[3], b[3])
  }
  return out
}

export function bboxContainsPoint(box: BBox, point: Position): boolean {
  return point[0] >= box[0] && point[0] <= box[2] && point[1] >= box[1] && point[1] <= box[3]
}

/** True when `inner` lies within `outer`, with `tolerance` degrees of slack for rounded coordinates. */
export function bboxContainsBBox(outer: BBox, inner: BBox, tolerance = 0): boolean {
  return (
    inner[0] >= outer[0] - tolerance &&
    inner[1] >= outer[1] - tolerance &&
    inner[2] <= outer[2] + tolerance &&
    inner[3] <= outer[3] + tolerance
  )
}

/** Shoelace area in square degrees: positive when counter-clockwise (x = lon east, y = lat north). */
export function ringSignedArea(ring: Ring): number {
  let sum = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j]![0] - ring[i]![0]) * (ring[j]![1] + ring[i]![1])
  }
  return sum / 2
}

export function isCounterClockwise(ring: Ring): boolean {
  return ringSignedArea(ring) > 0
}

export function isRingClosed(ring: Ring): boolean {
  const first = ring[0]
  const last = ring[ring.length - 1]
  return !!first && !!last && first[0] === last[0] && first[1] === last[1]
}

/** The ring with its first position repeated at the end, as GeoJSON requires. */
export function closeRing(ring: Ring): Ring {
  if (ring.length === 0 || isRingClosed(ring)) return ring
  return [...ring, ring[0]!]
}

/**
 * RFC 7946 §3.1.6 winding: exterior rings counter-clockwise, holes clockwise. Parsers must not reject other
 * windings, so this is for writers.
 */
export function orientPolygon(rings: readonly Ring[]): Ring[] {
  return rings.map((ring, i) => {
    const ccw = isCounterClockwise(ring)
    return (i === 0) === ccw ? ring : [...ring].reverse()
  })
}

/**
 * Finds the deepest unit whose geometry contains a point: the leaf a device belongs to. Depth comes from the
 * parent chain among the given units; ties at equal depth (overlapping boundaries) go to the smaller id so
 * the answer never depends on input order. Units without geometry are never matched.
 */
export function createUnitLocator(units: readonly Unit[]): (point: Position) => Unit | null {
  const byId = new Map(units.map((u) => [u.id, u]))
  const depthOf = (unit: Unit): number => {
    let depth = 0
    const seen = new Set<string>()
    for (let p = unit.parentId; p && byId.has(p) && !seen.has(p); p = byId.get(p)!.parentId) {
      seen.add(p)
      depth++
    }
    return depth
  }
  const candidates = units
    .filter((u): u is Unit & { geometry: UnitGeometry } => u.geometry !== null)
    .map((u) => ({ unit: u, depth: depthOf(u), box: geometryBBox(u.geometry) }))
    .sort((a, b) => b.depth - a.depth || (a.unit.id < b.unit.id ? -1 : a.unit.id > b.unit.id ? 1 : 0))
  return (point) => {
    for (const c of candidates) {
      if (bboxContainsPoint(c.box, point) && pointInGeometry(point, c.unit.geometry)) return c.unit
    }
    return null
  }
}
