// What a domain gives ingest (ingest/domains.ts lists them): the topic segment its devices publish under,
// which ids exist, how a payload becomes an item, how a batch of items is written, and the frame the servers
// get once it is committed. The ingest worker runs every registered domain the same way.
import type { InputSegment, IngestLimits, Parsed } from '../../contract/index.ts'
import type { Queryable } from '../../db/database.ts'

/** What a write of one domain's items did, per table. */
export type TableCounts = Record<string, { rows: number; inserted: number }>

/**
 * What a write did: rows per table, and the parts of items it refused (a domain whose validity depends on
 * what is stored, like a dossier event against its dossier's log, decides inside the transaction). Each
 * refusal becomes a dead letter on the topic of the item it came from.
 */
export interface DomainWrite {
  tables: TableCounts
  rejected?: { item: number; code: string; reason: string; payload: string }[]
}

// `any` as the default item type: a list of domains holds each with its own item type
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface IngestDomain<T = any> {
  name: string
  /** Devices publish under `{root}/{segment}/{id}`; committed items go out on `{root}/live/{segment}`. */
  segment: InputSegment
  /** The ids the reference data holds, or 'any' when the topic's id is not a reference (a sending system's name). */
  knownIds: ((db: Queryable) => Promise<Set<string>>) | 'any'
  /** The dead letter of a message from an id the reference data does not hold. */
  unknown: { code: string; message(id: string): string }
  /** Pure and total: the item (or null when nothing in the payload can be stored) and every problem. */
  parse(id: string, payload: Uint8Array, now: number, limits: IngestLimits): Parsed<T>
  /** Values of the item that are stored (a dead letter of a partly bad message says how many) and the rows it writes. */
  size(item: T): { stored: number; rows: number }
  /** Writes items inside the batch's transaction: one statement per table, whatever the batch size. */
  write(tx: Queryable, items: readonly T[]): Promise<DomainWrite>
  /** The frame the servers get for committed items (at most LIVE_CHUNK items each). */
  liveFrame(items: readonly T[], committedAt: number): unknown
}

/** knownIds for a domain whose devices are the rows of a reference table with an `id` column. */
export function idsOfTable(table: 'stations' | 'cameras'): (db: Queryable) => Promise<Set<string>> {
  return async (db) => new Set((await db.query<{ id: string }>(`SELECT id FROM ${table}`)).rows.map((r) => r.id))
}
