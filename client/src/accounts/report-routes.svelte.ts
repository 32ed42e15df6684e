// The citizen-report routing rules as the admin edits them: every rule with its names, a rule added or changed
// one at a time, a rule removed. Every write answers with all the rules, which replace the list. Loaded when
// the section is first opened, with the categories and units its form offers.
import { ROUTES, type ReportCategoriesResponse, type ReportRouteBody, type ReportRoutesResponse } from '../../../contract/index.ts'
import { get, send } from '../shared/api.ts'

export class ReportRoutes {
  data = $state<ReportRoutesResponse | null>(null)
  choices = $state<ReportCategoriesResponse | null>(null)
  loading = $state(false)
  error = $state<unknown>(null)

  #abort: AbortController | null = null

  constructor(private readonly onError: (err: unknown) => void = () => {}) {}

  async load(): Promise<void> {
    this.#abort?.abort()
    const abort = (this.#abort = new AbortController())
    this.loading = true
    try {
      const [data, choices] = await Promise.all([get(ROUTES.reportRoutes, { signal: abort.signal }), get(ROUTES.reportCategories, { signal: abort.signal })])
      if (abort.signal.aborted) return
      this.data = data
      this.choices = choices
      this.error = null
    } catch (err) {
      if (abort.signal.aborted) return
      this.onError(err)
      this.error = err
    } finally {
      if (this.#abort === abort) this.loading = false
    }
  }

  /** Adds or changes a rule; a refusal is thrown to the form. */
  async save(rule: ReportRouteBody): Promise<void> {
    this.data = await send(ROUTES.reportRouteSet, { body: rule })
  }

  async remove(unit: string, category: string): Promise<void> {
    this.data = await send(ROUTES.reportRouteDelete, { params: { unit, category } })
  }

  close(): void {
    this.#abort?.abort()
  }
}
