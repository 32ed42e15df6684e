// The leader API over a running stack: dossier events published over MQTT become period KPIs, rankings, the
// dossiers behind a number and exports, computed by the rules and checked here against numbers worked out by
// hand; a leader reads only their scope; bad queries get a 400 naming the parameter.
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dossierEventJson, type DossierEvent } from '../../contract/index.ts'
import { SYSTEM } from '../../server/shared/audit.ts'
import { closeStack, openStack, STACK_TARGETS, type Stack, type StackTarget } from '../helpers/stack.ts'
import { waitFor } from '../helpers/wait.ts'

const t = (iso: string) => Date.parse(`${iso}+07:00`)
const ev = (dossierId: string, event: DossierEvent['event'], ts: string, extra: Partial<DossierEvent> = {}) => dossierEventJson({ dossierId, event, ts: t(ts), ...extra })
const received = (id: string, unitId: string, ts: string, appointment: string | null, channel: DossierEvent['channel'] = 'counter') =>
  ev(id, 'received', ts, { unitId, procedureCode: 'T.5', channel, appointmentAt: appointment === null ? null : t(appointment) })

// March 2026: weekdays; 2–6, 9–13, 16–20 … no holidays in March.
const EVENTS = [
  // T-XD: early (ends Thu 5, due Mon 9)
  received('A-1', 'T-XD', '2026-03-02T08:00:00', '2026-03-09T17:00:00', 'online'),
  ev('A-1', 'processed', '2026-03-05T10:00:00'),
  // T-XD: on time (ends on the due date)
  received('A-2', 'T-XD', '2026-03-02T09:00:00', '2026-03-09T17:00:00'),
  ev('A-2', 'processed', '2026-03-09T16:00:00'),
  // T-XD: late by 2 working days (due Mon 9, ends Wed 11)
  received('A-3', 'T-XD', '2026-03-02T10:00:00', '2026-03-09T17:00:00', 'post'),
  ev('A-3', 'processed', '2026-03-11T09:00:00'),
  // T-XD: open and overdue at the end of March (due Fri 13)
  received('A-4', 'T-XD', '2026-03-06T10:00:00', '2026-03-13T17:00:00', 'online'),
  // T-TP: no appointment, legal 5 working days: received Mon 16 08:00, ends Fri 20 → on time by legal time
  received('B-1', 'T-TP', '2026-03-16T08:00:00', null, 'online'),
  ev('B-1', 'processed', '2026-03-20T16:00:00'),
]

