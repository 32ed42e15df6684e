// The accounts' decisions: who signs in (argon2id passwords, a lockout after repeated failures), which
// sessions are live (an absolute lifetime and an idle timeout for people; a kiosk's session lasts until its
// link is revoked), who a session, kiosk link or API key stands for, and the admin's changes to users,
// kiosk links and keys. Every change is written with its audit entry in one transaction. Ending sessions
// (sign-out, a disabled user, a revoked kiosk) is announced to listeners, so the sockets holding them close.
import {
  KIOSK_PERMISSIONS,
  permissionsOf,
  type ApiKeyView,
  type AuditEntryView,
  type KioskView,
  type NewUserBody,
  type Role,
  type UserChangeBody,
  type UserView,
} from '../../contract/index.ts'
import type { Database, Queryable } from '../../db/database.ts'
import { createLogger } from '../../core/log.ts'
import { audited, writeAudit, type Actor, type AuditEntry } from '../shared/audit.ts'
import type { Authenticator, Principal } from '../shared/auth.ts'
import { HttpProblem } from '../shared/http.ts'
import type { AccountsRepository, AuditFilter, UserRow } from './repository.ts'
import { hashPassword, newSecret, randomPassword, sha256, verifyPassword } from './secrets.ts'

const log = createLogger('accounts')

export interface AccountOptions {
  sessionTtlMs: number
  sessionIdleMs: number
  loginMaxFailures: number
  lockoutMs: number
  now?: () => number
}

/** A wall display's session lasts until its kiosk link is revoked; this only bounds the row. */
const KIOSK_SESSION_MS = 400 * 86_400_000
/** last_seen_at is written at most this often per session (the idle timeout's resolution). */
const TOUCH_EVERY_MS = 60_000

export const SESSION_PREFIX = 'ioc_s_'
export const KIOSK_PREFIX = 'ioc_w_'
export const API_KEY_PREFIX = 'ioc_k_'

export interface Meta {
  ip: string | null
  userAgent?: string | null
}

export interface StartedSession {
  /** The cookie's value: the only copy of the session's secret. */
  cookie: string
  principal: Principal
}

/** Someone the single sign-on provider vouched for, as server/accounts/oidc.ts hands them over. */
export interface SsoIdentity {
  /** The provider's `sub`: stable and never reassigned, so the one thing an SSO user is found by. */
  subject: string
  /** The username a first sign-in creates, already in the username pattern; made unique here. */
  username: string
  displayName: string | null
  /** The IOC roles the provider's groups map to (OIDC_ROLE_MAP); none refuses the sign-in. */
  roles: readonly Role[]
  /** The provider's groups as it sent them, named in the audit entry of a refusal. */
  groups: readonly string[]
}

export type SsoRefusal = 'no_role' | 'disabled' | 'agency_without_unit'

/** A single sign-on the IOC refuses although the provider vouched for the person (audited as session.sign_in_refused). */
export class SsoRefused extends HttpProblem {
  constructor(
    readonly reason: SsoRefusal,
    message: string,
  ) {
    super(403, { code: 'forbidden', message })
  }
}

export class AccountService implements Authenticator {
  readonly #now: () => number
  #ended = new Set<(idHashes: string[]) => void>()
  #touched = new Map<string, number>()

  constructor(
    private readonly db: Database,
    private readonly repo: AccountsRepository,
    private readonly o: AccountOptions,
  ) {
    this.#now = o.now ?? Date.now
  }

  /** Called with the hashes of sessions that ended (sign-out, disabled user, revoked kiosk). */
  onSessionsEnded(listener: (idHashes: string[]) => void): () => void {
    this.#ended.add(listener)
    return () => this.#ended.delete(listener)
  }

  // --- signing in and out -------------------------------------------------------------------------------

