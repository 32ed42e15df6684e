// Frames ingest publishes under {root}/live/… for the servers, checked by the servers like any other input
// (anyone who can publish to the broker can publish there): the parts every domain's frame shares. A frame is
// read by a zod schema through check(), with the same schemas for values as the payloads ingest took them
// from, and refused whole at its first issue.

import { MAX_TIME_MS } from './clock.ts'
import type { IngestLimits } from './ingest.ts'
import { check, sentence, z } from './schema.ts'
import { DEVICE_ID_PATTERN } from './topics.ts'

/** Readings per live frame at most (ingest publishes batches in chunks of 2,000). */
export const MAX_LIVE_ITEMS = 10_000

const SKEW_MS = 3_600_000

/** A time as the IOC's own frames carry it: epoch milliseconds a Date can represent. */
export function epochMs(expected = 'epoch milliseconds') {
  return z.number({ error: expected }).min(-MAX_TIME_MS, { error: expected, abort: true }).max(MAX_TIME_MS, { error: expected, abort: true })
}
export const EPOCH_MS = epochMs()

/** A station's or camera's id. */
export const DEVICE_ID = z.string({ error: 'a device id' }).regex(DEVICE_ID_PATTERN, { error: 'a device id' })

/** A frame: its commit time and the list `items` under `list`, at most MAX_LIVE_ITEMS of them, counted before any is read. */
export function liveFrame<L extends string, T extends z.ZodType>(list: L, item: T) {
  const items = z
    .array(z.unknown(), { error: 'an array' })
    .max(MAX_LIVE_ITEMS, { error: sentence(`more than ${MAX_LIVE_ITEMS}`) })
    .pipe(z.array(item))
  return z.object({ committedAt: EPOCH_MS, [list]: items } as { committedAt: typeof EPOCH_MS } & Record<L, typeof items>, { error: 'a JSON object' })
}

const windows = new WeakMap<object, z.ZodNumber>()

/**
 * The times a live item may carry, as an offset from the server's clock: ingest's own window (INGEST_MAX_AGE,
 * INGEST_MAX_FUTURE) with an hour of slack for clock skew. One schema per limits serves every frame.
 */
function liveWindow(limits: Pick<IngestLimits, 'maxAgeMs' | 'maxFutureMs'>): z.ZodNumber {
  let schema = windows.get(limits)
  if (!schema) {
    const outside = sentence('outside the window ingest accepts')
    schema = z.number().min(-(limits.maxAgeMs + SKEW_MS), { error: outside, abort: true }).max(limits.maxFutureMs + SKEW_MS, { error: outside, abort: true })
    windows.set(limits, schema)
  }
  return schema
}

/**
 * Reads a live frame: the frame, or the message of its first issue (a frame is refused whole). `json` is
 * what came on the topic; every item's `ts` must also fall in the window ingest accepts around `now`.
 */
export function readLiveFrame<S extends z.ZodType>(schema: S, list: string, json: unknown, now: number, limits: Pick<IngestLimits, 'maxAgeMs' | 'maxFutureMs'>): z.output<S> | string {
  const frame = check(schema, json)
  if (!frame.ok) return frame.issues[0]!.message
  const window = liveWindow(limits)
  const items = (frame.value as Record<string, { ts: number }[]>)[list]!
  for (let i = 0; i < items.length; i++) {
    const offset = items[i]!.ts - now
    if (!window.safeParse(offset).success) {
      const r = check(window, offset, { at: `${list}[${i}].ts` })
      if (!r.ok) return r.issues[0]!.message
    }
  }
  return frame.value
}
