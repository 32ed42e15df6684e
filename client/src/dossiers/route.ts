// What the leader page shows, as its URL's query string, so a link, a reload or the back button keeps the
// view: the period, the unit in view, and how far the drill-down went (a unit's overview → the dossiers behind
// a number, of one procedure or all → one dossier's timeline). Pure: read from and written to text.
import { LIST_FILTERS, WALL_LANGUAGES, type ListFilter, type WallLanguage } from '../../../contract/index.ts'
import { readPeriod, type Period } from './period.ts'

export interface LeaderRoute {
  period: Period
  /** The unit in view; null: the caller's scope (the province for an unscoped leader). */
  unit: string | null
  /** The list's procedure (with `filter`). */
  procedure: string | null
  /** The dossiers behind a number: the list view when set. */
  filter: ListFilter | null
  page: number
  /** One dossier's timeline when set. */
  dossier: string | null
  lang: WallLanguage
}

export type View = 'overview' | 'list' | 'timeline'

export function viewOf(r: LeaderRoute): View {
  return r.dossier ? 'timeline' : r.filter ? 'list' : 'overview'
}

/** Ids as the routes take them: short, no spaces (anything else in a URL is dropped, not sent). */
const ID = /^[^\s\u0000]{1,100}$/
const idParam = (params: URLSearchParams, key: string) => {
  const v = params.get(key)
  return v !== null && ID.test(v) ? v : null
}

export function readRoute(search: string, today: string): LeaderRoute {
  const params = new URLSearchParams(search)
  const filter = params.get('filter')
  const page = Number(params.get('page') ?? '1')
  const lang = params.get('lang')
  return {
    period: readPeriod(params, today),
    unit: idParam(params, 'unit'),
    procedure: idParam(params, 'procedure'),
    filter: (LIST_FILTERS as readonly string[]).includes(filter ?? '') ? (filter as ListFilter) : null,
    page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
    dossier: idParam(params, 'dossier'),
    lang: (WALL_LANGUAGES as readonly string[]).includes(lang ?? '') ? (lang as WallLanguage) : 'vi',
  }
}

/** The query string of a route (with its '?'), in a fixed order; defaults are left out. */
export function routeSearch(r: LeaderRoute): string {
  const q = new URLSearchParams()
  q.set('period', r.period.kind)
  q.set('from', r.period.from)
  q.set('to', r.period.to)
  if (r.unit) q.set('unit', r.unit)
  if (r.filter) {
    q.set('filter', r.filter)
    if (r.procedure) q.set('procedure', r.procedure)
    if (r.page > 1) q.set('page', String(r.page))
  }
  if (r.dossier) q.set('dossier', r.dossier)
  if (r.lang !== 'vi') q.set('lang', r.lang)
  return `?${q.toString()}`
}

/** A step of the drill-down: what changes, everything deeper cleared unless given. */
export interface Step {
  period?: Period
  unit?: string | null
  procedure?: string | null
  filter?: ListFilter | null
  page?: number
  dossier?: string | null
}

/** The route after a step: a new unit or period starts at that unit's overview; a new list at its first page. */
export function stepTo(r: LeaderRoute, s: Step): LeaderRoute {
  const next: LeaderRoute = { ...r, dossier: null }
  if (s.period !== undefined) next.period = s.period
  if (s.unit !== undefined) {
    next.unit = s.unit
    next.filter = null
    next.procedure = null
  }
  if (s.filter !== undefined || s.procedure !== undefined) {
    next.filter = s.filter !== undefined ? s.filter : next.filter
    next.procedure = s.procedure !== undefined ? s.procedure : next.procedure
    next.page = 1
  }
  if (s.page !== undefined) next.page = s.page
  if (!next.filter) {
    next.procedure = null
    next.page = 1
  }
  if (s.dossier !== undefined) next.dossier = s.dossier
  // a period change keeps the drill-down (from the list's first page) but not a dossier, which belongs to no period
  if (s.period !== undefined && s.page === undefined) next.page = 1
  return next
}
