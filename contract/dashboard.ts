// Wall dashboards as files: the shape of a definition in dashboards/*.json|yaml and the problems a bad
// file reports. The server validates every file (validateDashboard) at start-up and on change and keeps
// the last good version of each, so a broken edit shows its error on the wall instead of blanking it.

import { AQI_BANDS, type AqiBandKey } from './aqi.ts'
import { CAMERA_KINDS, type CameraKind } from './metrics.ts'
import { DEVICE_ID_PATTERN } from './topics.ts'
import { KPI_SPECS } from './wall.ts'

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

// ---------------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------------

/** Dashboard ids (file names) and screen ids: what can stand unescaped in `?dashboard=` and `?screen=`. */
export const DASHBOARD_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/
export const DASHBOARD_FILE_EXTENSIONS = ['.json', '.yaml', '.yml'] as const

export const DEFAULT_ALERTS: Readonly<AlertRules> = Object.freeze({ aqiBand: 'poor', offline: true, crowdRatio: 0.9 })
export const DEFAULT_MAP_LAYERS: readonly MapWidget['layers'][number][] = ['stations', 'cameras']
/** Bounds and defaults of every number in a definition; dashboards/README.md documents the same table. */
export const DASHBOARD_LIMITS = {
  gridColumns: { min: 1, max: 48 },
  gridRows: { min: 1, max: 48 },
  screenSeconds: { min: 5, max: 3600, default: 60 },
  aqiTrendHours: { min: 1, max: 168, default: 24 },
  aqiRankingLimit: { min: 1, max: 50, default: 10 },
  sparklineHours: { min: 1, max: 48, default: 3 },
  sparklineLimit: { min: 1, max: 40, default: 12 },
  crowdRatio: { min: 0.1, max: 5 },
} as const

/** The dashboard id a file gives: its name without the extension. */
export function dashboardIdOf(file: string): string {
  const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1)
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(0, dot) : name
}

/** A problem with its one-line message: `<file>: <path>: expected <expected>, got <value>`. */
export function dashboardProblem(file: string, path: string, expected: string, got: string): DashboardProblem {
  return { file, path, expected, message: `${file}: ${path ? `${path}: ` : ''}expected ${expected}, got ${got}`, keptPrevious: false }
}

