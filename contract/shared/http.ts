// REST shapes and request parsing for /api, shared by every domain's routes. Queries are zod schemas read
// through check() (shared/schema.ts); a parser returns the parsed query or an ApiErrorBody naming the
// parameter, which the server turns into a 400.

import { BUCKETS, BUCKET_MS, DAY_MS, MAX_TIME_MS, isCalendarDate, readIsoInstant, type Bucket } from './clock.ts'
import type { ApiErrorBody } from './errors.ts'
import { check, sentence, z, type Issue } from './schema.ts'

/** A chart never needs more points than a 4K wall has pixels across. */
export const MAX_SERIES_POINTS = 4000
/** Raw readings are for short windows (checking a sensor), not for charts over months. */
export const MAX_RAW_RANGE_MS = 2 * 86_400_000
export const DEFAULT_SERIES_RANGE_MS = 86_400_000

export interface SeriesPoint {
  /** Start of the bucket (or the reading's time for raw). */
  t: string
  /** Mean for station metrics and occupancy; total counted in the bucket for camera classes and vehicles. */
  value: number
  /** Lowest and highest reading in the bucket (null for counted classes, whose periods are summed). */
  min: number | null
  max: number | null
  /** Readings (or camera periods) in the bucket. */
  count: number
}

export interface SeriesResponse {
  id: string
  metric: string
  unit: string
  bucket: Bucket
  from: string
  to: string
  points: SeriesPoint[]
}

export interface SeriesQuery<M extends string> {
  metric: M
  from: number
  to: number
  bucket: Bucket
}

export function bad(field: string, message: string): ApiErrorBody {
  return { code: 'bad_request', field, message: `${field}: ${message}` }
}

/** The first issue of a query as the 400 body: the parameter at fault in `field`, the sentence in `message`. */
export function badQuery(issues: readonly Issue[]): ApiErrorBody {
  const first = issues[0]!
  const field = first.path.split(/[.[]/)[0]!
  return { code: 'bad_request', field, message: first.message }
}

/** Checks a query against its schema: the parsed query, or the 400 body naming the first parameter at fault. */
export function parseQuery<S extends z.ZodType>(schema: S, q: unknown): z.output<S> | ApiErrorBody {
  const r = check(schema, q)
  return r.ok ? r.value : badQuery(r.issues)
}

const INSTANT_EXPECTED = 'an ISO-8601 time with a zone (2026-11-21T08:00:00+07:00) or epoch milliseconds'

/**
 * A query-string instant: ISO-8601 with a zone, or epoch milliseconds, read by the same reader ingest uses
 * (a time without a zone would be read in the server's zone, which the caller cannot know; the date must exist).
 */
export const instantParam = z.string({ error: sentence(`expected ${INSTANT_EXPECTED}`) }).transform((raw, ctx) => {
  const fail = (message: string) => {
    ctx.addIssue({ code: 'custom', message: sentence(message), input: raw })
    return z.NEVER
  }
  if (raw === '') return fail(`expected ${INSTANT_EXPECTED}`)
  if (/^\d{1,16}$/.test(raw)) {
    const n = Number(raw)
    return n <= MAX_TIME_MS ? n : fail(`${raw} is beyond the last representable time`)
  }
  const read = readIsoInstant(raw)
  if ('ms' in read) return read.ms
  return fail(read.problem === 'calendar' ? `'${raw.slice(0, 40)}' is not a real date` : `'${raw.slice(0, 40)}' is not ${INSTANT_EXPECTED}`)
})

/** A query-string instant: ISO-8601 or epoch milliseconds. */
export function parseInstant(raw: unknown, field: string): number | ApiErrorBody {
  const r = parseQuery(z.object({ [field]: instantParam }), { [field]: raw })
  return isApiError(r) ? r : r[field]!
}

export function isApiError(v: unknown): v is ApiErrorBody {
  return typeof v === 'object' && v !== null && 'code' in v && 'message' in v && typeof (v as ApiErrorBody).code === 'string'
}

function autoBucket(rangeMs: number): Bucket {
  if (rangeMs <= 2 * DAY_MS) return '5m'
  if (rangeMs <= 90 * DAY_MS) return '1h'
  return '1d'
}

/**
 * A series query: a metric (checked by the domain's predicate, `hint` says what is allowed), a range that
 * defaults to the last day before `now`, and a bucket chosen from the range unless given; a range or bucket
 * that would give more points than any chart draws is refused.
 */
export function seriesQuerySchema<M extends string>(now: number, isAllowedMetric: (m: string) => m is M, hint: string) {
  return z
    .object({
      metric: z
        .string({ error: sentence(`required; one of ${hint}`) })
        .refine((m) => m !== '', { error: sentence(`required; one of ${hint}`) })
        .refine(isAllowedMetric, { error: (iss) => sentence(`'${String(iss.input).slice(0, 40)}' is not one of ${hint}`) }),
      from: instantParam.optional(),
      to: instantParam.optional(),
      bucket: z
        .union([z.literal(''), z.literal('auto'), z.enum(BUCKETS as unknown as [Bucket, ...Bucket[]])], { error: sentence(`expected one of ${BUCKETS.join(', ')} or auto`) })
        .optional(),
    })
    .transform((q, ctx) => {
      const to = q.to ?? now
      const from = q.from ?? to - DEFAULT_SERIES_RANGE_MS
      const fail = (path: string, message: string) => {
        ctx.addIssue({ code: 'custom', path: [path], message: sentence(message), input: q })
        return z.NEVER
      }
      if (from >= to) return fail('from', 'must be earlier than to')
      const bucket: Bucket = q.bucket === undefined || q.bucket === '' || q.bucket === 'auto' ? autoBucket(to - from) : q.bucket
      if (bucket === 'raw') {
        if (to - from > MAX_RAW_RANGE_MS) return fail('bucket', `raw readings cover at most ${MAX_RAW_RANGE_MS / DAY_MS} days; use 5m, 1h or 1d`)
      } else {
        const points = Math.ceil((to - from) / BUCKET_MS[bucket])
        if (points > MAX_SERIES_POINTS) return fail('bucket', `${bucket} over this range gives ${points} points (max ${MAX_SERIES_POINTS}); use a coarser bucket or a shorter range`)
      }
      return { metric: q.metric as M, from, to, bucket } satisfies SeriesQuery<M>
    })
}

export function parseSeriesQuery<M extends string>(
  q: Record<string, unknown>,
  now: number,
  isAllowedMetric: (m: string) => m is M,
  allowedHint: string,
): SeriesQuery<M> | ApiErrorBody {
  return parseQuery(seriesQuerySchema(now, isAllowedMetric, allowedHint), q)
}

/** An optional query parameter that must be one of `values` when given. */
export function optionalOneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: sentence(`expected one of ${values.join(', ')}`) }).optional()
}

/** What a series query takes in the URL. */
export interface SeriesQueryInput {
  metric: string
  from?: string | number
  to?: string | number
  bucket?: Bucket | 'auto'
}

/** A Vietnam calendar day in a query, YYYY-MM-DD, refused when it does not exist (2026-02-30). */
export const CALENDAR_DATE = z
  .string({ error: 'a date YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'a date YYYY-MM-DD' })
  .refine(isCalendarDate, { error: (iss) => sentence(`'${String(iss.input)}' is not a real date`) })
