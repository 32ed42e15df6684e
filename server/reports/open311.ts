// Open311 GeoReport v2 at /open311/v2: discovery, services, requests (POST and GET), one request, a token.
// Bodies are form-urlencoded as the spec says (JSON too); errors are the spec's array of {code, description}.
// POST needs an api_key: one an admin issued (Authorization-free, as the spec passes it in the body) or one of
// OPEN311_API_KEYS. A rating extension lets the citizen app rate a published report by its token.
import { createHash } from 'node:crypto'
import express, { Router, type Express, type Request, type Response } from 'express'
import { ipKeyGenerator, rateLimit } from 'express-rate-limit'
import {
  check,
  OPEN311_ATTRIBUTES,
  OPEN311_DEFAULT_DAYS,
  OPEN311_MAX_RESULTS,
  open311Service,
  open311ServiceRequest,
  open311Status,
  parseOpen311Query,
  parseOpen311Request,
  reportRatingBody,
  type Open311Error,
} from '../../contract/index.ts'
import type { Actor } from '../shared/audit.ts'
import { sameSecret, type Authenticator } from '../shared/auth.ts'
import { declared, HttpProblem } from '../shared/http.ts'
import type { ReportService } from './service.ts'

const fail = (res: Response, status: number, description: string) => res.status(status).json([{ code: status, description } satisfies Open311Error])

/** `name.json` → name; anything else (the spec's .xml) → null. */
function jsonName(file: string | undefined): string | null {
  const m = /^(.+)\.json$/.exec(file ?? '')
  return m ? decodeURIComponent(m[1]!) : null
}

/**
 * Requests a minute per API key, or per address without one (GETs, the rating): one misbehaving citizen app or
 * script cannot crowd out the others or the consoles. Counted after the body is read, as POST carries its key there.
 */
function open311RateLimit(perMinute: number) {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req: Request) => {
      const key = (req.body as { api_key?: unknown } | undefined)?.api_key ?? req.query.api_key
      // hashed: the limiter's memory never holds a key
      if (typeof key === 'string' && key) return `key:${createHash('sha256').update(key).digest('base64url')}`
      return `ip:${ipKeyGenerator(req.ip ?? '')}`
    },
    handler: (_req, res) => fail(res, 429, `too many requests: at most ${perMinute} a minute per API key (or per address without one); try again in a minute`),
  })
}

