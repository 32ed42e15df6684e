// Locked doors on every surface, over a running stack: signing in and out, the lockout, every registered route
// declaring its access and answering each role as the contract says (the route × role matrix), Socket.IO
// checked at the handshake and per room, a revoked kiosk link dropping its wall within 5 s (also on another
// server process), the audit log written in the change's own transaction, and the web's locks (headers,
// CORS, CSRF, body limits, /metrics).
import { networkInterfaces } from 'node:os'
import type { Express } from 'express'
import { io as connectSocket, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CSRF_HEADER, ROUTES, ROLES, ROLE_PERMISSIONS, type Access, type Permission, type Role, type RouteSpec, type SessionView } from '../../contract/index.ts'
import { audited, SYSTEM } from '../../server/shared/audit.ts'
import { CLIENT_DIR, serverOptions, startServer, type RunningServer } from '../../server/service.ts'
import { closeStack, openStack, STACK_TARGETS, type StackTarget } from '../helpers/stack.ts'
import { waitFor } from '../helpers/wait.ts'

const PASSWORD = 'a-long-test-password'

/** Every route Express knows, with the access its first handler declares (null: none declared). */
function registeredRoutes(app: Express): { method: string; path: string; access: Access | null }[] {
  const out: { method: string; path: string; access: Access | null }[] = []
  const walk = (stack: unknown[], prefix: string) => {
    for (const layer of stack as { route?: { path: string; methods: Record<string, boolean>; stack: { handle: { access?: Access } }[] }; handle?: { stack?: unknown[]; mountPath?: string } }[]) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) out.push({ method: method.toUpperCase(), path: `${prefix}${layer.route.path}`, access: layer.route.stack[0]?.handle.access ?? null })
      } else if (layer.handle?.stack) walk(layer.handle.stack, layer.handle.mountPath ?? '/api') // Express keeps no mount path: routers outside /api say theirs
    }
  }
  walk((app as unknown as { router: { stack: unknown[] } }).router.stack, '')
  return out
}

