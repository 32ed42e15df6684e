// pg ships no typings for its parameter encoder; db/pg-types.ts re-exports it for the embedded driver.
declare module 'pg/lib/utils.js' {
  /** A query parameter in the text form pg sends: arrays as array literals, objects as JSON, dates with their zone. */
  export function prepareValue(value: unknown): string | Buffer | null
}
