// What a loader reports about input it could not accept, and how a row is checked: a zod schema read through
// check() (contract/shared/schema.ts, the one way the IOC validates input), its issues turned into row errors
// that name the row and the field. Also the cell schemas the CSV loaders share and the checks that look
// beyond one row: repeated ids and the unit a device belongs to. Errors are values: a parser returns every
// problem it finds with the row and field, and the valid rows beside them.

import { DEVICE_ID_PATTERN, check, createUnitLocator, sentence, z, type Issue, type Position, type Unit } from '../../contract/index.ts'

export interface RowError {
  /** 1-based feature index (GeoJSON) or line number (CSV, header = 1); 0 for the file as a whole. */
  row: number
  field?: string
  message: string
}

/**
 * Checks one row (a CSV record, a GeoJSON feature) against its schema: the parsed row, or one error per field
 * at fault. The field is the first step of the issue's path (`geometry` for `geometry.coordinates[0][4]`);
 * only a field's first issue is kept, as a person fixes a field once, whatever was wrong with it.
 */
export function checkRow<S extends z.ZodType>(schema: S, row: number, value: unknown): { value: z.output<S>; errors: [] } | { value: null; errors: RowError[] } {
  const r = check(schema, value)
  if (r.ok) return { value: r.value, errors: [] }
  const errors: RowError[] = []
  const seen = new Set<string>()
  for (const issue of r.issues) {
    const field = issue.path.split(/[.[]/)[0]!
    if (seen.has(field)) continue
    seen.add(field)
    errors.push(field ? { row, field, message: withoutPath(issue) } : { row, message: withoutPath(issue) })
  }
  return { value: null, errors }
}

/** The issue's sentence without the `<path>: ` check() puts first: a row error names its field on its own. */
function withoutPath(issue: Issue): string {
  return issue.path && issue.message.startsWith(`${issue.path}: `) ? issue.message.slice(issue.path.length + 2) : issue.message
}

/** Errors in the order people read them: by row, then by field in the order of `fields` (the loader's columns). */
export function inReadingOrder(errors: RowError[], fields: readonly string[]): RowError[] {
  const at = (e: RowError) => (e.field === undefined ? -1 : fields.indexOf(e.field))
  return errors.sort((a, b) => a.row - b.row || at(a) - at(b))
}

// --- messages ----------------------------------------------------------------------------------------------
// Row errors are sentences about the value found ("'soil' is not one of air, water, noise"), given to zod as
// sentence()s rather than check()'s `expected …, got …` phrases: they are the messages the loaders have always
// printed (`row 3, field lon: 'abc' is not a number between -180 and 180`), and show the value as the file
// has it, in quotes, not as JSON.

/** A zod error that is a sentence of its own, made from the value found. */
export function says(message: (input: unknown) => string): { error: (issue: { input?: unknown }) => string } {
  return { error: (issue) => sentence(message(issue.input)) }
}

export const REQUIRED = sentence('is required')

const invalidId = (raw: unknown) => `'${String(raw)}' is not a valid id (1–64 letters, digits, . _ : -, starting with a letter or digit)`

// --- CSV cells: trimmed strings, '' for an empty cell or an absent optional column --------------------------

/** A device or unit id: a topic level and a URL segment. */
export const idCell = z.string().min(1, { error: REQUIRED, abort: true }).regex(DEVICE_ID_PATTERN, says(invalidId))

/** An id that may be left empty: null then. */
export const optionalIdCell = z
  .string()
  .refine((raw) => raw === '' || DEVICE_ID_PATTERN.test(raw), says(invalidId))
  .transform((raw) => raw || null)

export const textCell = z.string().min(1, { error: REQUIRED })

export function oneOfCell<T extends string>(values: readonly T[]) {
  return z.enum(values as readonly T[] as [T, ...T[]], says((raw) => `'${String(raw)}' is not one of ${values.join(', ')}`))
}

/** A longitude (limit 180) or latitude (limit 90) in degrees. */
export function coordinateCell(limit: 90 | 180) {
  return z
    .string()
    .refine((raw) => Math.abs(decimal(raw) ?? Infinity) <= limit, says((raw) => `'${String(raw)}' is not a number between -${limit} and ${limit}`))
    .transform(Number)
}

/** A positive whole number that fits a PostgreSQL integer; null when the cell is empty (the loader's default). */
export const positiveIntegerCell = z
  .string()
  .refine((raw) => {
    if (raw === '') return true
    const n = decimal(raw)
    return n !== null && Number.isInteger(n) && n > 0 && n <= 2_147_483_647
  }, says((raw) => `'${String(raw)}' is not a positive whole number`))
  .transform((raw) => (raw === '' ? null : Number(raw)))

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/

/** A plain decimal number; hex, empty strings and 'Infinity' (which Number() accepts) are not. */
function decimal(raw: string): number | null {
  if (!DECIMAL.test(raw)) return null
  const n = Number(raw)
  return Number.isFinite(n) ? n : null
}

// --- checks beyond one row ---------------------------------------------------------------------------------

/** Ids already seen in a file, so a second row with the same id is reported against the first. */
export class DuplicateIds {
  private readonly first = new Map<string, number>()

  /** The error for `id` on `row` when an earlier row had it; a rejected row's id counts too. */
  check(row: number, field: string, id: string): RowError | null {
    const seen = this.first.get(id)
    if (seen !== undefined) return { row, field, message: `duplicate id '${id}' (first on row ${seen})` }
    if (id !== '') this.first.set(id, row)
    return null
  }
}

/**
 * The unit a device belongs to: an explicit `unit_id` must name a known unit; an empty one is filled with the
 * deepest unit whose boundary contains the device's point, or left empty when none does (units not loaded yet).
 */
export function unitResolver(units: readonly Unit[]): { missing(unitId: string): string | null; locate(point: Position): string | null } {
  const ids = new Set(units.map((u) => u.id))
  let locate: ((p: Position) => Unit | null) | null = null
  return {
    missing: (unitId) =>
      ids.has(unitId) ? null : `unit '${unitId}' is not loaded; load units first or leave unit_id empty to place the device by its coordinates`,
    locate: (point) => {
      locate ??= createUnitLocator(units) // built on first use: a file of explicit unit ids never needs it
      return locate(point)?.id ?? null
    },
  }
}
