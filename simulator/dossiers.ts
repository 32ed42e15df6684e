// The dossier model: what the province's one-stop system records on a working day, dossier by dossier, as
// the lifecycle events of contract/dossiers/feed.ts. Citizens submit ~SIM_DOSSIERS_PER_DAY dossiers a working
// day at the departments, the provincial public-service centre and the communes and wards; ~45% online, a few
// by post. Each runs registered (online) → received (with its appointment: the procedure's legal time in
// working days) → processing → [transfer] → [supplement request and answer] → [payment] → processed →
// result returned; some are refused, withdrawn or stopped, some run late (two supplement requests, or an
// overrun with an apology slip and a new date). Events fall only within working hours of working days.
//
// Deterministic: day n's dossiers come from a PRNG seeded with (seed, n) alone, so live publishing, a backfill
// and a restart agree about every dossier whatever order days are asked in. Pure: the calendar, the units and
// the procedures are parameters.

import {
  DAY_MS,
  MINUTE_MS,
  vnDayNumber,
  vnMidnight,
  type Channel,
  type DossierEvent,
  type DossierEventName,
  type OnlineLevel,
  type Procedure,
  type Unit,
  type WorkingCalendar,
} from '../contract/index.ts'
import type { ProcedureRoute } from '../db/seed/procedures.ts'
import { hash32, hashString, mulberry32, normal, unitHash, type Rng } from './random.ts'

export interface DossierModelOptions {
  /** The world's seed (SIM_SEED). */
  seed: number
  units: readonly Unit[]
  procedures: readonly Procedure[]
  calendar: WorkingCalendar
  /** Mean dossiers submitted per working day across the province. */
  perDay: number
  /** Who settles what (the demo's: db/seed/procedures.ts); a procedure not listed goes to a department chosen by its field, or to the localities. */
  routes?: ReadonlyMap<string, ProcedureRoute>
  /** Share of dossiers submitted online, 0–1. Default 0.45. */
  onlineShare?: number
}

export interface SimulatedDossier {
  id: string
  /** The unit that received it. */
  unitId: string
  procedureCode: string
  channel: Channel
  /** Its events in time order, each within working hours. */
  events: DossierEvent[]
}

export interface DossierModel {
  /** Dossiers first submitted on Vietnam day `n` (days since 1970-01-01), in submission order; none on a day off. */
  day(n: number): SimulatedDossier[]
  /** The units dossiers are received at, by kind (empty lists when the tree has none). */
  readonly receivers: { departments: readonly string[]; centre: string | null; localities: readonly string[] }
}

// --- the shape of a day's work ------------------------------------------------------------------------------

/** Monday's queue is the longest, Friday's the shortest (index: 0 = Sunday … 6 = Saturday). */
const WEEKDAY_FACTOR = [1, 1.12, 1.03, 1, 0.97, 0.88, 1]
/** Day-to-day spread of the volume (standard deviation of a normal factor). */
const DAILY_SPREAD = 0.06
/** Share of the submissions in the morning period (queues form early). */
const MORNING_SHARE = 0.6

/** Of the counter and post dossiers of a department's procedures, the share handed in at the provincial centre. */
const CENTRE_SHARE = 0.4
/** Of the non-online dossiers, the share sent by post (bưu chính công ích). */
const POST_SHARE = 0.04
/** Online registrations refused before receipt (incomplete file). */
const REFUSED_SHARE = 0.015
const WITHDRAWN_SHARE = 0.008
const STOPPED_SHARE = 0.002
/** Supplement requests a citizen never answers (the dossier then closes at the request). */
const ABANDONED_SHARE = 0.004
/** On-time dossiers with one supplement request. */
const ONE_SUPPLEMENT_SHARE = 0.07
/** Of late dossiers, those late by two supplement requests (the rest overran their appointment). */
const LATE_BY_SUPPLEMENTS = 0.3
/** Of overruns, those given an apology slip with a new date. */
const APOLOGY_SHARE = 0.85
/** Local dossiers passed on to the department settling the procedure's field (liên thông). */
const LOCAL_TRANSFER_SHARE = 0.06
const DIGITIZED_SHARE = 0.82
const REUSED_SHARE = 0.45
/** Electronic results by channel. */
const ELECTRONIC_RESULT: Record<Channel, number> = { online: 0.85, counter: 0.3, post: 0.2 }
/** Online payment of a fee by channel. */
const PAID_ONLINE: Record<Channel, number> = { online: 0.8, counter: 0.3, post: 0.5 }
/** Fees in VND (lệ phí) a procedure with a fee asks. */
const FEES = [10_000, 20_000, 30_000, 50_000, 100_000, 200_000, 500_000, 1_000_000]