  async signIn(username: string, password: string, meta: Meta): Promise<StartedSession> {
    const name = username.trim().toLowerCase()
    const user = await this.repo.userByName(name)
    const now = this.#now()
    // the hash is checked even when the user is unknown, so the answer takes as long either way
    const ok = await verifyPassword(user?.passwordHash ?? null, password)
    if (!user) throw wrongCredentials()
    const actor: Actor = { kind: 'user', id: user.id, name: user.username, ip: meta.ip }
    if (user.disabledAt !== null) {
      await audited(this.db, actor, async () => ({ result: null, audit: { action: 'session.sign_in_refused', targetType: 'user', targetId: user.username, detail: 'account disabled' } }))
      throw wrongCredentials()
    }
    if (user.lockedUntil !== null && user.lockedUntil > now) throw locked(user.lockedUntil)
    // a single-sign-on user has no password to guess: nothing to count or lock
    if (!ok && user.passwordHash === null) throw wrongCredentials()
    if (!ok) {
      const r = await audited(this.db, actor, async (tx) => {
        const counted = await this.repo.noteFailure(tx, user.id, this.o.loginMaxFailures, now + this.o.lockoutMs)
        const detail = counted.locked ? `failure ${counted.failures}: locked for ${Math.round(this.o.lockoutMs / 60_000)} min` : `failure ${counted.failures}`
        return { result: counted, audit: { action: counted.locked ? 'user.lock' : 'session.sign_in_failed', targetType: 'user', targetId: user.username, detail } }
      })
      if (r.locked) log.warn(`locked ${user.username} after ${r.failures} failed sign-ins`, { ip: meta.ip })
      throw r.locked ? locked(now + this.o.lockoutMs) : wrongCredentials()
    }
    return audited(this.db, actor, async (tx) => {
      await this.repo.clearFailures(tx, user.id)
      const s = await this.#startSession(tx, { userId: user.id, kioskId: null, expiresAt: now + this.o.sessionTtlMs }, meta)
      return { result: { cookie: s.cookie, principal: userPrincipal(user, s.session) }, audit: { action: 'session.sign_in', targetType: 'user', targetId: user.username } }
    })
  }

  /**
   * Signs in someone the single sign-on provider vouched for. The provider is the source of truth for an SSO
   * user: the first sign-in creates the user (no password), and every sign-in overwrites the roles (and the
   * display name, when it sends one) with what its groups map to now. Refused, and audited: no group maps to
   * a role; the user is disabled; agency staff whose account has no agency unit (an admin sets it). Password
   * lockouts do not apply: they count password guesses, and anyone could lock an SSO user by guessing.
   */
  async signInWithOidc(who: SsoIdentity, meta: Meta): Promise<StartedSession> {
    const existing = await this.repo.userBySubject(who.subject)
    const roles = dedupe(who.roles)
    // the table refuses agency staff without their agency's unit, and a new user has none yet
    const granted = existing?.agencyUnitId ? roles : roles.filter((r) => r !== 'agency')
    const refusal: [SsoRefusal, string] | null =
      existing && existing.disabledAt !== null
        ? ['disabled', 'this account is disabled']
        : !roles.length
          ? ['no_role', 'none of the groups the provider sent maps to a role of the IOC']
          : !granted.length
            ? ['agency_without_unit', 'agency staff need the unit of their agency, which an admin sets on the account']
            : null
    if (refusal) {
      const name = existing?.username ?? who.username
      const groups = who.groups.length ? who.groups.join(', ').slice(0, 300) : 'none'
      await audited(this.db, { kind: 'user', id: existing?.id ?? null, name, ip: meta.ip }, async () => ({
        result: null,
        audit: { action: 'session.sign_in_refused', targetType: 'user', targetId: name, detail: `sso: ${refusal[1]} (subject ${who.subject.slice(0, 100)}; groups: ${groups})` },
      }))
      throw new SsoRefused(...refusal)
    }
    return this.db.transaction(async (tx) => {
      const entries: AuditEntry[] = []
      let user = existing
      if (!user) {
        const username = await this.#freeUsername(tx, who.username)
        user = await this.repo.insertUser(tx, { username, displayName: who.displayName, passwordHash: null, roles: granted, agencyUnitId: null, scopeUnitId: null, oidcSubject: who.subject })
        entries.push({ action: 'user.create', targetType: 'user', targetId: username, after: auditable(userView(user)), detail: 'sso: first sign-in' })
      } else {
        const displayName = who.displayName ?? user.displayName
        if (!sameRoles(user.roles, granted) || displayName !== user.displayName) {
          await this.repo.updateUser(tx, user.id, { roles: granted, displayName })
          const after = (await this.repo.userByName(user.username, tx))!
          entries.push({ action: 'user.update', targetType: 'user', targetId: user.username, before: auditable(userView(user)), after: auditable(userView(after)), detail: 'sso: as the provider says at sign-in' })
          user = after
        }
      }
      const s = await this.#startSession(tx, { userId: user.id, kioskId: null, expiresAt: this.#now() + this.o.sessionTtlMs }, meta)
      entries.push({ action: 'session.sign_in', targetType: 'user', targetId: user.username, detail: 'sso' })
      // the user is the actor of their own first sign-in too: the id exists only from the insert on
      for (const e of entries) await writeAudit(tx, { kind: 'user', id: user.id, name: user.username, ip: meta.ip }, e)
      return { cookie: s.cookie, principal: userPrincipal(user, s.session) }
    })
  }

