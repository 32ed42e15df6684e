// What leaders are shown, decided: the scope a caller may read (a leader's unit and below; an admin anywhere),
// the period's bounds and the instant open dossiers are judged at, the KPIs and 766 index from the daily
// sums and the open dossiers, rankings with a minimum volume, the trend, the procedure breakdown, the
// dossiers behind any number, one dossier's timeline, and the calendar's edits.
import {
  countOpen,
  dateOfDayNumber,
  dayNumberOf,
  emptySums,
  nextMonthOf,
  type ReportIndexInputs,
  index766,
  isOnlineService,
  periodKpis,
  ratio,
  stateAt,
  unitSubtree,
  vnDate,
  vnMidnight,
  WorkingCalendar,
  DAILY_COLUMNS,
  type CalendarResponse,
  type DailySums,
  type DossierKpisResponse,
  type DossierListResponse,
  type DossierListRow,
  type DossierTimelineResponse,
  type DossierWallResponse,
  type IndexInputs,
  type JudgeContext,
  type ListFilter,
  type OpenCounts,
  type ProcedureBreakdownResponse,
  type Procedure,
  type RankedType,
  type RankingResponse,
  type RankingRow,
  type TrendResponse,
  type Unit,
  type UnitRef,
} from '../../contract/index.ts'
import { vietnamHolidays } from '../../contract/shared/holidays.ts'
import type { DossierConfig } from '../../core/config.ts'
import { StampedCache } from '../../core/stamped-cache.ts'
import type { Principal } from '../shared/auth.ts'
import { actorOf } from '../shared/audit.ts'
import { HttpProblem } from '../shared/http.ts'
import { Fresh } from './fresh.ts'
import type { DossierRepository, DossierRow, OpenDossier, ProcedureUsage } from './repository.ts'

/** How long one read of the open dossiers serves requests about the same instant. */
const OPEN_TTL_MS = 2000

export interface Period {
  unit?: string
  from: string
  to: string
}

interface Scope {
  root: Unit
  ids: string[]
}

interface Bounds {
  from: string
  to: string
  start: number
  end: number
  /** The instant open dossiers are judged at: the end of the period, or now while it runs. */
  T: number
}

export class DossierService {
  private readonly calendars = new StampedCache({ stamp: () => this.repo.calendarStamp(), load: async () => new WorkingCalendar(this.config.hours, [], await this.repo.calendarDays()) })
  /** The dossiers open at one instant, read once for every caller asking about that instant. */
  private openCache: { T: number; at: number; rows: Promise<OpenDossier[]> } | null = null
  /** The wall's summary, shared by every wall and recomputed only after a change. */
  private readonly wallSummary = new Fresh(() => this.computeWall())
  private readonly procedureCache = new StampedCache({ stamp: () => this.repo.procedureStamp(), load: async () => new Map((await this.repo.procedures()).map((p) => [p.code, p])) })

  constructor(
    private readonly repo: DossierRepository,
    private readonly units: () => readonly Unit[],
    private readonly config: DossierConfig,
    private readonly now: () => number,
    /** Citizen reports resolved in [from, to) per agency, for 766 indicators 5.2 and 5.3 (absent: not measured). */
    private readonly reportIndex?: (from: number, to: number) => Promise<ReadonlyMap<string, ReportIndexInputs>>,
  ) {}

  /** The report inputs of the units in `ids`, summed; undefined when the IOC takes no reports. */
  private reportsOf(all: ReadonlyMap<string, ReportIndexInputs> | undefined, ids: Iterable<string>): ReportIndexInputs | undefined {
    if (!all) return undefined
    const sum: ReportIndexInputs = { handled: 0, onTime: 0, rated: 0, satisfied: 0 }
    for (const id of ids) {
      const r = all.get(id)
      if (!r) continue
      sum.handled += r.handled
      sum.onTime += r.onTime
      sum.rated += r.rated
      sum.satisfied += r.satisfied
    }
    return sum
  }

  // --- what a caller may read ---------------------------------------------------------------------------------

