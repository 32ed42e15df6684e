// Builds the demo province from the hand-written inputs in province.ts: the unit tree with generated
// boundaries (and the departments and the provincial centre, which have none), ~140 environment stations,
// ~60 counter cameras, and the procedures catalogue of procedures.ts. Deterministic for a seed, so the committed
// files in demo-province/ can be checked against a fresh run. Every device is placed on land and carries the
// deepest unit containing it, exactly as a city's own data would be matched by the loaders.

import {
  createUnitLocator,
  haversineMeters,
  pointInGeometry,
  type Camera,
  type Position,
  type Procedure,
  type Station,
  type StationKind,
  type Unit,
  type UnitGeometry,
} from '../../contract/index.ts'
import { DEFAULT_CAMERA_INTERVAL_SEC, DEFAULT_STATION_INTERVAL_SEC } from '../loaders/index.ts'
import { lonScaleFor, round5, toGeometry, voronoiCells, type Piece } from './geometry.ts'
import {
  DEPARTMENTS,
  ISLANDS,
  LOCALITIES,
  MAINLAND,
  PROVINCE,
  PROVINCIAL_SERVICE_CENTER,
  ROADS,
  STATION_KIND_COUNTS,
  TOTAL_CAMERAS,
  type LocalityInput,
} from './province.ts'
import { generateDemoProcedures } from './procedures.ts'
import { integer, mulberry32, shuffle, type Rng } from './random.ts'

export const DEMO_SEED = 20250701

export interface DemoProvince {
  units: Unit[]
  stations: Station[]
  cameras: Camera[]
  procedures: Procedure[]
}

const KIND_WORD: Record<StationKind, string> = { air: 'không khí', water: 'nước', noise: 'tiếng ồn' }
const KIND_CODE: Record<StationKind, string> = { air: 'KK', water: 'NC', noise: 'TO' }
/** Devices closer than this look like one marker on the wall; keep them apart. */
const MIN_SPACING_M = 250

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)

export function generateDemoProvince(seed: number = DEMO_SEED): DemoProvince {
  const rng = mulberry32(seed)
  const { units, shortNames, localityUnits } = buildUnits()
  const land = units[0]!.geometry!
  const locate = createUnitLocator(units)
  const placed: Position[] = []

  /** The point if it is on land, inside `within`, clear of other devices, with its deepest unit. */
  const accept = (p: Position, within: UnitGeometry): Unit | null => {
    if (!pointInGeometry(p, land) || !pointInGeometry(p, within)) return null
    if (placed.some((q) => haversineMeters(p, q) < MIN_SPACING_M)) return null
    return locate(p)
  }
  const names = new Map<string, number>()
  const uniqueName = (name: string): string => {
    const n = (names.get(name) ?? 0) + 1
    names.set(name, n)
    return n === 1 ? name : `${name} ${n}`
  }

  // Stations: each locality gets its share; kinds are dealt from a shuffled deck so every town has a mix.
  const deck = shuffle(
    rng,
    (Object.keys(STATION_KIND_COUNTS) as StationKind[]).flatMap((k) => Array<StationKind>(STATION_KIND_COUNTS[k]).fill(k)),
  )
  const stationTotal = LOCALITIES.reduce((sum, l) => sum + l.stations, 0)
  if (deck.length !== stationTotal) throw new Error(`station shares add up to ${stationTotal}, kinds to ${deck.length}`)
  const stations: Station[] = []
  const serial: Record<StationKind, number> = { air: 0, water: 0, noise: 0 }
  for (const locality of LOCALITIES) {
    const unit = localityUnits.get(locality.code)!
    const anchors: Position[] = locality.wards?.map((w) => [w.lon, w.lat]) ?? [[locality.lon, locality.lat]]
    for (let i = 0; i < locality.stations; i++) {
      const kind = deck[stations.length]!
      const anchor = anchors[i % anchors.length]!
      const { point, leaf } = scatter(rng, anchor, radiusKm(locality), (p) => accept(p, unit.geometry!))
      placed.push(point)
      stations.push({
        id: `QN-${KIND_CODE[kind]}-${String(++serial[kind]).padStart(3, '0')}`,
        name: uniqueName(`Trạm quan trắc ${KIND_WORD[kind]} ${shortNames.get(leaf.id)}`),
        kind,
        unitId: leaf.id,
        lon: point[0],
        lat: point[1],
        expectedIntervalSec: DEFAULT_STATION_INTERVAL_SEC[kind],
      })
    }
  }

  // Cameras: service centres first (people counting at the counters), then roads (vehicle counting).
  const cameras: Camera[] = []
  const addCamera = (c: Omit<Camera, 'id' | 'expectedIntervalSec'>) => {
    placed.push([c.lon, c.lat])
    cameras.push({ id: `QN-CAM-${String(cameras.length + 1).padStart(3, '0')}`, ...c, expectedIntervalSec: DEFAULT_CAMERA_INTERVAL_SEC })
  }
  const centers = [
    {
      site: PROVINCIAL_SERVICE_CENTER.name,
      at: [PROVINCIAL_SERVICE_CENTER.lon, PROVINCIAL_SERVICE_CENTER.lat] as Position,
      count: PROVINCIAL_SERVICE_CENTER.cameras,
      capacity: [100, 150] as const, // the province's busiest hall
      within: land,
    },
    ...LOCALITIES.map((l) => ({
      site: `Trung tâm hành chính công ${l.level} ${l.name}`,
      at: [l.lon, l.lat] as Position,
      count: integer(rng, 1, 2),
      capacity: [40, 100] as const,
      within: localityUnits.get(l.code)!.geometry!,
    })),
  ]
  for (const center of centers) {
    for (let k = 1; k <= center.count; k++) {
      // Cameras of one centre sit in the same building: a few hundred metres of scatter at most.
      const { point, leaf } = scatter(rng, center.at, 0.6, (p) => accept(p, center.within))
      addCamera({
        name: `Camera khu vực chờ ${k} – ${center.site}`,
        kind: 'service_center',
        site: center.site,
        unitId: leaf.id,
        lon: point[0],
        lat: point[1],
        capacity: integer(rng, center.capacity[0], center.capacity[1]),
      })
    }
  }
  const roadCounts = apportion(TOTAL_CAMERAS - cameras.length, ROADS.map((r) => r.weight))
  ROADS.forEach((road, r) => {
    const count = roadCounts[r]!
    const length = pathLength(road.path)
    for (let i = 0; i < count; i++) {
      const target = ((i + 0.2 + 0.6 * rng()) / count) * length
      const { point, leaf } = alongRoad(road.path, target, length, (p) => accept(p, land))
      addCamera({
        name: uniqueName(`Camera giao thông ${road.name} – ${shortNames.get(leaf.id)}`),
        kind: 'road',
        site: road.name,
        unitId: leaf.id,
        lon: point[0],
        lat: point[1],
        capacity: null,
      })
    }
  })

  stations.sort((a, b) => (a.id < b.id ? -1 : 1))
  return { units, stations, cameras, procedures: generateDemoProcedures().procedures }
}

