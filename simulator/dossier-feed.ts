// The dossier feed: publishes the dossier model's events (simulator/dossiers.ts) the way a provincial one-stop
// system does, to {root}/dossier/{systemId} in arrays (≤ 500 events and ≤ the payload limit each), QoS 1.
//
// Live: events are sent as simulated time reaches them (a timer tick sends what fell due since the last).
// History: the world starts SIM_DOSSIER_HISTORY_DAYS ago; at each start the feed compares, Vietnam day by day,
// the events the database holds from this system with the events the model says happened that day, and
// publishes the days holding fewer (ingest stores an event once, so a day sent again is harmless). A start cut
// off halfway therefore ends, after the next start, with full history; a complete one sends nothing again.
// Transport-free like the reading simulator: it calls `publish`; time and timers are injected.

import { DAY_MS, dateOfDayNumber, dossierEventJson, vnDayNumber, vnMidnight, type CalendarDay, type DossierEvent, type Procedure, type Unit } from '../contract/index.ts'
import type { Queryable } from '../db/database.ts'
import { loadCalendarDays, loadProcedures } from '../db/dossier-reference.ts'
import { loadUnits } from '../db/reference.ts'
import type { DossierModel } from './dossiers.ts'
import type { Publish } from './simulator.ts'

/** The one-stop system the simulator plays: `QN-MOTCUA` for the demo province. */
export function dossierSystemId(units: readonly Pick<Unit, 'id' | 'parentId'>[]): string {
  const root = units.find((u) => u.parentId === null)
  return root ? `${root.id}-MOTCUA` : 'MOTCUA'
}

// --- the events of a day ------------------------------------------------------------------------------------

/**
 * The model's events, Vietnam day by Vietnam day, in time order. A dossier's events never come before the day
 * it was submitted, so once the submissions of days up to n are generated, day n's events are all known; later
 * days' events wait in buckets. Days must be asked for in increasing order; memory holds only the events of
 * dossiers still open.
 */
export class DossierTimeline {
  private next: number
  private readonly buckets = new Map<number, DossierEvent[]>()

  /** `from`: the instant the simulated world starts; dossiers submitted before it do not exist. */
  constructor(
    private readonly model: DossierModel,
    private readonly from: number,
  ) {
    this.next = vnDayNumber(from)
  }

  /** Events on Vietnam day `n` (days since 1970-01-01), in time order. */
  eventsOn(n: number): DossierEvent[] {
    for (; this.next <= n; this.next++) {
      for (const d of this.model.day(this.next)) {
        if (d.events[0]!.ts < this.from) continue
        for (const e of d.events) {
          const day = vnDayNumber(e.ts)
          let bucket = this.buckets.get(day)
          if (!bucket) this.buckets.set(day, (bucket = []))
          bucket.push(e)
        }
      }
    }
    const events = this.buckets.get(n) ?? []
    this.buckets.delete(n)
    // a dossier's own events are in order already; sort interleaves the dossiers (stable, so ties keep theirs)
    return events.sort((a, b) => a.ts - b.ts)
  }
}

// --- what the database holds ---------------------------------------------------------------------------------

/** What the simulator needs to resume the dossier history: the window, and the events stored per Vietnam day. */
export interface DossierHistoryRequest {
  /** Days of history (0: the world starts now). */
  days: number
  /** The instant the simulated world starts: midnight `days` days ago, or now. */
  from: number
  /** YYYY-MM-DD (Vietnam) → events of this system stored on that day. */
  stored: Record<string, number>
}

/** Events of `systemId` stored per Vietnam day from `from` on. */
export async function readDossierCoverage(db: Queryable, systemId: string, from: number): Promise<Record<string, number>> {
  const r = await db.query<{ day: string; n: number }>(
    `SELECT to_char(ts AT TIME ZONE 'UTC' + INTERVAL '7 hours', 'YYYY-MM-DD') AS day, count(*)::int AS n
     FROM dossier_events WHERE system_id = $1 AND ts >= to_timestamp($2 / 1000.0) GROUP BY 1`,
    [systemId, from],
  )
  return Object.fromEntries(r.rows.map((x) => [x.day, x.n]))
}

/** The history window for `days` ending now, capped where ingest would refuse events as too old (DOSSIER_MAX_AGE). */
export function dossierHistoryWindow(days: number, maxAgeMs: number, now: number): { days: number; from: number } {
  const capped = Math.max(0, Math.min(Math.floor(days), Math.floor(maxAgeMs / DAY_MS) - 1))
  return { days: capped, from: capped > 0 ? vnMidnight(vnDayNumber(now) - capped) : now }
}

