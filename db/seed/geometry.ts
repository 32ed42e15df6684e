// Generated boundaries for the demo province: Voronoi cells of town points, cut from a parent polygon one
// perpendicular bisector at a time (Sutherland–Hodgman against a half-plane), then rounded and oriented as
// RFC 7946 asks. Longitude is scaled by cos(latitude) before measuring distance so a degree east counts as
// the ~104 km it is at 21°N, not 111 km, and cells are not stretched east–west.
//
// The parent outline is not convex (bays, the Trà Cổ spit), so a bisector can cut it into several pieces.
// Plain Sutherland–Hodgman would join those pieces with zero-width bridges along the cut; here each crossing
// is paired with its neighbour along the cut line instead, which yields separate, simple rings.

import { closeRing, orientPolygon, ringSignedArea, type Position, type Ring, type UnitGeometry } from '../../contract/index.ts'

/** An open ring (first position not repeated): the working form while clipping. */
export type Piece = Position[]

/** Half-plane as a linear function of [lon, lat]: points with f(p) ≤ 0 are kept. */
interface HalfPlane {
  a: number
  b: number
  c: number
}

const value = (h: HalfPlane, p: Position): number => h.a * p[0] + h.b * p[1] + h.c

/**
 * The half-plane of points at least as close to `site` as to `other`, distances measured with longitude
 * scaled by `lonScale` (cos of a reference latitude). Linear in lon/lat, so crossings can be interpolated on
 * the unscaled coordinates.
 */
export function bisector(site: Position, other: Position, lonScale: number): HalfPlane {
  // |p − s|² ≤ |p − o|²  ⇔  2 p·(o − s) − (|o|² − |s|²) ≤ 0, in scaled coordinates (x = k·lon).
  const k2 = lonScale * lonScale
  const a = 2 * (other[0] - site[0]) * k2
  const b = 2 * (other[1] - site[1])
  const c = -(k2 * (other[0] ** 2 - site[0] ** 2) + (other[1] ** 2 - site[1] ** 2))
  return { a, b, c }
}

/** Clips one simple ring by a half-plane; returns zero, one or several simple rings. */
export function clipPiece(ring: Piece, h: HalfPlane): Piece[] {
  const d = ring.map((p) => value(h, p))
  const start = d.findIndex((v) => v > 0)
  if (start === -1) return [ring]
  if (d.every((v) => v > 0)) return []

  // Walk from an outside vertex, so every run of inside vertices is seen whole: entry crossing, the
  // vertices, exit crossing.
  const chains: { entry: Position; exit: Position; points: Position[] }[] = []
  let current: Position[] | null = null
  const n = ring.length
  for (let k = 0; k < n; k++) {
    const i = (start + k) % n
    const j = (i + 1) % n
    const pi = ring[i]!
    const pj = ring[j]!
    const di = d[i]!
    const dj = d[j]!
    if (di > 0 && dj <= 0) {
      const entry = interpolate(pi, pj, di, dj)
      current = [entry]
      chains.push({ entry, exit: entry, points: current })
    }
    if (dj <= 0) current!.push(pj)
    if (di <= 0 && dj > 0) {
      const exit = interpolate(pi, pj, di, dj)
      current!.push(exit)
      chains[chains.length - 1]!.exit = exit
      current = null
    }
  }

  // Along the cut line the crossings alternate in and out of the polygon; consecutive pairs bound the
  // stretches of the line inside it, and each pair joins one chain's exit to another chain's entry.
  const along = (p: Position) => -h.b * p[0] + h.a * p[1]
  const crossings = chains
    .flatMap((chain, index) => [
      { s: along(chain.entry), index, isExit: false },
      { s: along(chain.exit), index, isExit: true },
    ])
    .sort((x, y) => x.s - y.s)
  const nextChain = new Map<number, number>()
  for (let i = 0; i + 1 < crossings.length; i += 2) {
    const x = crossings[i]!
    const y = crossings[i + 1]!
    const [exit, entry] = x.isExit ? [x, y] : [y, x]
    nextChain.set(exit.index, entry.index)
  }

  const out: Piece[] = []
  const used = new Set<number>()
  for (let first = 0; first < chains.length; first++) {
    if (used.has(first)) continue
    const piece: Position[] = []
    for (let c: number | undefined = first; c !== undefined && !used.has(c); c = nextChain.get(c)) {
      used.add(c)
      piece.push(...chains[c]!.points)
    }
    const clean = dedupe(piece)
    if (clean.length >= 3 && Math.abs(ringSignedArea(clean)) > 1e-12) out.push(clean)
  }
  return out
}

function interpolate(p: Position, q: Position, dp: number, dq: number): Position {
  const t = dp / (dp - dq)
  return [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]
}

function dedupe(ring: Position[]): Position[] {
  const out: Position[] = []
  for (const p of ring) {
    const last = out[out.length - 1]
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p)
  }
  while (out.length > 1 && out[0]![0] === out[out.length - 1]![0] && out[0]![1] === out[out.length - 1]![1]) out.pop()
  return out
}

/**
 * Voronoi cells of `sites` within `parent`: for each site, the parent cut by its bisector with every other
 * site. Returns one list of pieces per site, in the order given.
 */
export function voronoiCells(parent: readonly Piece[], sites: readonly Position[], lonScale: number): Piece[][] {
  return sites.map((site, i) => {
    let pieces: Piece[] = [...parent]
    sites.forEach((other, j) => {
      if (j === i) return
      const h = bisector(site, other, lonScale)
      pieces = pieces.flatMap((p) => clipPiece(p, h))
    })
    return pieces
  })
}

/** cos of the mean latitude of the pieces: the east–west scale used for distances within them. */
export function lonScaleFor(pieces: readonly Piece[]): number {
  const lats = pieces.flat().map((p) => p[1])
  const mid = (Math.min(...lats) + Math.max(...lats)) / 2
  return Math.cos((mid * Math.PI) / 180)
}

export const round5 = (x: number): number => Math.round(x * 1e5) / 1e5

/** Rounds to 5 decimals (~1 m), drops repeated positions, orients counter-clockwise and closes the ring. */
export function finishRing(piece: Piece): Ring | null {
  const rounded = dedupe(piece.map(([lon, lat]) => [round5(lon), round5(lat)] as Position))
  if (rounded.length < 3 || ringSignedArea(rounded) === 0) return null
  return closeRing(orientPolygon([rounded])[0]!)
}

/** A Polygon for one piece, a MultiPolygon for several (largest first), null for none. */
export function toGeometry(pieces: readonly Piece[]): UnitGeometry | null {
  const rings = pieces
    .map(finishRing)
    .filter((r): r is Ring => r !== null)
    .sort((a, b) => Math.abs(ringSignedArea(b)) - Math.abs(ringSignedArea(a)))
  if (rings.length === 0) return null
  if (rings.length === 1) return { type: 'Polygon', coordinates: [rings[0]!] }
  return { type: 'MultiPolygon', coordinates: rings.map((r) => [r]) }
}
