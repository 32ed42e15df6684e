// Rows of a series query as the repositories read them, and the points REST returns: one mapping for every
// domain's charts.
import type { SeriesPoint } from '../../contract/index.ts'

export interface PointRow {
  t: number
  value: number | string
  min: number | string | null
  max: number | string | null
  count: number
}

export function toPoint(r: PointRow): SeriesPoint {
  const num = (v: number | string | null) => (v === null ? null : Number(v))
  return { t: new Date(r.t).toISOString(), value: Number(r.value), min: num(r.min), max: num(r.max), count: r.count }
}

export function toPoints(rows: readonly PointRow[]): SeriesPoint[] {
  return rows.map(toPoint)
}
