// The console's view in the URL: the queue's filters, its page, the report open beside it and the language,
// so a reload, a bookmark or a link sent to a colleague ("look at #1234") shows the same thing. Defaults are
// left out of the URL.
import { REPORT_STATES, WALL_LANGUAGES, type ReportListQuery, type ReportState, type WallLanguage } from '../../../contract/index.ts'

export type QueueStatus = 'open' | 'closed' | 'all'
export type SlaFilter = 'due_soon' | 'overdue'

export interface ConsoleRoute {
  status: QueueStatus
  /** Only these states (the status is then 'all'); null: by status. */
  states: ReportState[] | null
  category: string | null
  agency: string | null
  sla: SlaFilter | null
  q: string
  page: number
  /** The report open in the detail panel. */
  report: string | null
  lang: WallLanguage
}

export function readRoute(search: string): ConsoleRoute {
  const p = new URLSearchParams(search)
  const status = p.get('status')
  const states = (p.get('state') ?? '')
    .split(',')
    .filter((s): s is ReportState => (REPORT_STATES as readonly string[]).includes(s))
  const sla = p.get('sla')
  const page = Number(p.get('page'))
  const report = p.get('report')
  const lang = p.get('lang')
  return {
    status: status === 'closed' || status === 'all' ? status : 'open',
    states: states.length ? states : null,
    category: p.get('category') || null,
    agency: p.get('agency') || null,
    sla: sla === 'due_soon' || sla === 'overdue' ? sla : null,
    q: (p.get('q') ?? '').slice(0, 200),
    page: Number.isInteger(page) && page >= 1 ? Math.min(page, 10_000) : 1,
    report: report && /^[1-9]\d{0,17}$/.test(report) ? report : null,
    lang: (WALL_LANGUAGES as readonly string[]).includes(lang ?? '') ? (lang as WallLanguage) : 'vi',
  }
}

export function routeSearch(r: ConsoleRoute): string {
  const p = new URLSearchParams()
  if (r.states) p.set('state', r.states.join(','))
  else if (r.status !== 'open') p.set('status', r.status)
  if (r.category) p.set('category', r.category)
  if (r.agency) p.set('agency', r.agency)
  if (r.sla) p.set('sla', r.sla)
  if (r.q) p.set('q', r.q)
  if (r.page > 1) p.set('page', String(r.page))
  if (r.report) p.set('report', r.report)
  if (r.lang !== 'vi') p.set('lang', r.lang)
  const s = p.toString()
  return s ? `?${s}` : location.pathname
}

/**
 * The list query of a view (a state filter reads every status, closed ones included). The states go as the
 * array the query's schema reads back: routeUrl writes it as its comma list.
 */
export function listQuery(r: ConsoleRoute, pageSize: number, withPoints = false): Partial<ReportListQuery> {
  return {
    ...(withPoints ? { points: '1' as const } : {}),
    status: r.states ? 'all' : r.status,
    page: r.page,
    pageSize,
    ...(r.states ? { state: r.states } : {}),
    ...(r.category ? { category: r.category } : {}),
    ...(r.agency ? { agency: r.agency } : {}),
    ...(r.sla ? { sla: r.sla } : {}),
    ...(r.q.trim() ? { q: r.q.trim() } : {}),
  }
}
