// What an environment station publishes on {root}/env/{stationId}, and how the payload becomes a reading:
//   {"ts": "2026-11-21T08:00:00+07:00" | 1795000000000, "values": {"pm25": 35.2, ...}}
// or a FIWARE AirQualityObserved entity (key-values, NGSI-v2 normalized or NGSI-LD) on the same topic.
// Pure and total: problems come back as values (contract/shared/ingest.ts).

import { TIMESTAMP, decodeObject, inAcceptedWindow, jsonObject, numberError, parseTimestamp, problemOf, readObject, readValue, type IngestLimits, type Parsed, type Problem } from '../shared/ingest.ts'
import { clip, sentence, strictObject, withCode, z } from '../shared/schema.ts'
import { ISO_WITHOUT_ZONE } from '../shared/clock.ts'
import { METRICS, METRIC_KEYS, type Metric } from './metrics.ts'

/** The topic segment this domain's devices publish under: `{root}/env/{id}`. */
export const ENVIRONMENT_INPUT = 'env'

/** Dead-letter reasons of this domain beside the shared ones. */
export const ENVIRONMENT_DEAD_LETTER_CODES = ['unknown_station', 'unsupported_unit'] as const

export interface EnvReading {
  stationId: string
  /** Observation time, epoch milliseconds. */
  ts: number
  values: Partial<Record<Metric, number>>
}

/** A value of `metric`: a finite number within its physical range. Payloads and live frames read values with these. */
function metricValue(metric: Metric) {
  const spec = METRICS[metric]
  const range = (iss: { input?: unknown }) =>
    withCode('out_of_range', sentence(`${String(iss.input)} is outside the physical range ${spec.min}–${spec.max} ${spec.unit}`))
  return z.number({ error: numberError('a number') }).min(spec.min, { error: range, abort: true }).max(spec.max, { error: range, abort: true })
}

/** The one definition of a valid reading's value, per metric. */
export const METRIC_VALUES: ReadonlyMap<Metric, z.ZodNumber> = new Map(METRIC_KEYS.map((m) => [m, metricValue(m)]))

/** A metric's name; the problem of a name that is none. */
export const METRIC_NAME = z.enum(METRIC_KEYS as [Metric, ...Metric[]], {
  error: (iss) => withCode('unknown_metric', sentence(`'${clip(String(iss.input), 40)}' is not a known metric`)),
})

/** A reading's values: each of a known metric and valid for it. Live frames carry readings' values so too. */
export const READING_VALUES = strictObject(
  Object.fromEntries([...METRIC_VALUES].map(([m, schema]) => [m, schema.optional()])) as Record<Metric, z.ZodOptional<z.ZodNumber>>,
  'an object of metric → number',
)

/** A message of the plain shape with nothing wrong in it, read in one go (what nearly every message is). */
const ENV_MESSAGE = z.object({ ts: TIMESTAMP, values: READING_VALUES })

const VALUES_OBJECT = jsonObject('an object of metric → number')

/**
 * Reads each value of `values` on its own: the good ones (null when none is), and into `problems` one for each
 * bad one (an unknown metric, a wrong type, a value outside the metric's range).
 */
function readEachValue(values: Record<string, unknown>, problems: Problem[]): Partial<Record<Metric, number>> | null {
  const good: Partial<Record<Metric, number>> = {}
  let any = false
  for (const key of Object.keys(values)) {
    const raw = values[key]
    const schema = METRIC_VALUES.get(key as Metric)
    const r = schema?.safeParse(raw)
    if (r?.success) {
      good[key as Metric] = r.data
      any = true
    } else {
      const at = `values.${clip(key, 40)}`
      problems.push(schema ? problemOf(schema, raw, at) : problemOf(METRIC_NAME, key, at))
    }
  }
  return any ? good : null
}

