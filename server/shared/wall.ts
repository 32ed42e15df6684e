// The wall's own routes: its definition (every dashboard file, validated and watched) and the KPIs of the same
// clock hour yesterday that the tiles compare against, each domain contributing its part.
import type { Router } from 'express'
import { DAY_MS, hourStart, parseInstant, SHARED_ROUTES, type WallKpis } from '../../contract/index.ts'
import type { DashboardStore } from './dashboards.ts'
import type { ServerDomain } from './domain.ts'
import { get, orBadRequest } from './http.ts'

/** Start of the clock hour the baseline for `at` describes: the hour containing `at`, one day earlier. */
export function baselineHour(at: number): number {
  return hourStart(at) - DAY_MS
}

export function wallRoutes(router: Router, dashboards: DashboardStore, domains: readonly ServerDomain[], now: () => number): void {
  get(router, SHARED_ROUTES.wall, () => dashboards.wall)
  get(router, SHARED_ROUTES.kpiBaseline, async ({ query }) => {
    const at = query.at === undefined ? now() : orBadRequest(parseInstant(query.at, 'at'))
    const hour = baselineHour(at)
    let kpis: Partial<WallKpis> = {}
    // one domain after the other: the embedded database is one session anyway
    for (const d of domains) kpis = { ...kpis, ...(await d.baseline(hour)) }
    return { hour: new Date(hour).toISOString(), kpis: kpis as WallKpis }
  })
}
