// The leader page's state: who is signed in (and the scope they read), the view in the URL (period, unit,
// drill-down), the answers that view needs from the server, and the live feed that refetches them when a unit
// in view changes. A view asks only for what it shows, and each answer is asked again only when its question
// (its key) changes, or on a live change, when everything in view is refreshed in place.
import { untrack } from 'svelte'
import {
  ROUTES,
  routeUrl,
  type DossierKpisResponse,
  type DossierListResponse,
  type DossierTimelineResponse,
  type ExportQuery,
  type ExportView,
  type ProcedureBreakdownResponse,
  type ReportPerformanceResponse,
  type RankedType,
  type RankingResponse,
  type SessionView,
  type TrendResponse,
  type UnitFeature,
  type UnitType,
  type WallLanguage,
  vnDate,
} from '../../../contract/index.ts'
import { ApiError, get, resetCsrf, send } from '../shared/api.ts'
import { trendSpan } from './period.ts'
import { Remote } from '../shared/remote.svelte.ts'
import { readRoute, routeSearch, stepTo, viewOf, type LeaderRoute, type Step } from './route.ts'
import { UnitFeed } from './unit-feed.svelte.ts'

/** Rows a list page holds. */
export const LIST_PAGE_SIZE = 50
/** Open dossiers turn overdue by the clock, with no event: everything in view is refreshed this often anyway. */
const CLOCK_REFRESH_MS = 5 * 60_000

export type UnitInfo = UnitFeature['properties']

/** The unit tree, for names and the breadcrumbs' trail. */
export class UnitTree {
  readonly byId: ReadonlyMap<string, UnitInfo>
  readonly rootId: string | null
  constructor(features: readonly Pick<UnitFeature, 'properties'>[]) {
    this.byId = new Map(features.map((f) => [f.properties.id, f.properties]))
    this.rootId = features.find((f) => f.properties.parentId === null)?.properties.id ?? null
  }

  /** The units from `top` down to `id` (just `id` when `top` is not above it). */
  trail(top: string | null, id: string): UnitInfo[] {
    const out: UnitInfo[] = []
    for (let u = this.byId.get(id); u; u = u.parentId ? this.byId.get(u.parentId) : undefined) {
      out.unshift(u)
      if (u.id === top) return out
    }
    return out.slice(-1)
  }
}

export class LeaderPage {
  route = $state<LeaderRoute>(readRoute(location.search, vnDate(Date.now())))
  session = $state<SessionView | null>(null)
  sessionError = $state<unknown>(null)
  units = $state<UnitTree | null>(null)
  signingOut = $state(false)
  /** When the figures on screen were last asked for (a load or a live refresh). */
  refreshedAt = $state<number | null>(null)

