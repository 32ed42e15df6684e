// The working-day calendar: which Vietnam days are working days, the working hours within them, and working-
// time arithmetic (how much working time lies between two instants; the instant a span of working time ends).
// Deadlines of dossiers and citizen reports run in working time, never in clock time.
//
// A day's status comes, in order, from: an override (the yearly announcement of days off and make-up
// Saturdays, loaded from CSV or edited by an admin), the seeded public holidays (Labor Code 2019 art. 112,
// dated by date-holidays, which knows the lunar calendar: Tết and the Hùng Kings day), and the working
// weekdays. Pure: the holidays and overrides are data handed to the constructor.

import { DAY_MS, MINUTE_MS, VN_OFFSET_MS, vnDayNumber } from './clock.ts'

/** Working hours: the weekdays worked (0 = Sunday … 6 = Saturday) and the periods of a working day, in minutes after midnight. */
export interface WorkingHours {
  weekdays: readonly number[]
  periods: readonly (readonly [startMinute: number, endMinute: number])[]
}

/** Mon–Fri, 07:30–11:30 and 13:00–17:00: 8 working hours a day, the practice of one-stop offices. */
export const DEFAULT_WORKING_HOURS: WorkingHours = {
  weekdays: [1, 2, 3, 4, 5],
  periods: [
    [7 * 60 + 30, 11 * 60 + 30],
    [13 * 60, 17 * 60],
  ],
}

/** A day whose status differs from the rule: a day off announced for the year, or a make-up working Saturday. */
export interface CalendarDay {
  /** Vietnam date, YYYY-MM-DD. */
  day: string
  working: boolean
  note: string
}

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
export function dayNumberOf(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS)
}

/** YYYY-MM-DD of a day number. */
export function dateOfDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10)
}

/** The instant 00:00 Vietnam time starts day `n`. */
export function vnMidnight(n: number): number {
  return n * DAY_MS - VN_OFFSET_MS
}

/** "HH:MM-HH:MM,HH:MM-HH:MM" → periods; throws a readable message on a bad text (config reports it). */
export function parseWorkingPeriods(text: string): WorkingHours['periods'] {
  const periods = text.split(',').map((part) => {
    const m = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(part)
    if (!m) throw new Error(`'${part.trim()}' is not a period like 07:30-11:30`)
    if (Number(m[2]) > 59 || Number(m[4]) > 59) throw new Error(`'${part.trim()}' has minutes beyond 59`)
    const start = Number(m[1]) * 60 + Number(m[2])
    const end = Number(m[3]) * 60 + Number(m[4])
    if (end <= start || end > 24 * 60) throw new Error(`'${part.trim()}' does not end after it starts, within the day`)
    return [start, end] as const
  })
  for (let i = 1; i < periods.length; i++) {
    if (periods[i]![0] < periods[i - 1]![1]) throw new Error('periods must be in order and must not overlap')
  }
  return periods
}

// Cumulative working time is precomputed per day for this range (days since 1970); outside it, days are walked.
const FIRST_DAY = dayNumberOf('2000-01-01')
const LAST_DAY = dayNumberOf('2100-01-01')

export class WorkingCalendar {
  readonly dayMs: number
  private readonly status = new Map<number, { working: boolean; note: string }>()
  private readonly weekdays: Set<number>
  /** cum[i]: working ms in the days FIRST_DAY … FIRST_DAY + i - 1 (prefix sums, so spans cost O(1)). */
  private readonly cum: Float64Array

  constructor(
    readonly hours: WorkingHours,
    holidays: readonly CalendarDay[],
    overrides: readonly CalendarDay[] = [],
  ) {
    this.dayMs = hours.periods.reduce((s, [a, b]) => s + (b - a) * MINUTE_MS, 0)
    this.weekdays = new Set(hours.weekdays)
    for (const h of holidays) this.status.set(dayNumberOf(h.day), { working: h.working, note: h.note })
    for (const o of overrides) this.status.set(dayNumberOf(o.day), { working: o.working, note: o.note })
    this.cum = new Float64Array(LAST_DAY - FIRST_DAY + 1)
    for (let d = FIRST_DAY, i = 0; d < LAST_DAY; d++, i++) this.cum[i + 1] = this.cum[i]! + (this.isWorkingDay(d) ? this.dayMs : 0)
  }

