// Who a request or socket acts for, and the doors every surface shares: the principal the accounts domain
// resolves from a session cookie or an API key, the check each route and room runs against what it
// declares it needs (contract/shared/auth.ts), and the CSRF and origin checks on cookie-authenticated writes.
// Nothing here knows how sessions are stored: the accounts domain implements Authenticator.
import type { IncomingMessage } from 'node:http'
import { timingSafeEqual } from 'node:crypto'
import { parse as parseCookies } from 'cookie'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { CSRF_HEADER, SESSION_COOKIE, type Access, type Permission, type PrincipalKind, type PrincipalView, type Role } from '../../contract/index.ts'

export interface Principal {
  kind: PrincipalKind
  /** users.id, kiosks.id or api_keys.id. */
  id: string
  name: string
  displayName: string | null
  /** The user behind a session or an API key; null for a kiosk. */
  userId: string | null
  roles: readonly Role[]
  permissions: ReadonlySet<Permission>
  agencyUnitId: string | null
  scopeUnitId: string | null
  /** The session it came from (cookie), for CSRF and for ending it; null for an API key. */
  session: { idHash: string; csrfToken: string; expiresAt: number } | null
}

/** Answers a refused request with the error body every route uses (shared/http.ts's sendError, here to keep the two modules apart). */
function refuse(res: Response, status: number, body: { code: string; message: string; field?: string }): void {
  res.status(status).json({ error: body })
}

/** The principal a socket's handshake resolved (set by guardSockets). */
export function principalOf(socket: { data: unknown }): Principal {
  return (socket.data as { principal: Principal }).principal
}

export function principalView(p: Principal): PrincipalView {
  return {
    kind: p.kind,
    name: p.name,
    displayName: p.displayName,
    roles: [...p.roles],
    permissions: [...p.permissions],
    agencyUnitId: p.agencyUnitId,
    scopeUnitId: p.scopeUnitId,
  }
}

/** Resolves credentials to a principal: a session cookie's value, or a bearer API key. Null when they are not (or no longer) valid. */
export interface Authenticator {
  fromSession(cookieValue: string, meta: { ip: string | null }): Promise<Principal | null>
  fromApiKey(key: string, meta: { ip: string | null }): Promise<Principal | null>
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal | null
  }
}

/** The credentials a request or a socket handshake carries. */
export function credentialsOf(headers: IncomingMessage['headers']): { session: string | null; bearer: string | null } {
  const auth = headers.authorization
  const bearer = typeof auth === 'string' && /^Bearer\s+\S+$/i.test(auth) ? auth.replace(/^Bearer\s+/i, '') : null
  const cookies = typeof headers.cookie === 'string' ? parseCookies(headers.cookie) : {}
  return { session: cookies[SESSION_COOKIE] ?? null, bearer }
}

export async function resolvePrincipal(auth: Authenticator, headers: IncomingMessage['headers'], ip: string | null): Promise<Principal | null> {
  const { session, bearer } = credentialsOf(headers)
  // an explicit key wins over a cookie the browser happens to send
  if (bearer) return auth.fromApiKey(bearer, { ip })
  if (session) return auth.fromSession(session, { ip })
  return null
}

/** Sets req.principal (null when anonymous) for everything after it. */
export function authenticate(auth: Authenticator): RequestHandler {
  return (req, _res, next) => {
    resolvePrincipal(auth, req.headers, req.ip ?? null).then(
      (p) => {
        req.principal = p
        next()
      },
      (err: unknown) => next(err),
    )
  }
}

export function allows(p: Principal | null | undefined, access: Access): boolean {
  if (access === 'public') return true
  if (!p) return false
  return access === 'signed-in' || p.permissions.has(access)
}

/** A handler that lets a request through only with `access`: 401 without a principal, 403 without the permission. */
export type AccessCheck = RequestHandler & { access: Access }

export function requireAccess(access: Access): AccessCheck {
  const check: RequestHandler = (req, res, next) => {
    if (allows(req.principal, access)) return next()
    if (!req.principal) return refuse(res, 401, { code: 'unauthorized', message: 'sign in first (POST /api/session), or send an API key as Authorization: Bearer <key>' })
    refuse(res, 403, { code: 'forbidden', message: `this needs the permission ${access}, which ${req.principal.name} does not have` })
  }
  return Object.assign(check, { access })
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Cookie-authenticated writes must come from a page of this IOC: the Origin (when the browser sends one) is
 * the server's own or an allowed one, and the X-CSRF-Token header echoes the session's token, which a page
 * of another site cannot read. Requests with an API key carry no ambient credentials and need neither.
 */
export function csrfProtection(isAllowedOrigin: (origin: string, req: Request) => boolean): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!WRITES.has(req.method)) return next()
    const origin = req.headers.origin
    if (origin && !isAllowedOrigin(origin, req)) return refuse(res, 403, { code: 'forbidden', message: `requests from ${origin.slice(0, 80)} are not allowed` })
    const session = req.principal?.session
    if (!session) return next()
    const sent = req.headers[CSRF_HEADER]
    if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken)) {
      return refuse(res, 403, { code: 'csrf', field: CSRF_HEADER, message: `${CSRF_HEADER}: expected the csrfToken of GET /api/session` })
    }
    next()
  }
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
