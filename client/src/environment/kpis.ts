// How the environment's KPI tiles read: stations reporting as "n/total" with the share under it, the worst
// VN_AQI in its band's colour with the station under it, and the count of stations at Poor or worse.
import { aqiBand, type KpiKey, type WallKpis } from '../../../contract/index.ts'
import type { KpiView } from '../shared/domain.ts'
import { formatPercent, shortDeviceName } from '../shared/i18n.ts'
import { bandTextColor } from './bands.ts'

export const ENVIRONMENT_KPI_VIEWS = {
  stations_reporting: {
    label: { vi: 'Trạm đang gửi dữ liệu', en: 'Stations reporting' },
    text: (k) => `${k.stationsReporting}/${k.stationsTotal}`,
    detail: (_k, value, lang) => ({ text: formatPercent(lang, value) }),
    // the change against yesterday counts stations, not the share
    comparable: (k) => (k.stationsTotal ? k.stationsReporting : null),
  },
  worst_aqi: {
    label: { vi: 'VN_AQI cao nhất', en: 'Worst VN_AQI now' },
    color: (k) => (k.worstAqi ? bandTextColor(aqiBand(k.worstAqi.value)) : null),
    detail: (k: WallKpis) =>
      k.worstAqi ? { text: shortDeviceName(k.worstAqi.stationName), title: k.worstAqi.stationName, muted: k.worstAqi.unitName ? ` · ${k.worstAqi.unitName}` : undefined, testId: 'worst-station' } : null,
  },
  stations_poor_or_worse: {
    label: { vi: 'Trạm từ mức Kém trở lên', en: 'Stations at Poor or worse' },
  },
} satisfies Partial<Record<KpiKey, KpiView>>
