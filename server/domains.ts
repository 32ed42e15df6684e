// The domains this server serves. Adding a domain adds its line here.
import { camerasDomain } from './cameras/index.ts'
import { environmentDomain } from './environment/index.ts'
import type { DomainContext, ServerDomain } from './shared/domain.ts'

export function serverDomains(ctx: DomainContext) {
  return [environmentDomain(ctx), camerasDomain(ctx)] as const satisfies readonly ServerDomain[]
}