/** The unit tree: province, localities (Voronoi cells of the mainland, or a whole island), wards. */
function buildUnits(): { units: Unit[]; shortNames: Map<string, string>; localityUnits: Map<string, Unit> } {
  const mainland: Piece = MAINLAND
  const lonScale = lonScaleFor([mainland])
  const onMainland = LOCALITIES.filter((l) => !l.island)
  const cells = voronoiCells([mainland], onMainland.map((l) => [l.lon, l.lat]), lonScale)
  const cellOf = new Map(onMainland.map((l, i) => [l.code, cells[i]!]))

  const province = geometryOrThrow([mainland, ISLANDS.caiBau.outline, ISLANDS.coTo.outline], PROVINCE.id)
  const units: Unit[] = [{ id: PROVINCE.id, parentId: null, name: PROVINCE.name, level: PROVINCE.level, type: 'province', geometry: province, approximate: true }]
  const shortNames = new Map<string, string>([[PROVINCE.id, 'Quảng Ninh']])
  const localityUnits = new Map<string, Unit>()
  for (const l of LOCALITIES) {
    const id = `${PROVINCE.id}-${l.code}`
    const pieces = l.island ? [ISLANDS[l.island].outline] : cellOf.get(l.code)!
    // a locality split into wards groups them (an area); the wards are the localities then
    const type = l.wards ? 'area' : 'locality'
    const unit: Unit = { id, parentId: PROVINCE.id, name: `${capitalize(l.level)} ${l.name}`, level: l.level, type, geometry: geometryOrThrow(pieces, id), approximate: true }
    assertContains(unit, [l.lon, l.lat])
    units.push(unit)
    shortNames.set(id, l.name)
    localityUnits.set(l.code, unit)
    if (!l.wards) continue
    const wardCells = voronoiCells(pieces, l.wards.map((w) => [w.lon, w.lat]), lonScale)
    l.wards.forEach((w, i) => {
      const wardId = `${id}-${w.code}`
      const ward: Unit = { id: wardId, parentId: id, name: `${capitalize(w.level)} ${w.name}`, level: w.level, type: 'locality', geometry: geometryOrThrow(wardCells[i]!, wardId), approximate: true }
      assertContains(ward, [w.lon, w.lat])
      units.push(ward)
      shortNames.set(wardId, w.name)
    })
  }
  // departments and the provincial centre: units without territory (so no boundary to be approximate), under the province
  for (const d of DEPARTMENTS) {
    units.push({ id: `${PROVINCE.id}-${d.code}`, parentId: PROVINCE.id, name: d.name, level: d.level, type: 'department', geometry: null, approximate: false })
  }
  const centre = PROVINCIAL_SERVICE_CENTER
  units.push({ id: `${PROVINCE.id}-${centre.code}`, parentId: PROVINCE.id, name: centre.name, level: 'trung tâm', type: 'centre', geometry: null, approximate: false })
  return { units, shortNames, localityUnits }
}

