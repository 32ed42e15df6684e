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

/** Adds or replaces categories by code (a city's own list; the seed's stay unless replaced). */
export async function upsertReportCategories(db: Queryable, categories: readonly ReportCategory[]): Promise<number> {
  if (categories.length === 0) return 0
  const r = await db.query(
    `INSERT INTO report_categories (code, name, name_en, field, priority, description)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
     ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, field = EXCLUDED.field, priority = EXCLUDED.priority,
       description = EXCLUDED.description, active = true, updated_at = now()`,
    [categories.map((c) => c.code), categories.map((c) => c.name), categories.map((c) => c.nameEn), categories.map((c) => c.field), categories.map((c) => c.priority), categories.map((c) => c.description)],
  )
  return r.rowCount ?? 0
}

/** Adds or replaces routing rules by (unit, category). */
export async function upsertReportRoutes(db: Queryable, rules: readonly RoutingRule[]): Promise<number> {
  if (rules.length === 0) return 0
  const r = await db.query(
    `INSERT INTO report_routes (unit_id, category_code, agency_id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (unit_id, category_code) DO UPDATE SET agency_id = EXCLUDED.agency_id, updated_at = now()`,
    [rules.map((x) => x.unitId), rules.map((x) => x.category), rules.map((x) => x.agencyId)],
  )
  return r.rowCount ?? 0
}

export async function loadReportRoutes(db: Queryable): Promise<RoutingRule[]> {
  const r = await db.query(`SELECT unit_id, category_code, agency_id FROM report_routes ORDER BY unit_id, category_code`)
  return r.rows.map((x) => ({ unitId: x.unit_id, category: x.category_code, agencyId: x.agency_id }))
}
