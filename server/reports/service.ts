// What the IOC decides about citizen reports: who sees which (dispatchers every report, agency staff their
// agency and the units below it), what a new report is (its unit from its point, its priority from its
// category), which transitions a caller may take (contract/reports/lifecycle.ts, by role and by scope), the SLA
// clock of each (contract/reports/sla.ts in the working-day calendar) and the escalation of an overdue one.
// Every transition is written with its history row and its audit entry in one transaction, then announced on
// the broker so every server's consoles hear of it.
import { randomBytes } from 'node:crypto'
import {
  createUnitLocator,
  dayNumberOf,
  vnMidnight,
  outcome,
  vnDayStart,
  open311Status,
  REPLY_TEMPLATES,
  REPORT_ACTIONS,
  routeReport,
  slaStateAt,
  suggestDuplicates,
  transition,
  WorkingCalendar,
  type ConsoleReportBody,
  type Open311View,
  type ReportAction,
  type RejectReason,
  type ReportActionBody,
  type ReportCategoriesResponse,
  type ReportCategory,
  type ReportContact,
  type ReportDetail,
  type ReportListItem,
  type ReportListQuery,
  type ReportListResponse,
  type ReportSla,
  type ReportRouteBody,
  type ReportRoutesResponse,
  type ReportPhotoView,
  type ReportPerformanceQuery,
  type ReportPerformanceResponse,
  type ReportPerformanceRow,
  type ReportWallResponse,
  type RoutingRule,
  type Unit,
  type WorkingHours,
} from '../../contract/index.ts'
import type { ReportConfig } from '../../core/config.ts'
import { StampedCache } from '../../core/stamped-cache.ts'
import { workingCalendarCache } from '../../db/dossier-reference.ts'
import type { Database, Queryable } from '../../db/database.ts'
import { writeAudit, type Actor } from '../shared/audit.ts'
import type { Principal } from '../shared/auth.ts'
import { HttpProblem, notFound } from '../shared/http.ts'
import { createLogger } from '../../core/log.ts'
import { processPhoto, type PhotoStore } from './photos.ts'
import type { NewReport, ReportPatch, ReportRepository, ReportRow } from './repository.ts'

const log = createLogger('reports')
/** Closed reports the dispatcher's map shows at most (the newest). */
const MAP_CLOSED_POINTS = 2000
/** How often the stamps of the categories, rules and calendar are asked. */
const STAMP_CHECK_MS = 1000
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/** Who acts on a report, as the life cycle knows them. */
type Role = 'dispatcher' | 'agency'

export interface ReportServiceOptions {
  config: ReportConfig
  hours: WorkingHours
  now(): number
  /** Announces changed inboxes to every server (through the broker). */
  announce(units: readonly (string | null)[]): void
  /** Where photo files go. */
  photos: PhotoStore
}

/** What an intake (Open311, MQTT, the console) hands over for a new report. */
export type Intake = Omit<NewReport, 'token' | 'unitId' | 'priority'> & { actor: Actor }

export interface AgencyPerformance {
  resolved: number
  onTime: number
  lateWithExtension: number
  late: number
  rated: number
  satisfied: number
}

export class ReportService {
  /** The categories and routing rules, and the working-day calendar: their stamps asked at most once a second (see reference()). */
  private readonly referenceCache = new StampedCache({
    stamp: () => this.repo.categoryStamp(),
    load: async () => {
      const [categories, rules] = await Promise.all([this.repo.categories(), this.repo.routes()])
      return { categories: new Map(categories.map((c) => [c.code, c])), rules }
    },
    checkEveryMs: STAMP_CHECK_MS,
  })
  private readonly calendars: StampedCache<WorkingCalendar, Queryable>
  private locatorCache: { units: readonly Unit[]; locate: (p: [number, number]) => Unit | null } | null = null

  constructor(
    private readonly db: Database,
    private readonly repo: ReportRepository,
    private readonly units: () => readonly Unit[],
    private readonly o: ReportServiceOptions,
  ) {
    this.calendars = workingCalendarCache(o.hours, STAMP_CHECK_MS)
  }

  // --- reference -------------------------------------------------------------------------------------------

  /**
   * The categories and routing rules, re-read when their stamp changes. The stamp itself is asked at most once
   * a second (bench:reports: a queue of 5,000 rows asked it 5,000 times): another process's edit shows within
   * a second, this server's own at once (it forgets the cache when it writes).
   */
  private reference(): Promise<{ categories: Map<string, ReportCategory>; rules: RoutingRule[] }> {
    return this.referenceCache.get()
  }

  /** The working-day calendar, rebuilt when calendar_days changes (asked at most once a second, as above). */
  calendar(): Promise<WorkingCalendar> {
    return this.calendars.get(this.db)
  }

  private root(): Unit {
    const root = this.units().find((u) => u.parentId === null)
    if (!root) throw new HttpProblem(503, { code: 'unavailable', message: 'no unit tree loaded yet' })
    return root
  }

  private unitName(id: string | null): string | null {
    if (id === null) return null
    return this.units().find((u) => u.id === id)?.name ?? id
  }

