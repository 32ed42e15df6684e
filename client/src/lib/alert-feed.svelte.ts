// The ticker's list: runs alert detection over the live state once a second (cheap: a pass over a few
// hundred devices) and keeps the newest MAX_ALERTS, so a long unattended run holds a bounded list.
import type { AlertRules } from '../../../contract/index.ts'
import { detectAlerts, emptyAlertMemory, type WallAlert } from './alerts.ts'
import { wallStats, type LiveData } from './live.svelte.ts'

export const MAX_ALERTS = 20

export class AlertFeed {
  items = $state<WallAlert[]>([])
  rules: AlertRules | null = null
  #memory = emptyAlertMemory()
  #timer: ReturnType<typeof setInterval>

  constructor(live: LiveData) {
    this.#timer = setInterval(() => this.check(live), 1000)
  }

  check(live: LiveData): void {
    if (!this.rules || live.stations.size === 0) return
    wallStats.alertChecks++
    const fresh = detectAlerts(this.#memory, live.stations.values(), live.cameras.values(), this.rules, Date.now())
    if (fresh.length) this.items = [...fresh.reverse(), ...this.items].slice(0, MAX_ALERTS)
  }

  close(): void {
    clearInterval(this.#timer)
  }
}
