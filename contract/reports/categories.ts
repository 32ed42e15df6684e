// Report categories (lĩnh vực phản ánh) with their priority level, and the demo province's routing rules.
// The priority decides the SLA (contract/reports/sla.ts): urgent reports (a live cable down, a burst main, a
// blocked road) are resolved within working hours, complex ones (land, construction order) in twice the normal
// time. A province loads its own lists; these follow the categories Hue-S, iHanoi and Đà Nẵng 1022 publish.

import type { PriorityLevel } from './sla.ts'
import type { RoutingRule } from './routing.ts'

export interface ReportCategory {
  code: string
  name: string
  nameEn: string
  field: string
  priority: PriorityLevel
  description: string
}

export const DEMO_REPORT_CATEGORIES: readonly ReportCategory[] = [
  { code: 'env-waste', name: 'Rác thải, vệ sinh môi trường', nameEn: 'Waste and sanitation', field: 'Môi trường', priority: 'normal', description: 'Rác thải không được thu gom, đổ trộm rác, nhà vệ sinh công cộng' },
  { code: 'env-pollution', name: 'Ô nhiễm không khí, nguồn nước, tiếng ồn', nameEn: 'Air, water or noise pollution', field: 'Môi trường', priority: 'complex', description: 'Khói bụi, mùi hôi, xả thải, tiếng ồn kéo dài' },
  { code: 'traffic-road', name: 'Hư hỏng đường, vỉa hè, cầu', nameEn: 'Damaged road, pavement or bridge', field: 'Giao thông', priority: 'normal', description: 'Ổ gà, sụt lún, vỉa hè hỏng, biển báo mất' },
  { code: 'traffic-danger', name: 'Nguy hiểm giao thông khẩn cấp', nameEn: 'Urgent traffic hazard', field: 'Giao thông', priority: 'urgent', description: 'Cây đổ chắn đường, hố sâu không rào chắn, đèn tín hiệu hỏng' },
  { code: 'traffic-order', name: 'Trật tự an toàn giao thông', nameEn: 'Traffic order', field: 'Giao thông', priority: 'normal', description: 'Đỗ xe sai quy định, đua xe, xe quá tải' },
  { code: 'urban-order', name: 'Trật tự đô thị, lấn chiếm lòng lề đường', nameEn: 'Urban order and encroachment', field: 'Trật tự đô thị', priority: 'normal', description: 'Lấn chiếm vỉa hè, quảng cáo sai phép, buôn bán lòng đường' },
  { code: 'construction', name: 'Trật tự xây dựng, đất đai', nameEn: 'Construction and land order', field: 'Xây dựng, đất đai', priority: 'complex', description: 'Xây dựng không phép, sai phép, lấn chiếm đất công' },
  { code: 'lighting', name: 'Chiếu sáng công cộng, cây xanh', nameEn: 'Street lighting and trees', field: 'Hạ tầng đô thị', priority: 'normal', description: 'Đèn đường hỏng, cây xanh nguy hiểm cần cắt tỉa' },
  { code: 'power', name: 'Sự cố điện', nameEn: 'Power fault', field: 'Điện', priority: 'urgent', description: 'Mất điện, dây điện đứt, cột điện nghiêng' },
  { code: 'water', name: 'Cấp nước, thoát nước', nameEn: 'Water supply and drainage', field: 'Nước', priority: 'urgent', description: 'Mất nước, vỡ đường ống, ngập úng, cống tắc' },
  { code: 'health', name: 'Y tế, an toàn thực phẩm', nameEn: 'Health and food safety', field: 'Y tế', priority: 'normal', description: 'Cơ sở y tế, dịch bệnh, vệ sinh an toàn thực phẩm' },
  { code: 'security', name: 'An ninh trật tự', nameEn: 'Public security', field: 'An ninh', priority: 'urgent', description: 'Gây rối, tụ tập đông người, nghi vấn tội phạm' },
  { code: 'tourism', name: 'Du lịch, dịch vụ', nameEn: 'Tourism and services', field: 'Du lịch', priority: 'normal', description: 'Chặt chém du khách, chèo kéo, chất lượng dịch vụ du lịch' },
  { code: 'admin-service', name: 'Thái độ, thủ tục hành chính', nameEn: 'Public service conduct and procedures', field: 'Hành chính', priority: 'normal', description: 'Thái độ cán bộ, chậm giải quyết hồ sơ, nhũng nhiễu' },
  { code: 'other', name: 'Khác', nameEn: 'Other', field: 'Khác', priority: 'normal', description: 'Những vấn đề chưa có lĩnh vực phù hợp' },
]

/** Categories the province's departments handle wherever the report is (unit code without the province prefix). */
const PROVINCE_WIDE: Record<string, string> = {
  'env-pollution': 'SNNMT',
  'traffic-road': 'SXD',
  'traffic-danger': 'SXD',
  'traffic-order': 'CAT',
  power: 'DLQN',
  water: 'NSQN',
  health: 'SYT',
  security: 'CAT',
  tourism: 'SDL',
  'admin-service': 'SNV',
  construction: 'SXD',
}
/** Categories a locality (commune, ward, town) handles in its own area. */
const LOCAL = ['env-waste', 'urban-order', 'lighting', 'construction', 'traffic-road']

/**
 * The demo province's routing: province-wide categories to their department, local ones to the locality whose
 * area contains the point (a rule per locality for itself, so a ward's rule wins over the province's).
 */
export function demoReportRoutes(units: readonly { id: string; parentId: string | null; type: string }[]): RoutingRule[] {
  const root = units.find((u) => u.parentId === null)
  if (!root) return []
  const ids = new Set(units.map((u) => u.id))
  const rules: RoutingRule[] = []
  for (const [category, code] of Object.entries(PROVINCE_WIDE)) {
    const agencyId = `${root.id}-${code}`
    if (ids.has(agencyId)) rules.push({ unitId: root.id, category, agencyId })
  }
  for (const u of units) {
    if (u.type !== 'locality' && u.type !== 'area') continue
    for (const category of LOCAL) rules.push({ unitId: u.id, category, agencyId: u.id })
  }
  return rules
}
