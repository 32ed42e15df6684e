// What every wall dashboard shares, whatever domains it shows: text in the wall's languages, the grid a
// screen places its widgets on, the parts every widget has (type, title, place), and the two widgets built
// from the registry (the map with one layer per live channel, the KPI tile). Each domain's widgets.ts
// declares its own widget types with `widget()`; contract/dashboard.ts composes them into the schema of a
// dashboard file.

import type { KpiSpec, KpiThresholds } from './kpis.ts'
import { intIn, nested, oneOf, strictObject, z } from './schema.ts'

export const WALL_LANGUAGES = ['vi', 'en'] as const
export type WallLanguage = (typeof WALL_LANGUAGES)[number]

/** Text shown to people: one string for every language, or one per language (Vietnamese required). */
export type LocalText = string | { vi: string; en?: string }

export function localText(t: LocalText, lang: WallLanguage): string {
  return typeof t === 'string' ? t : lang === 'en' ? (t.en ?? t.vi) : t.vi
}

const TEXT = 'a non-empty text, or {vi: text, en: text}'
const nonEmpty = (expected: string) => z.string({ error: expected }).refine((s) => s.trim() !== '', { error: expected })

export const localTextSchema: z.ZodType<LocalText> = z.union(
  [nonEmpty(TEXT), strictObject({ vi: nonEmpty('a non-empty Vietnamese text'), en: nonEmpty('a non-empty English text, or no en key').optional() }, TEXT)],
  { error: TEXT },
)

/** Dashboard ids (file names) and screen ids: what can stand unescaped in `?dashboard=` and `?screen=`. */
export const DASHBOARD_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/

export interface Grid {
  columns: number
  rows: number
}

export const GRID_LIMITS = { columns: { min: 1, max: 48 }, rows: { min: 1, max: 48 } } as const

export const gridSchema = strictObject(
  { columns: intIn(GRID_LIMITS.columns.min, GRID_LIMITS.columns.max), rows: intIn(GRID_LIMITS.rows.min, GRID_LIMITS.rows.max) },
  'a mapping with columns and rows',
)

/** Place of a widget in its screen's grid: 1-based column and row of its top-left cell, and spans. */
export interface GridPlace {
  x: number
  y: number
  w: number
  h: number
}

const PLACE = 'a place {x, y, w, h}: 1-based column and row, width and height in cells'
const positive = intIn(1, Number.MAX_SAFE_INTEGER, 'a positive integer')

/**
 * `at` inside the grid: x and y within it, w and h no further than its last column and row. Without a valid
 * grid the place is still checked as positive integers, so its own mistakes show in the same pass.
 */
export function placeSchema(grid: Grid | null): z.ZodType<GridPlace> {
  return strictObject({ x: z.unknown(), y: z.unknown(), w: z.unknown(), h: z.unknown() }, PLACE).transform((p, ctx) => {
    // w's range depends on x (and h's on y), which plain field schemas cannot say
    const x = nested(ctx, ['x'], p.x, grid ? intIn(1, grid.columns) : positive)
    const y = nested(ctx, ['y'], p.y, grid ? intIn(1, grid.rows) : positive)
    const w = nested(ctx, ['w'], p.w, grid && x !== undefined ? intIn(1, grid.columns - x + 1) : positive)
    const h = nested(ctx, ['h'], p.h, grid && y !== undefined ? intIn(1, grid.rows - y + 1) : positive)
    return x === undefined || y === undefined || w === undefined || h === undefined ? z.NEVER : { x, y, w, h }
  })
}

export function overlaps(a: GridPlace, b: GridPlace): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

export function describePlace(p: GridPlace): string {
  const span = (from: number, n: number) => (n === 1 ? `${from}` : `${from}–${from + n - 1}`)
  return `columns ${span(p.x, p.w)}, rows ${span(p.y, p.h)}`
}

/** What a widget's schema may depend on: the grid of its screen (null when the screen's grid is invalid). */
export interface WidgetContext {
  grid: Grid | null
}

/**
 * A widget type's schema: `type`, an optional `title` overriding the default one, its place `at`, and the
 * type's own keys. An unknown key is reported with the keys this type takes (usually a typo, or a key of
 * another type).
 */
export function widget<const T extends string, Shape extends z.core.$ZodLooseShape>(type: T, shape: Shape, ctx: WidgetContext) {
  return strictObject({ type: z.literal(type), title: localTextSchema.optional(), at: placeSchema(ctx.grid), ...shape }, 'a widget')
}

/** A domain's widgets: type → schema for a screen's context. */
export type WidgetSchemas = Record<string, (ctx: WidgetContext) => z.ZodType<{ type: string; at: GridPlace }>>

/** The map: unit boundaries with one layer per live channel (`stations`, `cameras`), all by default. */
export function mapWidget<const L extends readonly [string, ...string[]]>(layers: L, ctx: WidgetContext) {
  const list = `a list of ${layers.map((l) => `'${l}'`).join(', ')}`
  return widget(
    'map',
    {
      layers: z
        .array(oneOf(layers), { error: list })
        .superRefine((chosen, c) => {
          chosen.forEach((l, i) => {
            if (chosen.indexOf(l) !== i) c.addIssue({ code: 'custom', message: 'each layer at most once', path: [i], input: l })
          })
        })
        .default(() => [...layers]),
    },
    ctx,
  )
}

/** A KPI tile: one of the registered KPIs, with colour thresholds ordered the way that KPI gets worse. */
export function kpiWidget<const K extends readonly [string, ...string[]]>(keys: K, specs: Record<K[number], Pick<KpiSpec<never>, 'worseWhen'>>, ctx: WidgetContext) {
  const thresholds: z.ZodType<KpiThresholds> = strictObject(
    { warn: z.number({ error: 'a number' }).refine(Number.isFinite, { error: 'a number' }), critical: z.number({ error: 'a number' }).refine(Number.isFinite, { error: 'a number' }) },
    'a mapping {warn: number, critical: number}',
  )
  return widget('kpi', { kpi: oneOf(keys), thresholds: thresholds.optional() }, ctx).superRefine((w, c) => {
    // a swapped pair would never turn the tile red
    if (!w.thresholds) return
    const { warn, critical } = w.thresholds
    const higher = specs[w.kpi as K[number]].worseWhen === 'higher'
    if (higher ? critical < warn : critical > warn) {
      c.addIssue({ code: 'custom', path: ['thresholds', 'critical'], input: critical, message: `a number ${higher ? '≥' : '≤'} warn (${warn}): ${higher ? 'higher' : 'lower'} is worse for ${w.kpi}` })
    }
  })
}
