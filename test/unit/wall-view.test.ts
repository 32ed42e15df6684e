import { describe, expect, it } from 'vitest'
import { computeKpis, kpiValue, siteNow, siteSeries, type Dashboard, type WallDefinition } from '../../contract/index.ts'
import { pickDashboard, readParams } from '../../client/src/shared/wall-params.ts'
import { markUnits } from '../../client/src/shared/units.ts'

function dash(id: string): Dashboard {
  return { id, title: id, alerts: { aqiBand: 'poor', offline: true, crowdRatio: 0.9 }, screens: [] }
}
const DEF: WallDefinition = { at: '', dashboards: [dash('a'), dash('b')], problems: [], mapStyleUrl: null }

describe('wall URL parameters', () => {
  it('defaults to Vietnamese and no pinned dashboard or screen', () => {
    expect(readParams('')).toEqual({ dashboard: null, screen: null, lang: 'vi' })
  })
  it('reads ?dashboard=, ?screen= and ?lang=en', () => {
    expect(readParams('?dashboard=b&screen=traffic&lang=en')).toEqual({ dashboard: 'b', screen: 'traffic', lang: 'en' })
  })
  it('falls back to Vietnamese for an unknown language', () => {
    expect(readParams('?lang=fr').lang).toBe('vi')
  })
  it('picks the asked dashboard, or the first one and says which was missing', () => {
    expect(pickDashboard(DEF, 'b').dashboard?.id).toBe('b')
    expect(pickDashboard(DEF, null)).toMatchObject({ dashboard: { id: 'a' }, missing: null })
    expect(pickDashboard(DEF, 'nope')).toMatchObject({ dashboard: { id: 'a' }, missing: 'nope' })
  })
})

describe('wall KPIs', () => {
  const aqi = (value: number, band: 'good' | 'poor' | 'bad') => ({ value, band, dominant: 'pm25' as const, kind: 'hourly' as const })
  const stations = [
    { id: 'A', name: 'A', unitName: 'U1', status: 'online' as const, aqi: aqi(40, 'good') },
    { id: 'B', name: 'B', unitName: 'U2', status: 'stale' as const, aqi: aqi(160, 'bad') },
    { id: 'C', name: 'C', unitName: 'U3', status: 'offline' as const, aqi: aqi(300, 'bad') },
    { id: 'D', name: 'D', unitName: null, status: 'online' as const, aqi: aqi(120, 'poor') },
  ]
  const cameras = [
    { kind: 'service_center' as const, inside: 12, vehiclesPerMinute: null },
    { kind: 'service_center' as const, inside: null, vehiclesPerMinute: null },
    { kind: 'road' as const, inside: null, vehiclesPerMinute: 7.5 },
  ]
  it('counts online stations, finds the worst AQI among stations not offline, and counts Kém or worse', () => {
    const k = computeKpis({ stations, cameras })
    expect(k).toMatchObject({ stationsReporting: 2, stationsTotal: 4, stationsPoorOrWorse: 2, peopleWaiting: 12, vehiclesPerMinute: 7.5 })
    expect(k.worstAqi).toMatchObject({ stationId: 'B', value: 160 })
    expect(kpiValue(k, 'stations_reporting')).toBe(0.5)
  })
  it('reports no people or traffic when no camera of that kind reports', () => {
    expect(computeKpis({})).toMatchObject({ peopleWaiting: null, vehiclesPerMinute: null, worstAqi: null })
  })
})

describe('site series', () => {
  const cams = [
    { id: 'R1', kind: 'road' as const, site: 'QL18', capacity: null },
    { id: 'R2', kind: 'road' as const, site: 'QL18', capacity: null },
    { id: 'S1', kind: 'service_center' as const, site: 'TT', capacity: 50 },
  ]
  it('sums road cameras per site and turns 5-minute vehicle totals into vehicles per minute', () => {
    const t = '2026-11-21T01:00:00.000Z'
    const p = (value: number) => ({ t, value, min: null, max: null, count: 1 })
    const out = siteSeries(cams, { metric: 'vehicles', bucket: '5m', from: '', to: '', cameras: [{ id: 'R1', points: [p(50)] }, { id: 'R2', points: [p(25)] }] }, 300_000)
    expect(out.find((s) => s.site === 'QL18')?.points).toEqual([{ t: Date.parse(t), value: 15 }])
    expect(out.find((s) => s.site === 'TT')).toMatchObject({ capacity: 50, points: [] })
  })
  it('gives the live value per site: people inside, or vehicles per minute', () => {
    const now = siteNow([
      { kind: 'road', site: 'QL18', inside: null, vehiclesPerMinute: 3 },
      { kind: 'road', site: 'QL18', inside: null, vehiclesPerMinute: 4.5 },
      { kind: 'service_center', site: 'TT', inside: 20, vehiclesPerMinute: null },
      { kind: 'service_center', site: 'TT2', inside: null, vehiclesPerMinute: null },
    ])
    expect([...now]).toEqual([
      ['QL18', 7.5],
      ['TT', 20],
    ])
  })
})

describe('map units', () => {
  const square = (x: number) => ({ type: 'Polygon' as const, coordinates: [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]] as [number, number][]] })
  it('fills the leaves, outlines the root and fits the bounds of every shape', () => {
    const out = markUnits([
      { type: 'Feature', id: 'P', properties: { id: 'P', parentId: null, name: 'Tỉnh', level: 'tỉnh', type: 'province', approximate: false }, geometry: square(0) },
      { type: 'Feature', id: 'W1', properties: { id: 'W1', parentId: 'P', name: 'Phường 1', level: 'phường', type: 'locality', approximate: false }, geometry: square(2) },
      { type: 'Feature', id: 'W2', properties: { id: 'W2', parentId: 'P', name: 'Phường 2', level: 'phường', type: 'locality', approximate: false }, geometry: null },
    ])
    expect(out.collection.features.map((f) => [f.properties!.id, f.properties!.leaf, f.properties!.root])).toEqual([
      ['P', false, true],
      ['W1', true, false],
    ])
    expect(out.bbox).toEqual([0, 0, 3, 1])
  })
})