  private subtree(id: string): Set<string> {
    const children = new Map<string, string[]>()
    for (const u of this.units()) if (u.parentId) children.set(u.parentId, [...(children.get(u.parentId) ?? []), u.id])
    const out = new Set<string>()
    const stack = [id]
    while (stack.length) {
      const x = stack.pop()!
      if (out.has(x)) continue
      out.add(x)
      stack.push(...(children.get(x) ?? []))
    }
    return out
  }

  private locate(lat: number | null, lon: number | null): string | null {
    if (lat === null || lon === null) return null
    const units = this.units()
    if (this.locatorCache?.units !== units) this.locatorCache = { units, locate: createUnitLocator(units as Unit[]) }
    return this.locatorCache.locate([lon, lat])?.id ?? null
  }

  // --- who may see and do what ------------------------------------------------------------------------------

  /** The agencies whose reports `p` reads: null for every report (dispatchers, admins). */
  scope(p: Principal): Set<string> | null {
    if (p.permissions.has('reports:dispatch')) return null
    if (p.permissions.has('reports:handle') && p.agencyUnitId) return this.subtree(p.agencyUnitId)
    throw new HttpProblem(403, { code: 'forbidden', message: `${p.name} has no agency: an admin sets the agency of agency staff` })
  }

  /** Whether a socket of `p` may join an inbox room (`id`) or the list of every inbox (`id` null). */
  mayWatch(p: Principal, id: string | null): string | null {
    if (p.permissions.has('reports:dispatch')) return null
    // the wall's widgets refetch their figures when any inbox changes; the room carries no report
    if (id === null) return p.permissions.has('live:read') ? null : 'report-inboxes: only dispatchers and the wall watch every inbox; join report-inbox:<your agency>'
    if (p.permissions.has('reports:handle') && p.agencyUnitId && this.subtree(p.agencyUnitId).has(id)) return null
    return `report-inbox:${id}: outside your agency (${p.agencyUnitId ?? 'none'})`
  }

  private visible(p: Principal, r: ReportRow): boolean {
    const scope = this.scope(p)
    return scope === null || (r.agencyId !== null && scope.has(r.agencyId))
  }

  private roleFor(p: Principal, action: ReportAction): Role | null {
    const by = REPORT_ACTIONS[action].by
    if (by === 'dispatcher' && p.permissions.has('reports:dispatch')) return 'dispatcher'
    if (by === 'agency' && p.permissions.has('reports:handle')) return 'agency'
    return null
  }

  private actionsFor(p: Principal, r: ReportRow): ReportAction[] {
    const out: ReportAction[] = []
    for (const action of Object.keys(REPORT_ACTIONS) as ReportAction[]) {
      const role = this.roleFor(p, action)
      if (!role) continue
      if (role === 'agency' && !(r.agencyId !== null && p.agencyUnitId !== null && this.subtree(p.agencyUnitId).has(r.agencyId))) continue
      if (transition(this.situation(r), action, role).ok) out.push(action)
    }
    return out
  }

  private situation(r: ReportRow) {
    return { state: r.state, extensionPending: r.extensionPending, satisfied: r.satisfied }
  }

  // --- SLA ---------------------------------------------------------------------------------------------------

  private slaOf(r: ReportRow, cal: WorkingCalendar, T: number): ReportSla {
    const s = slaStateAt(
      { level: r.priority, category: r.categoryCode, forwardedAt: r.forwardedAt, acceptedAt: r.acceptedAt, resolvedAt: r.resolvedAt, extendedUntil: r.extensionUntil },
      T,
      this.o.config.sla,
      cal,
    )
    // a closed report waits on nobody (a duplicate merged while forwarded has no acceptance left to wait for)
    if (open311Status(r.state) === 'closed') return { phase: null, state: 'none', dueBy: null }
    return { phase: s.phase, state: r.state === 'returned' ? 'none' : s.state, dueBy: iso(s.dueBy) }
  }

  // --- reads -------------------------------------------------------------------------------------------------

  private async item(r: ReportRow, cal: WorkingCalendar, T: number): Promise<ReportListItem> {
    const ref = await this.reference()
    return {
      id: r.id,
      state: r.state,
      categoryCode: r.categoryCode,
      categoryName: ref.categories.get(r.categoryCode)?.name ?? r.categoryCode,
      priority: r.priority,
      description: r.description,
      address: r.address,
      lat: r.lat,
      lon: r.lon,
      unitId: r.unitId,
      unitName: this.unitName(r.unitId),
      agencyId: r.agencyId,
      agencyName: this.unitName(r.agencyId),
      source: r.source,
      receivedAt: iso(r.receivedAt)!,
      updatedAt: iso(r.updatedAt)!,
      sla: this.slaOf(r, cal, T),
      extensionPending: r.extensionPending,
      escalated: r.escalatedAt !== null,
      mediaUrls: r.mediaUrls,
    }
  }

