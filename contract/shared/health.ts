// Health as every part of the IOC reports it: /healthz (REST), the `health` Socket.IO event the walls show,
// and the heartbeat each ingest worker publishes on {root}/live/ingest so every server knows whether new
// data can still be stored. A problem names the part at fault and never a host, port or path.

import { EPOCH_MS, epochMs } from './live-frames.ts'
import { check, z } from './schema.ts'

export interface HealthResponse {
  ok: boolean
  database: 'up' | 'down'
  broker: 'up' | 'down'
  /** What is down, in words, when ok is false. */
  problems: string[]
}

export const HEALTH_CODES = ['database_down', 'broker_down', 'ingest_failing', 'ingest_absent'] as const
export type HealthCode = (typeof HEALTH_CODES)[number]

export interface HealthProblem {
  code: HealthCode
  /** The detail, in English, for logs and tooltips; walls show their own words for the code. */
  message: string
}

/** What a wall needs to tell the truth about its data: is it flowing, and how old is the newest of it. */
export interface LiveHealth {
  ok: boolean
  problems: HealthProblem[]
  /** Commit time of the newest data this server has seen (ISO-8601), or null before any. */
  dataAt: string | null
  /** When the server last checked. */
  at: string
}

/** Published by each ingest worker on `{root}/live/ingest` every few seconds. */
export interface IngestHeartbeat {
  clientId: string
  /** When it was sent, epoch ms. */
  at: number
  /** What keeps this worker from storing data now (empty when healthy). */
  problems: string[]
  /** Commit time of the newest batch holding data, epoch ms, or null. */
  lastDataAt: number | null
  /** Rows accepted and not yet committed. */
  pendingRows: number
}

export const HEARTBEAT_INTERVAL_MS = 5000
/** A worker not heard from for this long is gone (crashed, or cut off from the broker). */
export const HEARTBEAT_EXPIRY_MS = 20_000

const CLIENT_ID = 'a string of 1–256 characters'
const PROBLEM = 'a string of at most 500 characters'
const INGEST_HEARTBEAT = z.object(
  {
    clientId: z.string({ error: CLIENT_ID }).min(1, { error: CLIENT_ID }).max(256, { error: CLIENT_ID }),
    at: EPOCH_MS,
    problems: z
      .array(z.string({ error: PROBLEM }).max(500, { error: PROBLEM }), { error: 'at most 20 strings' })
      .max(20, { error: 'at most 20 strings' }),
    lastDataAt: epochMs('epoch milliseconds or null').nullable(),
    pendingRows: z.number({ error: 'a whole number' }).int({ error: 'a whole number', abort: true }).min(0, { error: 'a whole number', abort: true }),
  },
  { error: 'an object' },
)

/** Validates a heartbeat frame (anything may arrive on a topic); returns it or why not. */
export function parseIngestHeartbeat(json: unknown): IngestHeartbeat | string {
  const r = check(INGEST_HEARTBEAT, json)
  return r.ok ? r.value : r.issues[0]!.message
}
