// Alert detection for the ticker: pure comparisons of the previous and the current live state against the
// dashboard's rules. An alert fires on the change (into a worse band, to offline, over the crowd line), not
// on every frame the condition holds, so the ticker shows events an operator can act on. Each domain brings
// its own detector (environment/alerts.ts, cameras/alerts.ts); going offline is the frame's, for every list.
import type { AlertRules, DeviceStatus, WallLanguage } from '../../../contract/index.ts'
import { t } from './i18n.ts'

export interface WallAlert {
  /** Stable per event, so a re-render does not duplicate it. */
  key: string
  kind: string
  at: number
  /** 0 = information … 2 = critical; drives the colour. */
  severity: 0 | 1 | 2
  params: Record<string, string | number>
  /** A colour dot before the text (an AQI band's colour). */
  swatch?: string
  /** The line on the ticker, in the wall's language of the moment. */
  text(lang: WallLanguage): string
}

/**
 * A detector: made once per wall, it remembers what it needs between checks. Its first check only learns
 * the state: a wall that starts up does not replay every current condition.
 */
// `any`: each domain's detector reads its own item type; the feed hands it the items of its list
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AlertDetector<Item = any> = () => (items: Iterable<Item>, rules: AlertRules, now: number) => WallAlert[]

type Reporting = { id: string; name: string; unitName: string | null; status: DeviceStatus }

/** A device of any list going offline, once per change, when the dashboard's rules ask for it. */
export const offlineAlerts: AlertDetector<Reporting> = () => {
  const status = new Map<string, DeviceStatus>()
  let learning = true
  return (items, rules, now) => {
    const out: WallAlert[] = []
    for (const d of items) {
      const before = status.get(d.id)
      status.set(d.id, d.status)
      if (learning || !rules.offline || before === undefined) continue
      if (d.status === 'offline' && before !== 'offline') {
        const params = { name: d.name, unit: d.unitName ?? '–' }
        out.push({ key: `offline:${d.id}:${now}`, kind: 'offline', at: now, severity: 1, params, text: (lang) => t(lang, 'alertOffline', params) })
      }
    }
    learning = false
    return out
  }
}
