// The environment domain on the server: stations, their live state (values, status, VN_AQI), the `stations`
// channel fed by ingest's frames on {root}/live/env, and the /api/stations routes.
import { STATIONS_CHANNEL, parseLiveEnvBatch } from '../../contract/index.ts'
import { deviceDomain } from '../shared/device-domain.ts'
import type { DomainContext, ServerDomain } from '../shared/domain.ts'
import { environmentRepository, nowCastWindowStart } from './repository.ts'
import { environmentRoutes } from './routes.ts'
import { StationService } from './service.ts'
import { StationStates } from './state.ts'

export function environmentDomain(ctx: DomainContext): ServerDomain & { stations: StationStates } {
  const repo = environmentRepository(ctx.db)
  const stations = new StationStates(ctx.thresholds)
  const service = new StationService(repo, stations, ctx.units)
  const domain = deviceDomain(ctx, {
    name: 'environment',
    channel: STATIONS_CHANNEL,
    liveTopic: 'env',
    store: stations,
    reference: { stamp: () => repo.stamp(), rows: () => repo.stations() },
    async load(now) {
      const latest = await repo.latest()
      const hourly = await repo.hourlySums({ from: nowCastWindowStart(now) })
      stations.load(latest, hourly, ctx.now())
    },
    readFrame(json) {
      const batch = parseLiveEnvBatch(json, ctx.now(), ctx.limits)
      return typeof batch === 'string' ? batch : { items: batch.readings, committedAt: batch.committedAt }
    },
    routes: (router) => environmentRoutes(router, service, ctx.now),
    baseline: (hour) => service.baseline(hour),
  })
  return { ...domain, stations }
}
