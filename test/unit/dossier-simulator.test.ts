// The simulated one-stop system: the dossier model over the demo province (volume, channels, working hours,
// valid lifecycles, how units perform) and the feed that publishes it live and as resumable history.
import { beforeAll, describe, expect, it } from 'vitest'
import {
  DEFAULT_WORKING_HOURS,
  MAX_EVENTS_PER_MESSAGE,
  WorkingCalendar,
  dateOfDayNumber,
  dayNumberOf,
  deriveFacts,
  impossibleEvent,
  parseDossierPayload,
  stateAt,
  vnDayNumber,
  vnMidnight,
  type DossierEvent,
  type IngestLimits,
  type Procedure,
  type Unit,
} from '../../contract/index.ts'
import { vietnamHolidays } from '../../contract/shared/holidays.ts'
import { readDemoFiles } from '../../db/seed/demo-files.ts'
import { generateDemoProcedures } from '../../db/seed/procedures.ts'
import { DossierTimeline, createDossierFeed, dossierHistoryWindow, dossierSystemId, messages } from '../../simulator/dossier-feed.ts'
import { createDossierModel, type DossierModel, type SimulatedDossier } from '../../simulator/dossiers.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const calendar = new WorkingCalendar(DEFAULT_WORKING_HOURS, vietnamHolidays([2025, 2026]))
const generous: IngestLimits = { maxPayloadBytes: 1 << 20, maxAgeMs: 3650 * DAY, maxFutureMs: HOUR }

let units: Unit[]
let procedures: Procedure[]
let model: DossierModel
/** Six weeks around Tết 2026 (17 February): 26 January – 13 March. */
const FIRST = dayNumberOf('2026-01-26')
const LAST = dayNumberOf('2026-03-13')
const days: { n: number; dossiers: SimulatedDossier[] }[] = []
let all: SimulatedDossier[]

const makeModel = (seed = 1459, perDay = 1300) => createDossierModel({ seed, units, procedures, calendar, perDay, routes: generateDemoProcedures().routes })

beforeAll(async () => {
  ;({ units, procedures } = await readDemoFiles())
  model = makeModel()
  for (let n = FIRST; n <= LAST; n++) days.push({ n, dossiers: model.day(n) })
  all = days.flatMap((d) => d.dossiers)
})

const typeOf = (id: string) => units.find((u) => u.id === id)!.type
const minuteOfDay = (ts: number) => ((ts + 7 * HOUR) % DAY) / 60_000

