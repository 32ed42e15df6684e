// The domains this server serves. Adding a domain adds its line here.
import type { DossierConfig, ReportConfig } from '../core/config.ts'
import { camerasDomain } from './cameras/index.ts'
import { dossiersDomain } from './dossiers/index.ts'
import { environmentDomain } from './environment/index.ts'
import { reportsDomain } from './reports/index.ts'
import type { DomainContext, ServerDomain } from './shared/domain.ts'

export function serverDomains(ctx: DomainContext, dossiers: DossierConfig, reports: ReportConfig) {
  return [environmentDomain(ctx), camerasDomain(ctx), dossiersDomain(ctx, dossiers), reportsDomain(ctx, reports)] as const satisfies readonly ServerDomain[]
}
