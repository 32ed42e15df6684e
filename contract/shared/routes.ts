// The REST route table's building blocks: a route is its method, path, the access it needs, the query (or
// body) it takes and the response it gives, declared once in the contract. The server registers its
// handlers from the same entries (their return type checked against the response, the access enforced
// before the handler runs), and the clients build URLs from them, so no side writes a URL or casts a
// response by hand.

import type { Access } from './auth.ts'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RouteSpec<P extends string = string, Q = unknown, R = unknown, B = unknown> {
  method: HttpMethod
  path: P
  /** What the caller needs: a permission, any signed-in principal, or nothing. */
  access: Access
  /** Phantom: never set; carries the query, body and response types. */
  readonly types?: { query: Q; response: R; body: B }
}

/** Declares a GET route: `route<Query, Response>()('/api/stations/:id', 'live:read')`. */
export function route<Q, R>() {
  return <P extends string>(path: P, access: Access): RouteSpec<P, Q, R, never> => ({ method: 'GET', path, access })
}

/** Declares a write: `write<Body, Response>()('POST', '/api/users', 'accounts:manage')`. */
export function write<B, R>() {
  return <P extends string>(method: Exclude<HttpMethod, 'GET'>, path: P, access: Access): RouteSpec<P, Record<string, never>, R, B> => ({ method, path, access })
}

type ParamNames<P extends string> = P extends `${string}:${infer N}/${infer Rest}` ? N | ParamNames<`/${Rest}`> : P extends `${string}:${infer N}` ? N : never
export type ParamsOf<S> = S extends RouteSpec<infer P> ? { [K in ParamNames<P>]: string } : never
export type QueryOf<S> = S extends RouteSpec<string, infer Q> ? Q : never
export type ResponseOf<S> = S extends RouteSpec<string, unknown, infer R> ? R : never
export type BodyOf<S> = S extends RouteSpec<string, unknown, unknown, infer B> ? B : never

/** A query value as the URL carries it. */
export type QueryValue = string | number | undefined

/** The URL of a route: its path with the params filled in (encoded) and the query appended. */
export function routeUrl(spec: RouteSpec, params: Record<string, string> = {}, query: Record<string, QueryValue> = {}): string {
  const path = spec.path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const v = params[name]
    if (v === undefined) throw new Error(`${spec.path}: missing :${name}`)
    return encodeURIComponent(v)
  })
  const search = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined) search.set(k, String(v))
  const qs = search.toString()
  return qs ? `${path}?${qs}` : path
}
