// The counter-camera domain on the server: cameras, their live state (people inside, arrivals, traffic,
// status), the `cameras` channel fed by ingest's frames on {root}/live/camera, and the /api/cameras routes.
import { ARRIVALS_WINDOW_MS, CAMERAS_CHANNEL, parseLiveCameraBatch } from '../../contract/index.ts'
import type { DomainContext, ServerDomain } from '../shared/domain.ts'
import { cameraRepository } from './repository.ts'
import { cameraRoutes } from './routes.ts'
import { CameraService } from './service.ts'
import { CameraStates } from './state.ts'

export function camerasDomain(ctx: DomainContext): ServerDomain & { cameras: CameraStates } {
  const repo = cameraRepository(ctx.db)
  const cameras = new CameraStates(ctx.thresholds)
  const service = new CameraService(repo, cameras, ctx.units)
  let stamp = ''
  return {
    name: 'cameras',
    channel: CAMERAS_CHANNEL,
    liveTopic: 'camera',
    cameras,
    async reloadReference(unitNames, unitsChanged) {
      const next = await repo.stamp()
      if (next === stamp && !unitsChanged) return []
      const changed = cameras.setReference(await repo.cameras(), unitNames, ctx.now())
      stamp = next
      return changed
    },
    async load() {
      const periods = await repo.periodsSince(ctx.now() - ARRIVALS_WINDOW_MS)
      const lastSeen = await repo.lastSeen()
      cameras.load(periods, lastSeen, ctx.now())
    },
    applyFrame(json) {
      const batch = parseLiveCameraBatch(json, ctx.now(), ctx.limits)
      if (typeof batch === 'string') return batch
      return { changed: cameras.apply(batch.counts, ctx.now(), batch.committedAt), committedAt: batch.committedAt }
    },
    tick: (now) => cameras.tick(now),
    summaries: () => cameras.summaries(),
    summary: (id) => cameras.summary(id),
    state: (id) => cameras.state(id),
    newestSeen: () => cameras.newestSeen(),
    routes: (router) => cameraRoutes(router, service, ctx.now),
    baseline: (hour) => service.baseline(hour),
  }
}
