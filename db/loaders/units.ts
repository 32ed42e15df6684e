// Administrative units from GeoJSON: a FeatureCollection whose features carry `id`, `parent_id`, `name`,
// `level` and optionally `type` and `approximate` in their properties, with a Polygon, MultiPolygon or null
// geometry (departments and centres have none). Without a `type`, a root is the province and any other unit a
// locality.
// The tree may be any depth; a parent must be in the same file or already loaded, and no unit may be its own
// ancestor. Other properties (GIS exports carry many) are ignored. Each feature is checked by a zod schema
// (checkRow); the tree, which needs every feature at once, by plain code.

import { DEVICE_ID_PATTERN, UNIT_TYPES, check, isRingClosed, sentence, z, type Position, type Unit } from '../../contract/index.ts'
import { DuplicateIds, REQUIRED, checkRow, idCell, inReadingOrder, says, type RowError } from './row-error.ts'

/** A feature's fields, in the order one feature's errors are listed. */
const FIELDS = ['id', 'parent_id', 'name', 'level', 'type', 'approximate', 'geometry'] as const

// --- geometry ----------------------------------------------------------------------------------------------
// Messages name the place people can find in their GIS tool ("position 3 of ring 1 of polygon 2"), made from
// the issue's path below geometry.coordinates; checkRow keeps the first, as the first problem is the one to fix.

/** `ring 2 of polygon 3` and `position 5`, from a path [..., 'coordinates', (polygon,) ring, position]. */
function place(path: readonly PropertyKey[] | undefined, multi: boolean): { polygon: string; ring: string; position: string } {
  const below = (path ?? []).slice((path ?? []).indexOf('coordinates') + 1) as number[]
  const [polygon, ring = 0, position = 0] = multi ? below : [undefined, ...below]
  const of = polygon === undefined ? '' : ` of polygon ${polygon + 1}`
  return { polygon: of, ring: `ring ${ring + 1}${of}`, position: `position ${position + 1}` }
}

type PlacedIssue = { input?: unknown; path?: PropertyKey[] }

/** The rings of a polygon: an outer ring, then holes; each closed, with at least 4 positions. */
function polygonRings(multi: boolean) {
  const at = (issue: PlacedIssue) => place(issue.path, multi)
  const position = z
    .custom<[number, number, ...unknown[]]>((p) => Array.isArray(p) && isFiniteNumber(p[0]) && isFiniteNumber(p[1]), {
      error: (issue: PlacedIssue) => sentence(`${at(issue).position} of ${at(issue).ring} is not [lon, lat]`),
    })
    .refine(([lon, lat]) => Math.abs(lon) <= 180 && Math.abs(lat) <= 90, {
      error: (issue: PlacedIssue) => {
        const [lon, lat] = issue.input as [number, number]
        return sentence(`${at(issue).position} of ${at(issue).ring} is out of range: [${lon}, ${lat}] (lon ±180, lat ±90; are they swapped?)`)
      },
    })
    .transform(([lon, lat]): Position => [lon, lat]) // altitude, if any, is dropped: boundaries are 2D
  const tooFew = { error: (issue: PlacedIssue) => sentence(`${at(issue).ring} needs at least 4 positions (a closed triangle)`) }
  const ring = z
    .array(z.unknown(), tooFew)
    .min(4, { ...tooFew, abort: true })
    .pipe(z.array(position))
    .refine(isRingClosed, { error: (issue: PlacedIssue) => sentence(`${at(issue).ring} is not closed: its last position must repeat the first`) })
  const noOuterRing = { error: (issue: PlacedIssue) => sentence(`a polygon${at(issue).polygon} needs at least an outer ring`) }
  return z.array(z.unknown(), noOuterRing).min(1, { ...noOuterRing, abort: true }).pipe(z.array(ring))
}

const NO_POLYGON = sentence('a MultiPolygon needs at least one polygon')

const geometrySchema = z
  .discriminatedUnion(
    'type',
    [
      z.object({ type: z.literal('Polygon'), coordinates: polygonRings(false) }),
      z.object({
        type: z.literal('MultiPolygon'),
        coordinates: z.array(z.unknown(), { error: NO_POLYGON }).min(1, { error: NO_POLYGON, abort: true }).pipe(z.array(polygonRings(true))),
      }),
    ],
    says((g) => `must be a Polygon, a MultiPolygon or null, not ${isObject(g) ? String(g.type) : typeof g}`),
  )
  .nullish()
  .transform((g) => g ?? null)

