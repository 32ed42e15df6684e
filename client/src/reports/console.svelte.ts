// The report console's state, for the dispatcher's queue and the agency's inbox alike: who is signed in (and so
// which of the two this is), the view in the URL (filters, page, the report open), the queue and the open
// report as the server answers them, the reference lists (categories, reply templates, agencies), the unit
// shapes for the map, and the live feed that refetches both when an inbox changes. Every write goes through
// here and answers with a problem (the field at fault) or null, so a form only shows what came back.
import { untrack } from 'svelte'
import {
  ROUTES,
  type ConsoleReportBody,
  type ReportActionBody,
  type ReportCategoriesResponse,
  type ReportContact,
  type ReportDetail,
  type ReportListResponse,
  type SessionView,
  type UnitsResponse,
  type WallLanguage,
} from '../../../contract/index.ts'
import { ApiError, get, resetCsrf, send, sendForm } from '../shared/api.ts'
import { Remote } from '../shared/remote.svelte.ts'
import { problemOf, type Problem } from './format.ts'
import { t } from './i18n.ts'
import { InboxFeed, inboxRoom } from './inbox-feed.svelte.ts'
import { listQuery, readRoute, routeSearch, type ConsoleRoute } from './route.ts'

/** Rows a queue page holds; the map shows every report the filters match, on every page. */
export const QUEUE_PAGE_SIZE = 50
/** Reports turn due soon and overdue by the clock, with no event: the queue is asked again this often anyway. */
const CLOCK_REFRESH_MS = 60_000
/** How long a confirmation ("forwarded to …") stays at the top of the panel. */
const FLASH_MS = 8000

export type UnitShape = UnitsResponse['features'][number]

export class ReportConsole {
  route = $state<ConsoleRoute>(readRoute(location.search))
  session = $state<SessionView | null>(null)
  sessionError = $state<unknown>(null)
  reference = $state<ReportCategoriesResponse | null>(null)
  /** Unit boundaries for the map; null when the caller may not read them (agency staff) or they failed. */
  units = $state<UnitShape[] | null>(null)
  feed = $state<InboxFeed | null>(null)
  /** The phone intake form is open in place of the report. */
  intakeOpen = $state(false)
  flash = $state<string | null>(null)
  refreshedAt = $state<number | null>(null)
  signingOut = $state(false)

