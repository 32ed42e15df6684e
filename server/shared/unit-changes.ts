// For live channels whose items are units and whose frames name the units that changed (the dossiers, the
// report inboxes): each named unit and every unit above it is marked changed at the commit time, so a room of
// a unit hears of a change anywhere below it. Screens refetch their scoped figures on the delta.
import type { UnitChangeState } from '../../contract/index.ts'
import type { DomainContext } from './domain.ts'

export function unitChanges(ctx: Pick<DomainContext, 'units'>) {
  const changedAt = new Map<string, number>()
  let newest: number | null = null
  const state = (id: string): UnitChangeState | null => {
    if (!ctx.units().some((u) => u.id === id)) return null
    const t = changedAt.get(id)
    return { id, changedAt: t === undefined ? null : new Date(t).toISOString() }
  }
  return {
    /** Marks the units of a checked frame and those above them; returns the ids to flush. */
    apply(frame: { committedAt: number; units: readonly { unitId: string }[] }): { changed: Set<string>; committedAt: number } {
      const parents = new Map(ctx.units().map((u) => [u.id, u.parentId]))
      const changed = new Set<string>()
      for (const { unitId } of frame.units) {
        // the unit and every unit above it (a cycle in bad reference data must not loop forever)
        for (let id: string | null | undefined = unitId; id && !changed.has(id); id = parents.get(id)) {
          if (!parents.has(id)) break
          changed.add(id)
          changedAt.set(id, frame.committedAt)
        }
      }
      newest = Math.max(newest ?? 0, frame.committedAt)
      return { changed, committedAt: frame.committedAt }
    },
    state,
    summaries: () => ctx.units().map((u) => state(u.id)!),
    newestSeen: () => newest,
  }
}
