// Planar geometry on lon/lat: point-in-polygon with holes, bboxes, distance, orientation, unit lookup.
import { describe, it, expect } from 'vitest'
import {
  bboxContainsBBox,
  closeRing,
  createUnitLocator,
  geometryBBox,
  haversineMeters,
  isCounterClockwise,
  isRingClosed,
  orientPolygon,
  pointInGeometry,
  pointInPolygon,
  pointInRing,
  ringSignedArea,
  type Ring,
  type Unit,
  type UnitGeometry,
} from '../../contract/index.ts'

const square = (x0: number, y0: number, size: number): Ring => [
  [x0, y0],
  [x0 + size, y0],
  [x0 + size, y0 + size],
  [x0, y0 + size],
  [x0, y0],
]

describe('pointInRing', () => {
  it('finds points inside and outside a square', () => {
    expect(pointInRing([0.5, 0.5], square(0, 0, 1))).toBe(true)
    expect(pointInRing([1.5, 0.5], square(0, 0, 1))).toBe(false)
    expect(pointInRing([0.5, -0.1], square(0, 0, 1))).toBe(false)
  })

  it('handles a concave ring (a U shape)', () => {
    const u: Ring = [[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]
    expect(pointInRing([0.5, 2], u)).toBe(true)
    expect(pointInRing([1.5, 2], u)).toBe(false) // in the notch
    expect(pointInRing([1.5, 0.5], u)).toBe(true)
  })

  it('gives the same answer whether or not the ring repeats its first position', () => {
    const open = square(0, 0, 1).slice(0, 4)
    expect(pointInRing([0.5, 0.5], open)).toBe(true)
    expect(pointInRing([2, 2], open)).toBe(false)
  })
})

describe('pointInPolygon', () => {
  it('excludes points in a hole', () => {
    const withHole = [square(0, 0, 4), square(1, 1, 2)]
    expect(pointInPolygon([0.5, 0.5], withHole)).toBe(true)
    expect(pointInPolygon([2, 2], withHole)).toBe(false)
  })

  it('is false for a polygon without rings', () => {
    expect(pointInPolygon([0, 0], [])).toBe(false)
  })
})

describe('pointInGeometry', () => {
  it('matches any polygon of a MultiPolygon, holes respected', () => {
    const g: UnitGeometry = { type: 'MultiPolygon', coordinates: [[square(0, 0, 4), square(1, 1, 2)], [square(10, 10, 1)]] }
    expect(pointInGeometry([0.5, 0.5], g)).toBe(true)
    expect(pointInGeometry([10.5, 10.5], g)).toBe(true)
    expect(pointInGeometry([2, 2], g)).toBe(false)
    expect(pointInGeometry([5, 5], g)).toBe(false)
  })

  it('reads a Polygon', () => {
    expect(pointInGeometry([0.5, 0.5], { type: 'Polygon', coordinates: [square(0, 0, 1)] })).toBe(true)
  })
})

describe('bounding boxes', () => {
  it('covers every polygon of a MultiPolygon', () => {
    const g: UnitGeometry = { type: 'MultiPolygon', coordinates: [[square(0, 0, 1)], [square(5, -2, 1)]] }
    expect(geometryBBox(g)).toEqual([0, -2, 6, 1])
  })

  it('tells whether one box lies within another, with tolerance', () => {
    expect(bboxContainsBBox([0, 0, 10, 10], [1, 1, 2, 2])).toBe(true)
    expect(bboxContainsBBox([0, 0, 10, 10], [1, 1, 10.00001, 2])).toBe(false)
    expect(bboxContainsBBox([0, 0, 10, 10], [1, 1, 10.00001, 2], 1e-4)).toBe(true)
  })
})

describe('haversineMeters', () => {
  it('measures one degree of latitude as ~111.2 km', () => {
    expect(haversineMeters([107, 21], [107, 22])).toBeCloseTo(111_195, -1)
  })

  it('shrinks a degree of longitude by cos(latitude)', () => {
    const atEquator = haversineMeters([0, 0], [1, 0])
    const at60 = haversineMeters([0, 60], [1, 60])
    expect(at60 / atEquator).toBeCloseTo(0.5, 2)
  })

  it('measures Hạ Long to Móng Cái as ~110 km', () => {
    const d = haversineMeters([107.08, 20.955], [107.966, 21.525])
    expect(d).toBeGreaterThan(105_000)
    expect(d).toBeLessThan(115_000)
  })

  it('is zero for the same point', () => {
    expect(haversineMeters([107, 21], [107, 21])).toBe(0)
  })
})

describe('ring orientation', () => {
  it('has positive area when counter-clockwise', () => {
    expect(ringSignedArea(square(0, 0, 2))).toBe(4)
    expect(isCounterClockwise(square(0, 0, 2))).toBe(true)
    expect(isCounterClockwise([...square(0, 0, 2)].reverse())).toBe(false)
  })

  it('orients the outer ring counter-clockwise and holes clockwise (RFC 7946)', () => {
    const [outer, hole] = orientPolygon([[...square(0, 0, 4)].reverse(), square(1, 1, 2)])
    expect(isCounterClockwise(outer!)).toBe(true)
    expect(isCounterClockwise(hole!)).toBe(false)
  })

  it('closes an open ring and leaves a closed one alone', () => {
    const open = square(0, 0, 1).slice(0, 4)
    expect(isRingClosed(open)).toBe(false)
    expect(closeRing(open)).toEqual(square(0, 0, 1))
    expect(closeRing(square(0, 0, 1))).toEqual(square(0, 0, 1))
  })
})

describe('createUnitLocator', () => {
  const unit = (id: string, parentId: string | null, ring: Ring | null): Unit => ({
    id,
    parentId,
    name: id,
    level: 'x',
    type: parentId ? 'locality' : 'province',
    geometry: ring && { type: 'Polygon', coordinates: [ring] },
    approximate: true,
  })
  const units = [
    unit('P', null, square(0, 0, 10)),
    unit('P-A', 'P', square(0, 0, 5)),
    unit('P-A-1', 'P-A', square(0, 0, 2)),
    unit('P-B', 'P', square(5, 0, 5)),
    unit('P-C', 'P', null),
  ]
  const locate = createUnitLocator(units)

  it('returns the deepest unit containing the point', () => {
    expect(locate([1, 1])?.id).toBe('P-A-1')
    expect(locate([3, 3])?.id).toBe('P-A')
    expect(locate([7, 2])?.id).toBe('P-B')
    expect(locate([2, 8])?.id).toBe('P')
  })

  it('returns null outside every unit', () => {
    expect(locate([20, 20])).toBeNull()
  })

  it('breaks ties between overlapping units of equal depth by id, whatever the input order', () => {
    const overlapping = [unit('Z', null, square(0, 0, 2)), unit('A', null, square(0, 0, 2))]
    expect(createUnitLocator(overlapping)([1, 1])?.id).toBe('A')
    expect(createUnitLocator([...overlapping].reverse())([1, 1])?.id).toBe('A')
  })
})
