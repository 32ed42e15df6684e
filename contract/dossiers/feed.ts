// What a one-stop system ("Hệ thống thông tin giải quyết TTHC") publishes on {root}/dossier/{systemId}: one
// dossier lifecycle event, or an array of up to 1,000, e.g.
//   {"ts":"2026-03-02T08:15:00+07:00","dossierId":"000.00.23.H40-260302-0001","event":"received",
//    "unitId":"QN-SXD","procedureCode":"1.004227","channel":"online","appointmentAt":"2026-03-09T17:00:00+07:00"}
// Pure and total: a bad event is reported on its own (its own dead letter, its own JSON), and the good events
// of the same message are stored. Whether its unit and procedure exist, and whether it fits the events already
// stored for its dossier, is decided where the reference data and the event log are: in ingest's transaction.

import { TIMESTAMP, decodeJson, formatDuration, problemOf, type IngestLimits, type Parsed, type Problem } from '../shared/ingest.ts'
import { sentence, strictObject, withCode, z } from '../shared/schema.ts'

/** The topic segment one-stop systems publish under: `{root}/dossier/{systemId}`. */
export const DOSSIER_INPUT = 'dossier'

export const DOSSIER_DEAD_LETTER_CODES = ['unknown_unit', 'unknown_procedure', 'impossible_sequence', 'too_many_events'] as const

export const DOSSIER_EVENTS = [
  'registered',
  'received',
  'refused',
  'processing',
  'transferred',
  'supplement_requested',
  'supplement_received',
  'payment_requested',
  'paid',
  'withdrawn',
  'stopped',
  'processed',
  'result_returned',
  'rescheduled',
] as const
export type DossierEventName = (typeof DOSSIER_EVENTS)[number]

export const CHANNELS = ['counter', 'online', 'post'] as const
export type Channel = (typeof CHANNELS)[number]

/** Events in one message at most. */
export const MAX_EVENTS_PER_MESSAGE = 1000

/** One event as stored: times in epoch ms, absent optional fields null. */
export interface DossierEvent {
  dossierId: string
  event: DossierEventName
  ts: number
  unitId: string | null
  procedureCode: string | null
  channel: Channel | null
  appointmentAt: number | null
  toUnitId: string | null
  /** `paid`: paid online. */
  online: boolean | null
  /** `result_returned`: the result was issued electronically. */
  electronicResult: boolean | null
  fee: number | null
  digitized: boolean | null
  reusedData: boolean | null
}

/** A message's events: the good ones, and each bad one with its own JSON and problem. */
export interface DossierBatch {
  systemId: string
  events: DossierEvent[]
  rejected: { json: unknown; problem: Problem }[]
}

const ID = z.string({ error: withCode('wrong_type', 'a text id') }).regex(/^[^\s\u0000]{1,100}$/, { error: withCode('invalid_shape', 'an id of 1–100 characters without spaces') })
const optionalBool = (at: string) => z.boolean({ error: withCode('wrong_type', `true or false (${at})`) }).nullish()

const EVENT = strictObject(
  {
    ts: TIMESTAMP,
    dossierId: ID,
    event: z.enum(DOSSIER_EVENTS, { error: withCode('invalid_shape', `one of ${DOSSIER_EVENTS.join(', ')}`) }),
    unitId: ID.nullish(),
    procedureCode: ID.nullish(),
    channel: z.enum(CHANNELS, { error: withCode('invalid_shape', `one of ${CHANNELS.join(', ')}`) }).nullish(),
    appointmentAt: TIMESTAMP.nullish(),
    toUnitId: ID.nullish(),
    online: optionalBool('paid online'),
    electronicResult: optionalBool('electronic result'),
    fee: z.number({ error: withCode('wrong_type', 'a fee in VND (a number ≥ 0)') }).min(0, { error: withCode('out_of_range', 'a fee ≥ 0') }).max(1e12).nullish(),
    digitized: optionalBool('digitised'),
    reusedData: optionalBool('reused data'),
  },
  withCode('invalid_shape', 'an event object'),
).superRefine((e, ctx) => {
  const need = (field: keyof typeof e, why: string) => {
    if (e[field] == null) ctx.addIssue({ code: 'custom', path: [field], input: undefined, message: withCode('invalid_shape', sentence(`missing: ${why}`)) })
  }
  if (e.event === 'received') {
    need('unitId', 'a received dossier names the receiving unit')
    need('procedureCode', 'a received dossier names its procedure')
  }
  if (e.event === 'registered') need('procedureCode', 'a registered dossier names its procedure')
  if (e.event === 'transferred') need('toUnitId', 'a transfer names the unit it goes to')
  if (e.event === 'rescheduled') need('appointmentAt', 'an apology slip carries the new appointment')
})

