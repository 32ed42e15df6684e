// The REST edge every domain's routes share: handlers registered from the contract's route table (so a
// handler's result is checked against the declared response, and the access the route declares is checked
// before it runs), problems a service throws to answer 4xx, and the error body.
import { Router, type RequestHandler, type Response } from 'express'
import { isApiError, type Access, type ApiErrorBody, type ResponseOf, type RouteSpec } from '../../contract/index.ts'
import { requireAccess, type Principal } from './auth.ts'

export function sendError(res: Response, status: number, body: ApiErrorBody): void {
  res.status(status).json({ error: body })
}

/** A decision a service makes about a request (a 404, a 400 the query schema cannot see): the route answers it as it is. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message)
  }
}

export function notFound(field: string, message: string): HttpProblem {
  return new HttpProblem(404, { code: 'not_found', field, message })
}

/** A parsed query, or the 400 it became. */
export function orBadRequest<T>(parsed: T | ApiErrorBody): T {
  if (isApiError(parsed)) throw new HttpProblem(400, parsed)
  return parsed
}

export interface RouteRequest {
  params: Record<string, string>
  query: Record<string, unknown>
  /** The parsed JSON body of a write (unknown until the route's schema reads it). */
  body: unknown
  /** Who asks: never null past a route that needs a permission. */
  principal: Principal | null
  ip: string | null
  /** The IOC's own address as the caller reached it (for links it hands out). */
  baseUrl: string
}

/** A response that is a file (a CSV or XLSX export) rather than JSON. */
export class FileResponse {
  constructor(
    readonly contentType: string,
    /** A download's name; null: shown in the page (a photo), kept in the browser's private cache only. */
    readonly filename: string | null,
    readonly body: string | Buffer,
  ) {}
}

/**
 * Registers the handler of a route of the contract's table on a router mounted at /api: the route's access
 * is checked first, then the handler parses what it needs, asks a service, and returns the declared response.
 */
export function handle<S extends RouteSpec>(router: Router, spec: S, handler: (req: RouteRequest) => ResponseOf<S> | FileResponse | Promise<ResponseOf<S> | FileResponse>): void {
  const path = spec.path.replace(/^\/api/, '')
  const method = spec.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'
  router[method](path, requireAccess(spec.access), async (req, res) => {
    const out = await handler({
      params: req.params as Record<string, string>,
      query: req.query as Record<string, unknown>,
      body: req.body as unknown,
      principal: req.principal ?? null,
      ip: req.ip ?? null,
      baseUrl: `${req.protocol}://${req.get('host') ?? 'localhost'}`,
    })
    if (out instanceof FileResponse) {
      res.type(out.contentType)
      if (out.filename === null) res.set('Cache-Control', 'private, max-age=3600')
      else res.attachment(out.filename)
      res.send(out.body)
      return
    }
    res.status(spec.method === 'POST' ? 201 : 200).json(out)
  })
}

/** The GET routes of the table (most routes): see handle. */
export const get = handle

/** A route outside the table (a page, /healthz, a kiosk link) with the access it declares, checked first. */
export function declared(access: Access, ...handlers: RequestHandler[]): RequestHandler[] {
  return [requireAccess(access), ...handlers]
}
