// A citizen report's state machine and its working-hour deadlines: every transition outside the table is
// refused with the states it is allowed from, and deadlines skip nights, weekends and holidays.
import { describe, expect, it } from 'vitest'
import { REPORT_ACTIONS, REPORT_STATES, open311Status, transition, type ReportAction, type ReportActor, type ReportState } from '../../contract/reports/lifecycle.ts'
import { liveReportFrame, parseLiveReportFrame } from '../../contract/reports/live.ts'
import { DEFAULT_SLA, DEFAULT_SLA_POLICY, deadlines, outcome, parseSlaPolicy, slaStateAt, type SlaTimes } from '../../contract/reports/sla.ts'
import { DEFAULT_WORKING_HOURS, WorkingCalendar } from '../../contract/shared/calendar.ts'
import { vietnamHolidays } from '../../contract/shared/holidays.ts'

const ACTORS: ReportActor[] = ['dispatcher', 'agency', 'citizen']
const at = (iso: string) => Date.parse(`${iso}+07:00`)
const iso = (ms: number | null) => (ms === null ? null : new Date(ms + 7 * 3_600_000).toISOString().slice(0, 16))
const calendar = new WorkingCalendar(DEFAULT_WORKING_HOURS, vietnamHolidays([2026]))

describe('the report state machine', () => {
  it('allows exactly the transitions of the table, to its actor, and refuses every other one with a reason', () => {
    let allowed = 0
    for (const state of REPORT_STATES) {
      for (const action of Object.keys(REPORT_ACTIONS) as ReportAction[]) {
        for (const actor of ACTORS) {
          // extensions and reopening need their own situation; checked below
          const situation = { state, extensionPending: action === 'approve_extension' || action === 'refuse_extension', satisfied: action === 'reopen' ? false : null }
          const r = transition(situation, action, actor)
          const rule = REPORT_ACTIONS[action]
          const expected = rule.by === actor && (rule.from as readonly ReportState[]).includes(state)
          expect(r.ok, `${actor} ${action} from ${state}`).toBe(expected)
          if (r.ok) {
            allowed++
            expect(r.to).toBe(rule.to ?? state)
          } else {
            expect(r.reason).toMatch(new RegExp(`^${action}: (only the ${rule.by}|not from '${state}')`))
          }
        }
      }
    }
    expect(allowed).toBe(Object.values(REPORT_ACTIONS).reduce((n, r) => n + r.from.length, 0))
  })

  it('walks the main path from a new report to a citizen’s rating', () => {
    const steps: [ReportAction, ReportActor, ReportState][] = [
      ['classify', 'dispatcher', 'classified'],
      ['forward', 'dispatcher', 'forwarded'],
      ['accept', 'agency', 'accepted'],
      ['start', 'agency', 'in_progress'],
      ['resolve', 'agency', 'resolved'],
      ['publish', 'dispatcher', 'published'],
      ['rate', 'citizen', 'rated'],
    ]
    let state: ReportState = 'new'
    for (const [action, actor, to] of steps) {
      const r = transition({ state, extensionPending: false, satisfied: null }, action, actor)
      expect(r).toEqual({ ok: true, to })
      state = to
    }
    expect(open311Status(state)).toBe('closed')
  })

  it('answers an extension request once, and reopens only a report rated not satisfied', () => {
    expect(transition({ state: 'accepted', extensionPending: true, satisfied: null }, 'request_extension', 'agency')).toMatchObject({ ok: false, reason: /already waiting/ })
    expect(transition({ state: 'accepted', extensionPending: false, satisfied: null }, 'approve_extension', 'dispatcher')).toMatchObject({ ok: false, reason: /no extension request/ })
    expect(transition({ state: 'rated', extensionPending: false, satisfied: true }, 'reopen', 'dispatcher')).toMatchObject({ ok: false, reason: /not satisfied/ })
    expect(transition({ state: 'rated', extensionPending: false, satisfied: false }, 'reopen', 'dispatcher')).toEqual({ ok: true, to: 'reopened' })
  })

  it('maps every internal state to Open311 open or closed', () => {
    expect(REPORT_STATES.filter((s) => open311Status(s) === 'open')).toEqual(['new', 'classified', 'forwarded', 'accepted', 'in_progress', 'returned', 'reopened'])
  })
})