  async list(p: Principal, q: ReportListQuery): Promise<ReportListResponse> {
    const scope = this.scope(p)
    if (q.agency && scope && !scope.has(q.agency)) throw new HttpProblem(403, { code: 'forbidden', field: 'agency', message: `agency: '${q.agency}' is outside your agency` })
    const agencies = q.agency ? [...this.subtree(q.agency)] : scope ? [...scope] : null
    const filter = { agencies, states: q.state ?? null, category: q.category ?? null, q: q.q ?? null }
    const cal = await this.calendar()
    const T = this.o.now()
    // open reports, all of them, the most pressing first: overdue, then due soon, then the newest; a deadline is
    // the clock's, so they are judged here and not in SQL (a province has hundreds open, not millions)
    let open: ReportListItem[] = []
    if (q.status !== 'closed') {
      open = await Promise.all((await this.repo.queue({ ...filter, closed: false })).map((r) => this.item(r, cal, T)))
      if (q.sla) open = open.filter((i) => i.sla.state === q.sla)
      const rank = { overdue: 0, due_soon: 1, in_time: 2, none: 3 } as const
      open.sort((a, b) => rank[a.sla.state] - rank[b.sla.state] || b.receivedAt.localeCompare(a.receivedAt))
    }
    // then the closed ones, newest first, paged in SQL: the archive grows by thousands a year and no deadline runs
    const start = (q.page - 1) * q.pageSize
    const items = open.slice(start, start + q.pageSize)
    let closedTotal = 0
    const withClosed = q.status !== 'open' && !q.sla
    if (withClosed) {
      const closed = await this.repo.closedPage(filter, q.pageSize - items.length, Math.max(0, start - open.length))
      closedTotal = closed.total
      items.push(...(await Promise.all(closed.rows.map((r) => this.item(r, cal, T)))))
    }
    const page: ReportListResponse = { total: open.length + closedTotal, page: q.page, pageSize: q.pageSize, items }
    if (q.points === '1') {
      const ref = await this.reference()
      page.points = open.flatMap((i) => (i.lat !== null && i.lon !== null ? [{ id: i.id, lat: i.lat, lon: i.lon, sla: i.sla.state, categoryName: i.categoryName }] : []))
      // the newest closed ones: a map of a year's archive would be a smear, and heavy on a slow link
      if (withClosed) for (const c of await this.repo.closedPoints(filter, MAP_CLOSED_POINTS)) page.points.push({ id: c.id, lat: c.lat, lon: c.lon, sla: 'none', categoryName: ref.categories.get(c.categoryCode)?.name ?? c.categoryCode })
    }
    return page
  }

  async detail(p: Principal, id: string): Promise<ReportDetail> {
    const r = await this.repo.byId(id)
    if (!r || !this.visible(p, r)) throw notFound('id', `report ${id} does not exist or is not in your inbox`)
    return this.detailOf(p, r)
  }

  private async detailOf(p: Principal, r: ReportRow): Promise<ReportDetail> {
    const cal = await this.calendar()
    const T = this.o.now()
    const events = await this.repo.events(r.id)
    const dispatcher = p.permissions.has('reports:dispatch')
    let duplicates: ReportDetail['duplicates'] = []
    let proposedRoute: ReportDetail['proposedRoute'] = null
    if (dispatcher) {
      duplicates = await this.duplicatesOf(r)
      const ref = await this.reference()
      const route = routeReport(this.units(), ref.rules, r.unitId, r.categoryCode, this.root().id)
      proposedRoute = { agencyId: route.agencyId, agencyName: this.unitName(route.agencyId)!, byRule: route.rule !== null }
    }
    return {
      ...(await this.item(r, cal, T)),
      result: r.result,
      statusNotes: r.statusNotes,
      rejectReason: r.rejectReason,
      duplicateOf: r.duplicateOf,
      satisfied: r.satisfied,
      ratingComment: r.ratingComment,
      extensionUntil: iso(r.extensionPending ? r.extensionRequested : r.extensionUntil),
      attributes: r.attributes,
      hasContact: r.hasContact,
      events: events.map((e) => ({ at: iso(e.at)!, action: e.action, fromState: e.fromState, toState: e.toState, actorName: e.actorName, actorKind: e.actorKind, agencyId: e.agencyId, note: e.note, public: e.public })),
      duplicates,
      proposedRoute,
      actions: this.actionsFor(p, r),
      photos: (await this.repo.photos(r.id)).map((x) => ({
        id: x.id,
        kind: x.kind,
        url: `/api/reports/${r.id}/photos/${x.id}`,
        thumbUrl: `/api/reports/${r.id}/photos/${x.id}?size=thumb`,
        width: x.width,
        height: x.height,
      })),
    }
  }

  private async duplicatesOf(r: ReportRow): Promise<ReportDetail['duplicates']> {
    if (r.lat === null || r.lon === null) return []
    const policy = this.o.config.duplicates
    const candidates = await this.repo.openNear(r.categoryCode, r.receivedAt - policy.withinMs, r.receivedAt, r.lat, r.lon, policy.meters)
    const byId = new Map(candidates.map((c) => [c.id, c]))
    const toCandidate = (c: ReportRow) => ({ id: c.id, category: c.categoryCode, position: [c.lon!, c.lat!] as [number, number], receivedAt: c.receivedAt, open: true })
    return suggestDuplicates({ ...toCandidate(r), position: [r.lon, r.lat] }, candidates.map(toCandidate), policy).map((d) => {
      const c = byId.get(d.id)!
      return { id: d.id, meters: d.meters, description: c.description.slice(0, 200), state: c.state, receivedAt: iso(c.receivedAt)! }
    })
  }

