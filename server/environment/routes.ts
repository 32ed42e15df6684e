// The environment's REST routes: each reads its query with the contract's schema and answers from the
// service. Nothing here decides anything.
import type { Router } from 'express'
import { ENVIRONMENT_ROUTES as R, isStationMetric, parseAqiRange, parseQuery, parseSeriesQuery, stationMetricHint, stationsQuery } from '../../contract/index.ts'
import { get, orBadRequest } from '../shared/http.ts'
import type { StationService } from './service.ts'

export function environmentRoutes(router: Router, stations: StationService, now: () => number): void {
  get(router, R.stations, ({ query }) => stations.list(orBadRequest(parseQuery(stationsQuery, query))))
  get(router, R.station, ({ params }) => stations.get(params.id!))
  get(router, R.stationSeries, ({ params, query }) => {
    stations.get(params.id!) // a 404 before a 400 about the query
    return stations.series(params.id!, orBadRequest(parseSeriesQuery(query, now(), isStationMetric, stationMetricHint)))
  })
  get(router, R.stationAqi, ({ params, query }) => {
    stations.get(params.id!)
    return stations.aqi(params.id!, orBadRequest(parseAqiRange(query, now())))
  })
}