  /** The unit asked for (default: the caller's scope, else the province) and its subtree; 403 outside the caller's scope. */
  scope(p: Principal | null, raw: string | undefined): Scope {
    const units = this.units()
    const limit = p?.scopeUnitId ?? null
    const id = raw ?? limit ?? units.find((u) => u.parentId === null)?.id
    const root = units.find((u) => u.id === id)
    if (!root) throw new HttpProblem(400, { code: 'bad_request', field: 'unit', message: `unit: '${String(id).slice(0, 40)}' is not a unit id (see /api/units)` })
    if (limit !== null && !unitSubtree(units, limit)!.has(root.id)) {
      throw new HttpProblem(403, { code: 'forbidden', field: 'unit', message: `unit: '${root.id}' is outside your scope (${limit})` })
    }
    return { root, ids: [...unitSubtree(units, root.id)!] }
  }

  bounds(q: { from: string; to: string }): Bounds {
    const start = vnMidnight(dayNumberOf(q.from))
    const end = vnMidnight(dayNumberOf(q.to) + 1)
    // now to the second: the requests of one screen (tiles, rankings, lists) then judge at the same instant and share one read
    return { from: q.from, to: q.to, start, end, T: Math.min(Math.floor(this.now() / 1000) * 1000, end - 1) }
  }

  /** The open dossiers of `ids` at T, from one read of all of them per instant (kept for OPEN_TTL_MS). */
  private async openAt(ids: readonly string[], T: number): Promise<OpenDossier[]> {
    const now = this.now()
    if (!this.openCache || this.openCache.T !== T || now - this.openCache.at > OPEN_TTL_MS) {
      const rows = this.repo.openAt(T)
      this.openCache = { T, at: now, rows }
      rows.catch(() => {
        if (this.openCache?.rows === rows) this.openCache = null
      })
    }
    const all = await this.openCache.rows
    const wanted = new Set(ids)
    return all.filter((o) => wanted.has(o.unitId))
  }

  private ref(u: Unit): UnitRef {
    return { id: u.id, name: u.name, type: u.type }
  }

  // --- reference the rules need --------------------------------------------------------------------------------

  calendar(): Promise<WorkingCalendar> {
    return this.calendars.get()
  }

  procedures(): Promise<Map<string, Procedure>> {
    return this.procedureCache.get()
  }

  private async judge(): Promise<(legalDays: number | null) => JudgeContext> {
    const calendar = await this.calendar()
    return (legalDays) => ({ calendar, legalDays, dueSoonMs: this.config.dueSoonMs })
  }

  private async openCounts(open: readonly OpenDossier[], T: number, judge?: (legalDays: number | null) => JudgeContext): Promise<OpenCounts> {
    const ctx = judge ?? (await this.judge())
    return countOpen(
      open.map((o) => ({ facts: o.facts, ctx: ctx(o.legalDays) })),
      T,
    )
  }

  // --- KPIs ----------------------------------------------------------------------------------------------------

  async kpis(p: Principal | null, q: Period): Promise<DossierKpisResponse> {
    const scope = this.scope(p, q.unit)
    const b = this.bounds(q)
    const [byUnit, byProcedure, open, procedures, reports, dataFrom] = await Promise.all([
      this.repo.sumsByUnit(scope.ids, b.from, b.to),
      this.repo.procedureUsage(scope.ids, b.from, b.to),
      this.openAt(scope.ids, b.T),
      this.procedures(),
      this.reportIndex?.(b.start, b.end),
      this.repo.firstDay(),
    ])
    const sums = addAll(byUnit.values())
    const openCounts = await this.openCounts(open, b.T)
    return {
      unit: this.ref(scope.root),
      from: b.from,
      to: b.to,
      judgedAt: new Date(b.T).toISOString(),
      dataFrom,
      ...periodKpis(sums, openCounts),
      index766: index766({ ...indexInputs(sums, openCounts, byProcedure, procedures), reports: this.reportsOf(reports, scope.ids) }, this.config.scales),
    }
  }