  /** Whether Vietnam day `n` (days since 1970-01-01) is a working day. */
  isWorkingDay(n: number): boolean {
    const s = this.status.get(n)
    if (s) return s.working
    return this.weekdays.has((((n + 4) % 7) + 7) % 7)
  }

  /** Why day `n` is off or worked against the rule (a holiday's name, an override's note), if it is. */
  noteOf(n: number): string | null {
    return this.status.get(n)?.note ?? null
  }

  /** Working ms of day `n` before `minute` minutes after midnight. */
  private workedBefore(n: number, minute: number): number {
    if (!this.isWorkingDay(n)) return 0
    let ms = 0
    for (const [a, b] of this.hours.periods) ms += Math.max(0, Math.min(b, minute) - a) * MINUTE_MS
    return ms
  }

  /** Working ms from FIRST_DAY 00:00 to `t` (beyond the table, walked day by day). */
  private position(t: number): number {
    const n = vnDayNumber(t)
    const minute = (t + VN_OFFSET_MS - n * DAY_MS) / MINUTE_MS
    return this.before(n) + this.workedBefore(n, minute)
  }

  /** Working ms in the days before day `n`, counted from FIRST_DAY (negative before it). */
  private before(n: number): number {
    if (n >= FIRST_DAY && n <= LAST_DAY) return this.cum[n - FIRST_DAY]!
    let ms = n > LAST_DAY ? this.cum[LAST_DAY - FIRST_DAY]! : 0
    if (n > LAST_DAY) for (let d = LAST_DAY; d < n; d++) ms += this.isWorkingDay(d) ? this.dayMs : 0
    else for (let d = n; d < FIRST_DAY; d++) ms -= this.isWorkingDay(d) ? this.dayMs : 0
    return ms
  }

  /** Working time between two instants (negative when `to` is before `from`). */
  workingMsBetween(from: number, to: number): number {
    return this.position(to) - this.position(from)
  }

  /** The instant at which `ms` of working time after `from` have passed (the end of the last working minute it needs). */
  addWorkingMs(from: number, ms: number): number {
    if (ms <= 0) return from
    const target = this.position(from) + ms
    // the first day whose end reaches the target: binary search in the table, or a walk beyond it
    let n = vnDayNumber(from)
    if (n >= FIRST_DAY && n < LAST_DAY && target <= this.cum[LAST_DAY - FIRST_DAY]!) {
      let lo = n - FIRST_DAY
      let hi = LAST_DAY - FIRST_DAY - 1
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (this.cum[mid + 1]! >= target) hi = mid
        else lo = mid + 1
      }
      n = lo + FIRST_DAY
    } else {
      // outside the table, day by day; a calendar with no working day would never get there: give up after a century
      const start = n
      for (let end = this.before(n + 1); end < target; end += this.isWorkingDay(n) ? this.dayMs : 0) {
        if (++n - start > 36_600) throw new Error('no working time within a century: the calendar has no working day')
      }
    }
    let rest = target - this.before(n)
    for (const [a, b] of this.hours.periods) {
      const len = (b - a) * MINUTE_MS
      if (rest <= len) return vnMidnight(n) + a * MINUTE_MS + rest
      rest -= len
    }
    return vnMidnight(n + 1) // unreachable: the day's total covers `rest`
  }

  /**
   * The instant `days` working days of working time (days × the hours of a working day) after `from`: received
   * Monday 10:00, one day is due Tuesday 10:00. Fractions are allowed (a legal time of half a day). This is the
   * arithmetic of one-stop systems (8 working hours a day), so the due date is the same as "the end of the
   * N-th working day after the day of receipt" for anything received during working hours.
   */
  addWorkingDays(from: number, days: number): number {
    return this.addWorkingMs(from, days * this.dayMs)
  }

  /** The working days in [from, to] (YYYY-MM-DD, inclusive). */
  workingDaysIn(from: string, to: string): number {
    let n = 0
    for (let d = dayNumberOf(from); d <= dayNumberOf(to); d++) if (this.isWorkingDay(d)) n++
    return n
  }
}