  /** The wall's figures: today's intake, what is open and late, by agency, and the open reports' points. */
  async wall(): Promise<ReportWallResponse> {
    const T = this.o.now()
    const [open, today] = await Promise.all([this.repo.queue({ agencies: null, states: null, closed: false, category: null, q: null }), this.repo.receivedSince(vnDayStart(T))])
    const cal = await this.calendar()
    const ref = await this.reference()
    const byAgency = new Map<string | null, { open: number; dueSoon: number; overdue: number }>()
    const points: ReportWallResponse['points'] = []
    const urgent: ReportWallResponse['urgent'] = []
    let dueSoon = 0
    let overdue = 0
    for (const r of open) {
      const s = this.slaOf(r, cal, T)
      const sla = s.state
      if ((sla === 'due_soon' || sla === 'overdue') && s.dueBy) {
        urgent.push({ id: r.id, categoryName: ref.categories.get(r.categoryCode)?.name ?? r.categoryCode, priority: r.priority, unitName: this.unitName(r.unitId), agencyName: this.unitName(r.agencyId), sla, dueBy: s.dueBy, escalated: r.escalatedAt !== null })
      }
      const a = byAgency.get(r.agencyId) ?? { open: 0, dueSoon: 0, overdue: 0 }
      a.open++
      if (sla === 'due_soon') (a.dueSoon++, dueSoon++)
      if (sla === 'overdue') (a.overdue++, overdue++)
      byAgency.set(r.agencyId, a)
      if (r.lat !== null && r.lon !== null) {
        points.push({ id: r.id, lat: r.lat, lon: r.lon, categoryCode: r.categoryCode, categoryName: ref.categories.get(r.categoryCode)?.name ?? r.categoryCode, priority: r.priority, sla })
      }
    }
    const agencies = [...byAgency]
      .map(([agencyId, c]) => ({ agencyId, name: agencyId === null ? 'Trung tâm IOC (chờ điều phối)' : this.unitName(agencyId)!, ...c }))
      .sort((a, b) => b.overdue - a.overdue || b.dueSoon - a.dueSoon || b.open - a.open || a.name.localeCompare(b.name, 'vi'))
    urgent.sort((a, b) => a.dueBy.localeCompare(b.dueBy))
    return { at: new Date(T).toISOString(), receivedToday: today, open: open.length, dueSoon, overdue, agencies, points, urgent: urgent.slice(0, 30) }
  }

  /**
   * Per agency, the reports resolved in [from, to): on time (by the SLA's deadline), late with an approved
   * extension, late; and of those the citizen rated, how many were satisfied.
   */
  async performance(from: number, to: number): Promise<Map<string, AgencyPerformance>> {
    const rows = await this.repo.resolvedBetween(from, to)
    const cal = await this.calendar()
    const out = new Map<string, AgencyPerformance>()
    for (const r of rows) {
      const o = outcome({ level: r.priority, category: r.categoryCode, forwardedAt: r.forwardedAt, acceptedAt: r.acceptedAt, resolvedAt: r.resolvedAt, extendedUntil: r.extensionUntil }, this.o.config.sla, cal)
      const a = out.get(r.agencyId!) ?? { resolved: 0, onTime: 0, lateWithExtension: 0, late: 0, rated: 0, satisfied: 0 }
      a.resolved++
      if (o === 'on_time') a.onTime++
      else if (o === 'late_with_extension') a.lateWithExtension++
      else a.late++
      if (r.satisfied !== null) {
        a.rated++
        if (r.satisfied) a.satisfied++
      }
      out.set(r.agencyId!, a)
    }
    return out
  }

  /** Leaders: the agencies in the caller's scope (or the unit asked for, within it), most resolved first. */
  async performanceView(p: Principal, q: ReportPerformanceQuery): Promise<ReportPerformanceResponse> {
    const root = this.root()
    const limit = p.scopeUnitId
    const id = q.unit ?? limit ?? root.id
    const unit = this.units().find((u) => u.id === id)
    if (!unit) throw new HttpProblem(400, { code: 'bad_request', field: 'unit', message: `unit: '${id.slice(0, 40)}' is not a unit id (see /api/units)` })
    if (limit && !this.subtree(limit).has(unit.id)) throw new HttpProblem(403, { code: 'forbidden', field: 'unit', message: `unit: '${unit.id}' is outside your scope (${limit})` })
    if (q.from > q.to) throw new HttpProblem(400, { code: 'bad_request', field: 'from', message: 'from: must not be after to' })
    const from = vnMidnight(dayNumberOf(q.from))
    const to = vnMidnight(dayNumberOf(q.to) + 1)
    const ids = this.subtree(unit.id)
    const rows: ReportPerformanceRow[] = []
    for (const [agencyId, a] of await this.performance(from, to)) {
      if (!ids.has(agencyId)) continue
      rows.push({
        agencyId,
        name: this.unitName(agencyId)!,
        ...a,
        onTimeRate: a.resolved ? (a.onTime + a.lateWithExtension) / a.resolved : null,
        satisfactionRate: a.rated ? a.satisfied / a.rated : null,
      })
    }
    rows.sort((x, y) => y.resolved - x.resolved || x.name.localeCompare(y.name, 'vi'))
    return { unit: { id: unit.id, name: unit.name }, from: q.from, to: q.to, rows }
  }

