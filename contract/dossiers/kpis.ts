// What leaders read: a dossier's contribution to the daily aggregates, the period KPIs built from their sums
// and the dossiers open at the period's end, and the Decision 766 indicators events can measure. Pure.

import { dateOfDayNumber, dayNumberOf } from '../shared/calendar.ts'
import { vnDate } from '../shared/clock.ts'
import { stateAt, type DossierFacts, type JudgeContext } from './rules.ts'

/** Counters of the daily aggregates (dossier_daily, dossier_unit_daily), in their column order. */
export const DAILY_COLUMNS = [
  'received_total',
  'received_counter',
  'received_online',
  'received_post',
  'received_digitized',
  'received_reused',
  'done_total',
  'done_early',
  'done_on_time',
  'done_late',
  'done_fee',
  'done_paid_online',
  'done_electronic',
] as const
export type DailyColumn = (typeof DAILY_COLUMNS)[number]
export type DailySums = Record<DailyColumn, number>

export function emptySums(): DailySums {
  return Object.fromEntries(DAILY_COLUMNS.map((c) => [c, 0])) as DailySums
}

/**
 * How a period [from, to] (inclusive Vietnam dates) is read from the aggregates: its whole calendar months from
 * the monthly rollups, the days of its partial months (at most one range before and one after) from the daily
 * tables. `months` holds first days of months ('YYYY-MM-01'), both ends inclusive.
 */
export interface PeriodParts {
  months: [string, string] | null
  days: [string, string][]
}

export function periodParts(from: string, to: string): PeriodParts {
  if (from > to) return { months: null, days: [] }
  const firstFull = from.endsWith('-01') ? from : `${nextMonthOf(from.slice(0, 7))}-01`
  const lastFull = to === lastDayOfMonth(to.slice(0, 7)) ? `${to.slice(0, 7)}-01` : `${previousMonthOf(to.slice(0, 7))}-01`
  if (firstFull > lastFull) return { months: null, days: [[from, to]] }
  const days: [string, string][] = []
  if (from < firstFull) days.push([from, dateOfDayNumber(dayNumberOf(firstFull) - 1)])
  const afterLast = `${nextMonthOf(lastFull.slice(0, 7))}-01`
  if (to >= afterLast) days.push([afterLast, to])
  return { months: [firstFull, lastFull], days }
}

/** 'YYYY-MM' → the next 'YYYY-MM'. */
export function nextMonthOf(m: string): string {
  const [y, mo] = m.split('-').map(Number) as [number, number]
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`
}

function previousMonthOf(m: string): string {
  const [y, mo] = m.split('-').map(Number) as [number, number]
  return mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`
}

function lastDayOfMonth(m: string): string {
  return dateOfDayNumber(dayNumberOf(`${nextMonthOf(m)}-01`) - 1)
}

/** One counter a dossier adds to: its unit × procedure × Vietnam day, and which column. */
export interface Contribution {
  unitId: string
  procedureCode: string
  day: string
  column: DailyColumn
}

/**
 * What a dossier adds to the daily aggregates, judged as its log stands: its receipt on the day received (by
 * channel), its end on the day ended (by judgement). Nothing before receipt: a dossier refused or withdrawn
 * before it was received is not counted.
 */
export function contributions(f: DossierFacts, ctx: JudgeContext): Contribution[] {
  if (f.receivedAt === null || f.unitId === null || f.procedureCode === null) return []
  const base = { unitId: f.unitId, procedureCode: f.procedureCode }
  const out: Contribution[] = []
  const rday = vnDate(f.receivedAt)
  const add = (day: string, column: DailyColumn) => out.push({ ...base, day, column })
  add(rday, 'received_total')
  add(rday, `received_${f.channel ?? 'counter'}`)
  if (f.digitized) add(rday, 'received_digitized')
  if (f.reusedData) add(rday, 'received_reused')
  if (f.end) {
    const s = stateAt(f, f.end.at, ctx)
    if (s.status === 'done') {
      const eday = vnDate(s.endAt)
      add(eday, 'done_total')
      add(eday, s.judgement === 'early' ? 'done_early' : s.judgement === 'on_time' ? 'done_on_time' : 'done_late')
      if (f.feeRequired) add(eday, 'done_fee')
      if (f.feeRequired && f.paidOnline) add(eday, 'done_paid_online')
      if (f.electronicResult) add(eday, 'done_electronic')
    }
  }
  return out
}

