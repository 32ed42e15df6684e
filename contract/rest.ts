// REST shapes and request parsing for /api. Parsers are pure and return either the parsed request or an
// ApiErrorBody naming the parameter, which the server turns into a 400.

import type { ApiErrorBody } from './events.ts'
import { CAMERA_CLASSES, METRICS, isMetric, type CameraClass, type Metric } from './metrics.ts'
import { DEAD_LETTER_CODES, type DeadLetterCode } from './payloads.ts'
import { MAX_TIME_MS, readIsoInstant } from './time.ts'

export type Bucket = 'raw' | '5m' | '1h' | '1d'
export const BUCKETS: readonly Bucket[] = ['raw', '5m', '1h', '1d']
export const BUCKET_MS: Record<Exclude<Bucket, 'raw'>, number> = { '5m': 300_000, '1h': 3_600_000, '1d': 86_400_000 }
/** Daily buckets start at midnight in Vietnam (UTC+7, no DST), as the aggregates compute them. */
export const DAY_ORIGIN_MS = Date.parse('2000-01-03T00:00:00+07:00')

/** Start of the bucket containing `ts`, exactly as the database's aggregates bucket it. */
export function bucketStart(ts: number, bucket: Exclude<Bucket, 'raw'>): number {
  const width = BUCKET_MS[bucket]
  const origin = bucket === '1d' ? DAY_ORIGIN_MS : 0
  return Math.floor((ts - origin) / width) * width + origin
}

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

/** Camera series: one counted class, all vehicles together, or the occupancy. */
export type CameraSeriesMetric = CameraClass | 'vehicles' | 'inside'
export const CAMERA_SERIES_METRICS: readonly CameraSeriesMetric[] = [...CAMERA_CLASSES, 'vehicles', 'inside']

function bad(field: string, message: string): ApiErrorBody {
  return { code: 'bad_request', field, message: `${field}: ${message}` }
}

/** A query-string instant: ISO-8601 or epoch milliseconds. */
export function parseInstant(raw: unknown, field: string): number | ApiErrorBody {
  const expected = 'an ISO-8601 time with a zone (2026-11-21T08:00:00+07:00) or epoch milliseconds'
  if (typeof raw !== 'string' || raw === '') return bad(field, `expected ${expected}`)
  if (/^\d{1,16}$/.test(raw)) {
    const n = Number(raw)
    return n <= MAX_TIME_MS ? n : bad(field, `${raw} is beyond the last representable time`)
  }
  // the same reader ingest uses: a zone is required (a time without one would be read in the server's
  // zone, which the caller cannot know) and the date must exist
  const read = readIsoInstant(raw)
  if ('ms' in read) return read.ms
  return bad(field, read.problem === 'calendar' ? `'${raw.slice(0, 40)}' is not a real date` : `'${raw.slice(0, 40)}' is not ${expected}`)
}

function autoBucket(rangeMs: number): Bucket {
  if (rangeMs <= 2 * 86_400_000) return '5m'
  if (rangeMs <= 90 * 86_400_000) return '1h'
  return '1d'
}

export function parseSeriesQuery<M extends string>(
  q: Record<string, unknown>,
  now: number,
  isAllowedMetric: (m: string) => m is M,
  allowedHint: string,
): SeriesQuery<M> | ApiErrorBody {
  const metric = q.metric
  if (typeof metric !== 'string' || metric === '') return bad('metric', `required; one of ${allowedHint}`)
  if (!isAllowedMetric(metric)) return bad('metric', `'${metric.slice(0, 40)}' is not one of ${allowedHint}`)
  const to = q.to === undefined ? now : parseInstant(q.to, 'to')
  if (typeof to !== 'number') return to
  const from = q.from === undefined ? to - DEFAULT_SERIES_RANGE_MS : parseInstant(q.from, 'from')
  if (typeof from !== 'number') return from
  if (from >= to) return bad('from', 'must be earlier than to')
  let bucket: Bucket
  if (q.bucket === undefined || q.bucket === '' || q.bucket === 'auto') bucket = autoBucket(to - from)
  else if (typeof q.bucket === 'string' && (BUCKETS as readonly string[]).includes(q.bucket)) bucket = q.bucket as Bucket
  else return bad('bucket', `expected one of ${BUCKETS.join(', ')} or auto`)
  if (bucket === 'raw') {
    if (to - from > MAX_RAW_RANGE_MS) return bad('bucket', `raw readings cover at most ${MAX_RAW_RANGE_MS / 86_400_000} days; use 5m, 1h or 1d`)
  } else {
    const points = Math.ceil((to - from) / BUCKET_MS[bucket])
    if (points > MAX_SERIES_POINTS) {
      return bad('bucket', `${bucket} over this range gives ${points} points (max ${MAX_SERIES_POINTS}); use a coarser bucket or a shorter range`)
    }
  }
  return { metric: metric as M, from, to, bucket }
}

export const stationMetricHint = `a metric such as ${['pm25', 'pm10', 'o3', 'noise', 'ph'].join(', ')}`
export function isStationMetric(m: string): m is Metric {
  return isMetric(m)
}
export function isCameraSeriesMetric(m: string): m is CameraSeriesMetric {
  return (CAMERA_SERIES_METRICS as readonly string[]).includes(m)
}
export function metricUnit(m: string): string {
  if (isMetric(m)) return METRICS[m].unit
  return m === 'inside' ? 'people' : 'count'
}

export interface DeadLetterView {
  id: string
  receivedAt: string
  topic: string
  code: DeadLetterCode
  reason: string
  /** The raw payload as text, truncated. */
  payload: string
  payloadBytes: number
  /** How many values of the same message were stored (a partly bad message). */
  accepted: number
}

export interface DeadLetterQuery {
  limit: number
  /** Page back: only dead letters older than the one with this id (ids grow with arrival). */
  before: number | null
  code: DeadLetterCode | null
}

export function parseDeadLetterQuery(q: Record<string, unknown>): DeadLetterQuery | ApiErrorBody {
  let limit = 100
  if (q.limit !== undefined) {
    limit = typeof q.limit === 'string' && /^\d+$/.test(q.limit) ? Number(q.limit) : NaN
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return bad('limit', 'expected an integer 1–1000')
  }
  let before: number | null = null
  if (q.before !== undefined) {
    before = typeof q.before === 'string' && /^\d{1,15}$/.test(q.before) ? Number(q.before) : NaN
    if (!Number.isSafeInteger(before)) return bad('before', 'expected the id of a dead letter (page back from the oldest id of the last page)')
  }
  let code: DeadLetterCode | null = null
  if (q.code !== undefined) {
    if (typeof q.code !== 'string' || !(DEAD_LETTER_CODES as readonly string[]).includes(q.code)) {
      return bad('code', `expected one of ${DEAD_LETTER_CODES.join(', ')}`)
    }
    code = q.code as DeadLetterCode
  }
  return { limit, before, code }
}
