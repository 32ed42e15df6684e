// How the consoles write times and what went wrong: times in the province's zone whatever the laptop's
// ("02/03/2026 08:15", or "02/03 08:15" in the queue's narrow column), and a refused request as a problem that a
// form places beside the field the server named, or at its top when it named none.
import type { WallLanguage } from '../../../contract/index.ts'
import { ApiError } from '../shared/api.ts'
import { TIME_ZONE } from '../shared/i18n.ts'
import { t } from './i18n.ts'

const parts = new Map<WallLanguage, Intl.DateTimeFormat>()

/** The day, month, year, hour and minute of a time in Vietnam, two digits each (four for the year). */
function vietnamParts(lang: WallLanguage, ms: number): Record<'day' | 'month' | 'year' | 'hour' | 'minute', string> {
  let f = parts.get(lang)
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: TIME_ZONE })
    parts.set(lang, f)
  }
  const out = { day: '', month: '', year: '', hour: '', minute: '' }
  for (const p of f.formatToParts(ms)) if (p.type in out) out[p.type as keyof typeof out] = p.value
  return out
}

// written from the parts, not the locale's pattern: vi-VN puts the time first and writes a day without its year
// as "03-12", where a clerk reads "03/12 20:24" at a glance in a narrow column
/** "03/12/2026 20:24" in Vietnam time; "–" for none. */
export function stamp(lang: WallLanguage, at: string | number | null): string {
  if (at === null) return '–'
  const p = vietnamParts(lang, typeof at === 'number' ? at : Date.parse(at))
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`
}

/** "03/12 20:24": the queue's column, where the year is this one nearly always. */
export function shortStamp(lang: WallLanguage, at: string | null): string {
  if (at === null) return '–'
  const p = vietnamParts(lang, Date.parse(at))
  return `${p.day}/${p.month} ${p.hour}:${p.minute}`
}

/** A Vietnam wall-clock time from a datetime-local input ("2026-03-02T17:00") as ISO 8601 with its zone. */
export function vietnamInputToIso(value: string): string | null {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00+07:00` : null
}

/** What a failed request means to the person who sent it, and the field at fault when the server named one. */
export interface Problem {
  status: number | null
  field: string | null
  message: string
}

/** The server's names for fields the forms call otherwise (an unknown category from an intake names Open311's). */
const FIELD_ALIASES: Record<string, string> = { service_code: 'categoryCode' }

export function problemOf(lang: WallLanguage, err: unknown): Problem {
  if (err instanceof ApiError) {
    const reason = err.body?.message ?? `HTTP ${err.status}`
    const field = err.body?.field ? (FIELD_ALIASES[err.body.field] ?? err.body.field) : null
    if (err.status === 400) return { status: 400, field, message: t(lang, 'serverRefused', { reason }) }
    if (err.status === 409) return { status: 409, field: null, message: t(lang, 'conflict', { reason }) }
    if (err.status === 403) return { status: 403, field: null, message: t(lang, 'forbidden') }
    if (err.status === 404) return { status: 404, field: null, message: t(lang, 'notFound') }
    return { status: err.status, field: null, message: t(lang, 'loadError', { reason }) }
  }
  return { status: null, field: null, message: t(lang, 'network', { reason: err instanceof Error ? err.message : String(err) }) }
}

/** The problem's message when it belongs beside `field` (or a part of it: `mediaUrls.0` beside `mediaUrls`). */
export function fieldProblem(p: Problem | null, field: string): string | null {
  if (!p?.field) return null
  return p.field === field || p.field.startsWith(`${field}.`) ? p.message : null
}

/** The problem's message when no field of the form shows it. */
export function formProblem(p: Problem | null, fields: readonly string[]): string | null {
  if (!p) return null
  return fields.some((f) => fieldProblem(p, f) !== null) ? null : p.message
}
