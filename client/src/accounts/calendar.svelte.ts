// The working-day calendar as the admin edits it: one year's days off and worked days that differ from the
// weekday rule (seeded public holidays and the admin's overrides), with the override written or removed one
// day at a time. Every write answers with the year again, which replaces the list. Loaded when the section is
// first opened, not with the page.
import { ROUTES, vnDate, type CalendarResponse } from '../../../contract/index.ts'
import { get, send } from '../shared/api.ts'

export class WorkCalendar {
  year = $state(Number(vnDate(Date.now()).slice(0, 4)))
  /** Null until the first answer. */
  data = $state<CalendarResponse | null>(null)
  loading = $state(false)
  error = $state<unknown>(null)

  #abort: AbortController | null = null

  constructor(private readonly onError: (err: unknown) => void = () => {}) {}

  async load(year = this.year): Promise<void> {
    this.#abort?.abort()
    const abort = (this.#abort = new AbortController())
    this.year = year
    this.loading = true
    try {
      const data = await get(ROUTES.calendar, { query: { year }, signal: abort.signal })
      if (abort.signal.aborted) return
      this.data = data
      this.error = null
    } catch (err) {
      if (abort.signal.aborted) return
      this.onError(err)
      this.error = err
    } finally {
      if (this.#abort === abort) this.loading = false
    }
  }

  /** Writes the override of `day` (YYYY-MM-DD); a refusal is thrown to the form. */
  async save(day: string, working: boolean, note: string): Promise<void> {
    this.#shown(day, await this.#write(() => send(ROUTES.calendarDay, { params: { day }, body: { working, note } })))
  }

  /** Removes the override of `day`: the day follows its seeded holiday, or the weekday rule, again. */
  async reset(day: string): Promise<void> {
    this.#shown(day, await this.#write(() => send(ROUTES.calendarDayReset, { params: { day } })))
  }

  close(): void {
    this.#abort?.abort()
  }

  /** The answer is the year of the day written: shown when it is the year on screen, which it becomes. */
  #shown(day: string, data: CalendarResponse): void {
    this.#abort?.abort()
    this.year = Number(day.slice(0, 4))
    this.data = data
    this.error = null
    this.loading = false
  }

  async #write<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (err) {
      this.onError(err)
      throw err
    }
  }
}
