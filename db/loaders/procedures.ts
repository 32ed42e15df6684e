// The procedures catalogue from CSV: `code,name,field,legal_days,online_level,has_fee`, as a province exports
// it from the national database of administrative procedures. Every row is checked and the valid ones are
// kept beside the errors, each naming its row and column.
//
// online_level takes Decree 42/2022's levels (full, partial; also written "toàn trình", "một phần"), the
// legacy levels 1–4 some systems still report, or none ("không", or an empty cell). has_fee takes
// true/false, 1/0, yes/no or có/không; empty is false.

import { ONLINE_LEVELS, z, type OnlineLevel, type Procedure } from '../../contract/index.ts'
import { formatCsv, readTable } from './csv.ts'
import { DuplicateIds, checkRow, idCell, inReadingOrder, says, textCell, type RowError } from './row-error.ts'

export const PROCEDURE_COLUMNS = ['code', 'name', 'field', 'legal_days', 'online_level', 'has_fee'] as const
const REQUIRED = ['code', 'name', 'field', 'legal_days'] as const

/** The legal processing time a catalogue may state, in working days. */
export const MAX_LEGAL_DAYS = 365

/** Spellings of the online levels seen in exports, lower-cased, besides the contract's own. */
const LEVEL_ALIASES: Record<string, OnlineLevel> = {
  '': 'none',
  'toàn trình': 'full',
  'một phần': 'partial',
  không: 'none',
  'mức độ 1': '1',
  'mức độ 2': '2',
  'mức độ 3': '3',
  'mức độ 4': '4',
}
const TRUE = ['true', '1', 'yes', 'có']
const FALSE = ['', 'false', '0', 'no', 'không']

const DECIMAL = /^\d+(?:\.\d+)?$/

const ProcedureRow = z
  .object({
    code: idCell,
    name: textCell,
    field: textCell,
    legal_days: z
      .string()
      .refine((raw) => DECIMAL.test(raw) && Number(raw) <= MAX_LEGAL_DAYS, says((raw) => `'${String(raw)}' is not a number of working days between 0 and ${MAX_LEGAL_DAYS} (0.5 = half a day)`))
      .transform(Number),
    online_level: z
      .string()
      .transform((raw) => raw.toLowerCase())
      .refine((raw) => (ONLINE_LEVELS as readonly string[]).includes(raw) || raw in LEVEL_ALIASES, says((raw) => `'${String(raw)}' is not one of ${ONLINE_LEVELS.join(', ')} (or toàn trình, một phần, không)`))
      .transform((raw) => LEVEL_ALIASES[raw] ?? (raw as OnlineLevel)),
    has_fee: z
      .string()
      .transform((raw) => raw.toLowerCase())
      .refine((raw) => TRUE.includes(raw) || FALSE.includes(raw), says((raw) => `'${String(raw)}' is not true or false`))
      .transform((raw) => TRUE.includes(raw)),
  })
  .transform((r): Procedure => ({ code: r.code, name: r.name, field: r.field, legalDays: r.legal_days, onlineLevel: r.online_level, hasFee: r.has_fee }))

export function parseProceduresCsv(text: string): { procedures: Procedure[]; errors: RowError[] } {
  const { rows, errors } = readTable(text, { required: REQUIRED, optional: PROCEDURE_COLUMNS.filter((c) => !(REQUIRED as readonly string[]).includes(c)) })
  const duplicates = new DuplicateIds()
  const procedures: Procedure[] = []
  for (const { line, cells } of rows) {
    const checked = checkRow(ProcedureRow, line, cells)
    const rowErrors: RowError[] = [...checked.errors]
    const duplicate = duplicates.check(line, 'code', cells.code ?? '')
    if (duplicate) rowErrors.push(duplicate)
    if (rowErrors.length || checked.value === null) errors.push(...rowErrors)
    else procedures.push(checked.value)
  }
  return { procedures, errors: inReadingOrder(errors, PROCEDURE_COLUMNS) }
}

export function formatProceduresCsv(procedures: readonly Procedure[]): string {
  return formatCsv(
    PROCEDURE_COLUMNS,
    procedures.map((p) => [p.code, p.name, p.field, p.legalDays, p.onlineLevel, p.hasFee ? 'true' : 'false']),
  )
}
