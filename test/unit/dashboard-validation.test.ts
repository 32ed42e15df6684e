// validateDashboard: a wall definition from a file becomes a Dashboard with its defaults, or every problem
// it has, each naming the file, the path of the value at fault and what was expected there. One test per
// invalid input, each starting from a valid definition and breaking one thing.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { validateDashboard, type Dashboard, type DashboardProblem } from '../../contract/index.ts'

/** A valid definition using every widget type, on a 12 × 8 grid. */
function validDoc(): any {
  return {
    title: { vi: 'Vận hành', en: 'Operations' },
    screens: [
      {
        id: 'environment',
        title: 'Môi trường',
        grid: { columns: 12, rows: 8 },
        widgets: [
          { type: 'map', at: { x: 1, y: 1, w: 8, h: 8 } },
          { type: 'kpi', kpi: 'worst_aqi', at: { x: 9, y: 1, w: 4, h: 2 } },
          { type: 'aqi-trend', at: { x: 9, y: 3, w: 4, h: 2 } },
          { type: 'aqi-ranking', at: { x: 9, y: 5, w: 4, h: 2 } },
          { type: 'site-sparklines', kind: 'road', at: { x: 9, y: 7, w: 4, h: 2 } },
        ],
      },
    ],
  }
}

function dashboardOf(doc: unknown, file = 'operations.yaml'): Dashboard {
  const result = validateDashboard(doc, file)
  if ('problems' in result) throw new Error(`expected no problems, got:\n${result.problems.map((p) => p.message).join('\n')}`)
  return result.dashboard
}

function problemsOf(doc: unknown, file = 'operations.yaml'): DashboardProblem[] {
  const result = validateDashboard(doc, file)
  if ('dashboard' in result) throw new Error('expected problems, the definition was accepted')
  return result.problems
}

/** The problems of the valid definition after `breakIt` changed one thing. */
const problemsAfter = (breakIt: (d: any) => void, file?: string) => {
  const doc = validDoc()
  breakIt(doc)
  return problemsOf(doc, file)
}

const widget = (d: any, i: number) => d.screens[0].widgets[i]

describe('validateDashboard accepts', () => {
  it('the shipped dashboards/operations.yaml with no problems', () => {
    const text = readFileSync(new URL('../../dashboards/operations.yaml', import.meta.url), 'utf8')
    const dashboard = dashboardOf(parse(text), 'operations.yaml')
    expect(dashboard.id).toBe('operations')
    expect(dashboard.screens.map((s) => [s.id, s.grid])).toEqual([
      ['environment', { columns: 15, rows: 10 }],
      ['services-traffic', { columns: 15, rows: 10 }],
      ['administrative-reform', { columns: 15, rows: 10 }],
      ['citizen-reports', { columns: 15, rows: 10 }],
    ])
  })

  it.each(['yaml', 'json'])('the %s example of dashboards/README.md', (lang) => {
    const readme = readFileSync(new URL('../../dashboards/README.md', import.meta.url), 'utf8')
    const block = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(readme)
    expect(block, `a ${lang} block in dashboards/README.md`).not.toBeNull()
    dashboardOf(parse(block![1]!), `example.${lang}`)
  })

  it('applies the defaults of every optional key', () => {
    const d = dashboardOf(validDoc())
    expect(d.alerts).toEqual({ aqiBand: 'poor', offline: true, crowdRatio: 0.9 })
    expect(d.screens[0]!.seconds).toBe(60)
    expect(d.screens[0]!.widgets).toEqual([
      { type: 'map', at: { x: 1, y: 1, w: 8, h: 8 }, layers: ['stations', 'cameras'] },
      { type: 'kpi', at: { x: 9, y: 1, w: 4, h: 2 }, kpi: 'worst_aqi' },
      { type: 'aqi-trend', at: { x: 9, y: 3, w: 4, h: 2 }, station: 'worst', hours: 24 },
      { type: 'aqi-ranking', at: { x: 9, y: 5, w: 4, h: 2 }, limit: 10 },
      { type: 'site-sparklines', at: { x: 9, y: 7, w: 4, h: 2 }, kind: 'road', hours: 3, limit: 12 },
    ])
  })

  it('keeps values given instead of the defaults', () => {
    const doc = validDoc()
    doc.alerts = { aqiBand: 'bad', offline: false, crowdRatio: null }
    doc.screens[0].seconds = 5
    widget(doc, 0).layers = ['cameras']
    widget(doc, 1).thresholds = { warn: 101, critical: 151 }
    Object.assign(widget(doc, 2), { station: 'QN-KK-001', hours: 168, title: { vi: 'Xu hướng' } })
    widget(doc, 3).limit = 50
    Object.assign(widget(doc, 4), { hours: 48, limit: 40 })
    const d = dashboardOf(doc)
    expect(d.alerts).toEqual({ aqiBand: 'bad', offline: false, crowdRatio: null })
    expect(d.screens[0]!.seconds).toBe(5)
    expect(d.screens[0]!.widgets).toEqual([
      expect.objectContaining({ layers: ['cameras'] }),
      expect.objectContaining({ thresholds: { warn: 101, critical: 151 } }),
      expect.objectContaining({ station: 'QN-KK-001', hours: 168, title: { vi: 'Xu hướng' } }),
      expect.objectContaining({ limit: 50 }),
      expect.objectContaining({ hours: 48, limit: 40 }),
    ])
  })

  it('takes the id from the file name without folder and extension', () => {
    expect(dashboardOf(validDoc(), 'walls/night-shift.json').id).toBe('night-shift')
  })

  it('accepts a map with no device layers, and widgets that touch without overlapping', () => {
    const doc = validDoc()
    widget(doc, 0).layers = []
    expect(dashboardOf(doc).screens[0]!.widgets[0]).toMatchObject({ layers: [] })
  })

  it('orders thresholds the way the KPI gets worse: lower is worse for stations_reporting', () => {
    const doc = validDoc()
    Object.assign(widget(doc, 1), { kpi: 'stations_reporting', thresholds: { warn: 0.9, critical: 0.75 } })
    expect(dashboardOf(doc).screens[0]!.widgets[1]).toMatchObject({ thresholds: { warn: 0.9, critical: 0.75 } })
  })
})