  async signOut(p: Principal, meta: Meta): Promise<void> {
    if (!p.session) return
    const idHash = p.session.idHash
    await audited(this.db, { kind: p.kind, id: p.id, name: p.name, ip: meta.ip }, async (tx) => {
      await this.repo.endSession(tx, idHash)
      return { result: null, audit: { action: 'session.sign_out', targetType: p.kind, targetId: p.name } }
    })
    this.#announce([idHash])
  }

  /** Opens a wall display's session from its kiosk link. */
  async kioskSignIn(token: string, meta: Meta): Promise<StartedSession | null> {
    const kiosk = await this.repo.kioskByToken(sha256(token))
    if (!kiosk) return null
    return audited(this.db, { kind: 'kiosk', id: kiosk.id, name: kiosk.name, ip: meta.ip }, async (tx) => {
      const s = await this.#startSession(tx, { userId: null, kioskId: kiosk.id, expiresAt: this.#now() + KIOSK_SESSION_MS }, meta)
      await tx.query('UPDATE kiosks SET last_used_at = now() WHERE id = $1::bigint', [kiosk.id])
      return { result: { cookie: s.cookie, principal: kioskPrincipal(kiosk.id, kiosk.name, s.session) }, audit: { action: 'session.kiosk_sign_in', targetType: 'kiosk', targetId: kiosk.name } }
    })
  }

  async fromSession(cookie: string, _meta: Meta): Promise<Principal | null> {
    if (!cookie.startsWith(SESSION_PREFIX) || cookie.length > 100) return null
    const idHash = sha256(cookie)
    const s = await this.repo.liveSession(idHash)
    if (!s) return null
    const now = this.#now()
    const session = { idHash, csrfToken: s.csrfToken, expiresAt: s.expiresAt }
    if (s.kioskId !== null) {
      const kiosk = await this.repo.kioskById(s.kioskId)
      return kiosk ? kioskPrincipal(kiosk.id, kiosk.name, session) : null
    }
    if (now - s.lastSeenAt > this.o.sessionIdleMs) return null
    const user = await this.repo.userById(s.userId!)
    if (!user || user.disabledAt !== null) return null
    this.#touch(idHash, now)
    return userPrincipal(user, session)
  }