export function parseEnvPayload(stationId: string, payload: Uint8Array, now: number, limits: IngestLimits): Parsed<EnvReading> {
  const json = decodeObject(payload, limits)
  if (!json.ok) return { value: null, problems: [json.problem] }
  if (json.value.type === 'AirQualityObserved') return parseAirQualityObserved(stationId, json.value, now, limits)

  const whole = ENV_MESSAGE.safeParse(json.value)
  if (whole.success && Object.keys(whole.data.values).length > 0) {
    const ts = inAcceptedWindow(whole.data.ts, json.value.ts, 'ts', now, limits)
    return typeof ts === 'number' ? { value: { stationId, ts, values: whole.data.values }, problems: [] } : { value: null, problems: [ts] }
  }
  // something is wrong: read it field by field and value by value, to store the good values and report each bad one
  const ts = parseTimestamp(json.value.ts, 'ts', now, limits)
  if (typeof ts !== 'number') return { value: null, problems: [ts] }
  const raw = readObject(VALUES_OBJECT, json.value.values, 'values')
  if (!raw.ok) return { value: null, problems: [raw.problem] }
  const problems: Problem[] = []
  const values = readEachValue(raw.value, problems)
  if (!values && problems.length === 0) problems.push({ code: 'invalid_shape', message: 'values: empty, nothing to store' })
  return { value: values ? { stationId, ts, values } : null, problems }
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

/** The unitCodes a metric may come in, each read as the factor to our unit; the problem of any other. */
function fiwareUnit(units: Record<string, number>) {
  const codes = Object.keys(units)
  return z
    .enum(codes as [string, ...string[]], {
      error: (iss) => withCode('unsupported_unit', sentence(`unitCode '${clip(String(iss.input), 10)}' is not supported (expected ${codes.join(' or ') || 'no unitCode'})`)),
    })
    .transform((code) => units[code]!)
}
const FIWARE_UNIT_FACTORS = new Map(Object.entries(FIWARE_UNITS).map(([metric, units]) => [metric as Metric, fiwareUnit(units)]))

// An attribute in the normalized shapes, NGSI-v2 ({type: 'Number', value, metadata: {unitCode: {value}}}) and
// NGSI-LD ({type: 'Property', value, unitCode}); in the key-values shape an attribute is the value itself.
// A unitCode of a shape not meant as one is no unitCode.
const NGSI_ATTRIBUTE = z
  .object({
    value: z.unknown(),
    unitCode: z.string().optional().catch(undefined),
    metadata: z.object({ unitCode: z.object({ value: z.unknown().optional() }).optional() }).optional().catch(undefined),
  })
  .transform(({ value, unitCode, metadata }) => ({
    value,
    unitCode: unitCode ?? (metadata?.unitCode ? String(metadata.unitCode.value) : undefined),
  }))

function fiwareValue(raw: unknown): { value: unknown; unitCode?: string | undefined } {
  const normalized = NGSI_ATTRIBUTE.safeParse(raw)
  return normalized.success ? normalized.data : { value: raw }
}

// NGSI-LD types a date: {"@type": "DateTime", "@value": ...}
const LD_DATE_TIME = z.object({ '@value': z.unknown() }).transform((d) => d['@value'])

function fiwareDate(raw: unknown): unknown {
  const { value } = fiwareValue(raw)
  const typed = LD_DATE_TIME.safeParse(value)
  const date = typed.success ? typed.data : value
  // NGSI-v2 DateTime values are UTC; the data models' examples often omit the zone
  return typeof date === 'string' && ISO_WITHOUT_ZONE.test(date) ? `${date}Z` : date
}

/** An attribute we do not map may be any metadata, but not a measurement: that is reported, never dropped silently. */
const UNMAPPED_ATTRIBUTE = z.unknown().refine((v) => typeof v !== 'number', {
  error: withCode('unknown_metric', sentence('not a supported AirQualityObserved attribute')),
})

function parseAirQualityObserved(stationId: string, json: Record<string, unknown>, now: number, limits: IngestLimits): Parsed<EnvReading> {
  const ts = parseTimestamp(fiwareDate(json.dateObserved), 'dateObserved', now, limits)
  if (typeof ts !== 'number') return { value: null, problems: [ts] }
  const problems: Problem[] = []
  const values: Partial<Record<Metric, number>> = {}
  let any = false
  for (const [attr, raw] of Object.entries(json)) {
    if (FIWARE_IGNORED.has(attr)) continue
    const mapping = Object.hasOwn(FIWARE_ATTRIBUTES, attr) ? FIWARE_ATTRIBUTES[attr] : undefined
    const { value, unitCode } = fiwareValue(raw)
    if (!mapping) {
      const unmapped = readValue(UNMAPPED_ATTRIBUTE, value, clip(attr, 40))
      if (!unmapped.ok) problems.push(unmapped.problem)
      continue
    }
    let scale = mapping.scale ?? 1
    if (unitCode !== undefined) {
      const factor = readValue(FIWARE_UNIT_FACTORS.get(mapping.metric)!, unitCode, attr)
      if (!factor.ok) {
        problems.push(factor.problem)
        continue
      }
      scale = factor.value
    }
    // scaling 0.57 by 100 gives 56.99999999999999; keep what the sensor meant
    const scaled = typeof value === 'number' && scale !== 1 ? Math.round(value * scale * 1e6) / 1e6 : value
    const v = readValue(METRIC_VALUES.get(mapping.metric)!, scaled, attr)
    if (v.ok) {
      values[mapping.metric] = v.value
      any = true
    } else problems.push(v.problem)
  }
  if (!any && problems.length === 0) problems.push({ code: 'invalid_shape', message: 'AirQualityObserved: no measurement attribute to store' })
  return { value: any ? { stationId, ts, values } : null, problems }
}

/** Builds a well-formed environment payload (used by the simulator, the bench and the README examples). */
export function envPayload(ts: number | string, values: Partial<Record<Metric, number>>): string {
  return JSON.stringify({ ts, values })
}