describe('dossier model', () => {
  it('submits ~SIM_DOSSIERS_PER_DAY dossiers per working day (±10% over the weeks, ±30% any day)', () => {
    const working = days.filter((d) => calendar.isWorkingDay(d.n))
    expect(working.length).toBeGreaterThanOrEqual(28)
    const mean = working.reduce((s, d) => s + d.dossiers.length, 0) / working.length
    expect(mean).toBeGreaterThan(1300 * 0.9)
    expect(mean).toBeLessThan(1300 * 1.1)
    for (const d of working) expect(d.dossiers.length, dateOfDayNumber(d.n)).toSatisfy((n: number) => n > 1300 * 0.7 && n < 1300 * 1.3)
  })

  it('submits nothing on weekends and public holidays (Tết included)', () => {
    const off = days.filter((d) => !calendar.isWorkingDay(d.n))
    expect(off.map((d) => dateOfDayNumber(d.n))).toContain('2026-02-17') // Mùng 1 Tết
    for (const d of off) expect(d.dossiers, dateOfDayNumber(d.n)).toEqual([])
  })

  it('takes ~45% of dossiers online (±5 points), a few by post, the rest at the counter', () => {
    const share = (c: string) => all.filter((d) => d.channel === c).length / all.length
    expect(share('online')).toBeGreaterThan(0.4)
    expect(share('online')).toBeLessThan(0.5)
    expect(share('post')).toBeGreaterThan(0.005)
    expect(share('post')).toBeLessThan(0.05)
  })

  // Hundreds of thousands of events: each test collects what is wrong and expects the list empty.
  it('puts every event within working hours (07:30–11:30, 13:00–17:00) of a working day', () => {
    const wrong: string[] = []
    for (const d of all) {
      for (const e of d.events) {
        const m = minuteOfDay(e.ts)
        if (!((m >= 450 && m <= 690) || (m >= 780 && m <= 1020))) wrong.push(`${d.id} ${e.event} at minute ${m}`)
        if (!calendar.isWorkingDay(vnDayNumber(e.ts))) wrong.push(`${d.id} ${e.event} on ${dateOfDayNumber(vnDayNumber(e.ts))}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('writes lifecycles the rules accept: strictly ordered, never an impossible event', () => {
    const wrong: string[] = []
    for (const d of all) {
      d.events.forEach((e, i) => {
        if (i > 0 && e.ts <= d.events[i - 1]!.ts) wrong.push(`${d.id} ${e.event}: not after ${d.events[i - 1]!.event}`)
        const why = impossibleEvent(e, d.events.slice(0, i))
        if (why) wrong.push(`${d.id} ${e.event}: ${why}`)
        if (e.dossierId !== d.id) wrong.push(`${d.id} ${e.event}: carries ${e.dossierId}`)
      })
    }
    expect(wrong).toEqual([])
  })

  it('runs registered (online) → received → processing → … → processed → result returned', () => {
    const wrong: string[] = []
    for (const d of all) {
      const n = d.events.map((e) => e.event)
      const says = `${d.id} (${d.channel}): ${n.join(' → ')}`
      if (n.includes('refused')) {
        if (n.join() !== 'registered,refused') wrong.push(says)
        continue
      }
      const opening = d.channel === 'online' ? 'registered,received' : 'received'
      if (n.slice(0, d.channel === 'online' ? 2 : 1).join() !== opening || !n.includes('processing')) wrong.push(says)
      else if (!n.includes('withdrawn') && !n.includes('stopped') && n.slice(-2).join() !== 'processed,result_returned') wrong.push(says)
    }
    expect(wrong).toEqual([])
  })

  it('gives each receipt an appointment at the close of the day the legal time ends', () => {
    const legal = new Map(procedures.map((p) => [p.code, p.legalDays]))
    for (const d of all.slice(0, 2000)) {
      const received = d.events.find((e) => e.event === 'received')
      if (!received) continue
      const end = calendar.addWorkingDays(received.ts, legal.get(d.procedureCode)!)
      expect(received.appointmentAt).toBe(vnMidnight(vnDayNumber(end)) + 17 * HOUR)
      expect(received).toMatchObject({ unitId: d.unitId, procedureCode: d.procedureCode, channel: d.channel })
    }
  })

  it('has the variety leaders watch: supplements (some twice), payments online and at the counter, transfers, apologies, withdrawals, electronic results, digitised files', () => {
    const events = all.flatMap((d) => d.events)
    const count = (f: (e: DossierEvent) => boolean) => events.filter(f).length
    const twice = all.filter((d) => d.events.filter((e) => e.event === 'supplement_requested').length === 2).length
    expect(count((e) => e.event === 'supplement_requested')).toBeGreaterThan(all.length * 0.04)
    expect(twice).toBeGreaterThan(all.length * 0.002)
    expect(count((e) => e.event === 'paid' && e.online === true)).toBeGreaterThan(all.length * 0.1)
    expect(count((e) => e.event === 'paid' && e.online === false)).toBeGreaterThan(all.length * 0.1)
    expect(count((e) => e.event === 'payment_requested' && (e.fee ?? 0) > 0)).toBe(count((e) => e.event === 'paid'))
    expect(count((e) => e.event === 'transferred' && e.toUnitId !== null)).toBeGreaterThan(all.length * 0.05)
    expect(count((e) => e.event === 'rescheduled' && e.appointmentAt !== null)).toBeGreaterThan(all.length * 0.01)
    expect(count((e) => e.event === 'withdrawn')).toBeGreaterThan(0)
    const received = events.filter((e) => e.event === 'received')
    expect(received.filter((e) => e.digitized).length / received.length).toSatisfy((x: number) => x > 0.75 && x < 0.9)
    const returned = events.filter((e) => e.event === 'result_returned')
    expect(returned.filter((e) => e.electronicResult).length / returned.length).toSatisfy((x: number) => x > 0.3 && x < 0.8)
  })

  it('receives at departments, the provincial centre and localities, each dossier at one of the units', () => {
    const byType: Record<string, number> = {}
    for (const d of all) byType[typeOf(d.unitId)] = (byType[typeOf(d.unitId)] ?? 0) + 1
    expect(Object.keys(byType).sort()).toEqual(['centre', 'department', 'locality'])
    expect(byType.locality! / all.length).toBeGreaterThan(0.3)
    expect(byType.department! / all.length).toBeGreaterThan(0.25)
    expect(byType.centre! / all.length).toBeGreaterThan(0.05)
    expect(new Set(all.map((d) => d.id)).size).toBe(all.length)
  })

  it('keeps the provincial centre ~97% on time and lets some localities lag', () => {
    const legal = new Map(procedures.map((p) => [p.code, p.legalDays]))
    const judged = new Map<string, { done: number; onTime: number }>()
    const T = Date.parse('2026-12-31T00:00:00+07:00')
    for (const d of all) {
      const s = stateAt(deriveFacts(d.id, d.events), T, { calendar, legalDays: legal.get(d.procedureCode)!, dueSoonMs: calendar.dayMs })
      if (s.status !== 'done') continue
      const u = judged.get(d.unitId) ?? { done: 0, onTime: 0 }
      u.done++
      if (s.judgement !== 'late') u.onTime++
      judged.set(d.unitId, u)
    }
    const rate = (ids: string[]) => {
      const sum = ids.reduce((a, id) => ({ done: a.done + (judged.get(id)?.done ?? 0), onTime: a.onTime + (judged.get(id)?.onTime ?? 0) }), { done: 0, onTime: 0 })
      return sum.onTime / sum.done
    }
    expect(rate(['QN-TTPVHCC'])).toBeGreaterThan(0.95)
    expect(rate(units.filter((u) => u.type === 'department').map((u) => u.id))).toBeGreaterThan(0.9)
    const localities = units.filter((u) => u.type === 'locality' && (judged.get(u.id)?.done ?? 0) > 100).map((u) => rate([u.id]))
    expect(Math.min(...localities)).toBeLessThan(0.88)
    expect(Math.max(...localities)).toBeGreaterThan(0.95)
  })

  it('is reproducible: the same seed gives the same dossiers whatever order days are asked in, another seed others', () => {
    const again = makeModel()
    const n = dayNumberOf('2026-03-04')
    again.day(n + 1)
    expect(again.day(n)).toEqual(model.day(n))
    const starts = (m: DossierModel) => m.day(n).map((d) => d.events[0]!.ts)
    expect(starts(makeModel(7))).not.toEqual(starts(model))
  })

  it('routes a city’s own procedures (no demo routes) to its departments and localities by field', () => {
    const own = createDossierModel({ seed: 1, units, procedures: procedures.map((p) => ({ ...p, code: `X-${p.code}` })), calendar, perDay: 200 })
    const dossiers = own.day(dayNumberOf('2026-03-04'))
    expect(dossiers.length).toBeGreaterThan(150)
    expect(new Set(dossiers.map((d) => typeOf(d.unitId)))).toEqual(new Set(['department', 'locality', 'centre']))
  })

  it('submits nothing when there is nobody to receive dossiers', () => {
    const bare = createDossierModel({ seed: 1, units: units.filter((u) => u.type === 'province'), procedures, calendar, perDay: 100 })
    expect(bare.day(dayNumberOf('2026-03-04'))).toEqual([])
  })
})

describe('dossier timeline', () => {
  it('hands out each day’s events, in time order, exactly once, beginning with the world', () => {
    const from = vnMidnight(FIRST)
    const timeline = new DossierTimeline(model, from)
    const byDay = new Map<number, number>()
    for (const d of all) for (const e of d.events) byDay.set(vnDayNumber(e.ts), (byDay.get(vnDayNumber(e.ts)) ?? 0) + 1)
    const wrong: string[] = []
    for (let n = FIRST; n <= LAST; n++) {
      const events = timeline.eventsOn(n)
      if (events.length !== (byDay.get(n) ?? 0)) wrong.push(`${dateOfDayNumber(n)}: ${events.length} events, not ${byDay.get(n) ?? 0}`)
      if (events.some((e, i) => vnDayNumber(e.ts) !== n || (i > 0 && e.ts < events[i - 1]!.ts))) wrong.push(`${dateOfDayNumber(n)}: out of order or of another day`)
    }
    expect(wrong).toEqual([])
  })

  it('leaves out dossiers submitted before the world starts', () => {
    const start = Date.parse('2026-03-04T10:00:00+07:00')
    const events = new DossierTimeline(model, start).eventsOn(vnDayNumber(start))
    const firstOf = new Map<string, number>()
    for (const e of events) if (!firstOf.has(e.dossierId)) firstOf.set(e.dossierId, e.ts)
    expect(events.length).toBeGreaterThan(0)
    for (const ts of firstOf.values()) expect(ts).toBeGreaterThanOrEqual(start)
  })
})

describe('dossier feed', () => {
  const topic = 'ioc/v1/dossier/QN-MOTCUA'

  it('names its one-stop system after the province', () => {
    expect(dossierSystemId(units)).toBe('QN-MOTCUA')
  })

  it('caps the history window where ingest would refuse events as too old', () => {
    const now = Date.parse('2026-03-04T10:00:00+07:00')
    expect(dossierHistoryWindow(90, 400 * DAY, now)).toEqual({ days: 90, from: vnMidnight(vnDayNumber(now) - 90) })
    expect(dossierHistoryWindow(90, 30 * DAY, now).days).toBe(29)
    expect(dossierHistoryWindow(0, 400 * DAY, now)).toEqual({ days: 0, from: now })
  })

  it('packs events into arrays within the event and byte limits, which ingest parses whole', () => {
    const events = all.slice(0, 400).flatMap((d) => d.events)
    const out = messages(events, 500, 20_000)
    expect(out.length).toBeGreaterThan(events.length / 500)
    let parsed = 0
    for (const m of out) {
      const bytes = Buffer.from(m)
      expect(bytes.byteLength).toBeLessThanOrEqual(20_000)
      const r = parseDossierPayload('QN-MOTCUA', bytes, Date.parse('2026-03-20T00:00:00Z'), generous)
      expect(r.problems).toEqual([])
      expect(r.value!.rejected).toEqual([])
      expect(r.value!.events.length).toBeLessThanOrEqual(Math.min(500, MAX_EVENTS_PER_MESSAGE))
      parsed += r.value!.events.length
    }
    expect(parsed).toBe(events.length)
    // what ingest reads back is what the model wrote
    const first = JSON.parse(out[0]!)[0]
    expect(parseDossierPayload('QN-MOTCUA', Buffer.from(JSON.stringify(first)), Date.parse('2026-03-20T00:00:00Z'), generous).value!.events[0]).toEqual(events[0])
  })

  it('publishes live the events that fall due as time passes, and nothing before it started', async () => {
    let clock = Date.parse('2026-03-04T09:00:00+07:00')
    let tick: () => void = () => {}
    const sent: DossierEvent[] = []
    const feed = createDossierFeed({
      model,
      from: vnMidnight(vnDayNumber(clock) - 40),
      topic,
      publish: (t, payload) => {
        expect(t).toBe(topic)
        sent.push(...parseDossierPayload('QN-MOTCUA', Buffer.from(payload), clock, generous).value!.events)
      },
      now: () => clock,
      setInterval: (fn) => ((tick = fn), 1),
      clearInterval: () => {},
    })
    const started = clock
    feed.start()
    clock += 2 * HOUR
    tick()
    const expected = new DossierTimeline(model, vnMidnight(vnDayNumber(started) - 40)).eventsOn(vnDayNumber(started)).filter((e) => e.ts >= started && e.ts <= clock)
    expect(expected.length).toBeGreaterThan(500)
    expect(sent).toEqual(expected)
    // over the night and into the next day: the rest of today, then tomorrow morning's
    clock = Date.parse('2026-03-05T08:00:00+07:00')
    tick()
    expect(sent.at(-1)!.ts).toBeLessThanOrEqual(clock)
    expect(sent.some((e) => vnDayNumber(e.ts) === vnDayNumber(clock))).toBe(true)
    expect(new Set(sent.map((e) => `${e.dossierId} ${e.event} ${e.ts}`)).size).toBe(sent.length)
    expect(feed.stats().sent).toBe(sent.length)
    await feed.stop()
  })

  it('publishes as history only the days the database holds too few events for, before `until`', async () => {
    const from = vnMidnight(dayNumberOf('2026-03-02'))
    const until = Date.parse('2026-03-06T10:00:00+07:00')
    const timeline = new DossierTimeline(model, from)
    const perDay = new Map<string, number>()
    for (let n = dayNumberOf('2026-03-02'); n <= dayNumberOf('2026-03-06'); n++) perDay.set(dateOfDayNumber(n), timeline.eventsOn(n).filter((e) => e.ts < until).length)
    // 2 and 4 March complete, 3 March half stored, 5 and 6 March missing
    const stored = { '2026-03-02': perDay.get('2026-03-02')!, '2026-03-03': Math.floor(perDay.get('2026-03-03')! / 2), '2026-03-04': perDay.get('2026-03-04')! + 5 }
    const sent: DossierEvent[] = []
    let inFlight = 0
    let most = 0
    const waits: number[] = []
    const feed = createDossierFeed({ model, from, topic, publish: () => {}, backfillConcurrency: 2, backfillDuty: 0.25, sleep: async (ms) => void waits.push(ms) })
    const r = await feed.backfill({
      until,
      stored,
      publish: async (_t, payload) => {
        most = Math.max(most, ++inFlight)
        await new Promise((resolve) => setTimeout(resolve, 1))
        sent.push(...parseDossierPayload('QN-MOTCUA', Buffer.from(payload), until, generous).value!.events)
        inFlight--
      },
    })
    expect(most).toBeLessThanOrEqual(2)
    const days = new Set(sent.map((e) => dateOfDayNumber(vnDayNumber(e.ts))))
    expect([...days].sort()).toEqual(['2026-03-03', '2026-03-05', '2026-03-06'])
    expect(sent.length).toBe(perDay.get('2026-03-03')! + perDay.get('2026-03-05')! + perDay.get('2026-03-06')!)
    expect(sent.every((e) => e.ts < until)).toBe(true)
    expect(r).toMatchObject({ published: sent.length, days: 5, complete: 2 })
    // at a duty of 1/4, each acknowledged message is followed by a pause three times as long as it took
    expect(waits).toHaveLength(r.messages)
    expect(waits.every((ms) => ms >= 3)).toBe(true)
    // a second start with everything stored sends nothing
    const again: string[] = []
    const complete = Object.fromEntries(perDay)
    expect(await feed.backfill({ until, stored: complete, publish: (_t, p) => void again.push(p) })).toMatchObject({ published: 0, messages: 0, complete: 5 })
    expect(again).toEqual([])
  })

  it('stops a backfill under way', async () => {
    const from = vnMidnight(dayNumberOf('2026-03-02'))
    let messagesSent = 0
    const feed = createDossierFeed({ model, from, topic, publish: () => {}, maxEvents: 50 })
    const running = feed.backfill({
      until: Date.parse('2026-03-13T17:00:00+07:00'),
      stored: {},
      publish: async () => {
        if (++messagesSent === 3) void feed.stop()
        await new Promise((resolve) => setTimeout(resolve, 1))
      },
    })
    const r = await running
    expect(messagesSent).toBeLessThan(10)
    expect(r.messages).toBeLessThan(10)
  })
})
