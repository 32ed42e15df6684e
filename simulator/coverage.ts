// Resumable history: which device-hours of the backfill window the database already holds, and which the
// simulator must still publish. The world is seeded with a fixed seed (SIM_SEED), so the backfill of an
// hour is the same readings at every start (same 5-minute steps, same dropouts): an hour is complete when
// the database holds at least the readings the model says that device sent in it. A start interrupted
// halfway therefore ends, after the next start, with full history, and nothing complete is sent twice.
import type { Camera, Station } from '../contract/index.ts'
import type { Queryable } from '../db/database.ts'
import { HOUR_MS, hourStart } from '../contract/shared/clock.ts'
import type { FeedModel } from './model.ts'

export const BACKFILL_STEP_SEC = 300

/** What the simulator needs to resume the history: the window and what each device-hour holds. */
export interface BackfillRequest {
  hours: number
  /** device id → clock-hour start (epoch ms, as a string key) → readings stored in that hour. */
  stored: Record<string, Record<string, number>>
}

/** Readings per device per clock hour from `from` on, read from the hourly aggregates (never the raw tables). */
export async function readCoverage(db: Queryable, from: number): Promise<BackfillRequest['stored']> {
  const r = await db.query<{ id: string; bucket: number; n: number }>(
    `SELECT station_id AS id, bucket, max(count)::int AS n FROM env_1h WHERE bucket >= to_timestamp($1 / 1000.0) GROUP BY station_id, bucket
     UNION ALL
     SELECT camera_id, bucket, reports::int FROM camera_1h WHERE bucket >= to_timestamp($1 / 1000.0)`,
    [from],
  )
  const stored: BackfillRequest['stored'] = {}
  for (const row of r.rows) (stored[row.id] ??= {})[String(row.bucket)] = row.n
  return stored
}

/** The backfill window for `hours` ending now, capped where ingest would refuse readings as too old. */
export function backfillWindow(hours: number, maxAgeMs: number, now: number): { hours: number; from: number } {
  const capped = Math.max(0, Math.min(hours, Math.floor(maxAgeMs / HOUR_MS) - 1))
  return { hours: capped, from: hourStart(now - capped * HOUR_MS) }
}

/** Reads what the window holds, for the simulator (the all-in-one passes it to its child process). */
export async function backfillPlan(db: Queryable, hours: number, maxAgeMs: number, now: number): Promise<BackfillRequest> {
  const w = backfillWindow(hours, maxAgeMs, now)
  return { hours: w.hours, stored: w.hours > 0 ? await readCoverage(db, w.from) : {} }
}

/** The step times of a backfill of `hours` ending at `end`, aligned so every start publishes the same ones. */
export function backfillSteps(hours: number, end: number, stepMs: number = BACKFILL_STEP_SEC * 1000): number[] {
  const first = Math.ceil((end - hours * HOUR_MS) / stepMs) * stepMs
  const steps: number[] = []
  for (let t = first; t <= end; t += stepMs) steps.push(t)
  return steps
}

export interface Gaps {
  /** device id → clock-hour starts still to publish. */
  missing: Map<string, Set<number>>
  /** Device-hours in the window, and how many of them were already complete. */
  total: number
  complete: number
}

/** Compares what is stored with what the model says each device sent, hour by hour. */
export function findGaps(
  model: Pick<FeedModel, 'isReporting'>,
  devices: readonly (Pick<Station, 'id'> | Pick<Camera, 'id'>)[],
  stored: BackfillRequest['stored'],
  steps: readonly number[],
): Gaps {
  const expected = new Map<string, Map<number, number>>()
  for (const t of steps) {
    const hour = hourStart(t)
    for (const d of devices) {
      if (!model.isReporting(d.id, t)) continue
      let byHour = expected.get(d.id)
      if (!byHour) expected.set(d.id, (byHour = new Map()))
      byHour.set(hour, (byHour.get(hour) ?? 0) + 1)
    }
  }
  const gaps: Gaps = { missing: new Map(), total: 0, complete: 0 }
  for (const [id, byHour] of expected) {
    for (const [hour, n] of byHour) {
      gaps.total++
      if ((stored[id]?.[String(hour)] ?? 0) >= n) {
        gaps.complete++
        continue
      }
      let set = gaps.missing.get(id)
      if (!set) gaps.missing.set(id, (set = new Set()))
      set.add(hour)
    }
  }
  return gaps
}
