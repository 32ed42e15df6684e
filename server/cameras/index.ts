// The counter-camera domain on the server: cameras, their live state (people inside, arrivals, traffic,
// status), the `cameras` channel fed by ingest's frames on {root}/live/camera, and the /api/cameras routes.
import { ARRIVALS_WINDOW_MS, CAMERAS_CHANNEL, parseLiveCameraBatch } from '../../contract/index.ts'
import { deviceDomain } from '../shared/device-domain.ts'
import type { DomainContext, ServerDomain } from '../shared/domain.ts'
import { cameraRepository } from './repository.ts'
import { cameraRoutes } from './routes.ts'
import { CameraService } from './service.ts'
import { CameraStates } from './state.ts'

export function camerasDomain(ctx: DomainContext): ServerDomain & { cameras: CameraStates } {
  const repo = cameraRepository(ctx.db)
  const cameras = new CameraStates(ctx.thresholds)
  const service = new CameraService(repo, cameras, ctx.units)
  const domain = deviceDomain(ctx, {
    name: 'cameras',
    channel: CAMERAS_CHANNEL,
    liveTopic: 'camera',
    store: cameras,
    reference: { stamp: () => repo.stamp(), rows: () => repo.cameras() },
    async load(now) {
      const periods = await repo.periodsSince(now - ARRIVALS_WINDOW_MS)
      const lastSeen = await repo.lastSeen()
      cameras.load(periods, lastSeen, ctx.now())
    },
    readFrame(json) {
      const batch = parseLiveCameraBatch(json, ctx.now(), ctx.limits)
      return typeof batch === 'string' ? batch : { items: batch.counts, committedAt: batch.committedAt }
    },
    routes: (router) => cameraRoutes(router, service, ctx.now),
    baseline: (hour) => service.baseline(hour),
  })
  return { ...domain, cameras }
}
