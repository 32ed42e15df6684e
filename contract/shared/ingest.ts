// What every feed's payload parsing shares: the problems it reports (a dead-letter code and a message naming
// the field), the limits ingest applies, JSON decoding with a size limit, and timestamps. Parsing is pure
// (clock and limits are parameters) and never throws: every problem comes back as a value, so ingest can
// store what is good and dead-letter the rest. Each domain's payload.ts builds on it.
//
// Every rule is a zod schema, and every problem comes from check() (shared/schema.ts), its message carrying
// the dead-letter code (withCode). This is the hot path (thousands of messages a second), so a message is
// first read whole by one schema composed of the per-field and per-value ones, with a plain safeParse: nearly
// every message is good, and that is all it costs. Only a message with something wrong is then read field by
// field and value by value with those same schemas, so each bad value is dead-lettered with its own code and
// the good ones are still stored; only what is bad goes through check(), for its message.

import { MAX_TIME_MS, readIsoInstant } from './clock.ts'
import { check, clip, sentence, typeName, withCode, z } from './schema.ts'

/** Dead-letter reasons every feed shares; each domain adds its own (contract/domains.ts gathers them). */
export const SHARED_DEAD_LETTER_CODES = [
  'payload_too_large',
  'invalid_json',
  'invalid_shape',
  'invalid_timestamp',
  'timestamp_too_old',
  'timestamp_in_future',
  'wrong_type',
  'non_finite',
  'out_of_range',
  'unknown_metric',
  'unknown_topic',
  'db_rejected',
  'internal_error',
] as const

export interface Problem {
  /** A dead-letter code: one of SHARED_DEAD_LETTER_CODES or a domain's own. */
  code: string
  message: string
}

export interface IngestLimits {
  maxPayloadBytes: number
  /** Oldest accepted observation, as an age relative to the receive time. */
  maxAgeMs: number
  /** How far ahead of the receive time a device clock may run. */
  maxFutureMs: number
}

export interface Parsed<T> {
  /** The usable part of the message, or null when nothing in it could be stored. */
  value: T | null
  problems: Problem[]
}

/** A value as payload messages show it: a number as written, `nothing` for a missing field, else its kind. */
export function describe(v: unknown): string {
  return typeof v === 'number' ? String(v) : v === undefined ? 'nothing' : typeName(v)
}

/**
 * The first problem check() finds in `value` at `at` (`values.pm25`), with the code its schema attached.
 * `show` writes the value found: describe by default, typeName where an object was expected.
 */
export function problemOf(schema: z.ZodType, value: unknown, at: string, show: (v: unknown) => string = describe): Problem {
  const r = check(schema, value, { at, show })
  const issue = r.ok ? undefined : r.issues[0]
  return { code: issue?.code ?? 'invalid_shape', message: issue?.message ?? `${at}: not valid` }
}

/**
 * Reads `value` with `schema`: what the schema makes of it, or the first problem, at `at`. A valid value costs
 * one plain safeParse; only an invalid one is read again through check() for its problem. (check() asks zod
 * to report inputs, and zod copies that option into its parse context with `{ ...params, async: false }`,
 * which V8 in Node 20 runs 0.5–0.8 µs slower than no option at all: too much for every value of thousands of
 * messages a second.)
 */
export function readValue<T>(schema: z.ZodType<T>, value: unknown, at: string, show?: (v: unknown) => string): Read<T> {
  const r = schema.safeParse(value)
  return r.success ? { ok: true, value: r.data } : { ok: false, problem: problemOf(schema, value, at, show) }
}

export type Read<T> = { ok: true; value: T } | { ok: false; problem: Problem }

// --- schemas every payload shares ---------------------------------------------------------------------------

const NON_FINITE = withCode('non_finite', sentence('not a finite number'))

/** The zod error of a number schema: a number it refuses is infinite (JSON reads 1e400 as Infinity); anything else is the wrong type. */
export function numberError(expected: string) {
  const wrongType = withCode('wrong_type', expected)
  return (iss: { input?: unknown }) => (typeof iss.input === 'number' ? NON_FINITE : wrongType)
}

/** Any JSON object (not an array, not null): what a payload, or a map of values in it, must be. */
export function jsonObject(expected: string) {
  return z.object({}, { error: withCode('invalid_shape', expected) })
}

/** A payload as a whole. */
const PAYLOAD_OBJECT = jsonObject('a JSON object')

const notATime = (iss: { input?: unknown }) => withCode('invalid_timestamp', sentence(`${String(iss.input)} is not a time (epoch milliseconds within ±${MAX_TIME_MS})`))
const EPOCH_INPUT = z
  .number({ error: (iss) => (typeof iss.input === 'number' ? NON_FINITE : undefined) })
  .min(-MAX_TIME_MS, { error: notATime, abort: true })
  .max(MAX_TIME_MS, { error: notATime, abort: true })

