// The ticker's list: runs every registered domain's alert detection (and the offline one for every list)
// over the live state once a second (cheap: a pass over a few hundred items) and keeps the newest
// MAX_ALERTS, so a long unattended run holds a bounded list.
import type { AlertRules, LiveList } from '../../../contract/index.ts'
import { offlineAlerts, type AlertDetector, type WallAlert } from './alerts.ts'
import { isMapped, type WallDomain } from './domain.ts'
import { wallStats, type LiveData } from './live.svelte.ts'

export const MAX_ALERTS = 20

export class AlertFeed {
  items = $state<WallAlert[]>([])
  rules: AlertRules | null = null
  #checks: { list: LiveList; check: ReturnType<AlertDetector> }[]
  #timer: ReturnType<typeof setInterval>

  constructor(live: LiveData, domains: readonly WallDomain[]) {
    // going offline is a device's: domains with nothing on the map (dossiers) have no status to lose
    this.#checks = domains.flatMap((d) => [...(d.alerts ? [{ list: d.list, check: d.alerts() }] : []), ...(isMapped(d) ? [{ list: d.list, check: offlineAlerts() }] : [])])
    this.#timer = setInterval(() => this.check(live), 1000)
  }

  check(live: LiveData): void {
    // nothing to compare before the first snapshot
    if (!this.rules || live.snapshotVersion === 0) return
    wallStats.alertChecks++
    const now = Date.now()
    const fresh = this.#checks.flatMap(({ list, check }) => check(live.list(list).values(), this.rules!, now))
    if (fresh.length) this.items = [...fresh.reverse(), ...this.items].slice(0, MAX_ALERTS)
  }

  close(): void {
    clearInterval(this.#timer)
  }
}
