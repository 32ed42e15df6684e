// The demo province: committed files match the generator, devices stand on land in the right unit,
// the unit tree is sound, and the clipping behind the generated boundaries is right.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it, expect } from 'vitest'
import {
  DEVICE_ID_PATTERN,
  bboxContainsBBox,
  createUnitLocator,
  geometryBBox,
  geometryPolygons,
  isCounterClockwise,
  isRingClosed,
  pointInGeometry,
  ringSignedArea,
  type Position,
  type Unit,
} from '../../contract/index.ts'
import { DEMO_DIR, DEMO_FILES, formatDemoFiles, readDemoFiles } from '../../db/seed/demo-files.ts'
import { generateDemoProvince } from '../../db/seed/generate.ts'
import { bisector, clipPiece, voronoiCells, type Piece } from '../../db/seed/geometry.ts'
import { generateDemoProcedures } from '../../db/seed/procedures.ts'
import { DEPARTMENTS, LOCALITIES, PROVINCIAL_SERVICE_CENTER } from '../../db/seed/province.ts'

const demo = generateDemoProvince()
const byId = new Map(demo.units.map((u) => [u.id, u]))
const root = demo.units.find((u) => u.parentId === null)!
const land = root.geometry!
/** Units with a territory: the province, its areas and localities (departments and the centre have none). */
const territorial = demo.units.filter((u) => u.geometry !== null)
const countBy = <T>(items: readonly T[], key: (t: T) => string) =>
  items.reduce<Record<string, number>>((m, t) => ((m[key(t)] = (m[key(t)] ?? 0) + 1), m), {})

describe('committed demo files', () => {
  it('equal what the generator produces now (regenerate with node --import tsx db/seed/write-demo-files.ts)', async () => {
    const expected = formatDemoFiles(demo)
    for (const key of Object.keys(DEMO_FILES) as (keyof typeof DEMO_FILES)[]) {
      expect(await readFile(join(DEMO_DIR, DEMO_FILES[key]), 'utf8'), DEMO_FILES[key]).toBe(expected[key])
    }
  })

  it('parse without a single row error into exactly the generated data', async () => {
    expect(await readDemoFiles()).toEqual(demo)
  })
})

describe('generator', () => {
  it('is deterministic for a seed', () => {
    expect(generateDemoProvince()).toEqual(demo)
  })

  it('places devices differently for another seed, with the same boundaries', () => {
    const other = generateDemoProvince(1)
    expect(other.units).toEqual(demo.units)
    expect(other.stations.map((s) => [s.lon, s.lat])).not.toEqual(demo.stations.map((s) => [s.lon, s.lat]))
  })
})

