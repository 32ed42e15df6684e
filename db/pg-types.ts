// How column values come back, the same on both backends: timestamptz as epoch milliseconds (±Infinity for
// ±infinity) and int8 (count(*)) as a number; everything else as pg parses it. The IOC never needs dates
// as strings from the driver, and its counts stay far below 2^53. The embedded driver (db/embedded/child.ts)
// takes its parsers from here, so a row reads the same from PGlite as from PostgreSQL.
import pg from 'pg'

const parseTimestamptz = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ)
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (v) => {
  const d: unknown = parseTimestamptz(v)
  return d instanceof Date ? d.getTime() : d // ±infinity stays ±Infinity
})
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))

/** pg's text parser for a type oid (identity for types pg leaves as text). */
export function textParser(oid: number): (value: string) => unknown {
  return pg.types.getTypeParser(oid, 'text') as (value: string) => unknown
}

/** A parameter as pg sends it in text form: arrays as array literals, objects as JSON, dates with their zone. */
export { prepareValue } from 'pg/lib/utils.js'
