// Single sign-on against a real (minimal) OpenID Connect provider on this machine: the redirect with PKCE,
// state and nonce; a first sign-in that creates the user with the roles its groups map to; later sign-ins
// that take the roles the provider says now; the refusals (no mapped group, a disabled user, a state that is
// not the one sent, a sign-in not started in this browser); and no single sign-on at all when it is not
// configured. The IOC's public address is http://ioc.test (OIDC_REDIRECT_URL), as behind a proxy: the test's
// browser resolves it to the test server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROUTES, type AuthOptions, type SessionView } from '../../contract/index.ts'
import { serverOptions, startServer } from '../../server/service.ts'
import { startOidcProvider, type TestOidcProvider } from '../helpers/oidc-provider.ts'
import { closeStack, openStack, STACK_TARGETS, testConfig, type StackTarget } from '../helpers/stack.ts'

const PUBLIC_ORIGIN = 'http://ioc.test'

/** A browser for the flow: redirects followed by hand (so each hop can be looked at), the IOC's cookies kept. */
class Browser {
  readonly cookies = new Map<string, string>()
  constructor(private readonly iocOrigin: string) {}

  /** GET without following redirects; the IOC's public address goes to the test server, with its cookies. */
  async get(url: string): Promise<Response> {
    const target = url.startsWith(PUBLIC_ORIGIN) ? `${this.iocOrigin}${url.slice(PUBLIC_ORIGIN.length)}` : url
    const ioc = target.startsWith(this.iocOrigin)
    const headers: Record<string, string> = ioc && this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}
    const res = await fetch(target, { redirect: 'manual', headers })
    if (ioc) {
      for (const line of res.headers.getSetCookie()) {
        const [pair, ...attributes] = line.split(';')
        const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)]
        const gone = value === '' || attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a) || /^\s*max-age=0$/i.test(a))
        if (gone) this.cookies.delete(name)
        else this.cookies.set(name, value)
      }
    }
    return res
  }

  /** From the sign-in button to the provider and back: the URL the provider sends the browser back to. */
  async toProviderAndBack(next = '/'): Promise<string> {
    const start = await this.get(`${this.iocOrigin}/auth/oidc/start?${new URLSearchParams({ next })}`)
    expect(start.status).toBe(303)
    const provider = await this.get(start.headers.get('location')!)
    expect(provider.status).toBe(302)
    return provider.headers.get('location')!
  }

  async signIn(next = '/'): Promise<Response> {
    return this.get(await this.toProviderAndBack(next))
  }

  async session(): Promise<SessionView | null> {
    const res = await this.get(`${this.iocOrigin}/api/session`)
    return res.ok ? ((await res.json()) as SessionView) : null
  }
}

