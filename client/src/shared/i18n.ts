// The wall's words in Vietnamese (default) and English, and how numbers and times are written. Every
// user-facing string goes through a catalogue: this one for the wall's frame, and one per domain
// (environment/i18n.ts, cameras/i18n.ts) for its widgets, legends, cards and alerts. Code names stay English.
import type { DeviceStatus, WallLanguage } from '../../../contract/index.ts'

export type Catalogue = Record<string, Record<WallLanguage, string>>
export type Translate<C extends Catalogue> = (lang: WallLanguage, key: keyof C & string, params?: Record<string, string | number>) => string

/** The translate function of a catalogue: `{name}` placeholders filled from params. */
export function translator<const C extends Catalogue>(catalogue: C): Translate<C> {
  return (lang, key, params = {}) => catalogue[key]![lang].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`))
}

/** The frame's words; a domain's catalogue extends them, so its `t` reads both. */
export const WALL_WORDS = {
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
  vsYesterday: { vi: 'so với cùng giờ hôm qua', en: 'vs same hour yesterday' },
  noBaseline: { vi: 'chưa có số liệu hôm qua', en: 'no data for yesterday' },
  map: { vi: 'Bản đồ tỉnh', en: 'Province map' },
  legendStale: { vi: 'Chậm gửi', en: 'Late' },
  legendOffline: { vi: 'Mất tín hiệu', en: 'Offline' },
  status_online: { vi: 'Đang hoạt động', en: 'Online' },
  status_stale: { vi: 'Chậm gửi dữ liệu', en: 'Late' },
  status_offline: { vi: 'Mất tín hiệu', en: 'Offline' },
  lastSeen: { vi: 'Cập nhật', en: 'Last seen' },
  never: { vi: 'chưa từng', en: 'never' },
  alertsNone: { vi: 'Không có cảnh báo mới', en: 'No new alerts' },
  alertOffline: { vi: '{name} ({unit}): mất tín hiệu', en: '{name} ({unit}): went offline' },
  problemsTitle: { vi: 'Lỗi trong tệp cấu hình màn hình', en: 'Errors in dashboard files' },
  keptPrevious: { vi: 'đang hiển thị phiên bản hợp lệ trước đó', en: 'showing the last valid version' },
  unknownDashboard: { vi: 'Không có màn hình "{id}"; đang hiển thị "{shown}"', en: 'No dashboard "{id}"; showing "{shown}"' },
  unknownScreen: { vi: 'Không có trang "{id}"; đang xoay vòng các trang', en: 'No screen "{id}"; rotating all screens' },
  loading: { vi: 'Đang tải…', en: 'Loading…' },
  loadFailed: { vi: 'Không tải được dữ liệu, đang thử lại', en: 'Could not load data, retrying' },
  language: { vi: 'EN', en: 'VI' },
} as const satisfies Catalogue

export const t = translator(WALL_WORDS)

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
