import { describe, it, expect } from 'vitest'
import { deriveFacts, stateAt, type DossierState, type JudgeContext } from '../../contract/dossiers/rules.ts'
import { DUE_SOON_MS, RECONCILIATION, type Expected, type FixtureEvent, type ReconciliationDossier } from '../fixtures/dossier-reconciliation.ts'
import { dossierEvent, testCalendar, vn, vnText } from '../helpers/dossier-events.ts'

// Every hand-computed dossier of the fixture against stateAt, all mismatches reported at once: a rule that
// drifts shows every dossier it changes, not just the first.

const calendar = testCalendar()

function toEvent(id: string, e: FixtureEvent) {
  const { event, at, ...fields } = e
  return dossierEvent(id, event, at, fields)
}

/** The fields the fixture states, read from the computed state. */
function comparable(s: DossierState): Expected {
  if (s.status === 'not_received') return { status: 'not_received' }
  if (s.status === 'done') return { status: 'done', judgement: s.judgement, daysLate: s.daysLate }
  return { status: 'in_progress', overdue: s.overdue, dueSoon: s.dueSoon, daysLate: s.daysLate }
}

function judge(d: ReconciliationDossier): DossierState {
  const ctx: JudgeContext = { calendar, legalDays: d.legalDays, dueSoonMs: DUE_SOON_MS }
  return stateAt(
    deriveFacts(
      d.id,
      d.events.map((e) => toEvent(d.id, e)),
    ),
    vn(d.T),
    ctx,
  )
}

describe('dossier reconciliation (hand-computed expectations)', () => {
  it('has at least 100 dossiers with distinct ids', () => {
    expect(RECONCILIATION.length).toBeGreaterThanOrEqual(100)
    expect(new Set(RECONCILIATION.map((d) => d.id)).size).toBe(RECONCILIATION.length)
  })

  it('covers every outcome: not received, each judgement, open in time, due soon and overdue', () => {
    const kinds = new Set(
      RECONCILIATION.map(({ expected: x }) =>
        x.status === 'done' ? x.judgement : x.status === 'in_progress' ? (x.overdue ? 'overdue' : x.dueSoon ? 'due_soon' : 'in_time') : x.status,
      ),
    )
    expect([...kinds].sort()).toEqual(['due_soon', 'early', 'in_time', 'late', 'not_received', 'on_time', 'overdue'])
  })

  it('judges every dossier as computed by hand', () => {
    const mismatches: string[] = []
    for (const d of RECONCILIATION) {
      const state = judge(d)
      const got = comparable(state)
      if (JSON.stringify(got) !== JSON.stringify(d.expected)) {
        const due = 'due' in state ? `, due ${vnText(state.due)}` : ''
        mismatches.push(`${d.id} (${d.description}): expected ${JSON.stringify(d.expected)}, got ${JSON.stringify(got)}${due}`)
      }
    }
    expect(mismatches, `${mismatches.length} of ${RECONCILIATION.length} dossiers disagree:\n${mismatches.join('\n')}`).toEqual([])
  })
})