  readonly queue = new Remote<ReportListResponse>((e) => this.#failed(e))
  readonly detail = new Remote<ReportDetail>((e) => this.#failed(e))

  lang = $derived<WallLanguage>(this.route.lang)
  principal = $derived(this.session?.principal ?? null)
  /** Dispatchers (and admins) read every report; agency staff their agency's inbox. */
  dispatcher = $derived(this.principal?.permissions.includes('reports:dispatch') ?? false)
  agencyId = $derived(this.dispatcher ? null : (this.principal?.agencyUnitId ?? null))
  agencyName = $derived(this.agencyId ? (this.reference?.agencies.find((a) => a.id === this.agencyId)?.name ?? this.agencyId) : null)
  /** Agency staff without an agency read nothing: the server refuses them, the page says why. */
  unassigned = $derived(this.principal !== null && !this.dispatcher && this.agencyId === null)
  /** The open report as answered for the report in the route (never another report's, while a new one loads). */
  open = $derived(this.detail.value && this.detail.valueKey === this.route.report ? this.detail.value : null)

  /** Those who may read the unit boundaries get the map, and so the queue's points with each page. */
  mapped = $derived(this.principal?.permissions.includes('live:read') ?? false)

  #listKey = $derived(JSON.stringify(listQuery(this.route, QUEUE_PAGE_SIZE, this.mapped)))
  #stop: () => void
  #clock: ReturnType<typeof setInterval>
  #flashTimer: ReturnType<typeof setTimeout> | null = null
  #onPopState = () => (this.route = readRoute(location.search))

  constructor() {
    addEventListener('popstate', this.#onPopState)
    this.#clock = setInterval(() => this.refresh(), CLOCK_REFRESH_MS)
    this.#stop = $effect.root(() => {
      $effect(() => {
        const key = this.#listKey
        if (this.session && !this.unassigned) untrack(() => this.#loadQueue(key, false))
      })
      $effect(() => {
        const id = this.route.report
        if (this.session && !this.unassigned) untrack(() => this.#loadDetail(id, false))
      })
    })
  }

  /**
   * Reads the session, which starts the queue and the open report; the reference lists and (for those who may)
   * the unit shapes come beside them, so a slow link shows the list first. Joins the live feed.
   */
  async start(): Promise<void> {
    try {
      const session = await get(ROUTES.session)
      resetCsrf(session.csrfToken)
      this.sessionError = null
      this.session = session
      const p = session.principal
      // without the lists the filters and forms offer no choices; the queue and the report still show
      void get(ROUTES.reportCategories).then((r) => (this.reference = r), (e: unknown) => this.#failed(e))
      if (p.permissions.includes('live:read')) {
        void get(ROUTES.units).then((u) => (this.units = u.features.filter((f) => f.geometry !== null)), (e: unknown) => this.#failed(e))
      }
      const dispatcher = p.permissions.includes('reports:dispatch')
      if (dispatcher || p.agencyUnitId) {
        this.feed?.close()
        this.feed = new InboxFeed(
          inboxRoom(dispatcher ? null : p.agencyUnitId),
          () => this.refresh(),
          () => this.#toSignIn(true),
        )
      }
    } catch (err) {
      this.#failed(err)
      this.sessionError = err
    }
  }

  /** Asks again for the queue and the open report (a live change, the clock, a retry). */
  refresh(): void {
    if (!this.session || this.unassigned) return
    this.#loadQueue(this.#listKey, true)
    this.#loadDetail(this.route.report, true)
  }

  /** Changes the filters (back to the first page unless a page is given); not worth a back-button step. */
  filter(patch: Partial<Omit<ConsoleRoute, 'report' | 'lang'>>): void {
    this.route = { ...this.route, page: 1, ...patch }
    history.replaceState(null, '', routeSearch(this.route))
  }

  /** Opens a report beside the queue (a back-button step: Back returns to the one before). */
  select(id: string | null): void {
    this.intakeOpen = false
    if (id === this.route.report) return
    this.route = { ...this.route, report: id }
    history.pushState(null, '', routeSearch(this.route))
  }

  /** The link of a report, for real anchors (a middle click opens it in a new tab). */
  href(id: string): string {
    return routeSearch({ ...this.route, report: id })
  }

  openIntake(): void {
    this.intakeOpen = true
  }

  setLanguage(lang: WallLanguage): void {
    this.route = { ...this.route, lang }
    history.replaceState(null, '', routeSearch(this.route))
  }

  /** Uploads photos to a report (the agency's result, or what a caller sent the dispatcher), one by one. */
  async uploadPhotos(id: string, files: readonly File[], kind: 'report' | 'result'): Promise<Problem | null> {
    try {
      for (const file of files) {
        const form = new FormData()
        form.set('kind', kind)
        form.set('photo', file, file.name)
        await sendForm(ROUTES.reportPhotoUpload, { id }, form)
      }
      return null
    } catch (err) {
      return this.#writeFailed(err, id)
    }
  }

  /** Takes an action on a report; the panel shows the report as the server now has it. */
  async act(id: string, body: ReportActionBody, done?: string): Promise<Problem | null> {
    try {
      const detail = await send(ROUTES.reportAction, { params: { id }, body })
      this.detail.set(id, detail)
      this.#say(done ?? t(this.lang, `done_${body.action}`, { id, agency: detail.agencyName ?? '' }))
      this.#loadQueue(this.#listKey, true)
      return null
    } catch (err) {
      return this.#writeFailed(err, id)
    }
  }

  /**
   * Forwards a report to an agency. The life cycle forwards only a classified report, so a new one is
   * classified first as it stands (its category and priority unchanged), then forwarded: one click for the
   * dispatcher, two steps in its history.
   */
  async forward(report: ReportDetail, agencyId: string, note: string | undefined): Promise<Problem | null> {
    if (!report.actions.includes('forward')) {
      if (!report.actions.includes('classify')) return { status: 409, field: null, message: t(this.lang, 'conflict', { reason: report.state }) }
      const classified = await this.act(report.id, { action: 'classify' }, '')
      if (classified) return classified
    }
    return this.act(report.id, { action: 'forward', agencyId, ...(note ? { note } : {}) })
  }

  /** A report taken by phone: created, then opened beside the queue. */
  async create(body: ConsoleReportBody): Promise<Problem | null> {
    try {
      const detail = await send(ROUTES.reportCreate, { body })
      this.detail.set(detail.id, detail)
      this.select(detail.id)
      this.#say(t(this.lang, 'done_create', { id: detail.id }))
      this.#loadQueue(this.#listKey, true)
      return null
    } catch (err) {
      return this.#writeFailed(err, null)
    }
  }

  /** The reporter's contact details (dispatchers; the server writes every read to the audit log). */
  async contact(id: string): Promise<ReportContact | Problem> {
    try {
      return await get(ROUTES.reportContact, { params: { id } })
    } catch (err) {
      this.#failed(err)
      return problemOf(this.lang, err)
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
    if (this.#flashTimer) clearTimeout(this.#flashTimer)
    this.#stop()
    this.feed?.close()
    this.queue.close()
    this.detail.close()
  }

  #loadQueue(key: string, force: boolean): void {
    const q = this.queue
    if (!force && q.key === key && !(q.error && !q.loading)) return
    const query = listQuery(this.route, QUEUE_PAGE_SIZE, this.mapped)
    this.refreshedAt = Date.now()
    void q.load(key, (signal) => get(ROUTES.reports, { query, signal }))
  }

  #loadDetail(id: string | null, force: boolean): void {
    const d = this.detail
    if (id === null) return d.clear()
    if (!force && d.key === id && !(d.error && !d.loading)) return
    void d.load(id, (signal) => get(ROUTES.report, { params: { id }, signal }))
  }

  #say(text: string): void {
    if (!text) return
    this.flash = text
    if (this.#flashTimer) clearTimeout(this.#flashTimer)
    this.#flashTimer = setTimeout(() => (this.flash = null), FLASH_MS)
  }

  /** A refused write: the report changed meanwhile (or left the inbox) is read again, so the panel is current. */
  #writeFailed(err: unknown, id: string | null): Problem {
    this.#failed(err)
    const problem = problemOf(this.lang, err)
    if (id !== null && (problem.status === 409 || problem.status === 404)) {
      this.#loadDetail(id, true)
      this.#loadQueue(this.#listKey, true)
    }
    return problem
  }

  #toSignIn(ended: boolean): void {
    const next = location.pathname + location.search
    const params = new URLSearchParams({ ...(ended ? { ended: '1', next } : {}), ...(this.lang === 'vi' ? {} : { lang: this.lang }) })
    const query = params.toString()
    location.assign(query ? `/login?${query}` : '/login')
  }

  /** A 401 anywhere means the session ended: sign in again, and come back to this very view. */
  #failed(err: unknown): void {
    if (err instanceof ApiError && err.status === 401) this.#toSignIn(true)
  }
}
