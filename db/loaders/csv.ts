// CSV for the reference loaders: reading through csv-parse (RFC 4180: quoted fields with "" escapes, commas
// and line breaks inside quotes, CRLF, LF or CR line ends, even mixed, a UTF-8 byte-order mark ignored), the
// header check every loader shares, and the writer the demo files are produced with, so both directions
// agree. What this module adds to csv-parse: records numbered by the line they start on, and a malformed
// record reported as a row error while the records after it are still read.

import { Buffer } from 'node:buffer'
import { CsvError, parse, type Options } from 'csv-parse/sync'
import { closest } from '../../contract/index.ts'
import type { RowError } from './row-error.ts'

export interface CsvRecord {
  /** 1-based line on which the record starts (the header is line 1). */
  line: number
  fields: string[]
}

const CR = 0x0d
const LF = 0x0a

const OPTIONS: Options = {
  // Listed, not auto-detected: csv-parse detects one line end per file, and a spreadsheet export edited in
  // another tool can mix them. The longest first, so CRLF is one line end, not two.
  record_delimiter: ['\r\n', '\n', '\r'],
  skip_empty_lines: true,
  // The field count is checked against the header by readTable, which can say what the header has.
  relax_column_count: true,
}

/** What a malformed record is called in a row error, by csv-parse's error code. */
const PROBLEMS: Partial<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed (missing ")',
  CSV_INVALID_CLOSING_QUOTE: 'unexpected text after a closing quote (quotes inside a field are written "")',
  INVALID_OPENING_QUOTE: 'a quote inside a field that does not start with one (quote the whole field and write quotes inside it as "")',
}

/**
 * Splits text into records. Blank lines (and lines of only spaces) are skipped; a malformed record becomes an
 * error at the line it starts on, not a record, and reading carries on from the next line.
 *
 * csv-parse numbers lines too (`info.lines`), but at the end of a record and counting a CRLF inside a quoted
 * field as two, so lines are counted here from the byte offset csv-parse reports after each record (`bytes`).
 * Its `skip_records_with_error` is not used: after text following a closing quote it stays inside the quoted
 * field, so every later record would be lost in a second "quote not closed" error; and it does not say where a
 * skipped record ends. Instead parsing stops at a malformed record and starts again on the next line (one
 * parse per malformed record, each over the text after the previous one: linear in the file's size).
 */
export function parseCsv(text: string): { records: CsvRecord[]; errors: RowError[] } {
  const records: CsvRecord[] = []
  const errors: RowError[] = []
  // The byte-order mark is dropped here rather than by csv-parse's `bom` option, so that byte offsets count
  // from the first line's first character.
  const buf = Buffer.from(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, 'utf8')
  let from = 0 // byte offset this pass starts at: 0, or the start of a line after a malformed record
  let line = 1 // the line `from` is on
  while (from < buf.length) {
    const chunk = buf.subarray(from)
    let at = 0 // offset in chunk after the last record read, and its line
    let atLine = line
    try {
      parse(chunk, {
        ...OPTIONS,
        on_record: (fields: string[], info) => {
          const start = skipLineEnds(chunk, at)
          const startLine = atLine + lineEnds(chunk, at, start)
          atLine = startLine + lineEnds(chunk, start, info.bytes)
          at = info.bytes
          if (!(fields.length === 1 && fields[0]!.trim() === '')) records.push({ line: startLine, fields })
          return null // collected here, not in the array parse() returns
        },
      })
      break
    } catch (err) {
      if (!(err instanceof CsvError)) throw err
      // The malformed record starts after the last record read and the blank lines after it.
      const start = skipLineEnds(chunk, at)
      const startLine = atLine + lineEnds(chunk, at, start)
      errors.push({ row: startLine, message: PROBLEMS[err.code] ?? err.message })
      // Carry on from the line after the one the record starts on. Right for a record on one line (almost
      // all); the rest of a longer one may be reported again as records of its own.
      const next = nextLine(chunk, start)
      from += next
      line = startLine + 1
      if (err.code === 'CSV_QUOTE_NOT_CLOSED') break // the quote ran to the end of the text: nothing is left
    }
  }
  return { records, errors }
}

