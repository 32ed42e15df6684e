// The administrative dossiers on the wall: their widgets (the province's tiles month to date, a ranking of
// departments or localities, the dossiers overdue or due soon), all fed by one summary that follows the
// `dossiers` live channel. Nothing on the map: dossiers are figures of units, not placed devices.
// Registered in client/src/domains.ts. The leaders' page (/leaders) is its own entry, leaders.ts.
import type { DossierDueSoonWidget, DossierKpisWidget, DossierRankingWidget } from '../../../contract/index.ts'
import type { WallDomain } from '../shared/domain.ts'
import WallDossierTiles from './components/WallDossierTiles.svelte'
import WallDueSoon from './components/WallDueSoon.svelte'
import WallUnitRanking from './components/WallUnitRanking.svelte'
import { t } from './i18n.ts'

export const dossiersWall: WallDomain = {
  name: 'dossiers',
  list: 'dossiers',
  widgets: {
    // the tiles carry their own labels, like the frame's KPI tiles: no panel title
    'dossier-kpis': { component: WallDossierTiles, title: (_w: DossierKpisWidget) => '' },
    'dossier-ranking': { component: WallUnitRanking, title: (w: DossierRankingWidget, lang) => t(lang, w.units === 'department' ? 'wallRankingDepartments' : 'wallRankingLocalities') },
    'dossier-due-soon': { component: WallDueSoon, title: (_w: DossierDueSoonWidget, lang) => t(lang, 'wallDueSoonTitle') },
  },
  kpis: {},
}
