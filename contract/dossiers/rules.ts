// The rules that judge a dossier (shared/DOMAIN.md §3, the national public service portal's indicator 2.1),
// derived from its event log alone, whatever order the events arrived in. Pure: the working-day calendar and
// the procedure's legal time are parameters.
//
// - Received: the dossier counts from its `received` event (refused or withdrawn before it: never counted).
// - End of processing: the first `processed`; else the first `result_returned`; else the first of `stopped`,
//   `refused`, `withdrawn`. A citizen who never answered a supplement request closes the dossier at the
//   request (a stop or withdrawal after an unanswered request ends it at the request's time).
// - Appointment: the `appointmentAt` of `received`; a `supplement_received` carrying one replaces it. Without a
//   replacement, the appointment moves later by the working time the dossier waited for the citizen (from each
//   `supplement_requested` to the `supplement_received` after it).
// - Judgement by Vietnam calendar date: early ⇔ end date < appointment date; on time ⇔ equal; late ⇔ after.
//   Also late: 2 or more supplement requests, or any `rescheduled` (apology slip).
// - No appointment: the due time is the receipt plus the procedure's legal working time plus the waiting; late
//   ⇔ the working time used (receipt to end, minus waiting) exceeds the legal time; otherwise early or on time
//   by date against that due time.
// - Open at an instant T: judged at T: overdue when flagged late, or when T's date is after the due date;
//   due soon when the due time is within `dueSoonMs` of working time after T.

import { vnDate } from '../shared/clock.ts'
import type { WorkingCalendar } from '../shared/calendar.ts'
import type { Channel, DossierEvent, DossierEventName } from './feed.ts'

export type Judgement = 'early' | 'on_time' | 'late'
export const JUDGEMENTS: readonly Judgement[] = ['early', 'on_time', 'late']

/** What the event log says of a dossier, time-stamped so its state at any instant can be read. */
export interface DossierFacts {
  id: string
  /** The unit that received it (where it is counted), else the first unit named. */
  unitId: string | null
  procedureCode: string | null
  channel: Channel | null
  registeredAt: number | null
  receivedAt: number | null
  /** Appointments in force from `at`: from `received`, then each `supplement_received` carrying one. */
  appointments: { at: number; due: number }[]
  /** Supplement requests and the answer to each (null: not answered). */
  supplements: { requestedAt: number; answeredAt: number | null }[]
  rescheduled: { at: number; due: number }[]
  end: { at: number; event: DossierEventName } | null
  /** The unit it was last transferred to. */
  currentUnitId: string | null
  feeRequired: boolean
  paidOnline: boolean
  electronicResult: boolean
  digitized: boolean
  reusedData: boolean
}

const END_RANK: Partial<Record<DossierEventName, number>> = { processed: 0, result_returned: 1, stopped: 2, refused: 2, withdrawn: 2 }

/**
 * Events of one dossier, in time order (same instant: the lifecycle order of the event names, then the rest of
 * the event, so that two different events at the same instant sort the same whatever order they arrived in).
 */
