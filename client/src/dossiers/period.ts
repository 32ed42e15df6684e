// The reporting periods a leader picks: a month, a quarter, a half year (6 tháng đầu / cuối năm, as reports
// are made), a year, or any span of days. Periods are Vietnam calendar days, inclusive at both ends, as the
// dossier routes take them (contract/dossiers/http.ts). Pure: "today" is handed in.
import { MAX_PERIOD_DAYS, isCalendarDate, type WallLanguage } from '../../../contract/index.ts'

export const PERIOD_KINDS = ['month', 'quarter', 'half', 'year', 'custom'] as const
export type PeriodKind = (typeof PERIOD_KINDS)[number]
export type PresetKind = Exclude<PeriodKind, 'custom'>

export interface Period {
  kind: PeriodKind
  /** YYYY-MM-DD, inclusive. */
  from: string
  /** YYYY-MM-DD, inclusive. */
  to: string
}

/** Months each preset spans. */
const MONTHS: Record<PresetKind, number> = { month: 1, quarter: 3, half: 6, year: 12 }

const pad = (n: number) => String(n).padStart(2, '0')
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`
/** Year, month (1–12) and day of a YYYY-MM-DD date. */
function parts(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return [y, m, d]
}
function lastDay(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate()
}

/** The month, quarter, half year or year that holds `day`. */
export function presetPeriod(kind: PresetKind, day: string): Period {
  const [y, m] = parts(day)
  const span = MONTHS[kind]
  const first = Math.floor((m - 1) / span) * span + 1
  const last = first + span - 1
  return { kind, from: ymd(y, first, 1), to: ymd(y, last, lastDay(y, last)) }
}

/** The same kind of period `steps` periods later (earlier when negative); a custom span moves by its length. */
export function shiftPeriod(p: Period, steps: number): Period {
  if (p.kind === 'custom') {
    const days = daysIn(p) * steps
    return { kind: 'custom', from: addDays(p.from, days), to: addDays(p.to, days) }
  }
  const [y, m] = parts(p.from)
  const months = y * 12 + (m - 1) + MONTHS[p.kind] * steps
  return presetPeriod(p.kind, ymd(Math.floor(months / 12), (months % 12) + 1, 1))
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = parts(date)
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

/** Days in the period, both ends counted. */
export function daysIn(p: Pick<Period, 'from' | 'to'>): number {
  return Math.round((Date.parse(p.to) - Date.parse(p.from)) / 86_400_000) + 1
}

/** Whether `from`–`to` is a span the routes accept: real dates, in order, at most MAX_PERIOD_DAYS. */
export function validSpan(from: string, to: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && isCalendarDate(from) && isCalendarDate(to) && from <= to && daysIn({ from, to }) <= MAX_PERIOD_DAYS
}

/**
 * The period a URL asks for (`period`, `from`, `to`), or the current month. A preset is snapped to the
 * month, quarter, half or year holding `from`, so a hand-edited link still means a whole period.
 */
export function readPeriod(params: URLSearchParams, today: string): Period {
  const kind = params.get('period')
  const from = params.get('from') ?? ''
  const to = params.get('to') ?? ''
  if (kind === 'custom') return validSpan(from, to) ? { kind, from, to } : presetPeriod('month', today)
  const preset = (PERIOD_KINDS as readonly string[]).includes(kind ?? '') ? (kind as PresetKind) : 'month'
  return presetPeriod(preset, validSpan(from, from) ? from : today)
}

/**
 * The months the trend chart draws: the twelve months up to the period's last one, or the whole period
 * when it is longer, so a one-month period still shows where it stands against the year before it.
 */
export function trendSpan(p: Period): { from: string; to: string } {
  const [y, m] = parts(p.to)
  const months = y * 12 + (m - 1) - 11
  const yearBack = ymd(Math.floor(months / 12), (months % 12) + 1, 1)
  return { from: yearBack < p.from ? yearBack : p.from, to: p.to }
}

const ROMAN = ['I', 'II', 'III', 'IV']
const MONTH_NAMES_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/** "Tháng 3/2026", "Quý I/2026", "6 tháng đầu năm 2026", "Năm 2026", "01/03/2026 – 15/03/2026" (and in English). */
export function periodLabel(p: Period, lang: WallLanguage): string {
  const [y, m] = parts(p.from)
  const vi = lang === 'vi'
  switch (p.kind) {
    case 'month':
      return vi ? `Tháng ${m}/${y}` : `${MONTH_NAMES_EN[m - 1]} ${y}`
    case 'quarter':
      return vi ? `Quý ${ROMAN[(m - 1) / 3]}/${y}` : `Q${(m - 1) / 3 + 1} ${y}`
    case 'half':
      return vi ? `6 tháng ${m === 1 ? 'đầu' : 'cuối'} năm ${y}` : `${m === 1 ? 'First' : 'Second'} half of ${y}`
    case 'year':
      return vi ? `Năm ${y}` : `Year ${y}`
    case 'custom':
      return `${dayLabel(p.from)} – ${dayLabel(p.to)}`
  }
}

/** 15/03/2026: how the province writes a date, in both languages. */
export function dayLabel(date: string): string {
  const [y, m, d] = parts(date)
  return `${pad(d)}/${pad(m)}/${y}`
}

/** "T3/26" under a trend bar; "Mar 26" in English. */
export function monthTick(month: string, lang: WallLanguage): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return lang === 'vi' ? `T${m}/${String(y).slice(2)}` : `${MONTH_NAMES_EN[m - 1]!.slice(0, 3)} ${String(y).slice(2)}`
}

/** The month preset of a trend point (YYYY-MM), for a click on its bar. */
export function monthPeriod(month: string): Period {
  return presetPeriod('month', `${month}-01`)
}
