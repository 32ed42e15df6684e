// The accounts' SQL and row types: users, sessions, kiosks, API keys, and the audit log's read side. Secrets
// arrive here already hashed; nothing here decides who may do what (AccountService does).
import type { Role } from '../../contract/index.ts'
import type { Queryable } from '../../db/database.ts'

export interface UserRow {
  id: string
  username: string
  displayName: string | null
  passwordHash: string | null
  roles: Role[]
  agencyUnitId: string | null
  scopeUnitId: string | null
  oidcSubject: string | null
  disabledAt: number | null
  failedLogins: number
  lockedUntil: number | null
  createdAt: number
  lastSignInAt: number | null
}

export interface SessionRow {
  idHash: string
  userId: string | null
  kioskId: string | null
  csrfToken: string
  lastSeenAt: number
  expiresAt: number
}

export interface KioskRow {
  id: string
  name: string
  tokenHash: string
  createdBy: string
  createdAt: number
  lastUsedAt: number | null
  revokedAt: number | null
}

export interface ApiKeyRow {
  id: string
  name: string
  userId: string
  username: string
  prefix: string
  createdBy: string
  createdAt: number
  lastUsedAt: number | null
  revokedAt: number | null
}

export interface AuditRow {
  id: string
  at: number
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

export interface AuditFilter {
  actor?: string
  action?: string
  targetType?: string
  targetId?: string
  from?: number
  to?: number
  before?: number
  limit: number
}

const USER_COLUMNS = `u.id::text AS id, u.username, u.display_name, u.password_hash, u.roles, u.agency_unit_id, u.scope_unit_id, u.oidc_subject,
  u.disabled_at, u.failed_logins, u.locked_until, u.created_at,
  (SELECT max(s.created_at) FROM sessions s WHERE s.user_id = u.id) AS last_sign_in_at`

type UserDbRow = {
  id: string
  username: string
  display_name: string | null
  password_hash: string | null
  roles: Role[]
  agency_unit_id: string | null
  scope_unit_id: string | null
  oidc_subject: string | null
  disabled_at: number | null
  failed_logins: number
  locked_until: number | null
  created_at: number
  last_sign_in_at: number | null
}

const toUser = (r: UserDbRow): UserRow => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  passwordHash: r.password_hash,
  roles: r.roles,
  agencyUnitId: r.agency_unit_id,
  scopeUnitId: r.scope_unit_id,
  oidcSubject: r.oidc_subject,
  disabledAt: r.disabled_at,
  failedLogins: r.failed_logins,
  lockedUntil: r.locked_until,
  createdAt: r.created_at,
  lastSignInAt: r.last_sign_in_at,
})

export interface NewUser {
  username: string
  displayName: string | null
  passwordHash: string | null
  roles: Role[]
  agencyUnitId: string | null
  scopeUnitId: string | null
  oidcSubject?: string | null
}

export type UserChange = Partial<Pick<NewUser, 'displayName' | 'passwordHash' | 'roles' | 'agencyUnitId' | 'scopeUnitId'>> & { disabled?: boolean }