// --- features ----------------------------------------------------------------------------------------------

const requiredText = z.string({ error: REQUIRED }).trim().min(1, { error: REQUIRED })

/** A feature's fields, flattened from its properties, as a Unit. */
const UnitFields = z
  .object({
    id: z.unknown().transform(idText).pipe(idCell),
    parent_id: z
      .unknown()
      .refine((v) => v === undefined || v === null || v === '' || (typeof v === 'string' && DEVICE_ID_PATTERN.test(v)), says((v) => `${JSON.stringify(v)} is not a valid id`))
      .transform((v) => (v || null) as string | null),
    name: requiredText,
    level: requiredText,
    type: z
      .preprocess((v) => (v === '' ? null : v), z.enum(UNIT_TYPES, says((v) => `${JSON.stringify(v)} is not one of ${UNIT_TYPES.join(', ')}`)).nullish())
      .transform((v) => v ?? null),
    approximate: z.boolean({ error: sentence('must be true or false') }).nullish().transform((v) => v ?? false),
    geometry: geometrySchema,
  })
  .transform(
    (f): Unit => ({
      id: f.id,
      parentId: f.parent_id,
      name: f.name,
      level: f.level,
      type: f.type ?? (f.parent_id === null ? 'province' : 'locality'),
      geometry: f.geometry,
      approximate: f.approximate,
    }),
  )

const UnitFeature = z
  .custom<Record<string, unknown>>(isFeature, { error: sentence('is not a GeoJSON Feature') })
  .transform((feature): unknown => featureFields(feature)) // unknown until UnitFields has checked them
  .pipe(UnitFields)

const FeatureCollection = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) })

function isFeature(v: unknown): v is Record<string, unknown> {
  return isObject(v) && v.type === 'Feature'
}

/** The fields a unit is read from; GeoJSON also allows the id on the feature itself (properties win, as the documented place). */
function featureFields(feature: Record<string, unknown>): Record<(typeof FIELDS)[number], unknown> {
  const props = isObject(feature.properties) ? feature.properties : {}
  return { id: props.id ?? feature.id, parent_id: props.parent_id, name: props.name, level: props.level, type: props.type, approximate: props.approximate, geometry: feature.geometry }
}

/** An id as written: GIS tools often number features. '' when there is none. */
function idText(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : ''
}

/** `known`: units already loaded, which file units may name as parents (and may re-parent). */
export function parseUnitsGeoJson(text: string, known: readonly Unit[] = []): { units: Unit[]; errors: RowError[] } {
  let doc: unknown
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
  } catch (err) {
    return { units: [], errors: [{ row: 0, message: `not valid JSON: ${(err as Error).message}` }] }
  }
  const collection = check(FeatureCollection, doc)
  if (!collection.ok) return { units: [], errors: [{ row: 0, message: 'expected a GeoJSON FeatureCollection with a features array' }] }

  const errors: RowError[] = []
  const parsed: { unit: Unit; row: number }[] = []
  const duplicates = new DuplicateIds()
  const rejected = new Map<string, number>() // id → row of features rejected for their own fields
  collection.value.features.forEach((feature, i) => {
    const row = i + 1
    const checked = checkRow(UnitFeature, row, feature)
    const rowErrors: RowError[] = [...checked.errors]
    const id = isFeature(feature) ? idText(featureFields(feature).id) : null
    const duplicate = id === null ? null : duplicates.check(row, 'id', id)
    if (duplicate) rowErrors.push(duplicate)
    if (checked.value && rowErrors.length === 0) parsed.push({ unit: checked.value, row })
    else {
      errors.push(...rowErrors)
      if (id && !rejected.has(id)) rejected.set(id, row)
    }
  })
  for (const { unit } of parsed) rejected.delete(unit.id) // a duplicate's first, accepted, occurrence stands

  errors.push(...checkTree(parsed, known, rejected))
  const rejectedRows = new Set(errors.map((e) => e.row))
  return { units: parsed.filter((p) => !rejectedRows.has(p.row)).map((p) => p.unit), errors: inReadingOrder(errors, FIELDS) }
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
      properties: { id: u.id, parent_id: u.parentId, name: u.name, level: u.level, type: u.type, approximate: u.approximate },
      geometry: u.geometry,
    }),
  )
  return `{"type":"FeatureCollection","features":[\n${features.join(',\n')}\n]}\n`
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v)
}
