// How the counter cameras' KPI tiles read: people waiting at the service centers, and vehicles per minute on
// the main roads (one decimal below 100).
import type { KpiKey } from '../../../contract/index.ts'
import type { KpiView } from '../shared/domain.ts'
import { formatNumber } from '../shared/i18n.ts'

export const CAMERA_KPI_VIEWS = {
  people_waiting: {
    label: { vi: 'Người đang chờ tại TT hành chính công', en: 'People waiting at service centers' },
  },
  vehicles_per_minute: {
    label: { vi: 'Xe/phút trên các tuyến chính', en: 'Vehicles/min on main roads' },
    text: (_k, value, lang) => formatNumber(lang, value, value < 100 ? 1 : 0),
    digits: 1,
  },
} satisfies Partial<Record<KpiKey, KpiView>>
