// The environment domain on the server: stations, their live state (values, status, VN_AQI), the `stations`
// channel fed by ingest's frames on {root}/live/env, and the /api/stations routes.
import { STATIONS_CHANNEL, parseLiveEnvBatch } from '../../contract/index.ts'
import type { DomainContext, ServerDomain } from '../shared/domain.ts'
import { environmentRepository, nowCastWindowStart } from './repository.ts'
import { environmentRoutes } from './routes.ts'
import { StationService } from './service.ts'
import { StationStates } from './state.ts'

export function environmentDomain(ctx: DomainContext): ServerDomain & { stations: StationStates } {
  const repo = environmentRepository(ctx.db)
  const stations = new StationStates(ctx.thresholds)
  const service = new StationService(repo, stations, ctx.units)
  let stamp = ''
  return {
    name: 'environment',
    channel: STATIONS_CHANNEL,
    liveTopic: 'env',
    stations,
    async reloadReference(unitNames, unitsChanged) {
      const next = await repo.stamp()
      if (next === stamp && !unitsChanged) return []
      const changed = stations.setReference(await repo.stations(), unitNames, ctx.now())
      stamp = next
      return changed
    },
    async load() {
      const now = ctx.now()
      const latest = await repo.latest()
      const hourly = await repo.hourlySums({ from: nowCastWindowStart(now) })
      stations.load(latest, hourly, ctx.now())
    },
    applyFrame(json) {
      const batch = parseLiveEnvBatch(json, ctx.now(), ctx.limits)
      if (typeof batch === 'string') return batch
      return { changed: stations.apply(batch.readings, ctx.now(), batch.committedAt), committedAt: batch.committedAt }
    },
    tick: (now) => stations.tick(now),
    summaries: () => stations.summaries(),
    summary: (id) => stations.summary(id),
    state: (id) => stations.state(id),
    newestSeen: () => stations.newestSeen(),
    routes: (router) => environmentRoutes(router, service, ctx.now),
    baseline: (hour) => service.baseline(hour),
  }
}
