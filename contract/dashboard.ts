// Wall dashboards as files: the shape of a definition in dashboards/*.json|yaml, composed from the shared
// parts (contract/shared/wall.ts) and the widgets and alert rules each domain registers (contract/domains.ts),
// and the problems a bad file reports. The server validates every file (validateDashboard) at start-up and
// on change and keeps the last good version of each, so a broken edit shows its error on the wall instead of
// blanking it.

import { DOMAIN_ALERT_RULES, DOMAIN_WIDGETS, KPI_KEYS, KPI_SPECS, MAP_LAYERS, type KpiKey } from './domains.ts'
import { check, intIn, shown, strictObject, z, type Issue } from './shared/schema.ts'
import {
  DASHBOARD_ID_PATTERN,
  describePlace,
  gridSchema,
  kpiWidget,
  localTextSchema,
  mapWidget,
  overlaps,
  placeSchema,
  type Grid,
  type GridPlace,
  type LocalText,
  type WidgetContext,
} from './shared/wall.ts'

export * from './shared/wall.ts'
export type { AqiRankingWidget, AqiTrendWidget } from './environment/widgets.ts'
export type { SiteSparklinesWidget } from './cameras/widgets.ts'

export const DASHBOARD_FILE_EXTENSIONS = ['.json', '.yaml', '.yml'] as const
export const SCREEN_SECONDS = { min: 5, max: 3600, default: 60 } as const

/** Every widget type a screen may hold: the map and KPI tile, then each domain's own. */
function widgetSchemas(ctx: WidgetContext) {
  return [mapWidget(MAP_LAYERS, ctx), kpiWidget(KPI_KEYS as [KpiKey, ...KpiKey[]], KPI_SPECS, ctx), ...Object.values(DOMAIN_WIDGETS).map((w) => w(ctx))] as const
}
export type Widget = z.output<ReturnType<typeof widgetSchemas>[number]>
export type WidgetType = Widget['type']
export type MapWidget = Extract<Widget, { type: 'map' }>
export type KpiWidget = Extract<Widget, { type: 'kpi' }>
export const WIDGET_TYPES = ['map', 'kpi', ...Object.keys(DOMAIN_WIDGETS)] as WidgetType[]

const typeList = WIDGET_TYPES.map((t) => `'${t}'`).join(', ')
function widgetUnion(ctx: WidgetContext) {
  const [first, ...rest] = widgetSchemas(ctx)
  return z.discriminatedUnion('type', [first, ...rest], {
    // not a mapping at all, or a mapping without a known type (its other keys cannot be judged then)
    error: (iss) => ((iss as { code: string }).code === 'invalid_type' ? `a widget: a mapping with type (${typeList}) and at` : `one of ${typeList}`),
  })
}

const alertRulesShape = { offline: z.boolean({ error: 'true or false' }).default(true), ...DOMAIN_ALERT_RULES }
const alertKeys = Object.keys(alertRulesShape)
const alertRulesSchema = strictObject(alertRulesShape, `a mapping with ${alertKeys.slice(0, -1).join(', ')} and ${alertKeys.at(-1)}`)
/** What raises an alert on the ticker: a device going offline, and each domain's own rules. */
export type AlertRules = z.output<typeof alertRulesSchema>
export const DEFAULT_ALERTS: Readonly<AlertRules> = Object.freeze(alertRulesSchema.parse({}))

const SCREEN_ID = 'an id of lower-case letters, digits and dashes, like environment'
/** A screen's own keys; its widgets are checked apart, against its grid. */
const screenSchema = strictObject(
  {
    id: z.string({ error: SCREEN_ID }).regex(DASHBOARD_ID_PATTERN, { error: SCREEN_ID }),
    title: localTextSchema,
    /** How long the screen shows before the wall rotates to the next one. */
    seconds: intIn(SCREEN_SECONDS.min, SCREEN_SECONDS.max).default(SCREEN_SECONDS.default),
    grid: gridSchema,
    widgets: z.array(z.unknown(), { error: 'a list of at least one widget' }).min(1, { error: 'a list of at least one widget' }),
  },
  'a screen: a mapping with id, title, grid and widgets',
)

export interface DashboardScreen extends Omit<z.output<typeof screenSchema>, 'widgets'> {
  widgets: Widget[]
}

