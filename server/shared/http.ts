// The REST edge every domain's routes share: handlers registered from the contract's route table (so a
// handler's result is checked against the declared response), problems a service throws to answer 4xx, and
// the error body.
import { Router, type Response } from 'express'
import { isApiError, type ApiErrorBody, type ResponseOf, type RouteSpec } from '../../contract/index.ts'

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
}

/**
 * Registers a GET handler for a route of the contract's table on a router mounted at /api: the handler parses
 * what it needs, asks a service, and returns the declared response.
 */
export function get<S extends RouteSpec>(router: Router, spec: S, handler: (req: RouteRequest) => ResponseOf<S> | Promise<ResponseOf<S>>): void {
  router.get(spec.path.replace(/^\/api/, ''), async (req, res) => {
    res.json(await handler({ params: req.params as Record<string, string>, query: req.query as Record<string, unknown> }))
  })
}
