// The dossier domain on the server: the leader screens' REST routes (server/dossiers/routes.ts) and the
// `dossiers` live channel. Ingest's frames on {root}/live/dossier name the units whose dossiers changed; the
// channel marks each of them and every unit above it, so a leader's screen (in the room of its unit) and the
// wall (in the list room) hear of a change anywhere below what they show, and refetch.
import { DOSSIERS_CHANNEL, parseLiveDossierFrame, type ReportIndexInputs } from '../../contract/index.ts'
import type { DossierConfig } from '../../core/config.ts'
import type { DomainContext, ServerDomain } from '../shared/domain.ts'
import { unitChanges } from '../shared/unit-changes.ts'
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
  const units = unitChanges(ctx)
  let lastMinute = 0
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
      service.changed()
      return units.apply(frame)
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
    summaries: units.summaries,
    summary: units.state,
    state: units.state,
    newestSeen: units.newestSeen,
    routes: (router) => dossierRoutes(router, service),
    baseline: async () => ({}),
  }
}
