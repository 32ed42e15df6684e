// Counter cameras from CSV: `id,name,kind,site,unit_id,lon,lat,capacity,expected_interval_sec`. `site` is
// the service centre or road the camera watches (KPIs are summed per site); `capacity` is the crowd
// threshold of a service-centre camera in people, empty for road cameras.

import { CAMERA_KINDS, type Camera, type Position, type Unit } from '../../contract/index.ts'
import { formatCsv, readTable } from './csv.ts'
import { DuplicateIds, RowCheck, unitResolver, type RowError } from './row-error.ts'

export const CAMERA_COLUMNS = ['id', 'name', 'kind', 'site', 'unit_id', 'lon', 'lat', 'capacity', 'expected_interval_sec'] as const

/** Used when expected_interval_sec is empty: counter cameras report one count per minute. */
export const DEFAULT_CAMERA_INTERVAL_SEC = 60

/** `units`: the units already known, for unit_id checks and lookup by point. */
export function parseCamerasCsv(text: string, units: readonly Unit[]): { cameras: Camera[]; errors: RowError[] } {
  const { rows, errors } = readTable(text, {
    required: ['id', 'name', 'kind', 'site', 'lon', 'lat'],
    optional: ['unit_id', 'capacity', 'expected_interval_sec'],
  })
  const resolveUnit = unitResolver(units)
  const duplicates = new DuplicateIds()
  const cameras: Camera[] = []
  for (const row of rows) {
    const check = new RowCheck(row.line)
    const id = check.id('id', row.get('id'))
    duplicates.check(check, 'id', id)
    const name = check.text('name', row.get('name'))
    const kind = check.oneOf('kind', row.get('kind'), CAMERA_KINDS)
    const site = check.text('site', row.get('site'))
    const before = check.errors.length
    const point: Position = [check.coordinate('lon', row.get('lon')), check.coordinate('lat', row.get('lat'))]
    const unitId = resolveUnit(check, row.get('unit_id'), check.errors.length === before ? point : null)
    const capacity = check.positiveInteger('capacity', row.get('capacity'), null)
    const expectedIntervalSec = check.positiveInteger('expected_interval_sec', row.get('expected_interval_sec'), DEFAULT_CAMERA_INTERVAL_SEC)
    if (check.ok) cameras.push({ id, name, kind, site, unitId, lon: point[0], lat: point[1], capacity, expectedIntervalSec })
    else errors.push(...check.errors)
  }
  return { cameras, errors: errors.sort((a, b) => a.row - b.row) }
}

export function formatCamerasCsv(cameras: readonly Camera[]): string {
  return formatCsv(
    CAMERA_COLUMNS,
    cameras.map((c) => [c.id, c.name, c.kind, c.site, c.unitId, c.lon, c.lat, c.capacity, c.expectedIntervalSec]),
  )
}
