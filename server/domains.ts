// The domains this server serves. Adding a domain adds its line here.
import type { DossierConfig } from '../core/config.ts'
import { camerasDomain } from './cameras/index.ts'
import { dossiersDomain } from './dossiers/index.ts'
import { environmentDomain } from './environment/index.ts'
import type { DomainContext, ServerDomain } from './shared/domain.ts'

export function serverDomains(ctx: DomainContext, dossiers: DossierConfig) {
  return [environmentDomain(ctx), camerasDomain(ctx), dossiersDomain(ctx, dossiers)] as const satisfies readonly ServerDomain[]
}
