// The consoles' REST routes: the dispatcher's queue and the agency's inbox (one list, scoped by who asks), one
// report with its history, duplicate suggestions and proposed route, the actions of the life cycle, a report
// taken by phone, and the contact details (a separate, audited read). Open311's own routes live on
// /open311/v2 (contract/reports/open311.ts).

import { CALENDAR_DATE } from '../shared/http.ts'
import { route, write } from '../shared/routes.ts'
import { z } from '../shared/schema.ts'
import type { ReportCategory } from './categories.ts'
import type { ReportWallResponse } from './widgets.ts'
import { REJECT_REASONS, REPORT_STATES, type ReportAction, type ReportState } from './lifecycle.ts'
import { PRIORITY_LEVELS, type PriorityLevel, type SlaState } from './sla.ts'

export const REPORT_ID = z.string().regex(/^[1-9]\d{0,17}$/, { error: 'a report id (digits)' })

export const reportListQuery = z.object({
  state: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',') : undefined))
    .pipe(z.array(z.enum(REPORT_STATES, { error: `states among ${REPORT_STATES.join(', ')}` })).optional()),
  /** 'open' (not closed), 'closed', or 'all' (default 'open'). */
  status: z.enum(['open', 'closed', 'all'], { error: "'open', 'closed' or 'all'" }).default('open'),
  agency: z.string().max(64).optional(),
  category: z.string().max(64).optional(),
  sla: z.enum(['due_soon', 'overdue'], { error: "'due_soon' or 'overdue'" }).optional(),
  q: z.string().trim().max(200).optional(),
  page: z.coerce.number({ error: 'a page number' }).int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number({ error: 'a page size 1–200' }).int().min(1).max(200).default(50),
  /** '1': the answer carries `points`, where every report the filters match is (the dispatcher's map). */
  points: z.enum(['0', '1'], { error: "'0' or '1'" }).default('0'),
})
export type ReportListQuery = z.output<typeof reportListQuery>

export interface ReportSla {
  phase: 'accept' | 'resolve' | null
  state: SlaState
  dueBy: string | null
}

export interface ReportListItem {
  id: string
  state: ReportState
  categoryCode: string
  categoryName: string
  priority: PriorityLevel
  description: string
  address: string | null
  lat: number | null
  lon: number | null
  unitId: string | null
  unitName: string | null
  agencyId: string | null
  agencyName: string | null
  source: 'open311' | 'mqtt' | 'console'
  receivedAt: string
  updatedAt: string
  sla: ReportSla
  extensionPending: boolean
  escalated: boolean
  mediaUrls: string[]
}

/** A report on the dispatcher's map: where it is and how its deadline stands. */
export interface ReportPoint {
  id: string
  lat: number
  lon: number
  sla: SlaState
  categoryName: string
}

export interface ReportListResponse {
  total: number
  page: number
  pageSize: number
  items: ReportListItem[]
  /** With `points=1`: every report the filters match that has a location, not only this page's. */
  points?: ReportPoint[]
}

export interface ReportEventView {
  at: string
  action: string
  fromState: ReportState | null
  toState: ReportState
  actorName: string
  actorKind: string
  agencyId: string | null
  note: string | null
  public: boolean
}

export interface ReportDetail extends ReportListItem {
  result: string | null
  statusNotes: string | null
  rejectReason: string | null
  duplicateOf: string | null
  satisfied: boolean | null
  ratingComment: string | null
  extensionUntil: string | null
  attributes: Record<string, unknown>
  hasContact: boolean
  events: ReportEventView[]
  /** Open reports of the same category nearby (dispatchers only). */
  duplicates: { id: string; meters: number; description: string; state: ReportState; receivedAt: string }[]
  /** Where the routing rules send it now (dispatchers only). */
  proposedRoute: { agencyId: string; agencyName: string; byRule: boolean } | null
  /** The actions the caller may take now. */
  actions: ReportAction[]
  /** Photos uploaded to the IOC: the reporter's and the agency's result (URLs need the caller's session). */
  photos: ReportPhotoView[]
}

export interface ReportPhotoView {
  id: string
  kind: 'report' | 'result'
  url: string
  thumbUrl: string
  width: number
  height: number
}

