// Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2), the way citizen apps and other cities' tools send
// reports: what a POST requests.json may carry (form-urlencoded as the spec says, JSON too), how a report is
// shown to them (service_request_id and service_code are strings, times ISO 8601 with the zone, internal states
// folded to open/closed), and the error list they expect. Contact details are taken, never shown back.

import { check, z } from '../shared/schema.ts'
import type { ReportCategory } from './categories.ts'
import { open311Status, type ReportState } from './lifecycle.ts'

export const OPEN311_MAX_DESCRIPTION = 4000
/** GET requests.json without dates: the last 90 days; at most 1,000 requests (the spec's defaults). */
export const OPEN311_DEFAULT_DAYS = 90
export const OPEN311_MAX_RESULTS = 1000

/** An Open311 error: the HTTP status as its code, and a description naming the field. */
export interface Open311Error {
  code: number
  description: string
}

/** Attributes a category asks for beyond the description (services/{code}.json). */
export interface Open311Attribute {
  variable: boolean
  code: string
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist'
  required: boolean
  datatype_description: string | null
  order: number
  description: string
  values?: { key: string; name: string }[]
}

const yesNo = [
  { key: 'yes', name: 'Có' },
  { key: 'no', name: 'Không' },
]

/** Per category code: what the form asks besides the description. */
export const OPEN311_ATTRIBUTES: Record<string, Open311Attribute[]> = {
  'traffic-danger': [{ variable: true, code: 'blocking', datatype: 'singlevaluelist', required: false, datatype_description: null, order: 1, description: 'Có chắn hết lòng đường không?', values: yesNo }],
  water: [
    {
      variable: true,
      code: 'kind',
      datatype: 'singlevaluelist',
      required: false,
      datatype_description: null,
      order: 1,
      description: 'Loại sự cố',
      values: [
        { key: 'outage', name: 'Mất nước' },
        { key: 'burst', name: 'Vỡ đường ống' },
        { key: 'flooding', name: 'Ngập úng, cống tắc' },
      ],
    },
  ],
  power: [{ variable: true, code: 'live_wire', datatype: 'singlevaluelist', required: false, datatype_description: null, order: 1, description: 'Có dây điện đứt rơi xuống không?', values: yesNo }],
}

const text = (max: number, what: string) =>
  z
    .string({ error: `${what}, as text` })
    .trim()
    .max(max, { error: `${what} of at most ${max} characters` })
const optionalText = (max: number, what: string) =>
  text(max, what)
    .optional()
    .transform((v) => (v ? v : undefined))
const coord = (min: number, max: number, what: string) =>
  z.preprocess(
    // a form sends an empty field for a value left blank
    (v) => (v === '' || v === null ? undefined : v),
    z
      .union([z.number(), z.string().trim().regex(/^-?\d+(\.\d+)?$/, { error: `${what} in decimal degrees, ${min} to ${max}` })], { error: `${what} in decimal degrees, ${min} to ${max}` })
      .transform(Number)
      .pipe(z.number().min(min, { error: `${what} ${min} to ${max}` }).max(max, { error: `${what} ${min} to ${max}` }))
      .optional(),
  )

