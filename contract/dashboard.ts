// Wall dashboards as files: the shape of a definition in dashboards/*.json|yaml and the problems a bad
// file reports. The server validates every file (validateDashboard) at start-up and on change and keeps
// the last good version of each, so a broken edit shows its error on the wall instead of blanking it.

import type { AqiBandKey } from './aqi.ts'
import type { CameraKind } from './metrics.ts'

/** Text shown to people: one string for every language, or one per language (Vietnamese required). */
export type LocalText = string | { vi: string; en?: string }

export const WALL_LANGUAGES = ['vi', 'en'] as const
export type WallLanguage = (typeof WALL_LANGUAGES)[number]

/** Place of a widget in its screen's grid: 1-based column and row of its top-left cell, and spans. */
export interface GridPlace {
  x: number
  y: number
  w: number
  h: number
}

export const KPI_KEYS = ['stations_reporting', 'worst_aqi', 'stations_poor_or_worse', 'people_waiting', 'vehicles_per_minute'] as const
export type KpiKey = (typeof KPI_KEYS)[number]

/** Colour thresholds of a KPI tile; whether higher or lower is worse comes from the KPI (KPI_SPECS). */
export interface KpiThresholds {
  warn: number
  critical: number
}

interface WidgetBase {
  /** Overrides the widget's default title. */
  title?: LocalText
  at: GridPlace
}

export interface MapWidget extends WidgetBase {
  type: 'map'
  /** Device layers drawn over the unit boundaries. Default both. */
  layers: ('stations' | 'cameras')[]
}

export interface KpiWidget extends WidgetBase {
  type: 'kpi'
  kpi: KpiKey
  thresholds?: KpiThresholds
}

export interface AqiTrendWidget extends WidgetBase {
  type: 'aqi-trend'
  /** 'worst' follows the station with the worst AQI now; otherwise a station id. */
  station: string
  hours: number
}

export interface AqiRankingWidget extends WidgetBase {
  type: 'aqi-ranking'
  limit: number
}

export interface SiteSparklinesWidget extends WidgetBase {
  type: 'site-sparklines'
  /** service_center: people inside per center; road: vehicles per minute per road. */
  kind: CameraKind
  hours: number
  limit: number
}

export type Widget = MapWidget | KpiWidget | AqiTrendWidget | AqiRankingWidget | SiteSparklinesWidget
export type WidgetType = Widget['type']
export const WIDGET_TYPES: readonly WidgetType[] = ['map', 'kpi', 'aqi-trend', 'aqi-ranking', 'site-sparklines']

export interface DashboardScreen {
  id: string
  title: LocalText
  /** How long the screen shows before the wall rotates to the next one. */
  seconds: number
  grid: { columns: number; rows: number }
  widgets: Widget[]
}

/** What raises an alert on the ticker. */
export interface AlertRules {
  /** A station whose AQI moves into a worse band that is this band or worse. */
  aqiBand: AqiBandKey
  /** A station or camera going offline. */
  offline: boolean
  /** A service center whose people inside reach this share of its capacity (null: no crowd alerts). */
  crowdRatio: number | null
}

export interface Dashboard {
  /** The file name without its extension: `?dashboard=operations`. */
  id: string
  title: LocalText
  alerts: AlertRules
  screens: DashboardScreen[]
}

export interface DashboardProblem {
  /** File name relative to the dashboards folder. */
  file: string
  /** Where in the file: `screens[1].widgets[0].at.w`, or '' for the whole file. */
  path: string
  /** What was expected there. */
  expected: string
  /** One line for people: `operations.yaml: screens[1].widgets[0].at.w: expected …, got …`. */
  message: string
  /** True when the wall still shows the file's last good version. */
  keptPrevious: boolean
}

/** GET /api/wall and the `wall:changed` event: everything the wall needs besides live data. */
export interface WallDefinition {
  at: string
  dashboards: Dashboard[]
  problems: DashboardProblem[]
  /** A MapLibre style for a real basemap (MAP_STYLE_URL), or null for the offline boundaries-only map. */
  mapStyleUrl: string | null
}

export function localText(t: LocalText, lang: WallLanguage): string {
  return typeof t === 'string' ? t : lang === 'en' ? (t.en ?? t.vi) : t.vi
}
