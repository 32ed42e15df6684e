// The station the "worst" AQI trend follows: the worst VN_AQI now, changing at most every WORST_HOLD_MS so
// the chart does not flap between two close stations. One per wall, kept across screen changes.
import { untrack } from 'svelte'
import type { WallKpiState } from '../shared/kpis.svelte.ts'
import type { LiveData } from '../shared/live.svelte.ts'

export const WORST_HOLD_MS = 60_000

export class WorstStation {
  id = $state<string | null>(null)
  #since = 0

  constructor(kpis: WallKpiState, live: LiveData) {
    $effect.root(() => {
      $effect(() => {
        const worst = kpis.now.worstAqi?.stationId ?? null
        untrack(() => this.#consider(worst, live))
      })
    })
  }

  #consider(worst: string | null, live: LiveData): void {
    const t = performance.now()
    const gone = this.id !== null && !live.list('stations').has(this.id)
    if (worst === this.id) return
    if (this.id === null || gone || (worst !== null && t - this.#since > WORST_HOLD_MS)) {
      this.id = worst
      this.#since = t
    }
  }
}

const held = new WeakMap<WallKpiState, WorstStation>()

/** The wall's WorstStation, made at first use. */
export function worstStationOf(kpis: WallKpiState, live: LiveData): WorstStation {
  let w = held.get(kpis)
  if (!w) held.set(kpis, (w = new WorstStation(kpis, live)))
  return w
}
