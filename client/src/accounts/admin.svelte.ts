// The admin page's state: who is signed in and what they may open, the language, which section is shown
// (the URL's #hash, so a reload or the back button keeps it), the units the pickers offer, and the users,
// kiosk links, API keys and audit log with the writes on them. A write answers with the changed record,
// which replaces the listed one; the audit log is reloaded only when the admin opens it.
import {
  ROUTES,
  WALL_LANGUAGES,
  type ApiKeyCreated,
  type ApiKeyView,
  type KioskCreated,
  type KioskView,
  type NewUserBody,
  type Permission,
  type SessionView,
  type UnitFeature,
  type UserChangeBody,
  type UserView,
  type WallLanguage,
} from '../../../contract/index.ts'
import { ApiError, get, resetCsrf, send } from '../shared/api.ts'
import { AuditLog } from './audit-log.svelte.ts'
import { WorkCalendar } from './calendar.svelte.ts'
import { ReportRoutes } from './report-routes.svelte.ts'
import { RemoteList } from './remote-list.svelte.ts'

export const SECTIONS = ['users', 'kiosks', 'apiKeys', 'audit', 'calendar', 'reportRoutes'] as const
export type Section = (typeof SECTIONS)[number]

/** What each section needs; the page itself opens for either permission (server/service.ts, /admin). */
const SECTION_NEEDS: Record<Section, Permission> = { users: 'accounts:manage', kiosks: 'accounts:manage', apiKeys: 'accounts:manage', audit: 'audit:read', calendar: 'reference:manage', reportRoutes: 'reference:manage' }

/** A unit as a picker offers it: in tree order, with its depth for indenting. */
export interface UnitOption {
  id: string
  name: string
  level: string
  depth: number
}

/** The unit tree flattened depth-first, children by name, so a commune is listed under its district. */
export function unitOptions(features: readonly Pick<UnitFeature, 'properties'>[]): UnitOption[] {
  const byParent = new Map<string | null, UnitFeature['properties'][]>()
  const ids = new Set(features.map((f) => f.properties.id))
  for (const { properties: p } of features) {
    // a unit whose parent is not listed is shown as a root rather than lost
    const parent = p.parentId !== null && ids.has(p.parentId) ? p.parentId : null
    byParent.set(parent, [...(byParent.get(parent) ?? []), p])
  }
  const out: UnitOption[] = []
  const visit = (parent: string | null, depth: number) => {
    for (const p of (byParent.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name, 'vi'))) {
      out.push({ id: p.id, name: p.name, level: p.level, depth })
      visit(p.id, depth + 1)
    }
  }
  visit(null, 0)
  return out
}

function initialLanguage(search: string): WallLanguage {
  const asked = new URLSearchParams(search).get('lang') ?? ''
  return (WALL_LANGUAGES as readonly string[]).includes(asked) ? (asked as WallLanguage) : 'vi'
}

export class AdminState {
  lang = $state<WallLanguage>('vi')
  session = $state<SessionView | null>(null)
  sessionError = $state<unknown>(null)
  /** The section the URL asks for; `section` falls back to one the admin may open. */
  asked = $state<Section | null>(null)
  units = $state<UnitOption[]>([])
  unitsFailed = $state(false)
  signingOut = $state(false)
  signOutError = $state<unknown>(null)