/** The fields of POST requests.json (and of an MQTT report, which adds externalId and ts). */
export const open311RequestBody = z
  .object({
    api_key: optionalText(200, 'an API key'),
    jurisdiction_id: optionalText(100, 'a jurisdiction id'),
    service_code: text(64, 'a service code (see services.json)').min(1, { error: 'a service code (see services.json)' }),
    lat: coord(-90, 90, 'a latitude'),
    long: coord(-180, 180, 'a longitude'),
    address_string: optionalText(500, 'an address'),
    address_id: optionalText(100, 'an address id'),
    email: z
      .string()
      .trim()
      .max(200)
      .email({ error: 'an e-mail address' })
      .optional()
      .or(z.literal('').transform(() => undefined)),
    device_id: optionalText(200, 'a device id'),
    account_id: optionalText(200, 'an account id'),
    first_name: optionalText(100, 'a first name'),
    last_name: optionalText(100, 'a last name'),
    phone: z
      .string()
      .trim()
      .regex(/^[+0-9 ().-]{6,20}$/, { error: 'a phone number (digits, +, spaces)' })
      .optional()
      .or(z.literal('').transform(() => undefined)),
    description: text(OPEN311_MAX_DESCRIPTION, 'a description').min(1, { error: 'a description of what is wrong' }),
    media_url: z
      .string()
      .trim()
      .max(1000)
      .url({ error: 'an http(s) URL of a photo' })
      .refine((u) => /^https?:\/\//i.test(u), { error: 'an http(s) URL of a photo' })
      .optional()
      .or(z.literal('').transform(() => undefined)),
    attribute: z.record(z.string().max(64), z.union([z.string().max(500), z.array(z.string().max(500)).max(20)])).optional(),
  })
  .superRefine((b, ctx) => {
    if ((b.lat === undefined) !== (b.long === undefined)) ctx.addIssue({ code: 'custom', path: [b.lat === undefined ? 'lat' : 'long'], message: 'lat and long together', input: undefined })
    if (b.lat === undefined && !b.address_string) ctx.addIssue({ code: 'custom', path: ['lat'], message: 'a location: lat and long, or address_string', input: undefined })
  })
export type Open311RequestBody = z.output<typeof open311RequestBody>

/** What an Open311 input read to: the value, or the first problem as the Open311 error (400) naming the field. */
export type Open311Read<T> = { ok: true; value: T } | { ok: false; error: Open311Error }

function read<S extends z.ZodType>(schema: S, input: unknown): Open311Read<z.output<S>> {
  const r = check(schema, input ?? {})
  return r.ok ? { ok: true, value: r.value } : { ok: false, error: { code: 400, description: r.issues[0]!.message } }
}

export function parseOpen311Request(body: unknown): Open311Read<Open311RequestBody> {
  return read(open311RequestBody, body)
}

/** GET requests.json's filters. */
export const open311Query = z.object({
  service_request_id: optionalText(2000, 'comma-separated request ids'),
  service_code: optionalText(2000, 'comma-separated service codes'),
  start_date: optionalText(40, 'an ISO 8601 time').pipe(z.string().datetime({ offset: true, error: 'an ISO 8601 time with its zone' }).optional()),
  end_date: optionalText(40, 'an ISO 8601 time').pipe(z.string().datetime({ offset: true, error: 'an ISO 8601 time with its zone' }).optional()),
  status: z.enum(['open', 'closed'], { error: "'open' or 'closed' (comma-separated)" }).optional(),
  jurisdiction_id: optionalText(100, 'a jurisdiction id'),
})
export type Open311Query = z.output<typeof open311Query>

export function parseOpen311Query(q: unknown): Open311Read<Open311Query> {
  return read(open311Query, q)
}

/** An instant as ISO 8601 in Vietnam time with its zone: 2026-03-02T08:15:00+07:00. */
export function vnIsoTime(ms: number): string {
  return new Date(ms + 7 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+07:00')
}

/** A service of services.json. */
export function open311Service(c: ReportCategory) {
  return {
    service_code: c.code,
    service_name: c.name,
    description: c.description,
    metadata: (OPEN311_ATTRIBUTES[c.code]?.length ?? 0) > 0,
    type: 'realtime' as const,
    keywords: c.nameEn,
    group: c.field,
  }
}

/** What a report shows through Open311 (never its contact details). */
export interface Open311View {
  id: string
  state: ReportState
  categoryCode: string
  categoryName: string
  description: string
  agencyName: string | null
  statusNotes: string | null
  receivedAt: number
  updatedAt: number
  expectedAt: number | null
  address: string | null
  lat: number | null
  lon: number | null
  mediaUrl: string | null
}

export function open311ServiceRequest(r: Open311View) {
  return {
    service_request_id: r.id,
    status: open311Status(r.state),
    status_notes: r.statusNotes,
    service_name: r.categoryName,
    service_code: r.categoryCode,
    description: r.description,
    agency_responsible: r.agencyName,
    service_notice: null,
    requested_datetime: vnIsoTime(r.receivedAt),
    updated_datetime: vnIsoTime(r.updatedAt),
    expected_datetime: r.expectedAt === null ? null : vnIsoTime(r.expectedAt),
    address: r.address,
    address_id: null,
    zipcode: null,
    lat: r.lat,
    long: r.lon,
    media_url: r.mediaUrl,
  }
}
export type Open311ServiceRequest = ReturnType<typeof open311ServiceRequest>
