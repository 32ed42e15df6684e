// The SQL of ingest's report writes, inside the batch's transaction: the categories a batch names, and the
// insert of its new reports with their first history row and audit entry, in three statements whatever the
// batch size.
import { randomBytes } from 'node:crypto'
import type { PriorityLevel, PushedReport } from '../../contract/index.ts'
import type { Queryable } from '../../db/database.ts'

export function reportStore(tx: Queryable) {
  return {
    /** Active categories among `codes`, with their priority level. */
    async categories(codes: string[]): Promise<Map<string, PriorityLevel>> {
      const r = await tx.query<{ code: string; priority: PriorityLevel }>(`SELECT code, priority FROM report_categories WHERE active AND code = ANY($1::text[])`, [codes])
      return new Map(r.rows.map((c) => [c.code, c.priority]))
    },

    /** Stores the reports not stored before (by channel and externalId); returns how many were new. */
    async insert(rows: readonly (PushedReport & { channelId: string; priority: PriorityLevel; unitId: string | null })[]): Promise<number> {
      if (rows.length === 0) return 0
      const doc = rows.map((r) => ({
        token: randomBytes(12).toString('base64url'),
        channel_id: r.channelId,
        external_id: r.externalId,
        category_code: r.categoryCode,
        priority: r.priority,
        description: r.description,
        lat: r.lat,
        lon: r.lon,
        address: r.address,
        unit_id: r.unitId,
        contact: r.contact,
        media_urls: r.mediaUrls,
        attributes: r.attributes,
        received_at: new Date(r.ts).toISOString(),
      }))
      const r = await tx.query<{ n: number }>(
        `WITH input AS (
           SELECT * FROM jsonb_to_recordset($1::jsonb) AS u(token text, channel_id text, external_id text, category_code text, priority text, description text,
             lat double precision, lon double precision, address text, unit_id text, contact jsonb, media_urls text[], attributes jsonb, received_at timestamptz)
         ), stored AS (
           INSERT INTO reports (token, source, channel_id, external_id, category_code, priority, description, lat, lon, address, unit_id, state, contact, media_urls, attributes, received_at)
           SELECT token, 'mqtt', channel_id, external_id, category_code, priority, description, lat, lon, address, unit_id, 'new', contact, media_urls, attributes, received_at FROM input
           ON CONFLICT (channel_id, external_id) DO NOTHING
           RETURNING id, channel_id, category_code, unit_id
         ), history AS (
           INSERT INTO report_events (report_id, action, from_state, to_state, actor_kind, actor_id, actor_name)
           SELECT id, 'submit', NULL, 'new', 'device', channel_id, channel_id FROM stored
         ), audit AS (
           INSERT INTO audit_log (actor_kind, actor_id, actor_name, action, target_type, target_id, after)
           SELECT 'device', channel_id, channel_id, 'report.create', 'report', id::text, jsonb_build_object('category', category_code, 'source', 'mqtt', 'unitId', unit_id) FROM stored
         )
         SELECT count(*)::int AS n FROM stored`,
        [JSON.stringify(doc)],
      )
      return r.rows[0]!.n
    },
  }
}
