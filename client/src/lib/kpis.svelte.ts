// The KPI tiles' numbers: computed from live state with the contract's computeKpis (the server computes
// yesterday's baseline with the same function), refreshed with the panels, and yesterday's values fetched
// at start, after every reconnect and when the clock hour turns.
import { computeKpis, type KpiBaselineResponse, type WallKpis } from '../../../contract/index.ts'
import type { LiveData } from './live.svelte.ts'

/** The station the "worst" AQI chart follows changes at most this often, so the chart does not flap between two close stations. */
export const WORST_HOLD_MS = 60_000

export class WallKpiState {
  now = $state<WallKpis>(computeKpis([], []))
  baseline = $state<KpiBaselineResponse | null>(null)
  /** The worst station, held for WORST_HOLD_MS. */
  worstStationId = $state<string | null>(null)

  #live: LiveData
  #stopEffects: () => void
  #hourTimer: ReturnType<typeof setInterval>
  #hour = -1
  #worstSince = 0
  #abort: AbortController | null = null

  constructor(live: LiveData) {
    this.#live = live
    this.#stopEffects = $effect.root(() => {
      $effect(() => {
        void live.panelVersion
        this.#recompute()
      })
      $effect(() => {
        void live.snapshotVersion
        void this.#fetchBaseline()
      })
    })
    this.#hourTimer = setInterval(() => {
      if (Math.floor(Date.now() / 3_600_000) !== this.#hour) void this.#fetchBaseline()
    }, 30_000)
  }

  close(): void {
    this.#stopEffects()
    clearInterval(this.#hourTimer)
    this.#abort?.abort()
  }

  #recompute(): void {
    const k = computeKpis(this.#live.stations.values(), this.#live.cameras.values())
    this.now = k
    const id = k.worstAqi?.stationId ?? null
    const t = performance.now()
    if (this.worstStationId === null || !this.#live.stations.has(this.worstStationId) || (id !== null && id !== this.worstStationId && t - this.#worstSince > WORST_HOLD_MS)) {
      if (id !== this.worstStationId) {
        this.worstStationId = id
        this.#worstSince = t
      }
    }
  }

  async #fetchBaseline(): Promise<void> {
    this.#abort?.abort()
    const abort = (this.#abort = new AbortController())
    this.#hour = Math.floor(Date.now() / 3_600_000)
    try {
      const res = await fetch(`/api/kpis/baseline?at=${Date.now()}`, { signal: abort.signal })
      if (res.ok) this.baseline = (await res.json()) as KpiBaselineResponse
    } catch {
      // the tiles show "no data for yesterday" until the next hour or reconnect
    }
  }
}
