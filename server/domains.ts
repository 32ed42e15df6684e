// The domains this server serves. Adding a domain adds its line here.
import type { DossierConfig, ReportConfig } from '../core/config.ts'
import { camerasDomain } from './cameras/index.ts'
import { dossiersDomain } from './dossiers/index.ts'
import { environmentDomain } from './environment/index.ts'
import { reportsDomain } from './reports/index.ts'
import type { DomainContext, ServerDomain } from './shared/domain.ts'

export function serverDomains(ctx: DomainContext, dossiers: DossierConfig, reportConfig: ReportConfig) {
  const reports = reportsDomain(ctx, reportConfig)
  // citizen reports about an agency feed its Decision 766 indicators 5.2 (on time) and 5.3 (satisfaction)
  const reportIndex = async (from: number, to: number) =>
    new Map(
      [...(await reports.service.performance(from, to))].map(([agency, p]) => [agency, { handled: p.resolved, onTime: p.onTime + p.lateWithExtension, rated: p.rated, satisfied: p.satisfied }]),
    )
  return [environmentDomain(ctx), camerasDomain(ctx), dossiersDomain(ctx, dossiers, reportIndex), reports] as const satisfies readonly ServerDomain[]
}
