// A city's own report categories and routing rules from CSV: valid rows kept, each bad one named by row and
// field, and the files the writers produce read back the same.
import { describe, expect, it } from 'vitest'
import { DEMO_REPORT_CATEGORIES } from '../../contract/index.ts'
import { formatReportCategoriesCsv, formatReportRoutesCsv, parseReportCategoriesCsv, parseReportRoutesCsv } from '../../db/loaders/index.ts'

const UNITS = [{ id: 'HN' }, { id: 'HN-HK' }, { id: 'HN-SXD' }]

describe('report categories from CSV', () => {
  it('reads the writer’s file back the same', () => {
    expect(parseReportCategoriesCsv(formatReportCategoriesCsv(DEMO_REPORT_CATEGORIES))).toEqual({ categories: DEMO_REPORT_CATEGORIES, errors: [] })
  })

  it('keeps the good rows and names each bad one', () => {
    const r = parseReportCategoriesCsv('code,name,field,priority\nflood,Ngập lụt,Nước,urgent\nnoise,Tiếng ồn,Môi trường,soon\n,Không mã,Khác,normal\nflood,Ngập,Nước,normal\n')
    expect(r.categories.map((c) => c.code)).toEqual(['flood'])
    expect(r.errors).toEqual([
      { row: 3, field: 'priority', message: "'soon' is not one of urgent, complex, normal" },
      { row: 4, field: 'code', message: 'is required' },
      { row: 5, field: 'code', message: "duplicate id 'flood' (first on row 2)" },
    ])
  })
})

describe('report routing rules from CSV', () => {
  it('reads the writer’s file back the same', () => {
    const rules = [
      { unitId: 'HN', category: 'power', agencyId: 'HN-SXD' },
      { unitId: 'HN-HK', category: 'env-waste', agencyId: 'HN-HK' },
    ]
    expect(parseReportRoutesCsv(formatReportRoutesCsv(rules), UNITS, new Set(['power', 'env-waste']))).toEqual({ rules, errors: [] })
  })

  it('refuses unknown units, agencies and categories, and a second rule for the same place and category', () => {
    const r = parseReportRoutesCsv('unit_id,category,agency_id\nHN,power,HN-SXD\nHN-X,power,HN-SXD\nHN,water,HN-Y\nHN,power,HN-HK\n', UNITS, new Set(['power']))
    expect(r.rules).toEqual([{ unitId: 'HN', category: 'power', agencyId: 'HN-SXD' }])
    expect(r.errors.map((e) => `${e.row} ${e.field}: ${e.message}`)).toEqual([
      "3 unit_id: 'HN-X' is not a unit (load units first)",
      "4 category: 'water' is not a report category (load report-categories first)",
      "4 agency_id: 'HN-Y' is not a unit (an agency is a unit: a department, a locality, the centre)",
      '5 unit_id: a second rule for HN and power (first on row 2)',
    ])
  })
})
