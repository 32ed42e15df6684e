// Citizen reports on the wall: today's intake and what is open and late (tiles), the agencies with the most
// overdue reports, and the reports overdue or due soon, fed by one summary that follows the `report-inboxes` live channel. Registered in
// client/src/domains.ts. The consoles (/reports) are their own entry.
import type { ReportAgenciesWidget, ReportKpisWidget, ReportMapWidget, ReportUrgentWidget } from '../../../contract/index.ts'
import type { WallDomain } from '../shared/domain.ts'
import WallReportAgencies from './components/WallReportAgencies.svelte'
import WallReportMap from './components/WallReportMap.svelte'
import WallReportTiles from './components/WallReportTiles.svelte'
import WallReportUrgent from './components/WallReportUrgent.svelte'
import { tw } from './wall-i18n.ts'

export const reportsWall: WallDomain = {
  name: 'reports',
  list: 'report-inboxes',
  widgets: {
    'report-kpis': { component: WallReportTiles, title: (_w: ReportKpisWidget) => '' },
    'report-agencies': { component: WallReportAgencies, title: (_w: ReportAgenciesWidget, lang) => tw(lang, 'wallReportsAgenciesTitle') },
    'report-map': { component: WallReportMap, title: (_w: ReportMapWidget, lang) => tw(lang, 'wallReportsMapTitle') },
    'report-urgent': { component: WallReportUrgent, title: (_w: ReportUrgentWidget, lang) => tw(lang, 'wallReportsUrgentTitle') },
  },
  kpis: {},
}
