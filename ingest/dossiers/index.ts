// The dossier domain in ingest: one-stop systems publish lifecycle events on {root}/dossier/{systemId}
// (contract/dossiers/feed.ts). A batch of messages is written in ingest's one transaction:
//   1. events naming a unit or procedure the reference data lacks are refused (dead letters);
//   2. the dossiers they touch are locked (advisory locks, in id order: workers sharing a subscription never
//      derive one dossier from two halves of its log) and their stored events read;
//   3. an event no arrival order explains (a second receipt, processing before receipt) is refused;
//   4. the rest are inserted, idempotent on (dossier, event, ts);
//   5. each dossier with new events is derived again from its whole log (contract/dossiers/rules.ts), its row
//      rewritten, and the daily aggregates moved by the difference between what it counted before and now.
// The servers then hear which units changed, on {root}/live/dossier.
import {
  contributionDelta,
  contributions,
  deriveFacts,
  DOSSIER_INPUT,
  impossibleEvent,
  liveDossierFrame,
  parseDossierPayload,
  sortEvents,
  type Contribution,
  type DossierBatch,
  type DossierEvent,
  type IngestLimits,
  type WorkingHours,
} from '../../contract/index.ts'
import { DEFAULT_WORKING_HOURS } from '../../contract/shared/calendar.ts'
import { workingCalendarCache } from '../../db/dossier-reference.ts'
import type { DomainWrite, IngestDomain } from '../shared/domain.ts'
import { dossierStore } from './store.ts'

export interface DossierIngestOptions {
  /** DOSSIER_MAX_AGE: one-stop systems resend history, so far older events than readings are accepted. */
  maxAgeMs: number
  hours: WorkingHours
}

export const DEFAULT_DOSSIER_INGEST: DossierIngestOptions = { maxAgeMs: 400 * 86_400_000, hours: DEFAULT_WORKING_HOURS }

/** A message of MAX_EVENTS_PER_MESSAGE events with every optional field fits in this. */
export const DOSSIER_MAX_PAYLOAD_BYTES = 1024 * 1024

type Rejection = NonNullable<DomainWrite['rejected']>[number]

