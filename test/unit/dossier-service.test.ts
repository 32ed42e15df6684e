// What the dossier service decides, with a fake repository: whose numbers a caller may read, which units
// are ranked and in what order, and how the late-or-overdue list pages across open and ended dossiers.
import { describe, expect, it } from 'vitest'
import { DEFAULT_766_SCALES, DEFAULT_WORKING_HOURS, deriveFacts, emptySums, type DailySums, type DossierEvent, type Unit } from '../../contract/index.ts'
import type { DossierConfig } from '../../core/config.ts'
import type { Principal } from '../../server/shared/auth.ts'
import type { DossierRepository, DossierRow, OpenDossier } from '../../server/dossiers/repository.ts'
import { DossierService } from '../../server/dossiers/service.ts'

const unit = (id: string, parentId: string | null, type: Unit['type']): Unit => ({ id, parentId, name: id, level: type, type, geometry: null, approximate: false })
const UNITS = [unit('P', null, 'province'), unit('D1', 'P', 'department'), unit('D2', 'P', 'department'), unit('D3', 'P', 'department'), unit('L1', 'P', 'locality'), unit('W1', 'L1', 'locality')]

const CONFIG: DossierConfig = { maxAgeMs: 400 * 86_400_000, hours: DEFAULT_WORKING_HOURS, dueSoonMs: 8 * 3_600_000, rankingMin: 3, scales: DEFAULT_766_SCALES }
const NOW = Date.parse('2026-04-15T10:00:00+07:00')

function sums(over: Partial<DailySums>): DailySums {
  return { ...emptySums(), ...over }
}

function openDossier(id: string, unitId: string, received: string, appointment: string): OpenDossier {
  const ev = (event: DossierEvent['event'], ts: string, extra: Partial<DossierEvent> = {}): DossierEvent => ({
    dossierId: id,
    event,
    ts: Date.parse(`${ts}+07:00`),
    unitId,
    procedureCode: 'X.1',
    channel: 'counter',
    appointmentAt: null,
    toUnitId: null,
    online: null,
    electronicResult: null,
    fee: null,
    digitized: null,
    reusedData: null,
    ...extra,
  })
  return { id, unitId, procedureCode: 'X.1', facts: deriveFacts(id, [ev('received', received, { appointmentAt: Date.parse(`${appointment}+07:00`) })]), legalDays: 5 }
}

function fakeRepo(data: { byUnit?: Record<string, Partial<DailySums>>; open?: OpenDossier[]; late?: number } = {}): DossierRepository {
  const byUnit = new Map(Object.entries(data.byUnit ?? {}).map(([k, v]) => [k, sums(v)]))
  const lateRows: DossierRow[] = Array.from({ length: data.late ?? 0 }, (_, i) => {
    const f = openDossier(`L-${i}`, 'D1', '2026-04-01T08:00:00', '2026-04-03T17:00:00').facts
    f.end = { at: Date.parse('2026-04-08T09:00:00+07:00'), event: 'processed' }
    return { id: f.id, unitId: 'D1', procedureCode: 'X.1', channel: 'counter', receivedAt: f.receivedAt, endAt: f.end.at, judgement: 'late', dueAt: null, daysLate: 3, facts: f, legalDays: 5 }
  })
  const repo: Partial<DossierRepository> = {
    sumsByUnit: async (units) => new Map([...byUnit].filter(([k]) => units.includes(k))),
    sumsByUnitProcedure: async () => [],
    procedureUsage: async () => [],
    sumsByMonth: async () => new Map(),
    openAt: async () => data.open ?? [],
    ended: async (_u, _s, _e, _f, _p, limit, offset) => ({ total: lateRows.length, rows: lateRows.slice(offset, offset + limit) }),
    procedures: async () => [],
    firstDay: async () => '2026-01-01',
    procedureStamp: async () => 'p',
    calendarStamp: async () => 'c',
    calendarDays: async () => [],
  }
  return repo as DossierRepository
}

const leader = (scope: string | null): Principal => ({
  kind: 'user',
  id: '1',
  name: 'leader',
  displayName: null,
  userId: '1',
  roles: ['leader'],
  permissions: new Set(['dossiers:read']),
  agencyUnitId: null,
  scopeUnitId: scope,
  session: null,
})

