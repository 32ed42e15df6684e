// What a domain gives the server (server/domains.ts lists them): its live channel and the state behind it,
// how it loads that state and takes ingest's committed frames, its REST routes, and its part of the wall's
// KPI baseline. startServer runs every registered domain the same way.
import type { Express, Router } from 'express'
import type { IngestLimits, LiveChannel, StatusThresholds, Unit, WallKpis, WorkingHours } from '../../contract/index.ts'
import type { Database } from '../../db/database.ts'
import type { Authenticator, Principal } from './auth.ts'

/** What every domain of one server gets. */
export interface DomainContext {
  db: Database
  now(): number
  thresholds: StatusThresholds
  /** Ingest's time window: live frames outside it are refused. */
  limits: Pick<IngestLimits, 'maxAgeMs' | 'maxFutureMs'>
  /** The unit tree as last loaded (names for summaries, subtrees for ?unit= filters). */
  units(): readonly Unit[]
  /** The working-day calendar's weekdays and hours (its days off come from the database). */
  workingHours: WorkingHours
  /**
   * Publishes a frame on `{root}/live/<segment>` for every server (this one included) to apply: how a change
   * a server commits itself reaches consoles connected to the other servers.
   */
  publishLive(segment: string, frame: unknown): void
  /** Resolves API keys (for surfaces that take a key outside the Authorization header, such as Open311). */
  authenticator: Authenticator
}

/** What a live frame did: the items whose state changed and when the data was committed, or why it was refused. */
export type FrameResult = { changed: Iterable<string>; committedAt: number } | string

export interface ServerDomain {
  name: string
  channel: LiveChannel
  /** The topic under `{root}/live/` its committed frames arrive on (`env`). */
  liveTopic: string
  /** Re-reads the domain's reference rows when they (or the units) changed; returns the ids added or changed. */
  reloadReference(unitNames: ReadonlyMap<string, string>, unitsChanged: boolean): Promise<string[]>
  /** Reads the domain's live state from the database. */
  load(): Promise<void>
  /** A frame ingest published: checked like any input, then applied. */
  applyFrame(json: unknown): FrameResult
  /** Re-evaluates against the clock; returns the items whose state changed. */
  tick(now: number): Iterable<string>
  /** For snapshots: every item's summary, or one item's (null when it does not exist). */
  summaries(): unknown[]
  summary(id: string): unknown | null
  /** For deltas: one item's current state. */
  state(id: string): unknown | null
  /** The newest observation time it holds (what "data as of" says before any commit is seen). */
  newestSeen(): number | null
  /** Registers its REST routes on the /api router. */
  routes(router: Router): void
  /** Registers routes outside /api (a standard's own paths, such as /open311/v2). */
  appRoutes?(app: Express): void
  /** Whether `p` may join the item room `id` (null: the list room); a refusal's reason, or null. Default: the channel's access alone. */
  mayWatch?(p: Principal, id: string | null): string | null
  /** Its part of the wall's KPIs for the clock hour starting at `hour`, from the aggregates. */
  baseline(hour: number): Promise<Partial<WallKpis>>
}