export function dossiersIngest(o: DossierIngestOptions = DEFAULT_DOSSIER_INGEST): IngestDomain<DossierBatch> {
  const limitsFor = new WeakMap<IngestLimits, IngestLimits>()
  const calendars = workingCalendarCache(o.hours)
  return {
    name: 'dossiers',
    segment: DOSSIER_INPUT,
    // the topic names the sending one-stop system, not a reference row
    knownIds: 'any',
    unknown: { code: 'unknown_topic', message: (id) => `no such system '${id}'` },
    parse(systemId, payload, now, limits) {
      let mine = limitsFor.get(limits)
      // an array of 1,000 events is ~300 KB: more than a reading's limit allows
      if (!mine) limitsFor.set(limits, (mine = { ...limits, maxAgeMs: o.maxAgeMs, maxPayloadBytes: Math.max(limits.maxPayloadBytes, DOSSIER_MAX_PAYLOAD_BYTES) }))
      return parseDossierPayload(systemId, payload, now, mine)
    },
    size: (b) => ({ stored: b.events.length, rows: b.events.length + b.rejected.length }),
    async write(tx, batches): Promise<DomainWrite> {
      const store = dossierStore(tx)
      const rejected: Rejection[] = []
      batches.forEach((b, item) => {
        for (const r of b.rejected) rejected.push({ item, code: r.problem.code, reason: r.problem.message, payload: JSON.stringify(r.json) ?? 'undefined' })
      })
      const reject = (item: number, e: DossierEvent, code: string, reason: string) =>
        rejected.push({ item, code, reason: `${e.dossierId} ${e.event}: ${reason}`, payload: JSON.stringify(e) })

      // 1. reference data
      const all = batches.flatMap((b, item) => b.events.map((e) => ({ e, item })))
      if (all.length === 0) return { tables: {}, rejected }
      const unitIds = new Set<string>()
      const codes = new Set<string>()
      for (const { e } of all) {
        if (e.unitId) unitIds.add(e.unitId)
        if (e.toUnitId) unitIds.add(e.toUnitId)
        if (e.procedureCode) codes.add(e.procedureCode)
      }
      const knownUnits = await store.existingUnits([...unitIds])
      const procedures = await store.procedures([...codes])
      const checked = all.filter(({ e, item }) => {
        for (const u of [e.unitId, e.toUnitId]) {
          if (u && !knownUnits.has(u)) return void reject(item, e, 'unknown_unit', `unit '${u}' is not in the reference data (load it with npm run db:load -- units)`)
        }
        if (e.procedureCode && !procedures.has(e.procedureCode)) {
          return void reject(item, e, 'unknown_procedure', `procedure '${e.procedureCode}' is not in the catalogue (load it with npm run db:load -- procedures)`)
        }
        return true
      })

      // 2–3. the touched dossiers' logs, and the sequence check in time order
      const ids = [...new Set(checked.map(({ e }) => e.dossierId))].sort()
      await store.lock(ids)
      const logs = await store.events(ids)
      const accepted: { e: DossierEvent; item: number }[] = []
      const byDossier = new Map<string, { e: DossierEvent; item: number }[]>()
      for (const x of checked) {
        const list = byDossier.get(x.e.dossierId)
        if (list) list.push(x)
        else byDossier.set(x.e.dossierId, [x])
      }
      for (const [id, news] of byDossier) {
        const log = logs.get(id) ?? []
        const seen = new Set(log.map((k) => `${k.event}@${k.ts}`))
        const order = new Map(sortEvents(news.map((n) => n.e)).map((e, i) => [e, i]))
        for (const x of [...news].sort((a, b) => order.get(a.e)! - order.get(b.e)!)) {
          const key = `${x.e.event}@${x.e.ts}`
          if (seen.has(key)) continue // a resend: stored already, nothing to do
          const why = impossibleEvent(x.e, log)
          if (why) {
            reject(x.item, x.e, 'impossible_sequence', why)
            continue
          }
          seen.add(key)
          log.push(x.e)
          accepted.push(x)
        }
        logs.set(id, log)
      }

      // 4. the events
      const inserted = await store.insertEvents(accepted.map(({ e, item }) => ({ e, systemId: batches[item]!.systemId })))
      const touched = [...new Set(accepted.map(({ e }) => e.dossierId))]
      if (touched.length === 0) return { tables: { dossier_events: { rows: accepted.length, inserted } }, rejected }

      // 5. derived rows and aggregate deltas
      const calendar = await calendars.get(tx)
      const facts = touched.map((id) => deriveFacts(id, logs.get(id)!))
      const missingCodes = facts.map((f) => f.procedureCode).filter((c): c is string => c !== null && !procedures.has(c))
      if (missingCodes.length) for (const [c, p] of await store.procedures(missingCodes)) procedures.set(c, p)
      const before = await store.counted(touched)
      const delta: (Contribution & { delta: number })[] = []
      const rows = facts.map((f) => {
        const legalDays = f.procedureCode ? (procedures.get(f.procedureCode)?.legalDays ?? null) : null
        const ctx = { calendar, legalDays, dueSoonMs: 0 }
        const counted = contributions(f, ctx)
        delta.push(...contributionDelta(before.get(f.id) ?? [], counted))
        return { facts: f, ctx, counted }
      })
      const dossiers = await store.upsertDossiers(rows)
      const daily = await store.applyDeltas(delta)
      return {
        tables: { dossier_events: { rows: accepted.length, inserted }, dossiers: { rows: rows.length, inserted: dossiers }, dossier_daily: { rows: daily, inserted: daily } },
        rejected,
      }
    },
    liveFrame: (batches, committedAt) => liveDossierFrame(batches, committedAt),
  }
}