describe.each(STACK_TARGETS)('accounts and access on $db database + $broker broker', (target) => {
  let t: StackTarget
  let server: RunningServer
  /** An API key per role, and one user per role. */
  const keys = {} as Record<Role, string>
  let stationId: string
  let agencyUnit: string

  const url = (path: string) => `${server.url}${path}`
  const asRole = (role: Role, path: string, init: RequestInit = {}) => fetch(url(path), { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${keys[role]}` } })

  async function signIn(username: string, password = PASSWORD): Promise<{ status: number; cookie: string | null; session: SessionView | null }> {
    const res = await fetch(url('/api/session'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
    const cookie = res.headers.getSetCookie()[0]?.split(';')[0] ?? null
    return { status: res.status, cookie, session: res.ok ? ((await res.json()) as SessionView) : null }
  }

  beforeAll(async () => {
    t = await openStack(target, {}, { wall: true })
    server = t.stack.server
    const units = (await (await t.stack.api('/api/units')).json()) as { features: { id: string }[] }
    agencyUnit = units.features[1]!.id
    stationId = ((await (await t.stack.api('/api/stations')).json()) as { id: string }[])[0]!.id
    for (const role of ROLES) {
      await server.accounts.addUser(SYSTEM, { username: `u-${role}`, password: PASSWORD, roles: [role], agencyUnitId: role === 'agency' ? agencyUnit : null })
      keys[role] = (await server.accounts.addApiKey(SYSTEM, `k-${role}`, `u-${role}`)).key
    }
  })
  afterAll(() => closeStack(t ?? {}))

  describe('signing in', () => {
    it('sets an HttpOnly, SameSite=Lax session cookie and tells who is signed in, with the CSRF token', async () => {
      const res = await fetch(url('/api/session'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'u-operator', password: PASSWORD }) })
      expect(res.status).toBe(201)
      const setCookie = res.headers.getSetCookie()[0]!
      expect(setCookie).toMatch(/^ioc_session=ioc_s_[\w-]{43}; /)
      expect(setCookie).toMatch(/HttpOnly/)
      expect(setCookie).toMatch(/SameSite=Lax/)
      // plain HTTP here: Secure only when served over TLS
      expect(setCookie).not.toMatch(/Secure/)
      const body = (await res.json()) as SessionView
      expect(body.principal).toMatchObject({ kind: 'user', name: 'u-operator', roles: ['operator'] })
      expect(body.principal.permissions.sort()).toEqual([...ROLE_PERMISSIONS.operator].sort())
      const me = await fetch(url('/api/session'), { headers: { cookie: setCookie.split(';')[0]! } })
      expect(((await me.json()) as SessionView).csrfToken).toBe(body.csrfToken)
    })

    it('refuses a wrong password and an unknown user with the same answer', async () => {
      const wrong = await fetch(url('/api/session'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'u-leader', password: 'nope-nope-nope' }) })
      const unknown = await fetch(url('/api/session'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nobody-here', password: 'nope-nope-nope' }) })
      expect([wrong.status, unknown.status]).toEqual([401, 401])
      expect(await wrong.json()).toEqual(await unknown.json())
    })

    it('names the field of a malformed sign-in', async () => {
      const res = await fetch(url('/api/session'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'u-admin' }) })
      expect(res.status).toBe(400)
      expect(await res.json()).toMatchObject({ error: { code: 'bad_request', field: 'password' } })
    })

    it('locks an account after 5 failures in a row, even against the right password, and audits it', async () => {
      await server.accounts.addUser(SYSTEM, { username: 'lock-me', password: PASSWORD, roles: ['leader'] })
      const answers: number[] = []
      for (let i = 0; i < 5; i++) answers.push((await signIn('lock-me', 'wrong-password-x')).status)
      expect(answers).toEqual([401, 401, 401, 401, 423])
      const right = await signIn('lock-me')
      expect(right.status).toBe(423)
      expect(right.cookie).toBeNull()
      const audit = await server.accounts.audit({ targetId: 'lock-me', limit: 20 })
      expect(audit.map((e) => e.action)).toEqual(['user.lock', 'session.sign_in_failed', 'session.sign_in_failed', 'session.sign_in_failed', 'session.sign_in_failed', 'user.create'])
      // an admin's password reset unlocks it
      await server.accounts.changeUser(SYSTEM, 'lock-me', { password: `${PASSWORD}-2` })
      expect((await signIn('lock-me', `${PASSWORD}-2`)).status).toBe(201)
    })

    it('signs out: the session ends for every request and socket that used it', async () => {
      const { cookie, session } = await signIn('u-operator')
      const socket = connectSocket(server.url, { transports: ['websocket'], extraHeaders: { cookie: cookie! } })
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve)
        socket.once('connect_error', reject)
      })
      const ended = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)))
      const out = await fetch(url('/api/session'), { method: 'DELETE', headers: { cookie: cookie!, [CSRF_HEADER]: session!.csrfToken, origin: server.url } })
      expect(out.status).toBe(200)
      expect(out.headers.getSetCookie()[0]).toMatch(/ioc_session=;/)
      expect(await ended).toBe('io server disconnect')
      expect((await fetch(url('/api/stations'), { headers: { cookie: cookie! } })).status).toBe(401)
      socket.close()
    })
  })

  describe('every route declares its access', () => {
    it('has a declaration on every registered route, and the table and the server agree on each', () => {
      const routes = registeredRoutes(server.app)
      expect(routes.filter((r) => r.access === null)).toEqual([])
      const table = Object.values(ROUTES as Record<string, RouteSpec>)
      for (const spec of table) {
        const found = routes.find((r) => r.method === spec.method && r.path === spec.path)
        expect(found, `${spec.method} ${spec.path} is registered`).toBeDefined()
        expect(found!.access, `${spec.method} ${spec.path}`).toBe(spec.access)
      }
      // and nothing under /api escapes the table
      const api = routes.filter((r) => r.path.startsWith('/api/'))
      expect(api.filter((r) => !table.some((s) => s.method === r.method && s.path === r.path))).toEqual([])
    })

    /** A request a role can make to a route: its params filled in, writes with an empty JSON body. */
    function requestFor(spec: RouteSpec): { path: string; init: RequestInit } {
      const path = spec.path.replace(':id', spec.path.includes('stations') ? stationId : spec.path.includes('cameras') ? 'missing-camera' : '999999').replace(':username', 'nobody').replace(':name', 'nothing')
      return { path, init: spec.method === 'GET' ? {} : { method: spec.method, headers: { 'content-type': 'application/json' }, body: '{}' } }
    }

    // every route of the table but the session's own (signing in and out are tested above)
    const matrix = Object.entries(ROUTES as Record<string, RouteSpec>).filter(([, s]) => s.path !== '/api/session')

    it.each(ROLES)('answers %s on every route as its permissions say', async (role) => {
      const permissions = new Set<Permission>(ROLE_PERMISSIONS[role])
      const wrong: string[] = []
      for (const [name, spec] of matrix) {
        const { path, init } = requestFor(spec)
        const res = await asRole(role, path, init)
        const allowed = spec.access === 'public' || spec.access === 'signed-in' || permissions.has(spec.access as Permission)
        const refused = res.status === 401 || res.status === 403
        if (allowed === refused) wrong.push(`${name} ${spec.method} ${path}: ${res.status} (${allowed ? 'allowed' : 'refused'} expected)`)
      }
      expect(wrong).toEqual([])
    })

    it('answers 401 to anonymous callers on every route that needs access', async () => {
      const wrong: string[] = []
      for (const [name, spec] of matrix) {
        if (spec.access === 'public') continue
        const { path, init } = requestFor(spec)
        const res = await fetch(url(path), init)
        if (res.status !== 401) wrong.push(`${name} ${spec.method} ${path}: ${res.status}`)
      }
      expect(wrong).toEqual([])
    })

    it('keeps the pages closed: the wall and the admin page send anonymous visitors to sign in', async () => {
      expect((await fetch(url('/'), { redirect: 'manual' })).headers.get('location')).toBe('/login?next=%2F')
      expect((await fetch(url('/admin'), { redirect: 'manual' })).headers.get('location')).toBe('/login?next=%2Fadmin')
      expect((await fetch(url('/login'))).status).toBe(200)
      expect((await fetch(url('/index.html'))).status).toBe(404)
      // an agency user has no wall: sent to sign in with another account, not back and forth
      const agency = await signIn('u-agency')
      expect((await fetch(url('/'), { redirect: 'manual', headers: { cookie: agency.cookie! } })).headers.get('location')).toBe('/login?denied=%2F')
      expect((await asRole('admin', '/admin')).status).toBe(200)
    })
  })

  describe('Socket.IO', () => {
    const open = (auth: Record<string, string> | undefined, extraHeaders?: Record<string, string>) =>
      new Promise<{ socket: Socket; error: Error | null }>((resolve) => {
        const socket = connectSocket(server.url, { transports: ['websocket'], auth, extraHeaders, reconnection: false })
        socket.once('connect', () => resolve({ socket, error: null }))
        socket.once('connect_error', (error) => resolve({ socket, error }))
      })
    const subscribe = (socket: Socket, rooms: string[]) => new Promise<{ ok: boolean; error?: { code: string } }>((resolve) => socket.emit('subscribe', { rooms }, resolve))

    it('refuses a connection without credentials at the handshake', async () => {
      const { socket, error } = await open(undefined)
      expect(error?.message).toMatch(/^unauthorized/)
      socket.close()
    })

    it('refuses a page of another origin, even with a valid key', async () => {
      const { socket, error } = await open({ token: keys.admin }, { origin: 'http://evil.example' })
      expect(error).not.toBeNull()
      socket.close()
    })

    it('lets a role join only the rooms its permissions open', async () => {
      const { socket: operator } = await open({ token: keys.operator })
      expect(await subscribe(operator, ['stations', 'cameras'])).toMatchObject({ ok: true })
      const { socket: agency, error } = await open({ token: keys.agency })
      expect(error).toBeNull()
      expect(await subscribe(agency, ['stations'])).toMatchObject({ ok: false, error: { code: 'forbidden' } })
      // nothing of the refused room reaches it
      const seen: unknown[] = []
      agency.on('stations:delta', (d) => seen.push(d))
      await new Promise((r) => setTimeout(r, 300))
      expect(seen).toEqual([])
      operator.close()
      agency.close()
    })
  })

  describe('open sockets follow changes to their principal', () => {
    const connected = (token: string) =>
      new Promise<Socket>((resolve, reject) => {
        const s = connectSocket(server.url, { transports: ['websocket'], auth: { token }, reconnection: false })
        s.once('connect', () => resolve(s))
        s.once('connect_error', reject)
      })

    it('drops a socket within 5 s of its API key being revoked', async () => {
      const key = await server.accounts.addApiKey(SYSTEM, 'short-lived', 'u-operator')
      const socket = await connected(key.key)
      const dropped = new Promise<number>((resolve) => socket.once('disconnect', () => resolve(Date.now())))
      const at = Date.now()
      await server.accounts.revokeApiKey(SYSTEM, key.id)
      expect((await dropped) - at).toBeLessThan(5_000)
      socket.close()
    })

    it('drops a socket within 5 s of its user losing the permission of its rooms', async () => {
      await server.accounts.addUser(SYSTEM, { username: 'demoted', password: PASSWORD, roles: ['operator'] })
      const key = await server.accounts.addApiKey(SYSTEM, 'demoted-key', 'demoted')
      const socket = await connected(key.key)
      expect(await new Promise<{ ok: boolean }>((resolve) => socket.emit('subscribe', { rooms: ['stations'] }, resolve))).toMatchObject({ ok: true })
      const dropped = new Promise<number>((resolve) => socket.once('disconnect', () => resolve(Date.now())))
      const at = Date.now()
      await server.accounts.changeUser(SYSTEM, 'demoted', { roles: ['agency'], agencyUnitId: agencyUnit })
      expect((await dropped) - at).toBeLessThan(5_000)
      // back with its new rights, the room is refused
      const again = await connected(key.key)
      expect(await new Promise<{ ok: boolean }>((resolve) => again.emit('subscribe', { rooms: ['stations'] }, resolve))).toMatchObject({ ok: false })
      socket.close()
      again.close()
    })
  })

  describe('kiosk links', () => {
    it('open the wall without a sign-in, read only, and a revoked one drops its connected wall within 5 s on every server', async () => {
      const kiosk = await server.accounts.addKiosk(SYSTEM, 'lobby-screen', server.url)
      const opened = await fetch(kiosk.url, { redirect: 'manual' })
      expect(opened.status).toBe(303)
      const cookie = opened.headers.getSetCookie()[0]!.split(';')[0]!
      expect((await fetch(url('/api/stations'), { headers: { cookie } })).status).toBe(200)
      expect((await fetch(url('/api/dead-letters'), { headers: { cookie } })).status).toBe(403)

      // a second server process on the same database hears of the revocation only through the database
      const other = await startServer({ ...serverOptions(t.stack.config, t.db.db, t.broker.url, CLIENT_DIR), mqttVersion: t.broker.version, topicRoot: t.stack.topicRoot, port: 0, host: '127.0.0.1' })
      try {
        const walls = [server.url, other.url].map((base) => connectSocket(base, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false }))
        await Promise.all(walls.map((s) => new Promise<void>((resolve, reject) => (s.once('connect', () => resolve()), s.once('connect_error', reject)))))
        const dropped = walls.map((s) => new Promise<number>((resolve) => s.once('disconnect', () => resolve(Date.now()))))
        const revokedAt = Date.now()
        const res = await asRole('admin', '/api/kiosks/lobby-screen', { method: 'DELETE' })
        expect(res.status).toBe(200)
        const times = await Promise.all(dropped)
        expect(Math.max(...times) - revokedAt).toBeLessThan(5_000)
        expect((await fetch(kiosk.url, { redirect: 'manual' })).status).toBe(404)
        expect((await fetch(url('/api/stations'), { headers: { cookie } })).status).toBe(401)
        for (const s of walls) s.close()
      } finally {
        await other.stop()
      }
    })
  })

  describe('audit log', () => {
    it('records a change with its actor, before and after, in the same transaction', async () => {
      await asRole('admin', '/api/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'new-leader', password: PASSWORD, roles: ['leader'] }) })
      await asRole('admin', '/api/users/new-leader', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ roles: ['leader', 'operator'] }) })
      const mine = await server.accounts.audit({ targetType: 'user', targetId: 'new-leader', limit: 10 })
      expect(mine.map((e) => [e.action, e.actorKind, e.actorName, e.targetId])).toEqual([
        ['user.update', 'api_key', 'u-admin/k-admin', 'new-leader'],
        ['user.create', 'api_key', 'u-admin/k-admin', 'new-leader'],
      ])
      expect(mine[0]!.before).toMatchObject({ roles: ['leader'] })
      expect(mine[0]!.after).toMatchObject({ roles: ['leader', 'operator'] })
    })

    it('leaves no entry for a change that fails, and no change when its entry cannot be written', async () => {
      const count = async () => (await t.db.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0]!.n
      const n0 = await count()
      // a unit that does not exist: the insert fails, so does the transaction with its entry
      const res = await asRole('admin', '/api/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ghost-agency', password: PASSWORD, roles: ['agency'], agencyUnitId: 'NO-SUCH-UNIT' }) })
      expect(res.status).toBe(400)
      expect(await res.json()).toMatchObject({ error: { field: 'agencyUnitId' } })
      expect(await count()).toBe(n0)
      expect((await server.accounts.users()).some((u) => u.username === 'ghost-agency')).toBe(false)
      // the change succeeds but its entry does not: neither is kept
      await expect(
        audited(t.db.db, { kind: 'system', id: null, name: null as unknown as string }, async (tx) => {
          await tx.query(`INSERT INTO users (username, password_hash, roles) VALUES ('half-done', 'x', ARRAY['leader'])`)
          return { result: null, audit: { action: 'user.create' } }
        }),
      ).rejects.toThrow()
      expect((await t.db.db.query(`SELECT 1 FROM users WHERE username = 'half-done'`)).rowCount).toBe(0)
      expect(await count()).toBe(n0)
    })

    it('refuses to change or delete an entry', async () => {
      await expect(t.db.db.query('UPDATE audit_log SET action = $1', ['forged'])).rejects.toThrow(/append-only/)
      await expect(t.db.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/)
    })

    it('is readable by admins with filters, and exported as CSV', async () => {
      const res = await asRole('admin', '/api/audit?action=user.&targetId=new-leader')
      const { items } = (await res.json()) as { items: { action: string }[] }
      expect(items.map((i) => i.action)).toEqual(['user.update', 'user.create'])
      const csv = await asRole('admin', '/api/audit.csv?targetId=new-leader')
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
      expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="?audit-\d{4}-\d{2}-\d{2}\.csv"?/)
      const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\n')
      expect(lines[0]).toBe('at,actor_kind,actor,action,target_type,target_id,before,after,ip,detail')
      expect(lines).toHaveLength(3)
      expect((await asRole('operator', '/api/audit')).status).toBe(403)
    })
  })

  describe('web locks', () => {
    it('sends security headers with a CSP without inline script', async () => {
      const res = await asRole('admin', '/')
      const csp = res.headers.get('content-security-policy')!
      expect(csp).toMatch(/script-src 'self'(;|$)/)
      expect(csp).toMatch(/frame-ancestors 'none'/)
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN')
      expect(res.headers.get('x-powered-by')).toBeNull()
    })

    it('keeps CORS closed to origins it does not list', async () => {
      const res = await fetch(url('/api/stations'), { headers: { origin: 'http://evil.example', authorization: `Bearer ${keys.operator}` } })
      expect(res.headers.get('access-control-allow-origin')).toBeNull()
      const preflight = await fetch(url('/api/users'), { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } })
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
    })

    it('refuses a cookie-authenticated write without the CSRF token, or from another origin', async () => {
      const { cookie, session } = await signIn('u-admin')
      const body = JSON.stringify({ name: 'csrf-test' })
      const headers = { cookie: cookie!, 'content-type': 'application/json' }
      expect((await fetch(url('/api/kiosks'), { method: 'POST', headers, body })).status).toBe(403)
      expect((await fetch(url('/api/kiosks'), { method: 'POST', headers: { ...headers, [CSRF_HEADER]: session!.csrfToken, origin: 'http://evil.example' }, body })).status).toBe(403)
      expect((await fetch(url('/api/kiosks'), { method: 'POST', headers: { ...headers, [CSRF_HEADER]: session!.csrfToken, origin: server.url }, body })).status).toBe(201)
    })

    it('limits bodies and answers a malformed one without internals', async () => {
      const big = await asRole('admin', '/api/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'x'.repeat(70_000) }) })
      expect(big.status).toBe(413)
      const bad = await asRole('admin', '/api/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username": ' })
      expect(bad.status).toBe(400)
      const text = await bad.text()
      expect(text).not.toMatch(/at [A-Za-z.]+ \(|node_modules|\/work\//)
    })

    it('serves /metrics to this machine without the Node version, and refuses it from the network', async () => {
      const res = await fetch(url('/metrics'))
      expect(res.status).toBe(200)
      expect(await res.text()).not.toMatch(/nodejs_version_info/)
      const lan = Object.values(networkInterfaces())
        .flat()
        .find((i) => i && i.family === 'IPv4' && !i.internal)
      if (!lan) return // no network address on this machine to come from
      const open = await startServer({ ...serverOptions(t.stack.config, t.db.db, t.broker.url, null), mqttVersion: t.broker.version, topicRoot: t.stack.topicRoot, port: 0, host: '0.0.0.0' })
      try {
        expect((await fetch(`http://${lan.address}:${open.port}/metrics`)).status).toBe(403)
        expect((await fetch(`http://${lan.address}:${open.port}/healthz`)).status).toBe(200)
      } finally {
        await open.stop()
      }
    })

    it('rate-limits sign-in attempts per address', async () => {
      const statuses: number[] = []
      for (let i = 0; i < 25; i++) statuses.push((await signIn(`nobody-${i}`, 'wrong-password-x')).status)
      expect(statuses).toContain(429)
    })
  })

  it('keeps the stack live for the wall: a kiosk session subscribes to stations', async () => {
    const cookieRes = await fetch(t.stack.wallLink, { redirect: 'manual' })
    const cookie = cookieRes.headers.getSetCookie()[0]!.split(';')[0]!
    const socket = connectSocket(server.url, { transports: ['websocket'], extraHeaders: { cookie } })
    const ack = await waitFor(
      () => new Promise<{ ok: boolean }>((resolve) => socket.emit('subscribe', { rooms: ['stations'] }, resolve)),
      (a) => a.ok,
      'a snapshot',
    )
    expect(ack.ok).toBe(true)
    socket.close()
  })
})