export interface ReportContact {
  name: string | null
  phone: string | null
  email: string | null
  deviceId: string | null
}

/** A report taken by phone at the dispatcher console. */
export const consoleReportBody = z.object({
  categoryCode: z.string({ error: 'a category code' }).min(1).max(64),
  description: z.string({ error: 'a description' }).trim().min(1, { error: 'a description' }).max(4000),
  lat: z.number().min(-90).max(90).optional(),
  lon: z.number().min(-180).max(180).optional(),
  address: z.string().trim().max(500).optional(),
  contact: z
    .object({ name: z.string().trim().max(200).optional(), phone: z.string().trim().max(20).optional(), email: z.string().trim().max(200).optional() })
    .default({}),
})
export type ConsoleReportBody = z.output<typeof consoleReportBody>

const note = z.string().trim().max(4000)
/** An action on a report, with what it needs. */
export const reportActionBody = z.discriminatedUnion(
  'action',
  [
    z.object({
      action: z.literal('classify'),
      categoryCode: z.string().min(1).max(64).optional(),
      priority: z.enum(PRIORITY_LEVELS).optional(),
      // a corrected place (the caller's address, found on the map): the unit and the proposed route follow it
      lat: z.number().min(-90).max(90).optional(),
      lon: z.number().min(-180).max(180).optional(),
      address: z.string().trim().max(500).optional(),
      note: note.optional(),
    }),
    z.object({ action: z.literal('forward'), agencyId: z.string({ error: 'the agency (a unit id) to forward to' }).min(1).max(64), note: note.optional() }),
    z.object({ action: z.literal('reject'), reason: z.enum(REJECT_REASONS, { error: `one of ${REJECT_REASONS.join(', ')}` }), note: note.optional() }),
    z.object({ action: z.literal('mark_duplicate'), duplicateOf: REPORT_ID, note: note.optional() }),
    z.object({ action: z.literal('accept'), note: note.optional() }),
    z.object({ action: z.literal('return'), note: note.min(1, { error: 'the reason it is not for this agency' }) }),
    z.object({ action: z.literal('start'), note: note.optional() }),
    z.object({ action: z.literal('note'), note: note.min(1, { error: 'the progress note' }), public: z.boolean().default(false) }),
    z.object({
      action: z.literal('request_extension'),
      until: z.string().datetime({ offset: true, error: 'the new deadline, ISO 8601 with its zone' }),
      note: note.min(1, { error: 'why more time is needed' }),
    }),
    z.object({ action: z.literal('approve_extension'), note: note.optional() }),
    z.object({ action: z.literal('refuse_extension'), note: note.optional() }),
    z.object({ action: z.literal('resolve'), result: z.string().trim().min(1, { error: 'the result for the citizen' }).max(4000), mediaUrls: z.array(z.string().max(1000)).max(10).default([]) }),
    z.object({ action: z.literal('publish'), note: note.optional() }),
    z.object({ action: z.literal('reopen'), note: note.min(1, { error: 'why the report is reopened' }) }),
  ],
  { error: 'an action: classify, forward, reject, mark_duplicate, accept, return, start, note, request_extension, approve_extension, refuse_extension, resolve, publish or reopen' },
)
export type ReportActionBody = z.output<typeof reportActionBody>

/** A citizen's rating of a published report (by its token: no account needed). */
export const reportRatingBody = z.object({
  satisfied: z.boolean({ error: 'true (satisfied) or false (not satisfied)' }),
  comment: z.string().trim().max(2000).optional(),
})

export interface ReportCategoriesResponse {
  categories: ReportCategory[]
  /** Reply templates the dispatcher picks from. */
  templates: { code: string; text: string }[]
  /** Agencies a report can be forwarded to. */
  agencies: { id: string; name: string; type: string }[]
}

