// Hand-written inputs of the demo province, modelled on Quảng Ninh: an approximate mainland outline, two
// islands, the town coordinates of the 13 district-level localities as they stood before 2025, a few real
// wards under the four cities, the main roads as polylines through towns, and where devices cluster.
// Everything here is approximate (~1 km); generate.ts turns it into units, stations and cameras.
//
// Since 1 July 2025 the real province is two-tier (province → commune/ward; Vân Đồn and Cô Tô became
// special zones, "đặc khu"). The demo keeps the older localities on purpose: a tree where some branches are
// three deep and others two shows that units are a tree of any depth. A city loads its own boundaries
// (npm run db:load -- units file.geojson) instead of these.

import type { Position } from '../../contract/index.ts'

export const PROVINCE = { id: 'QN', name: 'Tỉnh Quảng Ninh', level: 'tỉnh' } as const

/**
 * Mainland outline, counter-clockwise from the Hải Dương border in the west: along the Đá Bạch and Bạch Đằng
 * rivers (Hải Phòng) and the Hạ Long Bay / Bái Tử Long / Gulf of Tonkin coast to Trà Cổ, back west along the
 * China border (Ka Long river, Hải Hà, Bình Liêu), then south-west along Lạng Sơn and Bắc Giang (the Yên Tử
 * range). Bays, estuaries and the hundreds of small islands are smoothed away.
 */
export const MAINLAND: Position[] = [
  [106.43, 21.1], // west tip, Hải Dương border (Chí Linh / Kinh Môn)
  [106.46, 21.04],
  [106.53, 21.01], // Đá Bạch river, Hải Phòng opposite
  [106.62, 21.0],
  [106.7, 20.99],
  [106.76, 20.96],
  [106.78, 20.89], // Bạch Đằng river
  [106.82, 20.83], // Bạch Đằng estuary
  [106.87, 20.82],
  [106.9, 20.87],
  [106.94, 20.91],
  [106.97, 20.91], // Tuần Châu
  [107.0, 20.905],
  [107.02, 20.94], // Bãi Cháy
  [107.06, 20.945], // Cửa Lục strait, smoothed
  [107.1, 20.94], // Hồng Gai
  [107.16, 20.955], // Hà Tu
  [107.22, 20.985], // Quang Hanh
  [107.3, 20.995], // Cẩm Phả
  [107.365, 21.02], // Cửa Ông
  [107.37, 21.07], // channel west of Cái Bầu
  [107.38, 21.13],
  [107.405, 21.175],
  [107.47, 21.215], // Tiên Yên coast (Đông Ngũ, Đồng Rui)
  [107.55, 21.26],
  [107.63, 21.31], // Đầm Hà coast
  [107.72, 21.37], // Hải Hà coast
  [107.8, 21.41],
  [107.88, 21.45],
  [107.96, 21.47], // Móng Cái coast
  [108.0, 21.44], // Trà Cổ
  [108.05, 21.46], // Mũi Sa Vĩ
  [108.05, 21.5],
  [108.0, 21.53], // Ka Long river mouth, China border from here
  [107.96, 21.545], // Móng Cái / Dongxing
  [107.9, 21.56],
  [107.83, 21.6],
  [107.76, 21.64], // Bắc Phong Sinh
  [107.68, 21.66],
  [107.58, 21.66], // Hoành Mô
  [107.48, 21.67],
  [107.4, 21.62],
  [107.33, 21.57], // Lạng Sơn border from here
  [107.3, 21.5],
  [107.25, 21.45],
  [107.18, 21.4],
  [107.1, 21.36],
  [107.02, 21.3], // Bắc Giang border (Sơn Động) from here
  [106.96, 21.24],
  [106.9, 21.19],
  [106.8, 21.17],
  [106.72, 21.17], // Yên Tử range
  [106.62, 21.15],
  [106.52, 21.17],
  [106.46, 21.14],
]

export type IslandKey = 'caiBau' | 'coTo'

