import { describe, it, expect } from 'vitest'
import { DEFAULT_WORKING_HOURS, WorkingCalendar } from '../../contract/shared/calendar.ts'
import { vietnamHolidays } from '../../contract/shared/holidays.ts'
import { deriveFacts, dueAt, impossibleEvent, stateAt, type JudgeContext } from '../../contract/dossiers/rules.ts'
import type { DossierEvent } from '../../contract/dossiers/feed.ts'
import { dossierEvent, testCalendar, vn, vnText, type EventFields } from '../helpers/dossier-events.ts'

// Every scenario is in March 2026 unless it says otherwise: Monday 2, 9, 16, 23, 30 March; working hours
// 07:30–11:30 and 13:00–17:00. The calendar has the seeded holidays and one make-up Saturday, 28 Feb 2026.
const calendar = testCalendar()
const HOUR = 3_600_000
/** "Due soon" = within one working day. */
const ctx = (legalDays: number | null = null): JudgeContext => ({ calendar, legalDays, dueSoonMs: 8 * HOUR })

const ev = (event: DossierEvent['event'], at: string, fields: EventFields = {}) => dossierEvent('D1', event, at, fields)
const received = (at: string, appointmentAt: string | null, fields: EventFields = {}) => ev('received', at, { appointmentAt, ...fields })
const judge = (events: DossierEvent[], T: string, legalDays: number | null = null) => stateAt(deriveFacts('D1', events), vn(T), ctx(legalDays))
const END_OF_MARCH = '2026-03-31 23:59:59'

describe('judging a finished dossier against its appointment', () => {
  it('is on time when it ends on the appointment date, even after the appointment hour', () => {
    const s = judge([received('2026-03-02 09:00', '2026-03-04 10:00'), ev('processed', '2026-03-04 16:30')], END_OF_MARCH)
    expect(s).toMatchObject({ status: 'done', judgement: 'on_time', daysLate: 0, endAt: vn('2026-03-04 16:30') })
  })

  it('is early when it ends on an earlier date, and late by working days when after', () => {
    const events = (end: string) => [received('2026-03-02 09:00', '2026-03-04 17:00'), ev('processed', end)]
    expect(judge(events('2026-03-03 17:00'), END_OF_MARCH)).toMatchObject({ judgement: 'early', daysLate: 0 })
    expect(judge(events('2026-03-06 08:00'), END_OF_MARCH)).toMatchObject({ judgement: 'late', daysLate: 2 })
  })

  it('does not count the weekend in the days late', () => {
    // due Friday 6 March, done Monday 9 March: one working day late, not three
    const s = judge([received('2026-03-02 09:00', '2026-03-06 17:00'), ev('processed', '2026-03-09 08:00')], END_OF_MARCH)
    expect(s).toMatchObject({ judgement: 'late', daysLate: 1 })
  })

  it('does not count Tết in the days late', () => {
    // due Friday 13 Feb 2026, done Monday 23 Feb, the first working day after Tết (16–20 Feb)
    const s = judge([received('2026-02-09 09:00', '2026-02-13 17:00'), ev('processed', '2026-02-23 10:00')], '2026-02-28 23:59')
    expect(s).toMatchObject({ judgement: 'late', daysLate: 1 })
  })

  it('takes the first processed as the end, before any result returned', () => {
    const s = judge(
      [received('2026-03-02 09:00', '2026-03-04 17:00'), ev('result_returned', '2026-03-06 09:00'), ev('processed', '2026-03-04 15:00')],
      END_OF_MARCH,
    )
    expect(s).toMatchObject({ judgement: 'on_time', endAt: vn('2026-03-04 15:00') })
  })

  it('takes a returned result as the end when nothing says processed', () => {
    const s = judge([received('2026-03-02 09:00', '2026-03-04 17:00'), ev('result_returned', '2026-03-05 09:00')], END_OF_MARCH)
    expect(s).toMatchObject({ judgement: 'late', endAt: vn('2026-03-05 09:00'), daysLate: 1 })
  })
})

