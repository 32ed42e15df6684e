// Administrative units from GeoJSON: a FeatureCollection whose features carry `id`, `parent_id`, `name`,
// `level` and optionally `approximate` in their properties, with a Polygon, MultiPolygon or null geometry.
// The tree may be any depth; a parent must be in the same file or already loaded, and no unit may be its own
// ancestor. Other properties (GIS exports carry many) are ignored.

import { DEVICE_ID_PATTERN, isRingClosed, type Position, type Ring, type Unit, type UnitGeometry } from '../../contract/index.ts'
import { DuplicateIds, RowCheck, type RowError } from './row-error.ts'

/** `known`: units already loaded, which file units may name as parents (and may re-parent). */
export function parseUnitsGeoJson(text: string, known: readonly Unit[] = []): { units: Unit[]; errors: RowError[] } {
  let doc: unknown
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
  } catch (err) {
    return { units: [], errors: [{ row: 0, message: `not valid JSON: ${(err as Error).message}` }] }
  }
  if (!isObject(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    return { units: [], errors: [{ row: 0, message: 'expected a GeoJSON FeatureCollection with a features array' }] }
  }

  const errors: RowError[] = []
  const parsed: { unit: Unit; row: number }[] = []
  const duplicates = new DuplicateIds()
  const rejected = new Map<string, number>() // id → row of features rejected for their own fields
  doc.features.forEach((feature: unknown, i: number) => {
    const check = new RowCheck(i + 1)
    const unit = readFeature(check, feature)
    if (unit) duplicates.check(check, 'id', unit.id)
    if (unit && check.ok) parsed.push({ unit, row: i + 1 })
    else {
      errors.push(...check.errors)
      if (unit?.id && !rejected.has(unit.id)) rejected.set(unit.id, i + 1)
    }
  })
  for (const { unit } of parsed) rejected.delete(unit.id) // a duplicate's first, accepted, occurrence stands

  errors.push(...checkTree(parsed, known, rejected))
  const rejectedRows = new Set(errors.map((e) => e.row))
  return { units: parsed.filter((p) => !rejectedRows.has(p.row)).map((p) => p.unit), errors: errors.sort((a, b) => a.row - b.row) }
}

function readFeature(check: RowCheck, feature: unknown): Unit | null {
  if (!isObject(feature) || feature.type !== 'Feature') {
    check.fail(undefined, 'is not a GeoJSON Feature')
    return null
  }
  const props = isObject(feature.properties) ? feature.properties : {}
  // GeoJSON also allows the id on the feature itself; properties win, as the documented place.
  const rawId = props.id ?? feature.id
  const id = check.id('id', typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : '')
  const rawParent = props.parent_id
  let parentId: string | null = null
  if (rawParent !== undefined && rawParent !== null && rawParent !== '') {
    if (typeof rawParent !== 'string' || !DEVICE_ID_PATTERN.test(rawParent)) check.fail('parent_id', `${JSON.stringify(rawParent)} is not a valid id`)
    else parentId = rawParent
  }
  const name = check.text('name', typeof props.name === 'string' ? props.name.trim() : '')
  const level = check.text('level', typeof props.level === 'string' ? props.level.trim() : '')
  let approximate = false
  if (props.approximate !== undefined && props.approximate !== null) {
    if (typeof props.approximate !== 'boolean') check.fail('approximate', 'must be true or false')
    else approximate = props.approximate
  }
  const geometry = readGeometry(check, feature.geometry)
  return { id, parentId, name, level, geometry, approximate }
}

function readGeometry(check: RowCheck, g: unknown): UnitGeometry | null {
  if (g === null || g === undefined) return null
  if (!isObject(g) || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
    check.fail('geometry', `must be a Polygon, a MultiPolygon or null, not ${isObject(g) ? String(g.type) : typeof g}`)
    return null
  }
  if (g.type === 'Polygon') {
    const rings = readPolygon(check, g.coordinates, '')
    return rings && { type: 'Polygon', coordinates: rings }
  }
  if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) {
    check.fail('geometry', 'a MultiPolygon needs at least one polygon')
    return null
  }
  const polygons = g.coordinates.map((p: unknown, i: number) => readPolygon(check, p, ` of polygon ${i + 1}`))
  return polygons.every((p): p is Ring[] => p !== null) ? { type: 'MultiPolygon', coordinates: polygons } : null
}

