// The counter cameras' alerts: a service center (all its cameras together) whose people inside reach the
// dashboard's share of its capacity; again only after it went back under. See shared/alerts.ts.
import type { CameraSummary } from '../../../contract/index.ts'
import type { AlertDetector, WallAlert } from '../shared/alerts.ts'
import { t } from './i18n.ts'

type CameraLike = Pick<CameraSummary, 'kind' | 'site' | 'inside' | 'capacity'>

export const crowdAlerts: AlertDetector<CameraLike> = () => {
  /** Sites currently over the crowd line. */
  const crowded = new Set<string>()
  let learning = true
  return (cameras, rules, now) => {
    const out: WallAlert[] = []
    const sites = new Map<string, { inside: number; capacity: number; reporting: boolean }>()
    for (const c of cameras) {
      if (c.kind !== 'service_center') continue
      let site = sites.get(c.site)
      if (!site) sites.set(c.site, (site = { inside: 0, capacity: 0, reporting: false }))
      if (c.capacity !== null) site.capacity += c.capacity
      if (c.inside !== null) {
        site.inside += c.inside
        site.reporting = true
      }
    }
    if (rules.crowdRatio !== null) {
      for (const [name, site] of sites) {
        const over = site.reporting && site.capacity > 0 && site.inside >= rules.crowdRatio * site.capacity
        if (over && !crowded.has(name)) {
          crowded.add(name)
          if (learning) continue
          const share = site.inside / site.capacity
          const params = { site: name, people: site.inside, pct: Math.round(share * 100) }
          out.push({ key: `crowd:${name}:${now}`, kind: 'crowd', at: now, severity: share >= 1 ? 2 : 1, params, text: (lang) => t(lang, 'alertCrowd', params) })
        } else if (!over) crowded.delete(name)
      }
    }
    learning = false
    return out
  }
}