/** Line ends in buf[from, to): CRLF, LF or a lone CR, each one line. */
function lineEnds(buf: Uint8Array, from: number, to: number): number {
  let n = 0
  for (let i = from; i < to; i++) {
    const c = buf[i]
    if (c === LF || (c === CR && buf[i + 1] !== LF)) n++
  }
  return n
}

/** The offset of the first byte at or after `i` that is not a line end: where a record after blank lines starts. */
function skipLineEnds(buf: Uint8Array, i: number): number {
  while (i < buf.length && (buf[i] === CR || buf[i] === LF)) i++
  return i
}

/** The offset of the start of the line after the one `i` is on (the end of the text if it is the last). */
function nextLine(buf: Uint8Array, i: number): number {
  while (i < buf.length && buf[i] !== CR && buf[i] !== LF) i++
  if (buf[i] === CR) i++
  if (buf[i] === LF) i++
  return i
}

export interface TableSpec {
  required: readonly string[]
  optional: readonly string[]
}

export interface TableRow {
  line: number
  /** Trimmed values by column name, every column of the spec present; absent optional columns read as ''. */
  cells: Record<string, string>
  get(column: string): string
}

/**
 * Parses a CSV with a header naming its columns, in any order. A header with a missing required column, an
 * unknown column (often a misspelt optional one, whose values would otherwise be lost silently) or a repeated
 * one rejects the whole file: no row can be trusted to mean what its author intended.
 */
export function readTable(text: string, spec: TableSpec): { rows: TableRow[]; errors: RowError[] } {
  const { records, errors } = parseCsv(text)
  const [header, ...body] = records
  const columns = [...spec.required, ...spec.optional]
  if (!header || header.line !== 1) {
    return { rows: [], errors: [{ row: 1, message: `the first line must be a header: ${columns.join(',')}` }, ...errors] }
  }
  const names = header.fields.map((f) => f.trim())
  const headerErrors: RowError[] = []
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) headerErrors.push({ row: 1, field: name, message: `column '${name}' appears more than once` })
    else if (!columns.includes(name)) {
      const hint = closest(name, columns.filter((c) => !names.includes(c)))
      headerErrors.push({ row: 1, field: name, message: `unknown column '${name}'; expected ${columns.join(', ')}${hint ? ` (did you mean '${hint}'?)` : ''}` })
    }
  })
  for (const name of spec.required) {
    if (!names.includes(name)) headerErrors.push({ row: 1, field: name, message: `missing required column '${name}'` })
  }
  if (headerErrors.length) return { rows: [], errors: [...headerErrors, ...errors] }

  const index = columns.map((c) => [c, names.indexOf(c)] as const)
  const rows: TableRow[] = []
  for (const record of body) {
    if (record.fields.length !== names.length) {
      errors.push({ row: record.line, message: `expected ${names.length} fields as in the header, found ${record.fields.length}` })
      continue
    }
    const cells: Record<string, string> = {}
    for (const [column, at] of index) cells[column] = at < 0 ? '' : record.fields[at]!.trim()
    rows.push({ line: record.line, cells, get: (column) => cells[column] ?? '' })
  }
  errors.sort((a, b) => a.row - b.row)
  return { rows, errors }
}

/** Quotes a field only when it must be: separators, quotes, line breaks or surrounding spaces. */
export function formatCsvField(value: string | number | null): string {
  const s = value === null ? '' : String(value)
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

/**
 * One header line and one line per row, LF line ends and a final newline (what git and editors prefer).
 * Hand-written rather than csv-stringify: two lines, and the committed demo files depend on its exact bytes.
 */
export function formatCsv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return [header, ...rows].map((r) => r.map(formatCsvField).join(',')).join('\n') + '\n'
}
