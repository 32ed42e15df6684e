// Single sign-on through the province's OpenID Connect provider (OIDC_ISSUER), when it has one: the
// authorization code flow with PKCE (S256), state and nonce (openid-client checks the ID token's signature,
// issuer, audience, nonce and lifetime), the provider's groups mapped to IOC roles (OIDC_ROLE_MAP), and then an
// ordinary session, started by AccountService exactly as a password sign-in starts one.
//
// The sign-in in flight (PKCE verifier, state, nonce, where to go next) lives in a cookie, sealed with
// AES-256-GCM under a key derived from the client secret: every server instance behind a load balancer can
// open what another sealed, and a restart between leaving for the provider and coming back loses nothing,
// with no table to write and sweep. The client secret is already the one secret all instances share and only
// the IOC (and the provider, which vouches for sign-ins anyway) knows.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto'
import { parse as parseCookies } from 'cookie'
import type { CookieOptions, Express, Request, RequestHandler, Response, Router } from 'express'
import { rateLimit } from 'express-rate-limit'
import * as client from 'openid-client'
import { ACCOUNT_ROUTES as R, ROLES, SESSION_COOKIE, localPath, type Role } from '../../contract/index.ts'
import type { OidcConfig } from '../../core/config.ts'
import { createLogger } from '../../core/log.ts'
import { declared, handle } from '../shared/http.ts'
import { cookieOptions } from './routes.ts'
import { SsoRefused, type AccountService, type SsoRefusal } from './service.ts'

const log = createLogger('sso')

export const OIDC_START = '/auth/oidc/start'
export const OIDC_CALLBACK = '/auth/oidc/callback'
/** The sealed sign-in in flight; sent only to /auth/oidc/…. */
export const FLOW_COOKIE = 'ioc_oidc'
/** How long a person has at the provider before the sign-in in flight is void. */
export const FLOW_MS = 10 * 60_000
const SCOPE = 'openid profile email'

export interface OidcRouteOptions {
  now?: () => number
  /** Starts and callbacks per client address per minute (default 60: a whole office behind one address signs in at shift change). */
  perMinute?: number
}

/**
 * Registers GET /auth/oidc/start and /auth/oidc/callback on the app (both public; a 404 when single sign-on is
 * not configured) and GET /api/auth/options on the API router (what the sign-in page offers).
 */
export function oidcRoutes(app: Express, api: Router, accounts: AccountService, oidc: Readonly<OidcConfig> | null, o: OidcRouteOptions = {}): void {
  handle(api, R.authOptions, () => ({ sso: oidc ? { label: new URL(oidc.issuer).host, startUrl: OIDC_START } : null }))
  const sso = oidc ? singleSignOn(accounts, oidc, o.now ?? Date.now) : null
  const limit = rateLimit({
    windowMs: 60_000,
    limit: o.perMinute ?? 60,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => problemPage(res, 429, 'rate_limited'),
  })
  // without single sign-on the paths fall through to the 404 every unknown page gets
  const off: RequestHandler = (_req, _res, next) => next()
  app.get(OIDC_START, ...declared('public', ...(sso ? [limit, sso.start] : [off])))
  app.get(OIDC_CALLBACK, ...declared('public', ...(sso ? [limit, sso.callback] : [off])))
  if (oidc) {
    log.info(`single sign-on through ${oidc.issuer}`)
    if (new URL(oidc.redirectUrl).pathname !== OIDC_CALLBACK) log.warn(`OIDC_REDIRECT_URL ${oidc.redirectUrl} does not end in ${OIDC_CALLBACK}: the provider will send people where the IOC does not answer`)
  }
}

interface SingleSignOn {
  start: RequestHandler
  callback: RequestHandler
}

/** The sign-in in flight, as sealed into FLOW_COOKIE. */
interface Flow {
  state: string
  nonce: string
  verifier: string
  next: string
  expiresAt: number
}

