// Which ids each domain knows, from the reference tables: refreshed periodically and when an unknown id shows
// up (a device added a moment ago is looked up again before its message is dead-lettered).
import type { InputTopic } from '../../contract/index.ts'
import type { Database } from '../../db/database.ts'
import type { IngestDomain } from './domain.ts'
import type { Routing } from './entries.ts'

/** Each domain's known ids from the reference tables, refreshed periodically and when an unknown id shows up. */
export class DeviceRegistry implements Routing {
  private known = new Map<IngestDomain, Set<string>>()
  private bySegment: Map<string, IngestDomain>
  lastRefresh = 0
  private inFlight: Promise<void> | null = null

  constructor(
    private readonly db: Database,
    private readonly domains: readonly IngestDomain[],
  ) {
    this.bySegment = new Map(domains.map((d) => [d.segment, d]))
  }

  domain(segment: string): IngestDomain | undefined {
    return this.bySegment.get(segment)
  }
  knows(domain: IngestDomain, id: string): boolean {
    return domain.knownIds === 'any' || (this.known.get(domain)?.has(id) ?? false)
  }
  isUnknown(t: InputTopic): boolean {
    if ('reason' in t) return false
    const d = this.bySegment.get(t.kind)
    return d !== undefined && !this.knows(d, t.id)
  }

  refresh(): Promise<void> {
    this.inFlight ??= (async () => {
      try {
        const next = new Map<IngestDomain, Set<string>>()
        for (const d of this.domains) if (d.knownIds !== 'any') next.set(d, await d.knownIds(this.db))
        this.known = next
        this.lastRefresh = Date.now()
      } finally {
        this.inFlight = null
      }
    })()
    return this.inFlight
  }
}

