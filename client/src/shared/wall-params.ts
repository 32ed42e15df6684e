// The URL parameters that pin a wall's view (?dashboard=, ?screen=, ?lang=) and how a dashboard is picked.
import { WALL_LANGUAGES, type Dashboard, type WallDefinition, type WallLanguage } from '../../../contract/index.ts'

export interface WallParams {
  dashboard: string | null
  screen: string | null
  lang: WallLanguage
}

export function readParams(search: string): WallParams {
  const q = new URLSearchParams(search)
  const lang = q.get('lang')
  return {
    dashboard: q.get('dashboard'),
    screen: q.get('screen'),
    lang: (WALL_LANGUAGES as readonly string[]).includes(lang ?? '') ? (lang as WallLanguage) : 'vi',
  }
}

/** The dashboard a `?dashboard=` asks for, or the first one; `missing` says the asked one does not exist. */
export function pickDashboard(def: WallDefinition, wanted: string | null): { dashboard: Dashboard | null; missing: string | null } {
  const found = wanted ? def.dashboards.find((d) => d.id === wanted) : undefined
  return { dashboard: found ?? def.dashboards[0] ?? null, missing: wanted && !found ? wanted : null }
}
