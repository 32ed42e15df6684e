// The citizen reports' SQL: categories and routing rules, a report and its history, the scoped queue, the open
// reports near a point (duplicate suggestions), creation (idempotent on a pushing system's own id) and the
// write of one transition with its history row, in the caller's transaction.
import type { PriorityLevel, ReportCategory, ReportState, RoutingRule } from '../../contract/index.ts'
import type { Database, Queryable } from '../../db/database.ts'

export interface ReportRow {
  id: string
  token: string
  source: 'open311' | 'mqtt' | 'console'
  channelId: string | null
  externalId: string | null
  categoryCode: string
  priority: PriorityLevel
  description: string
  lat: number | null
  lon: number | null
  address: string | null
  unitId: string | null
  agencyId: string | null
  state: ReportState
  mediaUrls: string[]
  attributes: Record<string, unknown>
  duplicateOf: string | null
  rejectReason: string | null
  statusNotes: string | null
  result: string | null
  satisfied: boolean | null
  ratingComment: string | null
  extensionPending: boolean
  extensionRequested: number | null
  extensionUntil: number | null
  receivedAt: number
  forwardedAt: number | null
  acceptedAt: number | null
  resolvedAt: number | null
  closedAt: number | null
  escalatedAt: number | null
  updatedAt: number
  hasContact: boolean
}

const COLUMNS = `r.id::text AS id, r.token, r.source, r.channel_id, r.external_id, r.category_code, r.priority, r.description, r.lat, r.lon, r.address,
  r.unit_id, r.agency_id, r.state, r.media_urls, r.attributes, r.duplicate_of::text AS duplicate_of, r.reject_reason, r.status_notes, r.result,
  r.satisfied, r.rating_comment, r.extension_pending, r.extension_requested, r.extension_until, r.received_at, r.forwarded_at, r.accepted_at, r.resolved_at,
  r.closed_at, r.escalated_at, r.updated_at, r.contact <> '{}'::jsonb AS has_contact`

const ms = (v: unknown): number | null => (v === null || v === undefined ? null : v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Date.parse(String(v)))

function rowOf(r: Record<string, unknown>): ReportRow {
  return {
    id: r.id as string,
    token: r.token as string,
    source: r.source as ReportRow['source'],
    channelId: (r.channel_id as string | null) ?? null,
    externalId: (r.external_id as string | null) ?? null,
    categoryCode: r.category_code as string,
    priority: r.priority as PriorityLevel,
    description: r.description as string,
    lat: r.lat === null ? null : Number(r.lat),
    lon: r.lon === null ? null : Number(r.lon),
    address: (r.address as string | null) ?? null,
    unitId: (r.unit_id as string | null) ?? null,
    agencyId: (r.agency_id as string | null) ?? null,
    state: r.state as ReportState,
    mediaUrls: (r.media_urls as string[]) ?? [],
    attributes: (r.attributes as Record<string, unknown>) ?? {},
    duplicateOf: (r.duplicate_of as string | null) ?? null,
    rejectReason: (r.reject_reason as string | null) ?? null,
    statusNotes: (r.status_notes as string | null) ?? null,
    result: (r.result as string | null) ?? null,
    satisfied: (r.satisfied as boolean | null) ?? null,
    ratingComment: (r.rating_comment as string | null) ?? null,
    extensionPending: r.extension_pending as boolean,
    extensionRequested: ms(r.extension_requested),
    extensionUntil: ms(r.extension_until),
    receivedAt: ms(r.received_at)!,
    forwardedAt: ms(r.forwarded_at),
    acceptedAt: ms(r.accepted_at),
    resolvedAt: ms(r.resolved_at),
    closedAt: ms(r.closed_at),
    escalatedAt: ms(r.escalated_at),
    updatedAt: ms(r.updated_at)!,
    hasContact: r.has_contact as boolean,
  }
}

export interface NewReport {
  token: string
  source: ReportRow['source']
  channelId: string | null
  externalId: string | null
  categoryCode: string
  priority: PriorityLevel
  description: string
  lat: number | null
  lon: number | null
  address: string | null
  unitId: string | null
  contact: Record<string, string>
  mediaUrls: string[]
  attributes: Record<string, unknown>
  receivedAt: number
  apiKeyId: string | null
}

