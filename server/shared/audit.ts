// The audit log's write side: every write a person, a wall display, a script or an integration makes is
// recorded with who, when, what, and the record before and after. An entry is written inside the
// transaction of the change it describes (`audited`), so a change that fails leaves no entry and a change
// that commits always has one. The table refuses updates and deletes (db/migrations/006_accounts.sql).
import type { Database, Queryable } from '../../db/database.ts'
import { inTransaction } from '../../db/database.ts'
import type { Principal } from './auth.ts'

export type ActorKind = 'user' | 'kiosk' | 'api_key' | 'device' | 'system' | 'cli'

export interface Actor {
  kind: ActorKind
  id: string | null
  name: string
  ip?: string | null
}

export function actorOf(p: Principal, ip: string | null = null): Actor {
  return { kind: p.kind, id: p.id, name: p.name, ip }
}

/** The IOC acting on its own (start-up bootstrap, scheduled escalations). */
export const SYSTEM: Actor = { kind: 'system', id: null, name: 'system' }

export interface AuditEntry {
  /** What was done, as `<thing>.<verb>`: user.create, session.sign_in, kiosk.revoke. */
  action: string
  targetType?: string
  targetId?: string
  before?: unknown
  after?: unknown
  detail?: string
}

export async function writeAudit(tx: Queryable, actor: Actor, e: AuditEntry): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (actor_kind, actor_id, actor_name, action, target_type, target_id, before, after, ip, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10)`,
    [
      actor.kind,
      actor.id,
      actor.name,
      e.action,
      e.targetType ?? null,
      e.targetId ?? null,
      e.before === undefined ? null : JSON.stringify(e.before),
      e.after === undefined ? null : JSON.stringify(e.after),
      actor.ip ?? null,
      e.detail ?? null,
    ],
  )
}

/**
 * Runs a change and records it in one transaction: `fn` does the change on `tx` and returns its result with
 * the entry (or entries) describing it.
 */
export async function audited<T>(db: Database | Queryable, actor: Actor, fn: (tx: Queryable) => Promise<{ result: T; audit: AuditEntry | AuditEntry[] }>): Promise<T> {
  const run = async (tx: Queryable) => {
    const { result, audit } = await fn(tx)
    for (const e of Array.isArray(audit) ? audit : [audit]) await writeAudit(tx, actor, e)
    return result
  }
  return 'transaction' in db ? db.transaction(run) : inTransaction(db, run)
}
