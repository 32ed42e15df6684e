// Which dashboard and screen the wall shows, in which language, and the rotation between screens.
// `?dashboard=`, `?screen=` and `?lang=` pin a view; without `?screen=` the screens rotate forever on
// their own timers, so nothing on the wall needs a keyboard or a mouse to keep working.
import { ROUTES, type DashboardScreen, type WallDefinition, type WallLanguage } from '../../../contract/index.ts'
import { get } from './api.ts'
import { wallStats } from './live.svelte.ts'
import { pickDashboard, readParams, type WallParams } from './wall-params.ts'

export class WallView {
  params = $state<WallParams>({ dashboard: null, screen: null, lang: 'vi' })
  definition = $state<WallDefinition | null>(null)
  /** Index of the screen shown when rotating. */
  index = $state(0)
  loadError = $state<string | null>(null)

  dashboardPick = $derived(this.definition ? pickDashboard(this.definition, this.params.dashboard) : { dashboard: null, missing: null })
  dashboard = $derived(this.dashboardPick.dashboard)
  pinned = $derived(this.dashboard && this.params.screen ? (this.dashboard.screens.find((s) => s.id === this.params.screen) ?? null) : null)
  missingScreen = $derived(this.dashboard && this.params.screen && !this.pinned ? this.params.screen : null)
  screen = $derived<DashboardScreen | null>(this.pinned ?? this.dashboard?.screens[this.index % Math.max(1, this.dashboard.screens.length)] ?? null)

  #timer: ReturnType<typeof setTimeout> | null = null

  constructor(search: string) {
    this.params = readParams(search)
  }

  /** Fetches the definition; on failure keeps what it has and tries again. */
  async load(signal?: AbortSignal): Promise<void> {
    try {
      this.set(await get(ROUTES.wall, { signal }))
      this.loadError = null
    } catch (err) {
      if (signal?.aborted) return
      this.loadError = String(err)
      setTimeout(() => void this.load(signal), 5000)
    }
  }

  set(def: WallDefinition): void {
    this.definition = def
    this.#rotate()
  }

  setLanguage(lang: WallLanguage): void {
    this.params = { ...this.params, lang }
    const url = new URL(location.href)
    url.searchParams.set('lang', lang)
    history.replaceState(null, '', url)
  }

  close(): void {
    if (this.#timer) clearTimeout(this.#timer)
  }

  /** (Re)arms the rotation timer for the current screen. */
  #rotate(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    const d = this.dashboard
    if (!d || this.pinned || d.screens.length < 2) return
    if (this.index >= d.screens.length) this.index = 0
    this.#timer = setTimeout(() => {
      wallStats.screenChanges++
      wallStats.lastScreenChangeAt = performance.now()
      this.index = (this.index + 1) % d.screens.length
      this.#rotate()
    }, this.screen!.seconds * 1000)
  }
}
