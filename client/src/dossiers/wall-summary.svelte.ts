// What the wall's dossier widgets show (GET /api/dossiers/today: the province, month to date), shared by the
// widgets of a screen, refetched when a unit changes and every few minutes, since open dossiers turn overdue
// by the clock with no event at all.
import { DOSSIERS_CHANNEL, ROUTES, type DossierWallResponse } from '../../../contract/index.ts'
import { get } from '../shared/api.ts'
import { LiveSummary, sharedSummary } from '../shared/live-summary.svelte.ts'

export const openWallSummary = sharedSummary<DossierWallResponse>(
  (live) => new LiveSummary(live, DOSSIERS_CHANNEL.list, (signal) => get(ROUTES.dossierWall, { signal }), 5 * 60_000),
)
