// A minimal OpenID Connect provider for tests, on 127.0.0.1 and a free port: a discovery document, /authorize
// that signs in at once whoever the test chose (no login form) and redirects back with a code, /token that
// checks the client's secret, the redirect_uri and the PKCE verifier and answers with an RS256 ID token
// (iss, aud, sub, nonce and the chosen claims), and /jwks with the public key. Signed with node:crypto, so
// the tests need no JOSE library of their own.
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface TestIdentity {
  sub: string
  /** Further ID-token claims: preferred_username, email, name, groups… */
  [claim: string]: unknown
}

export interface TestOidcProvider {
  issuer: string
  clientId: string
  clientSecret: string
  /** Who the next /authorize signs in. */
  signInAs(identity: TestIdentity): void
  /** The next /authorize answers with ?error=… instead of a code (the person cancelled, the provider refused). */
  refuseNext(error: string): void
  /** Token requests answered so far. */
  readonly tokensIssued: number
  close(): Promise<void>
}

interface Grant {
  identity: TestIdentity
  nonce: string | undefined
  challenge: string
  redirectUri: string
}

export async function startOidcProvider(o: { clientId?: string; clientSecret?: string } = {}): Promise<TestOidcProvider> {
  const clientId = o.clientId ?? 'ioc'
  const clientSecret = o.clientSecret ?? 'test-client-secret-0123456789'
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const kid = randomBytes(6).toString('hex')
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }
  const grants = new Map<string, Grant>()
  let next: TestIdentity | null = null
  let refusal: string | null = null
  let tokensIssued = 0
  let issuer = ''

  const idToken = (claims: Record<string, unknown>): string => {
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
    const input = `${part({ alg: 'RS256', typ: 'JWT', kid })}.${part(claims)}`
    return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`
  }

  const routes: Record<string, (req: IncomingMessage, url: URL, res: ServerResponse) => Promise<void> | void> = {
    '/.well-known/openid-configuration': (_req, _url, res) =>
      json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
        scopes_supported: ['openid', 'profile', 'email'],
      }),
    '/jwks': (_req, _url, res) => json(res, 200, { keys: [jwk] }),
    '/authorize': (_req, url, res) => {
      const q = url.searchParams
      const redirectUri = q.get('redirect_uri')
      if (q.get('client_id') !== clientId || !redirectUri) return json(res, 400, { error: 'invalid_request', error_description: 'unknown client or no redirect_uri' })
      const back = new URL(redirectUri)
      if (q.get('state') !== null) back.searchParams.set('state', q.get('state')!)
      if (refusal) {
        back.searchParams.set('error', refusal)
        refusal = null
      } else if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge') || !q.get('scope')?.split(' ').includes('openid')) {
        back.searchParams.set('error', 'invalid_request')
      } else if (!next) {
        back.searchParams.set('error', 'login_required')
      } else {
        const code = randomBytes(16).toString('base64url')
        grants.set(code, { identity: next, nonce: q.get('nonce') ?? undefined, challenge: q.get('code_challenge')!, redirectUri })
        back.searchParams.set('code', code)
      }
      res.writeHead(302, { location: back.href }).end()
    },
    '/token': async (req, _url, res) => {
      const form = new URLSearchParams(await body(req))
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1]
      const [id, secret] = basic
        ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent)
        : [form.get('client_id'), form.get('client_secret')]
      if (id !== clientId || secret !== clientSecret) return json(res, 401, { error: 'invalid_client' })
      const code = form.get('code') ?? ''
      const grant = grants.get(code)
      // a code opens once
      grants.delete(code)
      if (form.get('grant_type') !== 'authorization_code' || !grant) return json(res, 400, { error: 'invalid_grant', error_description: 'unknown or used code' })
      if (form.get('redirect_uri') !== grant.redirectUri) return json(res, 400, { error: 'invalid_grant', error_description: 'redirect_uri differs' })
      if (createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url') !== grant.challenge) return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verifier does not match' })
      const now = Math.floor(Date.now() / 1000)
      tokensIssued++
      json(res, 200, {
        access_token: randomBytes(16).toString('base64url'),
        token_type: 'Bearer',
        expires_in: 300,
        id_token: idToken({ ...grant.identity, iss: issuer, aud: clientId, iat: now, exp: now + 300, ...(grant.nonce ? { nonce: grant.nonce } : {}) }),
      })
    },
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer)
    const route = routes[url.pathname]
    if (!route) return json(res, 404, { error: 'not_found' })
    Promise.resolve(route(req, url, res)).catch((err: unknown) => json(res, 500, { error: 'server_error', error_description: String(err) }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    issuer,
    clientId,
    clientSecret,
    signInAs(identity) {
      next = identity
    },
    refuseNext(error) {
      refusal = error
    },
    get tokensIssued() {
      return tokensIssued
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(value))
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
