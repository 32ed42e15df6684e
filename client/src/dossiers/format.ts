// How the dossier screens write numbers, rates, points and times: rates to one decimal (97,3 %: a leader
// compares units a few tenths apart), times in the province's zone whatever the laptop's, and "–" for a rate
// with nothing to rate, never 0 %.
import { ApiError } from '../shared/api.ts'
import { TIME_ZONE, formatNumber } from '../shared/i18n.ts'
import type { WallLanguage } from '../../../contract/index.ts'
import { t } from './i18n.ts'

const LOCALES: Record<WallLanguage, string> = { vi: 'vi-VN', en: 'en-GB' }

export function count(lang: WallLanguage, n: number): string {
  return formatNumber(lang, n)
}

export function rate(lang: WallLanguage, r: number | null, digits = 1): string {
  if (r === null) return '–'
  return `${formatNumber(lang, r * 100, digits)} %`
}

export function points(lang: WallLanguage, p: number | null): string {
  return p === null ? '–' : formatNumber(lang, p, 1)
}

const stamps = new Map<string, Intl.DateTimeFormat>()
function stampFormat(lang: WallLanguage, withTime: boolean): Intl.DateTimeFormat {
  const key = `${lang}${withTime}`
  let f = stamps.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALES[lang], {
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hour12: false } : {}),
      timeZone: TIME_ZONE,
    })
    stamps.set(key, f)
  }
  return f
}

/** "02/03/2026 08:15" in Vietnam time; "–" for none. */
export function stamp(lang: WallLanguage, iso: string | number | null): string {
  if (iso === null) return '–'
  return stampFormat(lang, true).format(typeof iso === 'number' ? iso : Date.parse(iso))
}

/** "02/03/2026". */
export function day(lang: WallLanguage, iso: string | null): string {
  return iso === null ? '–' : stampFormat(lang, false).format(Date.parse(iso))
}

/** A failure as the page says it: the server's own message when it gave one, else the status or the error. */
export function explain(lang: WallLanguage, err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 403) return t(lang, 'forbidden')
    if (err.status === 404) return t(lang, 'notFound')
    return t(lang, 'loadError', { reason: err.body?.message ?? `HTTP ${err.status}` })
  }
  return t(lang, 'loadError', { reason: err instanceof Error ? err.message : String(err) })
}

/**
 * How an on-time rate is coloured in rankings (bars and cells): green from 95 %, amber from 80 %, red below.
 * Presentation only, not a judgement the contract makes; the 766 score itself scales by the portal's rule.
 */
export function onTimeTone(r: number | null): 'good' | 'warn' | 'bad' | 'none' {
  return r === null ? 'none' : r >= 0.95 ? 'good' : r >= 0.8 ? 'warn' : 'bad'
}