/** The columns a transition may change (a patch: undefined keeps the stored value). */
export interface ReportPatch {
  state?: ReportState
  categoryCode?: string
  priority?: PriorityLevel
  agencyId?: string | null
  lat?: number | null
  lon?: number | null
  unitId?: string | null
  address?: string | null
  duplicateOf?: string | null
  rejectReason?: string | null
  statusNotes?: string | null
  result?: string | null
  mediaUrls?: string[]
  satisfied?: boolean | null
  ratingComment?: string | null
  extensionPending?: boolean
  extensionRequested?: number | null
  extensionUntil?: number | null
  forwardedAt?: number | null
  acceptedAt?: number | null
  resolvedAt?: number | null
  closedAt?: number | null
  escalatedAt?: number | null
}

const PATCH_COLUMNS: Record<keyof ReportPatch, [string, string]> = {
  state: ['state', 'text'],
  categoryCode: ['category_code', 'text'],
  priority: ['priority', 'text'],
  agencyId: ['agency_id', 'text'],
  lat: ['lat', 'double precision'],
  lon: ['lon', 'double precision'],
  unitId: ['unit_id', 'text'],
  address: ['address', 'text'],
  duplicateOf: ['duplicate_of', 'bigint'],
  rejectReason: ['reject_reason', 'text'],
  statusNotes: ['status_notes', 'text'],
  result: ['result', 'text'],
  mediaUrls: ['media_urls', 'text[]'],
  satisfied: ['satisfied', 'boolean'],
  ratingComment: ['rating_comment', 'text'],
  extensionPending: ['extension_pending', 'boolean'],
  extensionRequested: ['extension_requested', 'timestamptz'],
  extensionUntil: ['extension_until', 'timestamptz'],
  forwardedAt: ['forwarded_at', 'timestamptz'],
  acceptedAt: ['accepted_at', 'timestamptz'],
  resolvedAt: ['resolved_at', 'timestamptz'],
  closedAt: ['closed_at', 'timestamptz'],
  escalatedAt: ['escalated_at', 'timestamptz'],
}

export interface ReportPhotoRow {
  id: string
  kind: 'report' | 'result'
  contentType: string
  width: number
  height: number
}

export interface ReportEventRow {
  action: string
  fromState: ReportState | null
  toState: ReportState
  actorKind: string
  actorId: string | null
  actorName: string
  agencyId: string | null
  note: string | null
  public: boolean
}

export interface QueueFilter {
  /** Only reports with these agencies (an agency's subtree); null: every report (dispatchers). */
  agencies: readonly string[] | null
  states: readonly ReportState[] | null
  closed: boolean | null
  category: string | null
  q: string | null
}

const CLOSED_STATES = ['resolved', 'published', 'rated', 'rejected', 'duplicate']

/** What the queue's filters select ($1–$6 of queueParams). */
const QUEUE_WHERE = `($1::text[] IS NULL OR r.agency_id = ANY($1::text[]))
  AND ($2::text[] IS NULL OR r.state = ANY($2::text[]))
  AND ($3::boolean IS NULL OR (r.state = ANY($4::text[])) = $3)
  AND ($5::text IS NULL OR r.category_code = $5)
  AND ($6::text IS NULL OR r.description ILIKE '%' || $6 || '%' OR r.address ILIKE '%' || $6 || '%' OR r.id::text = $6)`
const queueParams = (f: QueueFilter) => [f.agencies, f.states, f.closed, CLOSED_STATES, f.category, f.q]

