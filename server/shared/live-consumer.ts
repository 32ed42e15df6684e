// What the server takes from the broker: each domain's committed frames on `{root}/live/<segment>` and the
// ingest workers' heartbeats on `{root}/live/ingest`. Frames are input like any other: checked whole,
// refused whole (counted, logged at most every 10 s), never allowed to throw.
import { parseIngestHeartbeat, type TopicMap } from '../../contract/index.ts'
import { createLogger } from '../../core/log.ts'
import { metrics } from '../../core/metrics.ts'
import type { ServerDomain } from './domain.ts'
import type { HealthMonitor } from './health.ts'

const log = createLogger('server')
const REFUSAL_LOG_MS = 10_000

/** Where an applied frame goes: the hub marks the changed items for the next delta. */
export interface ChangeSink {
  mark(domain: ServerDomain, ids: Iterable<string>): void
}

export class LiveConsumer {
  #byTopic: Map<string, ServerDomain>
  #lastRefusal = 0

  constructor(
    private readonly topics: TopicMap<string>,
    domains: readonly ServerDomain[],
    private readonly hub: ChangeSink,
    private readonly health: Pick<HealthMonitor, 'noteData' | 'noteHeartbeat'>,
  ) {
    this.#byTopic = new Map(domains.map((d) => [`${topics.root}/live/${d.liveTopic}`, d]))
  }

  consume(topic: string, payload: Uint8Array): void {
    const domain = this.#byTopic.get(topic)
    const kind = domain?.liveTopic ?? (topic === this.topics.liveIngest ? 'ingest' : 'other')
    try {
      const json: unknown = JSON.parse(new TextDecoder().decode(payload))
      if (domain) {
        const r = domain.applyFrame(json)
        if (typeof r === 'string') return this.#refuse(topic, kind, r)
        metrics.liveBatchesIn.inc({ kind })
        this.health.noteData(r.committedAt)
        this.hub.mark(domain, r.changed)
      } else if (topic === this.topics.liveIngest) {
        const hb = parseIngestHeartbeat(json)
        if (typeof hb === 'string') return this.#refuse(topic, kind, hb)
        this.health.noteHeartbeat(hb)
      }
    } catch (err) {
      this.#refuse(topic, kind, (err as Error).message)
    }
  }

  #refuse(topic: string, kind: string, why: string): void {
    metrics.liveFramesRefused.inc({ kind })
    if (Date.now() - this.#lastRefusal < REFUSAL_LOG_MS) return
    this.#lastRefusal = Date.now()
    log.warn(`refused a live frame on ${topic.slice(0, 120)}: ${why.slice(0, 200)}`)
  }
}