describe.each(STACK_TARGETS)('single sign-on on $db database + $broker broker', (target) => {
  let provider: TestOidcProvider
  let t: StackTarget
  let url: string
  const browser = () => new Browser(url)

  async function usernames(): Promise<string[]> {
    return (await t.stack.server.accounts.users()).map((u) => u.username)
  }

  beforeAll(async () => {
    provider = await startOidcProvider()
    t = await openStack(target, {
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_REDIRECT_URL: `${PUBLIC_ORIGIN}/auth/oidc/callback`,
      OIDC_ROLE_MAP: 'ioc-ops=operator,ioc-leaders=leader,ioc-admins=admin,ioc-agencies=agency',
    })
    url = t.stack.server.url
  })
  afterAll(async () => {
    await closeStack(t ?? {})
    await provider?.close()
  })

  it('tells the sign-in page that single sign-on is offered, and where it starts', async () => {
    const res = await fetch(`${url}${ROUTES.authOptions.path}`)
    expect(res.status).toBe(200)
    expect((await res.json()) as AuthOptions).toEqual({ sso: { label: new URL(provider.issuer).host, startUrl: '/auth/oidc/start' } })
  })

  it('sends the browser to the provider with PKCE (S256), state and nonce, sealed in a short-lived HttpOnly cookie', async () => {
    const res = await fetch(`${url}/auth/oidc/start?next=/admin`, { redirect: 'manual' })
    expect(res.status).toBe(303)
    const to = new URL(res.headers.get('location')!)
    expect(`${to.origin}${to.pathname}`).toBe(`${provider.issuer}/authorize`)
    const q = Object.fromEntries(to.searchParams)
    expect(q).toMatchObject({ response_type: 'code', client_id: provider.clientId, redirect_uri: `${PUBLIC_ORIGIN}/auth/oidc/callback`, code_challenge_method: 'S256' })
    expect(q.scope!.split(' ')).toContain('openid')
    for (const p of ['code_challenge', 'state', 'nonce']) expect(q[p], p).toMatch(/^[\w-]{20,}$/)
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('ioc_oidc='))!
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
    expect(cookie).toMatch(/Path=\/auth\/oidc/)
    expect(cookie).toMatch(/Max-Age=600/)
    // sealed: neither the state nor where to go next can be read from it
    const value = cookie.split(';')[0]!.slice('ioc_oidc='.length)
    expect(Buffer.from(value, 'base64url').toString('latin1')).not.toContain(q.state)
    expect(Buffer.from(value, 'base64url').toString('latin1')).not.toContain('/admin')
  })

  it('signs a mapped user in for the first time: creates them with the mapped roles and lands on next with a session', async () => {
    provider.signInAs({ sub: 'sub-duc', preferred_username: 'Nguyễn.Văn.Đức', name: 'Nguyễn Văn Đức', email: 'duc@so.example', groups: ['ioc-ops', 'not-mapped'] })
    const b = browser()
    const res = await b.signIn('/admin?tab=users')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin?tab=users')
    const sessionCookie = res.headers.getSetCookie().find((c) => c.startsWith('ioc_session='))!
    expect(sessionCookie).toMatch(/^ioc_session=ioc_s_[\w-]{43}; /)
    expect(sessionCookie).toMatch(/HttpOnly/)
    expect(sessionCookie).toMatch(/SameSite=Lax/)
    // the sign-in in flight is spent
    expect(b.cookies.has('ioc_oidc')).toBe(false)
    const session = await b.session()
    expect(session?.principal).toMatchObject({ kind: 'user', name: 'nguyen.van.duc', displayName: 'Nguyễn Văn Đức', roles: ['operator'] })
    const user = (await t.stack.server.accounts.users()).find((u) => u.username === 'nguyen.van.duc')
    expect(user).toMatchObject({ sso: true, password: false, roles: ['operator'] })
    const audit = await t.stack.server.accounts.audit({ targetId: 'nguyen.van.duc', limit: 10 })
    expect(audit.map((e) => [e.action, e.detail])).toEqual([
      ['session.sign_in', 'sso'],
      ['user.create', 'sso: first sign-in'],
    ])
  })

  it('takes the roles the provider says at every sign-in', async () => {
    provider.signInAs({ sub: 'sub-lan', preferred_username: 'lan', groups: ['ioc-ops'] })
    expect((await browser().signIn()).status).toBe(303)
    provider.signInAs({ sub: 'sub-lan', preferred_username: 'lan', groups: 'ioc-leaders ioc-admins' })
    const b = browser()
    expect((await b.signIn()).status).toBe(303)
    expect((await b.session())?.principal).toMatchObject({ name: 'lan', roles: ['leader', 'admin'] })
    expect((await usernames()).filter((n) => n.startsWith('lan'))).toEqual(['lan'])
    const [latest, update] = await t.stack.server.accounts.audit({ targetId: 'lan', limit: 2 })
    expect(latest!.action).toBe('session.sign_in')
    expect(update).toMatchObject({ action: 'user.update', before: { roles: ['operator'] }, after: { roles: ['leader', 'admin'] } })
  })

  it('refuses a user none of whose groups maps to a role, creates nothing and audits the refusal', async () => {
    const before = await usernames()
    provider.signInAs({ sub: 'sub-stranger', preferred_username: 'stranger', groups: ['visitors'] })
    const b = browser()
    const res = await b.signIn()
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('không nhóm nào của bạn được gán vai trò')
    expect(b.cookies.has('ioc_session')).toBe(false)
    expect(await usernames()).toEqual(before)
    const [refused] = await t.stack.server.accounts.audit({ action: 'session.sign_in_refused', targetId: 'stranger', limit: 1 })
    expect(refused?.detail).toMatch(/^sso: none of the groups .*visitors/)
  })

  it('refuses a callback whose state is not the one it sent, without exchanging the code', async () => {
    provider.signInAs({ sub: 'sub-mallory', preferred_username: 'mallory', groups: ['ioc-admins'] })
    const b = browser()
    const back = new URL(await b.toProviderAndBack())
    back.searchParams.set('state', 'a-state-this-browser-never-sent')
    const issued = provider.tokensIssued
    const res = await b.get(back.href)
    expect(res.status).toBe(400)
    expect(b.cookies.has('ioc_session')).toBe(false)
    expect(provider.tokensIssued).toBe(issued)
    expect(await usernames()).not.toContain('mallory')
  })

  it('refuses a callback in a browser that did not start the sign-in', async () => {
    provider.signInAs({ sub: 'sub-mallory', preferred_username: 'mallory', groups: ['ioc-admins'] })
    const back = await browser().toProviderAndBack()
    const other = browser()
    const res = await other.get(back)
    expect(res.status).toBe(400)
    expect(other.cookies.has('ioc_session')).toBe(false)
    expect(await usernames()).not.toContain('mallory')
  })

  it('refuses a disabled SSO user although the provider vouches for them', async () => {
    provider.signInAs({ sub: 'sub-hoa', preferred_username: 'hoa', groups: ['ioc-leaders'] })
    expect((await browser().signIn()).status).toBe(303)
    const disable = await t.stack.api('/api/users/hoa', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ disabled: true }) })
    expect(disable.status).toBe(200)
    const b = browser()
    const res = await b.signIn()
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('vô hiệu hóa')
    expect(b.cookies.has('ioc_session')).toBe(false)
    const [refused] = await t.stack.server.accounts.audit({ action: 'session.sign_in_refused', targetId: 'hoa', limit: 1 })
    expect(refused?.detail).toMatch(/^sso: this account is disabled/)
  })

  it('gives a new SSO user a free username and never the account of a password user with the same name', async () => {
    await t.stack.server.accounts.addUser({ kind: 'system', id: null, name: 'system' }, { username: 'tuan', password: 'a-long-test-password', roles: ['admin'] })
    provider.signInAs({ sub: 'sub-tuan', preferred_username: 'tuan', groups: ['ioc-ops'] })
    const b = browser()
    expect((await b.signIn()).status).toBe(303)
    expect((await b.session())?.principal).toMatchObject({ name: 'tuan-2', roles: ['operator'] })
  })

  it('sends a signed-in user on only to a path of this site', async () => {
    provider.signInAs({ sub: 'sub-duc', preferred_username: 'nguyen.van.duc', groups: ['ioc-ops'] })
    const res = await browser().signIn('https://elsewhere.example/phish')
    expect(res.headers.get('location')).toBe('/')
  })

  it('shows why when the provider refuses or the person cancels', async () => {
    provider.refuseNext('access_denied')
    const b = browser()
    const res = await b.signIn()
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('từ chối hoặc hủy')
    expect(b.cookies.has('ioc_session')).toBe(false)
  })

  it('offers no single sign-on where it is not configured', async () => {
    const plain = await startServer({ ...serverOptions(testConfig(), t.db.db, t.broker.url, null), mqttVersion: t.broker.version, topicRoot: t.stack.topicRoot, port: 0, host: '127.0.0.1' })
    try {
      expect((await fetch(`${plain.url}/auth/oidc/start?next=/`, { redirect: 'manual' })).status).toBe(404)
      expect((await fetch(`${plain.url}/auth/oidc/callback?code=x&state=y`, { redirect: 'manual' })).status).toBe(404)
      expect(await (await fetch(`${plain.url}${ROUTES.authOptions.path}`)).json()).toEqual({ sso: null })
    } finally {
      await plain.stop()
    }
  })
})