/** Net change per counter between what a dossier added before and what it adds now (zero changes left out). */
export function contributionDelta(before: readonly Contribution[], after: readonly Contribution[]): (Contribution & { delta: number })[] {
  const key = (c: Contribution) => `${c.unitId}\u0000${c.procedureCode}\u0000${c.day}\u0000${c.column}`
  const net = new Map<string, Contribution & { delta: number }>()
  for (const [list, sign] of [
    [before, -1],
    [after, 1],
  ] as const) {
    for (const c of list) {
      const k = key(c)
      const cur = net.get(k)
      if (cur) cur.delta += sign
      else net.set(k, { ...c, delta: sign })
    }
  }
  return [...net.values()].filter((c) => c.delta !== 0)
}

// --- period KPIs ----------------------------------------------------------------------------------------------

/** What the dossiers open at the period's end add up to. */
export interface OpenCounts {
  total: number
  inTime: number
  overdue: number
  dueSoon: number
}

export function countOpen(open: readonly { facts: DossierFacts; ctx: JudgeContext }[], T: number): OpenCounts {
  const c: OpenCounts = { total: 0, inTime: 0, overdue: 0, dueSoon: 0 }
  for (const { facts, ctx } of open) {
    const s = stateAt(facts, T, ctx)
    if (s.status !== 'in_progress') continue
    c.total++
    if (s.overdue) c.overdue++
    else c.inTime++
    if (s.dueSoon) c.dueSoon++
  }
  return c
}

export interface PeriodKpis {
  received: { total: number; counter: number; online: number; post: number }
  done: { total: number; early: number; onTime: number; late: number }
  inProgress: OpenCounts
  /** (early + on time) ÷ (done + overdue in progress): open overdue dossiers are never hidden. Null: nothing to judge. */
  onTimeRate: number | null
  /** Online receipts ÷ receipts. */
  onlineRate: number | null
}

export function ratio(n: number, d: number): number | null {
  return d > 0 ? n / d : null
}

export function periodKpis(s: DailySums, open: OpenCounts): PeriodKpis {
  return {
    received: { total: s.received_total, counter: s.received_counter, online: s.received_online, post: s.received_post },
    done: { total: s.done_total, early: s.done_early, onTime: s.done_on_time, late: s.done_late },
    inProgress: open,
    onTimeRate: ratio(s.done_early + s.done_on_time, s.done_total + open.overdue),
    onlineRate: ratio(s.received_online, s.received_total),
  }
}

// --- Decision 766 ---------------------------------------------------------------------------------------------

/** An indicator's maximum points and target ratio (full points at or above it; null: points ∝ ratio). */
export interface IndicatorScale {
  max: number
  target: number | null
}

/** The five groups and their maxima (100 points in all). */
export const INDEX_766_GROUPS = [
  { key: 'publicity', max: 18, vi: 'Công khai, minh bạch', en: 'Publicity and transparency' },
  { key: 'progress', max: 20, vi: 'Tiến độ giải quyết', en: 'Processing progress' },
  { key: 'online', max: 22, vi: 'Dịch vụ trực tuyến', en: 'Online service' },
  { key: 'digitisation', max: 22, vi: 'Số hóa hồ sơ', en: 'Digitisation' },
  { key: 'satisfaction', max: 18, vi: 'Mức độ hài lòng', en: 'Satisfaction' },
] as const
export type IndexGroupKey = (typeof INDEX_766_GROUPS)[number]['key']