describe('judging a finished dossier without an appointment (the legal time of its procedure)', () => {
  it('does not count the weekend in the working time used', () => {
    // received Friday 15:00, 1 legal day: Friday 15–17 (2 h) + Monday 07:30–11:30, 13:00–14:00 (5 h) = 7 h ≤ 8 h
    const onTime = judge([received('2026-03-06 15:00', null), ev('processed', '2026-03-09 14:00')], END_OF_MARCH, 1)
    expect(onTime).toMatchObject({ judgement: 'on_time', due: vn('2026-03-09 15:00') })
    // Tuesday 08:00: 2 + 8 + 0.5 = 10.5 h > 8 h
    const late = judge([received('2026-03-06 15:00', null), ev('processed', '2026-03-10 08:00')], END_OF_MARCH, 1)
    expect(late).toMatchObject({ judgement: 'late', daysLate: 1 })
  })

  it('does not count holidays in the working time used', () => {
    // received Wed 29 Apr 2026 09:00, 2 legal days: Wed 6.5 h, 30 Apr and 1 May off, weekend, Mon 4 May 8 h,
    // Tue 5 May 07:30–09:00 1.5 h: due Tue 5 May 09:00
    const events = (end: string) => [received('2026-04-29 09:00', null), ev('processed', end)]
    expect(judge(events('2026-05-04 16:00'), '2026-05-31 23:59', 2)).toMatchObject({ judgement: 'early', due: vn('2026-05-05 09:00') })
    expect(judge(events('2026-05-05 08:30'), '2026-05-31 23:59', 2)).toMatchObject({ judgement: 'on_time' })
    // Wed 6 May 08:00: 6.5 + 8 + 8 + 0.5 = 23 h > 16 h
    expect(judge(events('2026-05-06 08:00'), '2026-05-31 23:59', 2)).toMatchObject({ judgement: 'late', daysLate: 1 })
  })

  it('counts a make-up Saturday as a working day', () => {
    // received Fri 27 Feb 15:00, 1 legal day: Fri 2 h + Sat 28 Feb (make-up) 6 h: due Sat 28 Feb 15:00;
    // done Monday 08:00 is 2 + 8 + 0.5 = 10.5 h: late by one working day (Monday)
    const events = [received('2026-02-27 15:00', null), ev('processed', '2026-03-02 08:00')]
    expect(judge(events, END_OF_MARCH, 1)).toMatchObject({ judgement: 'late', due: vn('2026-02-28 15:00'), daysLate: 1 })
    // the same dossier without the make-up Saturday would have been on time (due Monday 15:00)
    const noMakeUp = new WorkingCalendar(DEFAULT_WORKING_HOURS, vietnamHolidays([2025, 2026, 2027]))
    expect(stateAt(deriveFacts('D1', events), vn(END_OF_MARCH), { calendar: noMakeUp, legalDays: 1, dueSoonMs: 8 * HOUR })).toMatchObject({ judgement: 'on_time' })
  })

  it('is late when the working time used, minus the waiting, exceeds the legal time, even on the due date', () => {
    // 3 legal days from Mon 10:00; waited Tue 13:00 → Wed 13:00 (8 h), so due Fri 6 March 10:00
    const events = (end: string) => [
      received('2026-03-02 10:00', null),
      ev('supplement_requested', '2026-03-03 13:00'),
      ev('supplement_received', '2026-03-04 13:00'),
      ev('processed', end),
    ]
    // Fri 09:00: 31 h worked − 8 h waited = 23 h ≤ 24 h
    expect(judge(events('2026-03-06 09:00'), END_OF_MARCH, 3)).toMatchObject({ judgement: 'on_time', due: vn('2026-03-06 10:00') })
    // Fri 11:00: 33 h − 8 h = 25 h > 24 h, on the due date itself
    expect(judge(events('2026-03-06 11:00'), END_OF_MARCH, 3)).toMatchObject({ judgement: 'late', daysLate: 1 })
  })

  it('cannot judge a dossier late by date with neither an appointment nor a known legal time', () => {
    const s = judge([received('2026-03-02 09:00', null), ev('processed', '2026-03-30 09:00')], END_OF_MARCH, null)
    expect(s).toMatchObject({ status: 'done', judgement: 'on_time', due: null })
  })
})