export const ISLANDS: Record<IslandKey, { name: string; outline: Position[] }> = {
  caiBau: {
    name: 'Đảo Cái Bầu',
    outline: [
      [107.39, 21.04],
      [107.43, 21.02],
      [107.48, 21.03],
      [107.53, 21.06],
      [107.55, 21.1],
      [107.53, 21.14],
      [107.49, 21.16],
      [107.44, 21.155],
      [107.4, 21.12],
      [107.385, 21.08],
    ],
  },
  coTo: {
    name: 'Đảo Cô Tô',
    outline: [
      [107.735, 20.975],
      [107.75, 20.955],
      [107.775, 20.95],
      [107.792, 20.965],
      [107.788, 20.992],
      [107.77, 21.01],
      [107.748, 21.003],
    ],
  },
}

export interface WardInput {
  /** Last segment of the unit id: `QN-HL-BC`. */
  code: string
  /** The proper name without the level word; user-facing names are `${level} ${name}`. */
  name: string
  level: 'phường' | 'xã'
  lon: number
  lat: number
}

export interface LocalityInput {
  code: string
  name: string
  level: 'thành phố' | 'thị xã' | 'huyện' | 'đặc khu'
  /** Town centre (UBND / hành chính công); the Voronoi seed of its cell. */
  lon: number
  lat: number
  /** Localities made of one island take it whole instead of a mainland Voronoi cell. */
  island?: IslandKey
  wards?: WardInput[]
  /** Environment stations placed in this locality; the big towns get more. */
  stations: number
}

// Town coordinates from public maps, ~1 km. The 2019 merger of Hoành Bồ into Hạ Long is reflected (Hoành Bồ
// is a ward of Hạ Long); Móng Cái 1–3 are the post-2025 ward names, placed roughly (centre, Trà Cổ, Hải Yên).
export const LOCALITIES: LocalityInput[] = [
  {
    code: 'HL', name: 'Hạ Long', level: 'thành phố', lon: 107.08, lat: 20.955, stations: 30,
    wards: [
      { code: 'HG', name: 'Hồng Gai', level: 'phường', lon: 107.082, lat: 20.953 },
      { code: 'BC', name: 'Bãi Cháy', level: 'phường', lon: 107.045, lat: 20.958 },
      { code: 'HT', name: 'Hà Tu', level: 'phường', lon: 107.14, lat: 20.972 },
      { code: 'HB', name: 'Hoành Bồ', level: 'phường', lon: 106.993, lat: 21.027 },
      { code: 'TC', name: 'Tuần Châu', level: 'phường', lon: 106.985, lat: 20.923 },
    ],
  },
  {
    code: 'CP', name: 'Cẩm Phả', level: 'thành phố', lon: 107.293, lat: 21.013, stations: 20,
    wards: [
      { code: 'CP', name: 'Cẩm Phả', level: 'phường', lon: 107.293, lat: 21.013 },
      { code: 'QH', name: 'Quang Hanh', level: 'phường', lon: 107.23, lat: 21.002 },
      { code: 'CO', name: 'Cửa Ông', level: 'phường', lon: 107.352, lat: 21.03 },
      { code: 'MD', name: 'Mông Dương', level: 'phường', lon: 107.335, lat: 21.068 },
    ],
  },
  {
    code: 'UB', name: 'Uông Bí', level: 'thành phố', lon: 106.775, lat: 21.036, stations: 14,
    wards: [
      { code: 'UB', name: 'Uông Bí', level: 'phường', lon: 106.775, lat: 21.036 },
      { code: 'VD', name: 'Vàng Danh', level: 'phường', lon: 106.805, lat: 21.1 },
      { code: 'YT', name: 'Yên Tử', level: 'phường', lon: 106.73, lat: 21.125 },
    ],
  },
  {
    code: 'MC', name: 'Móng Cái', level: 'thành phố', lon: 107.966, lat: 21.525, stations: 12,
    wards: [
      { code: '1', name: 'Móng Cái 1', level: 'phường', lon: 107.966, lat: 21.525 },
      { code: '2', name: 'Móng Cái 2', level: 'phường', lon: 108.02, lat: 21.47 },
      { code: '3', name: 'Móng Cái 3', level: 'phường', lon: 107.88, lat: 21.515 },
    ],
  },
  { code: 'DT', name: 'Đông Triều', level: 'thị xã', lon: 106.512, lat: 21.083, stations: 12 },
  { code: 'QY', name: 'Quảng Yên', level: 'thị xã', lon: 106.805, lat: 20.939, stations: 12 },
  { code: 'BL', name: 'Bình Liêu', level: 'huyện', lon: 107.397, lat: 21.528, stations: 5 },
  { code: 'TY', name: 'Tiên Yên', level: 'huyện', lon: 107.398, lat: 21.331, stations: 7 },
  { code: 'DH', name: 'Đầm Hà', level: 'huyện', lon: 107.596, lat: 21.353, stations: 6 },
  { code: 'HH', name: 'Hải Hà', level: 'huyện', lon: 107.752, lat: 21.451, stations: 8 },
  { code: 'BC', name: 'Ba Chẽ', level: 'huyện', lon: 107.285, lat: 21.27, stations: 5 },
  // Island districts, special zones (đặc khu) since 2025: the level word the wall shows for them today.
  { code: 'VD', name: 'Vân Đồn', level: 'đặc khu', lon: 107.42, lat: 21.055, island: 'caiBau', stations: 7 },
  { code: 'CT', name: 'Cô Tô', level: 'đặc khu', lon: 107.765, lat: 20.98, island: 'coTo', stations: 2 },
]