/** Indicators events can measure, and the ones they cannot (shown as such, never invented). */
export const INDICATORS_766 = [
  { code: '2.1', group: 'progress', measured: true, vi: 'Hồ sơ giải quyết trước và đúng hạn', en: 'Dossiers done early or on time' },
  { code: '3.1', group: 'online', measured: true, vi: 'Thủ tục có dịch vụ trực tuyến', en: 'Procedures offered online' },
  { code: '3.2', group: 'online', measured: true, vi: 'Dịch vụ trực tuyến có phát sinh hồ sơ', en: 'Online services that received a dossier' },
  { code: '3.3', group: 'online', measured: true, vi: 'Hồ sơ nộp trực tuyến', en: 'Dossiers submitted online' },
  { code: '3.6', group: 'online', measured: true, vi: 'Hồ sơ thanh toán trực tuyến', en: 'Dossiers paid online' },
  { code: '4.1', group: 'digitisation', measured: true, vi: 'Hồ sơ cấp kết quả điện tử', en: 'Dossiers with an electronic result' },
  { code: '4.2', group: 'digitisation', measured: true, vi: 'Hồ sơ được số hóa', en: 'Dossiers digitised' },
  { code: '4.3', group: 'digitisation', measured: true, vi: 'Hồ sơ tái sử dụng dữ liệu số hóa', en: 'Dossiers reusing digitised data' },
  { code: '5.4', group: 'satisfaction', measured: true, vi: '100% trừ tỷ lệ trễ hạn (chưa tính phản ánh)', en: '100% minus the overdue rate (complaints not counted)' },
  { code: '1.x', group: 'publicity', measured: false, vi: 'Công khai, minh bạch (không đo được từ sự kiện hồ sơ)', en: 'Publicity (not measurable from dossier events)' },
  { code: '5.2', group: 'satisfaction', measured: false, vi: 'Xử lý phản ánh, kiến nghị đúng hạn', en: 'Complaints handled on time' },
  { code: '5.3', group: 'satisfaction', measured: false, vi: 'Hài lòng với việc xử lý phản ánh', en: 'Satisfaction with complaint handling' },
] as const
export type IndicatorCode = (typeof INDICATORS_766)[number]['code']
export type MeasuredCode = Extract<(typeof INDICATORS_766)[number], { measured: true }>['code']

/** The portal's maxima and targets (shared/DOMAIN.md §4); configuration may replace any of them (DOSSIER_766_SCALES). */
export const DEFAULT_766_SCALES: Record<MeasuredCode, IndicatorScale> = {
  '2.1': { max: 20, target: null },
  '3.1': { max: 2, target: 0.8 },
  '3.2': { max: 4, target: null },
  '3.3': { max: 6, target: 0.5 },
  '3.6': { max: 6, target: null },
  '4.1': { max: 6, target: null },
  '4.2': { max: 4, target: 0.8 },
  '4.3': { max: 2, target: 0.8 },
  '5.4': { max: 6, target: 0.9 },
}

/** points = max × ratio; with a target T, full points when ratio ≥ T, otherwise ratio × max ÷ T. */
export function indicatorPoints(ratioValue: number | null, scale: IndicatorScale): number | null {
  if (ratioValue === null) return null
  if (scale.target === null) return scale.max * ratioValue
  return ratioValue >= scale.target ? scale.max : (ratioValue * scale.max) / scale.target
}

/** What the 766 indicators are computed from for a period and scope. */
export interface IndexInputs {
  sums: DailySums
  open: OpenCounts
  /** Procedures handled in scope during the period (any dossier received), and how many of them offer an online service. */
  procedures: number
  onlineProcedures: number
  /** Online-service procedures that received at least one online dossier. */
  onlineProceduresUsed: number
  /**
   * Citizen reports about the scope's agencies, when the IOC takes them: resolved in the period (`handled`),
   * by their deadline or an approved extension's (`onTime`), rated by the citizen and found satisfactory.
   * They measure 5.2 and 5.3; without them those two stay "not measured".
   */
  reports?: ReportIndexInputs
}