function singleSignOn(accounts: AccountService, oidc: Readonly<OidcConfig>, now: () => number): SingleSignOn {
  const sealer = flowSealer(oidc.clientSecret)
  const provider = providerOf(oidc)
  const flowCookie = (req: Request): CookieOptions => ({ httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/auth/oidc', maxAge: FLOW_MS })

  const start: RequestHandler = async (req, res) => {
    const configuration = await provider().catch((err: unknown) => {
      log.warn(`the provider's discovery document could not be read: ${describe(err)}`, { issuer: oidc.issuer })
      return null
    })
    if (!configuration) return problemPage(res, 502, 'unreachable')
    const verifier = client.randomPKCECodeVerifier()
    const flow: Flow = { state: client.randomState(), nonce: client.randomNonce(), verifier, next: localPath(req.query.next), expiresAt: now() + FLOW_MS }
    const to = client.buildAuthorizationUrl(configuration, {
      redirect_uri: oidc.redirectUrl,
      scope: SCOPE,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    })
    res.cookie(FLOW_COOKIE, sealer.seal(flow), flowCookie(req))
    res.redirect(303, to.href)
  }

  const callback: RequestHandler = async (req, res) => {
    const flow = sealer.open(parseCookies(req.headers.cookie ?? '')[FLOW_COOKIE], now())
    // one use: whatever happens next, this sign-in in flight is spent
    res.clearCookie(FLOW_COOKIE, { ...flowCookie(req), maxAge: undefined })
    if (!flow) return problemPage(res, 400, 'expired')
    const configuration = await provider().catch(() => null)
    if (!configuration) return problemPage(res, 502, 'unreachable')
    // the provider's answer at the address it was sent to: a proxy in front may have changed scheme and host,
    // and the token request must name the redirect_uri exactly as the authorization request did
    const answered = new URL(oidc.redirectUrl)
    answered.search = new URL(req.originalUrl, 'http://ioc.invalid').search
    let claims: client.IDToken
    try {
      const tokens = await client.authorizationCodeGrant(configuration, answered, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true })
      claims = tokens.claims()!
    } catch (err) {
      const reason: Problem = err instanceof client.AuthorizationResponseError ? 'provider_refused' : unreachable(err) ? 'unreachable' : 'failed'
      log.warn(`single sign-on failed: ${describe(err)}`, { ip: req.ip ?? null })
      return problemPage(res, reason === 'failed' ? 400 : reason === 'unreachable' ? 502 : 403, reason)
    }
    const groups = groupsOf(claims, oidc.roleClaim)
    try {
      const started = await accounts.signInWithOidc(
        { subject: claims.sub, username: usernameFrom(claims), displayName: displayNameOf(claims), roles: rolesOf(groups, oidc.roleMap), groups },
        { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null },
      )
      res.cookie(SESSION_COOKIE, started.cookie, cookieOptions(req, started.principal.session!.expiresAt))
      res.redirect(303, localPath(flow.next))
    } catch (err) {
      if (err instanceof SsoRefused) return problemPage(res, 403, err.reason)
      throw err
    }
  }

  return { start, callback }
}

/**
 * The provider's configuration, discovered at the first sign-in rather than at start-up (the IOC starts, and
 * passwords work, while the provider is down), kept once read, and asked again after a failure.
 */
function providerOf(oidc: Readonly<OidcConfig>): () => Promise<client.Configuration> {
  const issuer = new URL(oidc.issuer)
  // plain HTTP only to this machine (a test's provider, a developer's Keycloak): nothing on a network can read it
  const loopback = issuer.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname)
  let discovered: Promise<client.Configuration> | null = null
  return () => {
    discovered ??= client.discovery(issuer, oidc.clientId, oidc.clientSecret, undefined, { timeout: 10, execute: loopback ? [client.allowInsecureRequests] : [] }).catch((err: unknown) => {
      discovered = null
      throw err
    })
    return discovered
  }
}

/** Seals the sign-in in flight into a cookie value and opens it again; a value altered, foreign or expired opens to null. */
export function flowSealer(clientSecret: string) {
  const key = Buffer.from(hkdfSync('sha256', clientSecret, 'ioc-oidc-flow', 'ioc sign-in in flight v1', 32))
  const aad = Buffer.from(FLOW_COOKIE)
  return {
    seal(flow: Flow): string {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad)
      const sealed = Buffer.concat([cipher.update(JSON.stringify(flow), 'utf8'), cipher.final()])
      return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url')
    },
    open(value: string | undefined, now: number): Flow | null {
      if (!value || value.length > 4000) return null
      try {
        const raw = Buffer.from(value, 'base64url')
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12)).setAAD(aad)
        decipher.setAuthTag(raw.subarray(12, 28))
        const flow = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as Flow
        return typeof flow.expiresAt === 'number' && flow.expiresAt > now ? flow : null
      } catch {
        return null
      }
    },
  }
}

/**
 * The groups in the ID token's `claim`: a list, or a space-separated string. A dotted name that is not itself
 * a claim reaches into objects (Keycloak's realm_access.roles).
 */
