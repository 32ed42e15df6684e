// The environment's alerts: a station whose VN_AQI moves into a worse band that is the dashboard's band or
// worse (Xấu or worse is critical). Pure over the stations' states; see shared/alerts.ts.
import { AQI_BANDS, bandRank, type AqiBandKey, type StationSummary } from '../../../contract/index.ts'
import type { AlertDetector, WallAlert } from '../shared/alerts.ts'
import { bandLabel } from './bands.ts'
import { t } from './i18n.ts'

type StationLike = Pick<StationSummary, 'id' | 'name' | 'unitName' | 'status' | 'aqi'>

export const aqiAlerts: AlertDetector<StationLike> = () => {
  const bands = new Map<string, AqiBandKey | null>()
  let learning = true
  return (stations, rules, now) => {
    const out: WallAlert[] = []
    const minRank = bandRank(rules.aqiBand)
    for (const s of stations) {
      const band = s.aqi && s.status !== 'offline' ? s.aqi.band : null
      const before = bands.get(s.id)
      bands.set(s.id, band)
      if (learning || band === null || before === undefined) continue
      const rank = bandRank(band)
      if (rank >= minRank && (before === null || rank > bandRank(before))) {
        const params = { station: s.name, unit: s.unitName ?? '–', value: s.aqi!.value, band }
        out.push({
          key: `aqi:${s.id}:${band}:${now}`,
          kind: 'aqi',
          at: now,
          severity: rank >= bandRank('bad') ? 2 : 1,
          swatch: AQI_BANDS.find((b) => b.key === band)!.hex,
          params,
          text: (lang) => t(lang, 'alertAqi', { ...params, band: bandLabel(band, lang) }),
        })
      }
    }
    learning = false
    return out
  }
}
