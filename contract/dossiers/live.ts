// What clients see live of the dossiers: which units' numbers changed, and when. Leader screens and the wall's
// dossier widgets refetch their (scoped) numbers over REST when a unit they show changes, so the live channel
// carries no figures and no dossier, only unit ids: one frame per coalescing tick however many events came.
// A unit's room `dossier-unit:<id>` hears of changes anywhere below it.

import type { IngestLimits } from '../shared/ingest.ts'
import { DEVICE_ID, EPOCH_MS, liveFrame, readLiveFrame } from '../shared/live-frames.ts'
import { liveChannel, type UnitChangeState } from '../shared/live.ts'
import { z } from '../shared/schema.ts'
import type { DossierBatch } from './feed.ts'

/** A unit whose dossiers (or those below it) changed, and when. */
export type DossierUnitState = UnitChangeState

export const DOSSIERS_CHANNEL = liveChannel<DossierUnitState, DossierUnitState>()('dossiers', 'dossier-unit', 'live:read')

/** Published by ingest on `{root}/live/dossier` after commit: the units whose dossiers changed. */
export interface LiveDossierFrame {
  committedAt: number
  units: { unitId: string; ts: number }[]
}

const LIVE_DOSSIER_FRAME = liveFrame('units', z.object({ unitId: DEVICE_ID, ts: EPOCH_MS }, { error: 'an object' }))

export function liveDossierFrame(batches: readonly DossierBatch[], committedAt: number): LiveDossierFrame {
  const units = new Set<string>()
  for (const b of batches) for (const e of b.events) for (const u of [e.unitId, e.toUnitId]) if (u) units.add(u)
  return { committedAt, units: [...units].map((unitId) => ({ unitId, ts: committedAt })) }
}

export function parseLiveDossierFrame(json: unknown, now: number, limits: Pick<IngestLimits, 'maxAgeMs' | 'maxFutureMs'>): LiveDossierFrame | string {
  return readLiveFrame(LIVE_DOSSIER_FRAME, 'units', json, now, limits)
}