describe('unit tree', () => {
  const depth = (u: Unit): number => (u.parentId ? depth(byId.get(u.parentId)!) + 1 : 1)

  it('has one root, the province, with the 13 localities, the departments and the centre under it', () => {
    expect(demo.units.filter((u) => u.parentId === null).map((u) => u.id)).toEqual(['QN'])
    expect(demo.units.filter((u) => u.parentId === 'QN' && u.geometry !== null)).toHaveLength(LOCALITIES.length)
    expect(demo.units.filter((u) => u.parentId === 'QN')).toHaveLength(LOCALITIES.length + DEPARTMENTS.length + 1)
  })

  it('types every unit: the province, cities grouping wards as areas, wards and districts as localities', () => {
    const types = countBy(demo.units, (u) => u.type)
    expect(types).toEqual({ province: 1, area: 4, locality: 24, department: DEPARTMENTS.length, centre: 1 })
    expect(byId.get('QN')?.type).toBe('province')
    expect(byId.get('QN-HL')?.type).toBe('area')
    expect(byId.get('QN-HL-BC')?.type).toBe('locality')
    expect(byId.get('QN-TY')?.type).toBe('locality')
    for (const u of demo.units.filter((x) => x.type === 'area')) expect(demo.units.some((c) => c.parentId === u.id), u.id).toBe(true)
  })

  it('has ~28 provincial departments and the provincial centre, under the province and without a boundary', () => {
    const departments = demo.units.filter((u) => u.type === 'department')
    expect(departments.length).toBeGreaterThanOrEqual(25)
    expect(departments.length).toBeLessThanOrEqual(30)
    for (const id of ['QN-STP', 'QN-SXD', 'QN-STC', 'QN-SNNMT', 'QN-SCT', 'QN-SYT', 'QN-SGDDT', 'QN-SKHCN', 'QN-SNV', 'QN-SDTTG', 'QN-CAT', 'QN-BQLKKT']) {
      expect(byId.get(id)?.type, id).toBe('department')
    }
    expect(byId.get('QN-SXD')?.name).toBe('Sở Xây dựng')
    const centre = byId.get(`QN-${PROVINCIAL_SERVICE_CENTER.code}`)!
    expect(centre).toMatchObject({ type: 'centre', name: PROVINCIAL_SERVICE_CENTER.name, parentId: 'QN' })
    for (const u of [...departments, centre]) expect(u).toMatchObject({ parentId: 'QN', geometry: null, approximate: false })
    expect(new Set(departments.map((d) => d.name)).size).toBe(departments.length)
  })

  it('is three deep under the cities and two deep elsewhere', () => {
    const leaves = territorial.filter((u) => !demo.units.some((c) => c.parentId === u.id))
    const depths = countBy(leaves, (u) => String(depth(u)))
    expect(depths['3']).toBeGreaterThanOrEqual(10)
    expect(depths['2']).toBeGreaterThanOrEqual(5)
    expect(byId.get('QN-HL-BC')?.parentId).toBe('QN-HL')
    expect(byId.get('QN-TY')?.level).toBe('huyện')
  })

  it('has no cycles and no dangling parents', () => {
    for (const u of demo.units) {
      const seen = new Set<string>()
      for (let p: Unit | undefined = u; p; p = p.parentId ? byId.get(p.parentId) : undefined) {
        expect(seen.has(p.id), `cycle at ${u.id}`).toBe(false)
        seen.add(p.id)
        if (p.parentId) expect(byId.has(p.parentId), `${p.id} → ${p.parentId}`).toBe(true)
      }
    }
  })

  it('marks every boundary approximate and uses Vietnamese level names', () => {
    expect(territorial.every((u) => u.approximate)).toBe(true)
    expect(new Set(territorial.map((u) => u.level))).toEqual(new Set(['tỉnh', 'thành phố', 'thị xã', 'huyện', 'đặc khu', 'phường']))
    expect(new Set(demo.units.filter((u) => u.geometry === null).map((u) => u.level))).toEqual(new Set(['sở', 'ban', 'cơ quan', 'đơn vị', 'trung tâm']))
  })

  it('gives the province the mainland and both islands', () => {
    expect(land.type).toBe('MultiPolygon')
    expect(geometryPolygons(land)).toHaveLength(3)
    expect(pointInGeometry([107.45, 21.09], land)).toBe(true) // Cái Bầu
    expect(pointInGeometry([107.765, 20.98], land)).toBe(true) // Cô Tô
    expect(pointInGeometry([107.1, 20.85], land)).toBe(false) // Hạ Long Bay
  })

  it('gives each island district its island whole', () => {
    expect(pointInGeometry([107.45, 21.09], byId.get('QN-VD')!.geometry!)).toBe(true)
    expect(pointInGeometry([107.765, 20.98], byId.get('QN-CT')!.geometry!)).toBe(true)
  })

  it('lays every non-root unit within its parent bbox', () => {
    for (const u of territorial.filter((x) => x.parentId)) {
      const parent = byId.get(u.parentId!)!
      expect(bboxContainsBBox(geometryBBox(parent.geometry!), geometryBBox(u.geometry!)), u.id).toBe(true)
    }
  })

  it('writes closed, counter-clockwise rings with at most 5 decimals', () => {
    for (const u of territorial) {
      for (const rings of geometryPolygons(u.geometry!)) {
        for (const ring of rings) {
          expect(isRingClosed(ring), u.id).toBe(true)
          expect(isCounterClockwise(ring), u.id).toBe(true)
          for (const [lon, lat] of ring) {
            expect(Math.round(lon * 1e5) / 1e5).toBe(lon)
            expect(Math.round(lat * 1e5) / 1e5).toBe(lat)
          }
        }
      }
    }
  })

  it('partitions the land: a grid of points on land falls in exactly one locality, and one ward in a city', () => {
    const localities = territorial.filter((u) => u.parentId === 'QN')
    const [x0, y0, x1, y1] = geometryBBox(land)
    let checked = 0
    for (let i = 0; i < 80; i++) {
      for (let j = 0; j < 50; j++) {
        const p: Position = [x0 + ((i + 0.37) / 80) * (x1 - x0), y0 + ((j + 0.61) / 50) * (y1 - y0)]
        if (!pointInGeometry(p, land)) continue
        checked++
        const containing = localities.filter((l) => pointInGeometry(p, l.geometry!))
        expect(containing.map((l) => l.id), p.join(',')).toHaveLength(1)
        const wards = demo.units.filter((w) => w.parentId === containing[0]!.id)
        if (wards.length) expect(wards.filter((w) => pointInGeometry(p, w.geometry!)), p.join(',')).toHaveLength(1)
      }
    }
    expect(checked).toBeGreaterThan(1000)
  })
})

