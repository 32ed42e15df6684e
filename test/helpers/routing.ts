// A Routing for pure ingest tests: the registered domains, with the ids each one knows given as predicates.
import { INGEST_DOMAINS } from '../../ingest/domains.ts'
import type { IngestDomain } from '../../ingest/shared/domain.ts'
import type { Routing } from '../../ingest/shared/entries.ts'

export function routingOf(known: Record<string, (id: string) => boolean>, domains: readonly IngestDomain[] = INGEST_DOMAINS): Routing {
  const bySegment = new Map(domains.map((d) => [d.segment as string, d]))
  return {
    domain: (segment) => bySegment.get(segment),
    knows: (domain, id) => known[domain.name]?.(id) ?? false,
  }
}