export function sortEvents(events: readonly DossierEvent[]): DossierEvent[] {
  const order = (e: DossierEventName) => LIFECYCLE.indexOf(e)
  const keyed = events.map((e) => ({ e, key: eventKey(e) }))
  keyed.sort((a, b) => a.e.ts - b.e.ts || order(a.e.event) - order(b.e.event) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return keyed.map((k) => k.e)
}

/** Every field of an event, in a fixed order: equal keys are the same event sent twice. */
function eventKey(e: DossierEvent): string {
  return JSON.stringify([e.dossierId, e.event, e.ts, e.unitId, e.procedureCode, e.channel, e.appointmentAt, e.toUnitId, e.online, e.electronicResult, e.fee, e.digitized, e.reusedData])
}

/** The events in time order, each event sent more than once kept once (one-stop systems resend history). */
function distinctSorted(events: readonly DossierEvent[]): DossierEvent[] {
  const out: DossierEvent[] = []
  let last: string | null = null
  for (const e of sortEvents(events)) {
    const key = eventKey(e)
    if (key !== last) out.push(e)
    last = key
  }
  return out
}
const LIFECYCLE: readonly DossierEventName[] = [
  'registered',
  'received',
  'refused',
  'processing',
  'transferred',
  'supplement_requested',
  'supplement_received',
  'payment_requested',
  'paid',
  'rescheduled',
  'processed',
  'result_returned',
  'stopped',
  'withdrawn',
]

/** The facts of one dossier from its whole event log (any order, duplicates harmless). */
export function deriveFacts(id: string, events: readonly DossierEvent[]): DossierFacts {
  const sorted = distinctSorted(events)
  const f: DossierFacts = {
    id,
    unitId: null,
    procedureCode: null,
    channel: null,
    registeredAt: null,
    receivedAt: null,
    appointments: [],
    supplements: [],
    rescheduled: [],
    end: null,
    currentUnitId: null,
    feeRequired: false,
    paidOnline: false,
    electronicResult: false,
    digitized: false,
    reusedData: false,
  }
  let ends: { at: number; event: DossierEventName; rank: number }[] = []
  for (const e of sorted) {
    f.procedureCode ??= e.procedureCode
    if (e.digitized) f.digitized = true
    if (e.reusedData) f.reusedData = true
    if (e.fee != null && e.fee > 0) f.feeRequired = true
    switch (e.event) {
      case 'registered':
        f.registeredAt ??= e.ts
        f.channel ??= e.channel
        break
      case 'received':
        if (f.receivedAt === null) {
          f.receivedAt = e.ts
          f.unitId = e.unitId
          f.currentUnitId = e.unitId
          f.channel = e.channel ?? f.channel ?? 'counter'
          if (e.procedureCode) f.procedureCode = e.procedureCode
          if (e.appointmentAt !== null) f.appointments.push({ at: e.ts, due: e.appointmentAt })
        }
        break
      case 'transferred':
        f.currentUnitId = e.toUnitId
        break
      case 'supplement_requested':
        // the same request sent again with another field changed is still one request, not a second (late) one
        if (!f.supplements.some((s) => s.requestedAt === e.ts)) f.supplements.push({ requestedAt: e.ts, answeredAt: null })
        break
      case 'supplement_received': {
        const open = f.supplements.find((s) => s.answeredAt === null)
        if (open) open.answeredAt = e.ts
        if (e.appointmentAt !== null) f.appointments.push({ at: e.ts, due: e.appointmentAt })
        break
      }
      case 'payment_requested':
        f.feeRequired = true
        break
      case 'paid':
        f.feeRequired = true
        if (e.online) f.paidOnline = true
        break
      case 'rescheduled':
        if (e.appointmentAt !== null) f.rescheduled.push({ at: e.ts, due: e.appointmentAt })
        else f.rescheduled.push({ at: e.ts, due: e.ts })
        break
      case 'result_returned':
        if (e.electronicResult) f.electronicResult = true
        break
      default:
        break
    }
    const rank = END_RANK[e.event]
    if (rank !== undefined) ends.push({ at: e.ts, event: e.event, rank })
    f.unitId ??= e.unitId
  }
  // a received dossier ends only after its receipt (a refusal or withdrawal before it was overtaken by the
  // receipt); one never received can end only by a refusal or withdrawal, and is then never counted
  if (f.receivedAt !== null) ends = ends.filter((x) => x.at >= f.receivedAt!)
  const first = ends.sort((a, b) => a.rank - b.rank || a.at - b.at)[0]
  if (first) {
    f.end = { at: first.at, event: first.event }
    // a citizen who had not answered a supplement request when the dossier was stopped or withdrawn closes it
    // at the request (an answer that came only after the stop does not count)
    const unanswered = f.supplements.find((s) => s.requestedAt <= first.at && (s.answeredAt === null || s.answeredAt > first.at))
    if (unanswered && first.rank === 2) f.end = { at: unanswered.requestedAt, event: first.event }
  }
  return f
}

/** The dossier's situation at instant T. */
export type DossierState =
  | { status: 'not_received' }
  | { status: 'done'; endAt: number; judgement: Judgement; due: number | null; daysLate: number }
  | { status: 'in_progress'; due: number | null; overdue: boolean; dueSoon: boolean; waiting: boolean; daysLate: number }

export interface JudgeContext {
  calendar: WorkingCalendar
  /** The procedure's legal processing time in working days (null: unknown procedure, judged by appointment only). */
  legalDays: number | null
  /** "Due soon" window, in working ms (DOSSIER_DUE_SOON). */
  dueSoonMs: number
}

/**
 * Supplement waiting (working ms) up to T, counting only requests made at or after `since`. Overlapping waits
 * (a second request before the first was answered) count once: the dossier waited, not twice as long.
 */
function waitingMs(f: DossierFacts, since: number, T: number, cal: WorkingCalendar): number {
  const spans = f.supplements
    .filter((s) => s.requestedAt >= since && s.requestedAt <= T)
    .map((s) => [s.requestedAt, s.answeredAt === null || s.answeredAt > T ? T : s.answeredAt] as const)
    .sort((a, b) => a[0] - b[0])
  let ms = 0
  let reached = -Infinity
  for (const [from, until] of spans) {
    const start = Math.max(from, reached)
    if (until > start) ms += cal.workingMsBetween(start, until)
    reached = Math.max(reached, until)
  }
  return ms
}

/** The due instant in force at T: the appointment moved by waiting, or receipt + legal time + waiting. */
export function dueAt(f: DossierFacts, T: number, ctx: JudgeContext): number | null {
  if (f.receivedAt === null) return null
  const cal = ctx.calendar
  const appointment = f.appointments.filter((a) => a.at <= T).at(-1)
  if (appointment) {
    // the appointment given at receipt moves by all waiting; one given with a supplement already counts what came before
    const shift = waitingMs(f, appointment.at, T, cal)
    return shift > 0 ? cal.addWorkingMs(appointment.due, shift) : appointment.due
  }
  if (ctx.legalDays === null) return null
  return cal.addWorkingMs(f.receivedAt, ctx.legalDays * cal.dayMs + waitingMs(f, f.receivedAt, T, cal))
}

/** Flagged late whatever the dates: two or more supplement requests, or an apology slip, by T. */
export function flaggedLate(f: DossierFacts, T: number): boolean {
  return f.supplements.filter((s) => s.requestedAt <= T).length >= 2 || f.rescheduled.some((r) => r.at <= T)
}

/** Working days from the due date to `at`'s date (0 when not after it). */
export function workingDaysLate(due: number | null, at: number, cal: WorkingCalendar): number {
  if (due === null) return 0
  const d = vnDate(due)
  const a = vnDate(at)
  if (a <= d) return 0
  // the working days after the due date, up to and including `at`'s date
  return cal.workingDaysIn(nextDay(d), a)
}

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
}

