// Environment stations from CSV: `id,name,kind,unit_id,lon,lat,expected_interval_sec`. A city exports its
// station list from a spreadsheet; every row is checked and the valid ones are kept beside the errors.

import { STATION_KINDS, z, type Station, type StationKind, type Unit } from '../../contract/index.ts'
import { formatCsv } from './csv.ts'
import { readDevices } from './devices.ts'
import { coordinateCell, idCell, oneOfCell, optionalIdCell, positiveIntegerCell, textCell, type RowError } from './row-error.ts'

export const STATION_COLUMNS = ['id', 'name', 'kind', 'unit_id', 'lon', 'lat', 'expected_interval_sec'] as const

/** Used when expected_interval_sec is empty: automatic air and noise stations report every minute, water every 5. */
export const DEFAULT_STATION_INTERVAL_SEC: Record<StationKind, number> = { air: 60, water: 300, noise: 60 }

/** One row's cells, by column name, as a Station (unitId null when the cell is empty). */
const StationRow = z
  .object({
    id: idCell,
    name: textCell,
    kind: oneOfCell(STATION_KINDS),
    unit_id: optionalIdCell,
    lon: coordinateCell(180),
    lat: coordinateCell(90),
    expected_interval_sec: positiveIntegerCell,
  })
  .transform(
    (r): Station => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      unitId: r.unit_id,
      lon: r.lon,
      lat: r.lat,
      expectedIntervalSec: r.expected_interval_sec ?? DEFAULT_STATION_INTERVAL_SEC[r.kind],
    }),
  )

/** `units`: the units already known (loaded or in the same batch), for unit_id checks and lookup by point. */
export function parseStationsCsv(text: string, units: readonly Unit[]): { stations: Station[]; errors: RowError[] } {
  const { rows, errors } = readDevices(text, { columns: STATION_COLUMNS, required: ['id', 'name', 'kind', 'lon', 'lat'] }, StationRow, units)
  return { stations: rows, errors }
}

export function formatStationsCsv(stations: readonly Station[]): string {
  return formatCsv(
    STATION_COLUMNS,
    stations.map((s) => [s.id, s.name, s.kind, s.unitId, s.lon, s.lat, s.expectedIntervalSec]),
  )
}