describe('stations', () => {
  it('number ~140: 70 air, 45 water, 25 noise', () => {
    expect(countBy(demo.stations, (s) => s.kind)).toEqual({ air: 70, water: 45, noise: 25 })
  })

  it('cluster in the big towns', () => {
    const inLocality = countBy(demo.stations, (s) => s.unitId!.split('-').slice(0, 2).join('-'))
    for (const big of ['QN-HL', 'QN-CP', 'QN-UB', 'QN-MC', 'QN-DT', 'QN-QY']) expect(inLocality[big]).toBeGreaterThanOrEqual(10)
    expect(inLocality['QN-CT']).toBeLessThan(5)
  })

  it('report every 60 s (air, noise) or 300 s (water)', () => {
    for (const s of demo.stations) expect(s.expectedIntervalSec).toBe(s.kind === 'water' ? 300 : 60)
  })

  it('have ids by kind and unique Vietnamese names', () => {
    const code = { air: 'KK', water: 'NC', noise: 'TO' }
    for (const s of demo.stations) expect(s.id).toMatch(new RegExp(`^QN-${code[s.kind]}-\\d{3}$`))
    expect(new Set(demo.stations.map((s) => s.name)).size).toBe(demo.stations.length)
    expect(demo.stations.find((s) => s.name === 'Trạm quan trắc không khí Bãi Cháy')).toBeDefined()
  })
})

describe('cameras', () => {
  it('number ~60, people counters at service centres and vehicle counters on roads', () => {
    expect(demo.cameras).toHaveLength(60)
    const kinds = countBy(demo.cameras, (c) => c.kind)
    expect(kinds.service_center).toBeGreaterThanOrEqual(4 + LOCALITIES.length)
    expect(kinds.service_center).toBeLessThanOrEqual(4 + 2 * LOCALITIES.length)
    expect(kinds.road).toBe(60 - kinds.service_center!)
  })

  it('watch the provincial centre with 4 cameras and every locality centre with 1–2', () => {
    const sites = countBy(demo.cameras.filter((c) => c.kind === 'service_center'), (c) => c.site)
    expect(sites[PROVINCIAL_SERVICE_CENTER.name]).toBe(4)
    for (const l of LOCALITIES) expect(sites[`Trung tâm hành chính công ${l.level} ${l.name}`]).toBeGreaterThanOrEqual(1)
    expect(Object.values(sites).every((n) => n <= 4)).toBe(true)
  })

  it('cover every main road', () => {
    const roads = new Set(demo.cameras.filter((c) => c.kind === 'road').map((c) => c.site))
    expect(roads).toEqual(new Set(['QL18', 'Cao tốc Hạ Long – Vân Đồn – Móng Cái', 'Cao tốc Hạ Long – Hải Phòng', 'QL4B', 'QL18C', 'QL279']))
  })

  it('have a crowd threshold of 40–150 people at service centres and none on roads', () => {
    for (const c of demo.cameras) {
      if (c.kind === 'road') expect(c.capacity).toBeNull()
      else expect(c.capacity).toSatisfy((n: number) => Number.isInteger(n) && n >= 40 && n <= 150)
      expect(c.expectedIntervalSec).toBe(60)
    }
  })

  it('have ids QN-CAM-001… and unique names', () => {
    demo.cameras.forEach((c, i) => expect(c.id).toBe(`QN-CAM-${String(i + 1).padStart(3, '0')}`))
    expect(new Set(demo.cameras.map((c) => c.name)).size).toBe(demo.cameras.length)
  })
})

describe('every device', () => {
  const devices = [...demo.stations, ...demo.cameras]
  const locate = createUnitLocator(demo.units)

  it('stands on land, inside the unit it is assigned to, which is the deepest containing it', () => {
    for (const d of devices) {
      const p: Position = [d.lon, d.lat]
      expect(pointInGeometry(p, land), d.id).toBe(true)
      expect(pointInGeometry(p, byId.get(d.unitId!)!.geometry!), d.id).toBe(true)
      expect(locate(p)?.id, d.id).toBe(d.unitId)
    }
  })

  it('has a unique id that is a valid topic level', () => {
    const ids = [...devices.map((d) => d.id), ...demo.units.map((u) => u.id)]
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(DEVICE_ID_PATTERN)
  })
})

