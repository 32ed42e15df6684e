// Where a citizen report goes (the nearest unit up the tree with a rule for its category, else the IOC) and
// which open reports it may repeat (same category, within 250 m, in the last 7 days).
import { describe, expect, it } from 'vitest'
import { DEFAULT_DUPLICATE_POLICY, routeReport, suggestDuplicates, type DuplicateCandidate } from '../../contract/reports/routing.ts'

const UNITS = [
  { id: 'P', parentId: null },
  { id: 'HL', parentId: 'P' },
  { id: 'HL-HG', parentId: 'HL' },
  { id: 'VD', parentId: 'P' },
]
const RULES = [
  { unitId: 'P', category: 'environment', agencyId: 'S-NNMT' },
  { unitId: 'HL', category: 'environment', agencyId: 'HL-TNMT' },
  { unitId: 'P', category: 'power', agencyId: 'EVN-QN' },
]

describe('routing a report', () => {
  it('takes the rule of the deepest unit that has one for the category', () => {
    expect(routeReport(UNITS, RULES, 'HL-HG', 'environment', 'IOC')).toMatchObject({ agencyId: 'HL-TNMT', rule: { unitId: 'HL' } })
    expect(routeReport(UNITS, RULES, 'VD', 'environment', 'IOC')).toMatchObject({ agencyId: 'S-NNMT', rule: { unitId: 'P' } })
  })

  it('proposes a new route when the category changes, and leaves the IOC in charge when no rule matches', () => {
    expect(routeReport(UNITS, RULES, 'HL-HG', 'power', 'IOC').agencyId).toBe('EVN-QN')
    expect(routeReport(UNITS, RULES, 'HL-HG', 'traffic', 'IOC')).toEqual({ agencyId: 'IOC', rule: null })
    expect(routeReport(UNITS, RULES, null, 'environment', 'IOC')).toEqual({ agencyId: 'IOC', rule: null })
  })

  it('survives a cycle in bad reference data', () => {
    const cyclic = [
      { id: 'A', parentId: 'B' },
      { id: 'B', parentId: 'A' },
    ]
    expect(routeReport(cyclic, [], 'A', 'x', 'IOC').agencyId).toBe('IOC')
  })
})

describe('suggesting duplicates', () => {
  const NOW = Date.parse('2026-03-10T09:00:00+07:00')
  const DAY = 86_400_000
  // 0.001° of latitude ≈ 111 m
  const near = (dLat: number): [number, number] => [107.08, 20.95 + dLat]
  const cand = (id: string, over: Partial<DuplicateCandidate>): DuplicateCandidate => ({ id, category: 'environment', position: near(0), receivedAt: NOW - DAY, open: true, ...over })

  it('suggests open reports of the same category within 250 m from the last 7 days, nearest first', () => {
    const candidates = [
      cand('far', { position: near(0.003) }), // ~334 m
      cand('near', { position: near(0.002) }), // ~222 m
      cand('here', { position: near(0.0001) }),
      cand('closed', { open: false }),
      cand('other-category', { category: 'traffic' }),
      cand('old', { receivedAt: NOW - 8 * DAY }),
      cand('no-point', { position: null }),
    ]
    const r = suggestDuplicates({ id: 'new', category: 'environment', position: near(0), receivedAt: NOW }, candidates)
    expect(r.map((x) => x.id)).toEqual(['here', 'near'])
    expect(r[1]!.meters).toBeGreaterThan(200)
    expect(r[1]!.meters).toBeLessThanOrEqual(250)
  })

  it('takes its distance and window from configuration, and suggests nothing for a report without a point', () => {
    const candidates = [cand('a', { position: near(0.003) })]
    expect(suggestDuplicates({ id: 'n', category: 'environment', position: near(0), receivedAt: NOW }, candidates, { ...DEFAULT_DUPLICATE_POLICY, meters: 400 }).map((x) => x.id)).toEqual(['a'])
    expect(suggestDuplicates({ id: 'n', category: 'environment', position: null, receivedAt: NOW }, candidates)).toEqual([])
  })
})
