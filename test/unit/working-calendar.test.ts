import { describe, it, expect } from 'vitest'
import {
  DEFAULT_WORKING_HOURS,
  WorkingCalendar,
  dayNumberOf,
  parseWorkingPeriods,
  type CalendarDay,
} from '../../contract/shared/calendar.ts'
import { vietnamHolidays } from '../../contract/shared/holidays.ts'
import { vn, vnText } from '../helpers/dossier-events.ts'

const HOUR = 3_600_000
const MINUTE = 60_000

// A calendar without holidays for the pure arithmetic, and the seeded one for the holiday dates.
const plain = new WorkingCalendar(DEFAULT_WORKING_HOURS, [])
const seeded = new WorkingCalendar(DEFAULT_WORKING_HOURS, vietnamHolidays([2025, 2026, 2027]))

const working = (cal: WorkingCalendar, date: string) => cal.isWorkingDay(dayNumberOf(date))
/** The dates of a month range that are not working days. */
const daysOff = (cal: WorkingCalendar, from: string, to: string) => {
  const off: string[] = []
  for (let d = dayNumberOf(from); d <= dayNumberOf(to); d++) {
    if (!cal.isWorkingDay(d)) off.push(new Date(d * 86_400_000).toISOString().slice(0, 10))
  }
  return off
}

