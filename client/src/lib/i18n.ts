// The wall's words in Vietnamese (default) and English, and how numbers and times are written. Every
// user-facing string goes through here; code names stay English.
import type { DeviceStatus, KpiKey, WallLanguage } from '../../../contract/index.ts'

const CATALOGUE = {
  wallTitle: { vi: 'Trung tâm điều hành thông minh', en: 'Intelligent Operations Center' },
  live: { vi: 'Trực tiếp', en: 'Live' },
  connecting: { vi: 'Đang kết nối…', en: 'Connecting…' },
  reconnecting: { vi: 'Mất kết nối – đang kết nối lại', en: 'Disconnected – reconnecting' },
  retryIn: { vi: 'thử lại sau {s} giây (lần {n})', en: 'retry in {s} s (attempt {n})' },
  dataAsOf: { vi: 'Dữ liệu lúc', en: 'Data as of' },
  degraded: { vi: 'Dữ liệu bị chậm — {reason}', en: 'Data delayed — {reason}' },
  health_database_down: { vi: 'CSDL không phản hồi', en: 'database not answering' },
  health_broker_down: { vi: 'mất kết nối MQTT', en: 'no connection to the MQTT broker' },
  health_ingest_failing: { vi: 'không ghi được dữ liệu mới', en: 'new data cannot be stored' },
  health_ingest_absent: { vi: 'không có tiến trình thu nhận dữ liệu', en: 'no ingest worker is running' },
  dataLate: { vi: 'chậm {m} phút', en: '{m} min late' },
  noData: { vi: 'Chưa có dữ liệu', en: 'No data yet' },
  kpi_stations_reporting: { vi: 'Trạm đang gửi dữ liệu', en: 'Stations reporting' },
  kpi_worst_aqi: { vi: 'VN_AQI cao nhất', en: 'Worst VN_AQI now' },
  kpi_stations_poor_or_worse: { vi: 'Trạm từ mức Kém trở lên', en: 'Stations at Poor or worse' },
  kpi_people_waiting: { vi: 'Người đang chờ tại TT hành chính công', en: 'People waiting at service centers' },
  kpi_vehicles_per_minute: { vi: 'Xe/phút trên các tuyến chính', en: 'Vehicles/min on main roads' },
  vsYesterday: { vi: 'so với cùng giờ hôm qua', en: 'vs same hour yesterday' },
  noBaseline: { vi: 'chưa có số liệu hôm qua', en: 'no data for yesterday' },
  aqiTrend: { vi: 'Diễn biến VN_AQI 24 giờ', en: 'VN_AQI, last 24 hours' },
  aqiRanking: { vi: '10 trạm có VN_AQI cao nhất', en: 'Ten worst stations by VN_AQI' },
  rankingTop: { vi: '{n} trạm có VN_AQI cao nhất', en: '{n} worst stations by VN_AQI' },
  sitesService: { vi: 'Người chờ tại các trung tâm hành chính công', en: 'People waiting per service center' },
  sitesRoad: { vi: 'Lưu lượng xe trên các tuyến', en: 'Traffic per road' },
  perMinute: { vi: 'xe/phút', en: 'veh/min' },
  people: { vi: 'người', en: 'people' },
  map: { vi: 'Bản đồ tỉnh', en: 'Province map' },
  legendAqi: { vi: 'VN_AQI', en: 'VN_AQI' },
  legendStale: { vi: 'Chậm gửi', en: 'Late' },
  legendOffline: { vi: 'Mất tín hiệu', en: 'Offline' },
  legendPending: { vi: 'Chưa đủ số liệu tính AQI', en: 'AQI pending' },
  legendWater: { vi: 'Trạm nước', en: 'Water station' },
  legendNoise: { vi: 'Trạm tiếng ồn', en: 'Noise station' },
  legendServiceCamera: { vi: 'Camera TT hành chính công', en: 'Service center camera' },
  legendRoadCamera: { vi: 'Camera giao thông', en: 'Road camera' },
  status_online: { vi: 'Đang hoạt động', en: 'Online' },
  status_stale: { vi: 'Chậm gửi dữ liệu', en: 'Late' },
  status_offline: { vi: 'Mất tín hiệu', en: 'Offline' },
  lastSeen: { vi: 'Cập nhật', en: 'Last seen' },
  never: { vi: 'chưa từng', en: 'never' },
  inside: { vi: 'Đang ở trong', en: 'Inside now' },
  arrivals: { vi: 'Đến trong 1 giờ', en: 'Arrivals, last hour' },
  capacity: { vi: 'Sức chứa', en: 'Capacity' },
  vehicles: { vi: 'Lưu lượng', en: 'Traffic' },
  dominant: { vi: 'chất chính', en: 'dominant' },
  alertsNone: { vi: 'Không có cảnh báo mới', en: 'No new alerts' },
  alertAqi: { vi: '{station} ({unit}): VN_AQI {value} – chuyển sang mức {band}', en: '{station} ({unit}): VN_AQI {value} – now {band}' },
  alertOffline: { vi: '{name} ({unit}): mất tín hiệu', en: '{name} ({unit}): went offline' },
  alertCrowd: { vi: '{site}: {people} người đang chờ ({pct}% sức chứa)', en: '{site}: {people} people waiting ({pct}% of capacity)' },
  problemsTitle: { vi: 'Lỗi trong tệp cấu hình màn hình', en: 'Errors in dashboard files' },
  keptPrevious: { vi: 'đang hiển thị phiên bản hợp lệ trước đó', en: 'showing the last valid version' },
  unknownDashboard: { vi: 'Không có màn hình "{id}"; đang hiển thị "{shown}"', en: 'No dashboard "{id}"; showing "{shown}"' },
  unknownScreen: { vi: 'Không có trang "{id}"; đang xoay vòng các trang', en: 'No screen "{id}"; rotating all screens' },
  unknownStation: { vi: 'Không có trạm "{id}"', en: 'No station "{id}"' },
  loading: { vi: 'Đang tải…', en: 'Loading…' },
  loadFailed: { vi: 'Không tải được dữ liệu, đang thử lại', en: 'Could not load data, retrying' },
  noAqi: { vi: 'Chưa có VN_AQI', en: 'No VN_AQI yet' },
  language: { vi: 'EN', en: 'VI' },
} as const satisfies Record<string, Record<WallLanguage, string>>

