// What consoles see live of citizen reports: which inboxes changed, and when. An inbox is a unit: the agency's
// own (`report-inbox:<unitId>`, which hears of changes to it and to every unit below it) or, for dispatchers,
// the list room `report-inboxes` (every inbox; the wall's report widgets follow it too). Consoles refetch their scoped list over REST on a change, so
// the channel carries no report and no personal data, and a socket can only join inboxes its principal may read.

import type { IngestLimits } from '../shared/ingest.ts'
import { DEVICE_ID, EPOCH_MS, liveFrame, readLiveFrame } from '../shared/live-frames.ts'
import { liveChannel, type UnitChangeState } from '../shared/live.ts'
import { z } from '../shared/schema.ts'

/** A unit whose inbox (with the units below it) changed, and when. */
export type ReportInboxState = UnitChangeState

/**
 * Any signed-in principal may ask; the server decides per room (server/reports/index.ts `mayWatch`): the list
 * room for dispatchers and the wall (live:read: it carries unit ids and times, no report), an inbox room for
 * dispatchers and for the agency staff of that unit or a unit above it.
 */
export const REPORTS_CHANNEL = liveChannel<ReportInboxState, ReportInboxState>()('report-inboxes', 'report-inbox', 'signed-in')

/**
 * Published on `{root}/live/report` by whichever process committed a change (a server taking a console action
 * or an Open311 POST, ingest storing an MQTT report): the units whose inboxes changed. Every server applies it,
 * so a console connected to another process hears of the change through the broker.
 */
export interface LiveReportFrame {
  committedAt: number
  units: { unitId: string; ts: number }[]
}

const LIVE_REPORT_FRAME = liveFrame('units', z.object({ unitId: DEVICE_ID, ts: EPOCH_MS }, { error: 'an object' }))

export function liveReportFrame(units: Iterable<string | null | undefined>, committedAt: number): LiveReportFrame {
  const set = new Set<string>()
  for (const u of units) if (u) set.add(u)
  return { committedAt, units: [...set].map((unitId) => ({ unitId, ts: committedAt })) }
}

export function parseLiveReportFrame(json: unknown, now: number, limits: Pick<IngestLimits, 'maxAgeMs' | 'maxFutureMs'>): LiveReportFrame | string {
  return readLiveFrame(LIVE_REPORT_FRAME, 'units', json, now, limits)
}
