// Citizen-report reference data from CSV: the categories (`code,name,name_en,field,priority,description`) and
// the routing rules (`unit_id,category,agency_id`: in this area and below, reports of this category go to this
// agency). Every row is checked and the valid ones kept beside the errors, each naming its row and column.
import { PRIORITY_LEVELS, z, type ReportCategory, type RoutingRule, type Unit } from '../../contract/index.ts'
import { formatCsv, readTable } from './csv.ts'
import { DuplicateIds, checkRow, idCell, inReadingOrder, oneOfCell, textCell, type RowError } from './row-error.ts'

export const REPORT_CATEGORY_COLUMNS = ['code', 'name', 'name_en', 'field', 'priority', 'description'] as const
export const REPORT_ROUTE_COLUMNS = ['unit_id', 'category', 'agency_id'] as const

const CategoryRow = z
  .object({ code: idCell, name: textCell, name_en: z.string(), field: textCell, priority: oneOfCell(PRIORITY_LEVELS), description: z.string() })
  .transform((r): ReportCategory => ({ code: r.code, name: r.name, nameEn: r.name_en, field: r.field, priority: r.priority, description: r.description }))

export function parseReportCategoriesCsv(text: string): { categories: ReportCategory[]; errors: RowError[] } {
  const { rows, errors } = readTable(text, { required: ['code', 'name', 'field', 'priority'], optional: ['name_en', 'description'] })
  const duplicates = new DuplicateIds()
  const categories: ReportCategory[] = []
  for (const { line, cells } of rows) {
    const checked = checkRow(CategoryRow, line, { name_en: '', description: '', ...cells })
    const rowErrors: RowError[] = [...checked.errors]
    const duplicate = duplicates.check(line, 'code', cells.code ?? '')
    if (duplicate) rowErrors.push(duplicate)
    if (rowErrors.length || checked.value === null) errors.push(...rowErrors)
    else categories.push(checked.value)
  }
  return { categories, errors: inReadingOrder(errors, REPORT_CATEGORY_COLUMNS) }
}

/** Rules whose units exist and whose category is one of `categories` (the ones stored plus the file's own). */
export function parseReportRoutesCsv(text: string, units: readonly Pick<Unit, 'id'>[], categories: ReadonlySet<string>): { rules: RoutingRule[]; errors: RowError[] } {
  const { rows, errors } = readTable(text, { required: REPORT_ROUTE_COLUMNS, optional: [] })
  const ids = new Set(units.map((u) => u.id))
  const seen = new DuplicateIds()
  const rules: RoutingRule[] = []
  const Row = z.object({ unit_id: idCell, category: idCell, agency_id: idCell })
  for (const { line, cells } of rows) {
    const checked = checkRow(Row, line, cells)
    const rowErrors: RowError[] = [...checked.errors]
    if (checked.value) {
      const v = checked.value
      if (!ids.has(v.unit_id)) rowErrors.push({ row: line, field: 'unit_id', message: `'${v.unit_id}' is not a unit (load units first)` })
      if (!ids.has(v.agency_id)) rowErrors.push({ row: line, field: 'agency_id', message: `'${v.agency_id}' is not a unit (an agency is a unit: a department, a locality, the centre)` })
      if (!categories.has(v.category)) rowErrors.push({ row: line, field: 'category', message: `'${v.category}' is not a report category (load report-categories first)` })
      const duplicate = seen.check(line, 'unit_id', `${v.unit_id} and ${v.category}`)
      if (duplicate) rowErrors.push({ ...duplicate, message: `a second rule for ${v.unit_id} and ${v.category} ${duplicate.message.replace(/^duplicate id '[^']*' /, '')}` })
    }
    if (rowErrors.length || checked.value === null) errors.push(...rowErrors)
    else rules.push({ unitId: checked.value.unit_id, category: checked.value.category, agencyId: checked.value.agency_id })
  }
  return { rules, errors: inReadingOrder(errors, REPORT_ROUTE_COLUMNS) }
}

export function formatReportCategoriesCsv(categories: readonly ReportCategory[]): string {
  return formatCsv(REPORT_CATEGORY_COLUMNS, categories.map((c) => [c.code, c.name, c.nameEn, c.field, c.priority, c.description]))
}

export function formatReportRoutesCsv(rules: readonly RoutingRule[]): string {
  return formatCsv(REPORT_ROUTE_COLUMNS, rules.map((r) => [r.unitId, r.category, r.agencyId]))
}
