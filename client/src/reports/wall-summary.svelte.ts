// What the wall's report widgets show (GET /api/reports/today), shared by the widgets of a screen, refetched
// when an inbox changes and every minute (reports turn due soon and overdue by the clock alone).
import { REPORTS_CHANNEL, ROUTES, type ReportWallResponse } from '../../../contract/index.ts'
import { get } from '../shared/api.ts'
import { LiveSummary, sharedSummary } from '../shared/live-summary.svelte.ts'

export const openReportWallSummary = sharedSummary<ReportWallResponse>(
  (live) => new LiveSummary(live, REPORTS_CHANNEL.list, (signal) => get(ROUTES.reportWall, { signal }), 60_000),
)