export function reportRepository(db: Database) {
  return {
    async categories(): Promise<ReportCategory[]> {
      const r = await db.query(`SELECT code, name, name_en, field, priority, description FROM report_categories WHERE active ORDER BY field, name`)
      return r.rows.map((c) => ({ code: c.code, name: c.name, nameEn: c.name_en, field: c.field, priority: c.priority, description: c.description }))
    },

    async categoryStamp(): Promise<string> {
      const r = await db.query(`SELECT (SELECT count(*) || '/' || coalesce(max(updated_at)::text, '') FROM report_categories) || '|' || (SELECT count(*) || '/' || coalesce(max(updated_at)::text, '') FROM report_routes) AS s`)
      return r.rows[0].s as string
    },

    async routes(): Promise<RoutingRule[]> {
      const r = await db.query(`SELECT unit_id, category_code, agency_id FROM report_routes`)
      return r.rows.map((x) => ({ unitId: x.unit_id, category: x.category_code, agencyId: x.agency_id }))
    },

    async setRoute(tx: Queryable, r: RoutingRule): Promise<RoutingRule | null> {
      const before = await tx.query(`SELECT agency_id FROM report_routes WHERE unit_id = $1 AND category_code = $2`, [r.unitId, r.category])
      await tx.query(
        `INSERT INTO report_routes (unit_id, category_code, agency_id) VALUES ($1, $2, $3)
         ON CONFLICT (unit_id, category_code) DO UPDATE SET agency_id = EXCLUDED.agency_id, updated_at = now()`,
        [r.unitId, r.category, r.agencyId],
      )
      return before.rows[0] ? { ...r, agencyId: before.rows[0].agency_id as string } : null
    },

    async deleteRoute(tx: Queryable, unitId: string, category: string): Promise<RoutingRule | null> {
      const r = await tx.query(`DELETE FROM report_routes WHERE unit_id = $1 AND category_code = $2 RETURNING agency_id`, [unitId, category])
      return r.rows[0] ? { unitId, category, agencyId: r.rows[0].agency_id as string } : null
    },

    async byId(id: string, tx: Queryable = db): Promise<ReportRow | null> {
      const r = await tx.query(`SELECT ${COLUMNS} FROM reports r WHERE r.id = $1::bigint`, [id])
      return r.rows[0] ? rowOf(r.rows[0]) : null
    },

    async forUpdate(tx: Queryable, id: string): Promise<ReportRow | null> {
      const r = await tx.query(`SELECT ${COLUMNS} FROM reports r WHERE r.id = $1::bigint FOR UPDATE`, [id])
      return r.rows[0] ? rowOf(r.rows[0]) : null
    },

    async byToken(token: string): Promise<ReportRow | null> {
      const r = await db.query(`SELECT ${COLUMNS} FROM reports r WHERE r.token = $1`, [token])
      return r.rows[0] ? rowOf(r.rows[0]) : null
    },

    async byIds(ids: readonly string[]): Promise<ReportRow[]> {
      if (ids.length === 0) return []
      const r = await db.query(`SELECT ${COLUMNS} FROM reports r WHERE r.id = ANY($1::bigint[]) ORDER BY r.id`, [ids])
      return r.rows.map(rowOf)
    },

    async contact(id: string): Promise<Record<string, string> | null> {
      const r = await db.query(`SELECT contact FROM reports WHERE id = $1::bigint`, [id])
      return r.rows[0] ? (r.rows[0].contact as Record<string, string>) : null
    },

    /** Open311 GET requests.json: newest first. */
    async search(f: { ids: string[] | null; codes: string[] | null; from: number; to: number; closed: boolean | null; limit: number }): Promise<ReportRow[]> {
      const r = await db.query(
        `SELECT ${COLUMNS} FROM reports r
         WHERE ($1::bigint[] IS NULL OR r.id = ANY($1::bigint[])) AND ($2::text[] IS NULL OR r.category_code = ANY($2::text[]))
           AND ($1::bigint[] IS NOT NULL OR r.received_at BETWEEN $3::timestamptz AND $4::timestamptz)
           AND ($5::boolean IS NULL OR (r.state = ANY($6::text[])) = $5)
         ORDER BY r.received_at DESC, r.id DESC LIMIT $7`,
        [f.ids, f.codes, new Date(f.from).toISOString(), new Date(f.to).toISOString(), f.closed, CLOSED_STATES, f.limit],
      )
      return r.rows.map(rowOf)
    },

    /** The console's queue: open (or all) reports of the scope, newest first, with the total. */
    /** The newest 5,000 reports the filter matches (open reports: all of a province's, with room to spare). */
    async queue(f: QueueFilter): Promise<ReportRow[]> {
      const r = await db.query(`SELECT ${COLUMNS} FROM reports r WHERE ${QUEUE_WHERE} ORDER BY r.received_at DESC, r.id DESC LIMIT 5000`, queueParams(f))
      return r.rows.map(rowOf)
    },

    /**
     * A page of the closed reports the filter matches, newest first, and how many there are: the archive grows
     * by thousands a year and is paged here, not read whole.
     */
    async closedPage(f: Omit<QueueFilter, 'closed'>, limit: number, offset: number): Promise<{ total: number; rows: ReportRow[] }> {
      const params = queueParams({ ...f, closed: true })
      const [count, page] = await Promise.all([
        db.query<{ n: number }>(`SELECT count(*)::int AS n FROM reports r WHERE ${QUEUE_WHERE}`, params),
        limit > 0 ? db.query(`SELECT ${COLUMNS} FROM reports r WHERE ${QUEUE_WHERE} ORDER BY r.received_at DESC, r.id DESC LIMIT $7 OFFSET $8`, [...params, limit, offset]) : null,
      ])
      return { total: count.rows[0]!.n, rows: page?.rows.map(rowOf) ?? [] }
    },

    /** Where the newest `limit` closed reports the filter matches are, for the dispatcher's map. */
    async closedPoints(f: Omit<QueueFilter, 'closed'>, limit: number): Promise<{ id: string; lat: number; lon: number; categoryCode: string }[]> {
      const r = await db.query(
        `SELECT r.id::text AS id, r.lat, r.lon, r.category_code FROM reports r WHERE ${QUEUE_WHERE} AND r.lat IS NOT NULL AND r.lon IS NOT NULL
         ORDER BY r.received_at DESC, r.id DESC LIMIT $7`,
        [...queueParams({ ...f, closed: true }), limit],
      )
      return r.rows.map((x) => ({ id: x.id, lat: Number(x.lat), lon: Number(x.lon), categoryCode: x.category_code }))
    },

    /**
     * Open reports of a category received in [since, until] within a box of `meters` around the point
     * (duplicate candidates; the exact distance is the caller's).
     */
    async openNear(category: string, since: number, until: number, lat: number, lon: number, meters: number): Promise<ReportRow[]> {
      // degrees of latitude are ~111 km everywhere; of longitude, that times cos(latitude)
      const dLat = meters / 111_000
      const dLon = meters / (111_000 * Math.max(0.01, Math.cos((lat * Math.PI) / 180)))
      const r = await db.query(
        `SELECT ${COLUMNS} FROM reports r
         WHERE r.category_code = $1 AND r.received_at BETWEEN $2::timestamptz AND $3::timestamptz
           AND r.lat BETWEEN $5 AND $6 AND r.lon BETWEEN $7 AND $8
           AND r.state <> ALL($4::text[])`,
        [category, new Date(since).toISOString(), new Date(until).toISOString(), CLOSED_STATES, lat - dLat, lat + dLat, lon - dLon, lon + dLon],
      )
      return r.rows.map(rowOf)
    },

    async events(id: string): Promise<(ReportEventRow & { at: number })[]> {
      const r = await db.query(
        `SELECT at, action, from_state, to_state, actor_kind, actor_id, actor_name, agency_id, note, public FROM report_events WHERE report_id = $1::bigint ORDER BY at, id`,
        [id],
      )
      return r.rows.map((e) => ({
        at: ms(e.at)!,
        action: e.action,
        fromState: e.from_state,
        toState: e.to_state,
        actorKind: e.actor_kind,
        actorId: e.actor_id,
        actorName: e.actor_name,
        agencyId: e.agency_id,
        note: e.note,
        public: e.public,
      }))
    },

    /** Stores a new report; an MQTT resend of (channel, externalId) returns the stored one with created=false. */
    async insert(tx: Queryable, n: NewReport & { state: ReportState; agencyId: string | null }): Promise<{ row: ReportRow; created: boolean }> {
      const r = await tx.query(
        `INSERT INTO reports AS r (token, source, channel_id, external_id, category_code, priority, description, lat, lon, address, unit_id, agency_id, state,
           contact, media_urls, attributes, received_at, api_key_id, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15::text[], $16::jsonb, $17::timestamptz, $18, now())
         ON CONFLICT (channel_id, external_id) DO NOTHING
         RETURNING ${COLUMNS}`,
        [
          n.token,
          n.source,
          n.channelId,
          n.externalId,
          n.categoryCode,
          n.priority,
          n.description,
          n.lat,
          n.lon,
          n.address,
          n.unitId,
          n.agencyId,
          n.state,
          JSON.stringify(n.contact),
          n.mediaUrls,
          JSON.stringify(n.attributes),
          new Date(n.receivedAt).toISOString(),
          n.apiKeyId,
        ],
      )
      if (r.rows[0]) return { row: rowOf(r.rows[0]), created: true }
      const existing = await tx.query(`SELECT ${COLUMNS} FROM reports r WHERE r.channel_id = $1 AND r.external_id = $2`, [n.channelId, n.externalId])
      return { row: rowOf(existing.rows[0]), created: false }
    },

    async update(tx: Queryable, id: string, patch: ReportPatch): Promise<void> {
      const sets: string[] = []
      const values: unknown[] = [id]
      for (const [key, value] of Object.entries(patch) as [keyof ReportPatch, unknown][]) {
        if (value === undefined) continue
        const [column, type] = PATCH_COLUMNS[key]
        values.push(type === 'timestamptz' && typeof value === 'number' ? new Date(value).toISOString() : value)
        sets.push(`${column} = $${values.length}::${type}`)
      }
      await tx.query(`UPDATE reports SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1::bigint`, values)
    },

    async addEvent(tx: Queryable, reportId: string, e: ReportEventRow): Promise<void> {
      await tx.query(
        `INSERT INTO report_events (report_id, action, from_state, to_state, actor_kind, actor_id, actor_name, agency_id, note, public)
         VALUES ($1::bigint, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [reportId, e.action, e.fromState, e.toState, e.actorKind, e.actorId, e.actorName, e.agencyId, e.note, e.public],
      )
    },

    /** Reports resolved in [from, to) with an agency (what on-time and satisfaction statistics count). */
    async resolvedBetween(from: number, to: number): Promise<ReportRow[]> {
      const r = await db.query(`SELECT ${COLUMNS} FROM reports r WHERE r.resolved_at >= $1::timestamptz AND r.resolved_at < $2::timestamptz AND r.agency_id IS NOT NULL`, [
        new Date(from).toISOString(),
        new Date(to).toISOString(),
      ])
      return r.rows.map(rowOf)
    },

    async addPhoto(tx: Queryable, reportId: string, x: { kind: 'report' | 'result'; contentType: string; bytes: number; width: number; height: number; sha256: string; uploadedBy: string }): Promise<string> {
      const r = await tx.query(
        `INSERT INTO report_photos (report_id, kind, content_type, bytes, width, height, sha256, uploaded_by) VALUES ($1::bigint, $2, $3, $4, $5, $6, $7, $8) RETURNING id::text AS id`,
        [reportId, x.kind, x.contentType, x.bytes, x.width, x.height, x.sha256, x.uploadedBy],
      )
      return r.rows[0].id as string
    },

    async photos(reportId: string): Promise<ReportPhotoRow[]> {
      const r = await db.query(`SELECT id::text AS id, kind, content_type, width, height FROM report_photos WHERE report_id = $1::bigint ORDER BY id`, [reportId])
      return r.rows.map((x) => ({ id: x.id, kind: x.kind, contentType: x.content_type, width: x.width, height: x.height }))
    },

    async receivedSince(t: number): Promise<number> {
      const r = await db.query(`SELECT count(*)::int AS n FROM reports WHERE received_at >= $1::timestamptz`, [new Date(t).toISOString()])
      return r.rows[0].n as number
    },

    /** Reports with an agency whose clock runs, not yet escalated (the escalation sweep judges them). */
    async running(): Promise<ReportRow[]> {
      const r = await db.query(`SELECT ${COLUMNS} FROM reports r WHERE r.state IN ('forwarded', 'accepted', 'in_progress') AND r.escalated_at IS NULL`)
      return r.rows.map(rowOf)
    },
  }
}

export type ReportRepository = ReturnType<typeof reportRepository>