export function groupsOf(claims: Record<string, unknown>, claim: string): string[] {
  const value = claim in claims ? claims[claim] : claim.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), claims)
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean)
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string')
  return []
}

/** The IOC roles the groups map to (OIDC_ROLE_MAP), each once. */
export function rolesOf(groups: readonly string[], roleMap: Readonly<Record<string, string>>): Role[] {
  const roles = groups.flatMap((g) => (Object.hasOwn(roleMap, g) && (ROLES as readonly string[]).includes(roleMap[g]!) ? [roleMap[g] as Role] : []))
  return [...new Set(roles)]
}

/**
 * A username for a first sign-in, in the IOC's pattern (2–64 of a-z 0-9 . _ -): preferred_username, else the
 * email's local part, without diacritics (Nguyễn Văn Đức → nguyen-van-duc); when nothing usable is left, one
 * made from the subject. AccountService makes it unique.
 */
export function usernameFrom(claims: { sub: string; preferred_username?: unknown; email?: unknown }): string {
  const given = [claims.preferred_username, claims.email].find((v): v is string => typeof v === 'string' && v.trim() !== '') ?? ''
  const name = given
    .split('@')[0]!
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 60)
    .replace(/[._-]+$/, '')
  return name.length >= 2 ? name : `sso-${createHash('sha256').update(claims.sub).digest('hex').slice(0, 12)}`
}

function displayNameOf(claims: Record<string, unknown>): string | null {
  const name = typeof claims.name === 'string' ? claims.name.trim() : ''
  return name ? name.slice(0, 200) : null
}

function unreachable(err: unknown): boolean {
  return (err instanceof TypeError && /fetch failed/i.test(err.message)) || (err instanceof Error && ['AbortError', 'TimeoutError'].includes(err.name))
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const code = (err as { code?: unknown }).code
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : ''
  return `${err.message}${typeof code === 'string' ? ` (${code})` : ''}${cause}`
}

type Problem = SsoRefusal | 'provider_refused' | 'expired' | 'failed' | 'unreachable' | 'rate_limited'

/** What a person reads when single sign-on does not let them in; Vietnamese first, like every page of the IOC. */
const PROBLEMS: Record<Problem, { vi: string; en: string }> = {
  no_role: {
    vi: 'Tài khoản của bạn chưa được cấp quyền sử dụng hệ thống: không nhóm nào của bạn được gán vai trò. Vui lòng liên hệ quản trị viên.',
    en: 'Your account has no access to the IOC: none of your groups is given a role. Ask an administrator.',
  },
  disabled: { vi: 'Tài khoản này đã bị vô hiệu hóa trên hệ thống.', en: 'This account is disabled on the IOC.' },
  agency_without_unit: {
    vi: 'Tài khoản của đơn vị xử lý cần được quản trị viên gán đơn vị công tác trước khi đăng nhập.',
    en: 'Agency staff need an administrator to set the unit of their agency before they can sign in.',
  },
  provider_refused: { vi: 'Máy chủ đăng nhập một lần đã từ chối hoặc hủy lần đăng nhập này.', en: 'The single sign-on provider refused or cancelled this sign-in.' },
  expired: {
    vi: 'Lần đăng nhập một lần này đã hết hạn hoặc không được bắt đầu từ trình duyệt này. Vui lòng thử lại.',
    en: 'This single sign-on expired or was not started in this browser. Please try again.',
  },
  failed: { vi: 'Không hoàn tất được đăng nhập một lần. Vui lòng thử lại.', en: 'The single sign-on could not be completed. Please try again.' },
  unreachable: {
    vi: 'Không kết nối được tới máy chủ đăng nhập một lần. Vui lòng thử lại sau, hoặc đăng nhập bằng mật khẩu.',
    en: 'The single sign-on provider cannot be reached. Try again later, or sign in with a password.',
  },
  rate_limited: { vi: 'Quá nhiều lần thử từ máy này. Vui lòng đợi một phút.', en: 'Too many attempts from this machine. Wait a minute.' },
}

function problemPage(res: Response, status: number, problem: Problem): void {
  const { vi, en } = PROBLEMS[problem]
  res
    .status(status)
    .type('html')
    .set('Cache-Control', 'no-store')
    .send(
      `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Đăng nhập một lần / Single sign-on</title></head>` +
        `<body><main data-problem="${problem}"><h1>Không đăng nhập được / Could not sign in</h1><p>${vi}</p><p lang="en">${en}</p>` +
        `<p><a href="/login">Quay lại trang đăng nhập / Back to sign-in</a></p></main></body></html>`,
    )
}