/** A value as the problem message shows it: short JSON, `nothing` for a missing key. */
function shown(value: unknown): string {
  if (value === undefined) return 'nothing'
  let json: string
  try {
    json = JSON.stringify(value) ?? String(value)
  } catch {
    json = String(value)
  }
  return json.length > 60 ? `${json.slice(0, 59)}…` : json
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/
const child = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : IDENTIFIER.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`

type Obj = Record<string, unknown>
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const range = (min: number, max: number) => `${min}–${max}`
const listed = (values: readonly unknown[]) => values.map((v) => `'${String(v)}'`).join(', ')

/**
 * The known key a misspelt one was probably meant to be, for "did you mean" hints: an abbreviation (cols for
 * columns), or at most 2 edits and fewer than half its letters (titel, gird; not fr for vi).
 */
function closest(key: string, known: readonly string[]): string | undefined {
  const abbreviated = key.length >= 3 ? known.find((k) => k.toLowerCase().startsWith(key.toLowerCase().replace(/s$/, ''))) : undefined
  if (abbreviated) return abbreviated
  let best: string | undefined
  let bestDistance = Math.min(3, Math.ceil(key.length / 2))
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase())
    if (d < bestDistance) [best, bestDistance] = [k, d]
  }
  return best
}

/** Edits (insert, delete, replace, swap two neighbours) between two words: optimal string alignment distance. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1)
      d[i]![j] = v
    }
  }
  return d[a.length]![b.length]!
}

/** Collects every problem of one file; each check returns the value (defaults applied) or undefined when it failed. */
class Checker {
  readonly problems: DashboardProblem[] = []
  constructor(readonly file: string) {}

  fail(path: string, expected: string, value: unknown): undefined {
    this.problems.push(dashboardProblem(this.file, path, expected, shown(value)))
    return undefined
  }

  /** A mapping whose keys are all known (an unknown key is usually a typo of a known one). */
  object(path: string, value: unknown, known: readonly string[], expected: string): Obj | undefined {
    if (!isObject(value)) return this.fail(path, expected, value)
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue
      const hint = closest(key, known)
      this.fail(child(path, key), `one of the keys ${known.join(', ')}${hint ? ` (did you mean '${hint}'?)` : ''}`, value[key])
    }
    return value
  }

  int(path: string, value: unknown, min: number, max: number, def?: number): number | undefined {
    if (value === undefined && def !== undefined) return def
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value
    return this.fail(path, `an integer ${range(min, max)}`, value)
  }

  number(path: string, value: unknown, expected = 'a number'): number | undefined {
    if (typeof value === 'number' && Number.isFinite(value)) return value
    return this.fail(path, expected, value)
  }

  oneOf<T>(path: string, value: unknown, allowed: readonly T[], def?: T): T | undefined {
    if (value === undefined && def !== undefined) return def
    if (allowed.includes(value as T)) return value as T
    return this.fail(path, `one of ${listed(allowed)}`, value)
  }

  boolean(path: string, value: unknown, def: boolean): boolean | undefined {
    if (value === undefined) return def
    if (typeof value === 'boolean') return value
    return this.fail(path, 'true or false', value)
  }

  text(path: string, value: unknown): LocalText | undefined {
    const expected = 'a non-empty text, or {vi: text, en: text}'
    const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== ''
    if (nonEmpty(value)) return value
    if (!isObject(value)) return this.fail(path, expected, value)
    const o = this.object(path, value, ['vi', 'en'], expected)!
    const vi = nonEmpty(o.vi) ? o.vi : this.fail(child(path, 'vi'), 'a non-empty Vietnamese text', o.vi)
    const en = o.en === undefined || nonEmpty(o.en) ? (o.en as string | undefined) : this.fail(child(path, 'en'), 'a non-empty English text, or no en key', o.en)
    if (vi === undefined || (o.en !== undefined && en === undefined)) return undefined
    return en === undefined ? { vi } : { vi, en }
  }

  list(path: string, value: unknown, expected: string, minLength = 0): unknown[] | undefined {
    if (Array.isArray(value) && value.length >= minLength) return value
    return this.fail(path, expected, value)
  }
}

const DASHBOARD_KEYS = ['title', 'alerts', 'screens'] as const
const SCREEN_KEYS = ['id', 'title', 'seconds', 'grid', 'widgets'] as const
const BASE_WIDGET_KEYS = ['type', 'title', 'at'] as const
const WIDGET_KEYS: Record<WidgetType, readonly string[]> = {
  map: [...BASE_WIDGET_KEYS, 'layers'],
  kpi: [...BASE_WIDGET_KEYS, 'kpi', 'thresholds'],
  'aqi-trend': [...BASE_WIDGET_KEYS, 'station', 'hours'],
  'aqi-ranking': [...BASE_WIDGET_KEYS, 'limit'],
  'site-sparklines': [...BASE_WIDGET_KEYS, 'kind', 'hours', 'limit'],
}
const MAP_LAYERS = ['stations', 'cameras'] as const
const AQI_BAND_KEYS = AQI_BANDS.map((b) => b.key)

/**
 * Checks a parsed dashboard file and applies the defaults. Pure: `file` only names the problems and gives
 * the id (the file name without its extension). Every problem is reported, not just the first, each with
 * the path of the value at fault, what was expected there and what was found.
 */
export function validateDashboard(doc: unknown, file: string): { dashboard: Dashboard } | { problems: DashboardProblem[] } {
  const c = new Checker(file)
  const id = dashboardIdOf(file)
  if (!DASHBOARD_ID_PATTERN.test(id)) {
    c.fail('', `a file name of lower-case letters, digits and dashes before the extension (it becomes ?dashboard=<name>)`, file)
  }
  const root = c.object('', doc, DASHBOARD_KEYS, 'a mapping with the keys title, screens and (optionally) alerts')
  if (!root) return { problems: c.problems }

  const title = c.text('title', root.title)
  const alerts = checkAlerts(c, root.alerts)
  const screens: DashboardScreen[] = []
  const rawScreens = c.list('screens', root.screens, 'a list of at least one screen', 1)
  const seen = new Map<string, number>()
  rawScreens?.forEach((raw, i) => {
    const screen = checkScreen(c, `screens[${i}]`, raw)
    const sid = isObject(raw) ? raw.id : undefined
    if (typeof sid === 'string' && DASHBOARD_ID_PATTERN.test(sid)) {
      const first = seen.get(sid)
      if (first === undefined) seen.set(sid, i)
      else c.fail(`screens[${i}].id`, `an id no other screen of this dashboard has (screens[${first}] has it)`, sid)
    }
    if (screen) screens.push(screen)
  })

  if (c.problems.length || title === undefined || alerts === undefined) return { problems: c.problems }
  return { dashboard: { id, title, alerts, screens } }
}

function checkAlerts(c: Checker, value: unknown): AlertRules | undefined {
  if (value === undefined) return { ...DEFAULT_ALERTS }
  const o = c.object('alerts', value, ['aqiBand', 'offline', 'crowdRatio'], 'a mapping with aqiBand, offline and crowdRatio')
  if (!o) return undefined
  const aqiBand = c.oneOf('alerts.aqiBand', o.aqiBand, AQI_BAND_KEYS, DEFAULT_ALERTS.aqiBand)
  const offline = c.boolean('alerts.offline', o.offline, DEFAULT_ALERTS.offline)
  const { min, max } = DASHBOARD_LIMITS.crowdRatio
  let crowdRatio: number | null | undefined
  if (o.crowdRatio === undefined) crowdRatio = DEFAULT_ALERTS.crowdRatio
  else if (o.crowdRatio === null) crowdRatio = null
  else if (typeof o.crowdRatio === 'number' && o.crowdRatio >= min && o.crowdRatio <= max) crowdRatio = o.crowdRatio
  else c.fail('alerts.crowdRatio', `a number ${range(min, max)} (share of capacity), or null for no crowd alerts`, o.crowdRatio)
  if (aqiBand === undefined || offline === undefined || crowdRatio === undefined) return undefined
  return { aqiBand, offline, crowdRatio }
}

function checkScreen(c: Checker, path: string, value: unknown): DashboardScreen | undefined {
  const o = c.object(path, value, SCREEN_KEYS, 'a screen: a mapping with id, title, grid and widgets')
  if (!o) return undefined
  const before = c.problems.length
  const id = typeof o.id === 'string' && DASHBOARD_ID_PATTERN.test(o.id) ? o.id : c.fail(`${path}.id`, 'an id of lower-case letters, digits and dashes, like environment', o.id)
  const title = c.text(`${path}.title`, o.title)
  const { min: sMin, max: sMax, default: sDef } = DASHBOARD_LIMITS.screenSeconds
  const seconds = c.int(`${path}.seconds`, o.seconds, sMin, sMax, sDef)

  let grid: DashboardScreen['grid'] | undefined
  const g = c.object(`${path}.grid`, o.grid, ['columns', 'rows'], 'a mapping with columns and rows')
  if (g) {
    const columns = c.int(`${path}.grid.columns`, g.columns, DASHBOARD_LIMITS.gridColumns.min, DASHBOARD_LIMITS.gridColumns.max)
    const rows = c.int(`${path}.grid.rows`, g.rows, DASHBOARD_LIMITS.gridRows.min, DASHBOARD_LIMITS.gridRows.max)
    if (columns !== undefined && rows !== undefined) grid = { columns, rows }
  }

  const widgets: Widget[] = []
  const rawWidgets = c.list(`${path}.widgets`, o.widgets, 'a list of at least one widget', 1)
  const placed: { index: number; at: GridPlace }[] = []
  rawWidgets?.forEach((raw, i) => {
    const wpath = `${path}.widgets[${i}]`
    const { widget, at } = checkWidget(c, wpath, raw, grid)
    if (widget) widgets.push(widget)
    // overlap is judged on every valid place, whatever else is wrong with its widget
    if (!at) return
    const other = placed.find((p) => overlaps(p.at, at))
    if (other) c.fail(`${wpath}.at`, `a place that does not overlap widgets[${other.index}] (${describePlace(other.at)})`, at)
    else placed.push({ index: i, at })
  })

  if (c.problems.length > before || id === undefined || title === undefined || seconds === undefined || !grid) return undefined
  return { id, title, seconds, grid, widgets }
}

function overlaps(a: GridPlace, b: GridPlace): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

function describePlace(p: GridPlace): string {
  const span = (from: number, n: number) => (n === 1 ? `${from}` : `${from}–${from + n - 1}`)
  return `columns ${span(p.x, p.w)}, rows ${span(p.y, p.h)}`
}

/** `at` inside the grid: x and y within it, w and h no further than its last column and row. */
function checkPlace(c: Checker, path: string, value: unknown, grid: DashboardScreen['grid'] | undefined): GridPlace | undefined {
  const o = c.object(path, value, ['x', 'y', 'w', 'h'], 'a place {x, y, w, h}: 1-based column and row, width and height in cells')
  if (!o) return undefined
  const positive = (key: string, max: number | undefined) => {
    if (max !== undefined && max >= 1) return c.int(`${path}.${key}`, o[key], 1, max)
    if (typeof o[key] === 'number' && Number.isInteger(o[key]) && (o[key] as number) >= 1) return o[key] as number
    return c.fail(`${path}.${key}`, 'a positive integer', o[key])
  }
  const x = positive('x', grid?.columns)
  const y = positive('y', grid?.rows)
  const w = positive('w', grid && x !== undefined ? grid.columns - x + 1 : undefined)
  const h = positive('h', grid && y !== undefined ? grid.rows - y + 1 : undefined)
  if (x === undefined || y === undefined || w === undefined || h === undefined) return undefined
  return { x, y, w, h }
}

/** The widget when it is valid, and its place when that alone is (for the overlap check). */
function checkWidget(c: Checker, path: string, value: unknown, grid: DashboardScreen['grid'] | undefined): { widget?: Widget; at?: GridPlace } {
  if (!isObject(value)) return c.fail(path, `a widget: a mapping with type (${listed(WIDGET_TYPES)}) and at`, value) ?? {}
  const type = c.oneOf(`${path}.type`, value.type, WIDGET_TYPES)
  // without a known type the other keys cannot be judged; report the type alone
  const o = type ? c.object(path, value, WIDGET_KEYS[type], 'a widget')! : value
  const before = c.problems.length
  const title = o.title === undefined ? undefined : c.text(`${path}.title`, o.title)
  const at = checkPlace(c, `${path}.at`, o.at, grid)
  const base = { ...(title !== undefined ? { title } : {}), at: at! }
  let widget: Widget | undefined
  switch (type) {
    case 'map': {
      const layers = checkLayers(c, `${path}.layers`, o.layers)
      if (layers) widget = { type, ...base, layers }
      break
    }
    case 'kpi': {
      const kpi = c.oneOf(`${path}.kpi`, o.kpi, KPI_KEYS)
      const thresholds = o.thresholds === undefined ? undefined : checkThresholds(c, `${path}.thresholds`, o.thresholds, kpi)
      if (kpi) widget = { type, ...base, kpi, ...(thresholds ? { thresholds } : {}) }
      break
    }
    case 'aqi-trend': {
      const station =
        o.station === undefined || o.station === 'worst' || (typeof o.station === 'string' && DEVICE_ID_PATTERN.test(o.station))
          ? ((o.station as string | undefined) ?? 'worst')
          : c.fail(`${path}.station`, "'worst' or a station id", o.station)
      const { min, max, default: def } = DASHBOARD_LIMITS.aqiTrendHours
      const hours = c.int(`${path}.hours`, o.hours, min, max, def)
      if (station !== undefined && hours !== undefined) widget = { type, ...base, station, hours }
      break
    }
    case 'aqi-ranking': {
      const { min, max, default: def } = DASHBOARD_LIMITS.aqiRankingLimit
      const limit = c.int(`${path}.limit`, o.limit, min, max, def)
      if (limit !== undefined) widget = { type, ...base, limit }
      break
    }
    case 'site-sparklines': {
      const kind = c.oneOf(`${path}.kind`, o.kind, CAMERA_KINDS)
      const h = DASHBOARD_LIMITS.sparklineHours
      const l = DASHBOARD_LIMITS.sparklineLimit
      const hours = c.int(`${path}.hours`, o.hours, h.min, h.max, h.default)
      const limit = c.int(`${path}.limit`, o.limit, l.min, l.max, l.default)
      if (kind !== undefined && hours !== undefined && limit !== undefined) widget = { type, ...base, kind, hours, limit }
      break
    }
  }
  return { ...(widget && at && c.problems.length === before ? { widget } : {}), ...(at ? { at } : {}) }
}

function checkLayers(c: Checker, path: string, value: unknown): MapWidget['layers'] | undefined {
  if (value === undefined) return [...DEFAULT_MAP_LAYERS]
  const list = c.list(path, value, `a list of ${listed(MAP_LAYERS)}`)
  if (!list) return undefined
  const layers: MapWidget['layers'] = []
  let ok = true
  list.forEach((v, i) => {
    const layer = c.oneOf(`${path}[${i}]`, v, MAP_LAYERS)
    if (layer === undefined) ok = false
    else if (layers.includes(layer)) ok = c.fail(`${path}[${i}]`, 'each layer at most once', v) ?? false
    else layers.push(layer)
  })
  return ok ? layers : undefined
}

/** warn and critical, ordered the way the KPI gets worse (a swapped pair would never turn the tile red). */
function checkThresholds(c: Checker, path: string, value: unknown, kpi: KpiKey | undefined): KpiThresholds | undefined {
  const o = c.object(path, value, ['warn', 'critical'], 'a mapping {warn: number, critical: number}')
  if (!o) return undefined
  const warn = c.number(`${path}.warn`, o.warn)
  const critical = c.number(`${path}.critical`, o.critical)
  if (warn === undefined || critical === undefined) return undefined
  if (kpi) {
    const higher = KPI_SPECS[kpi].worseWhen === 'higher'
    if (higher ? critical < warn : critical > warn) {
      return c.fail(`${path}.critical`, `a number ${higher ? '≥' : '≤'} warn (${warn}): ${higher ? 'higher' : 'lower'} is worse for ${kpi}`, critical)
    }
  }
  return { warn, critical }
}