export function accountsRepository(db: Queryable) {
  return {
    async userCount(): Promise<number> {
      return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0]!.n
    },
    async users(): Promise<UserRow[]> {
      return (await db.query<UserDbRow>(`SELECT ${USER_COLUMNS} FROM users u ORDER BY u.username`)).rows.map(toUser)
    },
    async userByName(username: string, tx: Queryable = db): Promise<UserRow | null> {
      const r = await tx.query<UserDbRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.username = $1`, [username])
      return r.rows[0] ? toUser(r.rows[0]) : null
    },
    async userById(id: string): Promise<UserRow | null> {
      const r = await db.query<UserDbRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1::bigint`, [id])
      return r.rows[0] ? toUser(r.rows[0]) : null
    },
    async userBySubject(subject: string): Promise<UserRow | null> {
      const r = await db.query<UserDbRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.oidc_subject = $1`, [subject])
      return r.rows[0] ? toUser(r.rows[0]) : null
    },
    async insertUser(tx: Queryable, u: NewUser): Promise<UserRow> {
      await tx.query(
        `INSERT INTO users (username, display_name, password_hash, roles, agency_unit_id, scope_unit_id, oidc_subject, password_changed_at)
         VALUES ($1, $2, $3, $4::text[], $5, $6, $7, CASE WHEN $3::text IS NULL THEN NULL ELSE now() END)`,
        [u.username, u.displayName, u.passwordHash, u.roles, u.agencyUnitId, u.scopeUnitId, u.oidcSubject ?? null],
      )
      return (await this.userByName(u.username, tx))!
    },
    async updateUser(tx: Queryable, id: string, c: UserChange): Promise<void> {
      const sets: string[] = []
      const params: unknown[] = [id]
      const set = (column: string, value: unknown, cast = '') => sets.push(`${column} = $${params.push(value)}${cast}`)
      if (c.displayName !== undefined) set('display_name', c.displayName)
      if (c.passwordHash !== undefined) {
        set('password_hash', c.passwordHash)
        sets.push('password_changed_at = now()', 'failed_logins = 0', 'locked_until = NULL')
      }
      if (c.roles !== undefined) set('roles', c.roles, '::text[]')
      if (c.agencyUnitId !== undefined) set('agency_unit_id', c.agencyUnitId)
      if (c.scopeUnitId !== undefined) set('scope_unit_id', c.scopeUnitId)
      if (c.disabled !== undefined) sets.push(c.disabled ? 'disabled_at = coalesce(disabled_at, now())' : 'disabled_at = NULL')
      if (!sets.length) return
      await tx.query(`UPDATE users SET ${sets.join(', ')}, updated_at = now() WHERE id = $1::bigint`, params)
    },
    /** Counts a failed sign-in; locks the account (until `lockUntil`) when it reaches `max`. Returns the new count. */
    async noteFailure(tx: Queryable, id: string, max: number, lockUntil: number): Promise<{ failures: number; locked: boolean }> {
      const r = await tx.query<{ failed_logins: number; locked: boolean }>(
        `UPDATE users SET failed_logins = failed_logins + 1,
           locked_until = CASE WHEN failed_logins + 1 >= $2 THEN to_timestamp($3 / 1000.0) ELSE locked_until END
         WHERE id = $1::bigint RETURNING failed_logins, locked_until IS NOT NULL AND locked_until > now() AS locked`,
        [id, max, lockUntil],
      )
      return { failures: r.rows[0]!.failed_logins, locked: r.rows[0]!.locked }
    },
    async clearFailures(tx: Queryable, id: string): Promise<void> {
      await tx.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1::bigint AND (failed_logins > 0 OR locked_until IS NOT NULL)', [id])
    },

    async insertSession(tx: Queryable, s: { idHash: string; userId: string | null; kioskId: string | null; csrfToken: string; expiresAt: number; ip: string | null; userAgent: string | null }): Promise<void> {
      await tx.query(
        `INSERT INTO sessions (id_hash, user_id, kiosk_id, csrf_token, expires_at, ip, user_agent) VALUES ($1, $2::bigint, $3::bigint, $4, to_timestamp($5 / 1000.0), $6, $7)`,
        [s.idHash, s.userId, s.kioskId, s.csrfToken, s.expiresAt, s.ip, s.userAgent?.slice(0, 300) ?? null],
      )
    },
    /** A live session: not ended, not expired, its user enabled or its kiosk not revoked. */
    async liveSession(idHash: string): Promise<SessionRow | null> {
      const r = await db.query<{ id_hash: string; user_id: string | null; kiosk_id: string | null; csrf_token: string; last_seen_at: number; expires_at: number }>(
        `SELECT s.id_hash, s.user_id::text AS user_id, s.kiosk_id::text AS kiosk_id, s.csrf_token, s.last_seen_at, s.expires_at
         FROM sessions s
         LEFT JOIN users u ON u.id = s.user_id
         LEFT JOIN kiosks k ON k.id = s.kiosk_id
         WHERE s.id_hash = $1 AND s.ended_at IS NULL AND s.expires_at > now()
           AND (u.id IS NULL OR u.disabled_at IS NULL) AND (k.id IS NULL OR k.revoked_at IS NULL)`,
        [idHash],
      )
      const x = r.rows[0]
      return x ? { idHash: x.id_hash, userId: x.user_id, kioskId: x.kiosk_id, csrfToken: x.csrf_token, lastSeenAt: x.last_seen_at, expiresAt: x.expires_at } : null
    },
    /** The live sessions among these, with who holds each (a user or a kiosk). */
    async liveSessions(idHashes: readonly string[], idleSince: number): Promise<Map<string, SessionRow>> {
      if (!idHashes.length) return new Map()
      const r = await db.query<{ id_hash: string; user_id: string | null; kiosk_id: string | null; csrf_token: string; last_seen_at: number; expires_at: number }>(
        `SELECT s.id_hash, s.user_id::text AS user_id, s.kiosk_id::text AS kiosk_id, s.csrf_token, s.last_seen_at, s.expires_at FROM sessions s
         LEFT JOIN users u ON u.id = s.user_id
         LEFT JOIN kiosks k ON k.id = s.kiosk_id
         WHERE s.id_hash = ANY($1::text[]) AND s.ended_at IS NULL AND s.expires_at > now()
           AND (s.kiosk_id IS NOT NULL OR s.last_seen_at > to_timestamp($2 / 1000.0))
           AND (u.id IS NULL OR u.disabled_at IS NULL) AND (k.id IS NULL OR k.revoked_at IS NULL)`,
        [idHashes, idleSince],
      )
      return new Map(r.rows.map((x) => [x.id_hash, { idHash: x.id_hash, userId: x.user_id, kioskId: x.kiosk_id, csrfToken: x.csrf_token, lastSeenAt: x.last_seen_at, expiresAt: x.expires_at }]))
    },
    /** Of these API keys, the live ones (not revoked, their user enabled), with their user's id. */
    async liveApiKeys(ids: readonly string[]): Promise<Map<string, string>> {
      if (!ids.length) return new Map()
      const r = await db.query<{ id: string; user_id: string }>(
        `SELECT k.id::text AS id, k.user_id::text AS user_id FROM api_keys k JOIN users u ON u.id = k.user_id
         WHERE k.id = ANY($1::bigint[]) AND k.revoked_at IS NULL AND u.disabled_at IS NULL`,
        [ids],
      )
      return new Map(r.rows.map((x) => [x.id, x.user_id]))
    },
    async usersByIds(ids: readonly string[]): Promise<Map<string, UserRow>> {
      if (!ids.length) return new Map()
      const r = await db.query<UserDbRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ANY($1::bigint[])`, [ids])
      return new Map(r.rows.map((x) => [x.id, toUser(x)]))
    },
    async touchSession(idHash: string): Promise<void> {
      await db.query('UPDATE sessions SET last_seen_at = now() WHERE id_hash = $1', [idHash])
    },
    async endSession(tx: Queryable, idHash: string): Promise<boolean> {
      return ((await tx.query('UPDATE sessions SET ended_at = now() WHERE id_hash = $1 AND ended_at IS NULL', [idHash])).rowCount ?? 0) > 0
    },
    /** Ends every live session of a user or a kiosk; returns their hashes. */
    async endSessionsOf(tx: Queryable, who: { userId?: string; kioskId?: string }): Promise<string[]> {
      const column = who.userId !== undefined ? 'user_id' : 'kiosk_id'
      const r = await tx.query<{ id_hash: string }>(`UPDATE sessions SET ended_at = now() WHERE ${column} = $1::bigint AND ended_at IS NULL RETURNING id_hash`, [who.userId ?? who.kioskId])
      return r.rows.map((x) => x.id_hash)
    },
    async purgeSessions(olderThan: number): Promise<number> {
      return (await db.query('DELETE FROM sessions WHERE (ended_at IS NOT NULL OR expires_at < now()) AND created_at < to_timestamp($1 / 1000.0)', [olderThan])).rowCount ?? 0
    },

    async kiosks(tx: Queryable = db): Promise<KioskRow[]> {
      return this.kiosksWhere('true', [], tx)
    },
    async kiosksWhere(where: string, params: unknown[], tx: Queryable = db): Promise<KioskRow[]> {
      const r = await tx.query<{ id: string; name: string; token_hash: string; created_by: string; created_at: number; last_used_at: number | null; revoked_at: number | null }>(
        `SELECT id::text AS id, name, token_hash, created_by, created_at, last_used_at, revoked_at FROM kiosks WHERE ${where} ORDER BY name`,
        params,
      )
      return r.rows.map((x) => ({ id: x.id, name: x.name, tokenHash: x.token_hash, createdBy: x.created_by, createdAt: x.created_at, lastUsedAt: x.last_used_at, revokedAt: x.revoked_at }))
    },
    async kioskByName(name: string, tx: Queryable = db): Promise<KioskRow | null> {
      return (await this.kiosksWhere('name = $1', [name], tx))[0] ?? null
    },
    async kioskByToken(tokenHash: string): Promise<KioskRow | null> {
      return (await this.kiosksWhere('token_hash = $1 AND revoked_at IS NULL', [tokenHash]))[0] ?? null
    },
    async kioskById(id: string): Promise<KioskRow | null> {
      return (await this.kiosksWhere('id = $1::bigint', [id]))[0] ?? null
    },
    async unitExists(id: string): Promise<boolean> {
      return ((await db.query('SELECT 1 FROM units WHERE id = $1', [id])).rowCount ?? 0) > 0
    },
    async insertKiosk(tx: Queryable, k: { name: string; tokenHash: string; createdBy: string }): Promise<string> {
      return (await tx.query<{ id: string }>('INSERT INTO kiosks (name, token_hash, created_by) VALUES ($1, $2, $3) RETURNING id::text AS id', [k.name, k.tokenHash, k.createdBy])).rows[0]!.id
    },
    /** A revoked kiosk's name is free again: the old row is renamed out of the way, so its audit trail stays. */
    async retireKioskName(tx: Queryable, name: string): Promise<void> {
      await tx.query(`UPDATE kiosks SET name = name || '.revoked.' || id WHERE name = $1 AND revoked_at IS NOT NULL`, [name])
    },
    async revokeKiosk(tx: Queryable, id: string): Promise<void> {
      await tx.query('UPDATE kiosks SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1::bigint', [id])
    },
    async touchKiosk(id: string): Promise<void> {
      await db.query('UPDATE kiosks SET last_used_at = now() WHERE id = $1::bigint', [id])
    },

    async apiKeys(tx: Queryable = db): Promise<ApiKeyRow[]> {
      const r = await tx.query<{ id: string; name: string; user_id: string; username: string; prefix: string; created_by: string; created_at: number; last_used_at: number | null; revoked_at: number | null }>(
        `SELECT k.id::text AS id, k.name, k.user_id::text AS user_id, u.username, k.prefix, k.created_by, k.created_at, k.last_used_at, k.revoked_at
         FROM api_keys k JOIN users u ON u.id = k.user_id ORDER BY k.created_at DESC`,
      )
      return r.rows.map((x) => ({ id: x.id, name: x.name, userId: x.user_id, username: x.username, prefix: x.prefix, createdBy: x.created_by, createdAt: x.created_at, lastUsedAt: x.last_used_at, revokedAt: x.revoked_at }))
    },
    /** The key's owner when the key is live and the owner enabled. */
    async apiKeyOwner(keyHash: string): Promise<{ keyId: string; keyName: string; lastUsedAt: number | null; user: UserRow } | null> {
      const r = await db.query<{ id: string; name: string; last_used_at: number | null; user_id: string }>(
        'SELECT id::text AS id, name, last_used_at, user_id::text AS user_id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
        [keyHash],
      )
      const k = r.rows[0]
      if (!k) return null
      const user = await this.userById(k.user_id)
      return user && user.disabledAt === null ? { keyId: k.id, keyName: k.name, lastUsedAt: k.last_used_at, user } : null
    },
    async insertApiKey(tx: Queryable, k: { name: string; userId: string; keyHash: string; prefix: string; createdBy: string }): Promise<string> {
      return (
        await tx.query<{ id: string }>('INSERT INTO api_keys (name, user_id, key_hash, prefix, created_by) VALUES ($1, $2::bigint, $3, $4, $5) RETURNING id::text AS id', [
          k.name,
          k.userId,
          k.keyHash,
          k.prefix,
          k.createdBy,
        ])
      ).rows[0]!.id
    },
    async revokeApiKey(tx: Queryable, id: string): Promise<boolean> {
      return ((await tx.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1::bigint AND revoked_at IS NULL', [id])).rowCount ?? 0) > 0
    },
    async touchApiKey(id: string): Promise<void> {
      await db.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1::bigint', [id])
    },

    async audit(f: AuditFilter): Promise<AuditRow[]> {
      const where: string[] = []
      const params: unknown[] = []
      const add = (sql: (n: number) => string, value: unknown) => where.push(sql(params.push(value)))
      if (f.actor) add((n) => `actor_name = $${n}`, f.actor)
      if (f.action) add((n) => `action LIKE $${n} || '%'`, f.action)
      if (f.targetType) add((n) => `target_type = $${n}`, f.targetType)
      if (f.targetId) add((n) => `target_id = $${n}`, f.targetId)
      if (f.from !== undefined) add((n) => `at >= to_timestamp($${n} / 1000.0)`, f.from)
      if (f.to !== undefined) add((n) => `at < to_timestamp($${n} / 1000.0)`, f.to)
      if (f.before !== undefined) add((n) => `id < $${n}`, f.before)
      const r = await db.query<{
        id: string
        at: number
        actor_kind: string
        actor_name: string
        action: string
        target_type: string | null
        target_id: string | null
        before: unknown
        after: unknown
        ip: string | null
        detail: string | null
      }>(
        `SELECT id::text AS id, at, actor_kind, actor_name, action, target_type, target_id, before, after, ip, detail FROM audit_log
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY audit_log.id DESC LIMIT ${Math.floor(f.limit)}`,
        params,
      )
      return r.rows.map((x) => ({
        id: x.id,
        at: x.at,
        actorKind: x.actor_kind,
        actorName: x.actor_name,
        action: x.action,
        targetType: x.target_type,
        targetId: x.target_id,
        before: x.before,
        after: x.after,
        ip: x.ip,
        detail: x.detail,
      }))
    },
  }
}

export type AccountsRepository = ReturnType<typeof accountsRepository>