  /** The reporter's contact details: dispatchers only, and every read is in the audit log. */
  async contact(p: Principal, ip: string | null, id: string): Promise<ReportContact> {
    const c = await this.repo.contact(id)
    if (c === null) throw notFound('id', `report ${id} does not exist`)
    await writeAudit(this.db, { kind: p.kind, id: p.id, name: p.name, ip }, { action: 'report.contact.read', targetType: 'report', targetId: id })
    const name = [c.first_name, c.last_name].filter(Boolean).join(' ') || (c.name ?? null)
    return { name, phone: c.phone ?? null, email: c.email ?? null, deviceId: c.device_id ?? null }
  }

  async categoriesView(): Promise<ReportCategoriesResponse> {
    const ref = await this.reference()
    const agencies = this.units().map((u) => ({ id: u.id, name: u.name, type: u.type }))
    return { categories: [...ref.categories.values()], templates: REPLY_TEMPLATES.map((t) => ({ ...t })), agencies }
  }

  async categoryList(): Promise<ReportCategory[]> {
    return [...(await this.reference()).categories.values()]
  }

  // --- routing rules ---------------------------------------------------------------------------------------------

  async routesView(): Promise<ReportRoutesResponse> {
    const ref = await this.reference()
    return {
      rules: [...ref.rules]
        .sort((a, b) => a.unitId.localeCompare(b.unitId) || a.category.localeCompare(b.category))
        .map((r) => ({ ...r, unitName: this.unitName(r.unitId)!, categoryName: ref.categories.get(r.category)?.name ?? r.category, agencyName: this.unitName(r.agencyId)! })),
    }
  }

  /** Adds or changes a rule (admins; audited). Reports already forwarded keep their agency; new proposals follow. */
  async setRoute(p: Principal, ip: string | null, b: ReportRouteBody): Promise<ReportRoutesResponse> {
    const ref = await this.reference()
    for (const [field, id] of [['unitId', b.unitId], ['agencyId', b.agencyId]] as const) {
      if (!this.units().some((u) => u.id === id)) throw new HttpProblem(400, { code: 'bad_request', field, message: `${field}: '${id}' is not a unit` })
    }
    if (!ref.categories.has(b.category)) throw new HttpProblem(400, { code: 'bad_request', field: 'category', message: `category: '${b.category}' is not a report category` })
    await this.db.transaction(async (tx: Queryable) => {
      const before = await this.repo.setRoute(tx, { unitId: b.unitId, category: b.category, agencyId: b.agencyId })
      await writeAudit(tx, { kind: p.kind, id: p.id, name: p.name, ip }, { action: 'report_route.set', targetType: 'report_route', targetId: `${b.unitId}/${b.category}`, before, after: b })
    })
    // this server's own edit shows at once
    this.referenceCache.forget()
    return this.routesView()
  }

  async deleteRoute(p: Principal, ip: string | null, unitId: string, category: string): Promise<ReportRoutesResponse> {
    await this.db.transaction(async (tx: Queryable) => {
      const before = await this.repo.deleteRoute(tx, unitId, category)
      if (!before) throw notFound('unit', `no rule for ${unitId.slice(0, 64)} and ${category.slice(0, 64)}`)
      await writeAudit(tx, { kind: p.kind, id: p.id, name: p.name, ip }, { action: 'report_route.delete', targetType: 'report_route', targetId: `${unitId}/${category}`, before, after: null })
    })
    this.referenceCache.forget()
    return this.routesView()
  }

  // --- intake ------------------------------------------------------------------------------------------------

  /** Stores a new report (idempotent on a pushing system's channel and id); the caller has validated its fields. */
  async create(n: Intake): Promise<{ row: ReportRow; created: boolean }> {
    const ref = await this.reference()
    const category = ref.categories.get(n.categoryCode)
    if (!category) throw new HttpProblem(400, { code: 'bad_request', field: 'service_code', message: `service_code: '${n.categoryCode.slice(0, 64)}' is not a category (see services.json)` })
    const unitId = this.locate(n.lat, n.lon)
    const result = await this.db.transaction(async (tx: Queryable) => {
      const { actor, ...fields } = n
      const stored = await this.repo.insert(tx, { ...fields, token: randomBytes(12).toString('base64url'), priority: category.priority, unitId, state: 'new', agencyId: null })
      if (stored.created) {
        await this.repo.addEvent(tx, stored.row.id, { action: 'submit', fromState: null, toState: 'new', actorKind: actor.kind, actorId: actor.id, actorName: actor.name, agencyId: null, note: null, public: false })
        await writeAudit(tx, actor, { action: 'report.create', targetType: 'report', targetId: stored.row.id, after: { category: n.categoryCode, source: n.source, unitId } })
      }
      return stored
    })
    if (result.created) this.o.announce([this.root().id])
    return result
  }

