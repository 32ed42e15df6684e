// What citizen apps and 1022 call-centre systems push on {root}/report/{channelId}, QoS 1: one report or an
// array of up to 100, each with the fields of an Open311 POST requests.json (without api_key: the broker
// authenticates the channel) plus the sender's own `externalId` and the time `ts` it was made, e.g.
//   {"externalId":"1022-20260302-0042","ts":"2026-03-02T08:15:00+07:00","service_code":"water",
//    "lat":20.957,"long":107.105,"description":"Vỡ ống nước trước số 12","phone":"0912345678"}
// Storage is idempotent on (channelId, externalId): a resend is a no-op. Pure and total: a bad report is its
// own dead letter and the good ones of the same message are stored; whether its category exists is decided in
// ingest's transaction, where the categories are.

import { TIMESTAMP, decodeJson, formatDuration, problemOf, type IngestLimits, type Parsed, type Problem } from '../shared/ingest.ts'
import { withCode, z } from '../shared/schema.ts'
import { open311RequestBody } from './open311.ts'

/** The topic segment report channels publish under: `{root}/report/{channelId}`. */
export const REPORT_INPUT = 'report'

export const REPORT_DEAD_LETTER_CODES = ['unknown_category', 'too_many_reports'] as const

export const MAX_REPORTS_PER_MESSAGE = 100

export interface PushedReport {
  externalId: string
  ts: number
  categoryCode: string
  description: string
  lat: number | null
  lon: number | null
  address: string | null
  contact: Record<string, string>
  mediaUrls: string[]
  attributes: Record<string, unknown>
}

export interface ReportBatch {
  channelId: string
  reports: PushedReport[]
  rejected: { json: unknown; problem: Problem }[]
}

const PUSHED = z
  .object({
    externalId: z.string({ error: withCode('wrong_type', 'the sender’s own id, as text') }).regex(/^[^\s\u0000]{1,100}$/, { error: withCode('invalid_shape', 'an id of 1–100 characters without spaces') }),
    ts: TIMESTAMP,
  })
  .passthrough()

function withInvalidShape(p: Problem): Problem {
  return p.code === 'invalid_shape' || p.code === 'wrong_type' || p.code.startsWith('timestamp') ? p : { ...p, code: 'invalid_shape' }
}

export function readPushedReport(json: unknown, at: string, now: number, limits: IngestLimits): PushedReport | Problem {
  const head = PUSHED.safeParse(json)
  if (!head.success) return problemOf(PUSHED, json, at)
  const { externalId, ts, ...fields } = head.data as { externalId: string; ts: number } & Record<string, unknown>
  if (ts < now - limits.maxAgeMs) return { code: 'timestamp_too_old', message: `${at}.ts: ${new Date(ts).toISOString()} is older than the accepted ${formatDuration(limits.maxAgeMs)}` }
  if (ts > now + limits.maxFutureMs) return { code: 'timestamp_in_future', message: `${at}.ts: ${new Date(ts).toISOString()} is more than ${formatDuration(limits.maxFutureMs)} ahead of the receive time` }
  const body = open311RequestBody.safeParse(fields)
  if (!body.success) return withInvalidShape(problemOf(open311RequestBody, fields, at))
  const b = body.data
  const contact: Record<string, string> = {}
  for (const k of ['first_name', 'last_name', 'email', 'phone', 'device_id', 'account_id'] as const) if (b[k]) contact[k] = b[k]!
  return {
    externalId,
    ts: Math.round(ts),
    categoryCode: b.service_code,
    description: b.description,
    lat: b.lat ?? null,
    lon: b.long ?? null,
    address: b.address_string ?? null,
    contact,
    mediaUrls: b.media_url ? [b.media_url] : [],
    attributes: b.attribute ?? {},
  }
}

export function parseReportPayload(channelId: string, payload: Uint8Array, now: number, limits: IngestLimits): Parsed<ReportBatch> {
  const decoded = decodeJson(payload, limits)
  if (!('json' in decoded)) return { value: null, problems: [decoded] }
  const json = decoded.json
  const list = Array.isArray(json) ? json : [json]
  if (list.length === 0) return { value: null, problems: [{ code: 'invalid_shape', message: 'payload: an empty array, nothing to store' }] }
  if (list.length > MAX_REPORTS_PER_MESSAGE) return { value: null, problems: [{ code: 'too_many_reports', message: `payload: ${list.length} reports; at most ${MAX_REPORTS_PER_MESSAGE} per message` }] }
  const batch: ReportBatch = { channelId, reports: [], rejected: [] }
  list.forEach((item, i) => {
    const r = readPushedReport(item, Array.isArray(json) ? `[${i}]` : 'report', now, limits)
    if ('code' in r) batch.rejected.push({ json: item, problem: r })
    else batch.reports.push(r)
  })
  return { value: batch, problems: [] }
}