  async rankings(p: Principal | null, q: Period & { type: RankedType }, limit?: number): Promise<RankingResponse> {
    const scope = this.scope(p, q.unit)
    const b = this.bounds(q)
    const units = this.units()
    // the top-most units of the type below the scope's root: wards under a ranked district count for it
    const parents = new Map(units.map((u) => [u.id, u.parentId]))
    const candidates = new Set(units.filter((u) => u.type === q.type && u.id !== scope.root.id && scope.ids.includes(u.id)).map((u) => u.id))
    const hasRankedAncestor = (id: string) => {
      for (let p = parents.get(id); p && p !== scope.root.id; p = parents.get(p)) if (candidates.has(p)) return true
      return false
    }
    const ranked = units.filter((u) => candidates.has(u.id) && !hasRankedAncestor(u.id))
    // each unit of the scope counts for the ranked unit it lies under (itself included)
    const owner = new Map<string, string>()
    for (const r of ranked) for (const id of unitSubtree(units, r.id)!) if (!owner.has(id)) owner.set(id, r.id)
    const ids = [...owner.keys()]
    const [byUnit, byProcedure, open, procedures, judge, reports] = await Promise.all([
      this.repo.sumsByUnit(ids, b.from, b.to),
      this.repo.procedureUsage(ids, b.from, b.to),
      this.openAt(ids, b.T),
      this.procedures(),
      this.judge(),
      this.reportIndex?.(b.start, b.end),
    ])
    const rows: RankingRow[] = []
    for (const r of ranked) {
      const mine = (id: string) => owner.get(id) === r.id
      const sums = addAll([...byUnit].filter(([id]) => mine(id)).map(([, s]) => s))
      const openCounts = await this.openCounts(
        open.filter((o) => mine(o.unitId)),
        b.T,
        judge,
      )
      const k = periodKpis(sums, openCounts)
      const index = index766(
        {
          ...indexInputs(
            sums,
            openCounts,
            byProcedure.filter((x) => mine(x.unitId)),
            procedures,
          ),
          reports: this.reportsOf(reports, ids.filter(mine)),
        },
        this.config.scales,
      )
      rows.push({
        rank: null,
        unit: this.ref(r),
        received: k.received.total,
        online: k.received.online,
        done: k.done.total,
        early: k.done.early,
        onTime: k.done.onTime,
        late: k.done.late,
        inProgress: openCounts.total,
        overdue: openCounts.overdue,
        onTimeRate: k.onTimeRate,
        onlineRate: k.onlineRate,
        score766: round2(index.points),
        measuredMax: index.measuredMax,
      })
    }
    const min = this.config.rankingMin
    const judged = (r: RankingRow) => r.done + r.overdue
    const rankedRows = rows
      .filter((r) => judged(r) >= min)
      .sort((a, c) => (c.onTimeRate ?? 0) - (a.onTimeRate ?? 0) || (c.onlineRate ?? 0) - (a.onlineRate ?? 0) || c.received - a.received || a.unit.name.localeCompare(c.unit.name, 'vi'))
    rankedRows.forEach((r, i) => (r.rank = i + 1))
    const unranked = rows.filter((r) => judged(r) < min).sort((a, c) => c.received - a.received || a.unit.name.localeCompare(c.unit.name, 'vi'))
    const all = [...rankedRows, ...unranked]
    return { from: b.from, to: b.to, type: q.type, minVolume: min, rows: limit === undefined ? all : all.slice(0, limit) }
  }

  async trend(p: Principal | null, q: Period): Promise<TrendResponse> {
    const scope = this.scope(p, q.unit)
    const b = this.bounds(q)
    const byMonth = await this.repo.sumsByMonth(scope.ids, b.from, b.to)
    const months: TrendResponse['months'] = []
    for (let m = q.from.slice(0, 7); m <= q.to.slice(0, 7); m = nextMonthOf(m)) {
      const s = byMonth.get(m) ?? emptySums()
      months.push({
        month: m,
        received: s.received_total,
        online: s.received_online,
        done: s.done_total,
        early: s.done_early,
        onTime: s.done_on_time,
        late: s.done_late,
        onTimeRate: ratio(s.done_early + s.done_on_time, s.done_total),
        onlineRate: ratio(s.received_online, s.received_total),
      })
    }
    return { unit: this.ref(scope.root), from: b.from, to: b.to, months }
  }