  async fromApiKey(key: string, _meta: Meta): Promise<Principal | null> {
    if (!key.startsWith(API_KEY_PREFIX) || key.length > 100) return null
    const owner = await this.repo.apiKeyOwner(sha256(key))
    if (!owner) return null
    const now = this.#now()
    if (owner.lastUsedAt === null || now - owner.lastUsedAt > TOUCH_EVERY_MS) void this.repo.touchApiKey(owner.keyId).catch(() => {})
    const u = owner.user
    return { ...userPrincipal(u, null), kind: 'api_key', id: owner.keyId, name: `${u.username}/${owner.keyName}` }
  }

  /**
   * The principals sockets hold, as they stand now (roles changed, user disabled, key or kiosk link revoked,
   * session ended or idle — here or on another server): each one again, or null when it no longer stands.
   */
  async refresh(held: readonly Principal[]): Promise<(Principal | null)[]> {
    const sessions = await this.repo.liveSessions(
      held.flatMap((p) => (p.session ? [p.session.idHash] : [])),
      this.#now() - this.o.sessionIdleMs,
    )
    const keys = await this.repo.liveApiKeys(held.flatMap((p) => (p.kind === 'api_key' ? [p.id] : [])))
    const userIds = [...new Set([...[...sessions.values()].flatMap((s) => (s.userId ? [s.userId] : [])), ...keys.values()])]
    const users = await this.repo.usersByIds(userIds)
    return held.map((p) => {
      if (p.kind === 'api_key') {
        const user = users.get(keys.get(p.id) ?? '')
        return user ? { ...userPrincipal(user, null), kind: 'api_key', id: p.id, name: p.name } : null
      }
      const s = p.session ? sessions.get(p.session.idHash) : undefined
      if (!s) return null
      if (p.kind === 'kiosk') return p
      const user = users.get(s.userId ?? '')
      return user && user.disabledAt === null ? userPrincipal(user, p.session) : null
    })
  }

  // --- the admin's changes -------------------------------------------------------------------------------

  async users(): Promise<UserView[]> {
    return (await this.repo.users()).map(userView)
  }

  async addUser(actor: Actor, body: NewUserBody): Promise<UserView> {
    if (await this.repo.userByName(body.username)) throw new HttpProblem(409, { code: 'conflict', field: 'username', message: `username: '${body.username}' is taken` })
    await this.#unitsExist({ agencyUnitId: body.agencyUnitId, scopeUnitId: body.scopeUnitId })
    const passwordHash = await hashPassword(body.password)
    return audited(this.db, actor, async (tx) => {
      const user = await this.repo.insertUser(tx, {
        username: body.username,
        displayName: body.displayName ?? null,
        passwordHash,
        roles: dedupe(body.roles),
        agencyUnitId: body.agencyUnitId ?? null,
        scopeUnitId: body.scopeUnitId ?? null,
      })
      const view = userView(user)
      return { result: view, audit: { action: 'user.create', targetType: 'user', targetId: user.username, after: auditable(view) } }
    })
  }

