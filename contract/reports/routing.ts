// Where a citizen report goes and what it may repeat. Routing (as FixMyStreet does it): the report's point is
// matched to the units containing it, deepest first, and the first (unit, category) rule names the agency in
// charge; a rule for the province covers everything below it; with no rule the province's IOC keeps it.
// Duplicates: open reports of the same category within a distance (250 m) received in the last days (7) are
// suggested, nearest first. Pure: units, rules and candidates are parameters.

import { haversineMeters } from '../shared/geo.ts'
import type { Position, Unit } from '../shared/units.ts'

export interface RoutingRule {
  /** The area the rule covers (with everything below it). */
  unitId: string
  category: string
  /** The agency (a unit) that handles such reports there. */
  agencyId: string
}

export interface Route {
  agencyId: string
  /** The rule that chose it, or null when nothing matched and the fallback keeps it. */
  rule: RoutingRule | null
}

/**
 * The agency for a report of `category` in `unitId` (the deepest unit containing its point, or null when it
 * has no point): the rule of the nearest unit up the tree, else `fallback` (the IOC).
 */
export function routeReport(units: readonly Pick<Unit, 'id' | 'parentId'>[], rules: readonly RoutingRule[], unitId: string | null, category: string, fallback: string): Route {
  const parent = new Map(units.map((u) => [u.id, u.parentId]))
  const seen = new Set<string>()
  for (let id = unitId; id !== null && id !== undefined && !seen.has(id); id = parent.get(id) ?? null) {
    seen.add(id)
    const rule = rules.find((r) => r.unitId === id && r.category === category)
    if (rule) return { agencyId: rule.agencyId, rule }
  }
  return { agencyId: fallback, rule: null }
}

export interface DuplicateCandidate {
  id: string
  category: string
  position: Position | null
  receivedAt: number
  open: boolean
}

export interface DuplicatePolicy {
  /** Metres (REPORT_DUPLICATE_METERS). */
  meters: number
  /** Milliseconds back from the new report (REPORT_DUPLICATE_DAYS). */
  withinMs: number
}

export const DEFAULT_DUPLICATE_POLICY: DuplicatePolicy = { meters: 250, withinMs: 7 * 86_400_000 }

/** Open reports of the same category close to the new one and recent enough, nearest first, with their distance. */
export function suggestDuplicates(
  report: { id: string; category: string; position: Position | null; receivedAt: number },
  candidates: readonly DuplicateCandidate[],
  policy: DuplicatePolicy = DEFAULT_DUPLICATE_POLICY,
): { id: string; meters: number }[] {
  if (!report.position) return []
  const out: { id: string; meters: number }[] = []
  for (const c of candidates) {
    if (c.id === report.id || !c.open || c.category !== report.category || !c.position) continue
    if (c.receivedAt < report.receivedAt - policy.withinMs || c.receivedAt > report.receivedAt) continue
    const meters = haversineMeters(report.position, c.position)
    if (meters <= policy.meters) out.push({ id: c.id, meters: Math.round(meters) })
  }
  return out.sort((a, b) => a.meters - b.meters || a.id.localeCompare(b.id))
}
