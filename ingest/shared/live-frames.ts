// What ingest publishes for the servers after a commit: per domain, its committed items in frames of at most
// LIVE_CHUNK (a frame per message would cost a publish per reading; one huge frame would stall a server's
// event loop on parse). Pure: the worker publishes what this returns.
import type { InputSegment } from '../../contract/index.ts'
import type { IngestDomain } from './domain.ts'
import type { Entry } from './entries.ts'

export const LIVE_CHUNK = 2000

export interface LiveFrame {
  /** The domain's input segment: the frame goes out on `{root}/live/{segment}`. */
  segment: InputSegment
  payload: string
}

export function liveFrames(entries: readonly Entry[], committedAt: number, chunk = LIVE_CHUNK): LiveFrame[] {
  const byDomain = new Map<IngestDomain, unknown[]>()
  for (const entry of entries) {
    if (!entry.domain || entry.item === null) continue
    let list = byDomain.get(entry.domain)
    if (!list) byDomain.set(entry.domain, (list = []))
    list.push(entry.item)
  }
  const frames: LiveFrame[] = []
  for (const [domain, items] of byDomain) {
    for (let i = 0; i < items.length; i += chunk) frames.push({ segment: domain.segment, payload: JSON.stringify(domain.liveFrame(items.slice(i, i + chunk), committedAt)) })
  }
  return frames
}