export interface DepartmentInput {
  /** Last segment of the unit id: `QN-SXD`. */
  code: string
  name: string
  /** The level word users see: sở, ban, cơ quan… */
  level: string
}

/**
 * The provincial departments (sở, ban, ngành) that settle administrative procedures, as the province is
 * organised since the 2025 merger of departments (Decree 45/2025: Finance absorbed Planning and Investment,
 * Construction absorbed Transport, Agriculture and Environment merged, Home Affairs absorbed Labour, Science
 * and Technology absorbed Information and Communications; Quảng Ninh keeps a Tourism department). Also the
 * central agencies' provincial offices that appear in the province's one-stop system (police, social
 * insurance, tax, military, border guard) and the utility the centre hosts. Departments have no territory:
 * their geometry is null. Names as best known; a city loads its own list.
 */
export const DEPARTMENTS: DepartmentInput[] = [
  { code: 'SNV', name: 'Sở Nội vụ', level: 'sở' },
  { code: 'STP', name: 'Sở Tư pháp', level: 'sở' },
  { code: 'STC', name: 'Sở Tài chính', level: 'sở' },
  { code: 'SCT', name: 'Sở Công Thương', level: 'sở' },
  { code: 'SNNMT', name: 'Sở Nông nghiệp và Môi trường', level: 'sở' },
  { code: 'SXD', name: 'Sở Xây dựng', level: 'sở' },
  { code: 'SKHCN', name: 'Sở Khoa học và Công nghệ', level: 'sở' },
  { code: 'SGDDT', name: 'Sở Giáo dục và Đào tạo', level: 'sở' },
  { code: 'SYT', name: 'Sở Y tế', level: 'sở' },
  { code: 'SVHTT', name: 'Sở Văn hóa và Thể thao', level: 'sở' },
  { code: 'SDL', name: 'Sở Du lịch', level: 'sở' },
  { code: 'SDTTG', name: 'Sở Dân tộc và Tôn giáo', level: 'sở' },
  { code: 'SNGV', name: 'Sở Ngoại vụ', level: 'sở' },
  { code: 'TTR', name: 'Thanh tra tỉnh', level: 'cơ quan' },
  { code: 'BQLKKT', name: 'Ban Quản lý Khu kinh tế', level: 'ban' },
  { code: 'BQLVHL', name: 'Ban Quản lý Vịnh Hạ Long', level: 'ban' },
  { code: 'VPDKDD', name: 'Văn phòng Đăng ký đất đai', level: 'đơn vị' },
  { code: 'CAT', name: 'Công an tỉnh', level: 'cơ quan' },
  { code: 'BCHQS', name: 'Bộ Chỉ huy Quân sự tỉnh', level: 'cơ quan' },
  { code: 'BDBP', name: 'Bộ Chỉ huy Bộ đội Biên phòng tỉnh', level: 'cơ quan' },
  { code: 'BHXH', name: 'Bảo hiểm xã hội tỉnh', level: 'cơ quan' },
  { code: 'THUE', name: 'Thuế tỉnh Quảng Ninh', level: 'cơ quan' },
  { code: 'KBNN', name: 'Kho bạc Nhà nước khu vực', level: 'cơ quan' },
  { code: 'HQ', name: 'Hải quan Quảng Ninh', level: 'cơ quan' },
  { code: 'CVHH', name: 'Cảng vụ Hàng hải Quảng Ninh', level: 'cơ quan' },
  { code: 'DLQN', name: 'Công ty Điện lực Quảng Ninh', level: 'đơn vị' },
  { code: 'NSQN', name: 'Công ty Cổ phần Nước sạch Quảng Ninh', level: 'đơn vị' },
]

