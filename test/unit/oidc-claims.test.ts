// What single sign-on reads from an ID token (groups, the roles they map to, a username for a first sign-in),
// the sealed cookie of a sign-in in flight, and where a sign-in may send the browser next.
import { describe, expect, it } from 'vitest'
import { localPath } from '../../contract/index.ts'
import { flowSealer, groupsOf, rolesOf, usernameFrom } from '../../server/accounts/oidc.ts'

describe('groupsOf', () => {
  it('reads a list', () => {
    expect(groupsOf({ groups: ['a', 'b', 3] }, 'groups')).toEqual(['a', 'b'])
  })
  it('reads a space-separated string', () => {
    expect(groupsOf({ roles: ' a  b ' }, 'roles')).toEqual(['a', 'b'])
  })
  it("reaches into an object with a dotted name (Keycloak's realm_access.roles)", () => {
    expect(groupsOf({ realm_access: { roles: ['ioc-ops'] } }, 'realm_access.roles')).toEqual(['ioc-ops'])
  })
  it('prefers a claim whose own name has dots (namespaced claims)', () => {
    expect(groupsOf({ 'https://ioc.example/groups': ['x'] }, 'https://ioc.example/groups')).toEqual(['x'])
  })
  it('finds nothing in a missing claim or one of another type', () => {
    expect(groupsOf({}, 'groups')).toEqual([])
    expect(groupsOf({ groups: { a: 1 } }, 'groups')).toEqual([])
  })
})

describe('rolesOf', () => {
  const map = { 'ioc-ops': 'operator', 'ioc-admins': 'admin', 'ops-too': 'operator' }
  it('maps each group once and ignores the others', () => {
    expect(rolesOf(['ioc-ops', 'visitors', 'ops-too', 'ioc-admins'], map)).toEqual(['operator', 'admin'])
  })
  it('is not fooled by names of Object.prototype', () => {
    expect(rolesOf(['__proto__', 'constructor', 'toString'], map)).toEqual([])
  })
})

describe('usernameFrom', () => {
  it('strips Vietnamese diacritics, đ included', () => {
    expect(usernameFrom({ sub: 's', preferred_username: 'Nguyễn Văn Đức' })).toBe('nguyen-van-duc')
  })
  it('takes the local part of an e-mail shaped preferred_username or email', () => {
    expect(usernameFrom({ sub: 's', preferred_username: 'tran.b@so.example' })).toBe('tran.b')
    expect(usernameFrom({ sub: 's', email: 'Le_C@so.example' })).toBe('le_c')
  })
  it('makes one from the subject when nothing usable is left', () => {
    expect(usernameFrom({ sub: 'abc', preferred_username: '——' })).toMatch(/^sso-[0-9a-f]{12}$/)
    expect(usernameFrom({ sub: 'abc' })).toBe(usernameFrom({ sub: 'abc', email: '@x' }))
  })
  it('fits the username pattern however long the name', () => {
    expect(usernameFrom({ sub: 's', preferred_username: `${'a'.repeat(100)}` })).toMatch(/^[a-z0-9][a-z0-9._-]{1,63}$/)
  })
})

describe('flowSealer', () => {
  const flow = { state: 'st', nonce: 'no', verifier: 've', next: '/admin', expiresAt: 1_000 }
  it('opens what it sealed until it expires', () => {
    const s = flowSealer('secret-one')
    expect(s.open(s.seal(flow), 999)).toEqual(flow)
    expect(s.open(s.seal(flow), 1_000)).toBeNull()
  })
  it('opens nothing sealed under another client secret, or altered', () => {
    const sealed = flowSealer('secret-one').seal(flow)
    expect(flowSealer('secret-two').open(sealed, 0)).toBeNull()
    const raw = Buffer.from(sealed, 'base64url')
    raw[raw.length - 1]! ^= 1
    expect(flowSealer('secret-one').open(raw.toString('base64url'), 0)).toBeNull()
    expect(flowSealer('secret-one').open('garbage', 0)).toBeNull()
  })
})

describe('localPath', () => {
  it.each(['/', '/admin', '/admin?tab=users#x'])('keeps the path %s', (p) => {
    expect(localPath(p)).toBe(p)
  })
  it.each(['https://elsewhere.example/', '//elsewhere.example', '/\\elsewhere.example', 'admin', '/a b', '/a\u0000', undefined, ['/a']])('makes %j the home page', (p) => {
    expect(localPath(p)).toBe('/')
  })
})
