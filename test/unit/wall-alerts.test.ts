// The ticker's alert detectors: each domain's (AQI band, crowd) and the frame's (offline), fed successive
// states of the live lists as the alert feed does once a second.
import { describe, expect, it } from 'vitest'
import type { AlertRules, AqiBandKey, DeviceStatus } from '../../contract/index.ts'
import { crowdAlerts } from '../../client/src/cameras/alerts.ts'
import { aqiAlerts } from '../../client/src/environment/alerts.ts'
import { offlineAlerts } from '../../client/src/shared/alerts.ts'

const RULES: AlertRules = { aqiBand: 'poor', offline: true, crowdRatio: 0.9 }

function station(id: string, aqi: number | null, band: AqiBandKey | null, status: DeviceStatus = 'online') {
  return { id, name: `Trạm ${id}`, unitName: 'Hạ Long', status, aqi: aqi === null ? null : { value: aqi, band: band!, dominant: 'pm25' as const, kind: 'hourly' as const } }
}
function center(id: string, site: string, inside: number | null, capacity: number, status: DeviceStatus = 'online') {
  return { id, name: `Camera ${id}`, unitName: 'Hạ Long', status, kind: 'service_center' as const, site, inside, capacity }
}

describe('AQI alerts', () => {
  it('learn the state on the first pass without raising alerts', () => {
    const check = aqiAlerts()
    expect(check([station('A', 180, 'bad')], RULES, 1)).toEqual([])
  })

  it('fire when a station moves into a worse band at or above the rule band, with the band colour and text', () => {
    const check = aqiAlerts()
    check([station('A', 90, 'moderate')], RULES, 1)
    const out = check([station('A', 120, 'poor')], RULES, 2)
    expect(out).toHaveLength(1)
    expect(out[0]).toMatchObject({ kind: 'aqi', swatch: '#ff7e00', severity: 1, params: { station: 'Trạm A', value: 120 } })
    expect(out[0]!.text('vi')).toBe('Trạm A (Hạ Long): VN_AQI 120 – chuyển sang mức Kém')
    expect(out[0]!.text('en')).toBe('Trạm A (Hạ Long): VN_AQI 120 – now Poor')
  })

  it('mark a move into Xấu or worse as critical', () => {
    const check = aqiAlerts()
    check([station('A', 120, 'poor')], RULES, 1)
    expect(check([station('A', 160, 'bad')], RULES, 2)[0]?.severity).toBe(2)
  })

  it('stay quiet for worse bands below the rule band and for improvements', () => {
    const check = aqiAlerts()
    check([station('A', 40, 'good'), station('B', 160, 'bad')], RULES, 1)
    expect(check([station('A', 70, 'moderate'), station('B', 120, 'poor')], RULES, 2)).toEqual([])
  })

  it('do not repeat while the band holds', () => {
    const check = aqiAlerts()
    check([station('A', 90, 'moderate')], RULES, 1)
    check([station('A', 120, 'poor')], RULES, 2)
    expect(check([station('A', 125, 'poor')], RULES, 3)).toEqual([])
  })

  it('stay quiet for a station first seen after the first pass', () => {
    const check = aqiAlerts()
    check([station('A', 40, 'good')], RULES, 1)
    expect(check([station('A', 40, 'good'), station('B', 300, 'very_bad')], RULES, 2)).toEqual([])
  })
})

describe('offline alerts', () => {
  it('fire when a station or camera goes offline, once', () => {
    const stations = offlineAlerts()
    const cameras = offlineAlerts()
    stations([station('A', 40, 'good')], RULES, 1)
    cameras([center('C1', 'TT', 10, 100)], RULES, 1)
    const out = [...stations([station('A', 40, 'good', 'offline')], RULES, 2), ...cameras([center('C1', 'TT', null, 100, 'offline')], RULES, 2)]
    expect(out.map((a) => [a.kind, a.params.name])).toEqual([
      ['offline', 'Trạm A'],
      ['offline', 'Camera C1'],
    ])
    expect(out[0]!.text('vi')).toBe('Trạm A (Hạ Long): mất tín hiệu')
    expect(stations([station('A', 40, 'good', 'offline')], RULES, 3)).toEqual([])
  })

  it('follow the rules: none when they are off', () => {
    const check = offlineAlerts()
    const rules = { ...RULES, offline: false }
    check([station('A', 40, 'good')], rules, 1)
    expect(check([station('A', 40, 'good', 'offline')], rules, 2)).toEqual([])
  })
})

describe('crowd alerts', () => {
  it('fire when a service center (all its cameras) reaches the crowd ratio, and again only after it clears', () => {
    const check = crowdAlerts()
    check([center('C1', 'TT', 40, 50), center('C2', 'TT', 40, 50)], RULES, 1)
    const over = check([center('C1', 'TT', 46, 50), center('C2', 'TT', 45, 50)], RULES, 2)
    expect(over).toHaveLength(1)
    expect(over[0]).toMatchObject({ kind: 'crowd', params: { site: 'TT', people: 91, pct: 91 } })
    expect(over[0]!.text('en')).toBe('TT: 91 people waiting (91% of capacity)')
    expect(check([center('C1', 'TT', 47, 50), center('C2', 'TT', 45, 50)], RULES, 3)).toEqual([])
    check([center('C1', 'TT', 30, 50), center('C2', 'TT', 30, 50)], RULES, 4)
    expect(check([center('C1', 'TT', 50, 50), center('C2', 'TT', 45, 50)], RULES, 5)).toHaveLength(1)
  })

  it('stay silent for a site already over the line when the wall starts', () => {
    const check = crowdAlerts()
    check([center('C1', 'TT', 50, 50)], RULES, 1)
    expect(check([center('C1', 'TT', 50, 50)], RULES, 2)).toEqual([])
  })

  it('are off when the dashboard sets crowdRatio to null', () => {
    const check = crowdAlerts()
    const rules = { ...RULES, crowdRatio: null }
    check([center('C1', 'TT', 10, 50)], rules, 1)
    expect(check([center('C1', 'TT', 80, 50)], rules, 2)).toEqual([])
  })
})