  readonly kpis = new Remote<DossierKpisResponse>((e) => this.#failed(e))
  readonly departments = new Remote<RankingResponse>((e) => this.#failed(e))
  readonly localities = new Remote<RankingResponse>((e) => this.#failed(e))
  readonly trend = new Remote<TrendResponse>((e) => this.#failed(e))
  readonly procedures = new Remote<ProcedureBreakdownResponse>((e) => this.#failed(e))
  /** How the agencies in view answered citizen reports in the period (766 indicators 5.2 and 5.3 come from it). */
  readonly reports = new Remote<ReportPerformanceResponse>((e) => this.#failed(e))
  readonly list = new Remote<DossierListResponse>((e) => this.#failed(e))
  readonly timeline = new Remote<DossierTimelineResponse>((e) => this.#failed(e))
  /** Procedure names for the breadcrumbs of a list, from the catalogue (asked once, when first needed). */
  readonly catalogue = new Remote<Map<string, string>>((e) => this.#failed(e))
  readonly feed: UnitFeed

  lang = $derived<WallLanguage>(this.route.lang)
  view = $derived(viewOf(this.route))
  /** The caller's scope: a scoped leader's unit, else the province (the root of the tree). */
  scope = $derived(this.session?.principal.scopeUnitId ?? this.units?.rootId ?? null)
  /** The unit in view; null until the session (and the tree) say what the scope is. */
  unitId = $derived(this.route.unit ?? this.scope)
  /** The KPIs' own word on the unit, when they answer for the unit in view (or the server's default, before the scope is known). */
  #answered = $derived(this.kpis.value && (this.unitId === null || this.kpis.value.unit.id === this.unitId) ? this.kpis.value.unit : null)
  unitType = $derived<UnitType | null>((this.unitId && this.units?.byId.get(this.unitId)?.type) || (this.#answered?.type ?? null))
  /** Units that group others (the province, an area) rank what is below them; a department or commune shows its procedures. */
  ranks = $derived(this.unitType === 'province' || this.unitType === 'area')
  unitName = $derived((this.unitId && this.units?.byId.get(this.unitId)?.name) || this.#answered?.name || (this.unitId ?? ''))

  #stop: () => void
  #clock: ReturnType<typeof setInterval>
  #onPopState = () => (this.route = readRoute(location.search, vnDate(Date.now())))

  constructor() {
    addEventListener('popstate', this.#onPopState)
    this.feed = new UnitFeed(
      () => this.sync(true),
      () => this.#toSignIn(true),
    )
    this.#clock = setInterval(() => this.sync(true), CLOCK_REFRESH_MS)
    this.#stop = $effect.root(() => {
      // ask for what the view shows whenever the question changes
      $effect(() => {
        if (!this.session) return
        void this.route
        void this.unitId
        void this.ranks
        untrack(() => this.sync(false))
      })
      $effect(() => {
        const id = this.unitId
        if (this.session) untrack(() => this.feed.follow(id))
      })
    })
  }

  /** Reads the session (and the unit tree), then the view. */
  async start(): Promise<void> {
    try {
      const session = await get(ROUTES.session)
      resetCsrf(session.csrfToken)
      this.sessionError = null
      // the tree names units in the breadcrumbs; without it, the answers' own names serve
      this.units = await get(ROUTES.units)
        .then((u) => new UnitTree(u.features))
        .catch(() => null)
      this.session = session
    } catch (err) {
      this.#failed(err)
      this.sessionError = err
    }
  }

  /** Moves the view one step (a link's click); `replace` for changes not worth a back-button step. */
  go(step: Step, replace = false): void {
    const next = stepTo(this.route, step)
    const search = routeSearch(next)
    if (replace) history.replaceState(null, '', search)
    else history.pushState(null, '', search)
    this.route = next
  }

  /** The link of a step, for real anchors (a middle click opens it in a new tab). */
  href(step: Step): string {
    return routeSearch(stepTo(this.route, step))
  }

  setLanguage(lang: WallLanguage): void {
    this.route = { ...this.route, lang }
    history.replaceState(null, '', routeSearch(this.route))
  }

  /** The period query of the view: the unit in view (omitted before it is known: the server's default is the scope). */
  periodQuery(): { unit?: string; from: string; to: string } {
    const { from, to } = this.route.period
    return this.unitId ? { unit: this.unitId, from, to } : { from, to }
  }

  /** The download of a table as the server writes it, for the same question the table answers. */
  exportHref(view: ExportView, format: 'csv' | 'xlsx', extra: { type?: RankedType } = {}): string {
    const base = this.periodQuery()
    const span = view === 'trend' ? trendSpan(this.route.period) : base
    const r = this.route
    const list = view === 'list' && r.filter ? { filter: r.filter, ...(r.procedure ? { procedure: r.procedure } : {}) } : {}
    const q = { ...base, ...span, view, format, ...extra, ...list } satisfies ExportQuery
    return routeUrl(ROUTES.dossierExport, {}, q)
  }

  /**
   * Asks for what the current view shows: only what changed question unless `force` (a live change, the
   * clock), which refreshes all of it in place.
   */
  sync(force: boolean): void {
    if (!this.session) return
    const r = this.route
    const q = this.periodQuery()
    const base = `${q.unit ?? ''}|${q.from}|${q.to}`
    const need = <T>(remote: Remote<T>, key: string, fetch: (signal: AbortSignal) => Promise<T>) => {
      if (force || remote.key !== key || (remote.error && !remote.loading)) void remote.load(key, fetch)
    }
    this.refreshedAt = Date.now()
    const view = viewOf(r)
    if (view === 'overview') {
      need(this.kpis, base, (signal) => get(ROUTES.dossierKpis, { query: q, signal }))
      const span = { ...q, ...trendSpan(r.period) }
      need(this.trend, `${q.unit ?? ''}|${span.from}|${span.to}`, (signal) => get(ROUTES.dossierTrend, { query: span, signal }))
      need(this.procedures, base, (signal) => get(ROUTES.dossierProcedures, { query: q, signal }))
      need(this.reports, base, (signal) => get(ROUTES.reportPerformance, { query: q, signal }))
      if (this.ranks) {
        need(this.departments, base, (signal) => get(ROUTES.dossierRankings, { query: { ...q, type: 'department' }, signal }))
        need(this.localities, base, (signal) => get(ROUTES.dossierRankings, { query: { ...q, type: 'locality' }, signal }))
      }
    } else {
      for (const remote of [this.kpis, this.trend, this.procedures, this.departments, this.localities, this.reports]) remote.idle()
    }
    if (view === 'list' && r.filter) {
      const query = { ...q, filter: r.filter, page: r.page, pageSize: LIST_PAGE_SIZE, ...(r.procedure ? { procedure: r.procedure } : {}) }
      need(this.list, `${base}|${r.filter}|${r.procedure ?? ''}|${r.page}`, (signal) => get(ROUTES.dossierList, { query, signal }))
    }
    if (r.procedure && this.catalogue.value === null && !this.catalogue.loading) {
      void this.catalogue.load('all', async (signal) => new Map((await get(ROUTES.procedures, { signal })).procedures.map((p) => [p.code, p.name])))
    }
    if (view === 'timeline' && r.dossier) {
      const id = r.dossier
      need(this.timeline, id, (signal) => get(ROUTES.dossier, { params: { id }, signal }))
    }
  }

  async signOut(): Promise<void> {
    this.signingOut = true
    try {
      await send(ROUTES.signOut)
    } catch {
      // signed out already, or the server is away: the sign-in page is where this ends either way
    }
    resetCsrf()
    this.#toSignIn(false)
  }

  close(): void {
    removeEventListener('popstate', this.#onPopState)
    clearInterval(this.#clock)
    this.#stop()
    this.feed.close()
    for (const r of [this.kpis, this.departments, this.localities, this.trend, this.procedures, this.reports, this.list, this.timeline, this.catalogue]) r.close()
  }

  #toSignIn(ended: boolean): void {
    const params = new URLSearchParams({ ...(ended ? { ended: '1', next: location.pathname + location.search } : {}), ...(this.lang === 'vi' ? {} : { lang: this.lang }) })
    const query = params.toString()
    location.assign(query ? `/login?${query}` : '/login')
  }

  /** A 401 anywhere means the session ended: sign in again, and come back to this very view. */
  #failed(err: unknown): void {
    if (err instanceof ApiError && err.status === 401) this.#toSignIn(true)
  }
}