export type MessageKey = keyof typeof CATALOGUE

export function t(lang: WallLanguage, key: MessageKey, params: Record<string, string | number> = {}): string {
  return CATALOGUE[key][lang].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`))
}

export function kpiLabel(lang: WallLanguage, key: KpiKey): string {
  return t(lang, `kpi_${key}`)
}

export function statusLabel(lang: WallLanguage, status: DeviceStatus): string {
  return t(lang, `status_${status}`)
}

/** The wall shows the province's time whatever the browser's zone. */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh'

const LOCALES: Record<WallLanguage, string> = { vi: 'vi-VN', en: 'en-GB' }
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>()
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = formatters.get(key)
  if (!f) formatters.set(key, (f = make()))
  return f as T
}

export function formatTime(lang: WallLanguage, ms: number, seconds = true): string {
  return cached(`t${lang}${seconds}`, () =>
    new Intl.DateTimeFormat(LOCALES[lang], { hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}), hour12: false, timeZone: TIME_ZONE }),
  ).format(ms)
}

export function formatDate(lang: WallLanguage, ms: number): string {
  return cached(`d${lang}`, () => new Intl.DateTimeFormat(LOCALES[lang], { weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric', timeZone: TIME_ZONE })).format(ms)
}

export function formatNumber(lang: WallLanguage, n: number, digits = 0): string {
  return cached(`n${lang}${digits}`, () => new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: digits, minimumFractionDigits: digits })).format(n)
}

export function formatPercent(lang: WallLanguage, share: number): string {
  return cached(`p${lang}`, () => new Intl.NumberFormat(LOCALES[lang], { style: 'percent', maximumFractionDigits: 0 })).format(share)
}

/** "5 phút trước" / "5 min ago", for last-seen times on cards. */
export function formatAgo(lang: WallLanguage, ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000))
  if (s < 60) return lang === 'vi' ? `${s} giây trước` : `${s} s ago`
  const m = Math.round(s / 60)
  if (m < 120) return lang === 'vi' ? `${m} phút trước` : `${m} min ago`
  const h = Math.round(m / 60)
  return lang === 'vi' ? `${h} giờ trước` : `${h} h ago`
}

/** Device names repeat their kind ("Trạm quan trắc không khí Đông Triều 4"); lists on the wall show the distinctive part. */
export function shortDeviceName(name: string): string {
  const short = name.replace(/^(Trạm quan trắc (không khí|nước mặt|nước|tiếng ồn|môi trường)?|Camera)\s+/iu, '')
  return short.length >= 3 ? short : name
}
