// Environment stations from CSV: `id,name,kind,unit_id,lon,lat,expected_interval_sec`. A city exports its
// station list from a spreadsheet; every row is checked and the valid ones are kept beside the errors.

import { STATION_KINDS, type Position, type Station, type StationKind, type Unit } from '../../contract/index.ts'
import { formatCsv, readTable } from './csv.ts'
import { DuplicateIds, RowCheck, unitResolver, type RowError } from './row-error.ts'

export const STATION_COLUMNS = ['id', 'name', 'kind', 'unit_id', 'lon', 'lat', 'expected_interval_sec'] as const

/** Used when expected_interval_sec is empty: automatic air and noise stations report every minute, water every 5. */
export const DEFAULT_STATION_INTERVAL_SEC: Record<StationKind, number> = { air: 60, water: 300, noise: 60 }

/** `units`: the units already known (loaded or in the same batch), for unit_id checks and lookup by point. */
export function parseStationsCsv(text: string, units: readonly Unit[]): { stations: Station[]; errors: RowError[] } {
  const { rows, errors } = readTable(text, { required: ['id', 'name', 'kind', 'lon', 'lat'], optional: ['unit_id', 'expected_interval_sec'] })
  const resolveUnit = unitResolver(units)
  const duplicates = new DuplicateIds()
  const stations: Station[] = []
  for (const row of rows) {
    const check = new RowCheck(row.line)
    const id = check.id('id', row.get('id'))
    duplicates.check(check, 'id', id)
    const name = check.text('name', row.get('name'))
    const kind = check.oneOf('kind', row.get('kind'), STATION_KINDS)
    const before = check.errors.length
    const point: Position = [check.coordinate('lon', row.get('lon')), check.coordinate('lat', row.get('lat'))]
    const unitId = resolveUnit(check, row.get('unit_id'), check.errors.length === before ? point : null)
    const fallback = DEFAULT_STATION_INTERVAL_SEC[kind] ?? 60
    const expectedIntervalSec = check.positiveInteger('expected_interval_sec', row.get('expected_interval_sec'), fallback)
    if (check.ok) stations.push({ id, name, kind, unitId, lon: point[0], lat: point[1], expectedIntervalSec })
    else errors.push(...check.errors)
  }
  return { stations, errors: errors.sort((a, b) => a.row - b.row) }
}

export function formatStationsCsv(stations: readonly Station[]): string {
  return formatCsv(
    STATION_COLUMNS,
    stations.map((s) => [s.id, s.name, s.kind, s.unitId, s.lon, s.lat, s.expectedIntervalSec]),
  )
}
