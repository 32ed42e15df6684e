// Vietnam's public holidays for the working-day calendar, dated by date-holidays (it computes the lunar dates:
// Tết and the Hùng Kings day). Labor Code 2019 art. 112 gives 11 days: 1 January; Tết, 5 days (date-holidays
// dates them from New Year's Eve, 30 Chạp, through the 4th day); the Hùng Kings day (10/3 lunar); 30 April;
// 1 May; National Day 2 September plus one adjacent day (here 1 September, the choice of 2025; the government
// picks each year). A holiday on a weekend gives a day off on the next working day (art. 111.3). The exact days
// are announced yearly, so these are only the seed: overrides (calendar_days, source 'override') win.
// Server-only: date-holidays carries every country's rules, so the wall's bundle never imports this.

import Holidays from 'date-holidays'
import { dateOfDayNumber, dayNumberOf, DEFAULT_WORKING_HOURS, type CalendarDay, type WorkingHours } from './calendar.ts'

/** The years the calendar is seeded for when the database is created (later years: run the seed again or load overrides). */
export const SEEDED_YEARS = [2024, 2025, 2026, 2027, 2028] as const

export function vietnamHolidays(years: readonly number[] = SEEDED_YEARS, hours: WorkingHours = DEFAULT_WORKING_HOURS): CalendarDay[] {
  const hd = new Holidays('VN')
  const days = new Map<number, string>()
  for (const year of years) {
    // date-holidays gives "YYYY-MM-DD 00:00:00" local dates and an end after the last day off; Tết is a 5-day
    // span named for its first day (Giao thừa, New Year's Eve) plus a one-day "Tết Nguyên Đán" on its 2nd day
    const spans = hd
      .getHolidays(year)
      .filter((h) => h.type === 'public')
      .map((h) => {
        const first = dayNumberOf(h.date.slice(0, 10))
        const last = h.end ? dayNumberOf(new Date(h.end.getTime() + 7 * 3_600_000 - 1).toISOString().slice(0, 10)) : first
        return { first, last, name: h.name }
      })
    // one-day holidays name their day first; a span's later days carry the latest name met inside it, so the
    // 3rd–5th days of Tết read "Tết Nguyên Đán", not "Giao thừa"
    for (const h of spans) if (h.first === h.last && !days.has(h.first)) days.set(h.first, h.name)
    for (const h of spans) {
      let name = h.name
      for (let d = h.first; d <= h.last; d++) {
        if (d > h.first && days.has(d)) name = days.get(d)!
        else if (!days.has(d)) days.set(d, name)
      }
    }
    const national = dayNumberOf(`${year}-09-02`)
    if (!days.has(national - 1)) days.set(national - 1, 'Quốc khánh (ngày liền kề)')
  }
  // a holiday on a day off (weekend) moves to the next day that is neither a weekday off nor a holiday
  const weekdays = new Set(hours.weekdays)
  const isWeekday = (d: number) => weekdays.has((((d + 4) % 7) + 7) % 7)
  const compensations: [number, string][] = []
  const taken = new Set(days.keys())
  for (const [d, name] of [...days].sort((a, b) => a[0] - b[0])) {
    if (isWeekday(d)) continue
    let c = d + 1
    while (!isWeekday(c) || taken.has(c)) c++
    taken.add(c)
    compensations.push([c, `Nghỉ bù ${name}`])
  }
  return [...days, ...compensations]
    .sort((a, b) => a[0] - b[0])
    .map(([d, note]) => ({ day: dateOfDayNumber(d), working: false, note }))
}
