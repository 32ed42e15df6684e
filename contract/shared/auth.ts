// Who may do what: the roles a user holds, the permissions each role grants, and what every REST route and
// live channel declares it needs. The server enforces these on every surface (REST, Socket.IO, pages); the
// client reads them to show only what a person may use. A user may hold several roles; a wall display signs
// in with a kiosk link and holds the kiosk's permissions only.

export const ROLES = ['operator', 'dispatcher', 'agency', 'leader', 'admin'] as const
export type Role = (typeof ROLES)[number]

/** Every permission, with what it opens, in words for the admin page and the docs. */
export const PERMISSIONS = {
  'live:read': 'the wall: live stations and cameras, their history, units and KPIs',
  'feeds:inspect': 'dead letters: the raw payloads ingest could not store',
  'accounts:manage': 'users, roles, kiosk links and API keys',
  'audit:read': 'the audit log and its export',
  'dossiers:read': 'administrative performance: dossier KPIs, rankings, the 766 index and the dossiers behind them (within the scope)',
  'reference:manage': 'reference data: the working-day calendar',
  'reports:read': 'citizen reports: the dispatcher queue or the agency inbox (agency staff: their agency and the units below it), and live updates of it',
  'reports:dispatch': 'citizen reports: take reports by phone, classify, forward, merge, reject, publish, answer extension requests, and read reporters\' contact details (every read audited)',
  'reports:handle': "citizen reports: accept or return what is forwarded to one's agency, note progress, request extensions, resolve",
} as const
export type Permission = keyof typeof PERMISSIONS

/**
 * What a route or room needs: a permission, any signed-in principal (`signed-in`: the session endpoint), or
 * nothing (`public`: sign-in, health, the static bundles).
 */
export type Access = Permission | 'signed-in' | 'public'

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  operator: ['live:read', 'feeds:inspect'],
  dispatcher: ['live:read', 'reports:read', 'reports:dispatch'],
  agency: ['reports:read', 'reports:handle'],
  leader: ['live:read', 'dossiers:read'],
  admin: ['live:read', 'feeds:inspect', 'accounts:manage', 'audit:read', 'dossiers:read', 'reference:manage', 'reports:read', 'reports:dispatch'],
}

/** A wall display: read-only, the wall and nothing else. */
export const KIOSK_PERMISSIONS: readonly Permission[] = ['live:read']

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  return new Set(roles.flatMap((r) => ROLE_PERMISSIONS[r]))
}

export type PrincipalKind = 'user' | 'kiosk' | 'api_key'

/** Who a request or socket acts for, as the client is told (GET /api/session). */
export interface PrincipalView {
  kind: PrincipalKind
  /** Username, kiosk name, or the key's name. */
  name: string
  displayName: string | null
  roles: Role[]
  permissions: Permission[]
  /** Agency staff: the unit whose reports they see (with the units below it). */
  agencyUnitId: string | null
  /** Leaders: the unit whose performance they read (with the units below it); null: the whole province. */
  scopeUnitId: string | null
}

/** GET /api/session and POST /api/session: who is signed in, and the token cookie-authenticated writes must echo. */
export interface SessionView {
  principal: PrincipalView
  /** Sent back as the X-CSRF-Token header on every POST, PUT, PATCH and DELETE. */
  csrfToken: string
  expiresAt: string
}

export const CSRF_HEADER = 'x-csrf-token'
export const SESSION_COOKIE = 'ioc_session'
