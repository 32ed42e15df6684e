// Citizen reports over a running stack: Open311 GeoReport v2 endpoint by endpoint (errors included), the
// dispatcher and agency consoles' REST, the life cycle with its refusals, agency scoping over REST and
// sockets, the audited read of contact details, and a forwarded report reaching an agency console connected
// to another server process through the broker.
import sharp from 'sharp'
import { io as connectSocket, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUnitLocator } from '../../contract/index.ts'
import { loadReference } from '../../db/reference.ts'
import { serverOptions, startServer, type RunningServer } from '../../server/service.ts'
import { SYSTEM } from '../../server/shared/audit.ts'
import { closeStack, openStack, STACK_TARGETS, type Stack, type StackTarget } from '../helpers/stack.ts'
import { waitFor } from '../helpers/wait.ts'

const OPEN311_KEY = 'citizen-app-key-0123456789'
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/

describe('citizen reports', () => {
  const target = STACK_TARGETS.at(-1)!
  let t0: StackTarget
  let stack: Stack
  let second: RunningServer | null = null
  const keys: Record<string, string> = {}
  // a point in Hạ Long and the ward that contains it
  const point = { lat: 20.957, lon: 107.105 }
  let ward: string

  beforeAll(async () => {
    t0 = await openStack(target, { OPEN311_API_KEYS: `citizen-app:${OPEN311_KEY}`, REPORT_DUPLICATE_METERS: '250' })
    stack = t0.stack
    const accounts = stack.server.accounts
    await accounts.addUser(SYSTEM, { username: 'disp-1', password: 'dispatcher-password', roles: ['dispatcher'] })
    await accounts.addUser(SYSTEM, { username: 'power-1', password: 'agency-password-1', roles: ['agency'], agencyUnitId: 'QN-DLQN' })
    await accounts.addUser(SYSTEM, { username: 'police-1', password: 'agency-password-2', roles: ['agency'], agencyUnitId: 'QN-CAT' })
    keys.dispatcher = (await accounts.addApiKey(SYSTEM, 'disp-key', 'disp-1')).key
    keys.power = (await accounts.addApiKey(SYSTEM, 'power-key', 'power-1')).key
    keys.police = (await accounts.addApiKey(SYSTEM, 'police-key', 'police-1')).key
    const ref = await loadReference(t0.db.db)
    ward = createUnitLocator(ref.units)([point.lon, point.lat])!.id
  })
  afterAll(async () => {
    await second?.stop()
    await closeStack(t0 ?? {})
  })

  const post311 = (fields: Record<string, string>) =>
    fetch(`${stack.server.url}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) })
  const get311 = async (path: string) => {
    const res = await fetch(`${stack.server.url}/open311/v2/${path}`)
    return { status: res.status, body: await res.json() }
  }
  const as = async (who: string, path: string, init: RequestInit = {}, server = stack.server) => {
    const res = await fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${keys[who]}`, ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string>) },
    })
    return { status: res.status, body: await res.json() }
  }
  const act = (who: string, id: string, body: Record<string, unknown>) => as(who, `/api/reports/${id}/actions`, { method: 'POST', body: JSON.stringify(body) })
  const newReport = async (fields: Record<string, string> = {}) => {
    const res = await post311({ api_key: OPEN311_KEY, service_code: 'power', lat: String(point.lat), long: String(point.lon), description: 'Dây điện đứt rơi xuống vỉa hè', first_name: 'An', last_name: 'Nguyễn', phone: '0912345678', ...fields })
    expect(res.status).toBe(201)
    return ((await res.json()) as { service_request_id: string; token: string }[])[0]!
  }

  describe('Open311 GeoReport v2', () => {
    it('describes itself in discovery.json', async () => {
      const r = await get311('discovery.json')
      expect(r.status).toBe(200)
      expect(r.body.endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', formats: ['application/json'] })
      expect(r.body.endpoints[0].url).toMatch(/\/open311\/v2\/$/)
    })

    it('lists the categories as services, with string codes and their attributes', async () => {
      const r = await get311('services.json')
      expect(r.status).toBe(200)
      const power = r.body.find((s: { service_code: string }) => s.service_code === 'power')
      expect(power).toMatchObject({ service_code: 'power', service_name: 'Sự cố điện', metadata: true, type: 'realtime', group: 'Điện' })
      for (const s of r.body) expect(typeof s.service_code).toBe('string')
      const def = await get311('services/power.json')
      expect(def.body).toMatchObject({ service_code: 'power', attributes: [{ code: 'live_wire', datatype: 'singlevaluelist', required: false }] })
      const missing = await get311('services/no-such.json')
      expect(missing.status).toBe(404)
      expect(missing.body).toEqual([{ code: 404, description: expect.stringMatching(/service_code: 'no-such' is not a service/) }])
    })

    it('takes a form-urlencoded request with an API key and answers its id and token', async () => {
      const res = await post311({ api_key: OPEN311_KEY, service_code: 'power', lat: String(point.lat), long: String(point.lon), description: 'Cột điện nghiêng', 'attribute[live_wire]': 'yes', email: 'an@example.vn' })
      expect(res.status).toBe(201)
      const [created] = await res.json()
      expect(created.service_request_id).toMatch(/^\d+$/)
      expect(typeof created.token).toBe('string')
      const stored = await t0.db.db.query(`SELECT source, unit_id, attributes, contact FROM reports WHERE id = $1::bigint`, [created.service_request_id])
      expect(stored.rows[0]).toMatchObject({ source: 'open311', unit_id: ward, attributes: { live_wire: 'yes' }, contact: { email: 'an@example.vn' } })
      const token = await get311(`tokens/${created.token}.json`)
      expect(token.body).toEqual([{ service_request_id: created.service_request_id, token: created.token }])
    })

    it('takes JSON and an address instead of a point', async () => {
      const res = await fetch(`${stack.server.url}/open311/v2/requests.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ api_key: OPEN311_KEY, service_code: 'env-waste', address_string: '12 Lê Thánh Tông, Hồng Gai', description: 'Rác tồn đọng 3 ngày' }),
      })
      expect(res.status).toBe(201)
    })

    it('refuses a request without a valid key with 403, and bad fields with 400 naming them', async () => {
      const base = { service_code: 'power', lat: '20.95', long: '107.1', description: 'x' }
      expect((await post311(base)).status).toBe(403)
      const wrongKey = await post311({ ...base, api_key: 'not-a-key-at-all-xxxx' })
      expect(wrongKey.status).toBe(403)
      expect(await wrongKey.json()).toEqual([{ code: 403, description: 'api_key: not a valid API key' }])
      const cases: [Record<string, string>, RegExp][] = [
        [{ ...base, service_code: '' }, /^service_code: expected a service code/],
        [{ ...base, service_code: 'nope' }, /^service_code: 'nope' is not a category/],
        [{ ...base, description: 'x'.repeat(4001) }, /^description: expected a description of at most 4000 characters/],
        [{ ...base, description: '' }, /^description: expected a description of what is wrong/],
        [{ service_code: 'power', description: 'x' }, /^lat: expected a location: lat and long, or address_string/],
        [{ ...base, long: '' }, /^long: expected lat and long together/],
        [{ ...base, lat: '95' }, /^lat: expected a latitude -90 to 90/],
        [{ ...base, email: 'not-mail' }, /^email: expected an e-mail address/],
        [{ ...base, media_url: 'ftp://x/y.jpg' }, /^media_url: expected an http\(s\) URL of a photo/],
      ]
      for (const [fields, message] of cases) {
        const res = await post311({ ...fields, api_key: OPEN311_KEY })
        const body = await res.json()
        expect(res.status, JSON.stringify(fields).slice(0, 80)).toBe(400)
        expect(body).toHaveLength(1)
        expect(body[0].code).toBe(400)
        expect(body[0].description).toMatch(message)
      }
    })

    it('shows one request as open with its agency, expected time and zoned times, and never the contact details', async () => {
      const { service_request_id: id } = await newReport()
      const r = await get311(`requests/${id}.json`)
      expect(r.status).toBe(200)
      expect(r.body).toHaveLength(1)
      const req = r.body[0]
      expect(req).toMatchObject({ service_request_id: id, status: 'open', service_code: 'power', service_name: 'Sự cố điện', lat: point.lat, long: point.lon })
      expect(req.requested_datetime).toMatch(ISO_WITH_ZONE)
      expect(req.updated_datetime).toMatch(ISO_WITH_ZONE)
      expect(JSON.stringify(req)).not.toMatch(/0912345678|Nguyễn/)
      expect((await get311('requests/999999999.json')).status).toBe(404)
      expect((await get311('requests/abc.json')).body).toEqual([{ code: 404, description: "service_request_id: 'abc' is not a request id" }])
      expect((await get311(`requests/${id}.xml`)).status).toBe(400)
    })

    it('filters requests by id, service code, status and dates, 90 days back by default', async () => {
      const { service_request_id: id } = await newReport({ service_code: 'water', description: 'Vỡ ống nước' })
      // one from 100 days ago: outside the default window
      await t0.db.db.query(
        `INSERT INTO reports (token, source, category_code, priority, description, lat, lon, state, received_at) VALUES ('old-token', 'console', 'water', 'urgent', 'Cũ', 20.95, 107.1, 'new', now() - interval '100 days')`,
      )
      const all = await get311('requests.json?service_code=water')
      expect(all.body.map((r: { service_request_id: string }) => r.service_request_id)).toContain(id)
      expect(all.body.some((r: { description: string }) => r.description === 'Cũ')).toBe(false)
      const old = await get311(`requests.json?service_code=water&start_date=${encodeURIComponent(new Date(Date.now() - 120 * 86_400_000).toISOString())}`)
      expect(old.body.some((r: { description: string }) => r.description === 'Cũ')).toBe(true)
      expect((await get311('requests.json?status=closed&service_code=water')).body).toEqual([])
      expect((await get311(`requests.json?service_request_id=${id}`)).body.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([id])
      expect((await get311('requests.json?status=pending')).body).toEqual([{ code: 400, description: expect.stringMatching(/^status: expected 'open' or 'closed'/) }])
      expect((await get311('requests.json?start_date=yesterday')).status).toBe(400)
    })
  })

  describe('MQTT intake', () => {
    it('stores pushed reports once per (channel, externalId) and dead-letters the bad ones with their reason', async () => {
      const ts = new Date().toISOString()
      const message = [
        { externalId: '1022-0001', ts, service_code: 'water', lat: point.lat, long: point.lon, description: 'Vỡ ống nước trước số 12', phone: '0987654321' },
        { externalId: '1022-0002', ts, service_code: 'no-such-category', lat: point.lat, long: point.lon, description: 'x' },
        { ts, service_code: 'water', address_string: 'Hồng Gai', description: 'no id' },
        { externalId: '1022-0003', ts, service_code: 'water', description: 'no place' },
      ]
      const topic = `${stack.topicRoot}/report/callcentre-1022`
      const letters = async () => (await t0.db.db.query(`SELECT code, reason FROM dead_letters WHERE topic = $1 ORDER BY id`, [topic])).rows
      await stack.pub.publishAsync(topic, JSON.stringify(message), { qos: 1 })
      await waitFor(letters, (rows) => rows.length === 3, 'three dead letters', 20_000)
      await stack.pub.publishAsync(topic, JSON.stringify(message.slice(0, 1)), { qos: 1 })
      const stored = async () => (await t0.db.db.query(`SELECT id::text AS id, source, unit_id, state, contact FROM reports WHERE channel_id = 'callcentre-1022'`)).rows
      await waitFor(stored, (rows) => rows.length === 1, 'the report stored', 20_000)
      // parse problems are written before the transaction's refusals: compare regardless of order
      expect(await letters()).toEqual(expect.arrayContaining([
        { code: 'unknown_category', reason: "1022-0002: category 'no-such-category' is not one of the IOC's (GET /open311/v2/services.json)" },
        { code: 'wrong_type', reason: expect.stringMatching(/^\[2\]\.externalId: expected the sender’s own id, as text/) },
        { code: 'invalid_shape', reason: expect.stringMatching(/^\[3\]\.lat: expected a location: lat and long, or address_string/) },
      ]))
      // the resend changed nothing, and the console sees the report with its history
      await new Promise((r) => setTimeout(r, 500))
      const rows = await stored()
      expect(rows).toEqual([{ id: expect.any(String), source: 'mqtt', unit_id: ward, state: 'new', contact: { phone: '0987654321' } }])
      const detail = await as('dispatcher', `/api/reports/${rows[0].id}`)
      expect(detail.body).toMatchObject({ source: 'mqtt', categoryCode: 'water', priority: 'urgent', events: [{ action: 'submit', actorName: 'callcentre-1022' }] })
    })
  })

  describe('the consoles', () => {
    it('routes a power fault to the power company and suggests the open report nearby as its duplicate', async () => {
      const first = await newReport()
      const second = await newReport({ description: 'Dây điện đứt, nguy hiểm', lat: String(point.lat + 0.001) })
      const r = await as('dispatcher', `/api/reports/${second.service_request_id}`)
      expect(r.status).toBe(200)
      expect(r.body.proposedRoute).toEqual({ agencyId: 'QN-DLQN', agencyName: 'Công ty Điện lực Quảng Ninh', byRule: true })
      expect(r.body.duplicates.map((d: { id: string }) => d.id)).toContain(first.service_request_id)
      const d = r.body.duplicates.find((x: { id: string }) => x.id === first.service_request_id)
      expect(d.meters).toBeGreaterThan(100)
      expect(d.meters).toBeLessThan(120)
      expect(r.body.actions).toEqual(['classify', 'reject', 'mark_duplicate'])
    })

    it('proposes a new route when the dispatcher corrects the category or the place', async () => {
      const { service_request_id: id } = await newReport({ service_code: 'power' })
      expect((await as('dispatcher', `/api/reports/${id}`)).body.proposedRoute.agencyId).toBe('QN-DLQN')
      // waste is the ward's business: the ward containing the point
      const waste = await act('dispatcher', id, { action: 'classify', categoryCode: 'env-waste' })
      expect(waste.body).toMatchObject({ categoryCode: 'env-waste', priority: 'normal', proposedRoute: { agencyId: ward, byRule: true } })
      // the caller meant Cẩm Phả: the unit and the route follow the corrected point
      const ref = await loadReference(t0.db.db)
      const campha = createUnitLocator(ref.units)([107.29, 21.01])!
      expect(campha.id).not.toBe(ward)
      const moved = await act('dispatcher', id, { action: 'classify', lat: 21.01, lon: 107.29, address: 'Cẩm Phả' })
      expect(moved.body).toMatchObject({ unitId: campha.id, address: 'Cẩm Phả', proposedRoute: { agencyId: campha.id } })
      expect((await act('dispatcher', id, { action: 'classify', lat: 21.01 })).body.error.field).toBe('lon')
    })

    it('lets an admin change the routing rules, audited, and new proposals follow them', async () => {
      const { service_request_id: id } = await newReport({ service_code: 'env-waste' })
      expect((await as('dispatcher', `/api/reports/${id}`)).body.proposedRoute.agencyId).toBe(ward)
      const rule = { unitId: ward, category: 'env-waste', agencyId: 'QN-SNNMT' }
      const put = await stack.api('/api/report-routes', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rule) })
      expect(put.status).toBe(200)
      expect((await put.json()).rules).toContainEqual({ ...rule, unitName: expect.any(String), categoryName: 'Rác thải, vệ sinh môi trường', agencyName: 'Sở Nông nghiệp và Môi trường' })
      expect((await as('dispatcher', `/api/reports/${id}`)).body.proposedRoute).toEqual({ agencyId: 'QN-SNNMT', agencyName: 'Sở Nông nghiệp và Môi trường', byRule: true })
      // dispatchers read the rules, only admins change them
      expect((await as('dispatcher', '/api/report-routes')).status).toBe(200)
      expect((await as('dispatcher', '/api/report-routes', { method: 'PUT', body: JSON.stringify(rule) })).status).toBe(403)
      const bad = await stack.api('/api/report-routes', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...rule, agencyId: 'QN-NOWHERE' }) })
      expect((await bad.json()).error).toMatchObject({ field: 'agencyId', message: "agencyId: 'QN-NOWHERE' is not a unit" })
      // without the ward's rule, the nearest rule up the tree decides: the city's (Hạ Long handles its waste)
      expect((await stack.api(`/api/report-routes/${ward}/env-waste`, { method: 'DELETE' })).status).toBe(200)
      expect((await as('dispatcher', `/api/reports/${id}`)).body.proposedRoute).toMatchObject({ agencyId: 'QN-HL', byRule: true })
      const audit = await t0.db.db.query(`SELECT action FROM audit_log WHERE target_type = 'report_route' AND target_id = $1 ORDER BY id`, [`${ward}/env-waste`])
      expect(audit.rows.map((a) => a.action)).toEqual(['report_route.set', 'report_route.delete'])
      await stack.api('/api/report-routes', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...rule, agencyId: ward }) })
    })

    it('takes a report through forward → accept → resolve → publish, and Open311 then shows it closed with its notes', async () => {
      const { service_request_id: id } = await newReport()
      expect((await act('dispatcher', id, { action: 'classify' })).body.state).toBe('classified')
      const fwd = await act('dispatcher', id, { action: 'forward', agencyId: 'QN-DLQN' })
      expect(fwd.status).toBe(201)
      expect(fwd.body).toMatchObject({ state: 'forwarded', agencyId: 'QN-DLQN', sla: { phase: 'accept' } })
      const inbox = await as('power', '/api/reports')
      expect(inbox.body.items.map((i: { id: string }) => i.id)).toContain(id)
      expect((await act('power', id, { action: 'accept' })).body).toMatchObject({ state: 'accepted', sla: { phase: 'resolve' } })
      expect((await get311(`requests/${id}.json`)).body[0]).toMatchObject({ status: 'open', agency_responsible: 'Công ty Điện lực Quảng Ninh', expected_datetime: expect.stringMatching(ISO_WITH_ZONE) })
      expect((await act('power', id, { action: 'resolve', result: 'Đã thay dây, cấp điện trở lại lúc 15:00.' })).body.state).toBe('resolved')
      expect((await act('dispatcher', id, { action: 'publish' })).body.state).toBe('published')
      const shown = (await get311(`requests/${id}.json`)).body[0]
      expect(shown).toMatchObject({ status: 'closed', status_notes: 'Đã thay dây, cấp điện trở lại lúc 15:00.', expected_datetime: null })
      const events = (await as('dispatcher', `/api/reports/${id}`)).body.events.map((e: { action: string; actorName: string }) => `${e.action}:${e.actorName}`)
      expect(events).toEqual(['submit:citizen-app', 'classify:disp-1/disp-key', 'forward:disp-1/disp-key', 'accept:power-1/power-key', 'resolve:power-1/power-key', 'publish:disp-1/disp-key'])
      const audit = await t0.db.db.query(`SELECT action, actor_name FROM audit_log WHERE target_type = 'report' AND target_id = $1 ORDER BY id`, [id])
      expect(audit.rows.map((a) => a.action)).toEqual(['report.create', 'report.classify', 'report.forward', 'report.accept', 'report.resolve', 'report.publish'])
    })

    it('counts resolved reports for leaders by agency, and in the 766 indicators 5.2 and 5.3', async () => {
      const { service_request_id: id, token } = await newReport()
      await act('dispatcher', id, { action: 'classify' })
      await act('dispatcher', id, { action: 'forward', agencyId: 'QN-DLQN' })
      await act('power', id, { action: 'accept' })
      await act('power', id, { action: 'resolve', result: 'Đã xử lý.' })
      await act('dispatcher', id, { action: 'publish' })
      const rating = await fetch(`${stack.server.url}/open311/v2/tokens/${token}/rating.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ satisfied: false, comment: 'Vẫn mất điện' }) })
      expect(await rating.json()).toEqual([{ service_request_id: id, status: 'closed' }])
      const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10)
      const perf = await stack.api(`/api/reports/performance?from=${today}&to=${today}`)
      const row = (await perf.json()).rows.find((r: { agencyId: string }) => r.agencyId === 'QN-DLQN')
      // every report the power company resolved today was on time; this one was rated, not satisfied
      expect(row).toMatchObject({ name: 'Công ty Điện lực Quảng Ninh', onTimeRate: 1, late: 0 })
      expect(row.resolved).toBeGreaterThanOrEqual(1)
      expect(row.rated).toBeGreaterThanOrEqual(1)
      expect(row.satisfied).toBeLessThan(row.rated)
      const kpis = await (await stack.api(`/api/dossiers/kpis?unit=QN-DLQN&from=${today}&to=${today}`)).json()
      const indicators = kpis.index766.groups.flatMap((g: { indicators: unknown[] }) => g.indicators)
      expect(indicators.find((i: { code: string }) => i.code === '5.2')).toMatchObject({ measured: true, numerator: row.onTime + row.lateWithExtension, denominator: row.resolved })
      expect(indicators.find((i: { code: string }) => i.code === '5.3')).toMatchObject({ measured: true, numerator: row.satisfied, denominator: row.rated })
      // the reopen after "not satisfied"
      expect((await act('dispatcher', id, { action: 'reopen', note: 'Người dân chưa hài lòng' })).body.state).toBe('reopened')
      expect((await stack.api(`/api/reports/performance?from=${today}&to=2026-02-30`)).status).toBe(400)
    })

    it('refuses an illegal transition with 409 naming the allowed states, and another role’s action with 403', async () => {
      const { service_request_id: id } = await newReport()
      const early = await act('dispatcher', id, { action: 'publish' })
      expect(early.status).toBe(409)
      expect(early.body.error.message).toBe("publish: not from 'new' (only from 'resolved')")
      expect((await act('dispatcher', id, { action: 'accept' })).status).toBe(403)
      await act('dispatcher', id, { action: 'classify' })
      expect((await act('dispatcher', id, { action: 'forward', agencyId: 'QN-DLQN' })).status).toBe(201)
      expect((await act('power', id, { action: 'resolve', result: 'x' })).status).toBe(409)
      const bad = await act('dispatcher', id, { action: 'forward' })
      expect(bad.status).toBe(400)
      expect(bad.body.error.field).toBe('agencyId')
    })

    it('places every report the filters match on the dispatcher’s map, not only the page’s', async () => {
      await newReport()
      await newReport()
      const page = await as('dispatcher', '/api/reports?category=power&pageSize=1&points=1')
      expect(page.status).toBe(200)
      expect(page.body.items).toHaveLength(1)
      expect(page.body.total).toBeGreaterThanOrEqual(2)
      // those with a location, each saying where and how its deadline stands
      const all = (await as('dispatcher', `/api/reports?category=power&pageSize=200`)).body.items as { id: string; lat: number | null; lon: number | null; sla: { state: string }; categoryName: string }[]
      const placed = all.filter((i) => i.lat !== null)
      expect(placed.length).toBeGreaterThanOrEqual(2)
      expect(page.body.points).toEqual(placed.map((i) => ({ id: i.id, lat: i.lat, lon: i.lon, sla: i.sla.state, categoryName: i.categoryName })))
      expect((await as('dispatcher', '/api/reports?category=power&pageSize=1')).body.points).toBeUndefined()
      expect((await as('dispatcher', '/api/reports?points=yes')).body.error.field).toBe('points')
    })

    it('pages through the whole archive of closed reports, past the newest 5,000, after the open ones', async () => {
      // a year and more of closed reports, written straight to the table: the API would take minutes for them
      await t0.db.db.query(
        `INSERT INTO reports (token, source, category_code, priority, description, state, reject_reason, received_at, closed_at)
         SELECT 'archive-' || g, 'console', 'lighting', 'normal', 'ARCHIVE-TEST đèn hỏng số ' || g, 'rejected', 'out_of_scope',
                now() - g * interval '2 hours', now() - g * interval '2 hours' + interval '1 hour'
         FROM generate_series(1, 5050) AS g`,
      )
      const { service_request_id: openId } = await newReport({ service_code: 'lighting', description: 'ARCHIVE-TEST đèn mới hỏng' })
      const all = await as('dispatcher', '/api/reports?status=all&q=ARCHIVE-TEST&pageSize=200')
      expect(all.body.total).toBe(5051)
      expect(all.body.items[0].id).toBe(openId)
      expect(all.body.items[1].description).toBe('ARCHIVE-TEST đèn hỏng số 1')
      const last = await as('dispatcher', '/api/reports?status=all&q=ARCHIVE-TEST&pageSize=200&page=26')
      expect(last.body.items).toHaveLength(51)
      expect(last.body.items.at(-1).description).toBe('ARCHIVE-TEST đèn hỏng số 5050')
      const closed = await as('dispatcher', '/api/reports?status=closed&q=ARCHIVE-TEST&pageSize=200&page=26')
      expect(closed.body.total).toBe(5050)
      expect(closed.body.items.map((i: { description: string }) => i.description)).toEqual(Array.from({ length: 50 }, (_, k) => `ARCHIVE-TEST đèn hỏng số ${5001 + k}`))
      // closed reports wait on nobody: no deadline, whatever their history
      expect(closed.body.items.every((i: { sla: { state: string; dueBy: unknown } }) => i.sla.state === 'none' && i.sla.dueBy === null)).toBe(true)
      // the open ones only, as the console asks by default
      expect((await as('dispatcher', '/api/reports?q=ARCHIVE-TEST')).body.total).toBe(1)
    })

    it('keeps agency B out of agency A’s reports over REST', async () => {
      const { service_request_id: id } = await newReport()
      await act('dispatcher', id, { action: 'classify' })
      expect((await act('dispatcher', id, { action: 'forward', agencyId: 'QN-DLQN' })).status).toBe(201)
      expect((await as('police', `/api/reports/${id}`)).status).toBe(404)
      expect((await as('police', '/api/reports?status=all')).body.items.map((i: { id: string }) => i.id)).not.toContain(id)
      expect((await as('police', '/api/reports?agency=QN-DLQN')).status).toBe(403)
      expect((await act('police', id, { action: 'accept' })).status).toBe(404)
      expect((await as('police', `/api/reports/${id}/contact`)).status).toBe(403)
      expect((await as('power', `/api/reports/${id}`)).status).toBe(200)
    })

    it('answers bad input on the console routes with a 400 naming the field, and a bad id with a 404', async () => {
      const bad = await as('dispatcher', '/api/reports?sla=late')
      expect(bad.status).toBe(400)
      expect(bad.body.error).toMatchObject({ field: 'sla', message: expect.stringMatching(/^sla: expected 'due_soon' or 'overdue'/) })
      expect((await as('dispatcher', '/api/reports?pageSize=0')).body.error.field).toBe('pageSize')
      expect((await as('dispatcher', '/api/reports/not-a-number')).status).toBe(404)
      const create = await as('dispatcher', '/api/reports', { method: 'POST', body: JSON.stringify({ categoryCode: 'power' }) })
      expect(create.status).toBe(400)
      expect(create.body.error.field).toBe('description')
      const action = await act('dispatcher', '999999999', { action: 'fly' })
      expect(action.status).toBe(400)
      expect(action.body.error.field).toBe('action')
    })

    it('refuses a citizen’s rating that says neither satisfied nor not, or comes before the answer is published', async () => {
      const { token } = await newReport()
      const rate = (body: object) => fetch(`${stack.server.url}/open311/v2/tokens/${token}/rating.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      const bad = await rate({ satisfied: 'maybe' })
      expect(bad.status).toBe(400)
      expect((await bad.json())[0]).toMatchObject({ code: 400, description: expect.stringMatching(/^satisfied: expected true \(satisfied\) or false/) })
      const early = await rate({ satisfied: true })
      expect(early.status).toBe(409)
      expect((await early.json())[0].description).toMatch(/^rate: not from 'new'/)
      expect((await fetch(`${stack.server.url}/open311/v2/tokens/no-such-token/rating.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"satisfied":true}' })).status).toBe(404)
    })

    it('shows contact details to dispatchers only, and audits every read', async () => {
      const { service_request_id: id } = await newReport()
      const before = (await t0.db.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'report.contact.read' AND target_id = $1`, [id])).rows[0].n
      const r = await as('dispatcher', `/api/reports/${id}/contact`)
      expect(r.body).toEqual({ name: 'An Nguyễn', phone: '0912345678', email: null, deviceId: null })
      const after = await t0.db.db.query(`SELECT actor_name FROM audit_log WHERE action = 'report.contact.read' AND target_id = $1`, [id])
      expect(after.rows.length).toBe(before + 1)
      expect(after.rows.at(-1)!.actor_name).toBe('disp-1/disp-key')
      expect(JSON.stringify((await as('dispatcher', `/api/reports/${id}`)).body)).not.toMatch(/0912345678/)
    })

    it('escalates a report its agency left unaccepted past 8 working hours, once, to the parent unit and the IOC', async () => {
      const { service_request_id: id } = await newReport({ description: 'Mất điện cả khu phố' })
      await act('dispatcher', id, { action: 'classify' })
      await act('dispatcher', id, { action: 'forward', agencyId: 'QN-DLQN' })
      // forwarded two weeks ago: far past the accept deadline whatever today's calendar
      await t0.db.db.query(`UPDATE reports SET forwarded_at = now() - interval '14 days' WHERE id = $1::bigint`, [id])
      const reports = stack.server.domains.find((d) => d.name === 'reports') as unknown as { service: { escalate(): Promise<number> } }
      expect(await reports.service.escalate()).toBeGreaterThanOrEqual(1)
      expect(await reports.service.escalate()).toBe(0)
      const r = await as('dispatcher', `/api/reports/${id}`)
      expect(r.body).toMatchObject({ escalated: true, sla: { phase: 'accept', state: 'overdue' } })
      expect(r.body.events.at(-1)).toMatchObject({ action: 'escalate', actorName: 'system', note: expect.stringMatching(/Quá hạn tiếp nhận: báo cáo Tỉnh Quảng Ninh và Trung tâm IOC/) })
      const overdue = await as('power', '/api/reports?sla=overdue')
      expect(overdue.body.items.map((i: { id: string }) => i.id)).toContain(id)
    })

    it('merges a duplicate into its original, and its reporter gets the original’s result', async () => {
      const original = await newReport({ description: 'Cột điện đổ' })
      const copy = await newReport({ description: 'Cột điện đổ chắn đường', lat: String(point.lat + 0.0005) })
      const detail = await as('dispatcher', `/api/reports/${copy.service_request_id}`)
      expect(detail.body.duplicates.map((d: { id: string }) => d.id)).toContain(original.service_request_id)
      const merged = await act('dispatcher', copy.service_request_id, { action: 'mark_duplicate', duplicateOf: original.service_request_id })
      expect(merged.body).toMatchObject({ state: 'duplicate', duplicateOf: original.service_request_id })
      expect((await get311(`requests/${copy.service_request_id}.json`)).body[0]).toMatchObject({ status: 'closed', status_notes: expect.stringMatching(new RegExp(`Trùng với phản ánh số ${original.service_request_id}`)) })
      const id = original.service_request_id
      await act('dispatcher', id, { action: 'classify' })
      await act('dispatcher', id, { action: 'forward', agencyId: 'QN-DLQN' })
      await act('power', id, { action: 'accept' })
      await act('power', id, { action: 'resolve', result: 'Đã dựng lại cột điện.' })
      // the second reporter hears the same answer as the first
      expect((await get311(`requests/${copy.service_request_id}.json`)).body[0]).toMatchObject({ status: 'closed', status_notes: 'Đã dựng lại cột điện.' })
      const history = (await as('dispatcher', `/api/reports/${copy.service_request_id}`)).body.events.map((e: { action: string }) => e.action)
      expect(history).toEqual(['submit', 'mark_duplicate', 'original_updated'])
      expect((await act('dispatcher', copy.service_request_id, { action: 'mark_duplicate', duplicateOf: copy.service_request_id })).status).toBe(409)
    })

    it('rejects a formal complaint with the legal channel in the status notes', async () => {
      const { service_request_id: id } = await newReport({ service_code: 'admin-service', description: 'Tôi khiếu nại quyết định thu hồi đất' })
      const r = await act('dispatcher', id, { action: 'reject', reason: 'complaint_or_denunciation' })
      expect(r.body.state).toBe('rejected')
      expect((await get311(`requests/${id}.json`)).body[0]).toMatchObject({ status: 'closed', status_notes: expect.stringMatching(/Luật Khiếu nại 2011/) })
    })
  })

  describe('photos', () => {
    const upload = (who: string, id: string, photo: Blob, kind = 'report') => {
      const form = new FormData()
      form.set('kind', kind)
      form.set('photo', photo, 'photo')
      return fetch(`${stack.server.url}/api/reports/${id}/photos`, { method: 'POST', headers: { authorization: `Bearer ${keys[who]}` }, body: form })
    }
    const jpegWithGps = () =>
      sharp({ create: { width: 1600, height: 1200, channels: 3, background: { r: 200, g: 80, b: 40 } } })
        .jpeg()
        .withExif({ IFD0: { Copyright: 'An Nguyễn' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '20/1 57/1 0/1' } })
        .toBuffer()

    it('stores a JPEG without its metadata, with a WebP thumbnail, for whoever may read the report', async () => {
      const { service_request_id: id } = await newReport()
      const original = await jpegWithGps()
      expect((await sharp(original).metadata()).exif).toBeDefined()
      const res = await upload('dispatcher', id, new Blob([new Uint8Array(original)], { type: 'image/jpeg' }))
      expect(res.status).toBe(201)
      const view = await res.json()
      expect(view).toMatchObject({ kind: 'report', width: 1600, height: 1200, url: `/api/reports/${id}/photos/${view.id}` })
      const stored = await fetch(`${stack.server.url}${view.url}`, { headers: { authorization: `Bearer ${keys.dispatcher}` } })
      expect(stored.headers.get('content-type')).toBe('image/jpeg')
      const meta = await sharp(Buffer.from(await stored.arrayBuffer())).metadata()
      expect(meta.exif).toBeUndefined()
      const thumb = await fetch(`${stack.server.url}${view.thumbUrl}`, { headers: { authorization: `Bearer ${keys.dispatcher}` } })
      expect(thumb.headers.get('content-type')).toBe('image/webp')
      expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width).toBe(320)
      expect((await as('dispatcher', `/api/reports/${id}`)).body.photos).toEqual([view])
      // the police see nothing of a report that is not theirs
      expect((await fetch(`${stack.server.url}${view.url}`, { headers: { authorization: `Bearer ${keys.police}` } })).status).toBe(404)
    })

    it('refuses what is not a JPEG, PNG or WebP, and what is over 10 MB, naming the field', async () => {
      const { service_request_id: id } = await newReport()
      const text = await upload('dispatcher', id, new Blob(['not an image at all'], { type: 'image/jpeg' }))
      expect(text.status).toBe(400)
      expect((await text.json()).error).toMatchObject({ field: 'photo', message: 'photo: expected a JPEG, PNG or WebP image' })
      const big = await upload('dispatcher', id, new Blob([new Uint8Array(10 * 1024 * 1024 + 1)], { type: 'image/png' }))
      expect(big.status).toBe(413)
      expect((await big.json()).error).toMatchObject({ field: 'photo', message: 'photo: at most 10 MB' })
      expect((await upload('dispatcher', id, new Blob([new Uint8Array(await jpegWithGps())]), 'cover')).status).toBe(400)
    })

    it('takes the agency’s result photos while it handles the report, and only then', async () => {
      const { service_request_id: id } = await newReport()
      const png = await sharp({ create: { width: 400, height: 300, channels: 4, background: '#3366ff' } }).png().toBuffer()
      await act('dispatcher', id, { action: 'classify' })
      await act('dispatcher', id, { action: 'forward', agencyId: 'QN-DLQN' })
      expect((await upload('power', id, new Blob([new Uint8Array(png)]), 'result')).status).toBe(409)
      await act('power', id, { action: 'accept' })
      const res = await upload('power', id, new Blob([new Uint8Array(png)]), 'result')
      expect(res.status).toBe(201)
      expect(await res.json()).toMatchObject({ kind: 'result', width: 400, height: 300 })
      expect((await upload('power', id, new Blob([new Uint8Array(png)]), 'report')).status).toBe(403)
      expect((await upload('police', id, new Blob([new Uint8Array(png)]), 'result')).status).toBe(404)
      const audit = await t0.db.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'report.photo.add' AND target_id = $1`, [id])
      expect(audit.rows[0].n).toBe(1)
    })
  })

  describe('live', () => {
    const sockets: Socket[] = []
    afterAll(() => {
      for (const s of sockets) s.close()
    })
    const socketOn = async (server: RunningServer, key: string) => {
      const s = connectSocket(server.url, { transports: ['websocket'], auth: { token: key } })
      sockets.push(s)
      await new Promise<void>((resolve, reject) => {
        s.once('connect', () => resolve())
        s.once('connect_error', reject)
      })
      return s
    }
    const subscribe = (s: Socket, rooms: string[]) => new Promise<{ ok: boolean; error?: { message: string } }>((resolve) => s.emit('subscribe', { rooms }, resolve))

    it('lets an agency socket join only its own inbox, and only dispatchers watch every inbox', async () => {
      const police = await socketOn(stack.server, keys.police!)
      expect(await subscribe(police, ['report-inbox:QN-CAT'])).toMatchObject({ ok: true })
      expect(await subscribe(police, ['report-inbox:QN-DLQN'])).toMatchObject({ ok: false, error: { message: expect.stringMatching(/outside your agency/) } })
      expect(await subscribe(police, ['report-inboxes'])).toMatchObject({ ok: false })
      const dispatcher = await socketOn(stack.server, keys.dispatcher!)
      expect(await subscribe(dispatcher, ['report-inboxes'])).toMatchObject({ ok: true })
    })

    it('tells an agency console on another server of a forwarded report within 2 s, and not agency B', async () => {
      second = await startServer({
        ...serverOptions(stack.config, t0.db.db, t0.broker.url, null),
        mqttVersion: t0.broker.version,
        topicRoot: stack.topicRoot,
        port: 0,
        host: '127.0.0.1',
        dashboardsDir: null,
      })
      await second.liveReady
      const power = await socketOn(second, keys.power!)
      const police = await socketOn(second, keys.police!)
      expect(await subscribe(power, ['report-inbox:QN-DLQN'])).toMatchObject({ ok: true })
      expect(await subscribe(police, ['report-inbox:QN-CAT'])).toMatchObject({ ok: true })
      const policeHeard: unknown[] = []
      police.on('report-inboxes:delta', (d) => policeHeard.push(d))
      const { service_request_id: id } = await newReport()
      const heard = new Promise<number>((resolve) => power.on('report-inboxes:delta', (d: { 'report-inboxes': { id: string }[] }) => d['report-inboxes'].some((i) => i.id === 'QN-DLQN') && resolve(performance.now())))
      const sent = performance.now()
      await act('dispatcher', id, { action: 'classify' })
      expect((await act('dispatcher', id, { action: 'forward', agencyId: 'QN-DLQN' })).status).toBe(201)
      const at = await Promise.race([heard, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('no delta within 2 s')), 2000))])
      expect(at - sent).toBeLessThan(2000)
      // the agency console refetches its inbox on the delta: the report is there
      const inbox = await as('power', '/api/reports', {}, second)
      expect(inbox.body.items.map((i: { id: string }) => i.id)).toContain(id)
      expect(policeHeard).toEqual([])
    })
  })
})