/** Reads what the window holds, for the simulator (the all-in-one passes it to its child process). */
export async function dossierHistoryPlan(db: Queryable, systemId: string, days: number, maxAgeMs: number, now: number): Promise<DossierHistoryRequest> {
  const w = dossierHistoryWindow(days, maxAgeMs, now)
  return { days: w.days, from: w.from, stored: w.days > 0 ? await readDossierCoverage(db, systemId, w.from) : {} }
}

/** Everything the simulator's dossier feed starts from: the reference data it draws dossiers for, and the history window. */
export interface DossierStart {
  systemId: string
  /** The unit tree, without boundaries (dossiers need none). */
  units: Unit[]
  procedures: Procedure[]
  /** The working-day calendar's exceptions as stored (holidays, with overrides applied). */
  calendar: CalendarDay[]
  history: DossierHistoryRequest
}

/** Reads the dossier feed's start from the database (the all-in-one reads it for its child process). */
export async function dossierStart(db: Queryable, o: { historyDays: number; maxAgeMs: number; now: number }): Promise<DossierStart> {
  const units = (await loadUnits(db)).map((u) => ({ ...u, geometry: null }))
  const systemId = dossierSystemId(units)
  return {
    systemId,
    units,
    procedures: await loadProcedures(db),
    calendar: await loadCalendarDays(db),
    history: await dossierHistoryPlan(db, systemId, o.historyDays, o.maxAgeMs, o.now),
  }
}

// --- publishing -----------------------------------------------------------------------------------------------

export interface DossierFeedOptions {
  model: DossierModel
  /** The instant the simulated world starts (dossierHistoryWindow's `from`). */
  from: number
  /** `{root}/dossier/{systemId}`. */
  topic: string
  publish: Publish
  /** Clock, epoch ms. Default `Date.now`. */
  now?: () => number
  /** Events per message at most (the contract allows 1,000). Default 500. */
  maxEvents?: number
  /** Bytes per message at most: stay under ingest's payload limit. Default 60,000. */
  maxBytes?: number
  /** Live timer period, ms. Default 1000. */
  tickMs?: number
  /** Most history messages awaiting their acknowledgement (QoS 1: the embedded broker acks after commit). Default 1. */
  backfillConcurrency?: number
  /**
   * Share of the time history may keep ingest busy, 0–1. After a message is acknowledged the feed waits
   * (1 / duty − 1) times as long as the acknowledgement took, so live readings and events still get through
   * a slow store (the embedded database). Default 0.5; 1 sends as fast as acknowledgements come.
   */
  backfillDuty?: number
  /** Waits `ms`; default a timer. */
  sleep?: (ms: number) => Promise<void>
  setInterval?: (fn: () => void, ms: number) => unknown
  clearInterval?: (handle: unknown) => void
}

export interface DossierFeedStats {
  /** Live events and messages handed to `publish`. */
  sent: number
  messages: number
  /** History events published. */
  backfilled: number
  /** Publishes that threw or rejected. */
  publishErrors: number
}

export interface DossierBackfillResult {
  /** History events and messages published. */
  published: number
  messages: number
  /** Days with events in the window, and how many of them were already complete. */
  days: number
  complete: number
}

export interface DossierFeed {
  /** Starts publishing live from now on. */
  start(): void
  /** Stops the timer and any backfill, then waits for every publish in flight. */
  stop(): Promise<void>
  stats(): DossierFeedStats
  /** Publishes the days before `until` holding fewer events than the model says (`stored`); `publish` overrides the feed's (a paced one). */
  backfill(o: { until: number; stored: Record<string, number>; publish?: Publish }): Promise<DossierBackfillResult>
}

const DEFAULT_MAX_EVENTS = 500
const DEFAULT_MAX_BYTES = 60_000

