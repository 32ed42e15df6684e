// Writing a batch when one message in it is refused by the database for its data (SQLSTATE 22 or 23):
// the batch is split in halves until the message at fault is alone, and that one is dead-lettered as
// db_rejected, so one bad message never stalls the feed. Any other failure (the database is down) is thrown
// as it is, for the batcher to retry. Pure apart from the `write` it is given.
import { isDataError, type WriteResult } from './writer.ts'
import { payloadExcerpt, storableText, type Entry } from './entries.ts'

export interface Item {
  entry: Entry
  topic: string
  payload: Buffer
}

export type WriteEntries = (entries: Entry[]) => Promise<WriteResult>

export const EMPTY_RESULT: WriteResult = { tables: {}, deadLetters: 0 }

export interface Isolation {
  result: WriteResult
  /** Messages replaced by a db_rejected dead letter. */
  rejected: Item[]
  /** Messages dropped because the database refused even their dead letter. */
  dropped: Item[]
}

export async function writeIsolatingBadEntries(items: Item[], write: WriteEntries): Promise<Isolation> {
  const out: Isolation = { result: { tables: {}, deadLetters: 0 }, rejected: [], dropped: [] }
  await attempt(items, write, out)
  return out
}

async function attempt(items: Item[], write: WriteEntries, out: Isolation): Promise<void> {
  try {
    add(out.result, await write(items.map((i) => i.entry)))
    return
  } catch (err) {
    if (!isDataError(err)) throw err
    if (items.length > 1) {
      const half = Math.ceil(items.length / 2)
      await attempt(items.slice(0, half), write, out)
      await attempt(items.slice(half), write, out)
      return
    }
    const item = items[0]!
    if (item.entry.dead?.code === 'db_rejected') {
      // the database refuses even the dead letter: retrying cannot help and would stall ingest for good
      item.entry = { topic: item.topic, domain: null, item: null, dead: null, rows: 0 }
      out.dropped.push(item)
      return
    }
    item.entry = {
      topic: item.topic,
      domain: null,
      item: null,
      dead: {
        topic: storableText(item.topic),
        code: 'db_rejected',
        reason: storableText(`the database refused it: ${(err as Error).message}`),
        payload: payloadExcerpt(item.payload),
        payloadBytes: item.payload.byteLength,
        accepted: 0,
      },
      rows: 1,
    }
    out.rejected.push(item)
    await attempt(items, write, out)
  }
}

function add(into: WriteResult, r: WriteResult): void {
  for (const [table, c] of Object.entries(r.tables)) {
    const t = (into.tables[table] ??= { rows: 0, inserted: 0 })
    t.rows += c.rows
    t.inserted += c.inserted
  }
  into.deadLetters += r.deadLetters
}