  async procedureBreakdown(p: Principal | null, q: Period): Promise<ProcedureBreakdownResponse> {
    const scope = this.scope(p, q.unit)
    const b = this.bounds(q)
    const [byProcedure, open, procedures, ctx] = await Promise.all([this.repo.sumsByUnitProcedure(scope.ids, b.from, b.to), this.openAt(scope.ids, b.T), this.procedures(), this.judge()])
    const sums = new Map<string, DailySums>()
    for (const x of byProcedure) sums.set(x.code, addAll([sums.get(x.code) ?? emptySums(), x.sums]))
    const openBy = new Map<string, { total: number; overdue: number }>()
    for (const o of open) {
      const s = stateAt(o.facts, b.T, ctx(o.legalDays))
      if (s.status !== 'in_progress' || !o.procedureCode) continue
      const c = openBy.get(o.procedureCode) ?? { total: 0, overdue: 0 }
      c.total++
      if (s.overdue) c.overdue++
      openBy.set(o.procedureCode, c)
    }
    const codes = new Set([...sums.keys(), ...openBy.keys()])
    const rows = [...codes].map((code) => {
      const s = sums.get(code) ?? emptySums()
      const o = openBy.get(code) ?? { total: 0, overdue: 0 }
      const proc = procedures.get(code)
      return {
        code,
        name: proc?.name ?? code,
        field: proc?.field ?? '',
        legalDays: proc?.legalDays ?? 0,
        received: s.received_total,
        online: s.received_online,
        done: s.done_total,
        early: s.done_early,
        onTime: s.done_on_time,
        late: s.done_late,
        inProgress: o.total,
        overdue: o.overdue,
        onTimeRate: ratio(s.done_early + s.done_on_time, s.done_total + o.overdue),
      }
    })
    rows.sort((a, c) => c.late + c.overdue - (a.late + a.overdue) || c.received - a.received || a.code.localeCompare(c.code))
    return { unit: this.ref(scope.root), from: b.from, to: b.to, rows }
  }

  // --- the dossiers behind a number -----------------------------------------------------------------------------

  async list(p: Principal | null, q: Period & { filter: ListFilter; procedure?: string; page: number; pageSize: number }): Promise<DossierListResponse> {
    const scope = this.scope(p, q.unit)
    const b = this.bounds(q)
    const offset = (q.page - 1) * q.pageSize
    const procedure = q.procedure ?? null
    const page = (total: number, rows: DossierListRow[]): DossierListResponse => ({
      unit: this.ref(scope.root),
      from: b.from,
      to: b.to,
      filter: q.filter,
      total,
      page: q.page,
      pageSize: q.pageSize,
      rows,
    })
    switch (q.filter) {
      case 'done':
      case 'early':
      case 'on_time':
      case 'late': {
        const r = await this.repo.ended(scope.ids, b.start, b.end, q.filter, procedure, q.pageSize, offset)
        return page(r.total, await this.rows(r.rows, b.T))
      }
      case 'received':
      case 'counter':
      case 'online':
      case 'post': {
        const r = await this.repo.received(scope.ids, b.start, b.end, q.filter === 'received' ? null : q.filter, procedure, q.pageSize, offset)
        return page(r.total, await this.rows(r.rows, b.T))
      }
      case 'late_or_overdue': {
        // open overdue dossiers first (they can still be acted on), then the late ones that ended in the period
        const overdue = await this.openList(scope.ids, b.T, 'overdue', procedure)
        const fromOpen = overdue.slice(offset, offset + q.pageSize)
        const lateOffset = Math.max(0, offset - overdue.length)
        const lateLimit = q.pageSize - fromOpen.length
        const late = await this.repo.ended(scope.ids, b.start, b.end, 'late', procedure, Math.max(lateLimit, 1), lateOffset)
        const lateRows = lateLimit > 0 ? await this.rows(late.rows, b.T) : []
        return page(overdue.length + late.total, [...fromOpen, ...lateRows])
      }
      default: {
        const all = await this.openList(scope.ids, b.T, q.filter, procedure)
        return page(all.length, all.slice(offset, offset + q.pageSize))
      }
    }
  }

