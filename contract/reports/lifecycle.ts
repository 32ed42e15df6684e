// The life of a citizen report (phản ánh, kiến nghị) as a state machine: every action names the states it may
// start from, the state it leads to, and who may take it. A transition not in this table is refused, with the
// states the action is allowed from. Pure: the service applies it, audits it and stores it.
//
// Main path: new → classified → forwarded (to an agency) → accepted → in_progress → resolved → published →
// rated. Side paths: returned by the agency (back to the dispatcher) · rejected (out of scope, spam, a formal
// complaint or denunciation, which belongs to another legal channel) · duplicate · extension requested →
// approved / refused (the report keeps its state; the deadline moves when approved) · reopened, after a
// "not satisfied" rating the dispatcher accepts.

export const REPORT_STATES = ['new', 'classified', 'forwarded', 'accepted', 'in_progress', 'resolved', 'published', 'rated', 'returned', 'rejected', 'duplicate', 'reopened'] as const
export type ReportState = (typeof REPORT_STATES)[number]

/** Who acts: the IOC's dispatchers, the agency the report is with, the citizen who sent it. */
export type ReportActor = 'dispatcher' | 'agency' | 'citizen'

export const REPORT_ACTIONS = {
  classify: { from: ['new', 'returned', 'reopened', 'classified'], to: 'classified', by: 'dispatcher' },
  forward: { from: ['classified', 'returned', 'reopened'], to: 'forwarded', by: 'dispatcher' },
  reject: { from: ['new', 'classified', 'returned'], to: 'rejected', by: 'dispatcher' },
  mark_duplicate: { from: ['new', 'classified', 'returned'], to: 'duplicate', by: 'dispatcher' },
  accept: { from: ['forwarded'], to: 'accepted', by: 'agency' },
  return: { from: ['forwarded', 'accepted'], to: 'returned', by: 'agency' },
  start: { from: ['accepted'], to: 'in_progress', by: 'agency' },
  note: { from: ['accepted', 'in_progress'], to: null, by: 'agency' },
  request_extension: { from: ['accepted', 'in_progress'], to: null, by: 'agency' },
  approve_extension: { from: ['accepted', 'in_progress'], to: null, by: 'dispatcher' },
  refuse_extension: { from: ['accepted', 'in_progress'], to: null, by: 'dispatcher' },
  resolve: { from: ['accepted', 'in_progress'], to: 'resolved', by: 'agency' },
  publish: { from: ['resolved'], to: 'published', by: 'dispatcher' },
  rate: { from: ['published'], to: 'rated', by: 'citizen' },
  reopen: { from: ['rated'], to: 'reopened', by: 'dispatcher' },
} as const satisfies Record<string, { from: readonly ReportState[]; to: ReportState | null; by: ReportActor }>
export type ReportAction = keyof typeof REPORT_ACTIONS

/** Why a report may be rejected; a formal complaint or denunciation is sent to its legal channel. */
export const REJECT_REASONS = ['out_of_scope', 'spam', 'complaint_or_denunciation'] as const
export type RejectReason = (typeof REJECT_REASONS)[number]

/** What the report's current situation allows besides its state. */
export interface ReportSituation {
  state: ReportState
  /** An extension request waiting for the dispatcher's answer. */
  extensionPending: boolean
  /** The last rating, when rated. */
  satisfied: boolean | null
}

export type TransitionResult = { ok: true; to: ReportState } | { ok: false; reason: string }

/** Whether `actor` may take `action` now, and the state it leads to; otherwise why not. */
export function transition(s: ReportSituation, action: ReportAction, actor: ReportActor): TransitionResult {
  const rule = REPORT_ACTIONS[action]
  if (rule.by !== actor) return { ok: false, reason: `${action}: only the ${rule.by} may do this` }
  if (!(rule.from as readonly ReportState[]).includes(s.state)) {
    return { ok: false, reason: `${action}: not from '${s.state}' (only from ${rule.from.map((f) => `'${f}'`).join(', ')})` }
  }
  if (action === 'request_extension' && s.extensionPending) return { ok: false, reason: 'request_extension: an extension request is already waiting for an answer' }
  if ((action === 'approve_extension' || action === 'refuse_extension') && !s.extensionPending) return { ok: false, reason: `${action}: no extension request is waiting` }
  if (action === 'reopen' && s.satisfied !== false) return { ok: false, reason: 'reopen: only a report rated "not satisfied" is reopened' }
  return { ok: true, to: rule.to ?? s.state }
}

/** Open311 knows two statuses: a report is closed once the agency's work is done or it was turned away. */
export function open311Status(state: ReportState): 'open' | 'closed' {
  return state === 'resolved' || state === 'published' || state === 'rated' || state === 'rejected' || state === 'duplicate' ? 'closed' : 'open'
}

/** States in which the report waits on an agency (its SLA clock runs). */
export function withAgency(state: ReportState): boolean {
  return state === 'forwarded' || state === 'accepted' || state === 'in_progress'
}
