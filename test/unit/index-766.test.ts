// Decision 766 computed by hand for one unit's month, with and without the citizen reports that measure 5.2
// (handled on time) and 5.3 (satisfaction): points = max × ratio, or full points at or above a target.
import { describe, expect, it } from 'vitest'
import { emptySums, index766, type IndexInputs } from '../../contract/index.ts'

const month: IndexInputs = {
  // 40 received (20 online, 8 digitised, 4 reusing data); 30 done: 10 early, 14 on time, 6 late; 12 with a fee, 6 paid online; 15 electronic results
  sums: { ...emptySums(), received_total: 40, received_online: 20, received_digitized: 8, received_reused: 4, done_total: 30, done_early: 10, done_on_time: 14, done_late: 6, done_fee: 12, done_paid_online: 6, done_electronic: 15 },
  // 2 open and overdue at the end of the month
  open: { total: 10, inTime: 8, overdue: 2, dueSoon: 1 },
  procedures: 10,
  onlineProcedures: 8,
  onlineProceduresUsed: 6,
}
const ind = (r: ReturnType<typeof index766>, code: string) => r.groups.flatMap((g) => g.indicators).find((i) => i.code === code)!

describe('the Decision 766 index, by hand', () => {
  it('scores what dossier events measure and leaves 5.2 and 5.3 unmeasured without citizen reports', () => {
    const r = index766(month)
    // 2.1: (10 + 14) ÷ (30 + 2) = 0.75 → 20 × 0.75 = 15
    expect(ind(r, '2.1')).toMatchObject({ numerator: 24, denominator: 32, points: 15 })
    // 3.1: 8 ÷ 10 = 0.8 ≥ target 0.8 → 2; 3.2: 6 ÷ 8 → 4 × 0.75 = 3; 3.3: 20 ÷ 40 = 0.5 ≥ 0.5 → 6
    expect(ind(r, '3.1').points).toBe(2)
    expect(ind(r, '3.2').points).toBe(3)
    expect(ind(r, '3.3').points).toBe(6)
    // 5.4: (32 − (6 + 2)) ÷ 32 = 0.75 < 0.9 → 6 × 0.75 ÷ 0.9 = 5
    expect(ind(r, '5.4').points).toBeCloseTo(5, 10)
    expect(ind(r, '5.2')).toMatchObject({ measured: false, points: null })
    expect(ind(r, '5.3')).toMatchObject({ measured: false, points: null })
  })

  it('scores 5.2 and 5.3 from the reports the unit’s agencies resolved', () => {
    const without = index766(month)
    // 20 resolved, 17 by their deadline or an approved extension; 16 rated, 12 satisfied
    const r = index766({ ...month, reports: { handled: 20, onTime: 17, rated: 16, satisfied: 12 } })
    expect(ind(r, '5.2')).toMatchObject({ measured: true, numerator: 17, denominator: 20, ratio: 0.85 })
    expect(ind(r, '5.2').points).toBeCloseTo(5.1, 10)
    expect(ind(r, '5.3')).toMatchObject({ measured: true, ratio: 0.75, points: 4.5 })
    const satisfaction = r.groups.find((g) => g.key === 'satisfaction')!
    expect(satisfaction.measuredMax).toBe(18)
    expect(r.measuredMax - without.measuredMax).toBe(12)
    expect(r.points - without.points).toBeCloseTo(9.6, 10)
  })

  it('gives 5.2 its full points when there was nothing to handle, and leaves 5.3 without a rating unscored', () => {
    const r = index766({ ...month, reports: { handled: 0, onTime: 0, rated: 0, satisfied: 0 } })
    expect(ind(r, '5.2')).toMatchObject({ ratio: 1, points: 6 })
    expect(ind(r, '5.3')).toMatchObject({ measured: true, ratio: null, points: null })
  })
})
