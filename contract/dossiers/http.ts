// The dossiers' REST routes: period KPIs with the 766 index, rankings, the monthly trend, the procedure
// breakdown, the dossiers behind any number (paged), one dossier's timeline, exports, the wall's summary,
// the procedures catalogue and the working-day calendar. Periods are Vietnam days, inclusive; `unit` includes
// the units below it (default: the caller's scope, else the province).

import type { CalendarDay } from '../shared/calendar.ts'
import { CALENDAR_DATE } from '../shared/http.ts'
import { route, write } from '../shared/routes.ts'
import { sentence, z } from '../shared/schema.ts'
import type { UnitType } from '../shared/units.ts'
import type { Channel, DossierEventName } from './feed.ts'
import type { Index766, PeriodKpis } from './kpis.ts'
import type { ProceduresResponse } from './procedures.ts'
import type { Judgement } from './rules.ts'

const DATE = CALENDAR_DATE

/** The longest period one query may cover (ten years: rankings over a decade are still one query). */
export const MAX_PERIOD_DAYS = 3660

export const periodQuery = z
  .object({ unit: z.string().max(64).optional(), from: DATE, to: DATE })
  .refine((q) => q.from <= q.to, { path: ['to'], error: sentence('must not be before from') })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_PERIOD_DAYS, { path: ['to'], error: sentence(`a period covers at most ${MAX_PERIOD_DAYS} days`) })
export type PeriodQuery = z.input<typeof periodQuery>

export const RANKED_TYPES = ['department', 'locality', 'centre'] as const satisfies readonly UnitType[]
export type RankedType = (typeof RANKED_TYPES)[number]

export const LIST_FILTERS = ['received', 'counter', 'online', 'post', 'done', 'early', 'on_time', 'late', 'in_progress', 'in_time', 'overdue', 'due_soon', 'late_or_overdue'] as const
export type ListFilter = (typeof LIST_FILTERS)[number]

export const rankingQuery = z.intersection(periodQuery, z.object({ type: z.enum(RANKED_TYPES, { error: `one of ${RANKED_TYPES.join(', ')}` }) }))
export type RankingQuery = z.input<typeof rankingQuery>

export const listQuery = z.intersection(
  periodQuery,
  z.object({
    filter: z.enum(LIST_FILTERS, { error: `one of ${LIST_FILTERS.join(', ')}` }).default('late_or_overdue'),
    procedure: z.string().max(64).optional(),
    page: z.coerce.number({ error: 'a page number ≥ 1' }).int({ error: 'a page number ≥ 1' }).min(1, { error: 'a page number ≥ 1' }).default(1),
    pageSize: z.coerce.number({ error: 'an integer 1–500' }).int({ error: 'an integer 1–500' }).min(1, { error: 'an integer 1–500' }).max(500, { error: 'an integer 1–500' }).default(50),
  }),
)
export type ListQuery = z.input<typeof listQuery>

export const EXPORT_VIEWS = ['rankings', 'procedures', 'trend', 'list', 'index766'] as const
export type ExportView = (typeof EXPORT_VIEWS)[number]
export const exportQuery = z.intersection(
  listQuery,
  z.object({
    view: z.enum(EXPORT_VIEWS, { error: `one of ${EXPORT_VIEWS.join(', ')}` }),
    format: z.enum(['csv', 'xlsx'], { error: "'csv' or 'xlsx'" }),
    type: z.enum(RANKED_TYPES, { error: `one of ${RANKED_TYPES.join(', ')}` }).optional(),
  }),
)
export type ExportQuery = z.input<typeof exportQuery>

export interface UnitRef {
  id: string
  name: string
  type: UnitType
}

/** GET /api/dossiers/kpis */
export interface DossierKpisResponse extends PeriodKpis {
  unit: UnitRef
  from: string
  to: string
  /** The instant open dossiers were judged at: the end of `to`, or now when the period has not ended. */
  judgedAt: string
  /**
   * The first day (YYYY-MM-DD) the IOC holds dossier data for, null when it holds none: a period that starts
   * earlier is counted from that day only (an IOC started mid-year, a history still loading), and says so.
   */
  dataFrom: string | null
  index766: Index766
}

export interface RankingRow {
  /** 1 = best; null: below the minimum volume, listed after the ranked units. */
  rank: number | null
  unit: UnitRef
  received: number
  online: number
  done: number
  early: number
  onTime: number
  late: number
  inProgress: number
  overdue: number
  onTimeRate: number | null
  onlineRate: number | null
  /** Points of the measured 766 indicators, out of `measuredMax`. */
  score766: number
  measuredMax: number
}

/** GET /api/dossiers/rankings: ranked by on-time rate, then online rate, then volume. */
export interface RankingResponse {
  from: string
  to: string
  type: RankedType
  /** Units judged on fewer dossiers (done + overdue) are listed but not ranked (DOSSIER_RANKING_MIN). */
  minVolume: number
  rows: RankingRow[]
}