describe('supplements', () => {
  it('moves the appointment later by the working time waited for the citizen', () => {
    // waited Tue 3 10:00 → Wed 4 10:00 = 8 working hours: Thu 5 17:00 moves to Fri 6 17:00
    const events = (end: string) => [
      received('2026-03-02 09:00', '2026-03-05 17:00'),
      ev('supplement_requested', '2026-03-03 10:00'),
      ev('supplement_received', '2026-03-04 10:00'),
      ev('processed', end),
    ]
    expect(judge(events('2026-03-06 16:00'), END_OF_MARCH)).toMatchObject({ judgement: 'on_time', due: vn('2026-03-06 17:00') })
    expect(judge(events('2026-03-05 16:00'), END_OF_MARCH)).toMatchObject({ judgement: 'early' })
  })

  it('judges a dossier with two supplement requests late, even when it ends early', () => {
    const s = judge(
      [
        received('2026-03-02 09:00', '2026-03-06 17:00'),
        ev('supplement_requested', '2026-03-03 10:00'),
        ev('supplement_received', '2026-03-03 14:00'),
        ev('supplement_requested', '2026-03-04 10:00'),
        ev('supplement_received', '2026-03-04 14:00'),
        ev('processed', '2026-03-05 10:00'),
      ],
      END_OF_MARCH,
    )
    // due Fri 17:00 + 2.5 h + 2.5 h waited = Mon 9 14:00; late by the flag, so at least one day
    expect(s).toMatchObject({ judgement: 'late', due: vn('2026-03-09 14:00'), daysLate: 1 })
  })

  it('replaces the appointment with the one a supplement_received carries, without moving it by the wait', () => {
    // had the old appointment (Wed 4) moved by the wait (Tue 3 10:00 → Mon 9 09:00, 31 h) it would be Tue 10 16:00
    // and a Wednesday 11 end would be late; the new appointment is Wed 11 17:00
    const s = judge(
      [
        received('2026-03-02 09:00', '2026-03-04 17:00'),
        ev('supplement_requested', '2026-03-03 10:00'),
        ev('supplement_received', '2026-03-09 09:00', { appointmentAt: '2026-03-11 17:00' }),
        ev('processed', '2026-03-11 15:00'),
      ],
      END_OF_MARCH,
    )
    expect(s).toMatchObject({ judgement: 'on_time', due: vn('2026-03-11 17:00') })
  })

  it('moves a replaced appointment by the waits that come after it', () => {
    const events = [
      received('2026-03-02 09:00', '2026-03-04 17:00'),
      ev('supplement_requested', '2026-03-03 10:00'),
      ev('supplement_received', '2026-03-09 09:00', { appointmentAt: '2026-03-11 17:00' }),
      ev('supplement_requested', '2026-03-10 09:00'),
      ev('supplement_received', '2026-03-10 15:00'),
    ]
    // only the wait after the new appointment counts: Tue 10 09:00 → 15:00, 4.5 h, so Wed 11 17:00 → Thu 12 13:30
    expect(vnText(dueAt(deriveFacts('D1', events), vn(END_OF_MARCH), ctx()))).toBe('2026-03-12 13:30')
  })

  it('counts overlapping waits once', () => {
    // a second request before the first was answered: the dossier waited Tue 10:00 → Wed 14:00 (10.5 h), not 8 + 8 h
    const events = [
      received('2026-03-02 09:00', '2026-03-06 17:00'),
      ev('supplement_requested', '2026-03-03 10:00'),
      ev('supplement_requested', '2026-03-03 14:00'),
      ev('supplement_received', '2026-03-04 10:00'),
      ev('supplement_received', '2026-03-04 14:00'),
    ]
    expect(vnText(dueAt(deriveFacts('D1', events), vn(END_OF_MARCH), ctx()))).toBe('2026-03-10 10:00')
  })

  it('closes the dossier at the request when the citizen never answered and it was stopped', () => {
    const events = [received('2026-03-02 09:00', '2026-03-06 17:00'), ev('supplement_requested', '2026-03-04 10:00'), ev('stopped', '2026-03-16 10:00')]
    const facts = deriveFacts('D1', events)
    expect(facts.end).toEqual({ at: vn('2026-03-04 10:00'), event: 'stopped' })
    expect(stateAt(facts, vn(END_OF_MARCH), ctx())).toMatchObject({ status: 'done', endAt: vn('2026-03-04 10:00'), judgement: 'early' })
  })

  it('closes it at the request also when the answer came only after the stop', () => {
    const events = [
      received('2026-03-02 09:00', '2026-03-06 17:00'),
      ev('supplement_requested', '2026-03-04 10:00'),
      ev('stopped', '2026-03-16 10:00'),
      ev('supplement_received', '2026-03-17 09:00'),
    ]
    expect(deriveFacts('D1', events).end).toEqual({ at: vn('2026-03-04 10:00'), event: 'stopped' })
  })

  it('ends at the stop when the citizen had answered', () => {
    const events = [
      received('2026-03-02 09:00', '2026-03-06 17:00'),
      ev('supplement_requested', '2026-03-03 10:00'),
      ev('supplement_received', '2026-03-04 10:00'),
      ev('stopped', '2026-03-10 09:00'),
    ]
    // due Fri 6 17:00 + 8 h waited = Mon 9 17:00; stopped Tue 10: one day late
    expect(judge(events, END_OF_MARCH)).toMatchObject({ status: 'done', endAt: vn('2026-03-10 09:00'), judgement: 'late', daysLate: 1 })
  })

  it('does not close a processed dossier at an unanswered request', () => {
    const events = [received('2026-03-02 09:00', '2026-03-06 17:00'), ev('supplement_requested', '2026-03-04 10:00'), ev('processed', '2026-03-05 10:00')]
    expect(deriveFacts('D1', events).end).toEqual({ at: vn('2026-03-05 10:00'), event: 'processed' })
  })
})

