// The counter-camera domain in ingest: cameras publish on {root}/camera/{cameraId}; each message becomes one
// counting period (contract/cameras/payload.ts), a batch of periods is one insert into the wide camera_counts
// table, and the committed periods go to the servers on {root}/live/camera.
import { CAMERA_CLASSES, CAMERA_INPUT, parseCameraPayload, type CameraCount, type LiveCameraBatch } from '../../contract/index.ts'
import { idsOfTable, type DomainWrite, type IngestDomain } from '../shared/domain.ts'

const INSERT_CAMERA_SQL = `
WITH inserted AS (
  INSERT INTO camera_counts (camera_id, ts, period_sec, ${CAMERA_CLASSES.join(', ')}, inside)
  SELECT c, to_timestamp(t / 1000.0), p, ${CAMERA_CLASSES.map((k) => `u.${k}`).join(', ')}, i
  FROM unnest($1::text[], $2::float8[], $3::int[], ${CAMERA_CLASSES.map((_, i) => `$${i + 4}::int[]`).join(', ')}, $${CAMERA_CLASSES.length + 4}::int[])
    AS u(c, t, p, ${CAMERA_CLASSES.join(', ')}, i)
  ON CONFLICT DO NOTHING
  RETURNING 1
)
SELECT count(*)::int AS n FROM inserted`

export const camerasIngest: IngestDomain<CameraCount> = {
  name: 'cameras',
  segment: CAMERA_INPUT,
  knownIds: idsOfTable('cameras'),
  unknown: { code: 'unknown_camera', message: (id) => `camera '${id}' is not in the reference data (load it with npm run db:load -- cameras)` },
  parse: parseCameraPayload,
  size(c) {
    return { stored: Object.keys(c.counts).length + (c.inside === null ? 0 : 1), rows: 1 }
  },
  async write(tx, counts): Promise<DomainWrite> {
    if (counts.length === 0) return { tables: {} }
    const params: unknown[] = [counts.map((c) => c.cameraId), counts.map((c) => c.ts), counts.map((c) => c.periodSec)]
    for (const k of CAMERA_CLASSES) params.push(counts.map((c) => c.counts[k] ?? null))
    params.push(counts.map((c) => c.inside))
    const r = await tx.query<{ n: number }>(INSERT_CAMERA_SQL, params)
    return { tables: { camera_counts: { rows: counts.length, inserted: r.rows[0]!.n } } }
  },
  liveFrame: (counts, committedAt): LiveCameraBatch => ({ committedAt, counts: [...counts] }),
}
