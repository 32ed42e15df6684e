// The web's locks, in front of every route: security headers with a Content-Security-Policy the wall works
// under (no inline script; MapLibre's worker from our own origin or a blob), CORS closed unless
// ALLOWED_ORIGINS lists the caller, one origin rule shared with Socket.IO, a body size limit, a rate limit
// per caller on the API, and /metrics only with its token or from this machine.
import type { IncomingMessage } from 'node:http'
import cors from 'cors'
import express, { type Request, type RequestHandler } from 'express'
import { ipKeyGenerator, rateLimit } from 'express-rate-limit'
import helmet from 'helmet'
import { mayReadMetrics } from '../../core/metrics.ts'
import { sendError } from './http.ts'

export interface WebSecurityOptions {
  allowedOrigins: readonly string[]
  /** The basemap's style (MAP_STYLE_URL): its tiles, glyphs and sprites come from other hosts. */
  mapStyleUrl: string | null
  metricsToken: string | null
}

/** The request's own origin as the browser saw it (scheme and Host header). */
function ownOrigin(req: IncomingMessage & { protocol?: string }): string | null {
  const host = req.headers.host
  if (!host) return null
  const proto = req.protocol ?? ((req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http')
  return `${proto}://${host}`
}

/** An origin may call: the IOC's own pages, or one ALLOWED_ORIGINS lists. */
export function originAllowed(origin: string, req: IncomingMessage & { protocol?: string }, allowed: readonly string[]): boolean {
  return origin === ownOrigin(req) || allowed.includes(origin)
}

export function securityHeaders(o: WebSecurityOptions): RequestHandler {
  // a real basemap pulls tiles, glyphs and sprites from wherever its style says
  const basemap = o.mapStyleUrl ? ['https:'] : []
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // MapLibre starts its worker from a URL of this origin; older builds from a blob
        workerSrc: ["'self'", 'blob:'],
        childSrc: ["'self'", 'blob:'],
        // stylesheets only from here; style attributes (Svelte writes positions and colours into them) allowed
        styleSrc: ["'self'"],
        styleSrcAttr: ["'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...basemap],
        connectSrc: ["'self'", ...basemap, ...o.allowedOrigins],
        fontSrc: ["'self'", 'data:', ...basemap],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // served over plain HTTP on a LAN as often as behind TLS; HSTS is the TLS terminator's to send
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  })
}

/** CORS for /api: closed (no Access-Control-* headers) unless the Origin is listed; credentials allowed then. */
export function apiCors(o: WebSecurityOptions): RequestHandler {
  return cors({
    origin: (origin, cb) => cb(null, origin !== undefined && o.allowedOrigins.includes(origin)),
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Content-Type', 'Authorization', 'X-CSRF-Token'],
    maxAge: 600,
  })
}

/** JSON bodies of at most 64 KiB (the largest write is a user or a report's text); anything bigger is a 413. */
export const jsonBodies: RequestHandler = express.json({ limit: '64kb', strict: true })

/** Per caller (signed-in principal, else address) per minute on the API: a wall needs a few, a script a few hundred. */
export function apiRateLimit(perMinute = 1200): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // per /64 for IPv6 (ipKeyGenerator), or one host could rotate through addresses
    keyGenerator: (req: Request) => (req.principal ? `${req.principal.kind}:${req.principal.id}` : `ip:${ipKeyGenerator(req.ip ?? '')}`),
    handler: (_req, res) => sendError(res, 429, { code: 'rate_limited', message: 'too many requests; slow down and try again in a minute' }),
  })
}

/** /metrics: with METRICS_TOKEN, only with `Authorization: Bearer <token>`; without it, only from this machine. */
export function metricsGuard(token: string | null): RequestHandler {
  return (req, res, next) => {
    if (mayReadMetrics(req.headers.authorization, req.socket.remoteAddress, token)) return next()
    if (token) return sendError(res, 401, { code: 'unauthorized', message: '/metrics needs Authorization: Bearer <METRICS_TOKEN>' })
    sendError(res, 403, { code: 'forbidden', message: '/metrics answers only on this machine; set METRICS_TOKEN to scrape it from elsewhere' })
  }
}
