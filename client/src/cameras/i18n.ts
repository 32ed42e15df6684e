// The counter cameras' words on the wall, in Vietnamese and English (see shared/i18n.ts); its `t` also reads the frame's words.
import { WALL_WORDS, translator } from '../shared/i18n.ts'

export const t = translator({
  ...WALL_WORDS,
  sitesService: { vi: 'Người chờ tại các trung tâm hành chính công', en: 'People waiting per service center' },
  sitesRoad: { vi: 'Lưu lượng xe trên các tuyến', en: 'Traffic per road' },
  perMinute: { vi: 'xe/phút', en: 'veh/min' },
  people: { vi: 'người', en: 'people' },
  legendServiceCamera: { vi: 'Camera TT hành chính công', en: 'Service center camera' },
  legendRoadCamera: { vi: 'Camera giao thông', en: 'Road camera' },
  inside: { vi: 'Đang ở trong', en: 'Inside now' },
  arrivals: { vi: 'Đến trong 1 giờ', en: 'Arrivals, last hour' },
  capacity: { vi: 'Sức chứa', en: 'Capacity' },
  vehicles: { vi: 'Lưu lượng', en: 'Traffic' },
  alertCrowd: { vi: '{site}: {people} người đang chờ ({pct}% sức chứa)', en: '{site}: {people} people waiting ({pct}% of capacity)' },
})
