// What a counter camera publishes on {root}/camera/{cameraId}: the counts of one period ending at ts, and
// optionally the people inside now:
//   {"ts": ..., "periodSec": 60, "counts": {"person": 12, "car": 3, ...}, "inside": 41}
// Pure and total: problems come back as values (contract/shared/ingest.ts).

import { TIMESTAMP, decodeObject, inAcceptedWindow, jsonObject, numberError, parseTimestamp, problemOf, readObject, readValue, type IngestLimits, type Parsed, type Problem } from '../shared/ingest.ts'
import { clip, sentence, strictObject, withCode, z } from '../shared/schema.ts'
import { CAMERA_CLASSES, CAMERA_LIMITS, type CameraClass } from './classes.ts'

/** The topic segment this domain's devices publish under: `{root}/camera/{id}`. */
export const CAMERA_INPUT = 'camera'

/** Dead-letter reasons of this domain beside the shared ones. */
export const CAMERA_DEAD_LETTER_CODES = ['unknown_camera'] as const

export interface CameraCount {
  cameraId: string
  /** End of the counting period, epoch milliseconds. */
  ts: number
  periodSec: number
  counts: Partial<Record<CameraClass, number>>
  /** People currently inside the watched area, when the camera reports it. */
  inside: number | null
}

/** A counted value: a whole number 0–max. Payloads and live frames read counts with these. */
function countOf(max: number) {
  const range = (iss: { input?: unknown }) => withCode('out_of_range', sentence(`${String(iss.input)} is not a whole number 0–${max}`))
  return z
    .number({ error: numberError('a whole number') })
    .int({ error: range, abort: true })
    .min(0, { error: range, abort: true })
    .max(max, { error: range, abort: true })
}

/** A count of one class over the period. */
export const CLASS_COUNT = countOf(CAMERA_LIMITS.maxCount)
/** The people inside now. */
export const INSIDE_COUNT = countOf(CAMERA_LIMITS.maxInside)

const periodExpected = `an integer ${CAMERA_LIMITS.minPeriodSec}–${CAMERA_LIMITS.maxPeriodSec}`
const periodError = (iss: { input?: unknown }) =>
  withCode(iss.input === undefined ? 'invalid_shape' : typeof iss.input !== 'number' ? 'wrong_type' : 'out_of_range', periodExpected)

/** The counting period in seconds. */
export const PERIOD_SEC = z
  .number({ error: periodError })
  .int({ error: periodError, abort: true })
  .min(CAMERA_LIMITS.minPeriodSec, { error: periodError, abort: true })
  .max(CAMERA_LIMITS.maxPeriodSec, { error: periodError, abort: true })

/** A counted class's name; the problem of a name that is none. */
export const CAMERA_CLASS = z.enum(CAMERA_CLASSES, { error: withCode('unknown_metric', sentence(`not a counted class (${CAMERA_CLASSES.join(', ')})`)) })

/** A period's counts: each of a counted class and a valid count. Live frames carry periods' counts so too. */
export const PERIOD_COUNTS = strictObject(
  Object.fromEntries(CAMERA_CLASSES.map((c) => [c, CLASS_COUNT.optional()])) as Record<CameraClass, z.ZodOptional<typeof CLASS_COUNT>>,
  'an object of class → count',
)

/** A message with nothing wrong in it, read in one go (what nearly every message is). */
const CAMERA_MESSAGE = z.object({ ts: TIMESTAMP, periodSec: PERIOD_SEC, counts: PERIOD_COUNTS.optional(), inside: INSIDE_COUNT.nullish() })

const COUNTS_OBJECT = jsonObject('an object of class → count')

export function parseCameraPayload(cameraId: string, payload: Uint8Array, now: number, limits: IngestLimits): Parsed<CameraCount> {
  const json = decodeObject(payload, limits)
  if (!json.ok) return { value: null, problems: [json.problem] }
  const whole = CAMERA_MESSAGE.safeParse(json.value)
  if (whole.success && (whole.data.inside != null || (whole.data.counts && Object.keys(whole.data.counts).length > 0))) {
    const ts = inAcceptedWindow(whole.data.ts, json.value.ts, 'ts', now, limits)
    if (typeof ts !== 'number') return { value: null, problems: [ts] }
    return { value: { cameraId, ts, periodSec: whole.data.periodSec, counts: whole.data.counts ?? {}, inside: whole.data.inside ?? null }, problems: [] }
  }
  // something is wrong: read it field by field and count by count, to store the good counts and report each bad one
  const ts = parseTimestamp(json.value.ts, 'ts', now, limits)
  if (typeof ts !== 'number') return { value: null, problems: [ts] }
  const period = readValue(PERIOD_SEC, json.value.periodSec, 'periodSec')
  if (!period.ok) return { value: null, problems: [period.problem] }

  const problems: Problem[] = []
  const counts: Partial<Record<CameraClass, number>> = {}
  let any = false
  if (json.value.counts !== undefined) {
    const raw = readObject(COUNTS_OBJECT, json.value.counts, 'counts')
    if (!raw.ok) problems.push(raw.problem)
    else {
      for (const key of Object.keys(raw.value)) {
        const at = `counts.${clip(key, 40)}`
        const name = CAMERA_CLASS.safeParse(key)
        if (!name.success) {
          problems.push(problemOf(CAMERA_CLASS, key, at))
          continue
        }
        const v = readValue(CLASS_COUNT, raw.value[key], at)
        if (v.ok) {
          counts[name.data] = v.value
          any = true
        } else problems.push(v.problem)
      }
    }
  }
  let inside: number | null = null
  if (json.value.inside !== undefined && json.value.inside !== null) {
    const v = readValue(INSIDE_COUNT, json.value.inside, 'inside')
    if (v.ok) {
      inside = v.value
      any = true
    } else problems.push(v.problem)
  }
  if (!any && problems.length === 0) problems.push({ code: 'invalid_shape', message: 'counts: empty and no inside, nothing to store' })
  return { value: any ? { cameraId, ts, periodSec: period.value, counts, inside } : null, problems }
}

export function cameraPayload(ts: number | string, periodSec: number, counts: Partial<Record<CameraClass, number>>, inside?: number): string {
  return JSON.stringify(inside === undefined ? { ts, periodSec, counts } : { ts, periodSec, counts, inside })
}
