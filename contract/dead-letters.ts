// Dead letters: what ingest could not store, with the reason. The codes are the shared ones plus each
// domain's own (contract/domains.ts); GET /api/dead-letters lists them.

import { DEAD_LETTER_CODES, type DeadLetterCode } from './domains.ts'
import type { ApiErrorBody } from './shared/errors.ts'
import { isApiError, parseQuery } from './shared/http.ts'
import { sentence, z } from './shared/schema.ts'

export interface DeadLetterView {
  id: string
  receivedAt: string
  topic: string
  code: DeadLetterCode
  reason: string
  /** The raw payload as text, truncated. */
  payload: string
  payloadBytes: number
  /** How many values of the same message were stored (a partly bad message). */
  accepted: number
}

export interface DeadLetterQuery {
  limit: number
  /** Page back: only dead letters older than the one with this id (ids grow with arrival). */
  before: number | null
  code: DeadLetterCode | null
}

export const deadLetterQuery = z.object({
  limit: z
    .string({ error: sentence('expected an integer 1–1000') })
    .regex(/^\d+$/, { error: sentence('expected an integer 1–1000') })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 1000, { error: sentence('expected an integer 1–1000') })
    .optional(),
  before: z
    .string()
    .regex(/^\d{1,15}$/, { error: sentence('expected the id of a dead letter (page back from the oldest id of the last page)') })
    .transform(Number)
    .optional(),
  code: z.enum(DEAD_LETTER_CODES, { error: sentence(`expected one of ${DEAD_LETTER_CODES.join(', ')}`) }).optional(),
})

export function parseDeadLetterQuery(q: Record<string, unknown>): DeadLetterQuery | ApiErrorBody {
  const r = parseQuery(deadLetterQuery, q)
  if (isApiError(r)) return r
  return { limit: r.limit ?? 100, before: r.before ?? null, code: r.code ?? null }
}

/** GET /api/dead-letters: newest first; `before=<id>` pages back from the oldest id of the last page. */
export interface DeadLetterQueryInput {
  limit?: number
  before?: string
  code?: DeadLetterCode
}
