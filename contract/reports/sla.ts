// Deadlines of a citizen report in working time (the dossiers' working-day calendar): the agency accepts within
// 8 working hours of being forwarded the report; an urgent report is resolved within 4 working hours of its
// acceptance, a normal one within 15 working days (iHanoi, Decision 1207/QĐ-UBND). Every span is configurable
// per level and per category. Reports are due soon in the last quarter of a span and overdue after it; an
// overdue report escalates to the agency's parent unit and the IOC. Statistics count a report resolved by its
// deadline as on time, by a deadline an approved extension gave as late with an extension, otherwise late
// (Hue-S reports the two apart). Pure.

import type { WorkingCalendar } from '../shared/calendar.ts'

export const PRIORITY_LEVELS = ['urgent', 'complex', 'normal'] as const
export type PriorityLevel = (typeof PRIORITY_LEVELS)[number]

/** Working hours to accept, and to resolve after acceptance. */
export interface SlaSpan {
  acceptHours: number
  resolveHours: number
}

/** Complex reports: 30 working days, twice the normal time (the decision leaves it to the province; configurable). */
export const DEFAULT_SLA: Record<PriorityLevel, SlaSpan> = {
  urgent: { acceptHours: 8, resolveHours: 4 },
  complex: { acceptHours: 8, resolveHours: 30 * 8 },
  normal: { acceptHours: 8, resolveHours: 15 * 8 },
}

export interface SlaPolicy {
  levels: Record<PriorityLevel, SlaSpan>
  /** Per category code, spans that replace the level's. */
  categories: Record<string, Partial<SlaSpan>>
}

export const DEFAULT_SLA_POLICY: SlaPolicy = { levels: DEFAULT_SLA, categories: {} }

export function spanOf(policy: SlaPolicy, level: PriorityLevel, category: string | null): SlaSpan {
  return { ...policy.levels[level], ...(category ? policy.categories[category] : undefined) }
}

/** The times that decide a report's deadlines. */
export interface SlaTimes {
  level: PriorityLevel
  category: string | null
  /** The last time it was forwarded to an agency (a return and a new forward start the clock again). */
  forwardedAt: number | null
  acceptedAt: number | null
  resolvedAt: number | null
  /** The new deadline of an approved extension. */
  extendedUntil: number | null
}

export interface Deadlines {
  acceptBy: number | null
  /** The deadline from the SLA alone. */
  resolveBy: number | null
  /** The deadline in force: the extension's when one was approved. */
  dueBy: number | null
}

export function deadlines(t: SlaTimes, policy: SlaPolicy, cal: WorkingCalendar): Deadlines {
  const span = spanOf(policy, t.level, t.category)
  const hour = 3_600_000
  const acceptBy = t.forwardedAt === null ? null : cal.addWorkingMs(t.forwardedAt, span.acceptHours * hour)
  const resolveBy = t.acceptedAt === null ? null : cal.addWorkingMs(t.acceptedAt, span.resolveHours * hour)
  const dueBy = resolveBy === null ? null : t.extendedUntil !== null && t.extendedUntil > resolveBy ? t.extendedUntil : resolveBy
  return { acceptBy, resolveBy, dueBy }
}

export type SlaState = 'none' | 'in_time' | 'due_soon' | 'overdue'

/** Where the running clock stands at T: accepting (forwarded, not accepted) or resolving (accepted, not resolved). */
export function slaStateAt(t: SlaTimes, T: number, policy: SlaPolicy, cal: WorkingCalendar): { phase: 'accept' | 'resolve' | null; state: SlaState; dueBy: number | null } {
  const d = deadlines(t, policy, cal)
  const span = spanOf(policy, t.level, t.category)
  let phase: 'accept' | 'resolve' | null = null
  let from: number | null = null
  let due: number | null = null
  let spanMs = 0
  if (t.forwardedAt !== null && t.acceptedAt === null) {
    phase = 'accept'
    from = t.forwardedAt
    due = d.acceptBy
    spanMs = span.acceptHours * 3_600_000
  } else if (t.acceptedAt !== null && t.resolvedAt === null) {
    phase = 'resolve'
    from = t.acceptedAt
    due = d.dueBy
    spanMs = due === null ? 0 : cal.workingMsBetween(from, due)
  }
  if (phase === null || due === null || from === null) return { phase, state: 'none', dueBy: null }
  if (T > due) return { phase, state: 'overdue', dueBy: due }
  const left = cal.workingMsBetween(T, due)
  return { phase, state: left <= spanMs / 4 ? 'due_soon' : 'in_time', dueBy: due }
}

export type SlaOutcome = 'on_time' | 'late_with_extension' | 'late'

/** How a resolved report counts: by the SLA's deadline, by an approved extension's, or late. Null while not resolved. */
export function outcome(t: SlaTimes, policy: SlaPolicy, cal: WorkingCalendar): SlaOutcome | null {
  if (t.resolvedAt === null) return null
  const d = deadlines(t, policy, cal)
  if (d.resolveBy === null || t.resolvedAt <= d.resolveBy) return 'on_time'
  if (d.dueBy !== null && t.resolvedAt <= d.dueBy) return 'late_with_extension'
  return 'late'
}

/**
 * REPORT_SLA: spans to replace, `<level or category>=<accept>/<resolve>`, each a number of working hours (`h`)
 * or working days (`d`, of `hoursPerDay`): `urgent=8h/4h,normal=8h/15d,power=4h/2h`. A level name sets the
 * level; any other name sets that category. Returns the policy, or a sentence naming the bad part.
 */
export function parseSlaPolicy(text: string, hoursPerDay = 8): SlaPolicy | string {
  const policy: SlaPolicy = { levels: { ...DEFAULT_SLA }, categories: {} }
  const span = (s: string) => {
    const m = /^(\d+(?:\.\d+)?)\s*([hd])$/.exec(s.trim())
    return m ? Number(m[1]) * (m[2] === 'd' ? hoursPerDay : 1) : null
  }
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z0-9_-]+)\s*=\s*([^/]+)\/(.+)$/i.exec(part)
    const accept = m ? span(m[2]!) : null
    const resolve = m ? span(m[3]!) : null
    if (!m || accept === null || resolve === null || accept <= 0 || resolve <= 0) return `'${part}' is not <level or category>=<accept>/<resolve> with spans like 8h or 15d`
    const name = m[1]!
    if ((PRIORITY_LEVELS as readonly string[]).includes(name)) policy.levels[name as PriorityLevel] = { acceptHours: accept, resolveHours: resolve }
    else policy.categories[name] = { acceptHours: accept, resolveHours: resolve }
  }
  return policy
}
