// What a loader reports about input it could not accept, and the field checks the loaders share. Errors are
// values: a parser returns every problem it finds with the row and field, and the valid rows beside them.

import { DEVICE_ID_PATTERN, createUnitLocator, type Position, type Unit } from '../../contract/index.ts'

export interface RowError {
  /** 1-based feature index (GeoJSON) or line number (CSV, header = 1); 0 for the file as a whole. */
  row: number
  field?: string
  message: string
}

/** Collects the errors of one row; `ok` stays true while none was added. */
export class RowCheck {
  readonly errors: RowError[] = []
  constructor(readonly row: number) {}

  get ok(): boolean {
    return this.errors.length === 0
  }

  fail(field: string | undefined, message: string): void {
    this.errors.push(field === undefined ? { row: this.row, message } : { row: this.row, field, message })
  }

  id(field: string, raw: string): string {
    if (raw === '') this.fail(field, 'is required')
    else if (!DEVICE_ID_PATTERN.test(raw)) this.fail(field, `'${raw}' is not a valid id (1–64 letters, digits, . _ : -, starting with a letter or digit)`)
    return raw
  }

  text(field: string, raw: string): string {
    if (raw === '') this.fail(field, 'is required')
    return raw
  }

  oneOf<T extends string>(field: string, raw: string, allowed: readonly T[]): T {
    if (!(allowed as readonly string[]).includes(raw)) this.fail(field, `'${raw}' is not one of ${allowed.join(', ')}`)
    return raw as T
  }

  coordinate(field: 'lon' | 'lat', raw: string): number {
    const limit = field === 'lon' ? 180 : 90
    const n = decimal(raw)
    if (n === null || Math.abs(n) > limit) this.fail(field, `'${raw}' is not a number between -${limit} and ${limit}`)
    return n ?? 0
  }

  /** A positive whole number; `fallback` when the cell is empty (null means the value stays empty). */
  positiveInteger<F extends number | null>(field: string, raw: string, fallback: F): number | F {
    if (raw === '') return fallback
    const n = decimal(raw)
    if (n === null || !Number.isInteger(n) || n <= 0 || n > 2_147_483_647) this.fail(field, `'${raw}' is not a positive whole number`)
    return n ?? fallback
  }
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/

/** A plain decimal number; hex, empty strings and 'Infinity' (which Number() accepts) are not. */
function decimal(raw: string): number | null {
  if (!DECIMAL.test(raw)) return null
  const n = Number(raw)
  return Number.isFinite(n) ? n : null
}

/** Ids already seen in a file, so a second row with the same id is reported against the first. */
export class DuplicateIds {
  private readonly first = new Map<string, number>()

  check(check: RowCheck, field: string, id: string): void {
    const seen = this.first.get(id)
    if (seen !== undefined) check.fail(field, `duplicate id '${id}' (first on row ${seen})`)
    else if (id !== '') this.first.set(id, check.row)
  }
}

/**
 * Resolves a device's unit: an explicit `unit_id` must name a known unit; an empty one is filled with the
 * deepest unit whose boundary contains the point, or left empty when none does (units not loaded yet).
 */
export function unitResolver(units: readonly Unit[]): (check: RowCheck, raw: string, point: Position | null) => string | null {
  const ids = new Set(units.map((u) => u.id))
  let locate: ((p: Position) => Unit | null) | null = null
  return (check, raw, point) => {
    if (raw !== '') {
      const before = check.errors.length
      check.id('unit_id', raw)
      if (check.errors.length === before && !ids.has(raw)) {
        check.fail('unit_id', `unit '${raw}' is not loaded; load units first or leave unit_id empty to place the device by its coordinates`)
      }
      return raw
    }
    if (!point) return null
    locate ??= createUnitLocator(units)
    return locate(point)?.id ?? null
  }
}