describe('the leader API', () => {
  const target = STACK_TARGETS.at(-1)!
  let t0: StackTarget
  let stack: Stack
  let leaderKey: string

  beforeAll(async () => {
    t0 = await openStack(target, { DOSSIER_RANKING_MIN: '1' })
    stack = t0.stack
    const db = t0.db.db
    await db.query(`INSERT INTO units (id, parent_id, name, level, type) VALUES ('T-XD', 'QN', 'Sở Xây dựng (thử)', 'sở', 'department'), ('T-TP', 'QN', 'Sở Tư pháp (thử)', 'sở', 'department') ON CONFLICT DO NOTHING`)
    await db.query(`INSERT INTO procedures (code, name, field, legal_days, online_level, has_fee) VALUES ('T.5', 'Thủ tục thử năm ngày', 'Thử', 5, 'full', false) ON CONFLICT DO NOTHING`)
    await stack.server.resync()
    await stack.pub.publishAsync(`${stack.topicRoot}/dossier/QN-MOTCUA`, JSON.stringify(EVENTS), { qos: 1 })
    await waitFor(async () => (await db.query(`SELECT count(*)::int AS n FROM dossier_events WHERE dossier_id LIKE 'A-%' OR dossier_id LIKE 'B-%'`)).rows[0].n, (n) => n === EVENTS.length, 'events stored', 20_000)
    await stack.server.accounts.addUser(SYSTEM, { username: 'leader-tp', password: 'leader-tp-password', roles: ['leader'], scopeUnitId: 'T-TP' })
    leaderKey = (await stack.server.accounts.addApiKey(SYSTEM, 'leader-tp-key', 'leader-tp')).key
  })
  afterAll(() => closeStack(t0 ?? {}))

  const json = async (path: string, key?: string) => {
    const res = key ? await fetch(`${stack.server.url}${path}`, { headers: { authorization: `Bearer ${key}` } }) : await stack.api(path)
    return { status: res.status, body: await res.json() }
  }

  it('computes a unit’s month: receipts by channel, judgements, open overdue, on-time rate counting the overdue', async () => {
    const r = await json('/api/dossiers/kpis?unit=T-XD&from=2026-03-01&to=2026-03-31')
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({
      unit: { id: 'T-XD', type: 'department' },
      received: { total: 4, counter: 1, online: 2, post: 1 },
      done: { total: 3, early: 1, onTime: 1, late: 1 },
      inProgress: { total: 1, inTime: 0, overdue: 1, dueSoon: 0 },
      // (1 early + 1 on time) ÷ (3 done + 1 overdue)
      onTimeRate: 0.5,
      onlineRate: 0.5,
      judgedAt: '2026-03-31T16:59:59.999Z',
    })
    const i21 = r.body.index766.groups.flatMap((g: { indicators: unknown[] }) => g.indicators).find((i: { code: string }) => i.code === '2.1')
    expect(i21).toMatchObject({ numerator: 2, denominator: 4, ratio: 0.5, points: 10 })
    const unmeasured = r.body.index766.groups.flatMap((g: { indicators: { measured: boolean; points: unknown }[] }) => g.indicators).filter((i: { measured: boolean }) => !i.measured)
    expect(unmeasured.length).toBeGreaterThan(0)
    for (const i of unmeasured) expect(i.points).toBeNull()
  })

  it('says from which day it holds dossier data, so a period that starts earlier is known to be partial', async () => {
    // the first dossier of this stack was received on 2 March
    const year = await json('/api/dossiers/kpis?unit=T-XD&from=2026-01-01&to=2026-12-31')
    expect(year.body.dataFrom).toBe('2026-03-02')
    expect(year.body.received.total).toBe(4)
  })

  it('judges a dossier without an appointment by the procedure’s legal working time', async () => {
    const r = await json('/api/dossiers/kpis?unit=T-TP&from=2026-03-01&to=2026-03-31')
    // 38.5 of 40 working hours used; the legal time would end on Mon 23, after the end date: early
    expect(r.body.done).toEqual({ total: 1, early: 1, onTime: 0, late: 0 })
  })

  it('ranks departments by on-time rate and lists the dossiers behind the late number, with days late', async () => {
    const r = await json('/api/dossiers/rankings?type=department&from=2026-03-01&to=2026-03-31')
    const mine = r.body.rows.filter((x: { unit: { id: string } }) => ['T-XD', 'T-TP'].includes(x.unit.id))
    expect(mine.map((x: { unit: { id: string } }) => x.unit.id)).toEqual(['T-TP', 'T-XD'])
    expect(mine[0].rank).toBeLessThan(mine[1].rank)
    const late = await json('/api/dossiers/list?unit=T-XD&from=2026-03-01&to=2026-03-31&filter=late_or_overdue')
    expect(late.body.total).toBe(2)
    expect(late.body.rows.map((x: { id: string; daysLate: number; status: string }) => [x.id, x.status, x.daysLate])).toEqual([
      // open: due Fri 13 March, judged on 31 March: 12 working days later (16–20, 23–27, 30, 31)
      ['A-4', 'in_progress', 12],
      ['A-3', 'done', 2],
    ])
    const timeline = await json('/api/dossiers/A-3')
    expect(timeline.body.events.map((e: { event: string }) => e.event)).toEqual(['received', 'processed'])
    expect(timeline.body.dossier).toMatchObject({ judgement: 'late', daysLate: 2, procedureLegalDays: 5 })
  })

  it('exports a ranking as CSV and XLSX with the numbers on screen', async () => {
    const csv = await (await stack.api('/api/dossiers/export?view=list&format=csv&unit=T-XD&from=2026-03-01&to=2026-03-31&filter=late_or_overdue')).text()
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\n')
    expect(lines[0]).toMatch(/^Mã hồ sơ,Đơn vị/)
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['A-4', 'A-3'])
    const res = await stack.api('/api/dossiers/export?view=rankings&type=department&format=xlsx&from=2026-03-01&to=2026-03-31')
    expect(res.headers.get('content-type')).toMatch(/spreadsheetml/)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer)
    const sheet = book.worksheets[0]!
    const rows = sheet.getSheetValues().filter(Boolean) as unknown[][]
    const xd = rows.find((r) => r.includes('Sở Xây dựng (thử)'))!
    // [, rank, unit, received, online, done, early, onTime, late, inProgress, overdue, onTimeRate, …]
    expect(xd.slice(3, 12)).toEqual([4, 2, 3, 1, 1, 1, 1, 1, 0.5])
  })

  it('keeps a leader inside their scope', async () => {
    const own = await json('/api/dossiers/kpis?from=2026-03-01&to=2026-03-31', leaderKey)
    expect(own.status).toBe(200)
    expect(own.body.unit.id).toBe('T-TP')
    const other = await json('/api/dossiers/kpis?unit=T-XD&from=2026-03-01&to=2026-03-31', leaderKey)
    expect(other.status).toBe(403)
    expect(other.body.error).toMatchObject({ code: 'forbidden', field: 'unit' })
    expect((await json('/api/dossiers/A-3', leaderKey)).status).toBe(403)
  })

  it.each([
    ['/api/dossiers/kpis?from=2026-02-30&to=2026-03-31', 'from'],
    ['/api/dossiers/kpis?from=2026-03-31&to=2026-03-01', 'to'],
    ['/api/dossiers/kpis?unit=NOPE&from=2026-03-01&to=2026-03-31', 'unit'],
    ['/api/dossiers/rankings?type=ward&from=2026-03-01&to=2026-03-31', 'type'],
    ['/api/dossiers/list?from=2026-03-01&to=2026-03-31&filter=lost', 'filter'],
    ['/api/dossiers/list?from=2026-03-01&to=2026-03-31&pageSize=5000', 'pageSize'],
  ])('answers %s with a 400 naming %s', async (path, field) => {
    const r = await json(path)
    expect(r.status).toBe(400)
    expect(r.body.error.field).toBe(field)
  })
})