const ISO_INPUT = z.string().transform((raw, ctx) => {
  const read = readIsoInstant(raw)
  if ('ms' in read) return read.ms
  const message =
    read.problem === 'format'
      ? `'${clip(raw, 40)}' is not ISO-8601 with a zone (e.g. 2026-11-21T08:00:00+07:00) or epoch milliseconds`
      : `'${clip(raw, 40)}' is not a real date`
  ctx.addIssue({ code: 'custom', input: raw, message: withCode('invalid_timestamp', sentence(message)) })
  return z.NEVER
})

/**
 * An observation time as devices send it: ISO-8601 with a zone, or epoch milliseconds; read as epoch
 * milliseconds. The problem is the one of the form the value has (a number, a text), else a missing or
 * wrong-typed time.
 */
export const TIMESTAMP = z.union([EPOCH_INPUT, ISO_INPUT], {
  error: (iss) => {
    if (iss.code !== 'invalid_union') return undefined
    if (typeof iss.input === 'number') return iss.errors[0]?.[0]?.message
    if (typeof iss.input === 'string') return iss.errors[1]?.[0]?.message
    return iss.input === undefined
      ? withCode('invalid_shape', sentence('missing (ISO-8601 string or epoch milliseconds)'))
      : withCode('wrong_type', 'an ISO-8601 string or epoch milliseconds')
  },
})

/** A decoded observation time against the receive time, and the value it was decoded from. */
interface TimeAtReceipt {
  ts: number
  now: number
  raw: unknown
}

const windows = new WeakMap<IngestLimits, z.ZodType<TimeAtReceipt>>()

/** The window of observation times ingest accepts around the receive time; one schema per limits serves every message. */
function acceptedWindow(limits: IngestLimits): z.ZodType<TimeAtReceipt> {
  let schema = windows.get(limits)
  if (!schema) {
    schema = z
      .object({ ts: z.number(), now: z.number(), raw: z.unknown() })
      .refine((t) => t.ts >= t.now - limits.maxAgeMs, {
        abort: true,
        error: (iss) => {
          const t = iss.input as TimeAtReceipt
          const hint = typeof t.raw === 'number' && t.raw < 1e11 ? ' (looks like epoch seconds; send milliseconds)' : ''
          return withCode('timestamp_too_old', sentence(`${new Date(t.ts).toISOString()} is older than the accepted ${formatDuration(limits.maxAgeMs)}${hint}`))
        },
      })
      .refine((t) => t.ts <= t.now + limits.maxFutureMs, {
        error: (iss) => {
          const t = iss.input as TimeAtReceipt
          return withCode('timestamp_in_future', sentence(`${new Date(t.ts).toISOString()} is more than ${formatDuration(limits.maxFutureMs)} ahead of the receive time`))
        },
      })
    windows.set(limits, schema)
  }
  return schema
}

/** Decodes `ts` (ISO-8601 with a zone, or epoch milliseconds) and checks it against the accepted window. */
export function parseTimestamp(raw: unknown, field: string, now: number, limits: IngestLimits): number | Problem {
  const decoded = readValue(TIMESTAMP, raw, field)
  return decoded.ok ? inAcceptedWindow(decoded.value, raw, field, now, limits) : decoded.problem
}

/** A time TIMESTAMP decoded from `raw`, checked against the window accepted around the receive time `now`. */
export function inAcceptedWindow(ts: number, raw: unknown, field: string, now: number, limits: IngestLimits): number | Problem {
  const inWindow = readValue(acceptedWindow(limits), { ts, now, raw }, field)
  return inWindow.ok ? Math.round(ts) : inWindow.problem
}

const utf8 = new TextDecoder()

/** Size and JSON checks shared by every payload kind. */
export function decodeJson(payload: Uint8Array, limits: IngestLimits): { json: unknown } | Problem {
  if (payload.byteLength > limits.maxPayloadBytes) {
    return {
      code: 'payload_too_large',
      message: `payload is ${payload.byteLength} bytes; the limit is ${limits.maxPayloadBytes}`,
    }
  }
  try {
    return { json: JSON.parse(utf8.decode(payload)) }
  } catch (err) {
    return { code: 'invalid_json', message: `payload is not JSON: ${(err as Error).message}` }
  }
}

/** A payload decoded and checked to be a JSON object, or the problem (too large, not JSON, not an object). */
export function decodeObject(payload: Uint8Array, limits: IngestLimits): Read<Record<string, unknown>> {
  const decoded = decodeJson(payload, limits)
  if (!('json' in decoded)) return { ok: false, problem: decoded }
  // the schema only says it is an object; its fields are read from the JSON itself, each by its own schema
  return readObject(PAYLOAD_OBJECT, decoded.json, 'payload')
}

/** Reads a JSON object with a jsonObject() schema: the object itself (its fields are then read one by one), or the problem. */
export function readObject(schema: z.ZodType, value: unknown, at: string): Read<Record<string, unknown>> {
  const r = readValue(schema, value, at, typeName)
  return r.ok ? { ok: true, value: value as Record<string, unknown> } : r
}

export function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} d`
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`
  if (ms % 60_000 === 0) return `${ms / 60_000} min`
  return `${ms / 1000} s`
}
