// The KPI tiles' numbers: computed from live state with the contract's computeKpis (the server computes
// yesterday's baseline with the same function), refreshed with the panels, and yesterday's values fetched
// at start, after every reconnect and when the clock hour turns.
import { ROUTES, computeKpis, hourStart, type KpiBaselineResponse, type WallKpis } from '../../../contract/index.ts'
import { get } from './api.ts'
import type { LiveData } from './live.svelte.ts'

export class WallKpiState {
  now = $state<WallKpis>(computeKpis({}))
  baseline = $state<KpiBaselineResponse | null>(null)

  #live: LiveData
  #stopEffects: () => void
  #hourTimer: ReturnType<typeof setInterval>
  #hour = -1
  #abort: AbortController | null = null

  constructor(live: LiveData) {
    this.#live = live
    this.#stopEffects = $effect.root(() => {
      $effect(() => {
        void live.panelVersion
        this.now = computeKpis(this.#live.values())
      })
      $effect(() => {
        void live.snapshotVersion
        void this.#fetchBaseline()
      })
    })
    this.#hourTimer = setInterval(() => {
      if (hourStart(Date.now()) !== this.#hour) void this.#fetchBaseline()
    }, 30_000)
  }

  close(): void {
    this.#stopEffects()
    clearInterval(this.#hourTimer)
    this.#abort?.abort()
  }

  async #fetchBaseline(): Promise<void> {
    this.#abort?.abort()
    const abort = (this.#abort = new AbortController())
    const now = Date.now()
    this.#hour = hourStart(now)
    try {
      this.baseline = await get(ROUTES.kpiBaseline, { query: { at: now }, signal: abort.signal })
    } catch {
      // the tiles show "no data for yesterday" until the next hour or reconnect
    }
  }
}

