// Writes a batch in one transaction: each domain's items in its own statements (one INSERT … SELECT FROM
// unnest(…) per table, so thousands of items are a handful of statements), then the dead letters. Items are
// inserted with ON CONFLICT DO NOTHING by their domains, so a redelivered message is harmless.
import type { Database, Queryable } from '../../db/database.ts'
import type { TableCounts } from './domain.ts'
import { DEAD_LETTER_PAYLOAD_CHARS, storableText, type DeadLetter, type Entry } from './entries.ts'

const INSERT_DEAD_LETTERS_SQL = `
INSERT INTO dead_letters (topic, code, reason, payload, payload_bytes, accepted)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[])`

export interface WriteResult {
  /** Rows written and rows new, per table. */
  tables: TableCounts
  deadLetters: number
}

/** Writes the items of every domain and the dead letters of a batch of entries in one transaction. */
export function writeEntries(db: Database, entries: readonly Entry[]): Promise<WriteResult> {
  return db.transaction((tx) => writeInTransaction(tx, entries))
}

export async function writeInTransaction(tx: Queryable, entries: readonly Entry[]): Promise<WriteResult> {
  const byDomain = new Map<NonNullable<Entry['domain']>, Entry[]>()
  const dead: DeadLetter[] = []
  for (const e of entries) {
    if (e.domain && e.item !== null) {
      let mine = byDomain.get(e.domain)
      if (!mine) byDomain.set(e.domain, (mine = []))
      mine.push(e)
    }
    if (e.dead) dead.push(e.dead)
  }
  const tables: TableCounts = {}
  for (const [domain, mine] of byDomain) {
    const written = await domain.write(tx, mine.map((e) => e.item))
    Object.assign(tables, written.tables)
    for (const r of written.rejected ?? []) {
      const payload = storableText(r.payload)
      dead.push({
        topic: mine[r.item]!.topic,
        code: r.code as DeadLetter['code'],
        reason: storableText(r.reason),
        payload: payload.length > DEAD_LETTER_PAYLOAD_CHARS ? `${payload.slice(0, DEAD_LETTER_PAYLOAD_CHARS)}…` : payload,
        payloadBytes: Buffer.byteLength(r.payload),
        accepted: 0,
      })
    }
  }
  if (dead.length) {
    await tx.query(INSERT_DEAD_LETTERS_SQL, [
      dead.map((d) => d.topic),
      dead.map((d) => d.code),
      dead.map((d) => d.reason),
      dead.map((d) => d.payload),
      dead.map((d) => d.payloadBytes),
      dead.map((d) => d.accepted),
    ])
  }
  return { tables, deadLetters: dead.length }
}

/**
 * True for errors caused by the data rather than the database's state (SQLSTATE classes 22 data exception
 * and 23 integrity violation): retrying the same batch cannot succeed, so the batch is split to find the
 * entry at fault instead.
 */
export function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'))
}