function readPolygon(check: RowCheck, coords: unknown, where: string): Ring[] | null {
  if (!Array.isArray(coords) || coords.length === 0) {
    check.fail('geometry', `a polygon${where} needs at least an outer ring`)
    return null
  }
  const rings: Ring[] = []
  for (const [r, ring] of coords.entries()) {
    const name = `ring ${r + 1}${where}`
    if (!Array.isArray(ring) || ring.length < 4) {
      check.fail('geometry', `${name} needs at least 4 positions (a closed triangle)`)
      return null
    }
    const positions: Position[] = []
    for (const [p, pos] of ring.entries()) {
      const lon: unknown = Array.isArray(pos) ? pos[0] : undefined
      const lat: unknown = Array.isArray(pos) ? pos[1] : undefined
      if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
        check.fail('geometry', `position ${p + 1} of ${name} is not [lon, lat]`)
        return null
      }
      if (Math.abs(lon) > 180 || Math.abs(lat) > 90) {
        check.fail('geometry', `position ${p + 1} of ${name} is out of range: [${lon}, ${lat}] (lon ±180, lat ±90; are they swapped?)`)
        return null
      }
      positions.push([lon, lat]) // altitude, if any, is dropped: boundaries are 2D
    }
    if (!isRingClosed(positions)) {
      check.fail('geometry', `${name} is not closed: its last position must repeat the first`)
      return null
    }
    rings.push(positions)
  }
  return rings
}

/**
 * Parent references and cycles over the file's units merged with the known ones (a file unit replaces the
 * known unit of the same id). Units under a rejected parent are rejected too: inserting them would break
 * the foreign key.
 */
function checkTree(parsed: readonly { unit: Unit; row: number }[], known: readonly Unit[], rejected: ReadonlyMap<string, number>): RowError[] {
  const errors: RowError[] = []
  const rowOf = new Map(parsed.map((p) => [p.unit.id, p.row]))
  const parentOf = new Map<string, string | null>(known.map((u) => [u.id, u.parentId]))
  for (const { unit } of parsed) parentOf.set(unit.id, unit.parentId)
  const bad = new Set<string>()

  for (const { unit, row } of parsed) {
    if (unit.parentId !== null && !parentOf.has(unit.parentId)) {
      const at = rejected.get(unit.parentId)
      const why = at === undefined ? 'is neither in this file nor loaded' : `was rejected (row ${at})`
      errors.push({ row, field: 'parent_id', message: `parent '${unit.parentId}' ${why}` })
      bad.add(unit.id)
    }
  }
  for (const { unit, row } of parsed) {
    if (bad.has(unit.id)) continue
    const path = [unit.id]
    for (let p = unit.parentId; p !== null && parentOf.has(p); p = parentOf.get(p)!) {
      if (p === unit.id) {
        errors.push({ row, field: 'parent_id', message: `cycle: ${[...path, p].join(' → ')}` })
        bad.add(unit.id)
        break
      }
      if (path.includes(p)) break // a cycle above this unit; its members report it, this unit cascades below
      path.push(p)
    }
  }
  // Cascade: a unit whose parent (in the file) was rejected cannot be inserted either.
  for (let changed = true; changed; ) {
    changed = false
    for (const { unit, row } of parsed) {
      if (bad.has(unit.id) || unit.parentId === null || !bad.has(unit.parentId) || !rowOf.has(unit.parentId)) continue
      errors.push({ row, field: 'parent_id', message: `parent '${unit.parentId}' was rejected (row ${rowOf.get(unit.parentId)})` })
      bad.add(unit.id)
      changed = true
    }
  }
  return errors
}

/** One feature per line: small diffs when a boundary changes, still valid GeoJSON for any GIS tool. */
export function formatUnitsGeoJson(units: readonly Unit[]): string {
  const features = units.map((u) =>
    JSON.stringify({
      type: 'Feature',
      properties: { id: u.id, parent_id: u.parentId, name: u.name, level: u.level, approximate: u.approximate },
      geometry: u.geometry,
    }),
  )
  return `{"type":"FeatureCollection","features":[\n${features.join(',\n')}\n]}\n`
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