describe('apology slips', () => {
  it('judges a rescheduled dossier late, counting the days from the first appointment', () => {
    const s = judge(
      [
        received('2026-03-02 09:00', '2026-03-04 17:00'),
        ev('rescheduled', '2026-03-04 16:00', { appointmentAt: '2026-03-06 17:00' }),
        ev('processed', '2026-03-06 10:00'),
      ],
      END_OF_MARCH,
    )
    expect(s).toMatchObject({ judgement: 'late', daysLate: 2 })
  })

  it('makes an open dossier overdue from the slip on, before its appointment date', () => {
    const events = [received('2026-03-02 09:00', '2026-03-06 17:00'), ev('rescheduled', '2026-03-03 10:00', { appointmentAt: '2026-03-10 17:00' })]
    expect(judge(events, '2026-03-03 09:00')).toMatchObject({ status: 'in_progress', overdue: false })
    expect(judge(events, '2026-03-03 11:00')).toMatchObject({ status: 'in_progress', overdue: true, dueSoon: false, daysLate: 1 })
  })
})

describe('refused and withdrawn dossiers', () => {
  it('never counts a dossier withdrawn before it was received', () => {
    const events = [ev('registered', '2026-03-02 09:00', { channel: 'online' }), ev('withdrawn', '2026-03-02 10:00')]
    expect(judge(events, END_OF_MARCH)).toEqual({ status: 'not_received' })
  })

  it('judges a dossier withdrawn after its receipt as done at the withdrawal', () => {
    const s = judge([received('2026-03-02 09:00', '2026-03-04 17:00'), ev('withdrawn', '2026-03-03 10:00')], END_OF_MARCH)
    expect(s).toMatchObject({ status: 'done', endAt: vn('2026-03-03 10:00'), judgement: 'early' })
  })

  it('does not end a dossier at a withdrawal that its later receipt overtook', () => {
    // withdrawn online, then received at the counter after all: open, not done before it was received
    const events = [
      ev('registered', '2026-03-23 08:00', { channel: 'online' }),
      ev('withdrawn', '2026-03-23 09:00'),
      received('2026-03-24 09:00', '2026-04-02 17:00'),
    ]
    expect(deriveFacts('D1', events).end).toBeNull()
    expect(judge(events, END_OF_MARCH)).toMatchObject({ status: 'in_progress', overdue: false })
  })

  it('never counts a dossier refused at the counter', () => {
    expect(judge([ev('refused', '2026-03-02 09:00', { unitId: 'QN-SXD' })], END_OF_MARCH)).toEqual({ status: 'not_received' })
  })

  it('does not count a dossier received after the period ends', () => {
    expect(judge([received('2026-04-01 09:00', '2026-04-03 17:00')], END_OF_MARCH)).toEqual({ status: 'not_received' })
  })
})