const service = (repo = fakeRepo()) => new DossierService(repo, () => UNITS, CONFIG, () => NOW)

describe('DossierService', () => {
  it('reads the province by default, a leader’s own scope by default, and refuses a unit outside the scope', () => {
    expect(service().scope(leader(null), undefined).root.id).toBe('P')
    const own = service().scope(leader('L1'), undefined)
    expect(own.root.id).toBe('L1')
    expect(own.ids.sort()).toEqual(['L1', 'W1'])
    expect(service().scope(leader('L1'), 'W1').root.id).toBe('W1')
    expect(() => service().scope(leader('L1'), 'D1')).toThrow(/outside your scope/)
    expect(() => service().scope(leader(null), 'NOPE')).toThrow(/not a unit id/)
  })

  it('judges open dossiers at the end of a past period, and at now while the period runs', () => {
    expect(new Date(service().bounds({ from: '2026-03-01', to: '2026-03-31' }).T).toISOString()).toBe('2026-03-31T16:59:59.999Z')
    expect(service().bounds({ from: '2026-04-01', to: '2026-04-30' }).T).toBe(NOW)
  })

  it('ranks only units judged on enough dossiers, best on-time rate first, and counts a ward for its locality', async () => {
    const repo = fakeRepo({
      byUnit: {
        D1: { received_total: 10, done_total: 10, done_on_time: 9, done_late: 1 },
        D2: { received_total: 10, done_total: 10, done_on_time: 10 },
        D3: { received_total: 2, done_total: 2, done_on_time: 2 },
        W1: { received_total: 4, done_total: 4, done_early: 4 },
      },
    })
    const departments = await service(repo).rankings(leader(null), { from: '2026-04-01', to: '2026-04-10', type: 'department' })
    expect(departments.rows.map((r) => [r.unit.id, r.rank])).toEqual([
      ['D2', 1],
      ['D1', 2],
      ['D3', null], // 2 judged < DOSSIER_RANKING_MIN 3: listed after, unranked
    ])
    const localities = await service(repo).rankings(leader(null), { from: '2026-04-01', to: '2026-04-10', type: 'locality' })
    expect(localities.rows.map((r) => [r.unit.id, r.done])).toEqual([['L1', 4]])
  })

  it('counts an open dossier past its appointment as overdue, lowering the on-time rate', async () => {
    const repo = fakeRepo({ byUnit: { D1: { received_total: 2, done_total: 1, done_on_time: 1 } }, open: [openDossier('O-1', 'D1', '2026-04-01T08:00:00', '2026-04-07T17:00:00')] })
    const k = await service(repo).kpis(leader(null), { unit: 'D1', from: '2026-04-01', to: '2026-04-30' })
    expect(k.inProgress).toEqual({ total: 1, inTime: 0, overdue: 1, dueSoon: 0 })
    expect(k.onTimeRate).toBe(0.5)
  })

  it('pages the late-or-overdue list through the open overdue dossiers first, then the late ended ones', async () => {
    const open = ['O-1', 'O-2', 'O-3'].map((id) => openDossier(id, 'D1', '2026-04-01T08:00:00', '2026-04-07T17:00:00'))
    const repo = fakeRepo({ open, late: 4 })
    const page1 = await service(repo).list(leader(null), { unit: 'D1', from: '2026-04-01', to: '2026-04-30', filter: 'late_or_overdue', page: 1, pageSize: 2 })
    const page2 = await service(repo).list(leader(null), { unit: 'D1', from: '2026-04-01', to: '2026-04-30', filter: 'late_or_overdue', page: 2, pageSize: 2 })
    const page4 = await service(repo).list(leader(null), { unit: 'D1', from: '2026-04-01', to: '2026-04-30', filter: 'late_or_overdue', page: 4, pageSize: 2 })
    expect(page1.total).toBe(7)
    expect(page1.rows.map((r) => r.id)).toEqual(['O-1', 'O-2'])
    expect(page2.rows.map((r) => r.id)).toEqual(['O-3', 'L-0'])
    expect(page4.rows.map((r) => r.id)).toEqual(['L-3'])
  })
})