  async createFromConsole(p: Principal, ip: string | null, b: ConsoleReportBody): Promise<ReportDetail> {
    const contact: Record<string, string> = {}
    if (b.contact.name) contact.name = b.contact.name
    if (b.contact.phone) contact.phone = b.contact.phone
    if (b.contact.email) contact.email = b.contact.email
    const { row } = await this.create({
      source: 'console',
      channelId: null,
      externalId: null,
      categoryCode: b.categoryCode,
      description: b.description,
      lat: b.lat ?? null,
      lon: b.lon ?? null,
      address: b.address ?? null,
      contact,
      mediaUrls: [],
      attributes: {},
      receivedAt: this.o.now(),
      apiKeyId: null,
      actor: { kind: p.kind, id: p.id, name: p.name, ip },
    })
    return this.detailOf(p, row)
  }

  // --- transitions -------------------------------------------------------------------------------------------

  async act(p: Principal, ip: string | null, id: string, b: ReportActionBody): Promise<ReportDetail> {
    const role = this.roleFor(p, b.action)
    if (!role) throw new HttpProblem(403, { code: 'forbidden', field: 'action', message: `action: '${b.action}' is for the ${REPORT_ACTIONS[b.action].by}, which ${p.name} is not` })
    const T = this.o.now()
    const ref = await this.reference()
    const changed: (string | null)[] = []
    const row = await this.db.transaction(async (tx: Queryable) => {
      const r = await this.repo.forUpdate(tx, id)
      if (!r || !this.visible(p, r)) throw notFound('id', `report ${id} does not exist or is not in your inbox`)
      if (role === 'agency' && !(r.agencyId !== null && p.agencyUnitId !== null && this.subtree(p.agencyUnitId).has(r.agencyId))) {
        throw new HttpProblem(403, { code: 'forbidden', field: 'action', message: `action: report ${id} is with ${r.agencyId ?? 'no agency'}, not your agency` })
      }
      const t = transition(this.situation(r), b.action, role)
      if (!t.ok) throw new HttpProblem(409, { code: 'conflict', field: 'action', message: t.reason })
      const patch: ReportPatch = { state: t.to }
      let note: string | null = 'note' in b ? (b.note ?? null) : null
      let isPublic = false
      switch (b.action) {
        case 'classify': {
          if (b.categoryCode !== undefined) {
            const c = ref.categories.get(b.categoryCode)
            if (!c) throw new HttpProblem(400, { code: 'bad_request', field: 'categoryCode', message: `categoryCode: '${b.categoryCode}' is not a category` })
            patch.categoryCode = c.code
            patch.priority = b.priority ?? c.priority
          } else if (b.priority) patch.priority = b.priority
          if ((b.lat === undefined) !== (b.lon === undefined)) throw new HttpProblem(400, { code: 'bad_request', field: b.lat === undefined ? 'lat' : 'lon', message: 'lat and lon: both, or neither' })
          if (b.lat !== undefined && b.lon !== undefined) {
            patch.lat = b.lat
            patch.lon = b.lon
            patch.unitId = this.locate(b.lat, b.lon)
          }
          if (b.address !== undefined) patch.address = b.address
          break
        }
        case 'forward': {
          if (!this.units().some((u) => u.id === b.agencyId)) throw new HttpProblem(400, { code: 'bad_request', field: 'agencyId', message: `agencyId: '${b.agencyId}' is not a unit` })
          patch.agencyId = b.agencyId
          patch.forwardedAt = T
          patch.acceptedAt = null
          patch.escalatedAt = null
          patch.statusNotes = `Đã chuyển đến ${this.unitName(b.agencyId)} xử lý.`
          isPublic = true
          note = note ?? patch.statusNotes
          break
        }
        case 'reject': {
          patch.rejectReason = b.reason
          patch.closedAt = T
          patch.statusNotes = b.note ?? REJECT_NOTES[b.reason]
          isPublic = true
          note = patch.statusNotes
          break
        }
        case 'mark_duplicate': {
          if (b.duplicateOf === id) throw new HttpProblem(400, { code: 'bad_request', field: 'duplicateOf', message: 'duplicateOf: a report cannot duplicate itself' })
          const original = await this.repo.byId(b.duplicateOf, tx)
          if (!original) throw new HttpProblem(400, { code: 'bad_request', field: 'duplicateOf', message: `duplicateOf: report ${b.duplicateOf} does not exist` })
          patch.duplicateOf = original.id
          patch.agencyId = original.agencyId
          patch.closedAt = T
          patch.statusNotes = `Trùng với phản ánh số ${original.id}; kết quả xử lý được cập nhật cùng phản ánh đó.`
          isPublic = true
          note = note ?? patch.statusNotes
          break
        }
        case 'accept':
          patch.acceptedAt = T
          patch.statusNotes = `${this.unitName(r.agencyId)} đã tiếp nhận và đang xử lý.`
          isPublic = true
          break
        case 'return':
          patch.agencyId = null
          patch.forwardedAt = null
          patch.acceptedAt = null
          changed.push(r.agencyId)
          break
        case 'note':
          isPublic = b.public
          if (b.public) patch.statusNotes = b.note
          break
        case 'request_extension': {
          const until = Date.parse(b.until)
          if (until <= T) throw new HttpProblem(400, { code: 'bad_request', field: 'until', message: 'until: the new deadline must be in the future' })
          patch.extensionPending = true
          patch.extensionRequested = until
          note = `${b.note} (đề nghị gia hạn đến ${new Date(until).toISOString()})`
          break
        }
        case 'approve_extension':
          patch.extensionPending = false
          patch.extensionUntil = r.extensionRequested
          patch.extensionRequested = null
          break
        case 'refuse_extension':
          patch.extensionPending = false
          patch.extensionRequested = null
          break
        case 'resolve':
          patch.result = b.result
          patch.mediaUrls = [...r.mediaUrls, ...b.mediaUrls]
          patch.resolvedAt = T
          patch.statusNotes = b.result
          note = b.result
          isPublic = true
          break
        case 'publish':
          patch.closedAt = r.closedAt ?? T
          isPublic = true
          break
        case 'reopen':
          patch.resolvedAt = null
          patch.closedAt = null
          patch.acceptedAt = null
          patch.forwardedAt = null
          patch.satisfied = null
          break
      }
      await this.repo.update(tx, id, patch)
      await this.repo.addEvent(tx, id, { action: b.action, fromState: r.state, toState: t.to, actorKind: p.kind, actorId: p.id, actorName: p.name, agencyId: patch.agencyId ?? r.agencyId, note, public: isPublic })
      await writeAudit(tx, { kind: p.kind, id: p.id, name: p.name, ip }, { action: `report.${b.action}`, targetType: 'report', targetId: id, before: { state: r.state, agencyId: r.agencyId }, after: { state: t.to, agencyId: patch.agencyId ?? r.agencyId, note } })
      if (b.action === 'publish' || b.action === 'resolve') await this.closeDuplicates(tx, r, patch, p)
      changed.push(r.agencyId, patch.agencyId ?? null)
      return (await this.repo.byId(id, tx))!
    })
    this.o.announce([this.root().id, ...changed])
    return this.detailOf(p, row)
  }

