// The reference-data repository: units, stations and cameras in and out of PostgreSQL. Writes are one
// batched upsert per call; reads map snake_case rows to the contract types. Also seeds the demo province
// (and its procedures catalogue) into an empty database, through the same parsers and upserts a city's own
// files use.

import { DEMO_REPORT_CATEGORIES, demoReportRoutes, type Camera, type Station, type Unit, type UnitGeometry, type UnitType } from '../contract/index.ts'
import type { Database, Queryable } from './database.ts'
import { upsertProcedures } from './dossier-reference.ts'
import { LOCKS } from './locks.ts'
import { seedReportReference } from './report-reference.ts'
import { readDemoFiles } from './seed/demo-files.ts'

export interface Reference {
  units: Unit[]
  stations: Station[]
  cameras: Camera[]
}

export interface ReferenceCounts {
  units: number
  stations: number
  cameras: number
  procedures: number
  reportCategories: number
}

/** Arbitrary constant: the advisory lock processes take so only one of them seeds an empty database. */

/**
 * Inserts or updates units; returns how many rows changed. Parents go first so the order reads like the
 * foreign key (PostgreSQL checks it at the end of the statement anyway). Rows identical to the stored ones
 * are left alone, so reloading a file does not touch updated_at.
 */
export async function upsertUnits(db: Queryable, units: readonly Unit[]): Promise<number> {
  const rows = parentsFirst(lastById(units))
  if (rows.length === 0) return 0
  const res = await db.query(
    `INSERT INTO units (id, parent_id, name, level, type, geometry, approximate)
     SELECT u.id, u.parent_id, u.name, u.level, u.type, u.geometry, u.approximate
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::boolean[])
       WITH ORDINALITY AS u (id, parent_id, name, level, type, geometry, approximate, ord)
     ORDER BY u.ord
     ON CONFLICT (id) DO UPDATE SET
       parent_id = EXCLUDED.parent_id, name = EXCLUDED.name, level = EXCLUDED.level, type = EXCLUDED.type,
       geometry = EXCLUDED.geometry, approximate = EXCLUDED.approximate, updated_at = now()
     WHERE (units.parent_id, units.name, units.level, units.type, units.geometry, units.approximate)
       IS DISTINCT FROM (EXCLUDED.parent_id, EXCLUDED.name, EXCLUDED.level, EXCLUDED.type, EXCLUDED.geometry, EXCLUDED.approximate)`,
    [
      rows.map((u) => u.id),
      rows.map((u) => u.parentId),
      rows.map((u) => u.name),
      rows.map((u) => u.level),
      rows.map((u) => u.type),
      rows.map((u) => (u.geometry ? JSON.stringify(u.geometry) : null)),
      rows.map((u) => u.approximate),
    ],
  )
  return res.rowCount ?? 0
}

export async function upsertStations(db: Queryable, stations: readonly Station[]): Promise<number> {
  const rows = lastById(stations)
  if (rows.length === 0) return 0
  const res = await db.query(
    `INSERT INTO stations (id, name, kind, unit_id, lon, lat, expected_interval_sec)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::int[])
     ON CONFLICT (id) DO UPDATE SET
       name = EXCLUDED.name, kind = EXCLUDED.kind, unit_id = EXCLUDED.unit_id, lon = EXCLUDED.lon, lat = EXCLUDED.lat,
       expected_interval_sec = EXCLUDED.expected_interval_sec, updated_at = now()
     WHERE (stations.name, stations.kind, stations.unit_id, stations.lon, stations.lat, stations.expected_interval_sec)
       IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.kind, EXCLUDED.unit_id, EXCLUDED.lon, EXCLUDED.lat, EXCLUDED.expected_interval_sec)`,
    [
      rows.map((s) => s.id),
      rows.map((s) => s.name),
      rows.map((s) => s.kind),
      rows.map((s) => s.unitId),
      rows.map((s) => s.lon),
      rows.map((s) => s.lat),
      rows.map((s) => s.expectedIntervalSec),
    ],
  )
  return res.rowCount ?? 0
}

