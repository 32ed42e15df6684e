// The citizen reports' reference data: categories with their priority level, and the routing rules.
import type { ReportCategory, RoutingRule } from '../contract/index.ts'
import type { Queryable } from './database.ts'

/** Seeds categories and routing rules when there are none (the demo province, or a fresh install's defaults). */
export async function seedReportReference(db: Queryable, categories: readonly ReportCategory[], rules: readonly RoutingRule[]): Promise<{ categories: number; routes: number }> {
  const any = await db.query(`SELECT 1 FROM report_categories LIMIT 1`)
  if ((any.rowCount ?? 0) > 0) return { categories: 0, routes: 0 }
  for (const c of categories) {
    await db.query(`INSERT INTO report_categories (code, name, name_en, field, priority, description) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING`, [
      c.code,
      c.name,
      c.nameEn,
      c.field,
      c.priority,
      c.description,
    ])
  }
  if (rules.length) {
    await db.query(
      `INSERT INTO report_routes (unit_id, category_code, agency_id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
      [rules.map((r) => r.unitId), rules.map((r) => r.category), rules.map((r) => r.agencyId)],
    )
  }
  return { categories: categories.length, routes: rules.length }
}

/** The active categories (the simulator's desk sends reports in them). */
export async function loadReportCategories(db: Queryable): Promise<ReportCategory[]> {
  const r = await db.query(`SELECT code, name, name_en, field, priority, description FROM report_categories WHERE active ORDER BY code`)
  return r.rows.map((c) => ({ code: c.code, name: c.name, nameEn: c.name_en, field: c.field, priority: c.priority, description: c.description }))
}
