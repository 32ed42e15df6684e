// Working-day calendar overrides from CSV: `day,working,note`, the province's yearly announcement of days
// off and make-up working days, e.g. `2026-02-14,true,Làm bù` or `2026-04-27,false,Nghỉ bù Giỗ Tổ`. Each
// row replaces the seeded holiday of its day (contract/shared/calendar.ts: overrides win).

import { z, type CalendarDay } from '../../contract/index.ts'
import { formatCsv, readTable } from './csv.ts'
import { DuplicateIds, REQUIRED, checkRow, inReadingOrder, says, type RowError } from './row-error.ts'

export const CALENDAR_COLUMNS = ['day', 'working', 'note'] as const

const TRUE = ['true', '1', 'yes', 'có']
const FALSE = ['false', '0', 'no', 'không']

/** A real calendar date written YYYY-MM-DD (2026-02-30 is refused). */
function isDate(raw: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) return false
  const t = Date.parse(`${raw}T00:00:00Z`)
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === raw
}

const CalendarRow = z
  .object({
    day: z
      .string()
      .min(1, { error: REQUIRED, abort: true })
      .refine(isDate, says((raw) => `'${String(raw)}' is not a date written YYYY-MM-DD`)),
    working: z
      .string()
      .min(1, { error: REQUIRED, abort: true })
      .transform((raw) => raw.toLowerCase())
      .refine((raw) => TRUE.includes(raw) || FALSE.includes(raw), says((raw) => `'${String(raw)}' is not true (a working day) or false (a day off)`))
      .transform((raw) => TRUE.includes(raw)),
    note: z.string(),
  })
  .transform((r): CalendarDay => ({ day: r.day, working: r.working, note: r.note }))

export function parseCalendarCsv(text: string): { days: CalendarDay[]; errors: RowError[] } {
  const { rows, errors } = readTable(text, { required: ['day', 'working'], optional: ['note'] })
  const duplicates = new DuplicateIds()
  const days: CalendarDay[] = []
  for (const { line, cells } of rows) {
    const checked = checkRow(CalendarRow, line, cells)
    const rowErrors: RowError[] = [...checked.errors]
    const duplicate = duplicates.check(line, 'day', cells.day ?? '')
    if (duplicate) rowErrors.push({ ...duplicate, message: duplicate.message.replace('duplicate id', 'repeated day') })
    if (rowErrors.length || checked.value === null) errors.push(...rowErrors)
    else days.push(checked.value)
  }
  return { days, errors: inReadingOrder(errors, CALENDAR_COLUMNS) }
}

export function formatCalendarCsv(days: readonly CalendarDay[]): string {
  return formatCsv(CALENDAR_COLUMNS, days.map((d) => [d.day, d.working ? 'true' : 'false', d.note]))
}
