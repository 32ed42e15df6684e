// REST handlers: parse the request with the contract's parsers (400 naming the parameter), answer from
// live state or the repository. Errors are `{ error: { code, message, field? } }`.
import { Router, type Response } from 'express'
import {
  isCameraSeriesMetric,
  isStationMetric,
  metricUnit,
  parseDeadLetterQuery,
  parseInstant,
  parseSeriesQuery,
  stationMetricHint,
  BUCKET_MS,
  CAMERA_KINDS,
  CAMERA_SERIES_METRICS,
  DEVICE_STATUSES,
  STATION_KINDS,
  type ApiErrorBody,
  type AqiSeriesResponse,
  type CameraSeriesBulkResponse,
  type KpiBaselineResponse,
  type SeriesResponse,
  type Unit,
} from '../contract/index.ts'
import type { Queryable } from '../db/database.ts'
import { cameraHour, cameraSeries, cameraSeriesBulk, deadLetters, hourlySums, stationSeries, stationsReportingIn } from './repository.ts'
import type { CameraStates } from './state/cameras.ts'
import type { StationStates } from './state/stations.ts'
import { AQI_LOOKBACK_MS, aqiSeries, baselineHour, baselineKpis, hourSlotsByStation, parseAqiRange } from './wall-history.ts'

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

  /** ?unit= means the unit and everything below it (a province, a district, a ward). */
  function unitFilter(raw: unknown): Set<string> | ApiErrorBody | null {
    if (raw === undefined) return null
    const all = d.units()
    if (typeof raw !== 'string' || !all.some((u) => u.id === raw)) return { code: 'bad_request', field: 'unit', message: `unit: '${String(raw).slice(0, 40)}' is not a unit id (see /api/units)` }
    const ids = new Set([raw])
    let grew = true
    while (grew) {
      grew = false
      for (const u of all) {
        if (u.parentId && ids.has(u.parentId) && !ids.has(u.id)) {
          ids.add(u.id)
          grew = true
        }
      }
    }
    return ids
  }
  function oneOf<T extends string>(raw: unknown, field: string, allowed: readonly T[]): T | ApiErrorBody | null {
    if (raw === undefined) return null
    if (typeof raw === 'string' && (allowed as readonly string[]).includes(raw)) return raw as T
    return { code: 'bad_request', field, message: `${field}: expected one of ${allowed.join(', ')}` }
  }

  r.get('/stations', (req, res) => {
    const kind = oneOf(req.query.kind, 'kind', STATION_KINDS)
    const status = oneOf(req.query.status, 'status', DEVICE_STATUSES)
    const unit = unitFilter(req.query.unit)
    for (const v of [kind, status, unit]) if (isError(v)) return sendError(res, 400, v)
    let list = d.stations.summaries()
    if (kind) list = list.filter((s) => s.kind === kind)
    if (status) list = list.filter((s) => s.status === status)
    if (unit instanceof Set) list = list.filter((s) => s.unitId !== null && unit.has(s.unitId))
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

  r.get('/stations/:id/aqi', async (req, res) => {
    const id = req.params.id
    if (!d.stations.summary(id)) return sendError(res, 404, { code: 'not_found', field: 'id', message: `station '${id}' does not exist` })
    const q = parseAqiRange(req.query as Record<string, unknown>, d.now())
    if (isError(q)) return sendError(res, 400, q)
    const sums = await hourlySums(d.db, { from: q.from - AQI_LOOKBACK_MS, to: q.to, stationId: id })
    const body: AqiSeriesResponse = { id, from: iso(q.from), to: iso(q.to), points: aqiSeries(hourSlotsByStation(sums).get(id) ?? new Map(), q.from, q.to) }
    res.json(body)
  })

  r.get('/cameras', (req, res) => {
    const kind = oneOf(req.query.kind, 'kind', CAMERA_KINDS)
    const status = oneOf(req.query.status, 'status', DEVICE_STATUSES)
    const unit = unitFilter(req.query.unit)
    for (const v of [kind, status, unit]) if (isError(v)) return sendError(res, 400, v)
    const { site } = req.query
    let list = d.cameras.summaries()
    if (kind) list = list.filter((c) => c.kind === kind)
    if (status) list = list.filter((c) => c.status === status)
    if (unit instanceof Set) list = list.filter((c) => c.unitId !== null && unit.has(c.unitId))
    if (typeof site === 'string') list = list.filter((c) => c.site === site)
    res.json(list)
  })

  // before /cameras/:id, which would take 'series' for a camera id
  r.get('/cameras/series', async (req, res) => {
    const kind = oneOf(req.query.kind, 'kind', CAMERA_KINDS)
    if (isError(kind)) return sendError(res, 400, kind)
    const q = parseSeriesQuery(req.query as Record<string, unknown>, d.now(), isCameraSeriesMetric, CAMERA_SERIES_METRICS.join(', '))
    if (isError(q)) return sendError(res, 400, q)
    const bucket = q.bucket
    if (bucket === 'raw') return sendError(res, 400, { code: 'bad_request', field: 'bucket', message: 'bucket: raw is for one camera (/cameras/:id/series); use 5m, 1h or 1d' })
    const ids = d.cameras
      .summaries()
      .filter((c) => !kind || c.kind === kind)
      .map((c) => c.id)
    const series = await cameraSeriesBulk(d.db, ids, q.metric, q.from, q.to, bucket)
    const body: CameraSeriesBulkResponse = { metric: q.metric, bucket, from: iso(q.from), to: iso(q.to), cameras: ids.map((id) => ({ id, points: series.get(id) ?? [] })) }
    res.json(body)
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

  r.get('/kpis/baseline', async (req, res) => {
    const at = req.query.at === undefined ? d.now() : parseInstant(req.query.at, 'at')
    if (isError(at)) return sendError(res, 400, at)
    const hour = baselineHour(at)
    const [reporting, sums, cameraHours] = await Promise.all([
      stationsReportingIn(d.db, hour),
      hourlySums(d.db, { from: hour - AQI_LOOKBACK_MS, to: hour + BUCKET_MS['1h'] }),
      cameraHour(d.db, hour),
    ])
    const kpis = baselineKpis({ hour, stations: d.stations.summaries(), cameras: d.cameras.summaries(), reporting, sums, cameraHours })
    const body: KpiBaselineResponse = { hour: iso(hour), kpis }
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