export async function upsertCameras(db: Queryable, cameras: readonly Camera[]): Promise<number> {
  const rows = lastById(cameras)
  if (rows.length === 0) return 0
  const res = await db.query(
    `INSERT INTO cameras (id, name, kind, site, unit_id, lon, lat, capacity, expected_interval_sec)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::int[], $9::int[])
     ON CONFLICT (id) DO UPDATE SET
       name = EXCLUDED.name, kind = EXCLUDED.kind, site = EXCLUDED.site, unit_id = EXCLUDED.unit_id, lon = EXCLUDED.lon,
       lat = EXCLUDED.lat, capacity = EXCLUDED.capacity, expected_interval_sec = EXCLUDED.expected_interval_sec, updated_at = now()
     WHERE (cameras.name, cameras.kind, cameras.site, cameras.unit_id, cameras.lon, cameras.lat, cameras.capacity, cameras.expected_interval_sec)
       IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.kind, EXCLUDED.site, EXCLUDED.unit_id, EXCLUDED.lon, EXCLUDED.lat, EXCLUDED.capacity, EXCLUDED.expected_interval_sec)`,
    [
      rows.map((c) => c.id),
      rows.map((c) => c.name),
      rows.map((c) => c.kind),
      rows.map((c) => c.site),
      rows.map((c) => c.unitId),
      rows.map((c) => c.lon),
      rows.map((c) => c.lat),
      rows.map((c) => c.capacity),
      rows.map((c) => c.expectedIntervalSec),
    ],
  )
  return res.rowCount ?? 0
}

interface UnitRow {
  id: string
  parent_id: string | null
  name: string
  level: string
  type: UnitType
  geometry: UnitGeometry | null
  approximate: boolean
}
interface StationRow {
  id: string
  name: string
  kind: Station['kind']
  unit_id: string | null
  lon: number
  lat: number
  expected_interval_sec: number
}
interface CameraRow {
  id: string
  name: string
  kind: Camera['kind']
  site: string
  unit_id: string | null
  lon: number
  lat: number
  capacity: number | null
  expected_interval_sec: number
}

/** Units, ordered by id. The driver parses jsonb, so geometry arrives as an object. */
export async function loadUnits(db: Queryable): Promise<Unit[]> {
  const r = await db.query<UnitRow>('SELECT id, parent_id, name, level, type, geometry, approximate FROM units ORDER BY id')
  return r.rows.map((x) => ({ id: x.id, parentId: x.parent_id, name: x.name, level: x.level, type: x.type, geometry: x.geometry, approximate: x.approximate }))
}

export async function loadStations(db: Queryable): Promise<Station[]> {
  const r = await db.query<StationRow>('SELECT id, name, kind, unit_id, lon, lat, expected_interval_sec FROM stations ORDER BY id')
  return r.rows.map((x) => ({ id: x.id, name: x.name, kind: x.kind, unitId: x.unit_id, lon: x.lon, lat: x.lat, expectedIntervalSec: x.expected_interval_sec }))
}

export async function loadCameras(db: Queryable): Promise<Camera[]> {
  const r = await db.query<CameraRow>('SELECT id, name, kind, site, unit_id, lon, lat, capacity, expected_interval_sec FROM cameras ORDER BY id')
  return r.rows.map((x) => ({
    id: x.id,
    name: x.name,
    kind: x.kind,
    site: x.site,
    unitId: x.unit_id,
    lon: x.lon,
    lat: x.lat,
    capacity: x.capacity,
    expectedIntervalSec: x.expected_interval_sec,
  }))
}

/** Everything, ordered by id (one statement at a time: the embedded database is one session). */
export async function loadReference(db: Queryable): Promise<Reference> {
  return { units: await loadUnits(db), stations: await loadStations(db), cameras: await loadCameras(db) }
}

