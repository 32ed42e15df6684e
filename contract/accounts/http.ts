// The accounts' REST surface: signing in and out, and the admin's users, kiosk links, API keys and audit log,
// with the bodies each write takes (zod, read through check() so a bad field is named) and the views each
// read returns. Secrets (a new kiosk token or API key) are returned once, at creation, and never again.

import { ROLES, type Role, type SessionView } from '../shared/auth.ts'
import { route, write } from '../shared/routes.ts'
import { intIn, oneOf, sentence, strictObject, z } from '../shared/schema.ts'

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/
const usernameText = 'a username of 2–64 lower-case letters, digits, dots, dashes or underscores'
export const PASSWORD_MIN = 12

export const signInBody = strictObject(
  { username: z.string({ error: 'a username' }).min(1, { error: 'a username' }).max(200), password: z.string({ error: 'a password' }).min(1, { error: 'a password' }).max(1000) },
  'a JSON object {username, password}',
)
export type SignInBody = z.input<typeof signInBody>

const roleList = z.array(oneOf(ROLES as unknown as [Role, ...Role[]]), { error: `a list of roles (${ROLES.join(', ')})` }).min(1, { error: 'at least one role' })
const unitId = z.string({ error: 'a unit id' }).min(1).max(64)
const password = z.string({ error: 'a password' }).min(PASSWORD_MIN, { error: sentence(`must be at least ${PASSWORD_MIN} characters`) }).max(1000)

/** Agency staff belong to an agency (a unit): without one they would see nothing. */
function agencyNeedsUnit(u: { roles?: Role[]; agencyUnitId?: string | null }, ctx: z.core.$RefinementCtx): void {
  if (u.roles?.includes('agency') && !u.agencyUnitId) ctx.addIssue({ code: 'custom', path: ['agencyUnitId'], message: sentence('an agency user needs the unit of their agency'), input: u.agencyUnitId })
}

export const newUserBody = strictObject(
  {
    username: z.string({ error: usernameText }).regex(USERNAME, { error: usernameText }),
    displayName: z.string().max(200).nullable().optional(),
    password,
    roles: roleList,
    agencyUnitId: unitId.nullable().optional(),
    scopeUnitId: unitId.nullable().optional(),
  },
  'a JSON object {username, password, roles, displayName?, agencyUnitId?, scopeUnitId?}',
).superRefine(agencyNeedsUnit)
export type NewUserBody = z.input<typeof newUserBody>

export const userChangeBody = strictObject(
  {
    displayName: z.string().max(200).nullable().optional(),
    roles: roleList.optional(),
    agencyUnitId: unitId.nullable().optional(),
    scopeUnitId: unitId.nullable().optional(),
    disabled: z.boolean({ error: 'true or false' }).optional(),
    password: password.optional(),
  },
  'a JSON object with any of displayName, roles, agencyUnitId, scopeUnitId, disabled, password',
)
export type UserChangeBody = z.input<typeof userChangeBody>

export const nameBody = strictObject(
  { name: z.string({ error: usernameText }).regex(USERNAME, { error: 'a name of 2–64 lower-case letters, digits, dots, dashes or underscores' }) },
  'a JSON object {name}',
)
export const apiKeyBody = strictObject(
  { name: z.string({ error: 'a name' }).min(2, { error: 'a name of 2–100 characters' }).max(100, { error: 'a name of 2–100 characters' }), username: z.string({ error: usernameText }).regex(USERNAME, { error: usernameText }) },
  'a JSON object {name, username}',
)

export interface UserView {
  id: string
  username: string
  displayName: string | null
  roles: Role[]
  agencyUnitId: string | null
  scopeUnitId: string | null
  /** How the user signs in. */
  password: boolean
  sso: boolean
  disabled: boolean
  lockedUntil: string | null
  createdAt: string
  lastSignInAt: string | null
}

export interface KioskView {
  id: string
  name: string
  createdBy: string
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}

export interface ApiKeyView {
  id: string
  name: string
  username: string
  /** The key's first characters, to tell keys apart. */
  prefix: string
  createdBy: string
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}

/** A kiosk link or API key as created: the secret is in it once, never again. */
export interface KioskCreated extends KioskView {
  url: string
}
export interface ApiKeyCreated extends ApiKeyView {
  key: string
}

export interface AuditEntryView {
  id: string
  at: string
  actorKind: string
  actorName: string
  action: string
  targetType: string | null
  targetId: string | null
  before: unknown
  after: unknown
  ip: string | null
  detail: string | null
}

export const AUDIT_PAGE_MAX = 500
export const auditQuery = z.object({
  actor: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  targetType: z.string().max(100).optional(),
  targetId: z.string().max(200).optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  before: z.coerce.number({ error: 'an audit entry id' }).int().positive().optional(),
  limit: z.coerce.number({ error: `an integer 1–${AUDIT_PAGE_MAX}` }).pipe(intIn(1, AUDIT_PAGE_MAX)).optional(),
})
export type AuditQueryInput = z.input<typeof auditQuery>

/** GET /api/auth/options. */
export interface AuthOptions {
  /** Single sign-on: `label` names the provider (its host), `startUrl` starts it (add ?next=/path). Null: passwords only. */
  sso: { label: string; startUrl: string } | null
}

/**
 * Where to go after signing in (?next=): a path of this site, or '/'. Anything else (https://elsewhere,
 * //elsewhere, /\\elsewhere, a path with spaces or control characters) is '/', so a sign-in link cannot be
 * turned into a redirector to another site.
 */
export function localPath(next: unknown): string {
  return typeof next === 'string' && next.length <= 2000 && /^\/(?![/\\])[^\s\\\x00-\x1f\x7f]*$/.test(next) ? next : '/'
}

export const ACCOUNT_ROUTES = {
  session: route<Record<string, never>, SessionView>()('/api/session', 'signed-in'),
  signIn: write<SignInBody, SessionView>()('POST', '/api/session', 'public'),
  signOut: write<Record<string, never>, { ok: true }>()('DELETE', '/api/session', 'signed-in'),
  users: route<Record<string, never>, UserView[]>()('/api/users', 'accounts:manage'),
  addUser: write<NewUserBody, UserView>()('POST', '/api/users', 'accounts:manage'),
  changeUser: write<UserChangeBody, UserView>()('PATCH', '/api/users/:username', 'accounts:manage'),
  kiosks: route<Record<string, never>, KioskView[]>()('/api/kiosks', 'accounts:manage'),
  addKiosk: write<z.input<typeof nameBody>, KioskCreated>()('POST', '/api/kiosks', 'accounts:manage'),
  revokeKiosk: write<Record<string, never>, KioskView>()('DELETE', '/api/kiosks/:name', 'accounts:manage'),
  apiKeys: route<Record<string, never>, ApiKeyView[]>()('/api/keys', 'accounts:manage'),
  addApiKey: write<z.input<typeof apiKeyBody>, ApiKeyCreated>()('POST', '/api/keys', 'accounts:manage'),
  revokeApiKey: write<Record<string, never>, ApiKeyView>()('DELETE', '/api/keys/:id', 'accounts:manage'),
  audit: route<AuditQueryInput, { items: AuditEntryView[] }>()('/api/audit', 'audit:read'),
  auditCsv: route<AuditQueryInput, string>()('/api/audit.csv', 'audit:read'),
  /** What the sign-in page offers besides a password: single sign-on, when the province has it (OIDC_ISSUER). */
  authOptions: route<Record<string, never>, AuthOptions>()('/api/auth/options', 'public'),
}

