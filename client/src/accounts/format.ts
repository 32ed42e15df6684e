// How the admin page writes times and the server's refusals. Times are the province's (Asia/Ho_Chi_Minh)
// whatever the laptop's zone, like the wall; a refusal keeps the server's own message, which names the field
// at fault, after a translated lead-in.
import type { WallLanguage } from '../../../contract/index.ts'
import { ApiError } from '../shared/api.ts'
import { TIME_ZONE } from '../shared/i18n.ts'
import { t } from './i18n.ts'

/** Words to show in whichever language the page is in by then: a message kept in state must follow the EN/VI switch. */
export type Words = (lang: WallLanguage) => string

const LOCALES: Record<WallLanguage, string> = { vi: 'vi-VN', en: 'en-GB' }
const stamps = new Map<WallLanguage, Intl.DateTimeFormat>()

/** "02/12/2025, 21:28" in the province's zone; `never` for null. */
export function formatStamp(lang: WallLanguage, iso: string | null): string {
  if (iso === null) return t(lang, 'never')
  let f = stamps.get(lang)
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALES[lang], { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: TIME_ZONE })
    stamps.set(lang, f)
  }
  return f.format(Date.parse(iso))
}

/** A refusal or failure as the form that caused it shows it; `fieldLabel` turns the server's field name into the form's label. */
export function explainError(lang: WallLanguage, err: unknown, fieldLabel: (field: string) => string | null = () => null): string {
  if (err instanceof ApiError && err.body) {
    const { field, message } = err.body
    return field ? t(lang, 'serverRefusedField', { field: fieldLabel(field) ?? field, message }) : t(lang, 'serverRefused', { message })
  }
  if (err instanceof ApiError) return t(lang, 'requestFailed', { reason: `HTTP ${err.status}` })
  return t(lang, 'requestFailed', { reason: err instanceof Error ? err.message : String(err) })
}

/** The request field a refusal names, to mark its input. */
export function errorField(err: unknown): string | null {
  return err instanceof ApiError ? (err.body?.field ?? null) : null
}

/** The province's midnight starting a date picked in a form (YYYY-MM-DD), as ISO-8601 with its zone (Viet Nam keeps +07:00 all year). */
export function startOfDay(date: string): string {
  return `${date}T00:00:00+07:00`
}

/** The province's midnight ending a picked date: "to 3 Dec" includes all of 3 Dec. */
export function endOfDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return startOfDay(new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10))
}
