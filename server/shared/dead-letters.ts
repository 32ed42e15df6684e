// What ingest could not store, newest first, for the people who look after the feeds: the repository that
// reads dead_letters and the GET /api/dead-letters route.
import type { Router } from 'express'
import { parseDeadLetterQuery, SHARED_ROUTES, type DeadLetterQuery, type DeadLetterView } from '../../contract/index.ts'
import type { Queryable } from '../../db/database.ts'
import { get, orBadRequest } from './http.ts'

export async function readDeadLetters(db: Queryable, q: DeadLetterQuery): Promise<DeadLetterView[]> {
  const r = await db.query<{ id: number; received_at: number; topic: string; code: DeadLetterView['code']; reason: string; payload: string; payload_bytes: number; accepted: number }>(
    `SELECT id, received_at, topic, code, reason, payload, payload_bytes, accepted FROM dead_letters
     WHERE ($1::bigint IS NULL OR id < $1) AND ($2::text IS NULL OR code = $2)
     ORDER BY id DESC LIMIT $3`,
    [q.before, q.code, q.limit],
  )
  return r.rows.map((x) => ({
    id: String(x.id),
    receivedAt: new Date(x.received_at).toISOString(),
    topic: x.topic,
    code: x.code,
    reason: x.reason,
    payload: x.payload,
    payloadBytes: x.payload_bytes,
    accepted: x.accepted,
  }))
}

export function deadLetterRoutes(router: Router, db: Queryable): void {
  get(router, SHARED_ROUTES.deadLetters, async ({ query }) => ({ items: await readDeadLetters(db, orBadRequest(parseDeadLetterQuery(query))) }))
}
