// The audit log as the admin reads it: the filters as typed, the filters applied (which the table and the
// CSV export both follow, so the export is what the table shows, without its paging), and the entries loaded
// so far, newest first. "Older" asks for the page before the last entry shown (`before=<its id>`).
import { ROUTES, routeUrl, type AuditEntryView, type AuditQueryInput } from '../../../contract/index.ts'
import { get } from '../shared/api.ts'
import { endOfDay, startOfDay } from './format.ts'

export const AUDIT_PAGE = 50

/** The filter form's fields; dates are YYYY-MM-DD as a date input gives them, '' when not set. */
export interface AuditFilterForm {
  actor: string
  action: string
  targetType: string
  targetId: string
  from: string
  to: string
}

export const NO_FILTERS: AuditFilterForm = { actor: '', action: '', targetType: '', targetId: '', from: '', to: '' }

/** The query a filter form stands for: empty fields left out, dates as the province's midnights. */
export function auditQueryOf(f: AuditFilterForm): AuditQueryInput {
  const text = (v: string) => (v.trim() === '' ? undefined : v.trim())
  return {
    actor: text(f.actor),
    action: text(f.action),
    targetType: text(f.targetType),
    targetId: text(f.targetId),
    from: f.from ? startOfDay(f.from) : undefined,
    to: f.to ? endOfDay(f.to) : undefined,
  }
}

export class AuditLog {
  form = $state<AuditFilterForm>({ ...NO_FILTERS })
  applied = $state<AuditFilterForm>({ ...NO_FILTERS })
  items = $state<AuditEntryView[] | null>(null)
  /** False once a page came back short: nothing older to ask for. */
  more = $state(false)
  loading = $state(false)
  error = $state<unknown>(null)

  /** The export of what the applied filters select (a plain link: the browser downloads it with the session cookie). */
  csvUrl = $derived(routeUrl(ROUTES.auditCsv, {}, auditQueryOf(this.applied) as Record<string, string | undefined>))

  #abort: AbortController | null = null

  constructor(private readonly onError: (err: unknown) => void = () => {}) {}

  /** Applies the form's filters and loads the newest page. */
  apply(): Promise<void> {
    this.applied = { ...this.form }
    return this.#load(false)
  }

  clear(): Promise<void> {
    this.form = { ...NO_FILTERS }
    return this.apply()
  }

  /** The newest page again, under the filters already applied. */
  reload(): Promise<void> {
    return this.#load(false)
  }

  older(): Promise<void> {
    return this.#load(true)
  }

  close(): void {
    this.#abort?.abort()
  }

  async #load(older: boolean): Promise<void> {
    this.#abort?.abort()
    const abort = (this.#abort = new AbortController())
    const last = older ? this.items?.at(-1) : undefined
    this.loading = true
    try {
      const query = { ...auditQueryOf(this.applied), limit: AUDIT_PAGE, ...(last ? { before: Number(last.id) } : {}) }
      const { items } = await get(ROUTES.audit, { query, signal: abort.signal })
      if (abort.signal.aborted) return
      this.items = last ? [...(this.items ?? []), ...items] : items
      this.more = items.length === AUDIT_PAGE
      this.error = null
    } catch (err) {
      if (abort.signal.aborted) return
      this.onError(err)
      this.error = err
    } finally {
      if (this.#abort === abort) this.loading = false
    }
  }
}