/** Environment stations by kind; the shares follow the province's ~140 automatic stations. */
export const STATION_KIND_COUNTS = { air: 70, water: 45, noise: 25 } as const

export const PROVINCIAL_SERVICE_CENTER = {
  /** Its unit: a centre receives dossiers for the departments (one-stop, "một cửa"). */
  code: 'TTPVHCC',
  name: 'Trung tâm Phục vụ hành chính công tỉnh',
  // Liên cơ quan số 3, Hồng Hà ward, beside the provincial administrative centre
  lon: 107.105,
  lat: 20.957,
  cameras: 4,
}

export const TOTAL_CAMERAS = 60

export interface RoadInput {
  /** The camera site: KPIs are summed per road. */
  name: string
  /** Share of the road cameras. */
  weight: number
  /** A polyline through towns; only its on-land stretches get cameras. */
  path: Position[]
}

export const ROADS: RoadInput[] = [
  {
    name: 'QL18',
    weight: 14,
    path: [
      [106.512, 21.083], // Đông Triều
      [106.6, 21.06], // Mạo Khê
      [106.775, 21.036], // Uông Bí
      [106.9, 21.0],
      [107.045, 20.958], // Bãi Cháy
      [107.082, 20.953], // Hồng Gai
      [107.14, 20.972], // Hà Tu
      [107.23, 21.002], // Quang Hanh
      [107.293, 21.013], // Cẩm Phả
      [107.352, 21.03], // Cửa Ông
      [107.335, 21.068], // Mông Dương
      [107.37, 21.2],
      [107.398, 21.331], // Tiên Yên
      [107.596, 21.353], // Đầm Hà
      [107.752, 21.451], // Hải Hà
      [107.86, 21.49],
      [107.966, 21.525], // Móng Cái
    ],
  },
  {
    name: 'Cao tốc Hạ Long – Vân Đồn – Móng Cái',
    weight: 8,
    path: [
      [107.12, 21.0],
      [107.25, 21.05],
      [107.34, 21.11],
      [107.43, 21.14], // Vân Đồn (Đoàn Kết), on Cái Bầu
      [107.455, 21.24], // back on the mainland at Tiên Yên
      [107.58, 21.38],
      [107.74, 21.48],
      [107.93, 21.535], // Móng Cái (Hải Yên)
    ],
  },
  {
    name: 'Cao tốc Hạ Long – Hải Phòng',
    weight: 4,
    path: [
      [107.02, 20.975],
      [106.95, 20.95],
      [106.87, 20.9], // Quảng Yên
      [106.82, 20.86], // towards the Bạch Đằng bridge
    ],
  },
  {
    name: 'QL4B',
    weight: 3,
    path: [
      [107.398, 21.331], // Tiên Yên
      [107.34, 21.39],
      [107.29, 21.445], // towards Đình Lập (Lạng Sơn)
    ],
  },
  {
    name: 'QL18C',
    weight: 4,
    path: [
      [107.398, 21.331], // Tiên Yên
      [107.42, 21.42],
      [107.397, 21.528], // Bình Liêu
      [107.51, 21.61], // Hoành Mô border gate
    ],
  },
  {
    name: 'QL279',
    weight: 3,
    path: [
      [106.993, 21.027], // Hoành Bồ
      [107.08, 21.11],
      [107.18, 21.2],
      [107.285, 21.27], // Ba Chẽ
    ],
  },
]
