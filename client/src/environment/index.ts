// The environment stations on the wall: their map layer, their widgets (VN_AQI trend and ranking), how their
// KPI tiles read, and their alerts. Registered in client/src/domains.ts.
import type { AqiRankingWidget, AqiTrendWidget, StationSummary } from '../../../contract/index.ts'
import type { MapLayerView, WallDomain } from '../shared/domain.ts'
import { aqiAlerts } from './alerts.ts'
import AqiTrendChart from './components/AqiTrendChart.svelte'
import StationCard from './components/StationCard.svelte'
import StationLegend from './components/StationLegend.svelte'
import WorstStationsChart from './components/WorstStationsChart.svelte'
import { t } from './i18n.ts'
import { ENVIRONMENT_KPI_VIEWS } from './kpis.ts'
import { stationFeatureState, stationPaint } from './map-layer.ts'

const map: MapLayerView<StationSummary> = { z: 2, paint: stationPaint, featureState: stationFeatureState, Legend: StationLegend, Card: StationCard }

export const environmentWall: WallDomain = {
  name: 'environment',
  list: 'stations',
  map,
  widgets: {
    'aqi-trend': { component: AqiTrendChart, title: (_w: AqiTrendWidget, lang) => t(lang, 'aqiTrend') },
    'aqi-ranking': { component: WorstStationsChart, title: (w: AqiRankingWidget, lang) => (w.limit === 10 ? t(lang, 'aqiRanking') : t(lang, 'rankingTop', { n: w.limit })) },
  },
  kpis: ENVIRONMENT_KPI_VIEWS,
  alerts: aqiAlerts,
}
