// The citizen-report domain on the server: the consoles' REST routes, Open311 at /open311/v2, and the
// `report-inboxes` live channel. A change committed anywhere (this server, another server, ingest's MQTT
// intake) arrives as a frame on {root}/live/report naming the units whose inboxes changed; the channel marks
// each of them and every unit above it, so an agency console (in its unit's room) hears of a change to its
// agency or below, and dispatchers (in the list room) of every change. Sockets join only inboxes they may read.
import { liveReportFrame, parseLiveReportFrame, REPORTS_CHANNEL } from '../../contract/index.ts'
import type { ReportConfig } from '../../core/config.ts'
import { createLogger } from '../../core/log.ts'
import type { DomainContext, ServerDomain } from '../shared/domain.ts'
import { unitChanges } from '../shared/unit-changes.ts'
import { open311Routes } from './open311.ts'
import { photoStore } from './photos.ts'
import { reportRepository } from './repository.ts'
import { reportRoutes } from './routes.ts'
import { ReportService } from './service.ts'

const log = createLogger('reports')
/** How often overdue reports are looked for (escalation is once per report; a minute late is fine). */
const ESCALATION_MS = 60_000

export function reportsDomain(ctx: DomainContext, config: ReportConfig): ServerDomain & { service: ReportService } {
  const service = new ReportService(ctx.db, reportRepository(ctx.db), ctx.units, {
    config,
    hours: ctx.workingHours,
    now: ctx.now,
    photos: photoStore(config.photos),
    announce: (units) => ctx.publishLive('report', liveReportFrame(units, ctx.now())),
  })
  const units = unitChanges(ctx)
  let lastSweep = 0
  let sweeping = false
  return {
    name: 'reports',
    channel: REPORTS_CHANNEL,
    liveTopic: 'report',
    service,
    reloadReference: async () => [],
    load: async () => {},
    applyFrame(json) {
      const frame = parseLiveReportFrame(json, ctx.now(), ctx.limits)
      if (typeof frame === 'string') return frame
      return units.apply(frame)
    },
    tick: (now) => {
      // every server sweeps; the first to commit an escalation wins and the others find nothing left to do
      if (now - lastSweep >= ESCALATION_MS && !sweeping) {
        lastSweep = now
        sweeping = true
        service
          .escalate()
          .then((n) => n > 0 && log.info(`escalated ${n} overdue report(s) to the parent unit and the IOC`))
          .catch((err: unknown) => log.warn('escalation sweep failed', { error: err }))
          .finally(() => (sweeping = false))
      }
      return []
    },
    summaries: units.summaries,
    summary: units.state,
    state: units.state,
    mayWatch: (p, id) => service.mayWatch(p, id),
    newestSeen: units.newestSeen,
    routes: (router) => reportRoutes(router, service),
    appRoutes: (app) => open311Routes(app, service, { auth: ctx.authenticator, keys: config.open311Keys, perMinute: config.open311PerMinute, now: ctx.now }),
    baseline: async () => ({}),
  }
}
