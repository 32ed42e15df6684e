// What the device loaders (stations, cameras) share: the CSV read against the loader's columns, each row
// checked by the loader's schema, then the checks that need more than the row: an id repeated in the file,
// an explicit unit_id that is not loaded, and the unit found by point when unit_id is empty.

import type { Unit, z } from '../../contract/index.ts'
import { readTable } from './csv.ts'
import { DuplicateIds, checkRow, inReadingOrder, unitResolver, type RowError } from './row-error.ts'

/** What a device row's schema must produce: `unitId` null when the cell was empty (found by point here). */
export interface DeviceRow {
  id: string
  unitId: string | null
  lon: number
  lat: number
}

/**
 * `columns`: every column the file may have, in the order one row's errors are listed; `required`: those it
 * must have; `units`: the units already known.
 */
export function readDevices<S extends z.ZodType<DeviceRow>>(
  text: string,
  { columns, required }: { columns: readonly string[]; required: readonly string[] },
  schema: S,
  units: readonly Unit[],
): { rows: z.output<S>[]; errors: RowError[] } {
  const { rows, errors } = readTable(text, { required, optional: columns.filter((c) => !required.includes(c)) })
  const resolve = unitResolver(units)
  const duplicates = new DuplicateIds()
  const devices: z.output<S>[] = []
  for (const { line, cells } of rows) {
    const checked = checkRow(schema, line, cells)
    const rowErrors: RowError[] = [...checked.errors]
    // On the cells, not the parsed row: a rejected row's id and unit are still worth reporting.
    const duplicate = duplicates.check(line, 'id', cells.id ?? '')
    if (duplicate) rowErrors.push(duplicate)
    const unitId = cells.unit_id ?? ''
    if (unitId !== '' && !rowErrors.some((e) => e.field === 'unit_id')) {
      const missing = resolve.missing(unitId)
      if (missing) rowErrors.push({ row: line, field: 'unit_id', message: missing })
    }
    if (rowErrors.length || checked.value === null) errors.push(...rowErrors)
    else {
      const device = checked.value
      devices.push(device.unitId === null ? { ...device, unitId: resolve.locate([device.lon, device.lat]) } : device)
    }
  }
  return { rows: devices, errors: inReadingOrder(errors, columns) }
}