export function createDossierFeed(o: DossierFeedOptions): DossierFeed {
  const now = o.now ?? Date.now
  const maxEvents = o.maxEvents ?? DEFAULT_MAX_EVENTS
  const maxBytes = o.maxBytes ?? DEFAULT_MAX_BYTES
  const concurrency = o.backfillConcurrency ?? 1
  const duty = o.backfillDuty ?? 0.5
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  if (!(duty > 0 && duty <= 1)) throw new Error(`dossierFeed.backfillDuty: expected a share in (0, 1], got ${duty}`)
  if (!(maxEvents >= 1 && maxEvents <= 1000)) throw new Error(`dossierFeed.maxEvents: expected 1–1000 (the contract's limit), got ${maxEvents}`)
  const stats: DossierFeedStats = { sent: 0, messages: 0, backfilled: 0, publishErrors: 0 }
  const pending = new Set<Promise<void>>()
  let timer: unknown = null
  let generation = 0 // bumped by stop(); a backfill started before it ends early
  let live: { timeline: DossierTimeline; day: number; queue: DossierEvent[]; next: number } | null = null

  /** Calls publish; a promise settling (never rejecting) when it is done. */
  function send(publish: Publish, payload: string): Promise<void> {
    let result: Promise<void> | void
    try {
      result = publish(o.topic, payload)
    } catch {
      stats.publishErrors++
      return Promise.resolve()
    }
    const settled = Promise.resolve(result).then(
      () => undefined,
      () => {
        stats.publishErrors++
      },
    )
    const tracked = settled.then(() => {
      pending.delete(tracked)
    })
    pending.add(tracked)
    return tracked
  }

  function tick(): void {
    if (!live) return
    const t = now()
    const due: DossierEvent[] = []
    for (;;) {
      while (live.next < live.queue.length && live.queue[live.next]!.ts <= t) due.push(live.queue[live.next++]!)
      if (vnDayNumber(t) <= live.day) break
      // a new day: whatever is left of the old one is past
      due.push(...live.queue.slice(live.next))
      live.day++
      live.queue = live.timeline.eventsOn(live.day)
      live.next = 0
    }
    for (const payload of messages(due, maxEvents, maxBytes)) {
      stats.messages++
      void send(o.publish, payload)
    }
    stats.sent += due.length
  }

  async function backfill({ until, stored, publish = o.publish }: { until: number; stored: Record<string, number>; publish?: Publish }): Promise<DossierBackfillResult> {
    const born = generation
    const timeline = new DossierTimeline(o.model, o.from)
    const result: DossierBackfillResult = { published: 0, messages: 0, days: 0, complete: 0 }
    const mine = new Set<Promise<void>>()
    for (let n = vnDayNumber(o.from); n <= vnDayNumber(until) && generation === born; n++) {
      const events = timeline.eventsOn(n).filter((e) => e.ts < until)
      if (events.length === 0) continue
      result.days++
      if ((stored[dateOfDayNumber(n)] ?? 0) >= events.length) {
        result.complete++
        continue
      }
      for (const payload of messages(events, maxEvents, maxBytes)) {
        while (mine.size >= concurrency) await Promise.race(mine)
        if (generation !== born) break
        const sentAt = Date.now()
        const inFlight = send(publish, payload).then(async () => {
          const took = Date.now() - sentAt
          if (duty < 1 && took > 0) await sleep(took * (1 / duty - 1))
        })
        mine.add(inFlight)
        void inFlight.then(() => mine.delete(inFlight))
        result.messages++
      }
      result.published += events.length
      stats.backfilled += events.length
      // let live publishing and the rest of the process breathe between days
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
    await Promise.all(mine)
    return result
  }

  return {
    start() {
      if (timer !== null) return
      const startedAt = now()
      const timeline = new DossierTimeline(o.model, o.from)
      const day = vnDayNumber(startedAt)
      const queue = timeline.eventsOn(day)
      // what happened before now is history (backfill's); live starts with the first event after it
      let next = 0
      while (next < queue.length && queue[next]!.ts < startedAt) next++
      live = { timeline, day, queue, next }
      const set = o.setInterval ?? ((fn: () => void, ms: number) => setInterval(fn, ms))
      timer = set(tick, o.tickMs ?? 1000)
    },
    async stop() {
      generation++
      if (timer !== null) {
        const clear = o.clearInterval ?? ((handle: unknown) => clearInterval(handle as ReturnType<typeof setInterval>))
        clear(timer)
        timer = null
      }
      live = null
      while (pending.size > 0) await Promise.all(pending)
    },
    stats: () => ({ ...stats }),
    backfill,
  }
}

/** Events as JSON arrays of at most `maxEvents` events and `maxBytes` bytes each. */
export function messages(events: readonly DossierEvent[], maxEvents: number, maxBytes: number): string[] {
  const out: string[] = []
  let batch: string[] = []
  let bytes = 2 // the brackets
  for (const e of events) {
    const json = JSON.stringify(dossierEventJson(e))
    const size = Buffer.byteLength(json) + 1 // and its comma
    if (batch.length > 0 && (batch.length >= maxEvents || bytes + size > maxBytes)) {
      out.push(`[${batch.join(',')}]`)
      batch = []
      bytes = 2
    }
    batch.push(json)
    bytes += size
  }
  if (batch.length) out.push(`[${batch.join(',')}]`)
  return out
}