export const REPLY_TEMPLATES = [
  { code: 'received', text: 'Trung tâm IOC đã tiếp nhận phản ánh của bạn và chuyển đến cơ quan có thẩm quyền xử lý.' },
  { code: 'forwarded', text: 'Phản ánh đã được chuyển đến {agency}. Thời hạn xử lý theo quy định: {due}.' },
  { code: 'out_of_scope', text: 'Nội dung phản ánh không thuộc phạm vi tiếp nhận của hệ thống. Đề nghị bạn liên hệ cơ quan có thẩm quyền.' },
  { code: 'complaint', text: 'Nội dung là khiếu nại, tố cáo: đề nghị gửi theo Luật Khiếu nại 2011, Luật Tố cáo 2018 đến Ban Tiếp công dân tỉnh.' },
  { code: 'duplicate', text: 'Sự việc đã được phản ánh trước đó và đang được xử lý; bạn sẽ nhận được kết quả cùng phản ánh gốc.' },
  { code: 'resolved', text: 'Cơ quan chức năng đã xử lý xong phản ánh. Cảm ơn bạn đã đồng hành cùng chính quyền.' },
] as const

/** GET /api/reports/performance: leaders' view of how agencies answer, for a period of Vietnam days. */
export const reportPerformanceQuery = z.object({
  unit: z.string().max(64).optional(),
  from: CALENDAR_DATE,
  to: CALENDAR_DATE,
})
export type ReportPerformanceQuery = z.output<typeof reportPerformanceQuery>

export interface ReportPerformanceRow {
  agencyId: string
  name: string
  resolved: number
  onTime: number
  lateWithExtension: number
  late: number
  /** (on time + late with an approved extension) ÷ resolved. */
  onTimeRate: number | null
  rated: number
  satisfied: number
  satisfactionRate: number | null
}

export interface ReportPerformanceResponse {
  unit: { id: string; name: string }
  from: string
  to: string
  rows: ReportPerformanceRow[]
}

/** PUT /api/report-routes: in `unitId` and below, reports of `category` go to `agencyId`. */
export const reportRouteBody = z.object({
  unitId: z.string({ error: 'a unit id' }).min(1).max(64),
  category: z.string({ error: 'a category code' }).min(1).max(64),
  agencyId: z.string({ error: 'the agency (a unit id)' }).min(1).max(64),
})
export type ReportRouteBody = z.output<typeof reportRouteBody>

export interface ReportRoutesResponse {
  rules: (ReportRouteBody & { unitName: string; categoryName: string; agencyName: string })[]
}

export const REPORT_ROUTES = {
  reportRoutes: route<Record<string, never>, ReportRoutesResponse>()('/api/report-routes', 'reports:read'),
  reportRouteSet: write<ReportRouteBody, ReportRoutesResponse>()('PUT', '/api/report-routes', 'reference:manage'),
  reportRouteDelete: write<Record<string, never>, ReportRoutesResponse>()('DELETE', '/api/report-routes/:unit/:category', 'reference:manage'),
  reportPerformance: route<ReportPerformanceQuery, ReportPerformanceResponse>()('/api/reports/performance', 'dossiers:read'),
  reports: route<Partial<ReportListQuery>, ReportListResponse>()('/api/reports', 'reports:read'),
  report: route<Record<string, never>, ReportDetail>()('/api/reports/:id', 'reports:read'),
  reportContact: route<Record<string, never>, ReportContact>()('/api/reports/:id/contact', 'reports:dispatch'),
  reportWall: route<Record<string, never>, ReportWallResponse>()('/api/reports/today', 'live:read'),
  reportCategories: route<Record<string, never>, ReportCategoriesResponse>()('/api/report-categories', 'reports:read'),
  reportCreate: write<ConsoleReportBody, ReportDetail>()('POST', '/api/reports', 'reports:dispatch'),
  reportAction: write<ReportActionBody, ReportDetail>()('POST', '/api/reports/:id/actions', 'reports:read'),
  /** multipart/form-data: `photo` (JPEG, PNG or WebP, ≤ 10 MB) and `kind` (report | result). */
  reportPhotoUpload: write<FormData, ReportPhotoView>()('POST', '/api/reports/:id/photos', 'reports:read'),
  /** The photo (or `?size=thumb`, a 320-pixel WebP). */
  reportPhoto: route<{ size?: 'thumb' }, Blob>()('/api/reports/:id/photos/:photoId', 'reports:read'),
}