export function open311Routes(app: Express, reports: ReportService, o: { auth: Authenticator; keys: readonly { name: string; key: string }[]; perMinute: number; now(): number }): void {
  const r = Router()
  r.use(express.urlencoded({ extended: true, limit: '64kb', parameterLimit: 200 }), express.json({ limit: '64kb' }))
  if (o.perMinute > 0) r.use(open311RateLimit(o.perMinute))
  const wrap = (fn: (req: Request, res: Response) => Promise<unknown>) => (req: Request, res: Response) =>
    fn(req, res).catch((err: unknown) => {
      if (err instanceof HttpProblem) return fail(res, err.status, err.body.message)
      if ((err as { type?: string }).type === 'entity.parse.failed') return fail(res, 400, 'the body is not valid JSON or form data')
      throw err
    })

  // every route is public: Open311 clients hold no session, POST checks its api_key itself
  const on = (method: 'get' | 'post', path: string, fn: (req: Request, res: Response) => Promise<unknown>) => r[method](path, ...declared('public', wrap(fn)))

  on('get', '/discovery.json', async (req, res) => {
    const base = `${req.protocol}://${req.get('host') ?? 'localhost'}/open311/v2/`
    res.json({
      changeset: '2026-12-03T00:00:00+07:00',
      contact: 'Trung tâm Giám sát, điều hành đô thị thông minh (IOC) — đường dây nóng 1022',
      key_service: 'API keys are issued by the IOC administrators (admin page → API keys).',
      endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url: base, changeset: '2026-12-03T00:00:00+07:00', type: 'production', formats: ['application/json'] }],
    })
  })

  on('get', '/services.json', async (_req, res) => {
    res.json((await reports.categoryList()).map(open311Service))
  })

  on('get', '/services/:file', async (req, res) => {
    const code = jsonName(String(req.params.file))
    if (code === null) return fail(res, 400, 'format: only .json is served')
    const category = (await reports.categoryList()).find((c) => c.code === code)
    if (!category) return fail(res, 404, `service_code: '${code.slice(0, 64)}' is not a service (see services.json)`)
    res.json({ service_code: category.code, attributes: OPEN311_ATTRIBUTES[category.code] ?? [] })
  })

  on('post', '/requests.json', async (req, res) => {
    const b = parseOpen311Request(req.body)
    if (!b.ok) return fail(res, b.error.code, b.error.description)
    const body = b.value
    if (!body.api_key) return fail(res, 403, 'api_key: an API key is required to post a request')
    const actor = await keyActor(body.api_key, req.ip ?? null)
    if (!actor) return fail(res, 403, 'api_key: not a valid API key')
    const contact: Record<string, string> = {}
    for (const k of ['first_name', 'last_name', 'email', 'phone', 'device_id', 'account_id'] as const) if (body[k]) contact[k] = body[k]!
    const { row } = await reports.create({
      source: 'open311',
      channelId: null,
      externalId: null,
      categoryCode: body.service_code,
      description: body.description,
      lat: body.lat ?? null,
      lon: body.long ?? null,
      address: body.address_string ?? null,
      contact,
      mediaUrls: body.media_url ? [body.media_url] : [],
      attributes: body.attribute ?? {},
      receivedAt: o.now(),
      apiKeyId: actor.id,
      actor,
    })
    res.status(201).json([{ service_request_id: row.id, token: row.token, service_notice: 'Trung tâm IOC đã tiếp nhận phản ánh.', account_id: null }])
  })

  on('get', '/requests.json', async (req, res) => {
    const q = parseOpen311Query(req.query)
    if (!q.ok) return fail(res, q.error.code, q.error.description)
    const query = q.value
    const ids = query.service_request_id ? query.service_request_id.split(',').map((s) => s.trim()).filter(Boolean) : null
    if (ids && ids.some((id) => !/^[1-9]\d{0,17}$/.test(id))) return fail(res, 400, 'service_request_id: expected comma-separated request ids (digits)')
    const to = query.end_date ? Date.parse(query.end_date) : o.now()
    const from = query.start_date ? Date.parse(query.start_date) : to - OPEN311_DEFAULT_DAYS * 86_400_000
    if (from > to) return fail(res, 400, 'start_date: must be before end_date')
    const rows = await reports.search({
      ids,
      codes: query.service_code ? query.service_code.split(',').map((s) => s.trim()) : null,
      from,
      to,
      closed: query.status === undefined ? null : query.status === 'closed',
      limit: OPEN311_MAX_RESULTS,
    })
    res.json(await Promise.all(rows.map(async (row) => open311ServiceRequest(await reports.open311View(row)))))
  })

  on('get', '/requests/:file', async (req, res) => {
    const id = jsonName(String(req.params.file))
    if (id === null) return fail(res, 400, 'format: only .json is served')
    if (!/^[1-9]\d{0,17}$/.test(id)) return fail(res, 404, `service_request_id: '${id.slice(0, 40)}' is not a request id`)
    const row = await reports.byId(id)
    if (!row) return fail(res, 404, `service_request_id: request ${id} does not exist`)
    res.json([open311ServiceRequest(await reports.open311View(row))])
  })

  on('get', '/tokens/:file', async (req, res) => {
    const token = jsonName(String(req.params.file))
    if (token === null) return fail(res, 400, 'format: only .json is served')
    const row = await reports.byToken(token)
    if (!row) return fail(res, 404, 'token: no request has this token')
    res.json([{ service_request_id: row.id, token }])
  })

  // an extension: the citizen rates the published answer (satisfied or not, with a comment)
  on('post', '/tokens/:token/rating.json', async (req, res) => {
    // a form sends "true" / "false"; anything else stays as sent, for the schema to refuse
    const sent = req.body?.satisfied
    const b = check(reportRatingBody, sent === 'true' || sent === 'false' ? { ...req.body, satisfied: sent === 'true' } : req.body)
    if (!b.ok) return fail(res, 400, b.issues[0]!.message)
    const row = await reports.rate(String(req.params.token), b.value.satisfied, b.value.comment ?? null)
    res.json([{ service_request_id: row.id, status: open311Status(row.state) }])
  })

  r.use((req, res) => fail(res, 404, `no Open311 route ${req.method} /open311/v2${req.path}`))
  // where it is mounted, for whoever lists the routes (Express does not keep it)
  app.use('/open311/v2', Object.assign(r, { mountPath: '/open311/v2' }))

  async function keyActor(key: string, ip: string | null): Promise<Actor | null> {
    for (const k of o.keys) if (sameSecret(k.key, key)) return { kind: 'api_key', id: `env:${k.name}`, name: k.name, ip }
    const p = await o.auth.fromApiKey(key, { ip })
    return p ? { kind: 'api_key', id: p.id, name: p.name, ip } : null
  }
}