  /** Merged reports follow their original: its result reaches every reporter. */
  private async closeDuplicates(tx: Queryable, original: ReportRow, patch: ReportPatch, p: Principal): Promise<void> {
    const r = await tx.query(`SELECT id::text AS id FROM reports WHERE duplicate_of = $1::bigint`, [original.id])
    for (const { id } of r.rows as { id: string }[]) {
      await this.repo.update(tx, id, { statusNotes: patch.statusNotes ?? original.statusNotes, result: patch.result ?? original.result })
      await this.repo.addEvent(tx, id, { action: 'original_updated', fromState: 'duplicate', toState: 'duplicate', actorKind: p.kind, actorId: p.id, actorName: p.name, agencyId: original.agencyId, note: patch.statusNotes ?? null, public: true })
    }
  }

  /** A citizen's rating of a published report, by the token they were given. */
  async rate(token: string, satisfied: boolean, comment: string | null): Promise<ReportRow> {
    const r = await this.repo.byToken(token)
    if (!r) throw notFound('token', 'no report has this token')
    const t = transition(this.situation(r), 'rate', 'citizen')
    if (!t.ok) throw new HttpProblem(409, { code: 'conflict', field: 'token', message: t.reason })
    await this.db.transaction(async (tx: Queryable) => {
      await this.repo.update(tx, r.id, { state: t.to, satisfied, ratingComment: comment })
      await this.repo.addEvent(tx, r.id, { action: 'rate', fromState: r.state, toState: t.to, actorKind: 'citizen', actorId: null, actorName: 'citizen', agencyId: r.agencyId, note: comment, public: false })
    })
    this.o.announce([this.root().id, r.agencyId])
    return (await this.repo.byId(r.id))!
  }

  // --- escalation --------------------------------------------------------------------------------------------

