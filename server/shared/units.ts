// The unit tree every domain places its items in: loaded at start, re-read when it changes, served as
// GeoJSON at /api/units, and the `?unit=` filter every list route shares (a unit and everything below it).
import type { Router } from 'express'
import { SHARED_ROUTES, unitSubtree, type Unit, type UnitsResponse } from '../../contract/index.ts'
import type { Queryable } from '../../db/database.ts'
import { loadUnits, tableStamp } from '../../db/reference.ts'
import { get, HttpProblem } from './http.ts'

export class UnitTree {
  private units: Unit[] = []
  private stamp = ''

  constructor(private readonly db: Queryable) {}

  get all(): readonly Unit[] {
    return this.units
  }

  names(): Map<string, string> {
    return new Map(this.units.map((u) => [u.id, u.name]))
  }

  /** Re-reads the units when their version stamp moved; true when they changed. */
  async reload(): Promise<boolean> {
    const stamp = await tableStamp(this.db, 'units')
    if (stamp === this.stamp) return false
    this.units = await loadUnits(this.db)
    this.stamp = stamp
    return true
  }

  routes(router: Router): void {
    get(router, SHARED_ROUTES.units, () => unitsGeoJson(this.units))
  }
}

export function unitsGeoJson(units: readonly Unit[]): UnitsResponse {
  return {
    type: 'FeatureCollection',
    features: units.map((u) => ({
      type: 'Feature',
      id: u.id,
      properties: { id: u.id, parentId: u.parentId, name: u.name, level: u.level, type: u.type, approximate: u.approximate },
      geometry: u.geometry,
    })),
  }
}

/** `?unit=`: null when absent, the unit's subtree when it names a unit, a 400 naming `unit` otherwise. */
export function unitFilter(units: readonly Unit[], raw: string | undefined): Set<string> | null {
  if (raw === undefined) return null
  const subtree = unitSubtree(units, raw)
  if (!subtree) throw new HttpProblem(400, { code: 'bad_request', field: 'unit', message: `unit: '${raw.slice(0, 40)}' is not a unit id (see /api/units)` })
  return subtree
}