describe('working days', () => {
  it('works Monday to Friday and rests on the weekend', () => {
    // 2 March 2026 is a Monday
    expect(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'].map((d) => working(plain, d))).toEqual([true, true, true, true, true])
    expect(working(plain, '2026-03-07')).toBe(false)
    expect(working(plain, '2026-03-08')).toBe(false)
  })

  it('rests on a seeded holiday that falls on a weekday, and names it', () => {
    // 30 April 2026 is a Thursday
    expect(working(seeded, '2026-04-30')).toBe(false)
    expect(seeded.noteOf(dayNumberOf('2026-04-30'))).toBe('Ngày Giải phóng miền Nam')
    expect(seeded.noteOf(dayNumberOf('2026-04-29'))).toBeNull()
  })

  it('works a make-up Saturday announced as an override', () => {
    const cal = new WorkingCalendar(DEFAULT_WORKING_HOURS, [], [{ day: '2026-03-14', working: true, note: 'Làm bù' }])
    expect(working(cal, '2026-03-14')).toBe(true)
    expect(cal.noteOf(dayNumberOf('2026-03-14'))).toBe('Làm bù')
    // and its 8 hours count: Friday 17:00 to Monday 07:30 is a whole working day
    expect(cal.workingMsBetween(vn('2026-03-13 17:00'), vn('2026-03-16 07:30'))).toBe(8 * HOUR)
    expect(plain.workingMsBetween(vn('2026-03-13 17:00'), vn('2026-03-16 07:30'))).toBe(0)
  })

  it('rests on a weekday announced as a day off', () => {
    const cal = new WorkingCalendar(DEFAULT_WORKING_HOURS, [], [{ day: '2026-03-10', working: false, note: 'Nghỉ' }])
    expect(working(cal, '2026-03-10')).toBe(false)
    expect(cal.workingMsBetween(vn('2026-03-09 17:00'), vn('2026-03-11 07:30'))).toBe(0)
  })

  it('lets an override win over a seeded holiday (the yearly announcement is the truth)', () => {
    const holidays = vietnamHolidays([2026])
    const cal = new WorkingCalendar(DEFAULT_WORKING_HOURS, holidays, [{ day: '2026-04-27', working: true, note: 'Đi làm' }])
    expect(working(new WorkingCalendar(DEFAULT_WORKING_HOURS, holidays), '2026-04-27')).toBe(false)
    expect(working(cal, '2026-04-27')).toBe(true)
  })

  it('counts the working days of a date range, both ends included', () => {
    // February 2026 has 20 weekdays, 5 of them Tết
    expect(plain.workingDaysIn('2026-02-01', '2026-02-28')).toBe(20)
    expect(seeded.workingDaysIn('2026-02-01', '2026-02-28')).toBe(15)
    expect(seeded.workingDaysIn('2026-03-02', '2026-03-02')).toBe(1)
    expect(seeded.workingDaysIn('2026-03-03', '2026-03-02')).toBe(0)
  })
})

describe('workingMsBetween', () => {
  it('counts the morning and afternoon periods and skips lunch', () => {
    // 10:00–11:30 and 13:00–14:00
    expect(plain.workingMsBetween(vn('2026-03-02 10:00'), vn('2026-03-02 14:00'))).toBe(2.5 * HOUR)
  })

  it('counts nothing inside the lunch break or the night', () => {
    expect(plain.workingMsBetween(vn('2026-03-02 11:45'), vn('2026-03-02 12:45'))).toBe(0)
    expect(plain.workingMsBetween(vn('2026-03-02 17:30'), vn('2026-03-03 07:00'))).toBe(0)
  })

  it('counts 8 hours for a whole working day, night to night', () => {
    expect(plain.workingMsBetween(vn('2026-03-02 00:00'), vn('2026-03-03 00:00'))).toBe(8 * HOUR)
  })

  it('skips the nights and the weekend between Friday afternoon and Monday morning', () => {
    // Friday 16:00–17:00 and Monday 07:30–09:00
    expect(plain.workingMsBetween(vn('2026-03-06 16:00'), vn('2026-03-09 09:00'))).toBe(2.5 * HOUR)
  })

  it('is negative when the end is before the start', () => {
    expect(plain.workingMsBetween(vn('2026-03-02 14:00'), vn('2026-03-02 10:00'))).toBe(-2.5 * HOUR)
  })

  it('counts to the millisecond', () => {
    expect(plain.workingMsBetween(vn('2026-03-02 08:00'), vn('2026-03-02 08:00') + 1234)).toBe(1234)
  })
})

describe('addWorkingMs', () => {
  const add = (from: string, ms: number, cal = plain) => vnText(cal.addWorkingMs(vn(from), ms))

  it('lands exactly at the end of the morning, not at the start of the afternoon', () => {
    expect(add('2026-03-02 10:30', HOUR)).toBe('2026-03-02 11:30')
    expect(plain.addWorkingMs(vn('2026-03-02 10:30'), HOUR + 1)).toBe(vn('2026-03-02 13:00') + 1)
  })

  it('lands exactly at the end of the day, not on the next morning', () => {
    expect(add('2026-03-02 16:00', HOUR)).toBe('2026-03-02 17:00')
    expect(add('2026-03-02 16:00', HOUR + MINUTE)).toBe('2026-03-03 07:31')
  })

  it('carries over the weekend', () => {
    expect(add('2026-03-06 16:30', HOUR)).toBe('2026-03-09 08:00')
  })

  it('starts counting at the next period when started at lunch, at night or on a weekend', () => {
    expect(add('2026-03-02 12:00', 30 * MINUTE)).toBe('2026-03-02 13:30')
    expect(add('2026-03-02 05:00', 30 * MINUTE)).toBe('2026-03-02 08:00')
    expect(add('2026-03-07 10:00', 8 * HOUR)).toBe('2026-03-09 17:00')
  })

  it('returns the start for no working time', () => {
    expect(plain.addWorkingMs(vn('2026-03-07 10:00'), 0)).toBe(vn('2026-03-07 10:00'))
  })

  it('skips holidays', () => {
    // Friday before Tết 2026 + one working day: Monday 23 February
    expect(add('2026-02-13 10:00', 8 * HOUR, seeded)).toBe('2026-02-23 10:00')
  })

  it('is undone by workingMsBetween', () => {
    // any start, any span: the span between the start and the end it gives is the span asked for
    for (const from of ['2026-03-02 07:30', '2026-03-02 11:29', '2026-03-06 16:59', '2026-02-13 12:15', '2026-02-27 09:41']) {
      for (const ms of [1, MINUTE, 4 * HOUR, 8 * HOUR, 8 * HOUR + 1, 41.5 * HOUR, 400 * HOUR]) {
        expect(seeded.workingMsBetween(vn(from), seeded.addWorkingMs(vn(from), ms)), `${from} + ${ms}`).toBe(ms)
      }
    }
  })

  it('walks day by day beyond the precomputed years, both ways', () => {
    expect(vnText(plain.addWorkingMs(vn('2100-01-01 10:00'), 8 * HOUR))).toBe('2100-01-04 10:00') // a Friday
    expect(vnText(plain.addWorkingMs(vn('1999-12-31 10:00'), 8 * HOUR))).toBe('2000-01-03 10:00') // a Friday
    expect(plain.workingMsBetween(vn('1999-12-31 10:00'), vn('2100-01-04 10:00'))).toBe(plain.workingDaysIn('1999-12-31', '2100-01-03') * 8 * HOUR)
  })

  it('refuses, instead of hanging, when the calendar has no working day', () => {
    const never = new WorkingCalendar({ weekdays: [], periods: DEFAULT_WORKING_HOURS.periods }, [])
    expect(() => never.addWorkingMs(vn('2026-03-02 10:00'), HOUR)).toThrow(/no working day/)
  })
})

describe('addWorkingDays', () => {
  it('adds whole days of working time: Monday 10:00 + 1 is Tuesday 10:00', () => {
    expect(vnText(plain.addWorkingDays(vn('2026-03-02 10:00'), 1))).toBe('2026-03-03 10:00')
  })

  it('skips the weekend', () => {
    expect(vnText(plain.addWorkingDays(vn('2026-03-06 10:00'), 1))).toBe('2026-03-09 10:00')
    expect(vnText(plain.addWorkingDays(vn('2026-03-02 10:00'), 5))).toBe('2026-03-09 10:00')
  })

  it('takes half days (legal times of 0.5 day exist)', () => {
    // 4 hours: 10:00–11:30, then 13:00–15:30
    expect(vnText(plain.addWorkingDays(vn('2026-03-02 10:00'), 0.5))).toBe('2026-03-02 15:30')
  })

  it('skips Tết', () => {
    // Thursday 12 Feb 2026 + 3 working days: Fri 13, (Tết 16–20, weekends), Mon 23, Tue 24
    expect(vnText(seeded.addWorkingDays(vn('2026-02-12 09:00'), 3))).toBe('2026-02-24 09:00')
  })
})

describe('vietnamHolidays', () => {
  it('gives Tết 2026 five weekdays off, 16–20 February', () => {
    expect(daysOff(seeded, '2026-02-09', '2026-02-27')).toEqual(['2026-02-14', '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22'])
    expect(seeded.noteOf(dayNumberOf('2026-02-16'))).toBe('Giao thừa Tết Nguyên Đán')
    // the days after New Year's Day are Tết, not "New Year's Eve" again
    expect(seeded.noteOf(dayNumberOf('2026-02-19'))).toBe('Tết Nguyên Đán')
  })

  it('gives Tết 2027 two compensatory days for its Saturday and Sunday', () => {
    // Tết 2027 runs Fri 5 – Tue 9 Feb; New Year's Day is Saturday 6 Feb and the 3rd day Sunday 7 Feb,
    // so Wednesday 10 and Thursday 11 are off in compensation (Labor Code 2019 art. 111.3)
    expect(daysOff(seeded, '2027-02-01', '2027-02-14')).toEqual(['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-13', '2027-02-14'])
    expect(seeded.noteOf(dayNumberOf('2027-02-10'))).toBe('Nghỉ bù Tết Nguyên Đán')
    expect(working(seeded, '2027-02-12')).toBe(true)
  })

  it('moves the Hùng Kings day of 2026 (Sunday 26 April) to Monday 27 April', () => {
    const days = vietnamHolidays([2026])
    expect(days.find((d) => d.day === '2026-04-26')?.note).toBe('Giỗ tổ Hùng Vương')
    expect(days.find((d) => d.day === '2026-04-27')?.note).toBe('Nghỉ bù Giỗ tổ Hùng Vương')
    expect(daysOff(seeded, '2026-04-24', '2026-05-04')).toEqual(['2026-04-25', '2026-04-26', '2026-04-27', '2026-04-30', '2026-05-01', '2026-05-02', '2026-05-03'])
  })

  it('moves a holiday on a Saturday to the next weekday that is not itself a holiday', () => {
    // 1 May 2027 is a Saturday → Monday 3 May; Tết 2025 ended on Saturday 1 February → Monday 3 February
    expect(working(seeded, '2027-05-03')).toBe(false)
    expect(working(seeded, '2025-02-03')).toBe(false)
  })

  it('gives National Day two days, 1 and 2 September', () => {
    expect(daysOff(seeded, '2025-08-29', '2025-09-03')).toEqual(['2025-08-30', '2025-08-31', '2025-09-01', '2025-09-02'])
  })

  it('seeds public holidays only, not the observances date-holidays also knows', () => {
    // 3 February (Party founding day) and 8 March are observances: worked
    expect(working(seeded, '2026-02-03')).toBe(true)
    expect(working(seeded, '2027-03-08')).toBe(true)
  })

  it('lists each year the 11 legal holidays plus its compensatory days, all as days off', () => {
    const of = (year: number) => vietnamHolidays([year]).filter((d) => d.day.startsWith(`${year}`))
    // 2026: 11 days + Hùng Kings on a Sunday; 2027: 11 days + Tết's Saturday and Sunday + 1 May on a Saturday
    expect(of(2026)).toHaveLength(12)
    expect(of(2027)).toHaveLength(14)
    expect(vietnamHolidays([2026]).every((d) => !d.working)).toBe(true)
  })
})

describe('configurable working hours', () => {
  it('reads periods from text', () => {
    expect(parseWorkingPeriods('08:00-12:00, 13:30-17:30')).toEqual([
      [480, 720],
      [810, 1050],
    ])
  })

  it.each([
    ['', /'' is not a period/],
    ['8h-12h', /'8h-12h' is not a period like 07:30-11:30/],
    ['12:00-08:00', /does not end after it starts/],
    ['23:00-24:30', /within the day/],
    ['07:75-11:30', /minutes beyond 59/],
    ['13:00-17:00,07:30-11:30', /in order/],
    ['07:30-12:00,11:30-17:00', /must not overlap/],
  ])('refuses %j', (text, message) => {
    expect(() => parseWorkingPeriods(text)).toThrow(message)
  })

  it('runs the arithmetic on the configured hours: a six-day week of mornings only', () => {
    const cal = new WorkingCalendar({ weekdays: [1, 2, 3, 4, 5, 6], periods: parseWorkingPeriods('08:00-12:00') }, [])
    expect(cal.dayMs).toBe(4 * HOUR)
    expect(working(cal, '2026-03-07')).toBe(true)
    // Saturday 10:00 + one (4-hour) working day: Sunday is off, Monday 10:00
    expect(vnText(cal.addWorkingDays(vn('2026-03-07 10:00'), 1))).toBe('2026-03-09 10:00')
    expect(cal.workingMsBetween(vn('2026-03-02 07:00'), vn('2026-03-02 15:00'))).toBe(4 * HOUR)
  })

  it('dates compensatory days against the configured weekdays', () => {
    // with Saturdays worked, Tết 2027's Saturday needs no compensation: only its Sunday does
    const sixDays = { weekdays: [1, 2, 3, 4, 5, 6], periods: DEFAULT_WORKING_HOURS.periods }
    const days: CalendarDay[] = vietnamHolidays([2027], sixDays)
    expect(days.filter((d) => d.day >= '2027-02-01' && d.day <= '2027-02-28').map((d) => d.day)).toEqual(['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10'])
  })
})