  /** Open dossiers at T matching `filter`, most urgent first (most days late, then the nearest due). */
  private async openList(ids: readonly string[], T: number, filter: 'in_progress' | 'in_time' | 'overdue' | 'due_soon', procedure: string | null): Promise<DossierListRow[]> {
    const open = (await this.openAt(ids, T)).filter((o) => procedure === null || o.procedureCode === procedure)
    const ctx = await this.judge()
    const names = this.unitNames()
    const procedures = await this.procedures()
    const rows: DossierListRow[] = []
    for (const o of open) {
      const s = stateAt(o.facts, T, ctx(o.legalDays))
      if (s.status !== 'in_progress') continue
      if (filter === 'overdue' && !s.overdue) continue
      if (filter === 'in_time' && s.overdue) continue
      if (filter === 'due_soon' && !s.dueSoon) continue
      rows.push(listRow(o.facts, { status: 'in_progress', judgement: null, overdue: s.overdue, dueSoon: s.dueSoon, daysLate: s.daysLate, due: s.due, endAt: null }, names, procedures))
    }
    return rows.sort((a, c) => c.daysLate - a.daysLate || (a.dueAt ?? '').localeCompare(c.dueAt ?? '') || a.id.localeCompare(c.id))
  }

  private unitNames(): Map<string, string> {
    return new Map(this.units().map((u) => [u.id, u.name]))
  }

  private async rows(rows: readonly DossierRow[], T: number): Promise<DossierListRow[]> {
    const ctx = await this.judge()
    const names = this.unitNames()
    const procedures = await this.procedures()
    return rows.map((r) => {
      const s = stateAt(r.facts, r.endAt !== null ? Math.max(r.endAt, T) : T, ctx(r.legalDays))
      if (s.status === 'done') return listRow(r.facts, { status: 'done', judgement: s.judgement, overdue: false, dueSoon: false, daysLate: s.daysLate, due: s.due, endAt: s.endAt }, names, procedures)
      if (s.status === 'in_progress') return listRow(r.facts, { status: 'in_progress', judgement: null, overdue: s.overdue, dueSoon: s.dueSoon, daysLate: s.daysLate, due: s.due, endAt: null }, names, procedures)
      return listRow(r.facts, { status: 'in_progress', judgement: null, overdue: false, dueSoon: false, daysLate: 0, due: null, endAt: null }, names, procedures)
    })
  }

  async timeline(p: Principal | null, id: string): Promise<DossierTimelineResponse> {
    const row = await this.repo.dossier(id)
    if (!row) throw new HttpProblem(404, { code: 'not_found', field: 'id', message: `dossier '${id.slice(0, 100)}' does not exist` })
    if (row.unitId) this.scope(p, row.unitId)
    else if (p?.scopeUnitId) throw new HttpProblem(403, { code: 'forbidden', field: 'id', message: 'this dossier is outside your scope' })
    const [listed] = await this.rows([row], this.now())
    const events = await this.repo.events(id)
    const f = row.facts
    const now = this.now()
    return {
      dossier: {
        ...listed!,
        procedureLegalDays: row.legalDays,
        supplementRequests: f.supplements.length,
        rescheduled: f.rescheduled.length,
        waiting: f.end === null && f.supplements.some((s) => s.requestedAt <= now && s.answeredAt === null),
      },
      events: events.map((e) => ({
        event: e.event,
        ts: new Date(e.ts).toISOString(),
        systemId: e.system_id,
        unitId: e.unit_id,
        toUnitId: e.to_unit_id,
        channel: e.channel,
        appointmentAt: e.appointment_at === null ? null : new Date(e.appointment_at).toISOString(),
        online: e.online,
        electronicResult: e.electronic_result,
      })),
    }
  }

  /** The wall's dossier widgets: the province, month to date (one computation shared by every wall). */
  wall(): Promise<DossierWallResponse> {
    return this.wallSummary.get()
  }

  /** Dossiers changed (ingest committed events), or the day turned: what is shared must be computed again. */
  changed(): void {
    this.wallSummary.invalidate()
    this.openCache = null
  }

