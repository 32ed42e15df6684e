// The citizen-report model: what citizens report on a day, and how the IOC's dispatchers and the agencies
// behave. Citizens send ~SIM_REPORTS_PER_DAY reports a day (20–60 on an ordinary day; a storm day, one in
// about twenty, brings ten times as many, mostly fallen trees, flooding and power cuts), more by day than at
// night, from points on land inside the demo's localities. Agencies differ: each has its own share of reports
// handled on time (50–97 %), and some return a report or ask for more time. Citizens rate most answers.
//
// Deterministic: day n's reports come from a PRNG seeded with (seed, n), and a report's fate from its own id,
// so a restart agrees with what the last run published and decided. Pure: units and categories are parameters.

import { pointInGeometry, vnDayNumber, vnMidnight, type ReportCategory, type Unit, type UnitGeometry } from '../contract/index.ts'
import { geometryBBox } from '../contract/shared/geo.ts'
import { hash32, hashString, mulberry32, poisson, unitHash, type Rng } from './random.ts'

export interface SimReport {
  externalId: string
  ts: number
  categoryCode: string
  lat: number
  lon: number
  description: string
  phone: string
  /** Pushed by the call centre over MQTT, or sent by the citizen app through Open311 (which can rate later). */
  via: 'mqtt' | 'open311'
}

export interface ReportModelOptions {
  seed: number
  units: readonly Unit[]
  categories: readonly ReportCategory[]
  /** Mean reports a day on an ordinary day. */
  perDay: number
}

/** What a category's reports say (a few phrasings each, with a place filled in). */
const PHRASES: Record<string, string[]> = {
  'env-waste': ['Rác thải tồn đọng nhiều ngày, bốc mùi hôi', 'Có người đổ trộm phế thải xây dựng ra lề đường', 'Thùng rác công cộng bị vỡ, rác tràn ra đường'],
  'env-pollution': ['Khói bụi từ xưởng sản xuất gây ô nhiễm khu dân cư', 'Nước thải màu đen chảy ra suối', 'Tiếng ồn karaoke kéo dài sau 22 giờ'],
  'traffic-road': ['Ổ gà lớn giữa đường, nguy hiểm cho xe máy', 'Vỉa hè bị sụt lún, hở cống', 'Biển báo giao thông bị gãy đổ'],
  'traffic-danger': ['Cây đổ chắn ngang đường sau mưa lớn', 'Hố sâu không có rào chắn trên đường', 'Đèn tín hiệu giao thông tại ngã tư bị hỏng'],
  'traffic-order': ['Xe tải đỗ chiếm lòng đường giờ cao điểm', 'Nhóm thanh niên đua xe lúc nửa đêm', 'Xe quá tải chạy vào đường dân sinh'],
  'urban-order': ['Hàng quán lấn chiếm toàn bộ vỉa hè', 'Biển quảng cáo dựng trái phép che khuất tầm nhìn', 'Buôn bán dưới lòng đường gây ùn tắc'],
  construction: ['Công trình xây dựng không có giấy phép', 'Nhà dân xây lấn ra đất công', 'Công trường không che chắn, vật liệu rơi xuống đường'],
  lighting: ['Cả dãy đèn đường không sáng nhiều đêm', 'Cây xanh mục gốc có nguy cơ đổ', 'Cành cây vướng vào đường dây điện chiếu sáng'],
  power: ['Mất điện cả khu phố từ sáng', 'Dây điện bị đứt rơi xuống vỉa hè', 'Cột điện bị nghiêng sau bão'],
  water: ['Mất nước sinh hoạt hai ngày nay', 'Vỡ đường ống nước, nước tràn ra đường', 'Ngập úng sâu sau mưa, cống thoát nước bị tắc'],
  health: ['Cơ sở bán thực phẩm không rõ nguồn gốc', 'Nhiều ca sốt xuất huyết trong tổ dân phố', 'Phòng khám tư hoạt động không có biển hiệu'],
  security: ['Nhóm người tụ tập gây rối trật tự ban đêm', 'Nghi vấn trộm cắp xe máy trong khu dân cư', 'Đánh nhau tại quán nhậu'],
  tourism: ['Nhà hàng chặt chém du khách', 'Người chèo kéo khách du lịch tại bến tàu', 'Tàu du lịch không có áo phao cho khách'],
  'admin-service': ['Hồ sơ nộp quá hạn chưa có kết quả, không được thông báo', 'Cán bộ một cửa hướng dẫn không rõ ràng', 'Phải đi lại nhiều lần để bổ sung giấy tờ'],
  other: ['Đề nghị lắp thêm ghế đá công viên', 'Chó thả rông không rọ mõm', 'Đề nghị mở thêm tuyến xe buýt'],
}

/** How often each category comes on an ordinary day, and on a storm day. */
const WEIGHTS: Record<string, [number, number]> = {
  'env-waste': [14, 4],
  'env-pollution': [6, 1],
  'traffic-road': [12, 4],
  'traffic-danger': [5, 20],
  'traffic-order': [8, 1],
  'urban-order': [14, 1],
  construction: [7, 1],
  lighting: [7, 12],
  power: [6, 25],
  water: [8, 25],
  health: [3, 1],
  security: [4, 1],
  tourism: [3, 0],
  'admin-service': [5, 0],
  other: [4, 2],
}

