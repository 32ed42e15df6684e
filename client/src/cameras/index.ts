// The counter cameras on the wall: their map layer, their widget (sparklines per service center or road), how
// their KPI tiles read, and the crowd alert. Registered in client/src/domains.ts.
import type { CameraSummary, SiteSparklinesWidget } from '../../../contract/index.ts'
import type { MapLayerView, WallDomain } from '../shared/domain.ts'
import { crowdAlerts } from './alerts.ts'
import CameraCard from './components/CameraCard.svelte'
import CameraLegend from './components/CameraLegend.svelte'
import SiteSparklines from './components/SiteSparklines.svelte'
import { t } from './i18n.ts'
import { CAMERA_KPI_VIEWS } from './kpis.ts'
import { cameraFeatureState, cameraPaint } from './map-layer.ts'

const map: MapLayerView<CameraSummary> = { z: 1, paint: cameraPaint, featureState: cameraFeatureState, Legend: CameraLegend, Card: CameraCard }

export const camerasWall: WallDomain = {
  name: 'cameras',
  list: 'cameras',
  map,
  widgets: {
    'site-sparklines': { component: SiteSparklines, title: (w: SiteSparklinesWidget, lang) => t(lang, w.kind === 'service_center' ? 'sitesService' : 'sitesRoad') },
  },
  kpis: CAMERA_KPI_VIEWS,
  alerts: crowdAlerts,
}
