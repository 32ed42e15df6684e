// The environment's words on the wall, in Vietnamese and English (see shared/i18n.ts); its `t` also reads the frame's words.
import { WALL_WORDS, translator } from '../shared/i18n.ts'

export const t = translator({
  ...WALL_WORDS,
  aqiTrend: { vi: 'Diễn biến VN_AQI 24 giờ', en: 'VN_AQI, last 24 hours' },
  aqiRanking: { vi: '10 trạm có VN_AQI cao nhất', en: 'Ten worst stations by VN_AQI' },
  rankingTop: { vi: '{n} trạm có VN_AQI cao nhất', en: '{n} worst stations by VN_AQI' },
  legendAqi: { vi: 'VN_AQI', en: 'VN_AQI' },
  legendPending: { vi: 'Chưa đủ số liệu tính AQI', en: 'AQI pending' },
  legendWater: { vi: 'Trạm nước', en: 'Water station' },
  legendNoise: { vi: 'Trạm tiếng ồn', en: 'Noise station' },
  dominant: { vi: 'chất chính', en: 'dominant' },
  alertAqi: { vi: '{station} ({unit}): VN_AQI {value} – chuyển sang mức {band}', en: '{station} ({unit}): VN_AQI {value} – now {band}' },
  unknownStation: { vi: 'Không có trạm "{id}"', en: 'No station "{id}"' },
  noAqi: { vi: 'Chưa có VN_AQI', en: 'No VN_AQI yet' },
})