const documentSchema = strictObject(
  {
    title: localTextSchema,
    alerts: alertRulesSchema.default(() => ({ ...DEFAULT_ALERTS })),
    screens: z.array(z.unknown(), { error: 'a list of at least one screen' }).min(1, { error: 'a list of at least one screen' }),
  },
  'a mapping with the keys title, screens and (optionally) alerts',
)

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

const fromIssue = (file: string, i: Issue): DashboardProblem => ({ file, path: i.path, expected: i.expected, message: `${file}: ${i.message}`, keptPrevious: false })

/**
 * Checks a parsed dashboard file and applies the defaults. Pure: `file` only names the problems and gives
 * the id (the file name without its extension). Every problem is reported, not just the first, each with
 * the path of the value at fault, what was expected there and what was found.
 *
 * Checked in three passes, because a widget's place depends on its screen's grid: the document, then each
 * screen's own keys, then each widget against its screen's grid; and then what no single value shows
 * (two screens with one id, two widgets on one cell).
 */
export function validateDashboard(doc: unknown, file: string): { dashboard: Dashboard } | { problems: DashboardProblem[] } {
  const problems: DashboardProblem[] = []
  const fail = (path: string, expected: string, value: unknown) => problems.push(dashboardProblem(file, path, expected, shown(value)))
  const collect = <T>(r: { ok: true; value: T } | { ok: false; issues: Issue[] }): T | undefined => {
    if (r.ok) return r.value
    problems.push(...r.issues.map((i) => fromIssue(file, i)))
    return undefined
  }

  const id = dashboardIdOf(file)
  if (!DASHBOARD_ID_PATTERN.test(id)) fail('', 'a file name of lower-case letters, digits and dashes before the extension (it becomes ?dashboard=<name>)', file)
  const top = collect(check(documentSchema, doc))
  const rawScreens = (doc as { screens?: unknown } | null)?.screens
  const screens: DashboardScreen[] = []
  const seen = new Map<string, number>()
  if (Array.isArray(rawScreens)) {
    rawScreens.forEach((raw, i) => {
      const screen = checkScreen(raw, `screens[${i}]`, collect, fail)
      const sid = (raw as { id?: unknown } | null)?.id
      if (typeof sid === 'string' && DASHBOARD_ID_PATTERN.test(sid)) {
        const first = seen.get(sid)
        if (first === undefined) seen.set(sid, i)
        else fail(`screens[${i}].id`, `an id no other screen of this dashboard has (screens[${first}] has it)`, sid)
      }
      if (screen) screens.push(screen)
    })
  }
  if (problems.length || !top) return { problems }
  return { dashboard: { id, title: top.title, alerts: top.alerts, screens } }
}

function checkScreen(
  raw: unknown,
  path: string,
  collect: <T>(r: { ok: true; value: T } | { ok: false; issues: Issue[] }) => T | undefined,
  fail: (path: string, expected: string, value: unknown) => void,
): DashboardScreen | undefined {
  const screen = collect(check(screenSchema, raw, { at: path }))
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined
  const o = raw as { grid?: unknown; widgets?: unknown }
  // the widgets are judged against the grid when it is valid, and as far as they can be when it is not
  const gridCheck = check(gridSchema, o.grid)
  const grid: Grid | null = gridCheck.ok ? gridCheck.value : null
  const widgets: Widget[] = []
  let widgetsOk = true
  const placed: { index: number; at: GridPlace }[] = []
  if (Array.isArray(o.widgets)) {
    const union = widgetUnion({ grid })
    const place = placeSchema(grid)
    o.widgets.forEach((w, i) => {
      const wpath = `${path}.widgets[${i}]`
      const widget = collect(check(union, w, { at: wpath }))
      if (widget) widgets.push(widget)
      else widgetsOk = false
      // overlap is judged on every valid place, whatever else is wrong with its widget
      const at = check(place, (w as { at?: unknown } | null)?.at)
      if (!at.ok) return
      const other = placed.find((p) => overlaps(p.at, at.value))
      if (other) {
        fail(`${wpath}.at`, `a place that does not overlap widgets[${other.index}] (${describePlace(other.at)})`, at.value)
        widgetsOk = false
      } else placed.push({ index: i, at: at.value })
    })
  }
  if (!screen || !widgetsOk) return undefined
  return { ...screen, widgets }
}