export interface ReportIndexInputs {
  handled: number
  onTime: number
  rated: number
  satisfied: number
}

/** 5.2 and 5.3 (6 points each; 5.2 gives full points when there was nothing to handle, as the portal does). */
export const REPORT_766_SCALES = { '5.2': { max: 6, target: null }, '5.3': { max: 6, target: null } } as const satisfies Record<string, IndicatorScale>

export interface IndicatorValue {
  code: IndicatorCode
  vi: string
  en: string
  measured: boolean
  /** 0–1, or null when there is nothing to measure it on (or it is not measured). */
  ratio: number | null
  numerator: number | null
  denominator: number | null
  max: number
  target: number | null
  points: number | null
}

export interface Index766 {
  groups: { key: IndexGroupKey; vi: string; en: string; max: number; measuredMax: number; points: number; indicators: IndicatorValue[] }[]
  /** Points of the measured indicators, out of `measuredMax` (the unmeasured ones are not guessed). */
  points: number
  measuredMax: number
  max: 100
}

export function index766(x: IndexInputs, scales: Record<MeasuredCode, IndicatorScale> = DEFAULT_766_SCALES): Index766 {
  const s = x.sums
  const judged = s.done_total + x.open.overdue
  const lateOrOverdue = s.done_late + x.open.overdue
  const parts: Record<MeasuredCode, [number, number]> = {
    '2.1': [s.done_early + s.done_on_time, judged],
    '3.1': [x.onlineProcedures, x.procedures],
    '3.2': [x.onlineProceduresUsed, x.onlineProcedures],
    '3.3': [s.received_online, s.received_total],
    '3.6': [s.done_paid_online, s.done_fee],
    '4.1': [s.done_electronic, s.done_total],
    '4.2': [s.received_digitized, s.received_total],
    '4.3': [s.received_reused, s.received_total],
    '5.4': [judged - lateOrOverdue, judged],
  }
  const values: IndicatorValue[] = INDICATORS_766.map((ind) => {
    if ((ind.code === '5.2' || ind.code === '5.3') && x.reports) {
      const [n, d] = ind.code === '5.2' ? [x.reports.onTime, x.reports.handled] : [x.reports.satisfied, x.reports.rated]
      const r = ind.code === '5.2' && d === 0 ? 1 : ratio(n, d)
      const scale = REPORT_766_SCALES[ind.code]
      return { code: ind.code, vi: ind.vi, en: ind.en, measured: true, ratio: r, numerator: n, denominator: d, max: scale.max, target: scale.target, points: indicatorPoints(r, scale) }
    }
    if (!ind.measured) {
      const max = ind.code === '1.x' ? 18 : 6
      return { code: ind.code, vi: ind.vi, en: ind.en, measured: false, ratio: null, numerator: null, denominator: null, max, target: null, points: null }
    }
    const [n, d] = parts[ind.code]
    const r = ratio(n, d)
    const scale = scales[ind.code]
    return { code: ind.code, vi: ind.vi, en: ind.en, measured: true, ratio: r, numerator: n, denominator: d, max: scale.max, target: scale.target, points: indicatorPoints(r, scale) }
  })
  const groups = INDEX_766_GROUPS.map((g) => {
    const indicators = values.filter((v) => INDICATORS_766.find((i) => i.code === v.code)!.group === g.key)
    const measured = indicators.filter((i) => i.measured && i.points !== null)
    return {
      key: g.key,
      vi: g.vi,
      en: g.en,
      max: g.max,
      measuredMax: measured.reduce((a, i) => a + i.max, 0),
      points: measured.reduce((a, i) => a + i.points!, 0),
      indicators,
    }
  })
  return {
    groups,
    points: groups.reduce((a, g) => a + g.points, 0),
    measuredMax: groups.reduce((a, g) => a + g.measuredMax, 0),
    max: 100,
  }
}
