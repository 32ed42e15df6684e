// Device payloads: what a station or camera publishes, and how a raw MQTT payload becomes a reading.
// Parsing is pure (clock and limits are parameters) and never throws: every problem comes back as a
// value with a code and a message that names the field, so ingest can store what is good and
// dead-letter the rest.
//
// Environment:  {"ts": "2026-11-21T08:00:00+07:00" | 1795000000000, "values": {"pm25": 35.2, ...}}
// FIWARE:       an AirQualityObserved entity (key-values, NGSI-v2 normalized or NGSI-LD) on the same topic
// Camera:       {"ts": ..., "periodSec": 60, "counts": {"person": 12, "car": 3, ...}, "inside": 41}

import {
  CAMERA_CLASSES,
  CAMERA_LIMITS,
  METRICS,
  isCameraClass,
  isMetric,
  type CameraClass,
  type Metric,
} from './metrics.ts'
import { ISO_WITHOUT_ZONE, MAX_TIME_MS, isRepresentableTime, readIsoInstant } from './time.ts'

export interface EnvReading {
  stationId: string
  /** Observation time, epoch milliseconds. */
  ts: number
  values: Partial<Record<Metric, number>>
}

export interface CameraCount {
  cameraId: string
  /** End of the counting period, epoch milliseconds. */
  ts: number
  periodSec: number
  counts: Partial<Record<CameraClass, number>>
  /** People currently inside the watched area, when the camera reports it. */
  inside: number | null
}

export const DEAD_LETTER_CODES = [
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
  'unsupported_unit',
  'unknown_topic',
  'unknown_station',
  'unknown_camera',
  'db_rejected',
  'internal_error',
] as const
export type DeadLetterCode = (typeof DEAD_LETTER_CODES)[number]

export interface Problem {
  code: DeadLetterCode
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

const utf8 = new TextDecoder()

/** Decodes `ts` (ISO-8601 with a zone, or epoch milliseconds) and checks it against the accepted window. */
export function parseTimestamp(raw: unknown, field: string, now: number, limits: IngestLimits): number | Problem {
  let ts: number
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return { code: 'non_finite', message: `${field}: not a finite number` }
    if (!isRepresentableTime(raw)) return { code: 'invalid_timestamp', message: `${field}: ${raw} is not a time (epoch milliseconds within ±${MAX_TIME_MS})` }
    ts = raw
  } else if (typeof raw === 'string') {
    const read = readIsoInstant(raw)
    if ('problem' in read) {
      return {
        code: 'invalid_timestamp',
        message:
          read.problem === 'format'
            ? `${field}: '${clip(raw, 40)}' is not ISO-8601 with a zone (e.g. 2026-11-21T08:00:00+07:00) or epoch milliseconds`
            : `${field}: '${clip(raw, 40)}' is not a real date`,
      }
    }
    ts = read.ms
  } else if (raw === undefined) {
    return { code: 'invalid_shape', message: `${field}: missing (ISO-8601 string or epoch milliseconds)` }
  } else {
    return { code: 'wrong_type', message: `${field}: expected an ISO-8601 string or epoch milliseconds, got ${typeName(raw)}` }
  }
  if (ts < now - limits.maxAgeMs) {
    const hint = typeof raw === 'number' && raw < 1e11 ? ' (looks like epoch seconds; send milliseconds)' : ''
    return {
      code: 'timestamp_too_old',
      message: `${field}: ${new Date(ts).toISOString()} is older than the accepted ${formatDuration(limits.maxAgeMs)}${hint}`,
    }
  }
  if (ts > now + limits.maxFutureMs) {
    return {
      code: 'timestamp_in_future',
      message: `${field}: ${new Date(ts).toISOString()} is more than ${formatDuration(limits.maxFutureMs)} ahead of the receive time`,
    }
  }
  return Math.round(ts)
}

