// The accounts' HTTP surface: the session (sign in, who am I, sign out), the kiosk link a wall display opens,
// and the admin's users, kiosk links, API keys and audit log. Routes read the request with the contract's
// schemas and answer from AccountService; the session routes also set and clear the cookie.
import type { CookieOptions, Request, Response, Router } from 'express'
import { rateLimit } from 'express-rate-limit'
import { stringify } from 'csv-stringify/sync'
import {
  ACCOUNT_ROUTES as R,
  AUDIT_PAGE_MAX,
  SESSION_COOKIE,
  apiKeyBody,
  auditQuery,
  check,
  nameBody,
  newUserBody,
  parseInstant,
  parseQuery,
  signInBody,
  userChangeBody,
  type SessionView,
  type z,
} from '../../contract/index.ts'
import { actorOf } from '../shared/audit.ts'
import { principalView, requireAccess, type Principal } from '../shared/auth.ts'
import { FileResponse, handle, HttpProblem, orBadRequest, sendError } from '../shared/http.ts'
import type { AccountService } from './service.ts'

/** A write's body through its schema: the value, or a 400 naming the first field at fault. */
function body<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = check(schema, value ?? undefined)
  if (r.ok) return r.value
  const first = r.issues[0]!
  throw new HttpProblem(400, { code: 'bad_request', ...(first.path ? { field: first.path } : {}), message: r.issues.map((i) => i.message).join('; ') })
}

function sessionView(p: Principal): SessionView {
  return { principal: principalView(p), csrfToken: p.session?.csrfToken ?? '', expiresAt: new Date(p.session?.expiresAt ?? Date.now()).toISOString() }
}

export function cookieOptions(req: Request, expiresAt: number): CookieOptions {
  // Secure whenever the page came over TLS (directly, or through a proxy TRUST_PROXY trusts)
  return { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', expires: new Date(expiresAt) }
}

export interface AccountRouteOptions {
  /** Sign-in attempts per client address per minute, before the lockout per account. */
  signInPerMinute?: number
}

export function accountRoutes(router: Router, accounts: AccountService, o: AccountRouteOptions = {}): void {
  const meta = (req: Request) => ({ ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null })
  const signInLimit = rateLimit({
    windowMs: 60_000,
    limit: o.signInPerMinute ?? 20,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => sendError(res, 429, { code: 'rate_limited', message: 'too many sign-in attempts from this address; wait a minute' }),
  })

  router.get(R.session.path.replace(/^\/api/, ''), requireAccess(R.session.access), (req, res) => {
    res.json(sessionView(req.principal!))
  })
  router.post(R.signIn.path.replace(/^\/api/, ''), requireAccess(R.signIn.access), signInLimit, async (req: Request, res: Response) => {
    const { username, password } = body(signInBody, req.body)
    const started = await accounts.signIn(username, password, meta(req))
    res.cookie(SESSION_COOKIE, started.cookie, cookieOptions(req, started.principal.session!.expiresAt))
    res.status(201).json(sessionView(started.principal))
  })
  router.delete(R.signOut.path.replace(/^\/api/, ''), requireAccess(R.signOut.access), async (req, res) => {
    await accounts.signOut(req.principal!, meta(req))
    res.clearCookie(SESSION_COOKIE, { ...cookieOptions(req, 0), expires: undefined })
    res.json({ ok: true })
  })

  const actor = (req: { principal: Principal | null; ip: string | null }) => actorOf(req.principal!, req.ip)
  handle(router, R.users, () => accounts.users())
  handle(router, R.addUser, (req) => accounts.addUser(actor(req), body(newUserBody, req.body)))
  handle(router, R.changeUser, (req) => accounts.changeUser(actor(req), req.params.username!, body(userChangeBody, req.body)))
  handle(router, R.kiosks, () => accounts.kiosks())
  handle(router, R.addKiosk, async (req) => {
    const { token: _token, ...created } = await accounts.addKiosk(actor(req), body(nameBody, req.body).name, req.baseUrl)
    return created
  })
  handle(router, R.revokeKiosk, (req) => accounts.revokeKiosk(actor(req), req.params.name!))
  handle(router, R.apiKeys, () => accounts.apiKeys())
  handle(router, R.addApiKey, (req) => {
    const b = body(apiKeyBody, req.body)
    return accounts.addApiKey(actor(req), b.name, b.username)
  })
  handle(router, R.revokeApiKey, (req) => accounts.revokeApiKey(actor(req), req.params.id!))
  handle(router, R.audit, async (req) => ({ items: await accounts.audit(auditFilter(req.query, 100)) }))
  handle(router, R.auditCsv, async (req) => {
    const items = await accounts.audit(auditFilter(req.query, AUDIT_PAGE_MAX))
    const csv = stringify(
      items.map((e) => [e.at, e.actorKind, e.actorName, e.action, e.targetType ?? '', e.targetId ?? '', json(e.before), json(e.after), e.ip ?? '', e.detail ?? '']),
      { header: true, columns: ['at', 'actor_kind', 'actor', 'action', 'target_type', 'target_id', 'before', 'after', 'ip', 'detail'], bom: true },
    )
    return new FileResponse('text/csv; charset=utf-8', `audit-${new Date().toISOString().slice(0, 10)}.csv`, csv)
  })
}

function json(v: unknown): string {
  return v === null || v === undefined ? '' : JSON.stringify(v)
}

/** ?actor=&action=&targetType=&targetId=&from=&to=&before=&limit= */
function auditFilter(query: Record<string, unknown>, defaultLimit: number) {
  const q = orBadRequest(parseQuery(auditQuery, query))
  const instant = (raw: string | undefined, field: string) => (raw === undefined ? undefined : orBadRequest(parseInstant(raw, field)))
  return {
    actor: q.actor,
    action: q.action,
    targetType: q.targetType,
    targetId: q.targetId,
    from: instant(q.from, 'from'),
    to: instant(q.to, 'to'),
    before: q.before,
    limit: q.limit ?? defaultLimit,
  }
}

/** GET /k/<token>: a wall display opens its kiosk link; it gets a session cookie and the wall. */
export function kioskLink(accounts: AccountService) {
  return async (req: Request, res: Response) => {
    const started = await accounts.kioskSignIn(String(req.params.token ?? ''), { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null })
    if (!started) {
      res.status(404).type('text/plain; charset=utf-8').send('Liên kết màn hình không hợp lệ hoặc đã bị thu hồi. / This wall link is not valid or was revoked.')
      return
    }
    res.cookie(SESSION_COOKIE, started.cookie, cookieOptions(req, started.principal.session!.expiresAt))
    res.redirect(303, '/')
  }
}
