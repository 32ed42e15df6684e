// How every surface answers a request it cannot serve: REST as `{ error: ApiErrorBody }` with a 4xx, socket
// requests through their ack as `{ ok: false, error }`. The field names the part of the request at fault.

export interface ApiErrorBody {
  code: string
  message: string
  /** The request field at fault, when there is one. */
  field?: string
}

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ApiErrorBody }