  async changeUser(actor: Actor, username: string, change: UserChangeBody): Promise<UserView> {
    const before = await this.repo.userByName(username)
    if (!before) throw new HttpProblem(404, { code: 'not_found', field: 'username', message: `user '${username}' does not exist` })
    const roles = change.roles ? dedupe(change.roles) : before.roles
    const agency = change.agencyUnitId !== undefined ? change.agencyUnitId : before.agencyUnitId
    if (roles.includes('agency') && !agency) throw new HttpProblem(400, { code: 'bad_request', field: 'agencyUnitId', message: 'agencyUnitId: an agency user needs the unit of their agency' })
    if (actor.kind === 'user' && actor.id === before.id && (change.disabled === true || (change.roles && !roles.includes('admin') && before.roles.includes('admin')))) {
      throw new HttpProblem(409, { code: 'conflict', message: 'you cannot disable yourself or take away your own admin role; ask another admin' })
    }
    await this.#unitsExist({ agencyUnitId: change.agencyUnitId, scopeUnitId: change.scopeUnitId })
    const passwordHash = change.password !== undefined ? await hashPassword(change.password) : undefined
    const { view, ended } = await audited(this.db, actor, async (tx) => {
      await this.repo.updateUser(tx, before.id, {
        displayName: change.displayName,
        passwordHash,
        roles: change.roles ? roles : undefined,
        agencyUnitId: change.agencyUnitId,
        scopeUnitId: change.scopeUnitId,
        disabled: change.disabled,
      })
      // a disabled user, or one whose password was reset, is signed out everywhere
      const ended = change.disabled === true || passwordHash !== undefined ? await this.repo.endSessionsOf(tx, { userId: before.id }) : []
      const after = userView((await this.repo.userByName(username, tx))!)
      const what = change.disabled === true ? 'user.disable' : change.disabled === false ? 'user.enable' : passwordHash ? 'user.reset_password' : 'user.update'
      return {
        result: { view: after, ended },
        audit: { action: what, targetType: 'user', targetId: username, before: auditable(userView(before)), after: auditable(after), detail: passwordHash ? 'password reset' : undefined },
      }
    })
    this.#announce(ended)
    return view
  }

  async kiosks(): Promise<KioskView[]> {
    return (await this.repo.kiosks()).map(kioskView)
  }

  /** A new kiosk link; `baseUrl` is the IOC's address as the wall will open it. The token is in the URL once. */
  async addKiosk(actor: Actor, name: string, baseUrl: string): Promise<KioskView & { url: string; token: string }> {
    const existing = await this.repo.kioskByName(name)
    if (existing && existing.revokedAt === null) throw new HttpProblem(409, { code: 'conflict', field: 'name', message: `name: a kiosk link '${name}' exists; revoke it first to issue a new one` })
    const { secret, hash } = newSecret(KIOSK_PREFIX)
    return audited(this.db, actor, async (tx) => {
      await this.repo.retireKioskName(tx, name)
      await this.repo.insertKiosk(tx, { name, tokenHash: hash, createdBy: actor.name })
      const view = kioskView((await this.repo.kioskByName(name, tx))!)
      return { result: { ...view, url: kioskUrl(baseUrl, secret), token: secret }, audit: { action: 'kiosk.create', targetType: 'kiosk', targetId: name, after: view } }
    })
  }