describe('validateDashboard problems', () => {
  it('read `<file>: <path>: expected <expected>, got <value>` and say the previous version is not (yet) kept', () => {
    expect(problemsAfter((d) => (widget(d, 0).at.w = 13))).toEqual([
      {
        file: 'operations.yaml',
        path: 'screens[0].widgets[0].at.w',
        expected: 'an integer 1–12',
        message: 'operations.yaml: screens[0].widgets[0].at.w: expected an integer 1–12, got 13',
        keptPrevious: false,
      },
    ])
  })

  it('are all collected, not just the first', () => {
    const problems = problemsAfter((d) => {
      d.title = ''
      d.screens[0].seconds = 1
      widget(d, 3).limit = 0
    })
    expect(problems.map((p) => p.path)).toEqual(['title', 'screens[0].seconds', 'screens[0].widgets[3].limit'])
  })

  it('shorten long values in the message to 60 characters', () => {
    const [p] = problemsAfter((d) => (d.screens[0].seconds = 'x'.repeat(200)))
    const got = p!.message.slice(p!.message.indexOf(', got ') + ', got '.length)
    expect(got).toBe(`"${'x'.repeat(58)}…`)
  })

  it('say "got nothing" for a missing key', () => {
    expect(problemsAfter((d) => delete d.title)[0]!.message).toBe('operations.yaml: title: expected a non-empty text, or {vi: text, en: text}, got nothing')
  })

  // [what is wrong, how to break the valid definition, path, expected]
  const cases: [string, (d: any) => void, string, string][] = [
    // the document
    ['an unknown top-level key (a typo)', (d) => (d.titel = 'Vận hành'), 'titel', "one of the keys title, alerts, screens (did you mean 'title'?)"],
    ['a missing title', (d) => delete d.title, 'title', 'a non-empty text, or {vi: text, en: text}'],
    ['an empty title', (d) => (d.title = '  '), 'title', 'a non-empty text, or {vi: text, en: text}'],
    ['a title that is a number', (d) => (d.title = 42), 'title', 'a non-empty text, or {vi: text, en: text}'],
    ['a title without Vietnamese', (d) => (d.title = { en: 'Operations' }), 'title.vi', 'a non-empty Vietnamese text'],
    ['an empty English title', (d) => (d.title = { vi: 'Vận hành', en: '' }), 'title.en', 'a non-empty English text, or no en key'],
    ['a title in an unknown language', (d) => (d.title = { vi: 'Vận hành', fr: 'Opérations' }), 'title.fr', 'one of the keys vi, en'],
    // alerts
    ['alerts that are not a mapping', (d) => (d.alerts = true), 'alerts', 'a mapping with offline, aqiBand and crowdRatio'],
    ['an unknown alert key', (d) => (d.alerts = { ofline: false }), 'alerts.ofline', "one of the keys offline, aqiBand, crowdRatio (did you mean 'offline'?)"],
    ['an unknown AQI band', (d) => (d.alerts = { aqiBand: 'Kém' }), 'alerts.aqiBand', "one of 'good', 'moderate', 'poor', 'bad', 'very_bad', 'hazardous'"],
    ['offline alerts that are not true or false', (d) => (d.alerts = { offline: 'yes' }), 'alerts.offline', 'true or false'],
    ['a crowd ratio below 0.1', (d) => (d.alerts = { crowdRatio: 0.05 }), 'alerts.crowdRatio', 'a number 0.1–5 (share of capacity), or null for no crowd alerts'],
    ['a crowd ratio above 5', (d) => (d.alerts = { crowdRatio: 90 }), 'alerts.crowdRatio', 'a number 0.1–5 (share of capacity), or null for no crowd alerts'],
    ['a crowd ratio that is a string', (d) => (d.alerts = { crowdRatio: '90%' }), 'alerts.crowdRatio', 'a number 0.1–5 (share of capacity), or null for no crowd alerts'],
    // screens
    ['no screens key', (d) => delete d.screens, 'screens', 'a list of at least one screen'],
    ['an empty list of screens', (d) => (d.screens = []), 'screens', 'a list of at least one screen'],
    ['screens that are a mapping', (d) => (d.screens = { environment: d.screens[0] }), 'screens', 'a list of at least one screen'],
    ['a screen that is not a mapping', (d) => d.screens.push('traffic'), 'screens[1]', 'a screen: a mapping with id, title, grid and widgets'],
    ['an unknown screen key', (d) => (d.screens[0].duration = 30), 'screens[0].duration', 'one of the keys id, title, seconds, grid, widgets'],
    ['a screen id with capitals', (d) => (d.screens[0].id = 'Environment'), 'screens[0].id', 'an id of lower-case letters, digits and dashes, like environment'],
    ['a screen id with a space', (d) => (d.screens[0].id = 'air quality'), 'screens[0].id', 'an id of lower-case letters, digits and dashes, like environment'],
    ['a missing screen id', (d) => delete d.screens[0].id, 'screens[0].id', 'an id of lower-case letters, digits and dashes, like environment'],
    ['two screens with one id', (d) => d.screens.push(structuredClone(d.screens[0])), 'screens[1].id', 'an id no other screen of this dashboard has (screens[0] has it)'],
    ['a missing screen title', (d) => delete d.screens[0].title, 'screens[0].title', 'a non-empty text, or {vi: text, en: text}'],
    ['a screen shown under 5 s', (d) => (d.screens[0].seconds = 4), 'screens[0].seconds', 'an integer 5–3600'],
    ['a screen shown over an hour', (d) => (d.screens[0].seconds = 3601), 'screens[0].seconds', 'an integer 5–3600'],
    ['fractional seconds', (d) => (d.screens[0].seconds = 30.5), 'screens[0].seconds', 'an integer 5–3600'],
    ['seconds as a string', (d) => (d.screens[0].seconds = '60'), 'screens[0].seconds', 'an integer 5–3600'],
    // grid
    ['a missing grid', (d) => delete d.screens[0].grid, 'screens[0].grid', 'a mapping with columns and rows'],
    ['an unknown grid key', (d) => (d.screens[0].grid.cols = 12), 'screens[0].grid.cols', "one of the keys columns, rows (did you mean 'columns'?)"],
    ['zero columns', (d) => (d.screens[0].grid.columns = 0), 'screens[0].grid.columns', 'an integer 1–48'],
    ['49 rows', (d) => (d.screens[0].grid.rows = 49), 'screens[0].grid.rows', 'an integer 1–48'],
    // widgets
    ['no widgets', (d) => (d.screens[0].widgets = []), 'screens[0].widgets', 'a list of at least one widget'],
    ['a widget that is not a mapping', (d) => (d.screens[0].widgets[4] = 'map'), 'screens[0].widgets[4]', "a widget: a mapping with type ('map', 'kpi', 'aqi-trend', 'aqi-ranking', 'site-sparklines', 'dossier-kpis', 'dossier-ranking', 'dossier-due-soon', 'report-kpis', 'report-agencies', 'report-map', 'report-urgent') and at"],
    ['an unknown widget type', (d) => (widget(d, 3).type = 'table'), 'screens[0].widgets[3].type', "one of 'map', 'kpi', 'aqi-trend', 'aqi-ranking', 'site-sparklines', 'dossier-kpis', 'dossier-ranking', 'dossier-due-soon', 'report-kpis', 'report-agencies', 'report-map', 'report-urgent'"],
    ['a missing widget type', (d) => delete widget(d, 3).type, 'screens[0].widgets[3].type', "one of 'map', 'kpi', 'aqi-trend', 'aqi-ranking', 'site-sparklines', 'dossier-kpis', 'dossier-ranking', 'dossier-due-soon', 'report-kpis', 'report-agencies', 'report-map', 'report-urgent'"],
    ['a key of another widget type', (d) => (widget(d, 0).limit = 5), 'screens[0].widgets[0].limit', 'one of the keys type, title, at, layers'],
    ['a misspelt widget key', (d) => (widget(d, 0).layer = ['stations']), 'screens[0].widgets[0].layer', "one of the keys type, title, at, layers (did you mean 'layers'?)"],
    ['an empty widget title', (d) => (widget(d, 0).title = ''), 'screens[0].widgets[0].title', 'a non-empty text, or {vi: text, en: text}'],
    // places
    ['a missing place', (d) => delete widget(d, 0).at, 'screens[0].widgets[0].at', 'a place {x, y, w, h}: 1-based column and row, width and height in cells'],
    ['a place as a list', (d) => (widget(d, 0).at = [1, 1, 8, 8]), 'screens[0].widgets[0].at', 'a place {x, y, w, h}: 1-based column and row, width and height in cells'],
    ['an unknown place key', (d) => (widget(d, 0).at.width = 8), 'screens[0].widgets[0].at.width', 'one of the keys x, y, w, h'],
    ['column 0 (places are 1-based)', (d) => (widget(d, 0).at.x = 0), 'screens[0].widgets[0].at.x', 'an integer 1–12'],
    ['a column right of the grid', (d) => Object.assign(widget(d, 4).at, { x: 13, w: 1 }), 'screens[0].widgets[4].at.x', 'an integer 1–12'],
    ['a row below the grid', (d) => Object.assign(widget(d, 4).at, { y: 9, h: 1 }), 'screens[0].widgets[4].at.y', 'an integer 1–8'],
    ['a width past the last column', (d) => (widget(d, 1).at.w = 5), 'screens[0].widgets[1].at.w', 'an integer 1–4'],
    ['a height past the last row', (d) => (widget(d, 4).at.h = 3), 'screens[0].widgets[4].at.h', 'an integer 1–2'],
    ['a zero width', (d) => (widget(d, 1).at.w = 0), 'screens[0].widgets[1].at.w', 'an integer 1–4'],
    ['a fractional height', (d) => (widget(d, 1).at.h = 1.5), 'screens[0].widgets[1].at.h', 'an integer 1–8'],
    ['two widgets that overlap', (d) => (widget(d, 2).at = { x: 8, y: 3, w: 5, h: 2 }), 'screens[0].widgets[2].at', 'a place that does not overlap widgets[0] (columns 1–8, rows 1–8)'],
    // map
    ['layers that are not a list', (d) => (widget(d, 0).layers = 'stations'), 'screens[0].widgets[0].layers', "a list of 'stations', 'cameras'"],
    ['an unknown layer', (d) => (widget(d, 0).layers = ['stations', 'roads']), 'screens[0].widgets[0].layers[1]', "one of 'stations', 'cameras'"],
    ['a layer twice', (d) => (widget(d, 0).layers = ['cameras', 'cameras']), 'screens[0].widgets[0].layers[1]', 'each layer at most once'],
    // kpi
    ['a KPI tile without its KPI', (d) => delete widget(d, 1).kpi, 'screens[0].widgets[1].kpi', "one of 'stations_reporting', 'worst_aqi', 'stations_poor_or_worse', 'people_waiting', 'vehicles_per_minute'"],
    ['an unknown KPI', (d) => (widget(d, 1).kpi = 'aqi'), 'screens[0].widgets[1].kpi', "one of 'stations_reporting', 'worst_aqi', 'stations_poor_or_worse', 'people_waiting', 'vehicles_per_minute'"],
    ['thresholds that are a number', (d) => (widget(d, 1).thresholds = 101), 'screens[0].widgets[1].thresholds', 'a mapping {warn: number, critical: number}'],
    ['thresholds without critical', (d) => (widget(d, 1).thresholds = { warn: 101 }), 'screens[0].widgets[1].thresholds.critical', 'a number'],
    ['a threshold as a string', (d) => (widget(d, 1).thresholds = { warn: '101', critical: 151 }), 'screens[0].widgets[1].thresholds.warn', 'a number'],
    ['an unknown threshold key', (d) => (widget(d, 1).thresholds = { warn: 101, critical: 151, alarm: 201 }), 'screens[0].widgets[1].thresholds.alarm', 'one of the keys warn, critical'],
    ['swapped thresholds where higher is worse', (d) => (widget(d, 1).thresholds = { warn: 151, critical: 101 }), 'screens[0].widgets[1].thresholds.critical', 'a number ≥ warn (151): higher is worse for worst_aqi'],
    [
      'swapped thresholds where lower is worse',
      (d) => Object.assign(widget(d, 1), { kpi: 'stations_reporting', thresholds: { warn: 0.75, critical: 0.9 } }),
      'screens[0].widgets[1].thresholds.critical',
      'a number ≤ warn (0.75): lower is worse for stations_reporting',
    ],
    // aqi-trend
    ['an empty station', (d) => (widget(d, 2).station = ''), 'screens[0].widgets[2].station', "'worst' or a station id"],
    ['a station id with a space', (d) => (widget(d, 2).station = 'QN KK 001'), 'screens[0].widgets[2].station', "'worst' or a station id"],
    ['a trend over 0 hours', (d) => (widget(d, 2).hours = 0), 'screens[0].widgets[2].hours', 'an integer 1–168'],
    ['a trend over more than a week', (d) => (widget(d, 2).hours = 169), 'screens[0].widgets[2].hours', 'an integer 1–168'],
    // aqi-ranking
    ['a ranking of 0', (d) => (widget(d, 3).limit = 0), 'screens[0].widgets[3].limit', 'an integer 1–50'],
    ['a ranking of 51', (d) => (widget(d, 3).limit = 51), 'screens[0].widgets[3].limit', 'an integer 1–50'],
    // site-sparklines
    ['sparklines without a kind', (d) => delete widget(d, 4).kind, 'screens[0].widgets[4].kind', "one of 'service_center', 'road'"],
    ['an unknown camera kind', (d) => (widget(d, 4).kind = 'roads'), 'screens[0].widgets[4].kind', "one of 'service_center', 'road'"],
    ['sparklines over 49 hours', (d) => (widget(d, 4).hours = 49), 'screens[0].widgets[4].hours', 'an integer 1–48'],
    ['41 sparklines', (d) => (widget(d, 4).limit = 41), 'screens[0].widgets[4].limit', 'an integer 1–40'],
  ]

  it.each(cases)('name %s', (_what, breakIt, path, expected) => {
    const problems = problemsAfter(breakIt)
    expect(problems.map((p) => ({ path: p.path, expected: p.expected }))).toEqual([{ path, expected }])
    expect(problems[0]!.message).toMatch(new RegExp(`^operations\\.yaml: ${path ? `${path.replace(/[.[\]]/g, '\\$&')}: ` : ''}expected `))
  })

  it('still check places as positive integers when the grid is invalid', () => {
    const problems = problemsAfter((d) => ((d.screens[0].grid = 12), (widget(d, 0).at.w = -1)))
    expect(problems.map((p) => [p.path, p.expected])).toEqual([
      ['screens[0].grid', 'a mapping with columns and rows'],
      ['screens[0].widgets[0].at.w', 'a positive integer'],
    ])
  })

  it('name both the misspelt key and the required key it was meant to be', () => {
    const problems = problemsAfter((d) => ((d.screens[0].gird = d.screens[0].grid), delete d.screens[0].grid))
    expect(problems.map((p) => [p.path, p.expected])).toEqual([
      ['screens[0].gird', "one of the keys id, title, seconds, grid, widgets (did you mean 'grid'?)"],
      ['screens[0].grid', 'a mapping with columns and rows'],
    ])
  })

  it.each([null, [], 'title: x', 42])('name a document that is not a mapping: %j', (doc) => {
    expect(problemsOf(doc).map((p) => [p.path, p.expected])).toEqual([['', 'a mapping with the keys title, screens and (optionally) alerts']])
  })

  it.each(['Operations.yaml', 'ops center.json', 'ops_center.yml', '-ops.yaml'])('name a file name that cannot be a ?dashboard= id: %s', (file) => {
    expect(problemsOf(validDoc(), file)).toEqual([
      expect.objectContaining({
        file,
        path: '',
        expected: 'a file name of lower-case letters, digits and dashes before the extension (it becomes ?dashboard=<name>)',
        message: `${file}: expected a file name of lower-case letters, digits and dashes before the extension (it becomes ?dashboard=<name>), got ${JSON.stringify(file)}`,
      }),
    ])
  })
})