describe('report deadlines in working hours', () => {
  const times = (over: Partial<SlaTimes>): SlaTimes => ({ level: 'normal', category: null, forwardedAt: null, acceptedAt: null, resolvedAt: null, extendedUntil: null, ...over })

  it('gives 8 working hours to accept across a weekend: forwarded Friday 15:00, accept by Monday 15:00', () => {
    const d = deadlines(times({ forwardedAt: at('2026-03-06T15:00:00') }), DEFAULT_SLA_POLICY, calendar)
    expect(iso(d.acceptBy)).toBe('2026-03-09T15:00')
  })

  it('gives an urgent report 4 working hours after acceptance, skipping the lunch break', () => {
    const d = deadlines(times({ level: 'urgent', forwardedAt: at('2026-03-10T08:00:00'), acceptedAt: at('2026-03-10T09:30:00') }), DEFAULT_SLA_POLICY, calendar)
    // 09:30–11:30 is 2 h, then 13:00–15:00
    expect(iso(d.resolveBy)).toBe('2026-03-10T15:00')
  })

  it('skips the Hùng Kings holiday and its day off in lieu for a normal report (15 working days)', () => {
    // accepted Thu 16 April 2026 at 08:00; 26 April (Sunday) is the holiday, Monday 27 the day off in lieu,
    // 30 April and 1 May are holidays. 120 working hours: Thu 16 from 08:00 gives 7.5, then 14 full days to
    // Mon 11 May (119.5), and the last half hour is Tue 12 May 07:30–08:00
    const d = deadlines(times({ acceptedAt: at('2026-04-16T08:00:00'), forwardedAt: at('2026-04-16T07:45:00') }), DEFAULT_SLA_POLICY, calendar)
    expect(iso(d.resolveBy)).toBe('2026-05-12T08:00')
  })

  it('is due soon in the last quarter of the span and overdue after it', () => {
    const t = times({ level: 'urgent', forwardedAt: at('2026-03-10T08:00:00'), acceptedAt: at('2026-03-10T09:30:00') })
    expect(slaStateAt(t, at('2026-03-10T10:00:00'), DEFAULT_SLA_POLICY, calendar).state).toBe('in_time')
    expect(slaStateAt(t, at('2026-03-10T14:10:00'), DEFAULT_SLA_POLICY, calendar).state).toBe('due_soon')
    expect(slaStateAt(t, at('2026-03-10T15:01:00'), DEFAULT_SLA_POLICY, calendar).state).toBe('overdue')
  })

  it('counts on time, late with an approved extension, and late apart', () => {
    const base = times({ level: 'urgent', forwardedAt: at('2026-03-10T08:00:00'), acceptedAt: at('2026-03-10T09:30:00') })
    expect(outcome({ ...base, resolvedAt: at('2026-03-10T14:00:00') }, DEFAULT_SLA_POLICY, calendar)).toBe('on_time')
    expect(outcome({ ...base, resolvedAt: at('2026-03-11T09:00:00'), extendedUntil: at('2026-03-11T17:00:00') }, DEFAULT_SLA_POLICY, calendar)).toBe('late_with_extension')
    expect(outcome({ ...base, resolvedAt: at('2026-03-11T09:00:00') }, DEFAULT_SLA_POLICY, calendar)).toBe('late')
  })

  it('takes a category’s own spans over its level’s', () => {
    const policy = { ...DEFAULT_SLA_POLICY, categories: { power: { resolveHours: 2 } } }
    const d = deadlines(times({ level: 'normal', category: 'power', acceptedAt: at('2026-03-10T08:00:00') }), policy, calendar)
    expect(iso(d.resolveBy)).toBe('2026-03-10T10:00')
  })
})

describe('REPORT_SLA', () => {
  it('replaces a level’s spans and sets a category’s own, in working hours or days', () => {
    const p = parseSlaPolicy('normal=8h/10d, power=4h/2h')
    expect(p).toEqual({ levels: { ...DEFAULT_SLA, normal: { acceptHours: 8, resolveHours: 80 } }, categories: { power: { acceptHours: 4, resolveHours: 2 } } })
  })

  it('names the part it cannot read', () => {
    expect(parseSlaPolicy('urgent=8h/4x')).toBe("'urgent=8h/4x' is not <level or category>=<accept>/<resolve> with spans like 8h or 15d")
    expect(parseSlaPolicy('urgent=0h/4h')).toMatch(/^'urgent=0h\/4h' is not/)
  })

  it('is the default policy when empty', () => {
    expect(parseSlaPolicy('')).toEqual({ levels: DEFAULT_SLA, categories: {} })
  })
})

describe('the live frame a server announces report changes with', () => {
  it('names each unit once, and is refused whole when it is not a frame', () => {
    const now = Date.parse('2026-03-02T08:00:00Z')
    const frame = liveReportFrame(['QN-DLQN', null, 'QN', 'QN-DLQN'], now)
    expect(frame).toEqual({ committedAt: now, units: [{ unitId: 'QN-DLQN', ts: now }, { unitId: 'QN', ts: now }] })
    expect(parseLiveReportFrame(JSON.parse(JSON.stringify(frame)), now, { maxAgeMs: 86_400_000, maxFutureMs: 60_000 })).toEqual(frame)
    expect(typeof parseLiveReportFrame({ committedAt: now, units: [{ unitId: 'a/#', ts: now }] }, now, { maxAgeMs: 86_400_000, maxFutureMs: 60_000 })).toBe('string')
    expect(typeof parseLiveReportFrame('not a frame', now, { maxAgeMs: 86_400_000, maxFutureMs: 60_000 })).toBe('string')
  })
})
