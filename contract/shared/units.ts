// Administrative units: the tree every domain places its things in. Units are a tree of any
// depth (province → commune/ward since the 2025 two-tier reform, or any deeper local grouping); the
// schema never assumes fixed levels.

export type Position = [lon: number, lat: number]
export type Ring = Position[]
export type UnitGeometry = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] }

/**
 * What a unit is, whatever its level word: the province (a root); an area grouping localities (a former
 * district, a "khu vực"); a department (sở, ban, ngành: no territory of its own); a locality (commune, ward,
 * special zone, or a district where there still is one); a centre (a public-service centre). Departments and
 * localities are ranked separately; the province and areas group them.
 */
export const UNIT_TYPES = ['province', 'area', 'department', 'locality', 'centre'] as const
export type UnitType = (typeof UNIT_TYPES)[number]

export interface Unit {
  id: string
  parentId: string | null
  name: string
  /** Free-form level name shown to users: "tỉnh", "phường", "xã", "đặc khu", "khu vực", "sở"… */
  level: string
  type: UnitType
  geometry: UnitGeometry | null
  /** True when the boundary is generated or simplified and must not be used for legal purposes. */
  approximate: boolean
}

/** GET /api/units: the unit tree as a GeoJSON FeatureCollection (the map draws it; the wall reads it typed). */
export interface UnitFeature {
  type: 'Feature'
  id: string
  properties: { id: string; parentId: string | null; name: string; level: string; type: UnitType; approximate: boolean }
  geometry: UnitGeometry | null
}
export interface UnitsResponse {
  type: 'FeatureCollection'
  features: UnitFeature[]
}

/** The ids of `root` and every unit below it, or null when `root` is not a unit. */
export function unitSubtree(units: readonly Pick<Unit, 'id' | 'parentId'>[], root: string): Set<string> | null {
  if (!units.some((u) => u.id === root)) return null
  const children = new Map<string, string[]>()
  for (const u of units) if (u.parentId) children.set(u.parentId, [...(children.get(u.parentId) ?? []), u.id])
  const ids = new Set<string>()
  const stack = [root]
  while (stack.length) {
    const id = stack.pop()!
    if (ids.has(id)) continue
    ids.add(id)
    stack.push(...(children.get(id) ?? []))
  }
  return ids
}