describe('procedures', () => {
  const { procedures, routes } = generateDemoProcedures()
  const share = (pred: (p: (typeof procedures)[number]) => boolean) => procedures.filter(pred).length / procedures.length

  it('number ~300–420, with unique national-style codes', () => {
    expect(procedures.length).toBeGreaterThanOrEqual(300)
    expect(procedures.length).toBeLessThanOrEqual(420)
    expect(new Set(procedures.map((p) => p.code)).size).toBe(procedures.length)
    for (const p of procedures) expect(p.code).toMatch(/^[12]\.00\d{4}$/)
  })

  it('are grouped by field, everyday fields included', () => {
    const fields = new Set(procedures.map((p) => p.field))
    for (const f of ['Đất đai', 'Xây dựng', 'Hộ tịch', 'Chứng thực', 'Thành lập và hoạt động doanh nghiệp', 'Giao thông vận tải', 'Y tế', 'Giáo dục và Đào tạo', 'Lao động, việc làm', 'Công Thương', 'Môi trường']) {
      expect(fields.has(f), f).toBe(true)
    }
    expect(procedures.find((p) => p.name === 'Đăng ký khai sinh')).toMatchObject({ field: 'Hộ tịch', legalDays: 0.5, onlineLevel: 'full' })
  })

  it('state legal times of 0.5–30 working days', () => {
    for (const p of procedures) expect(p.legalDays, p.name).toSatisfy((d: number) => d >= 0.5 && d <= 30)
  })

  it('mix online levels: ~60% full or partial, some legacy 3/4, some none', () => {
    expect(share((p) => p.onlineLevel === 'full' || p.onlineLevel === 'partial')).toBeGreaterThan(0.5)
    expect(share((p) => p.onlineLevel === 'full' || p.onlineLevel === 'partial')).toBeLessThan(0.7)
    expect(share((p) => p.onlineLevel === '3' || p.onlineLevel === '4')).toBeGreaterThan(0.05)
    expect(share((p) => p.onlineLevel === 'none')).toBeGreaterThan(0.15)
    expect(share((p) => p.hasFee)).toBeGreaterThan(0.3)
  })

  it('route every procedure to a department of the demo or to the localities', () => {
    const departments = new Set(DEPARTMENTS.map((d) => d.code))
    for (const p of procedures) {
      const r = routes.get(p.code)!
      expect(departments.has(r.department), `${p.name} → ${r.department}`).toBe(true)
      expect(r.weight).toBeGreaterThan(0)
    }
    expect(routes.get(procedures.find((p) => p.name === 'Đăng ký khai sinh')!.code)!.local).toBe(true)
    expect(routes.get(procedures.find((p) => p.name === 'Cấp giấy phép môi trường')!.code)).toMatchObject({ department: 'SNNMT', local: false })
    // every department settles something
    for (const d of departments) expect([...routes.values()].some((r) => r.department === d && !r.local), d).toBe(true)
  })
})

describe('clipPiece', () => {
  // A U shape opening upwards: cutting away everything above y = 2 leaves the base; keeping only what is above
  // y = 2 leaves the two arms, which must come back as two separate rings (no zero-width bridge).
  const u: Piece = [[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3]]
  const above2 = { a: 0, b: -1, c: 2 } // keeps y ≥ 2
  const below2 = { a: 0, b: 1, c: -2 } // keeps y ≤ 2

  it('splits a concave ring into separate pieces', () => {
    const pieces = clipPiece(u, above2)
    expect(pieces).toHaveLength(2)
    expect(pieces.map((p) => Math.abs(ringSignedArea(p))).sort()).toEqual([1, 1])
  })

  it('keeps one piece when the cut leaves a connected part', () => {
    const pieces = clipPiece(u, below2)
    expect(pieces).toHaveLength(1)
    expect(Math.abs(ringSignedArea(pieces[0]!))).toBeCloseTo(5, 10) // 3×1 base + two 1×1 arm stubs
  })

  it('returns the ring unchanged when it is wholly inside, and nothing when wholly outside', () => {
    expect(clipPiece(u, { a: 0, b: 1, c: -10 })).toEqual([u])
    expect(clipPiece(u, { a: 0, b: 1, c: 10 })).toEqual([])
  })
})

describe('voronoiCells', () => {
  it('splits a square between two sites along their bisector, areas adding up', () => {
    const square: Piece = [[0, 0], [4, 0], [4, 4], [0, 4]]
    const [left, right] = voronoiCells([square], [[1, 2], [3, 2]], 1)
    expect(Math.abs(ringSignedArea(left![0]!))).toBeCloseTo(8, 10)
    expect(Math.abs(ringSignedArea(right![0]!))).toBeCloseTo(8, 10)
    expect(Math.max(...left![0]!.map((p) => p[0]))).toBeCloseTo(2, 10)
  })

  it('measures east–west distances scaled by cos(latitude)', () => {
    // With lon scaled by 0.5, a site 2° east is as far as one 1° north: the bisector passes through both midpoints.
    const h = bisector([0, 0], [2, 0], 0.5)
    expect(h.a * 1 + h.b * 0 + h.c).toBeCloseTo(0, 10)
  })
})
