import { describe, expect, it } from 'vitest'
import type { AlertRules, AqiBandKey, DeviceStatus } from '../../contract/index.ts'
import { detectAlerts, emptyAlertMemory } from '../../client/src/lib/alerts.ts'

const RULES: AlertRules = { aqiBand: 'poor', offline: true, crowdRatio: 0.9 }

function station(id: string, aqi: number | null, band: AqiBandKey | null, status: DeviceStatus = 'online') {
  return { id, name: `Trạm ${id}`, unitName: 'Hạ Long', status, aqi: aqi === null ? null : { value: aqi, band: band!, dominant: 'pm25' as const, kind: 'hourly' as const } }
}
function center(id: string, site: string, inside: number | null, capacity: number, status: DeviceStatus = 'online') {
  return { id, name: `Camera ${id}`, unitName: 'Hạ Long', status, kind: 'service_center' as const, site, inside, capacity }
}

describe('wall alert detection', () => {
  it('learns the state on the first pass without raising alerts', () => {
    const m = emptyAlertMemory()
    expect(detectAlerts(m, [station('A', 180, 'bad')], [center('C1', 'TT', 100, 100)], RULES, 1)).toEqual([])
  })

  it('raises an alert when a station moves into a worse band at or above the rule band', () => {
    const m = emptyAlertMemory()
    detectAlerts(m, [station('A', 90, 'moderate')], [], RULES, 1)
    const out = detectAlerts(m, [station('A', 120, 'poor')], [], RULES, 2)
    expect(out).toHaveLength(1)
    expect(out[0]).toMatchObject({ kind: 'aqi', band: 'poor', severity: 1, params: { station: 'Trạm A', value: 120 } })
  })

  it('marks a move into Xấu or worse as critical', () => {
    const m = emptyAlertMemory()
    detectAlerts(m, [station('A', 120, 'poor')], [], RULES, 1)
    expect(detectAlerts(m, [station('A', 160, 'bad')], [], RULES, 2)[0]?.severity).toBe(2)
  })

  it('stays quiet for worse bands below the rule band and for improvements', () => {
    const m = emptyAlertMemory()
    detectAlerts(m, [station('A', 40, 'good'), station('B', 160, 'bad')], [], RULES, 1)
    expect(detectAlerts(m, [station('A', 70, 'moderate'), station('B', 120, 'poor')], [], RULES, 2)).toEqual([])
  })

  it('does not repeat an alert while the band holds', () => {
    const m = emptyAlertMemory()
    detectAlerts(m, [station('A', 90, 'moderate')], [], RULES, 1)
    detectAlerts(m, [station('A', 120, 'poor')], [], RULES, 2)
    expect(detectAlerts(m, [station('A', 125, 'poor')], [], RULES, 3)).toEqual([])
  })

  it('raises an alert when a station or camera goes offline, once', () => {
    const m = emptyAlertMemory()
    detectAlerts(m, [station('A', 40, 'good')], [center('C1', 'TT', 10, 100)], RULES, 1)
    const out = detectAlerts(m, [station('A', 40, 'good', 'offline')], [center('C1', 'TT', null, 100, 'offline')], RULES, 2)
    expect(out.map((a) => [a.kind, a.params.name])).toEqual([
      ['offline', 'Trạm A'],
      ['offline', 'Camera C1'],
    ])
    expect(detectAlerts(m, [station('A', 40, 'good', 'offline')], [center('C1', 'TT', null, 100, 'offline')], RULES, 3)).toEqual([])
  })

  it('follows the rules: no offline alerts when they are off', () => {
    const m = emptyAlertMemory()
    const rules = { ...RULES, offline: false }
    detectAlerts(m, [station('A', 40, 'good')], [], rules, 1)
    expect(detectAlerts(m, [station('A', 40, 'good', 'offline')], [], rules, 2)).toEqual([])
  })

  it('raises a crowd alert when a service center (all its cameras) reaches the crowd ratio, and again only after it clears', () => {
    const m = emptyAlertMemory()
    detectAlerts(m, [], [center('C1', 'TT', 40, 50), center('C2', 'TT', 40, 50)], RULES, 1)
    const over = detectAlerts(m, [], [center('C1', 'TT', 46, 50), center('C2', 'TT', 45, 50)], RULES, 2)
    expect(over).toHaveLength(1)
    expect(over[0]).toMatchObject({ kind: 'crowd', params: { site: 'TT', people: 91, pct: 91 } })
    expect(detectAlerts(m, [], [center('C1', 'TT', 47, 50), center('C2', 'TT', 45, 50)], RULES, 3)).toEqual([])
    detectAlerts(m, [], [center('C1', 'TT', 30, 50), center('C2', 'TT', 30, 50)], RULES, 4)
    expect(detectAlerts(m, [], [center('C1', 'TT', 50, 50), center('C2', 'TT', 45, 50)], RULES, 5)).toHaveLength(1)
  })

  it('raises no crowd alerts when the dashboard sets crowdRatio to null', () => {
    const m = emptyAlertMemory()
    const rules = { ...RULES, crowdRatio: null }
    detectAlerts(m, [], [center('C1', 'TT', 10, 50)], rules, 1)
    expect(detectAlerts(m, [], [center('C1', 'TT', 80, 50)], rules, 2)).toEqual([])
  })
})