describe('dossiers open at the end of a period', () => {
  it('is overdue, by working days, when the period ends after the due date', () => {
    // due Fri 6 March; 7–31 March has 17 working days
    const s = judge([received('2026-03-02 09:00', '2026-03-06 17:00')], END_OF_MARCH)
    expect(s).toEqual({ status: 'in_progress', due: vn('2026-03-06 17:00'), overdue: true, dueSoon: false, waiting: false, daysLate: 17 })
  })

  it('is not overdue on its due date, even after the due hour, but due soon', () => {
    const s = judge([received('2026-03-02 09:00', '2026-03-06 10:00')], '2026-03-06 23:59:59')
    expect(s).toMatchObject({ status: 'in_progress', overdue: false, dueSoon: true, daysLate: 0 })
  })

  it('is due soon when its due time is at most one working day away', () => {
    const events = [received('2026-03-02 09:00', '2026-03-04 17:00')]
    expect(judge(events, '2026-03-03 17:00')).toMatchObject({ overdue: false, dueSoon: true })
    // one minute earlier, 8 h 1 min of working time remain
    expect(judge(events, '2026-03-03 16:59')).toMatchObject({ overdue: false, dueSoon: false })
  })

  it('is judged open at T when it ended only after T', () => {
    const s = judge([received('2026-03-30 09:00', '2026-04-01 17:00'), ev('processed', '2026-04-01 10:00')], END_OF_MARCH)
    expect(s).toMatchObject({ status: 'in_progress', overdue: false, dueSoon: true })
  })

  it('does not run the clock while it waits for the citizen', () => {
    // due Wed 25 March; waiting since Tue 24 10:00, so at the period's end the due time is Thu 2 April 14:30
    const s = judge([received('2026-03-23 09:00', '2026-03-25 17:00'), ev('supplement_requested', '2026-03-24 10:00')], END_OF_MARCH)
    expect(s).toEqual({ status: 'in_progress', due: vn('2026-04-02 14:30'), overdue: false, dueSoon: false, waiting: true, daysLate: 0 })
  })

  it('is overdue without an appointment once the legal time has passed by a date', () => {
    // 3 legal days from Wed 25 March 10:00: due Mon 30 March 10:00
    expect(judge([received('2026-03-25 10:00', null)], END_OF_MARCH, 3)).toMatchObject({ due: vn('2026-03-30 10:00'), overdue: true, daysLate: 1 })
  })
})

