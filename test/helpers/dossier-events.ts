// Dossier events and calendars for the unit tests of the on-time rules: Vietnam wall-clock times written as
// text, events with only the fields a scenario cares about, and the calendar every dossier test judges with.

import { DEFAULT_WORKING_HOURS, WorkingCalendar, type CalendarDay } from '../../contract/shared/calendar.ts'
import { vietnamHolidays } from '../../contract/shared/holidays.ts'
import type { DossierEvent } from '../../contract/dossiers/feed.ts'

/** Epoch ms of a Vietnam wall-clock time: '2026-03-02 09:00' (or a full ISO text with its zone). */
export function vn(text: string): number {
  const iso = /[+-]\d{2}:\d{2}$|Z$/.test(text) ? text : `${text.replace(' ', 'T')}+07:00`
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) throw new Error(`not a time: ${text}`)
  return ms
}

/** Vietnam wall-clock text of an instant, for readable failure messages. */
export function vnText(ms: number | null): string | null {
  return ms === null ? null : new Date(ms + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')
}

/** The one make-up Saturday of the test calendar: the Saturday after Tết 2026 is worked. */
export const MAKE_UP_SATURDAY: CalendarDay = { day: '2026-02-28', working: true, note: 'Làm bù (test)' }

/** Holidays of 2025–2027 as seeded, plus the make-up Saturday: the calendar every dossier test uses. */
export function testCalendar(): WorkingCalendar {
  return new WorkingCalendar(DEFAULT_WORKING_HOURS, vietnamHolidays([2025, 2026, 2027]), [MAKE_UP_SATURDAY])
}

export type EventFields = Partial<Omit<DossierEvent, 'dossierId' | 'event' | 'ts' | 'appointmentAt'>> & { appointmentAt?: string | null }

/** One event of dossier `id`; times as `vn` reads them, every field not given null (a receipt defaults to the counter). */
export function dossierEvent(id: string, event: DossierEvent['event'], at: string, fields: EventFields = {}): DossierEvent {
  const { appointmentAt, ...rest } = fields
  return {
    dossierId: id,
    event,
    ts: vn(at),
    unitId: event === 'received' ? 'QN-SXD' : null,
    procedureCode: event === 'received' || event === 'registered' ? '1.004227' : null,
    channel: event === 'received' ? 'counter' : null,
    appointmentAt: appointmentAt == null ? null : vn(appointmentAt),
    toUnitId: null,
    online: null,
    electronicResult: null,
    fee: null,
    digitized: null,
    reusedData: null,
    ...rest,
  }
}