  async revokeKiosk(actor: Actor, name: string): Promise<KioskView> {
    const kiosk = await this.repo.kioskByName(name)
    if (!kiosk) throw new HttpProblem(404, { code: 'not_found', field: 'name', message: `kiosk link '${name}' does not exist` })
    const { view, ended } = await audited(this.db, actor, async (tx) => {
      await this.repo.revokeKiosk(tx, kiosk.id)
      const ended = await this.repo.endSessionsOf(tx, { kioskId: kiosk.id })
      const view = kioskView({ ...kiosk, revokedAt: kiosk.revokedAt ?? this.#now() })
      return { result: { view, ended }, audit: { action: 'kiosk.revoke', targetType: 'kiosk', targetId: name, before: kioskView(kiosk), after: view } }
    })
    this.#announce(ended)
    return view
  }

  async apiKeys(): Promise<ApiKeyView[]> {
    return (await this.repo.apiKeys()).map(apiKeyView)
  }

  async addApiKey(actor: Actor, name: string, username: string): Promise<ApiKeyView & { key: string }> {
    const user = await this.repo.userByName(username)
    if (!user) throw new HttpProblem(400, { code: 'bad_request', field: 'username', message: `username: user '${username}' does not exist` })
    if (user.disabledAt !== null) throw new HttpProblem(400, { code: 'bad_request', field: 'username', message: `username: '${username}' is disabled; a key would act for nobody` })
    const { secret, hash } = newSecret(API_KEY_PREFIX)
    const prefix = secret.slice(0, API_KEY_PREFIX.length + 6)
    return audited(this.db, actor, async (tx) => {
      const id = await this.repo.insertApiKey(tx, { name, userId: user.id, keyHash: hash, prefix, createdBy: actor.name })
      const view = apiKeyView((await this.repo.apiKeys(tx)).find((k) => k.id === id)!)
      return { result: { ...view, key: secret }, audit: { action: 'api_key.create', targetType: 'api_key', targetId: id, after: view } }
    })
  }

  async revokeApiKey(actor: Actor, id: string): Promise<ApiKeyView> {
    if (!/^\d{1,18}$/.test(id)) throw new HttpProblem(404, { code: 'not_found', field: 'id', message: `API key '${id.slice(0, 40)}' does not exist` })
    const key = (await this.repo.apiKeys()).find((k) => k.id === id)
    if (!key) throw new HttpProblem(404, { code: 'not_found', field: 'id', message: `API key '${id}' does not exist` })
    return audited(this.db, actor, async (tx) => {
      await this.repo.revokeApiKey(tx, id)
      const view = apiKeyView({ ...key, revokedAt: key.revokedAt ?? this.#now() })
      return { result: view, audit: { action: 'api_key.revoke', targetType: 'api_key', targetId: id, before: apiKeyView(key), after: view } }
    })
  }

  async audit(f: AuditFilter): Promise<AuditEntryView[]> {
    return (await this.repo.audit(f)).map((r) => ({ ...r, at: new Date(r.at).toISOString() }))
  }

  // --- bootstrap ------------------------------------------------------------------------------------------

  /** With no user at all, creates `admin` (with `password`, or a random one) and returns the password to show once. */
  async ensureFirstAdmin(password: string | null, actor: Actor): Promise<{ username: string; password: string } | null> {
    if ((await this.repo.userCount()) > 0) return null
    const pw = password ?? randomPassword()
    const passwordHash = await hashPassword(pw)
    return audited(this.db, actor, async (tx) => {
      // another process may have created it between the count and here: then this one stands down
      const taken = await tx.query('SELECT 1 FROM users LIMIT 1')
      if (taken.rowCount) return { result: null, audit: [] }
      await this.repo.insertUser(tx, { username: 'admin', displayName: 'Administrator', passwordHash, roles: ['admin'], agencyUnitId: null, scopeUnitId: null })
      return { result: { username: 'admin', password: pw }, audit: { action: 'user.create', targetType: 'user', targetId: 'admin', detail: 'first admin, created at start-up' } }
    })
  }

  // --- internals ------------------------------------------------------------------------------------------

  /** An agency or scope must be a unit of the tree: a 400 naming the field, not the database's refusal. */
  async #unitsExist(fields: { agencyUnitId?: string | null; scopeUnitId?: string | null }): Promise<void> {
    for (const [field, id] of Object.entries(fields)) {
      if (id && !(await this.repo.unitExists(id))) throw new HttpProblem(400, { code: 'bad_request', field, message: `${field}: '${id.slice(0, 64)}' is not a unit (see /api/units)` })
    }
  }

  async #startSession(tx: Parameters<AccountsRepository['insertSession']>[0], s: { userId: string | null; kioskId: string | null; expiresAt: number }, meta: Meta) {
    const { secret, hash } = newSecret(SESSION_PREFIX)
    const csrfToken = newSecret('').secret
    await this.repo.insertSession(tx, { idHash: hash, userId: s.userId, kioskId: s.kioskId, csrfToken, expiresAt: s.expiresAt, ip: meta.ip, userAgent: meta.userAgent ?? null })
    return { cookie: secret, session: { idHash: hash, csrfToken, expiresAt: s.expiresAt } }
  }

  /** `base`, or base-2, base-3, … : the first username no one has (an SSO user's, chosen from the provider's). */
  async #freeUsername(tx: Queryable, base: string): Promise<string> {
    for (let n = 1; n < 1000; n++) {
      const candidate = n === 1 ? base : `${base.slice(0, 63 - String(n).length)}-${n}`
      if (!(await this.repo.userByName(candidate, tx))) return candidate
    }
    throw new HttpProblem(409, { code: 'conflict', message: `no free username like '${base}'` })
  }

  #touch(idHash: string, now: number): void {
    const last = this.#touched.get(idHash) ?? 0
    if (now - last < TOUCH_EVERY_MS) return
    this.#touched.set(idHash, now)
    if (this.#touched.size > 50_000) this.#touched.clear()
    void this.repo.touchSession(idHash).catch(() => {})
  }

  #announce(idHashes: string[]): void {
    if (!idHashes.length) return
    for (const l of this.#ended) l(idHashes)
  }
}

function wrongCredentials(): HttpProblem {
  return new HttpProblem(401, { code: 'unauthorized', message: 'wrong username or password' })
}

function locked(until: number): HttpProblem {
  return new HttpProblem(423, { code: 'locked', message: `too many failed sign-ins: this account is locked until ${new Date(until).toISOString()}` })
}

function userPrincipal(u: UserRow, session: Principal['session']): Principal {
  return {
    kind: 'user',
    id: u.id,
    name: u.username,
    displayName: u.displayName,
    userId: u.id,
    roles: u.roles,
    permissions: permissionsOf(u.roles),
    agencyUnitId: u.agencyUnitId,
    scopeUnitId: u.scopeUnitId,
    session,
  }
}

function kioskPrincipal(id: string, name: string, session: Principal['session']): Principal {
  return { kind: 'kiosk', id, name, displayName: null, userId: null, roles: [], permissions: new Set(KIOSK_PERMISSIONS), agencyUnitId: null, scopeUnitId: null, session }
}

function userView(u: UserRow): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    roles: u.roles,
    agencyUnitId: u.agencyUnitId,
    scopeUnitId: u.scopeUnitId,
    password: u.passwordHash !== null,
    sso: u.oidcSubject !== null,
    disabled: u.disabledAt !== null,
    lockedUntil: u.lockedUntil !== null && u.lockedUntil > Date.now() ? new Date(u.lockedUntil).toISOString() : null,
    createdAt: new Date(u.createdAt).toISOString(),
    lastSignInAt: u.lastSignInAt === null ? null : new Date(u.lastSignInAt).toISOString(),
  }
}

