// REST handlers: parse the request with the contract's parsers (400 naming the parameter), answer from
// live state or the repository. Errors are `{ error: { code, message, field? } }`.
import { Router, type Response } from 'express'
import {
  isCameraSeriesMetric,
  isStationMetric,
  metricUnit,
  parseDeadLetterQuery,
  parseSeriesQuery,
  stationMetricHint,
  CAMERA_SERIES_METRICS,
  type ApiErrorBody,
  type SeriesResponse,
  type Unit,
} from '../contract/index.ts'
import type { Queryable } from '../core/db.ts'
import { cameraSeries, deadLetters, stationSeries } from './repository.ts'
import type { CameraStates } from './state/cameras.ts'
import type { StationStates } from './state/stations.ts'

export function sendError(res: Response, status: number, body: ApiErrorBody): void {
  res.status(status).json({ error: body })
}

function isError(v: unknown): v is ApiErrorBody {
  return typeof v === 'object' && v !== null && 'code' in v && 'message' in v
}

export interface ApiDeps {
  db: Queryable
  stations: StationStates
  cameras: CameraStates
  units(): readonly Unit[]
  now(): number
}

export function apiRouter(d: ApiDeps): Router {
  const r = Router()

  r.get('/stations', (req, res) => {
    const { kind, unit, status } = req.query
    let list = d.stations.summaries()
    if (typeof kind === 'string') list = list.filter((s) => s.kind === kind)
    if (typeof unit === 'string') list = list.filter((s) => s.unitId === unit)
    if (typeof status === 'string') list = list.filter((s) => s.status === status)
    res.json(list)
  })

  r.get('/stations/:id', (req, res) => {
    const s = d.stations.summary(req.params.id)
    if (!s) return sendError(res, 404, { code: 'not_found', field: 'id', message: `station '${req.params.id}' does not exist` })
    res.json(s)
  })

  r.get('/stations/:id/series', async (req, res) => {
    const id = req.params.id
    if (!d.stations.summary(id)) return sendError(res, 404, { code: 'not_found', field: 'id', message: `station '${id}' does not exist` })
    const q = parseSeriesQuery(req.query as Record<string, unknown>, d.now(), isStationMetric, stationMetricHint)
    if (isError(q)) return sendError(res, 400, q)
    const points = await stationSeries(d.db, id, q.metric, q.from, q.to, q.bucket)
    const body: SeriesResponse = { id, metric: q.metric, unit: metricUnit(q.metric), bucket: q.bucket, from: iso(q.from), to: iso(q.to), points }
    res.json(body)
  })

  r.get('/cameras', (req, res) => {
    const { kind, unit, site } = req.query
    let list = d.cameras.summaries()
    if (typeof kind === 'string') list = list.filter((c) => c.kind === kind)
    if (typeof unit === 'string') list = list.filter((c) => c.unitId === unit)
    if (typeof site === 'string') list = list.filter((c) => c.site === site)
    res.json(list)
  })

  r.get('/cameras/:id', (req, res) => {
    const c = d.cameras.summary(req.params.id)
    if (!c) return sendError(res, 404, { code: 'not_found', field: 'id', message: `camera '${req.params.id}' does not exist` })
    res.json(c)
  })

  r.get('/cameras/:id/series', async (req, res) => {
    const id = req.params.id
    if (!d.cameras.summary(id)) return sendError(res, 404, { code: 'not_found', field: 'id', message: `camera '${id}' does not exist` })
    const q = parseSeriesQuery(req.query as Record<string, unknown>, d.now(), isCameraSeriesMetric, CAMERA_SERIES_METRICS.join(', '))
    if (isError(q)) return sendError(res, 400, q)
    // q.metric is one of CAMERA_SERIES_METRICS, so it is safe as a column name in the repository's SQL
    const points = await cameraSeries(d.db, id, q.metric, q.from, q.to, q.bucket)
    const body: SeriesResponse = { id, metric: q.metric, unit: metricUnit(q.metric), bucket: q.bucket, from: iso(q.from), to: iso(q.to), points }
    res.json(body)
  })

  r.get('/units', (_req, res) => {
    res.json({
      type: 'FeatureCollection',
      features: d.units().map((u) => ({
        type: 'Feature',
        id: u.id,
        properties: { id: u.id, parentId: u.parentId, name: u.name, level: u.level, approximate: u.approximate },
        geometry: u.geometry,
      })),
    })
  })

  r.get('/dead-letters', async (req, res) => {
    const q = parseDeadLetterQuery(req.query as Record<string, unknown>)
    if (isError(q)) return sendError(res, 400, q)
    res.json({ items: await deadLetters(d.db, q) })
  })

  r.use((req, res) => sendError(res, 404, { code: 'not_found', message: `no API route ${req.method} ${req.baseUrl}${req.path}` }))
  return r
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}
