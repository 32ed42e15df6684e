// The citizen reports' part of a wall dashboard: today's intake and what is open and late (tiles), and the
// agencies with the most overdue reports. dashboards/README.md documents the same table. The wall shows
// figures and categories only: never a reporter, never a description.

import { intIn, z } from '../shared/schema.ts'
import { widget, type WidgetContext } from '../shared/wall.ts'

export const REPORT_WIDGET_LIMITS = { agencyLimit: { min: 3, max: 30, default: 8 }, urgentLimit: { min: 3, max: 30, default: 10 } } as const
const { agencyLimit, urgentLimit } = REPORT_WIDGET_LIMITS

export const REPORT_WIDGETS = {
  /** Reports received today, open, due soon and overdue, across the province. */
  'report-kpis': (ctx: WidgetContext) => widget('report-kpis', {}, ctx),
  /** Agencies by overdue reports (then open ones), most first. */
  'report-agencies': (ctx: WidgetContext) => widget('report-agencies', { limit: intIn(agencyLimit.min, agencyLimit.max).default(agencyLimit.default) }, ctx),
  /** The province map with the open reports as points coloured by SLA state (no description, no reporter). */
  'report-map': (ctx: WidgetContext) => widget('report-map', {}, ctx),
  /** Open reports overdue or due soon, most late first: category, place, agency and deadline (no description). */
  'report-urgent': (ctx: WidgetContext) => widget('report-urgent', { limit: intIn(urgentLimit.min, urgentLimit.max).default(urgentLimit.default) }, ctx),
}

export type ReportKpisWidget = z.output<ReturnType<(typeof REPORT_WIDGETS)['report-kpis']>>
export type ReportAgenciesWidget = z.output<ReturnType<(typeof REPORT_WIDGETS)['report-agencies']>>
export type ReportMapWidget = z.output<ReturnType<(typeof REPORT_WIDGETS)['report-map']>>
export type ReportUrgentWidget = z.output<ReturnType<(typeof REPORT_WIDGETS)['report-urgent']>>

/** GET /api/reports/today: what the wall's report widgets show. */
export interface ReportWallResponse {
  at: string
  receivedToday: number
  open: number
  dueSoon: number
  overdue: number
  /** Open reports per agency (null agency: waiting for the dispatcher), most overdue first. */
  agencies: { agencyId: string | null; name: string; open: number; dueSoon: number; overdue: number }[]
  /** Open reports with a point, for the map: category and SLA state only. */
  points: { id: string; lat: number; lon: number; categoryCode: string; categoryName: string; priority: string; sla: 'none' | 'in_time' | 'due_soon' | 'overdue' }[]
  /** Open reports overdue or due soon, most late first (at most 30). */
  urgent: { id: string; categoryName: string; priority: string; unitName: string | null; agencyName: string | null; sla: 'due_soon' | 'overdue'; dueBy: string; escalated: boolean }[]
}
