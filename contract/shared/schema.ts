// The one way the IOC validates input: zod schemas, read through check(), which turns zod's issues into
// problems that name the path, say what was expected there and show what was found, with a "did you mean"
// for a misspelt key or option. Payloads, REST queries, configuration, dashboard files, CSV rows and live
// frames all go through here.
//
// The convention: a schema's error message is the *expected* phrase ('an integer 1–48', 'one of …'), and
// check() builds the sentence around it: `<path>: expected <expected>, got <value>`. Where a message is not
// of that shape (a reading outside its physical range), the schema's message starts with '!' and is used as
// it stands after the path.
import * as z from 'zod'

export { z }

/** One thing wrong with an input. */
export interface Issue {
  /** Where: `screens[1].widgets[0].at.w`, `values.pm25`, `PORT`; '' for the input as a whole. */
  path: string
  /** What was expected there (empty when the message is a sentence of its own). */
  expected: string
  /** The value found there. */
  got: unknown
  /** The sentence for people: `<path>: expected <expected>, got <value>`. */
  message: string
  /** A code the schema attached (payloads attach their dead-letter code), when it did. */
  code?: string
}

export type Checked<T> = { ok: true; value: T } | { ok: false; issues: Issue[] }

export interface CheckOptions {
  /** How a found value is written in a message (default: short JSON, `nothing` for a missing key). */
  show?: (value: unknown) => string
  /** A path prefix for every issue (`values` for the metrics of a reading). */
  at?: string
}

/** Validates `value` against `schema`: the parsed value (defaults applied), or every issue found. */
export function check<S extends z.ZodType>(schema: S, value: unknown, o: CheckOptions = {}): Checked<z.output<S>> {
  const r = schema.safeParse(value, { reportInput: true })
  if (r.success) return { ok: true, value: r.data }
  return { ok: false, issues: unknownKeysFirst(r.error.issues).flatMap((i) => toIssues(i, o, [])) }
}

/**
 * zod reports an object's unknown keys after its fields; people read a misspelt key first (`gird`, then the
 * `grid` it left missing), so each unknown-keys issue moves before the first issue inside the same object.
 */
function unknownKeysFirst(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const out: z.core.$ZodIssue[] = []
  for (const i of issues) {
    if (i.code !== 'unrecognized_keys') {
      out.push(i)
      continue
    }
    const inside = out.findIndex((o) => o.path.length >= i.path.length && i.path.every((k, n) => o.path[n] === k))
    out.splice(inside < 0 ? out.length : inside, 0, i)
  }
  return out
}

