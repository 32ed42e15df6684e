// The counter cameras' REST routes: each reads its query with the contract's schema and answers from the
// service. Nothing here decides anything.
import type { Router } from 'express'
import { CAMERA_ROUTES as R, cameraKindQuery, cameraSeriesHint, camerasQuery, isCameraSeriesMetric, parseQuery, parseSeriesQuery } from '../../contract/index.ts'
import { get, orBadRequest } from '../shared/http.ts'
import type { CameraService } from './service.ts'

export function cameraRoutes(router: Router, cameras: CameraService, now: () => number): void {
  get(router, R.cameras, ({ query }) => cameras.list(orBadRequest(parseQuery(camerasQuery, query))))
  // before /cameras/:id, which would take 'series' for a camera id
  get(router, R.cameraSeriesAll, ({ query }) => {
    const { kind } = orBadRequest(parseQuery(cameraKindQuery, query))
    return cameras.seriesOfAll(kind, orBadRequest(parseSeriesQuery(query, now(), isCameraSeriesMetric, cameraSeriesHint)))
  })
  get(router, R.camera, ({ params }) => cameras.get(params.id!))
  get(router, R.cameraSeries, ({ params, query }) => {
    cameras.get(params.id!)
    return cameras.series(params.id!, orBadRequest(parseSeriesQuery(query, now(), isCameraSeriesMetric, cameraSeriesHint)))
  })
}
