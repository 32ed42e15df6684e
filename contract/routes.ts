// The REST route table: every GET the wall (or any client) can make, with its query and response types, from
// the shared routes below and each registered domain's own. Adding a domain adds its table here.

import { ACCOUNT_ROUTES } from './accounts/http.ts'
import { CAMERA_ROUTES } from './cameras/http.ts'
import type { WallDefinition } from './dashboard.ts'
import type { DeadLetterQueryInput, DeadLetterView } from './dead-letters.ts'
import type { KpiBaselineResponse } from './domains.ts'
import { DOSSIER_ROUTES } from './dossiers/http.ts'
import { ENVIRONMENT_ROUTES } from './environment/http.ts'
import { REPORT_ROUTES } from './reports/http.ts'
import type { HealthResponse } from './shared/health.ts'
import { route } from './shared/routes.ts'
import type { UnitsResponse } from './shared/units.ts'

export const SHARED_ROUTES = {
  units: route<Record<string, never>, UnitsResponse>()('/api/units', 'live:read'),
  wall: route<Record<string, never>, WallDefinition>()('/api/wall', 'live:read'),
  kpiBaseline: route<{ at?: string | number }, KpiBaselineResponse>()('/api/kpis/baseline', 'live:read'),
  deadLetters: route<DeadLetterQueryInput, { items: DeadLetterView[] }>()('/api/dead-letters', 'feeds:inspect'),
  health: route<Record<string, never>, HealthResponse>()('/healthz', 'public'),
}

export const ROUTES = { ...SHARED_ROUTES, ...ACCOUNT_ROUTES, ...ENVIRONMENT_ROUTES, ...CAMERA_ROUTES, ...DOSSIER_ROUTES, ...REPORT_ROUTES }