  readonly users = new RemoteList<UserView>((signal) => get(ROUTES.users, { signal }), (err) => this.#failed(err))
  readonly kiosks = new RemoteList<KioskView>((signal) => get(ROUTES.kiosks, { signal }), (err) => this.#failed(err))
  readonly apiKeys = new RemoteList<ApiKeyView>((signal) => get(ROUTES.apiKeys, { signal }), (err) => this.#failed(err))
  readonly audit = new AuditLog((err) => this.#failed(err))
  readonly calendar = new WorkCalendar((err) => this.#failed(err))
  readonly reportRoutes = new ReportRoutes((err) => this.#failed(err))

  permissions = $derived(new Set<Permission>(this.session?.principal.permissions ?? []))
  sections = $derived(SECTIONS.filter((s) => this.permissions.has(SECTION_NEEDS[s])))
  section = $derived<Section | null>(this.asked && this.sections.includes(this.asked) ? this.asked : (this.sections[0] ?? null))
  unitNames = $derived(new Map(this.units.map((u) => [u.id, u.name])))

  #onHash = () => (this.asked = sectionOf(location.hash))

  constructor() {
    this.lang = initialLanguage(location.search)
    this.asked = sectionOf(location.hash)
    addEventListener('hashchange', this.#onHash)
  }

  /** Reads the session, then everything the admin may see (the audit log when its section is first opened). */
  async start(): Promise<void> {
    try {
      this.session = await get(ROUTES.session)
      resetCsrf(this.session.csrfToken)
      this.sessionError = null
    } catch (err) {
      this.#failed(err)
      this.sessionError = err
      return
    }
    if (this.permissions.has('accounts:manage')) {
      void this.users.load()
      void this.kiosks.load()
      void this.apiKeys.load()
      void this.#loadUnits()
    }
  }

  setLanguage(lang: WallLanguage): void {
    this.lang = lang
    const url = new URL(location.href)
    url.searchParams.set('lang', lang)
    history.replaceState(null, '', url)
  }

  unitName(id: string | null): string | null {
    return id === null ? null : (this.unitNames.get(id) ?? id)
  }

  async signOut(): Promise<void> {
    this.signingOut = true
    this.signOutError = null
    try {
      await send(ROUTES.signOut)
      resetCsrf()
      location.assign(this.#signInPage())
    } catch (err) {
      // already signed out (elsewhere, or the session expired): the sign-in page is where this ends anyway
      if (err instanceof ApiError && err.status === 401) return location.assign(this.#signInPage())
      this.signOutError = err
      this.signingOut = false
    }
  }

  // --- writes: each returns the changed record and puts it in its list; a refusal is thrown to the form ----

  async addUser(body: NewUserBody): Promise<UserView> {
    return this.#put(this.users, await this.#write(() => send(ROUTES.addUser, { body })))
  }

  async changeUser(username: string, body: UserChangeBody): Promise<UserView> {
    return this.#put(this.users, await this.#write(() => send(ROUTES.changeUser, { params: { username }, body })))
  }

  async addKiosk(name: string): Promise<KioskCreated> {
    const created = await this.#write(() => send(ROUTES.addKiosk, { body: { name } }))
    const { url: _secret, ...view } = created
    this.kiosks.put(view)
    return created
  }

  async revokeKiosk(name: string): Promise<KioskView> {
    return this.#put(this.kiosks, await this.#write(() => send(ROUTES.revokeKiosk, { params: { name } })))
  }

  async addApiKey(name: string, username: string): Promise<ApiKeyCreated> {
    const created = await this.#write(() => send(ROUTES.addApiKey, { body: { name, username } }))
    const { key: _secret, ...view } = created
    this.apiKeys.put(view)
    return created
  }

  async revokeApiKey(id: string): Promise<ApiKeyView> {
    return this.#put(this.apiKeys, await this.#write(() => send(ROUTES.revokeApiKey, { params: { id } })))
  }

  close(): void {
    removeEventListener('hashchange', this.#onHash)
    this.users.close()
    this.kiosks.close()
    this.apiKeys.close()
    this.audit.close()
    this.calendar.close()
    this.reportRoutes.close()
  }

  async #loadUnits(): Promise<void> {
    try {
      this.units = unitOptions((await get(ROUTES.units)).features)
      this.unitsFailed = false
    } catch (err) {
      this.#failed(err)
      this.unitsFailed = true
    }
  }

  #put<T extends { id: string }>(list: RemoteList<T>, item: T): T {
    list.put(item)
    return item
  }

  async #write<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (err) {
      this.#failed(err)
      throw err
    }
  }

  /** The sign-in page, in the language the admin was reading. */
  #signInPage(params: Record<string, string> = {}): string {
    const query = new URLSearchParams({ ...params, ...(this.lang === 'vi' ? {} : { lang: this.lang }) }).toString()
    return query ? `/login?${query}` : '/login'
  }

  /** A 401 anywhere means the session ended (signed out elsewhere, expired, the account disabled): sign in again. */
  #failed(err: unknown): void {
    if (err instanceof ApiError && err.status === 401) {
      location.assign(this.#signInPage({ ended: '1', next: '/admin' }))
    }
  }
}

function sectionOf(hash: string): Section | null {
  const name = hash.replace(/^#/, '')
  return (SECTIONS as readonly string[]).includes(name) ? (name as Section) : null
}