function geometryOrThrow(pieces: readonly Piece[], id: string): UnitGeometry {
  const g = toGeometry(pieces)
  if (!g) throw new Error(`demo province: unit ${id} has an empty cell`)
  return g
}

/** A town point outside its own cell means the hand-written inputs disagree (a town placed in the sea). */
function assertContains(unit: Unit, p: Position): void {
  if (!unit.geometry || !pointInGeometry(p, unit.geometry)) throw new Error(`demo province: ${unit.id} does not contain its town point ${p.join(',')}`)
}

/** How far stations spread from their anchor: towns are compact, rural districts wide, islands small. */
function radiusKm(l: LocalityInput): number {
  if (l.island === 'coTo') return 2
  if (l.island) return 4
  return l.wards ? 3 : 6
}

/** Random points in a disc around `anchor`, widening slowly, until `accept` takes one. */
function scatter(rng: Rng, anchor: Position, radiusKm: number, accept: (p: Position) => Unit | null): { point: Position; leaf: Unit } {
  for (let attempt = 0; attempt < 2000; attempt++) {
    const r = radiusKm * (1 + attempt / 200) * Math.sqrt(rng())
    const theta = 2 * Math.PI * rng()
    const point = offset(anchor, r * Math.cos(theta), r * Math.sin(theta))
    const leaf = accept(point)
    if (leaf) return { point, leaf }
  }
  throw new Error(`demo province: no place on land near ${anchor.join(',')}`)
}

/** The point `target` metres along the path, or the nearest acceptable point stepping both ways from it. */
function alongRoad(path: Position[], target: number, length: number, accept: (p: Position) => Unit | null): { point: Position; leaf: Unit } {
  for (let step = 0; step < 400; step++) {
    const delta = Math.ceil(step / 2) * 100 * (step % 2 ? 1 : -1)
    const s = target + delta
    if (s < 0 || s > length) continue
    const point = pointAlong(path, s)
    const leaf = accept(point)
    if (leaf) return { point, leaf }
  }
  throw new Error(`demo province: no place on land along the road near ${Math.round(target)} m`)
}

function pathLength(path: Position[]): number {
  let sum = 0
  for (let i = 1; i < path.length; i++) sum += haversineMeters(path[i - 1]!, path[i]!)
  return sum
}

function pointAlong(path: Position[], s: number): Position {
  let rest = s
  for (let i = 1; i < path.length; i++) {
    const a = path[i - 1]!
    const b = path[i]!
    const len = haversineMeters(a, b)
    if (rest <= len || i === path.length - 1) {
      const t = len === 0 ? 0 : Math.min(1, rest / len)
      return [round5(a[0] + t * (b[0] - a[0])), round5(a[1] + t * (b[1] - a[1]))]
    }
    rest -= len
  }
  return path[0]!
}

/** Moves `dEastKm`, `dNorthKm` from a point; rounded to 5 decimals (~1 m) as stored. */
function offset(p: Position, dEastKm: number, dNorthKm: number): Position {
  const lat = p[1] + dNorthKm / 111.32
  const lon = p[0] + dEastKm / (111.32 * Math.cos((p[1] * Math.PI) / 180))
  return [round5(lon), round5(lat)]
}

/** Splits `total` by weights, largest remainders first, so the parts always add up to `total`. */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0)
  const exact = weights.map((w) => (w / sum) * total)
  const parts = exact.map(Math.floor)
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i)
  const missing = total - parts.reduce((a, b) => a + b, 0)
  for (let k = 0; k < missing; k++) parts[order[k]!.i]!++
  return parts
}
