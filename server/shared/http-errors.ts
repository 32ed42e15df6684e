// The last Express handler: every error becomes an honest status and a body without internals. A client
// mistake keeps its 4xx (a missing file 404, a malformed URL 400); a database that does not answer is 503;
// anything else is 500 with a generic message. The detail (paths, stack) goes to the log, never the wire.
import type { NextFunction, Request, Response } from 'express'
import { createLogger } from '../../core/log.ts'
import { describeDatabaseError } from '../../db/database.ts'
import { HttpProblem, sendError } from './http.ts'

const log = createLogger('http')

const CLIENT_ERRORS: Record<number, { code: string; message: string }> = {
  400: { code: 'bad_request', message: 'the request could not be read (malformed URL or body)' },
  403: { code: 'forbidden', message: 'not allowed' },
  404: { code: 'not_found', message: 'no such file or route' },
  405: { code: 'method_not_allowed', message: 'method not allowed here' },
  413: { code: 'too_large', message: 'the request body is too large' },
  415: { code: 'unsupported_media_type', message: 'unsupported content type' },
}

/** True for errors of a database that is down or not answering (not a SQL error in the request). */
function isDatabaseDown(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code
  const message = (err as { message?: unknown })?.message
  return (
    (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|57P0[123]|08\d{3})$/.test(code)) ||
    (typeof message === 'string' && /no answer within|Connection terminated|embedded database|timeout exceeded when trying to connect/i.test(message))
  )
}

/** First in line: a URL whose percent-encoding does not decode is malformed (400), whatever route it aims at. */
export function rejectMalformedUrl(req: Request, res: Response, next: NextFunction): void {
  try {
    decodeURIComponent(req.path)
  } catch {
    sendError(res, 400, { code: 'bad_request', message: 'the URL is malformed (bad percent-encoding)' })
    return
  }
  next()
}

/** Last in line before errorHandler: nothing served this path. */
export function notFound(_req: Request, res: Response): void {
  sendError(res, 404, CLIENT_ERRORS[404]!)
}

export function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  if (err instanceof HttpProblem) {
    sendError(res, err.status, err.body)
    return
  }
  const status = Number((err as { status?: unknown; statusCode?: unknown })?.status ?? (err as { statusCode?: unknown })?.statusCode)
  if (status >= 400 && status < 500) {
    const known = CLIENT_ERRORS[status] ?? { code: 'bad_request', message: 'the request was refused' }
    sendError(res, status, known)
    return
  }
  if (isDatabaseDown(err)) {
    log.warn(`${req.method} ${req.path.slice(0, 200)}: database unavailable (${describeDatabaseError(err)})`)
    res.setHeader('Retry-After', '5')
    sendError(res, 503, { code: 'database_unavailable', message: 'the database is not answering; try again shortly' })
    return
  }
  log.error(`${req.method} ${req.path.slice(0, 200)} failed`, { error: err })
  sendError(res, 500, { code: 'internal', message: 'internal error (see the server log)' })
}