  private async computeWall(): Promise<DossierWallResponse> {
    const today = vnDate(this.now())
    const q = { from: `${today.slice(0, 7)}-01`, to: today }
    const [kpis, departments, localities, dueSoon] = await Promise.all([
      this.kpis(null, q),
      this.rankings(null, { ...q, type: 'department' }, 30),
      this.rankings(null, { ...q, type: 'locality' }, 30),
      this.scopeOpen(),
    ])
    const { unit: _u, from: _f, to: _t, judgedAt: _j, index766: _i, ...rest } = kpis
    return { from: q.from, to: q.to, kpis: rest, departments: departments.rows, localities: localities.rows, dueSoon }
  }

  private async scopeOpen(): Promise<DossierListRow[]> {
    const scope = this.scope(null, undefined)
    const now = Math.floor(this.now() / 1000) * 1000
    const [overdue, soon] = await Promise.all([this.openList(scope.ids, now, 'overdue', null), this.openList(scope.ids, now, 'due_soon', null)])
    return [...overdue, ...soon].slice(0, 30)
  }

  // --- the working-day calendar ---------------------------------------------------------------------------------

  async calendarOf(year: number): Promise<CalendarResponse> {
    const days = (await this.repo.calendarDays()).filter((d) => d.day.startsWith(`${year}-`))
    const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
    return {
      year,
      hours: { weekdays: [...this.config.hours.weekdays], periods: this.config.hours.periods.map(([a, c]) => [hhmm(a), hhmm(c)] as [string, string]) },
      days,
    }
  }

  async setDay(p: Principal, ip: string | null, day: string, value: { working: boolean; note: string } | null): Promise<CalendarResponse> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || dateOfDayNumber(dayNumberOf(day)) !== day) {
      throw new HttpProblem(400, { code: 'bad_request', field: 'day', message: `day: '${day.slice(0, 20)}' is not a date YYYY-MM-DD` })
    }
    const seeded = vietnamHolidays([Number(day.slice(0, 4))], this.config.hours).find((h) => h.day === day) ?? null
    await this.repo.setOverride(actorOf(p, ip), day, value, seeded)
    return this.calendarOf(Number(day.slice(0, 4)))
  }
}

function addAll(list: Iterable<DailySums>): DailySums {
  const out = emptySums()
  for (const s of list) for (const c of DAILY_COLUMNS) out[c] += s[c]
  return out
}

function indexInputs(sums: DailySums, open: OpenCounts, byProcedure: readonly ProcedureUsage[], procedures: ReadonlyMap<string, Procedure>): IndexInputs {
  const handled = new Map<string, { received: number; online: number }>()
  for (const x of byProcedure) {
    const h = handled.get(x.code) ?? { received: 0, online: 0 }
    h.received += x.received
    h.online += x.online
    handled.set(x.code, h)
  }
  let procs = 0
  let online = 0
  let used = 0
  for (const [code, h] of handled) {
    if (h.received === 0) continue
    procs++
    const p = procedures.get(code)
    if (p && isOnlineService(p.onlineLevel)) {
      online++
      if (h.online > 0) used++
    }
  }
  return { sums, open, procedures: procs, onlineProcedures: online, onlineProceduresUsed: used }
}

function listRow(
  f: DossierRow['facts'],
  s: { status: 'done' | 'in_progress'; judgement: DossierListRow['judgement']; overdue: boolean; dueSoon: boolean; daysLate: number; due: number | null; endAt: number | null },
  names: ReadonlyMap<string, string>,
  procedures: ReadonlyMap<string, Procedure>,
): DossierListRow {
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString())
  return {
    id: f.id,
    unitId: f.unitId,
    unitName: f.unitId ? (names.get(f.unitId) ?? null) : null,
    procedureCode: f.procedureCode,
    procedureName: f.procedureCode ? (procedures.get(f.procedureCode)?.name ?? null) : null,
    channel: f.channel,
    receivedAt: iso(f.receivedAt),
    dueAt: iso(s.due),
    endAt: iso(s.endAt),
    status: s.status,
    judgement: s.judgement,
    overdue: s.overdue,
    dueSoon: s.dueSoon,
    daysLate: s.daysLate,
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100
}