/** Size and JSON checks shared by every payload kind. */
function decodeJson(payload: Uint8Array, limits: IngestLimits): { json: unknown } | Problem {
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

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Checks one metric value; returns the number or the problem. */
export function checkMetricValue(metric: string, raw: unknown, field: string): number | Problem {
  if (!isMetric(metric)) return { code: 'unknown_metric', message: `${field}: '${clip(metric, 40)}' is not a known metric` }
  if (typeof raw !== 'number') return { code: 'wrong_type', message: `${field}: expected a number, got ${typeName(raw)}` }
  if (!Number.isFinite(raw)) return { code: 'non_finite', message: `${field}: not a finite number` }
  const spec = METRICS[metric]
  if (raw < spec.min || raw > spec.max) {
    return {
      code: 'out_of_range',
      message: `${field}: ${raw} is outside the physical range ${spec.min}–${spec.max} ${spec.unit}`,
    }
  }
  return raw
}

export function parseEnvPayload(stationId: string, payload: Uint8Array, now: number, limits: IngestLimits): Parsed<EnvReading> {
  const decoded = decodeJson(payload, limits)
  if (!('json' in decoded)) return { value: null, problems: [decoded] }
  const json = decoded.json
  if (!isRecord(json)) return { value: null, problems: [{ code: 'invalid_shape', message: `payload: expected a JSON object, got ${typeName(json)}` }] }
  if (json.type === 'AirQualityObserved') return parseAirQualityObserved(stationId, json, now, limits)

  const problems: Problem[] = []
  const ts = parseTimestamp(json.ts, 'ts', now, limits)
  if (typeof ts !== 'number') return { value: null, problems: [ts] }
  if (!isRecord(json.values)) {
    return { value: null, problems: [{ code: 'invalid_shape', message: `values: expected an object of metric → number, got ${typeName(json.values)}` }] }
  }
  const values: Partial<Record<Metric, number>> = {}
  let any = false
  for (const [key, raw] of Object.entries(json.values)) {
    const v = checkMetricValue(key, raw, `values.${clip(key, 40)}`)
    if (typeof v === 'number') {
      values[key as Metric] = v
      any = true
    } else problems.push(v)
  }
  if (!any && problems.length === 0) problems.push({ code: 'invalid_shape', message: 'values: empty, nothing to store' })
  return { value: any ? { stationId, ts, values } : null, problems }
}

// FIWARE Smart Data Models, AirQualityObserved (https://github.com/smart-data-models/dataModel.Environment).
// Attribute names map to our metrics; relativeHumidity is a 0–1 ratio there, a percentage here.
const FIWARE_ATTRIBUTES: Record<string, { metric: Metric; scale?: number }> = {
  pm1: { metric: 'pm1' },
  pm25: { metric: 'pm25' },
  pm10: { metric: 'pm10' },
  tsp: { metric: 'tsp' },
  o3: { metric: 'o3' },
  no2: { metric: 'no2' },
  so2: { metric: 'so2' },
  co: { metric: 'co' },
  temperature: { metric: 'temp' },
  relativeHumidity: { metric: 'humidity', scale: 100 },
  atmosphericPressure: { metric: 'pressure' },
  windSpeed: { metric: 'wind_speed' },
  windDirection: { metric: 'wind_dir' },
  precipitation: { metric: 'rain' },
}
// UN/CEFACT common codes FIWARE uses in unitCode, and the factor to our unit for each metric.
// GQ µg/m³, GP mg/m³, CEL °C, P1 percent, C62 "one" (a 0–1 ratio), A97 hPa, MTS m/s, DD degree, MMT mm.
const POLLUTANT_UNITS = { GQ: 1, GP: 1000 }
const FIWARE_UNITS: Partial<Record<Metric, Record<string, number>>> = {
  pm1: POLLUTANT_UNITS, pm25: POLLUTANT_UNITS, pm10: POLLUTANT_UNITS, tsp: POLLUTANT_UNITS,
  o3: POLLUTANT_UNITS, no2: POLLUTANT_UNITS, so2: POLLUTANT_UNITS, co: POLLUTANT_UNITS,
  temp: { CEL: 1 },
  humidity: { P1: 1, C62: 100 },
  pressure: { A97: 1 },
  wind_speed: { MTS: 1 },
  wind_dir: { DD: 1 },
  rain: { MMT: 1 },
}
const FIWARE_IGNORED = new Set([
  'id', 'type', '@context', 'dateObserved', 'dateCreated', 'dateModified', 'location', 'address', 'areaServed',
  'name', 'description', 'source', 'dataProvider', 'refDevice', 'refPointOfInterest', 'typeofLocation',
  'airQualityIndex', 'airQualityLevel', 'reliability', 'alternateName', 'seeAlso', 'owner', 'volatileOrganicCompoundsTotal',
])

function fiwareValue(raw: unknown): { value: unknown; unitCode?: string } {
  // normalized NGSI-v2 ({type: 'Number', value}) and NGSI-LD ({type: 'Property', value, unitCode})
  if (isRecord(raw) && 'value' in raw) {
    const unitCode = typeof raw.unitCode === 'string' ? raw.unitCode : isRecord(raw.metadata) && isRecord(raw.metadata.unitCode) ? String(raw.metadata.unitCode.value) : undefined
    return { value: raw.value, unitCode }
  }
  return { value: raw }
}

function fiwareDate(raw: unknown): unknown {
  const { value } = fiwareValue(raw)
  const date = isRecord(value) && '@value' in value ? value['@value'] : value // NGSI-LD {"@type": "DateTime", "@value": ...}
  // NGSI-v2 DateTime values are UTC; the data models' examples often omit the zone
  return typeof date === 'string' && ISO_WITHOUT_ZONE.test(date) ? `${date}Z` : date
}

function parseAirQualityObserved(stationId: string, json: Record<string, unknown>, now: number, limits: IngestLimits): Parsed<EnvReading> {
  const ts = parseTimestamp(fiwareDate(json.dateObserved), 'dateObserved', now, limits)
  if (typeof ts !== 'number') return { value: null, problems: [ts] }
  const problems: Problem[] = []
  const values: Partial<Record<Metric, number>> = {}
  let any = false
  for (const [attr, raw] of Object.entries(json)) {
    if (FIWARE_IGNORED.has(attr)) continue
    const mapping = FIWARE_ATTRIBUTES[attr]
    const { value, unitCode } = fiwareValue(raw)
    if (!mapping) {
      // metadata we do not know is skipped; a measurement we do not know is reported, never dropped silently
      if (typeof value === 'number') problems.push({ code: 'unknown_metric', message: `${clip(attr, 40)}: not a supported AirQualityObserved attribute` })
      continue
    }
    let scale = mapping.scale ?? 1
    if (unitCode !== undefined) {
      const units = FIWARE_UNITS[mapping.metric] ?? {}
      const factor = units[unitCode]
      if (factor === undefined) {
        problems.push({
          code: 'unsupported_unit',
          message: `${attr}: unitCode '${clip(unitCode, 10)}' is not supported (expected ${Object.keys(units).join(' or ') || 'no unitCode'})`,
        })
        continue
      }
      scale = factor
    }
    // scaling 0.57 by 100 gives 56.99999999999999; keep what the sensor meant
    const scaled = typeof value === 'number' && scale !== 1 ? Math.round(value * scale * 1e6) / 1e6 : value
    const v = checkMetricValue(mapping.metric, scaled, attr)
    if (typeof v === 'number') {
      values[mapping.metric] = v
      any = true
    } else problems.push(v)
  }
  if (!any && problems.length === 0) problems.push({ code: 'invalid_shape', message: 'AirQualityObserved: no measurement attribute to store' })
  return { value: any ? { stationId, ts, values } : null, problems }
}

export function parseCameraPayload(cameraId: string, payload: Uint8Array, now: number, limits: IngestLimits): Parsed<CameraCount> {
  const decoded = decodeJson(payload, limits)
  if (!('json' in decoded)) return { value: null, problems: [decoded] }
  const json = decoded.json
  if (!isRecord(json)) return { value: null, problems: [{ code: 'invalid_shape', message: `payload: expected a JSON object, got ${typeName(json)}` }] }
  const ts = parseTimestamp(json.ts, 'ts', now, limits)
  if (typeof ts !== 'number') return { value: null, problems: [ts] }

  const period = json.periodSec
  if (typeof period !== 'number' || !Number.isInteger(period) || period < CAMERA_LIMITS.minPeriodSec || period > CAMERA_LIMITS.maxPeriodSec) {
    const code = period === undefined ? 'invalid_shape' : typeof period !== 'number' ? 'wrong_type' : 'out_of_range'
    return {
      value: null,
      problems: [{ code, message: `periodSec: expected an integer ${CAMERA_LIMITS.minPeriodSec}–${CAMERA_LIMITS.maxPeriodSec}, got ${describe(period)}` }],
    }
  }

  const problems: Problem[] = []
  const counts: Partial<Record<CameraClass, number>> = {}
  let any = false
  if (json.counts !== undefined && !isRecord(json.counts)) {
    problems.push({ code: 'invalid_shape', message: `counts: expected an object of class → count, got ${typeName(json.counts)}` })
  } else if (isRecord(json.counts)) {
    for (const [key, raw] of Object.entries(json.counts)) {
      const field = `counts.${clip(key, 40)}`
      if (!isCameraClass(key)) {
        problems.push({ code: 'unknown_metric', message: `${field}: not a counted class (${CAMERA_CLASSES.join(', ')})` })
        continue
      }
      const v = checkCount(raw, field, CAMERA_LIMITS.maxCount)
      if (typeof v === 'number') {
        counts[key] = v
        any = true
      } else problems.push(v)
    }
  }
  let inside: number | null = null
  if (json.inside !== undefined && json.inside !== null) {
    const v = checkCount(json.inside, 'inside', CAMERA_LIMITS.maxInside)
    if (typeof v === 'number') {
      inside = v
      any = true
    } else problems.push(v)
  }
  if (!any && problems.length === 0) problems.push({ code: 'invalid_shape', message: 'counts: empty and no inside, nothing to store' })
  return { value: any ? { cameraId, ts, periodSec: period, counts, inside } : null, problems }
}

/** Checks a counted value (a whole number 0–max); returns it or the problem. */
export function checkCount(raw: unknown, field: string, max: number): number | Problem {
  if (typeof raw !== 'number') return { code: 'wrong_type', message: `${field}: expected a whole number, got ${typeName(raw)}` }
  if (!Number.isFinite(raw)) return { code: 'non_finite', message: `${field}: not a finite number` }
  if (!Number.isInteger(raw) || raw < 0 || raw > max) {
    return { code: 'out_of_range', message: `${field}: ${raw} is not a whole number 0–${max}` }
  }
  return raw
}

function typeName(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'string') return `a string ('${clip(v, 20)}')`
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`
}

function describe(v: unknown): string {
  return typeof v === 'number' ? String(v) : v === undefined ? 'nothing' : typeName(v)
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s
}

export function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} d`
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`
  if (ms % 60_000 === 0) return `${ms / 60_000} min`
  return `${ms / 1000} s`
}

/** Builds a well-formed environment payload (used by the simulator, the bench and the README examples). */
export function envPayload(ts: number | string, values: Partial<Record<Metric, number>>): string {
  return JSON.stringify({ ts, values })
}

export function cameraPayload(ts: number | string, periodSec: number, counts: Partial<Record<CameraClass, number>>, inside?: number): string {
  return JSON.stringify(inside === undefined ? { ts, periodSec, counts } : { ts, periodSec, counts, inside })
}
