// The dossiers' part of a wall dashboard: the province's administrative-performance tiles (month to date),
// a ranking of departments or localities, and the open dossiers due soon or overdue. dashboards/README.md
// documents the same table.

import { intIn, z } from '../shared/schema.ts'
import { widget, type WidgetContext } from '../shared/wall.ts'

export const DOSSIER_WIDGET_LIMITS = {
  rankingLimit: { min: 3, max: 30, default: 10 },
  dueSoonLimit: { min: 3, max: 30, default: 8 },
} as const

const { rankingLimit, dueSoonLimit } = DOSSIER_WIDGET_LIMITS

export const DOSSIER_WIDGETS = {
  /** Received, on-time rate, online share and overdue dossiers of the province, month to date. */
  'dossier-kpis': (ctx: WidgetContext) => widget('dossier-kpis', {}, ctx),
  /** Departments or localities ranked by on-time rate, month to date (`units`, not `type`: that names the widget). */
  'dossier-ranking': (ctx: WidgetContext) =>
    widget(
      'dossier-ranking',
      {
        units: z.enum(['department', 'locality'], { error: "'department' or 'locality'" }).default('department'),
        limit: intIn(rankingLimit.min, rankingLimit.max).default(rankingLimit.default),
      },
      ctx,
    ),
  /** Open dossiers overdue or due within DOSSIER_DUE_SOON, most urgent first. */
  'dossier-due-soon': (ctx: WidgetContext) => widget('dossier-due-soon', { limit: intIn(dueSoonLimit.min, dueSoonLimit.max).default(dueSoonLimit.default) }, ctx),
}

export type DossierKpisWidget = z.output<ReturnType<(typeof DOSSIER_WIDGETS)['dossier-kpis']>>
export type DossierRankingWidget = z.output<ReturnType<(typeof DOSSIER_WIDGETS)['dossier-ranking']>>
export type DossierDueSoonWidget = z.output<ReturnType<(typeof DOSSIER_WIDGETS)['dossier-due-soon']>>