/** Changes whenever a row of `table` is added, removed or updated (loaders bump updated_at). */
export async function tableStamp(db: Queryable, table: 'units' | 'stations' | 'cameras'): Promise<string> {
  const r = await db.query<{ stamp: string }>(`SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') AS stamp FROM ${table}`)
  return r.rows[0]!.stamp
}

/**
 * Loads the committed demo province when the units table is empty; a database holding a city's own units is
 * left alone. A database holding the demo from an earlier start gets what later versions of the demo added
 * (the departments and the centre, unit types), as only new or changed rows are written. The demo's
 * procedures catalogue is loaded when the procedures table is empty and the units are the demo's. It runs in
 * one transaction under an advisory lock, so processes starting together seed once and a failure leaves
 * nothing. `counts` are the rows loaded (zero when nothing was).
 */
export function seedDemoIfEmpty(db: Database): Promise<{ seeded: boolean; counts: ReferenceCounts }> {
  return db.transaction(seedDemo)
}

async function seedDemo(db: Queryable): Promise<{ seeded: boolean; counts: ReferenceCounts }> {
  // Outside a transaction the lock is released at once: a caller passing a client owns the transaction.
  await db.query('SELECT pg_advisory_xact_lock($1)', [LOCKS.seed])
  const counts: ReferenceCounts = { units: 0, stations: 0, cameras: 0, procedures: 0, reportCategories: 0 }
  const any = await db.query('SELECT 1 FROM units LIMIT 1')
  const demo = await readDemoFiles()
  const root = demo.units.find((u) => u.parentId === null)!
  let seeded = false
  if ((any.rowCount ?? 0) === 0) {
    await upsertUnits(db, demo.units)
    await upsertStations(db, demo.stations)
    await upsertCameras(db, demo.cameras)
    Object.assign(counts, { units: demo.units.length, stations: demo.stations.length, cameras: demo.cameras.length })
    seeded = true
  } else {
    const isDemo = await db.query('SELECT 1 FROM units WHERE id = $1 AND parent_id IS NULL AND name = $2', [root.id, root.name])
    if ((isDemo.rowCount ?? 0) === 0) return { seeded: false, counts }
    counts.units = await upsertUnits(db, demo.units) // an earlier demo: only what it lacks
    seeded = counts.units > 0
  }
  const procedures = await db.query('SELECT 1 FROM procedures LIMIT 1')
  if ((procedures.rowCount ?? 0) === 0) {
    counts.procedures = await upsertProcedures(db, demo.procedures)
    seeded = true
  }
  const reports = await seedReportReference(db, DEMO_REPORT_CATEGORIES, demoReportRoutes(demo.units))
  counts.reportCategories = reports.categories
  if (reports.categories > 0) seeded = true
  return { seeded, counts }
}

/** A later row with the same id replaces an earlier one: one statement cannot update a row twice. */
function lastById<T extends { id: string }>(rows: readonly T[]): T[] {
  return [...new Map(rows.map((r) => [r.id, r])).values()]
}

/** Orders units so every parent in the batch precedes its children; units in a cycle keep their place at the end. */
function parentsFirst(units: readonly Unit[]): Unit[] {
  const byId = new Map(units.map((u) => [u.id, u]))
  const depth = new Map<string, number>()
  const depthOf = (u: Unit, seen: Set<string>): number => {
    const known = depth.get(u.id)
    if (known !== undefined) return known
    const parent = u.parentId ? byId.get(u.parentId) : undefined
    const d = parent && !seen.has(parent.id) ? depthOf(parent, seen.add(u.id)) + 1 : 0
    depth.set(u.id, d)
    return d
  }
  return units.map((u, i) => ({ u, i, d: depthOf(u, new Set()) })).sort((a, b) => a.d - b.d || a.i - b.i).map((x) => x.u)
}