/** How strongly each online level draws citizens online, before scaling to the target share. */
const ONLINE_PULL: Record<OnlineLevel, number> = { full: 1, '4': 0.85, partial: 0.7, '3': 0.55, '2': 0, '1': 0, none: 0 }

/** The share of a unit's dossiers that end late: the centre is the province's showcase; a few localities lag. */
function lateShareOf(seed: number, unit: Unit): number {
  const h = unitHash(seed, hashString(unit.id), 1)
  if (unit.type === 'centre') return 0.02
  if (unit.type === 'department') return 0.01 + 0.05 * h
  const lagging = unitHash(seed, hashString(unit.id), 2) < 0.18
  return lagging ? 0.08 + 0.1 * h : 0.015 + 0.05 * h
}

interface Receiver {
  unit: Unit
  lateShare: number
  /** Counter of the day's dossiers, for ids. */
  serial: number
}

interface Route {
  procedure: Procedure
  /** null: settled by the localities. */
  department: Receiver | null
  /** The department a local dossier is passed on to, if any. */
  transferTo: Receiver | null
  /** Cumulative demand, for drawing. */
  cumulative: number
  onlineP: number
}

export function createDossierModel(o: DossierModelOptions): DossierModel {
  const cal = o.calendar
  const dayMs = cal.dayMs
  const lastPeriodEnd = cal.hours.periods.at(-1)?.[1] ?? 17 * 60
  const root = o.units.find((u) => u.parentId === null) ?? null
  const receiver = (unit: Unit): Receiver => ({ unit, lateShare: lateShareOf(o.seed, unit), serial: 0 })
  const departments = o.units.filter((u) => u.type === 'department').map(receiver)
  const centreUnit = o.units.find((u) => u.type === 'centre')
  const centre = centreUnit ? receiver(centreUnit) : null
  const localities = o.units.filter((u) => u.type === 'locality').map(receiver)
  const byId = new Map([...departments, ...localities, ...(centre ? [centre] : [])].map((r) => [r.unit.id, r]))

  // Localities draw by size: wards of the cities (under an area) are busier than rural communes.
  const parentType = new Map(o.units.map((u) => [u.id, u.type]))
  const localityWeights = localities.map((l) => (0.6 + unitHash(o.seed, hashString(l.unit.id), 3)) * (l.unit.parentId && parentType.get(l.unit.parentId) === 'area' ? 1.4 : 1))
  const localityCumulative = cumulate(localityWeights)

  // Routes: who settles each procedure, and how often it is asked for.
  const routes: Route[] = []
  let total = 0
  for (const p of o.procedures) {
    const given = o.routes?.get(p.code)
    const named = given ? (byId.get(given.department) ?? (root ? byId.get(`${root.id}-${given.department}`) : undefined)) : undefined
    const fallback = departments.length ? departments[hashString(p.field) % departments.length]! : (centre ?? null)
    const department: Receiver | null = named ?? fallback
    let local = given ? given.local : unitHash(o.seed, hashString(p.code), 4) < 0.4
    if (local && localities.length === 0) local = false
    if (!local && department === null) local = localities.length > 0
    if (!local && department === null) continue // nobody to receive it
    const weight = given?.weight ?? 1
    total += weight
    routes.push({ procedure: p, department: local ? null : department, transferTo: local ? department : null, cumulative: total, onlineP: ONLINE_PULL[p.onlineLevel] ?? 0 })
  }
  // Scale each procedure's pull so that the demand-weighted online share is the target.
  const target = o.onlineShare ?? 0.45
  let pulled = 0
  let previous = 0
  for (const r of routes) {
    pulled += (r.cumulative - previous) * r.onlineP
    previous = r.cumulative
  }
  const scale = pulled > 0 ? (target * total) / pulled : 0
  for (const r of routes) r.onlineP = Math.min(0.97, r.onlineP * scale)
  const routeCumulative = routes.map((r) => r.cumulative)

  const receivers = { departments: departments.map((d) => d.unit.id), centre: centre?.unit.id ?? null, localities: localities.map((l) => l.unit.id) }

  /** The end of the working day containing `t` (appointments are given for a day, at its close). */
  const endOfDay = (t: number) => vnMidnight(vnDayNumber(t)) + lastPeriodEnd * MINUTE_MS

  function day(n: number): SimulatedDossier[] {
    if (routes.length === 0 || !cal.isWorkingDay(n)) return []
    const rng = mulberry32(hash32(o.seed, n, 0x0d05))
    const weekday = (((n + 4) % 7) + 7) % 7
    const count = Math.max(0, Math.round(o.perDay * (WEEKDAY_FACTOR[weekday] ?? 1) * (1 + DAILY_SPREAD * normal(rng))))
    for (const r of byId.values()) r.serial = 0
    const yymmdd = new Date(n * DAY_MS).toISOString().slice(2, 10).replaceAll('-', '')
    // submission instants, sorted: the morning period first, then the afternoon
    const starts: number[] = []
    const morning = cal.hours.periods.length > 1 ? (cal.hours.periods[0]![1] - cal.hours.periods[0]![0]) * MINUTE_MS : dayMs
    for (let i = 0; i < count; i++) {
      const offset = cal.hours.periods.length > 1 && rng() >= MORNING_SHARE ? morning + (dayMs - morning) * rng() : morning * rng()
      starts.push(cal.addWorkingMs(vnMidnight(n), Math.max(1000, offset)))
    }
    starts.sort((a, b) => a - b)
    const out: SimulatedDossier[] = []
    for (const t0 of starts) {
      const route = routes[pickIndex(routeCumulative, rng() * total)]!
      out.push(dossier(rng, route, t0, yymmdd))
    }
    return out
  }

  function dossier(rng: Rng, route: Route, t0: number, yymmdd: string): SimulatedDossier {
    const p = route.procedure
    const online = rng() < route.onlineP
    const channel: Channel = online ? 'online' : rng() < POST_SHARE ? 'post' : 'counter'
    // the receiving unit: the department (online, or at its desk), the centre on its behalf, or a locality
    let settler = route.department
    let at: Receiver
    if (settler === null) at = localities[pickIndex(localityCumulative, rng() * localityCumulative.at(-1)!)]!
    else at = !online && centre && rng() < CENTRE_SHARE ? centre : settler
    if (settler === null && route.transferTo && rng() < LOCAL_TRANSFER_SHARE) settler = route.transferTo
    const worker = (settler ?? at).unit.id
    const unitId = at.unit.id
    const id = `${unitId}-${yymmdd}-${String(++at.serial).padStart(4, '0')}`
    const events: DossierEvent[] = []
    const result: SimulatedDossier = { id, unitId, procedureCode: p.code, channel, events }
    const legalMs = p.legalDays * dayMs
    // work on it starts within the hour, or sooner for a procedure of half a day
    const soon = Math.max(MINUTE_MS, legalMs * 0.08)
    let e: DossierEvent

    let t = t0
    if (online) {
      e = push(events, id, 'registered', t)
      e.unitId = unitId
      e.procedureCode = p.code
      e.channel = channel
      t = after(cal, t, rng() < 0.7 ? between(rng, 10, 240) * MINUTE_MS : between(rng, 0.5, 1) * dayMs)
      if (rng() < REFUSED_SHARE) {
        push(events, id, 'refused', t).unitId = unitId
        return result
      }
    }
    const receivedAt = t
    const appointment = endOfDay(cal.addWorkingDays(receivedAt, p.legalDays))
    e = push(events, id, 'received', receivedAt)
    e.unitId = unitId
    e.procedureCode = p.code
    e.channel = channel
    e.appointmentAt = appointment
    e.digitized = rng() < DIGITIZED_SHARE
    e.reusedData = rng() < REUSED_SHARE
    if (settler && settler !== at) {
      t = after(cal, t, Math.min(between(rng, 5, 30) * MINUTE_MS, soon))
      e = push(events, id, 'transferred', t)
      e.unitId = unitId
      e.toUnitId = settler.unit.id
    }
    t = after(cal, t, Math.min(between(rng, 5, 60) * MINUTE_MS, soon))
    push(events, id, 'processing', t).unitId = worker

    // how it ends: withdrawn, stopped or abandoned by the citizen, late, or on time
    const fate = rng()
    const late = rng() < at.lateShare
    if (fate < WITHDRAWN_SHARE + STOPPED_SHARE) {
      push(events, id, fate < WITHDRAWN_SHARE ? 'withdrawn' : 'stopped', after(cal, t, legalMs * between(rng, 0.1, 0.6)))
      return result
    }
    if (fate < WITHDRAWN_SHARE + STOPPED_SHARE + ABANDONED_SHARE) {
      t = after(cal, t, legalMs * between(rng, 0.1, 0.4))
      push(events, id, 'supplement_requested', t)
      push(events, id, 'withdrawn', after(cal, t, between(rng, 5, 10) * dayMs))
      return result
    }
    const doubleSupplement = late && rng() < LATE_BY_SUPPLEMENTS
    const supplements = doubleSupplement ? 2 : rng() < ONE_SUPPLEMENT_SHARE ? 1 : 0
    let waited = 0
    for (let s = 0; s < supplements; s++) {
      const requested = after(cal, t, legalMs * between(rng, 0.1, 0.35))
      push(events, id, 'supplement_requested', requested)
      t = after(cal, requested, between(rng, 0.5, 4) * dayMs)
      push(events, id, 'supplement_received', t)
      waited += cal.workingMsBetween(requested, t)
    }
    if (p.hasFee) {
      const fee = FEES[Math.floor(rng() * FEES.length)]!
      t = after(cal, t, Math.min(between(rng, 5, 30) * MINUTE_MS, soon))
      push(events, id, 'payment_requested', t).fee = fee
      // fees are mostly paid at once; a financial obligation can take a day, but never most of the legal time
      const paying = rng() < 0.6 ? between(rng, 5, 120) * MINUTE_MS : between(rng, 0.3, 1.5) * dayMs
      t = after(cal, t, Math.min(paying, Math.max(5 * MINUTE_MS, legalMs * 0.25)))
      e = push(events, id, 'paid', t)
      e.online = rng() < PAID_ONLINE[channel]
      e.fee = fee
    }
    // the appointment moves by the time the dossier waited for the citizen
    const due = waited > 0 ? cal.addWorkingMs(appointment, waited) : appointment
    let processed: number
    if (late && !doubleSupplement) {
      // an overrun: done on a later day than the appointment
      processed = after(cal, endOfDay(Math.max(due, t)), between(rng, 0.05, 3) * dayMs)
      if (rng() < APOLOGY_SHARE) {
        // the apology slip goes out a few working hours before the appointment passes, with a new date
        const slip = after(cal, t, cal.workingMsBetween(t, due) - between(rng, 30, 240) * MINUTE_MS)
        if (slip < processed) {
          t = slip
          push(events, id, 'rescheduled', slip).appointmentAt = endOfDay(after(cal, processed, between(rng, 0, 1) * dayMs))
        }
      }
    } else {
      // most finish well ahead of time, the rest on the appointment day
      const used = rng() < 0.7 ? between(rng, 0.2, 0.8) : between(rng, 0.8, 1)
      processed = cal.addWorkingMs(receivedAt, used * legalMs + waited)
    }
    processed = Math.max(processed, after(cal, t, MINUTE_MS))
    push(events, id, 'processed', processed).unitId = worker
    const electronic = rng() < ELECTRONIC_RESULT[channel]
    const pickup = electronic
      ? between(rng, 1, 30) * MINUTE_MS
      : channel === 'post'
        ? between(rng, 1, 3) * dayMs
        : rng() < 0.5
          ? between(rng, 10, 240) * MINUTE_MS
          : between(rng, 0.5, 3) * dayMs
    e = push(events, id, 'result_returned', after(cal, processed, pickup))
    e.unitId = unitId
    e.electronicResult = electronic
    return result
  }

  return { day, receivers }
}