describe('the event log', () => {
  const log = [
    ev('registered', '2026-03-01 20:00', { channel: 'online' }),
    received('2026-03-02 09:00', '2026-03-06 17:00', { channel: 'online' }),
    ev('processing', '2026-03-02 10:00'),
    ev('transferred', '2026-03-02 11:00', { toUnitId: 'QN-STNMT' }),
    ev('supplement_requested', '2026-03-03 10:00'),
    ev('supplement_received', '2026-03-04 10:00'),
    ev('payment_requested', '2026-03-05 09:00', { fee: 50_000 }),
    ev('paid', '2026-03-05 10:00', { online: true }),
    ev('processed', '2026-03-09 15:00'),
    ev('result_returned', '2026-03-10 09:00', { electronicResult: true }),
  ]

  it('derives the same facts and state whatever order the events arrived in', () => {
    const expected = deriveFacts('D1', log)
    const orders = [[...log].reverse(), [...log.slice(5), ...log.slice(0, 5)], [log[8]!, log[1]!, log[9]!, log[4]!, log[0]!, log[6]!, log[2]!, log[7]!, log[5]!, log[3]!]]
    for (const order of orders) {
      const facts = deriveFacts('D1', order)
      expect(facts).toEqual(expected)
      expect(stateAt(facts, vn(END_OF_MARCH), ctx())).toEqual(stateAt(expected, vn(END_OF_MARCH), ctx()))
    }
    expect(expected).toMatchObject({ channel: 'online', currentUnitId: 'QN-STNMT', feeRequired: true, paidOnline: true, electronicResult: true })
    expect(stateAt(expected, vn(END_OF_MARCH), ctx())).toMatchObject({ judgement: 'on_time', due: vn('2026-03-09 17:00') })
  })

  it('orders two events at the same instant the same whatever order they arrived in', () => {
    // two receipts at the same instant (a resend with a corrected appointment): the same one wins both ways
    const a = received('2026-03-02 09:00', '2026-03-04 17:00')
    const b = received('2026-03-02 09:00', '2026-03-05 17:00')
    expect(deriveFacts('D1', [a, b])).toEqual(deriveFacts('D1', [b, a]))
  })

  it('is not changed by events sent twice', () => {
    const twice = [...log, ...log]
    expect(deriveFacts('D1', twice)).toEqual(deriveFacts('D1', log))
  })

  it('counts a supplement request sent twice as one request, so not late', () => {
    const events = [
      received('2026-03-02 09:00', '2026-03-06 17:00'),
      ev('supplement_requested', '2026-03-03 10:00'),
      ev('supplement_requested', '2026-03-03 10:00', { unitId: 'QN-SXD' }), // resent, with the unit this time
      ev('supplement_received', '2026-03-04 10:00'),
      ev('processed', '2026-03-05 10:00'),
    ]
    expect(deriveFacts('D1', events).supplements).toHaveLength(1)
    expect(judge(events, END_OF_MARCH)).toMatchObject({ judgement: 'early' })
  })
})

describe('impossibleEvent', () => {
  const receipt = received('2026-03-02 09:00', '2026-03-04 17:00')

  it('refuses a second receipt at another time', () => {
    expect(impossibleEvent(received('2026-03-03 09:00', null), [receipt])).toMatch(/already received at 2026-03-02T02:00:00.000Z/)
  })

  it('accepts the same receipt sent again', () => {
    expect(impossibleEvent(receipt, [receipt])).toBeNull()
  })

  it('refuses processing before the receipt', () => {
    expect(impossibleEvent(ev('processing', '2026-03-02 08:00'), [receipt])).toMatch(/'processing' at .* is before the dossier's receipt/)
    expect(impossibleEvent(ev('processed', '2026-03-01 08:00'), [receipt])).toMatch(/before the dossier's receipt/)
  })

  it('refuses a receipt that comes after stored processing', () => {
    expect(impossibleEvent(receipt, [ev('processing', '2026-03-01 10:00')])).toMatch(/has 'processing' at .*, before this receipt/)
  })

  it('accepts a registration, a refusal or a withdrawal before the receipt', () => {
    expect(impossibleEvent(ev('registered', '2026-03-01 20:00'), [receipt])).toBeNull()
    expect(impossibleEvent(receipt, [ev('registered', '2026-03-01 20:00')])).toBeNull()
    expect(impossibleEvent(ev('withdrawn', '2026-03-01 21:00'), [receipt])).toBeNull()
  })

  it('accepts events that arrive before the receipt they follow', () => {
    // the feed may deliver processing first; the receipt will come
    expect(impossibleEvent(ev('processing', '2026-03-02 10:00'), [])).toBeNull()
  })

  it('refuses a new appointment earlier than the supplement that carries it', () => {
    expect(impossibleEvent(ev('supplement_received', '2026-03-05 09:00', { appointmentAt: '2026-03-04 17:00' }), [receipt])).toMatch(/new appointment/)
  })
})
