// Health as every part of the IOC reports it: /healthz (REST), the `health` Socket.IO event the walls show,
// and the heartbeat each ingest worker publishes on {root}/live/ingest so every server knows whether new
// data can still be stored. A problem names the part at fault and never a host, port or path.

import { isRepresentableTime } from './time.ts'

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

/** Validates a heartbeat frame (anything may arrive on a topic); returns it or why not. */
export function parseIngestHeartbeat(json: unknown): IngestHeartbeat | string {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'expected an object'
  const h = json as Record<string, unknown>
  if (typeof h.clientId !== 'string' || h.clientId.length === 0 || h.clientId.length > 256) return 'clientId: expected a string of 1–256 characters'
  if (typeof h.at !== 'number' || !isRepresentableTime(h.at)) return 'at: expected epoch milliseconds'
  if (!Array.isArray(h.problems) || h.problems.length > 20 || !h.problems.every((p) => typeof p === 'string' && p.length <= 500)) {
    return 'problems: expected at most 20 strings'
  }
  if (h.lastDataAt !== null && (typeof h.lastDataAt !== 'number' || !isRepresentableTime(h.lastDataAt))) return 'lastDataAt: expected epoch milliseconds or null'
  if (typeof h.pendingRows !== 'number' || !Number.isSafeInteger(h.pendingRows) || h.pendingRows < 0) return 'pendingRows: expected a whole number'
  return { clientId: h.clientId, at: h.at, problems: h.problems as string[], lastDataAt: h.lastDataAt as number | null, pendingRows: h.pendingRows }
}