/** The state of a dossier at T (the end of a reporting period, or now). */
export function stateAt(f: DossierFacts, T: number, ctx: JudgeContext): DossierState {
  if (f.receivedAt === null || f.receivedAt > T) return { status: 'not_received' }
  const cal = ctx.calendar
  if (f.end && f.end.at <= T) {
    const endAt = f.end.at
    const due = dueAt(f, endAt, ctx)
    let judgement: Judgement
    if (due === null) judgement = 'on_time'
    else if (vnDate(endAt) < vnDate(due)) judgement = 'early'
    else if (vnDate(endAt) === vnDate(due)) judgement = 'on_time'
    else judgement = 'late'
    if (f.appointments.length === 0 && ctx.legalDays !== null) {
      const used = cal.workingMsBetween(f.receivedAt, endAt) - waitingMs(f, f.receivedAt, endAt, cal)
      if (used > ctx.legalDays * cal.dayMs) judgement = 'late'
      else if (judgement === 'late') judgement = 'on_time'
    }
    if (flaggedLate(f, endAt)) judgement = 'late'
    return { status: 'done', endAt, judgement, due, daysLate: judgement === 'late' ? Math.max(1, workingDaysLate(due, endAt, cal)) : 0 }
  }
  const due = dueAt(f, T, ctx)
  const waiting = f.supplements.some((s) => s.requestedAt <= T && (s.answeredAt === null || s.answeredAt > T))
  const overdue = flaggedLate(f, T) || (due !== null && vnDate(T) > vnDate(due))
  const dueSoon = !overdue && due !== null && cal.workingMsBetween(T, due) <= ctx.dueSoonMs
  return { status: 'in_progress', due, overdue, dueSoon, waiting, daysLate: overdue ? Math.max(1, workingDaysLate(due, T, cal)) : 0 }
}

/**
 * Why a new event cannot belong to a dossier whose stored events are `known` (null: it fits). Only what no
 * arrival order explains is refused: a second receipt at another time, an event of processing before the
 * receipt, an end before the receipt.
 */
export function impossibleEvent(e: DossierEvent, known: readonly DossierEvent[]): string | null {
  const received = known.find((k) => k.event === 'received')
  if (e.event === 'received') {
    if (received && received.ts !== e.ts) return `dossier ${e.dossierId} was already received at ${new Date(received.ts).toISOString()}`
    const before = known.find((k) => !BEFORE_RECEIPT.has(k.event) && k.ts < e.ts)
    if (before) return `dossier ${e.dossierId} has '${before.event}' at ${new Date(before.ts).toISOString()}, before this receipt`
    return null
  }
  if (received && !BEFORE_RECEIPT.has(e.event) && e.ts < received.ts) {
    return `'${e.event}' at ${new Date(e.ts).toISOString()} is before the dossier's receipt at ${new Date(received.ts).toISOString()}`
  }
  if (e.event === 'supplement_received' && e.appointmentAt !== null && e.appointmentAt < e.ts) {
    return `the new appointment ${new Date(e.appointmentAt).toISOString()} is before the event itself`
  }
  return null
}
/** Events that may come before a receipt. */
const BEFORE_RECEIPT = new Set<DossierEventName>(['registered', 'refused', 'withdrawn'])