/** Appends an event (its time to the second) and returns it for its fields to be filled. */
function push(events: DossierEvent[], dossierId: string, event: DossierEventName, ts: number): DossierEvent {
  const e: DossierEvent = {
    dossierId,
    event,
    ts: Math.floor(ts / 1000) * 1000,
    unitId: null,
    procedureCode: null,
    channel: null,
    appointmentAt: null,
    toUnitId: null,
    online: null,
    electronicResult: null,
    fee: null,
    digitized: null,
    reusedData: null,
  }
  events.push(e)
  return e
}

/** The instant `ms` of working time after `t`; at least a minute, so a dossier's events never share an instant. */
function after(cal: WorkingCalendar, t: number, ms: number): number {
  return cal.addWorkingMs(t, Math.max(MINUTE_MS, ms))
}

function between(rng: Rng, a: number, b: number): number {
  return a + (b - a) * rng()
}

function cumulate(weights: readonly number[]): number[] {
  let sum = 0
  return weights.map((w) => (sum += w))
}

/** The index of the first cumulative value above `x` (binary search). */
function pickIndex(cumulative: readonly number[], x: number): number {
  let lo = 0
  let hi = cumulative.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (cumulative[mid]! > x) hi = mid
    else lo = mid + 1
  }
  return lo
}
