// RFC 4180 CSV for the reference loaders: quoted fields with "" escapes, commas and line breaks inside
// quotes, CRLF or LF line ends, a UTF-8 byte-order mark (Excel writes one) ignored. Also the header check
// every loader shares, and the writer the demo files are produced with, so both directions agree.

import type { RowError } from './row-error.ts'

export interface CsvRecord {
  /** 1-based line on which the record starts (the header is line 1). */
  line: number
  fields: string[]
}

/** Splits text into records. Blank lines are skipped; a malformed record becomes an error, not a record. */
export function parseCsv(text: string): { records: CsvRecord[]; errors: RowError[] } {
  const records: CsvRecord[] = []
  const errors: RowError[] = []
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  let i = 0
  let line = 1
  while (i < s.length) {
    const start = line
    const fields: string[] = []
    let problem: string | null = null
    for (;;) {
      let field = ''
      if (s[i] === '"') {
        i++
        for (;;) {
          if (i >= s.length) {
            problem ??= 'a quoted field is not closed (missing ")'
            break
          }
          const c = s[i]!
          if (c === '"') {
            if (s[i + 1] === '"') {
              field += '"'
              i += 2
              continue
            }
            i++
            break
          }
          if (c === '\n') line++
          field += c
          i++
        }
        // After a closing quote only a separator or the end of the record may follow.
        if (i < s.length && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') {
          problem ??= 'unexpected text after a closing quote (quotes inside a field are written "")'
          while (i < s.length && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') field += s[i++]
        }
      } else {
        while (i < s.length && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') field += s[i++]
      }
      fields.push(field)
      if (s[i] === ',') {
        i++
        continue
      }
      break
    }
    // end of record: CRLF, LF, a lone CR, or the end of the text
    if (s[i] === '\r') i++
    if (s[i] === '\n') i++
    line++
    if (problem) errors.push({ row: start, message: problem })
    else if (!(fields.length === 1 && fields[0]!.trim() === '')) records.push({ line: start, fields })
  }
  return { records, errors }
}

export interface TableSpec {
  required: readonly string[]
  optional: readonly string[]
}

export interface TableRow {
  line: number
  /** Trimmed values by column name; absent optional columns read as ''. */
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
  if (!header || header.line !== 1) {
    return { rows: [], errors: [{ row: 1, message: `the first line must be a header: ${[...spec.required, ...spec.optional].join(',')}` }, ...errors] }
  }
  const names = header.fields.map((f) => f.trim())
  const known = new Set([...spec.required, ...spec.optional])
  const headerErrors: RowError[] = []
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) headerErrors.push({ row: 1, field: name, message: `column '${name}' appears more than once` })
    else if (!known.has(name)) headerErrors.push({ row: 1, field: name, message: `unknown column '${name}'; expected ${[...known].join(', ')}` })
  })
  for (const name of spec.required) {
    if (!names.includes(name)) headerErrors.push({ row: 1, field: name, message: `missing required column '${name}'` })
  }
  if (headerErrors.length) return { rows: [], errors: [...headerErrors, ...errors] }

  const index = new Map(names.map((n, i) => [n, i]))
  const rows: TableRow[] = []
  for (const record of body) {
    if (record.fields.length !== names.length) {
      errors.push({ row: record.line, message: `expected ${names.length} fields as in the header, found ${record.fields.length}` })
      continue
    }
    rows.push({
      line: record.line,
      get: (column) => {
        const at = index.get(column)
        return at === undefined ? '' : record.fields[at]!.trim()
      },
    })
  }
  errors.sort((a, b) => a.row - b.row)
  return { rows, errors }
}

/** Quotes a field only when it must be: separators, quotes, line breaks or surrounding spaces. */
export function formatCsvField(value: string | number | null): string {
  const s = value === null ? '' : String(value)
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

/** One header line and one line per row, LF line ends and a final newline (what git and editors prefer). */
export function formatCsv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return [header, ...rows].map((r) => r.map(formatCsvField).join(',')).join('\n') + '\n'
}
