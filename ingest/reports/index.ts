// The citizen-report domain in ingest: citizen apps and 1022 call-centre systems push reports on
// {root}/report/{channelId} (contract/reports/feed.ts). A batch is written in ingest's one transaction: reports
// of a category the IOC does not have become dead letters; the rest are stored as new reports (their unit found
// from their point), idempotent on (channel, externalId), each with its first history row and its audit entry.
// The servers then hear that the IOC's queue changed, on {root}/live/report.
import { createUnitLocator, liveReportFrame, parseReportPayload, REPORT_INPUT, type ReportBatch, type Unit } from '../../contract/index.ts'
import type { Queryable } from '../../db/database.ts'
import { loadUnits, tableStamp } from '../../db/reference.ts'
import type { DomainWrite, IngestDomain } from '../shared/domain.ts'
import { reportStore } from './store.ts'

type Rejection = NonNullable<DomainWrite['rejected']>[number]

export function reportsIngest(): IngestDomain<ReportBatch> {
  let units: { stamp: string; root: string | null; locate: (p: [number, number]) => Unit | null } | null = null
  const unitsOf = async (tx: Queryable) => {
    const stamp = await tableStamp(tx, 'units')
    if (units?.stamp !== stamp) {
      const all = await loadUnits(tx)
      units = { stamp, root: all.find((u) => u.parentId === null)?.id ?? null, locate: createUnitLocator(all) }
    }
    return units
  }
  let root: string | null = null
  return {
    name: 'reports',
    segment: REPORT_INPUT,
    // the topic names the pushing channel (an app, a call centre), not a reference row
    knownIds: 'any',
    unknown: { code: 'unknown_topic', message: (id) => `no such channel '${id}'` },
    parse: (channelId, payload, now, limits) => parseReportPayload(channelId, payload, now, limits),
    size: (b) => ({ stored: b.reports.length, rows: b.reports.length + b.rejected.length }),
    async write(tx, batches): Promise<DomainWrite> {
      const store = reportStore(tx)
      const rejected: Rejection[] = []
      batches.forEach((b, item) => {
        for (const r of b.rejected) rejected.push({ item, code: r.problem.code, reason: r.problem.message, payload: JSON.stringify(r.json) ?? 'undefined' })
      })
      const all = batches.flatMap((b, item) => b.reports.map((r) => ({ r, item, channelId: b.channelId })))
      if (all.length === 0) return { tables: {}, rejected }
      const categories = await store.categories([...new Set(all.map((x) => x.r.categoryCode))])
      const known = all.filter(({ r, item }) => {
        if (categories.has(r.categoryCode)) return true
        rejected.push({ item, code: 'unknown_category', reason: `${r.externalId}: category '${r.categoryCode}' is not one of the IOC's (GET /open311/v2/services.json)`, payload: JSON.stringify(r) })
        return false
      })
      const u = await unitsOf(tx)
      root = u.root
      const inserted = await store.insert(
        known.map(({ r, channelId }) => ({
          ...r,
          channelId,
          priority: categories.get(r.categoryCode)!,
          unitId: r.lat === null || r.lon === null ? null : (u.locate([r.lon, r.lat])?.id ?? null),
        })),
      )
      return { tables: { reports: { rows: known.length, inserted } }, rejected }
    },
    // the IOC's queue is the inbox a new report lands in
    liveFrame: (_batches, committedAt) => liveReportFrame([root], committedAt),
  }
}
