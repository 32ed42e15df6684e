// The dossier domain on the server: the leader screens' REST routes (server/dossiers/routes.ts) and the
// `dossiers` live channel. Ingest's frames on {root}/live/dossier name the units whose dossiers changed; the
// channel marks each of them and every unit above it, so a leader's screen (in the room of its unit) and the
// wall (in the list room) hear of a change anywhere below what they show, and refetch.
import { DOSSIERS_CHANNEL, parseLiveDossierFrame, type DossierUnitState, type ReportIndexInputs } from '../../contract/index.ts'
import type { DossierConfig } from '../../core/config.ts'
import type { DomainContext, ServerDomain } from '../shared/domain.ts'
import { dossierRepository } from './repository.ts'
import { dossierRoutes } from './routes.ts'
import { DossierService } from './service.ts'

export function dossiersDomain(
  ctx: DomainContext,
  config: DossierConfig,
  /** Citizen reports per agency for 766 indicators 5.2 and 5.3 (server/domains.ts wires the reports domain's). */
  reportIndex?: (from: number, to: number) => Promise<ReadonlyMap<string, ReportIndexInputs>>,
): ServerDomain & { service: DossierService } {
  const service = new DossierService(dossierRepository(ctx.db), ctx.units, config, ctx.now, reportIndex)
  const changedAt = new Map<string, number>()
  let newest: number | null = null
  let lastMinute = 0
  const state = (id: string): DossierUnitState | null => {
    if (!ctx.units().some((u) => u.id === id)) return null
    const t = changedAt.get(id)
    return { id, changedAt: t === undefined ? null : new Date(t).toISOString() }
  }
  return {
    name: 'dossiers',
    channel: DOSSIERS_CHANNEL,
    liveTopic: 'dossier',
    service,
    // the units are the channel's items: nothing of its own to re-read
    reloadReference: async () => [],
    load: async () => {},
    applyFrame(json) {
      const frame = parseLiveDossierFrame(json, ctx.now(), ctx.limits)
      if (typeof frame === 'string') return frame
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
      service.changed()
      return { changed, committedAt: frame.committedAt }
    },
    // the wall's "month to date" and its due-soon list move with the clock too
    tick: (now) => {
      const minute = Math.floor(now / 60_000)
      if (minute !== lastMinute) {
        lastMinute = minute
        service.changed()
      }
      return []
    },
    summaries: () => ctx.units().map((u) => state(u.id)!),
    summary: state,
    state,
    newestSeen: () => newest,
    routes: (router) => dossierRoutes(router, service),
    baseline: async () => ({}),
  }
}