  /**
   * A photo for a report: the dispatcher's (what the reporter sent by other means) or the agency's result
   * (only while the report is with its agency). Stored without metadata; the upload is audited.
   */
  async addPhoto(p: Principal, ip: string | null, id: string, kind: 'report' | 'result', upload: Buffer): Promise<ReportPhotoView> {
    const r = await this.repo.byId(id)
    if (!r || !this.visible(p, r)) throw notFound('id', `report ${id} does not exist or is not in your inbox`)
    const dispatcher = p.permissions.has('reports:dispatch')
    const agency = p.permissions.has('reports:handle') && r.agencyId !== null && p.agencyUnitId !== null && this.subtree(p.agencyUnitId).has(r.agencyId)
    if (kind === 'result' && !(agency && (r.state === 'accepted' || r.state === 'in_progress' || r.state === 'resolved'))) {
      throw new HttpProblem(409, { code: 'conflict', field: 'kind', message: "kind: a result photo comes from the agency handling the report, while it is accepted, in progress or resolved" })
    }
    if (kind === 'report' && !dispatcher) throw new HttpProblem(403, { code: 'forbidden', field: 'kind', message: 'kind: only dispatchers add the reporter’s photos' })
    const photo = await processPhoto(upload)
    const photoId = await this.db.transaction(async (tx: Queryable) => {
      const photoId = await this.repo.addPhoto(tx, id, { kind, contentType: photo.contentType, bytes: photo.original.byteLength, width: photo.width, height: photo.height, sha256: photo.sha256, uploadedBy: p.name })
      // the file before the commit: a row never points at a missing file (a crash leaves an orphan file at most)
      await this.o.photos.put(id, photoId, photo).catch((err: unknown) => {
        log.warn(`report ${id}: the photo store refused photo ${photoId}`, { error: err })
        throw new HttpProblem(503, { code: 'unavailable', field: 'photo', message: 'photo: the photo store did not take it; nothing was saved, try again shortly' })
      })
      await writeAudit(tx, { kind: p.kind, id: p.id, name: p.name, ip }, { action: 'report.photo.add', targetType: 'report', targetId: id, after: { photo: photoId, kind, bytes: photo.original.byteLength } })
      return photoId
    })
    this.o.announce([this.root().id, r.agencyId])
    return { id: photoId, kind, url: `/api/reports/${id}/photos/${photoId}`, thumbUrl: `/api/reports/${id}/photos/${photoId}?size=thumb`, width: photo.width, height: photo.height }
  }

  async photo(p: Principal, id: string, photoId: string, thumb: boolean): Promise<{ contentType: string; data: Buffer }> {
    const r = await this.repo.byId(id)
    if (!r || !this.visible(p, r)) throw notFound('id', `report ${id} does not exist or is not in your inbox`)
    const meta = (await this.repo.photos(id)).find((x) => x.id === photoId)
    const data = meta ? await this.o.photos.get(id, photoId, thumb) : null
    if (!meta || !data) throw notFound('photoId', `report ${id} has no photo ${photoId}`)
    return { contentType: thumb ? 'image/webp' : meta.contentType, data }
  }

  /** Marks overdue reports escalated (to the agency's parent unit and the IOC), once each; returns how many. */
  async escalate(): Promise<number> {
    const running = await this.repo.running()
    if (running.length === 0) return 0
    const cal = await this.calendar()
    const T = this.o.now()
    const overdue = running.filter((r) => this.slaOf(r, cal, T).state === 'overdue')
    if (overdue.length === 0) return 0
    const notify: (string | null)[] = [this.root().id]
    await this.db.transaction(async (tx: Queryable) => {
      for (const r of overdue) {
        const parent = this.units().find((u) => u.id === r.agencyId)?.parentId ?? null
        await this.repo.update(tx, r.id, { escalatedAt: T })
        await this.repo.addEvent(tx, r.id, {
          action: 'escalate',
          fromState: r.state,
          toState: r.state,
          actorKind: 'system',
          actorId: null,
          actorName: 'system',
          agencyId: r.agencyId,
          note: `Quá hạn ${this.slaOf(r, cal, T).phase === 'accept' ? 'tiếp nhận' : 'xử lý'}: báo cáo ${this.unitName(parent) ?? 'cấp trên'} và Trung tâm IOC.`,
          public: false,
        })
        notify.push(r.agencyId, parent)
      }
    })
    this.o.announce(notify)
    return overdue.length
  }

  // --- Open311 -----------------------------------------------------------------------------------------------

  async open311View(r: ReportRow): Promise<Open311View> {
    const ref = await this.reference()
    const cal = await this.calendar()
    const sla = this.slaOf(r, cal, this.o.now())
    return {
      id: r.id,
      state: r.state,
      categoryCode: r.categoryCode,
      categoryName: ref.categories.get(r.categoryCode)?.name ?? r.categoryCode,
      description: r.description,
      agencyName: this.unitName(r.agencyId) ?? this.root().name,
      statusNotes: r.statusNotes,
      receivedAt: r.receivedAt,
      updatedAt: r.updatedAt,
      expectedAt: sla.dueBy === null ? null : Date.parse(sla.dueBy),
      address: r.address,
      lat: r.lat,
      lon: r.lon,
      mediaUrl: r.mediaUrls[0] ?? null,
    }
  }

  async search(f: { ids: string[] | null; codes: string[] | null; from: number; to: number; closed: boolean | null; limit: number }): Promise<ReportRow[]> {
    return this.repo.search(f)
  }

  byId(id: string): Promise<ReportRow | null> {
    return this.repo.byId(id)
  }

  byToken(token: string): Promise<ReportRow | null> {
    return this.repo.byToken(token)
  }
}

const REJECT_NOTES: Record<RejectReason, string> = {
  out_of_scope: 'Nội dung không thuộc phạm vi tiếp nhận phản ánh, kiến nghị của hệ thống.',
  spam: 'Phản ánh không có nội dung cụ thể để xử lý.',
  complaint_or_denunciation:
    'Nội dung là khiếu nại, tố cáo: không xử lý qua kênh phản ánh, kiến nghị. Đề nghị gửi đơn theo Luật Khiếu nại 2011 hoặc Luật Tố cáo 2018 đến Ban Tiếp công dân tỉnh hoặc cơ quan có thẩm quyền giải quyết.',
}

