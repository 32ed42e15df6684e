// Whether the data on the walls is flowing, checked every few seconds: the database answers, this server is
// connected to the broker, and every ingest worker's heartbeat says it can commit (contract/health.ts).
// The walls get the result as the `health` event, so a screen with no mouse leaves "Live" for a warning
// that names the problem within 15 s of a stall, and returns by itself; /healthz answers from a fresh check.
import {
  HEARTBEAT_EXPIRY_MS,
  type HealthProblem,
  type HealthResponse,
  type IngestHeartbeat,
  type LiveHealth,
} from '../../contract/index.ts'
import { describeDatabaseError, type Database } from '../../db/database.ts'
import { PING_TIMEOUT_MS } from '../../db/health.ts'

export const HEALTH_CHECK_INTERVAL_MS = 5000

export interface HealthInputs {
  db: Database
  brokerConnected(): boolean
  now(): number
  /** When this server started: a worker that has not reported yet is not missing until the expiry passed. */
  startedAt: number
}

export class HealthMonitor {
  private heartbeats = new Map<string, IngestHeartbeat & { heardAt: number }>()
  private dataAt: number | null = null
  private last: LiveHealth
  private listeners = new Set<(h: LiveHealth) => void>()
  private timer: ReturnType<typeof setInterval> | null = null
  private checking: Promise<{ live: LiveHealth; http: HealthResponse }> | null = null

  constructor(private readonly o: HealthInputs) {
    this.last = { ok: true, problems: [], dataAt: null, at: new Date(o.now()).toISOString() }
  }

  get current(): LiveHealth {
    return this.last
  }

  /** Commit time of the newest data seen (live batches, heartbeats, or what the database held at start). */
  get newestDataAt(): number | null {
    return this.dataAt
  }

  noteData(committedAt: number): void {
    if (this.dataAt === null || committedAt > this.dataAt) this.dataAt = committedAt
  }

  noteHeartbeat(h: IngestHeartbeat): void {
    this.heartbeats.set(h.clientId, { ...h, heardAt: this.o.now() })
    if (h.lastDataAt !== null) this.noteData(h.lastDataAt)
  }

  /** Called with the new state whenever what a wall would show changes. */
  onChange(listener: (h: LiveHealth) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  start(): void {
    this.timer ??= setInterval(() => void this.check().catch(() => {}), HEALTH_CHECK_INTERVAL_MS)
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  /** Checks now (one check at a time; callers arriving meanwhile share it). */
  check(): Promise<{ live: LiveHealth; http: HealthResponse }> {
    this.checking ??= this.run().finally(() => {
      this.checking = null
    })
    return this.checking
  }

  private async run(): Promise<{ live: LiveHealth; http: HealthResponse }> {
    const problems: HealthProblem[] = []
    const database = await this.o.db.ping(PING_TIMEOUT_MS).then(
      () => 'up' as const,
      (err: unknown) => {
        problems.push({ code: 'database_down', message: `database: ${describeDatabaseError(err)}` })
        return 'down' as const
      },
    )
    const broker = this.o.brokerConnected()
    if (!broker) // no address: /healthz is public, and a host and port are a map for whoever reads it
    if (!broker) problems.push({ code: 'broker_down', message: 'broker: not connected' })
    const now = this.o.now()
    for (const [id, h] of this.heartbeats) if (now - h.heardAt > HEARTBEAT_EXPIRY_MS) this.heartbeats.delete(id)
    // with the broker gone no heartbeat can arrive: that is the one problem to name
    if (broker) {
      for (const h of this.heartbeats.values()) {
        for (const p of h.problems) problems.push({ code: 'ingest_failing', message: `ingest ${h.clientId}: ${p}` })
      }
      if (this.heartbeats.size === 0 && now - this.o.startedAt > HEARTBEAT_EXPIRY_MS) {
        problems.push({ code: 'ingest_absent', message: `ingest: no ingest worker has reported for ${HEARTBEAT_EXPIRY_MS / 1000} s` })
      }
    }
    const live: LiveHealth = {
      ok: problems.length === 0,
      problems,
      dataAt: this.dataAt === null ? null : new Date(this.dataAt).toISOString(),
      at: new Date(now).toISOString(),
    }
    const changed = live.ok !== this.last.ok || problemKey(live) !== problemKey(this.last)
    this.last = live
    if (changed) for (const l of this.listeners) l(live)
    return {
      live,
      http: { ok: live.ok, database, broker: broker ? 'up' : 'down', problems: problems.map((p) => p.message) },
    }
  }
}

function problemKey(h: LiveHealth): string {
  return h.problems.map((p) => `${p.code}:${p.message}`).join('|')
}