export interface TrendPoint {
  /** YYYY-MM */
  month: string
  received: number
  online: number
  done: number
  early: number
  onTime: number
  late: number
  /** Early + on time ÷ done (the month's open dossiers are in the period KPIs, not the trend). */
  onTimeRate: number | null
  onlineRate: number | null
}
/** GET /api/dossiers/trend: one point per calendar month the period touches. */
export interface TrendResponse {
  unit: UnitRef
  from: string
  to: string
  months: TrendPoint[]
}

export interface ProcedureRow {
  code: string
  name: string
  field: string
  legalDays: number
  received: number
  online: number
  done: number
  early: number
  onTime: number
  late: number
  inProgress: number
  overdue: number
  onTimeRate: number | null
}
/** GET /api/dossiers/procedures: the procedures handled in the period, most late first. */
export interface ProcedureBreakdownResponse {
  unit: UnitRef
  from: string
  to: string
  rows: ProcedureRow[]
}

export interface DossierListRow {
  id: string
  unitId: string | null
  unitName: string | null
  procedureCode: string | null
  procedureName: string | null
  channel: Channel | null
  receivedAt: string | null
  dueAt: string | null
  endAt: string | null
  status: 'done' | 'in_progress'
  judgement: Judgement | null
  overdue: boolean
  dueSoon: boolean
  /** Working days past the due date (at the end, or at the period's end for an open dossier). */
  daysLate: number
}
/** GET /api/dossiers/list: the dossiers behind a number, paged. */
export interface DossierListResponse {
  unit: UnitRef
  from: string
  to: string
  filter: ListFilter
  total: number
  page: number
  pageSize: number
  rows: DossierListRow[]
}

export interface TimelineEvent {
  event: DossierEventName
  ts: string
  systemId: string
  unitId: string | null
  toUnitId: string | null
  channel: Channel | null
  appointmentAt: string | null
  online: boolean | null
  electronicResult: boolean | null
}
/** GET /api/dossiers/:id: the dossier as judged now, and every event stored for it. */
export interface DossierTimelineResponse {
  dossier: DossierListRow & { procedureLegalDays: number | null; supplementRequests: number; rescheduled: number; waiting: boolean }
  events: TimelineEvent[]
}

/** GET /api/dossiers/today: what the wall's dossier widgets show (the province, month to date). */
export interface DossierWallResponse {
  from: string
  to: string
  kpis: PeriodKpis
  departments: RankingRow[]
  localities: RankingRow[]
  dueSoon: DossierListRow[]
}

export const calendarQuery = z.object({
  year: z.coerce.number({ error: 'a year 2000–2099' }).int({ error: 'a year 2000–2099' }).min(2000, { error: 'a year 2000–2099' }).max(2099, { error: 'a year 2000–2099' }),
})
export interface CalendarResponse {
  year: number
  hours: { weekdays: number[]; periods: [string, string][] }
  /** Every day off or worked against the rule in the year, seeded holidays and overrides. */
  days: (CalendarDay & { source: 'holiday' | 'override' })[]
}
export const calendarDayBody = z.strictObject({
  working: z.boolean({ error: 'true (a working day) or false (a day off)' }),
  note: z.string({ error: 'a text' }).max(200, { error: 'at most 200 characters' }).default(''),
})
export type CalendarDayBody = z.input<typeof calendarDayBody>

export const DOSSIER_ROUTES = {
  dossierKpis: route<PeriodQuery, DossierKpisResponse>()('/api/dossiers/kpis', 'dossiers:read'),
  dossierRankings: route<RankingQuery, RankingResponse>()('/api/dossiers/rankings', 'dossiers:read'),
  dossierTrend: route<PeriodQuery, TrendResponse>()('/api/dossiers/trend', 'dossiers:read'),
  dossierProcedures: route<PeriodQuery, ProcedureBreakdownResponse>()('/api/dossiers/procedures', 'dossiers:read'),
  dossierList: route<ListQuery, DossierListResponse>()('/api/dossiers/list', 'dossiers:read'),
  dossierExport: route<ExportQuery, Blob>()('/api/dossiers/export', 'dossiers:read'),
  dossierWall: route<Record<string, never>, DossierWallResponse>()('/api/dossiers/today', 'live:read'),
  // after the fixed paths above, which it would otherwise take for an id
  dossier: route<Record<string, never>, DossierTimelineResponse>()('/api/dossiers/:id', 'dossiers:read'),
  procedures: route<Record<string, never>, ProceduresResponse>()('/api/procedures', 'dossiers:read'),
  calendar: route<{ year: number }, CalendarResponse>()('/api/calendar', 'dossiers:read'),
  calendarDay: write<CalendarDayBody, CalendarResponse>()('PUT', '/api/calendar/:day', 'reference:manage'),
  calendarDayReset: write<Record<string, never>, CalendarResponse>()('DELETE', '/api/calendar/:day', 'reference:manage'),
}