/** A value as messages show it: short JSON, `nothing` for a missing key. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing'
  let json: string
  try {
    json = JSON.stringify(value) ?? String(value)
  } catch {
    json = String(value)
  }
  return json.length > 60 ? `${json.slice(0, 59)}…` : json
}

/** A value's kind as payload messages name it: `a string ('high')`, `an array`, `null`. */
export function typeName(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'string') return `a string ('${clip(v, 20)}')`
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`
}

export function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

/** `screens[1].widgets[0].at.w` from zod's path. */
export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else if (typeof key === 'string' && IDENTIFIER.test(key)) out += out ? `.${key}` : key
    else out += `[${JSON.stringify(String(key))}]`
  }
  return out
}

const KEYS_MARKER = '\u0000keys:'
const SENTENCE = '!'
const CODE_SEPARATOR = '\u0000code:'

/** An expected phrase carrying a dead-letter code, for payload schemas: `withCode('out_of_range', '…')`. */
export function withCode(code: string, message: string): string {
  return `${message}${CODE_SEPARATOR}${code}`
}

/** A message that is a sentence of its own, not an expected phrase: `sentence('140 is outside …')`. */
export function sentence(message: string): string {
  return `${SENTENCE}${message}`
}

/**
 * An object whose keys are all known: an unknown key (usually a typo of a known one) is an issue of its own,
 * at its own path, with the keys allowed and a "did you mean" when one is close. `expected` says what the
 * object is when it is not an object at all.
 */
export function strictObject<Shape extends z.core.$ZodLooseShape>(shape: Shape, expected: string) {
  const known = Object.keys(shape)
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `${KEYS_MARKER}${JSON.stringify(known)}` : expected),
  })
}

function toIssues(i: z.core.$ZodIssue, o: CheckOptions, base: readonly PropertyKey[]): Issue[] {
  const show = o.show ?? shown
  const input = (i as { input?: unknown }).input
  // a union (text or {vi, en}): when the value has the type of exactly one option, what is wrong inside that
  // option says more than "expected one of them"
  if (i.code === 'invalid_union' && i.errors.length) {
    const typed = i.errors.filter((branch) => !branch.some((b) => b.code === 'invalid_type' && b.path.length === 0))
    if (typed.length === 1) return unknownKeysFirst(typed[0]!).flatMap((b) => toIssues(b, o, [...base, ...i.path]))
  }
  i = base.length ? { ...i, path: [...base, ...i.path] } : i
  if (i.code === 'unrecognized_keys' && i.message.startsWith(KEYS_MARKER)) {
    const known = JSON.parse(i.message.slice(KEYS_MARKER.length)) as string[]
    return i.keys.map((key) => {
      const hint = closest(key, known)
      const expected = `one of the keys ${known.join(', ')}${hint ? ` (did you mean '${hint}'?)` : ''}`
      const got = (input as Record<string, unknown> | undefined)?.[key]
      return issue([...i.path, key], expected, got, o, show)
    })
  }
  // a discriminated union without a matching discriminator: zod points at the discriminator, with the object as input
  let got = input
  if (i.code === 'invalid_union' && 'discriminator' in i && typeof i.discriminator === 'string' && input && typeof input === 'object') {
    got = (input as Record<string, unknown>)[i.discriminator]
  }
  return [issue(i.path, i.message, got, o, show)]
}

function issue(path: readonly PropertyKey[], message: string, got: unknown, o: CheckOptions, show: (v: unknown) => string): Issue {
  const where = formatPath(path, o.at)
  let code: string | undefined
  const at = message.indexOf(CODE_SEPARATOR)
  if (at >= 0) {
    code = message.slice(at + CODE_SEPARATOR.length)
    message = message.slice(0, at)
  }
  const prefix = where ? `${where}: ` : ''
  if (message.startsWith(SENTENCE)) return { path: where, expected: '', got, message: `${prefix}${message.slice(1)}`, ...(code ? { code } : {}) }
  return { path: where, expected: message, got, message: `${prefix}expected ${message}, got ${show(got)}`, ...(code ? { code } : {}) }
}

/**
 * The known word a misspelt one was probably meant to be, for "did you mean" hints: an abbreviation (cols for
 * columns), or at most 2 edits and fewer than half its letters (titel, gird; not fr for vi).
 */
export function closest(word: string, known: readonly string[]): string | undefined {
  const abbreviated = word.length >= 3 ? known.find((k) => k.toLowerCase().startsWith(word.toLowerCase().replace(/s$/, ''))) : undefined
  if (abbreviated) return abbreviated
  let best: string | undefined
  let bestDistance = Math.min(3, Math.ceil(word.length / 2))
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase())
    if (d < bestDistance) [best, bestDistance] = [k, d]
  }
  return best
}

/** Edits (insert, delete, replace, swap two neighbours) between two words: optimal string alignment distance. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1)
      d[i]![j] = v
    }
  }
  return d[a.length]![b.length]!
}

// --- schema builders that say what they expect ------------------------------------------------------------

/** An integer in [min, max]. */
export function intIn(min: number, max: number, expected = `an integer ${min}–${max}`) {
  return z.number({ error: expected }).int({ error: expected }).min(min, { error: expected }).max(max, { error: expected })
}

/** One of `values`, quoted in the message. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, expected = `one of ${values.map((v) => `'${v}'`).join(', ')}`) {
  return z.enum(values, { error: expected })
}

/**
 * Validates one part of a value inside a refinement or transform, for a rule that depends on another field
 * (a widget's width on its column): the part's issues join the outer ones at `path`. The parsed part, or
 * undefined when it failed.
 */
export function nested<S extends z.ZodType>(ctx: z.core.$RefinementCtx, path: PropertyKey[], value: unknown, schema: S): z.output<S> | undefined {
  const r = schema.safeParse(value, { reportInput: true })
  if (r.success) return r.data
  for (const i of r.error.issues) ctx.addIssue({ ...i, path: [...path, ...i.path] } as unknown as z.core.$ZodRawIssue)
  return undefined
}

/** A number in [min, max] (finite: zod refuses NaN and ±Infinity). */
export function numberIn(min: number, max: number, expected = `a number ${min}–${max}`) {
  return z.number({ error: expected }).min(min, { error: expected }).max(max, { error: expected })
}

/**
 * A value written as text (an environment variable, a query parameter, a CSV cell), checked by `schema`:
 * `read` turns the text into the value it stands for, or returns it unchanged when it stands for none, so
 * `schema` refuses it with its own expected phrase. Issues show the text as written ('007', '1e9'), not what
 * it was read as; input that is not text at all is checked as it is.
 */
export function fromText<S extends z.ZodType>(read: (text: string) => unknown, schema: S) {
  return z.unknown().transform((input, ctx): z.output<S> => {
    const r = schema.safeParse(typeof input === 'string' ? read(input) : input)
    if (r.success) return r.data
    // one issue per place: '1e23' is both too big and not a safe integer for intIn, but one text is wrong once
    const seen = new Set<string>()
    for (const i of r.error.issues) {
      const at = formatPath(i.path)
      if (seen.has(at)) continue
      seen.add(at)
      ctx.addIssue({ ...i, input } as z.core.$ZodSuperRefineIssue)
    }
    return z.NEVER
  })
}
