// The clients' REST client (wall, sign-in, admin), built from the contract's route table: a call names a route (ROUTES.stationAqi)
// with its params and query, all typed from the table, and gets the route's response type. No URL is written
// by hand, and the one place a JSON body becomes a typed value is here, trusting the server, which registers
// its handlers from the same table with their return types checked against it.
import { CSRF_HEADER, ROUTES, routeUrl, z, type ApiErrorBody, type BodyOf, type ParamsOf, type QueryOf, type ResponseOf, type RouteSpec } from '../../../contract/index.ts'

/** A refused or failed request: the HTTP status and, when the server said why, its error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | null,
    url: string,
  ) {
    super(`${url}: ${status}${body ? ` ${body.message}` : ''}`)
  }
}

type Args<S extends RouteSpec> = (keyof ParamsOf<S> extends never ? { params?: undefined } : { params: ParamsOf<S> }) & {
  query?: QueryOf<S>
  signal?: AbortSignal
}

/** GET a route of the table; rejects with ApiError on a non-2xx answer. */
export async function get<S extends RouteSpec>(spec: S, args: Args<S> = {} as Args<S>): Promise<ResponseOf<S>> {
  const url = routeUrl(spec, args.params as Record<string, string> | undefined, (args.query ?? {}) as Record<string, string | number | undefined>)
  const res = await fetch(url, { signal: args.signal, headers: { accept: 'application/json' } })
  if (!res.ok) throw new ApiError(res.status, await errorBody(res), url)
  return (await res.json()) as ResponseOf<S>
}

/** REST errors come as `{ error: { code, message, field? } }`; a proxy's HTML error page has none. */
const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }) })

async function errorBody(res: Response): Promise<ApiErrorBody | null> {
  const parsed = errorSchema.safeParse(await res.json().catch(() => null))
  return parsed.success ? parsed.data.error : null
}

type WriteArgs<S extends RouteSpec> = (keyof ParamsOf<S> extends never ? { params?: undefined } : { params: ParamsOf<S> }) & {
  body?: BodyOf<S>
  signal?: AbortSignal
}

let csrf: string | null = null

/** The session's CSRF token (GET /api/session), fetched once per page and again after a sign-in. */
async function csrfToken(): Promise<string> {
  csrf ??= (await get(ROUTES.session)).csrfToken
  return csrf
}

/** Forgets the CSRF token (after a sign-in or sign-out: a new session has a new one). */
export function resetCsrf(token: string | null = null): void {
  csrf = token
}

/** POST a route of the table with a multipart form (a file upload), echoing the session's CSRF token. */
export async function sendForm<S extends RouteSpec>(spec: S, params: Record<string, string>, form: FormData): Promise<ResponseOf<S>> {
  const url = routeUrl(spec, params)
  // no content-type: the browser writes the multipart boundary
  const res = await fetch(url, { method: spec.method, headers: { accept: 'application/json', [CSRF_HEADER]: await csrfToken() }, body: form })
  if (!res.ok) throw new ApiError(res.status, await errorBody(res), url)
  return (await res.json()) as ResponseOf<S>
}

/** POST, PUT, PATCH or DELETE a route of the table with a JSON body, echoing the session's CSRF token. */
export async function send<S extends RouteSpec>(spec: S, args: WriteArgs<S> = {} as WriteArgs<S>): Promise<ResponseOf<S>> {
  const url = routeUrl(spec, args.params as Record<string, string> | undefined)
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' }
  // signing in has no session yet, so no token to echo
  if (spec.access !== 'public') headers[CSRF_HEADER] = await csrfToken()
  const res = await fetch(url, { method: spec.method, signal: args.signal, headers, body: JSON.stringify(args.body ?? {}) })
  if (!res.ok) throw new ApiError(res.status, await errorBody(res), url)
  return (await res.json()) as ResponseOf<S>
}
