// Counter cameras from CSV: `id,name,kind,site,unit_id,lon,lat,capacity,expected_interval_sec`. `site` is
// the service centre or road the camera watches (KPIs are summed per site); `capacity` is the crowd
// threshold of a service-centre camera in people, empty for road cameras.

import { CAMERA_KINDS, z, type Camera, type Unit } from '../../contract/index.ts'
import { formatCsv } from './csv.ts'
import { readDevices } from './devices.ts'
import { coordinateCell, idCell, oneOfCell, optionalIdCell, positiveIntegerCell, textCell, type RowError } from './row-error.ts'

export const CAMERA_COLUMNS = ['id', 'name', 'kind', 'site', 'unit_id', 'lon', 'lat', 'capacity', 'expected_interval_sec'] as const

/** Used when expected_interval_sec is empty: counter cameras report one count per minute. */
export const DEFAULT_CAMERA_INTERVAL_SEC = 60

/** One row's cells, by column name, as a Camera (unitId null when the cell is empty). */
const CameraRow = z
  .object({
    id: idCell,
    name: textCell,
    kind: oneOfCell(CAMERA_KINDS),
    site: textCell,
    unit_id: optionalIdCell,
    lon: coordinateCell(180),
    lat: coordinateCell(90),
    capacity: positiveIntegerCell,
    expected_interval_sec: positiveIntegerCell,
  })
  .transform(
    (r): Camera => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      site: r.site,
      unitId: r.unit_id,
      lon: r.lon,
      lat: r.lat,
      capacity: r.capacity,
      expectedIntervalSec: r.expected_interval_sec ?? DEFAULT_CAMERA_INTERVAL_SEC,
    }),
  )

/** `units`: the units already known, for unit_id checks and lookup by point. */
export function parseCamerasCsv(text: string, units: readonly Unit[]): { cameras: Camera[]; errors: RowError[] } {
  const { rows, errors } = readDevices(text, { columns: CAMERA_COLUMNS, required: ['id', 'name', 'kind', 'site', 'lon', 'lat'] }, CameraRow, units)
  return { cameras: rows, errors }
}

export function formatCamerasCsv(cameras: readonly Camera[]): string {
  return formatCsv(
    CAMERA_COLUMNS,
    cameras.map((c) => [c.id, c.name, c.kind, c.site, c.unitId, c.lon, c.lat, c.capacity, c.expectedIntervalSec]),
  )
}