/** What the audit keeps of a user: no sign-in times, which change without anyone changing the user. */
function auditable(v: UserView): Partial<UserView> {
  const { lastSignInAt: _l, lockedUntil: _u, ...rest } = v
  return rest
}

function kioskView(k: { id: string; name: string; createdBy: string; createdAt: number; lastUsedAt: number | null; revokedAt: number | null }): KioskView {
  return {
    id: k.id,
    name: k.name,
    createdBy: k.createdBy,
    createdAt: new Date(k.createdAt).toISOString(),
    lastUsedAt: k.lastUsedAt === null ? null : new Date(k.lastUsedAt).toISOString(),
    revokedAt: k.revokedAt === null ? null : new Date(k.revokedAt).toISOString(),
  }
}

function apiKeyView(k: { id: string; name: string; username: string; prefix: string; createdBy: string; createdAt: number; lastUsedAt: number | null; revokedAt: number | null }): ApiKeyView {
  return {
    id: k.id,
    name: k.name,
    username: k.username,
    prefix: k.prefix,
    createdBy: k.createdBy,
    createdAt: new Date(k.createdAt).toISOString(),
    lastUsedAt: k.lastUsedAt === null ? null : new Date(k.lastUsedAt).toISOString(),
    revokedAt: k.revokedAt === null ? null : new Date(k.revokedAt).toISOString(),
  }
}

export function kioskUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/k/${token}`
}

function dedupe(roles: readonly Role[]): Role[] {
  return [...new Set(roles)]
}

function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  return a.length === b.length && a.every((r) => b.includes(r))
}
