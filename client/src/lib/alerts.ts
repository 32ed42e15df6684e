// Alert detection for the ticker: pure comparisons of the previous and the current live state against the
// dashboard's rules. An alert fires on the change (into a worse band, to offline, over the crowd line), not
// on every frame the condition holds, so the ticker shows events an operator can act on.
import { AQI_BANDS, bandRank, type AlertRules, type AqiBandKey, type CameraSummary, type DeviceStatus, type StationSummary } from '../../../contract/index.ts'

export type AlertKind = 'aqi' | 'offline' | 'crowd'

export interface WallAlert {
  /** Stable per event, so a re-render does not duplicate it. */
  key: string
  kind: AlertKind
  at: number
  /** 0 = information … 2 = critical; drives the colour. */
  severity: 0 | 1 | 2
  params: Record<string, string | number>
  band?: AqiBandKey
}

/** What alert detection remembers between frames. */
export interface AlertMemory {
  stationBand: Map<string, AqiBandKey | null>
  status: Map<string, DeviceStatus>
  /** Sites currently over the crowd line (an alert fires again only after they go back under). */
  crowded: Set<string>
}

export function emptyAlertMemory(): AlertMemory {
  return { stationBand: new Map(), status: new Map(), crowded: new Set() }
}

type StationLike = Pick<StationSummary, 'id' | 'name' | 'unitName' | 'status' | 'aqi'>
type CameraLike = Pick<CameraSummary, 'id' | 'name' | 'unitName' | 'status' | 'kind' | 'site' | 'inside' | 'capacity'>

/**
 * Compares the current state with the memory, returns the new alerts and updates the memory. The first
 * call (empty memory) only learns the state: a wall that starts up does not replay every current condition.
 */
export function detectAlerts(memory: AlertMemory, stations: Iterable<StationLike>, cameras: Iterable<CameraLike>, rules: AlertRules, now: number): WallAlert[] {
  const learning = memory.status.size === 0
  const out: WallAlert[] = []
  const minRank = bandRank(rules.aqiBand)
  for (const s of stations) {
    const band = s.aqi && s.status !== 'offline' ? s.aqi.band : null
    const before = memory.stationBand.get(s.id)
    if (!learning && band !== null && before !== undefined) {
      const rank = bandRank(band)
      if (rank >= minRank && (before === null || rank > bandRank(before))) {
        out.push({
          key: `aqi:${s.id}:${band}:${now}`,
          kind: 'aqi',
          at: now,
          severity: rank >= bandRank('bad') ? 2 : 1,
          band,
          params: { station: s.name, unit: s.unitName ?? '–', value: s.aqi!.value, band },
        })
      }
    }
    memory.stationBand.set(s.id, band)
    noteStatus(memory, out, learning, rules, now, s.id, s.name, s.unitName, s.status)
  }
  const sites = new Map<string, { inside: number; capacity: number; reporting: boolean }>()
  for (const c of cameras) {
    noteStatus(memory, out, learning, rules, now, c.id, c.name, c.unitName, c.status)
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
      if (over && !memory.crowded.has(name)) {
        memory.crowded.add(name)
        if (!learning) {
          const share = site.inside / site.capacity
          out.push({ key: `crowd:${name}:${now}`, kind: 'crowd', at: now, severity: share >= 1 ? 2 : 1, params: { site: name, people: site.inside, pct: Math.round(share * 100) } })
        }
      } else if (!over) memory.crowded.delete(name)
    }
  }
  return out
}

function noteStatus(memory: AlertMemory, out: WallAlert[], learning: boolean, rules: AlertRules, now: number, id: string, name: string, unitName: string | null, status: DeviceStatus): void {
  const before = memory.status.get(id)
  memory.status.set(id, status)
  if (learning || !rules.offline || before === undefined) return
  if (status === 'offline' && before !== 'offline') {
    out.push({ key: `offline:${id}:${now}`, kind: 'offline', at: now, severity: 1, params: { name, unit: unitName ?? '–' } })
  }
}

export function bandLabel(key: AqiBandKey, lang: 'vi' | 'en'): string {
  return AQI_BANDS.find((b) => b.key === key)![lang]
}