/** One event read from JSON, or its first problem (events are judged one by one). */
export function readDossierEvent(json: unknown, at: string, now: number, limits: IngestLimits): DossierEvent | Problem {
  const r = EVENT.safeParse(json)
  if (!r.success) return problemOf(EVENT, json, at)
  const e = r.data
  if (e.ts < now - limits.maxAgeMs) {
    return { code: 'timestamp_too_old', message: `${at}.ts: ${new Date(e.ts).toISOString()} is older than the accepted ${formatDuration(limits.maxAgeMs)} (DOSSIER_MAX_AGE)` }
  }
  if (e.ts > now + limits.maxFutureMs) {
    return { code: 'timestamp_in_future', message: `${at}.ts: ${new Date(e.ts).toISOString()} is more than ${formatDuration(limits.maxFutureMs)} ahead of the receive time` }
  }
  return {
    dossierId: e.dossierId,
    event: e.event,
    ts: Math.round(e.ts),
    unitId: e.unitId ?? null,
    procedureCode: e.procedureCode ?? null,
    channel: e.channel ?? (e.event === 'received' ? 'counter' : null),
    appointmentAt: e.appointmentAt == null ? null : Math.round(e.appointmentAt),
    toUnitId: e.toUnitId ?? null,
    online: e.online ?? null,
    electronicResult: e.electronicResult ?? null,
    fee: e.fee ?? null,
    digitized: e.digitized ?? null,
    reusedData: e.reusedData ?? null,
  }
}

/** `limits.maxAgeMs` here is DOSSIER_MAX_AGE: one-stop systems resend history. */
export function parseDossierPayload(systemId: string, payload: Uint8Array, now: number, limits: IngestLimits): Parsed<DossierBatch> {
  const decoded = decodeJson(payload, limits)
  if (!('json' in decoded)) return { value: null, problems: [decoded] }
  const json = decoded.json
  const list = Array.isArray(json) ? json : [json]
  if (list.length === 0) return { value: null, problems: [{ code: 'invalid_shape', message: 'payload: an empty array, nothing to store' }] }
  if (list.length > MAX_EVENTS_PER_MESSAGE) {
    return { value: null, problems: [{ code: 'too_many_events', message: `payload: ${list.length} events; at most ${MAX_EVENTS_PER_MESSAGE} per message` }] }
  }
  const batch: DossierBatch = { systemId, events: [], rejected: [] }
  list.forEach((item, i) => {
    const e = readDossierEvent(item, Array.isArray(json) ? `[${i}]` : 'event', now, limits)
    if ('code' in e) batch.rejected.push({ json: item, problem: e })
    else batch.events.push(e)
  })
  return { value: batch, problems: [] }
}

/** An event as integrators write it (tests, the simulator, README's example). */
export function dossierEventJson(e: Partial<DossierEvent> & Pick<DossierEvent, 'dossierId' | 'event' | 'ts'>): Record<string, unknown> {
  const iso = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().replace('Z', '+07:00')
  const out: Record<string, unknown> = { ts: iso(e.ts), dossierId: e.dossierId, event: e.event }
  for (const k of ['unitId', 'procedureCode', 'channel', 'toUnitId', 'online', 'electronicResult', 'fee', 'digitized', 'reusedData'] as const) {
    if (e[k] != null) out[k] = e[k]
  }
  if (e.appointmentAt != null) out.appointmentAt = iso(e.appointmentAt)
  return out
}