/** Hours of the day citizens report in (Vietnam time), weighted: more by day, a few at night. */
const HOUR_WEIGHTS = [1, 0.5, 0.3, 0.3, 0.5, 1, 3, 6, 8, 8, 7, 6, 5, 6, 7, 7, 7, 6, 5, 5, 4, 3, 2, 1.5]

export function isStormDay(seed: number, day: number): boolean {
  return unitHash(seed, day, 0x5707) < 0.05
}

export interface ReportModel {
  /** The reports of Vietnam day `n`, in time order. */
  day(n: number): SimReport[]
  /** Reports made in [from, to), in time order. */
  between(from: number, to: number): SimReport[]
}

export function createReportModel(o: ReportModelOptions): ReportModel {
  const categories = o.categories.filter((c) => WEIGHTS[c.code] || PHRASES[c.code])
  const places = o.units
    .filter((u): u is Unit & { geometry: UnitGeometry } => u.type === 'locality' && u.geometry !== null)
    .map((u) => ({ unit: u, box: geometryBBox(u.geometry) }))
  const cache = new Map<number, SimReport[]>()

  function pick<T>(rng: Rng, items: readonly T[], weight: (t: T) => number): T {
    const total = items.reduce((s, t) => s + weight(t), 0)
    let x = rng() * total
    for (const t of items) if ((x -= weight(t)) < 0) return t
    return items.at(-1)!
  }

  function pointIn(rng: Rng, place: (typeof places)[number]): [number, number] | null {
    const [w, s, e, n] = place.box
    for (let i = 0; i < 40; i++) {
      const p: [number, number] = [w + rng() * (e - w), s + rng() * (n - s)]
      if (pointInGeometry(p, place.unit.geometry)) return p
    }
    return null
  }

  function day(n: number): SimReport[] {
    const hit = cache.get(n)
    if (hit) return hit
    const rng = mulberry32(hash32(o.seed, n, 0x4e9a))
    const storm = isStormDay(o.seed, n)
    // 20–60 a day around the mean, ten times as many on a storm day
    const mean = o.perDay * (0.5 + rng()) * (storm ? 10 : 1)
    const count = poisson(rng, mean)
    const out: SimReport[] = []
    for (let i = 0; i < count && places.length && categories.length; i++) {
      const category = pick(rng, categories, (c) => (WEIGHTS[c.code] ?? [1, 1])[storm ? 1 : 0])
      const place = pick(rng, places, () => 1)
      const point = pointIn(rng, place)
      if (!point) continue
      const hour = pick(rng, HOUR_WEIGHTS.map((w, h) => ({ w, h })), (x) => x.w).h
      const ts = vnMidnight(n) + hour * 3_600_000 + Math.floor(rng() * 3_600_000)
      const phrases = PHRASES[category.code] ?? ['Phản ánh của người dân']
      out.push({
        externalId: `SIM-${n}-${i}`,
        ts,
        categoryCode: category.code,
        lat: Math.round(point[1] * 1e6) / 1e6,
        lon: Math.round(point[0] * 1e6) / 1e6,
        description: `${phrases[Math.floor(rng() * phrases.length)]} (${place.unit.name}).`,
        phone: `09${String(Math.floor(rng() * 1e8)).padStart(8, '0')}`,
        via: rng() < 0.5 ? 'mqtt' : 'open311',
      })
    }
    out.sort((a, b) => a.ts - b.ts)
    cache.set(n, out)
    if (cache.size > 8) cache.delete(cache.keys().next().value!)
    return out
  }

  return {
    day,
    between(from, to) {
      const out: SimReport[] = []
      for (let n = vnDayNumber(from); vnMidnight(n) < to; n++) for (const r of day(n)) if (r.ts >= from && r.ts < to) out.push(r)
      return out
    },
  }
}

/** How an agency works: its share on time (50–97 %), how often it returns a report or asks for more time. */
export interface AgencyProfile {
  onTime: number
  returns: number
  extensions: number
}

export function agencyProfile(seed: number, agencyId: string): AgencyProfile {
  const h = (k: number) => unitHash(seed, hashString(agencyId), k)
  return { onTime: 0.5 + 0.47 * Math.sqrt(h(1)), returns: 0.02 + 0.05 * h(2), extensions: 0.03 + 0.07 * h(3) }
}

/** Where a report's life goes, decided once from its id so a restart decides the same. */
export interface ReportFate {
  /** Fraction of the phase's span at which the next step happens (> 1: late). */
  acceptAt: number
  resolveAt: number
  /** Minutes a dispatcher takes to act on a new, returned or resolved report, or an extension request. */
  dispatchMinutes: number
  returned: boolean
  extension: boolean
  approveExtension: boolean
  spam: boolean
  mergeDuplicate: boolean
  rated: boolean
  satisfied: boolean
}

export function reportFate(seed: number, id: string, profile: AgencyProfile): ReportFate {
  const rng = mulberry32(hash32(seed, hashString(id), 0xfa7e))
  const onTime = rng() < profile.onTime
  return {
    acceptAt: onTime || rng() < 0.5 ? 0.05 + 0.6 * rng() : 1.05 + 0.5 * rng(),
    resolveAt: onTime ? 0.15 + 0.8 * rng() : 1.05 + 0.8 * rng(),
    dispatchMinutes: 2 + 25 * rng(),
    returned: rng() < profile.returns,
    extension: rng() < profile.extensions,
    approveExtension: rng() < 0.8,
    spam: rng() < 0.02,
    mergeDuplicate: rng() < 0.6,
    rated: rng() < 0.8,
    satisfied: rng() < 0.88,
  }
}

