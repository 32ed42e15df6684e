import { describe, it, expect } from 'vitest'
import { CameraStates } from '../../server/cameras/state.ts'
import { DEFAULT_STATUS_THRESHOLDS, type Camera, type CameraCount } from '../../contract/index.ts'

const T = Date.parse('2026-11-21T03:00:00Z')
const MIN = 60_000
const HOUR = 3_600_000
const UNITS = new Map([['ha-long', 'TP Hạ Long']])

/** A service center and a road, both reporting every minute. */
const CENTER: Camera = {
  id: 'sc-1',
  name: 'Trung tâm Phục vụ hành chính công',
  kind: 'service_center',
  site: 'ttpvhcc-ha-long',
  unitId: 'ha-long',
  lon: 107.08,
  lat: 20.95,
  capacity: 80,
  expectedIntervalSec: 60,
}
const ROAD: Camera = { ...CENTER, id: 'rd-1', name: 'Đường Trần Quốc Nghiễn', kind: 'road', site: 'tran-quoc-nghien', capacity: null }

const count = (cameraId: string, ts: number, counts: CameraCount['counts'], inside: number | null = null, periodSec = 60): CameraCount => ({
  cameraId,
  ts,
  periodSec,
  counts,
  inside,
})

function statesOf(cameras: Camera[] = [CENTER, ROAD], now = T): CameraStates {
  const s = new CameraStates(DEFAULT_STATUS_THRESHOLDS)
  s.setReference(cameras, UNITS, now)
  return s
}

describe('camera states: setReference', () => {
  it('returns every camera the first time and starts them offline with no KPIs', () => {
    const s = new CameraStates(DEFAULT_STATUS_THRESHOLDS)
    expect(s.setReference([CENTER, ROAD], UNITS, T)).toEqual(['sc-1', 'rd-1'])
    expect(s.state('sc-1')).toEqual({ id: 'sc-1', status: 'offline', lastSeen: null, inside: null, arrivalsLastHour: null, vehiclesPerMinute: null, lastCounts: {} })
  })

  it('returns only the cameras added or changed on a later call', () => {
    const s = statesOf([CENTER])
    expect(s.setReference([{ ...CENTER, capacity: 100 }, ROAD], UNITS, T)).toEqual(['sc-1', 'rd-1'])
    expect(s.setReference([{ ...CENTER, capacity: 100 }, ROAD], UNITS, T)).toEqual([])
  })

  it('forgets a camera that left the reference data', () => {
    const s = statesOf()
    s.setReference([ROAD], UNITS, T)
    expect(s.state('sc-1')).toBeNull()
    expect(s.summaries().map((c) => c.id)).toEqual(['rd-1'])
  })

  it('describes the camera and its unit in the summary', () => {
    expect(statesOf().summary('sc-1')).toMatchObject({ kind: 'service_center', site: 'ttpvhcc-ha-long', unitName: 'TP Hạ Long', capacity: 80 })
  })
})

describe('camera states: apply', () => {
  it('returns the cameras it changed and ignores unknown ones', () => {
    const s = statesOf()
    expect(s.apply([count('cam-ghost', T, { person: 1 }), count('sc-1', T, { person: 2 })], T)).toEqual(new Set(['sc-1']))
    expect(s.state('cam-ghost')).toBeNull()
  })

  it('takes a camera online with the counts of its latest period', () => {
    const s = statesOf()
    s.apply([count('rd-1', T, { car: 4, motorbike: 9 })], T)
    expect(s.state('rd-1')).toMatchObject({ status: 'online', lastSeen: new Date(T).toISOString(), lastCounts: { car: 4, motorbike: 9 } })
  })

  it('keeps the counts of the newest period when an older one arrives late', () => {
    const s = statesOf()
    s.apply([count('rd-1', T, { car: 4 })], T)
    s.apply([count('rd-1', T - MIN, { car: 11 })], T)
    expect(s.state('rd-1')).toMatchObject({ lastSeen: new Date(T).toISOString(), lastCounts: { car: 4 } })
  })

  it('reports the people inside from the latest report', () => {
    const s = statesOf()
    s.apply([count('sc-1', T - MIN, { person: 3 }, 30), count('sc-1', T, { person: 2 }, 41)], T)
    expect(s.state('sc-1')?.inside).toBe(41)
  })

  it('sums the people arriving over the last hour at a service center, without a traffic rate', () => {
    const s = statesOf()
    s.apply([count('sc-1', T - 2 * MIN, { person: 5 }), count('sc-1', T - MIN, { person: 7 }), count('sc-1', T, { person: 3, car: 9 })], T)
    expect(s.state('sc-1')).toMatchObject({ arrivalsLastHour: 15, vehiclesPerMinute: null })
  })

  it('gives vehicles per minute on a road, without arrivals', () => {
    const s = statesOf()
    s.apply([count('rd-1', T - MIN, { car: 10, motorbike: 20, person: 4 }), count('rd-1', T, { car: 20, motorbike: 10 })], T)
    expect(s.state('rd-1')).toMatchObject({ vehiclesPerMinute: 30, arrivalsLastHour: null })
  })

  it('rounds vehicles per minute to one decimal', () => {
    const s = statesOf()
    s.apply([count('rd-1', T, { car: 10 }, null, 180)], T)
    expect(s.state('rd-1')?.vehiclesPerMinute).toBe(3.3)
  })

  it('does not count a redelivered period twice', () => {
    const s = statesOf()
    s.apply([count('sc-1', T, { person: 5 })], T)
    expect(s.apply([count('sc-1', T, { person: 5 })], T)).toEqual(new Set())
    expect(s.state('sc-1')?.arrivalsLastHour).toBe(5)
  })

  it('does not count a redelivered period twice when it first arrived out of order', () => {
    const s = statesOf()
    s.apply([count('sc-1', T, { person: 5 }), count('sc-1', T - MIN, { person: 7 })], T)
    s.apply([count('sc-1', T - MIN, { person: 7 })], T)
    expect(s.state('sc-1')?.arrivalsLastHour).toBe(12)
  })
})

describe('camera states: tick', () => {
  it('keeps the people inside for two reporting intervals after the report', () => {
    const s = statesOf()
    s.apply([count('sc-1', T, {}, 41)], T)
    s.tick(T + 2 * MIN)
    expect(s.state('sc-1')?.inside).toBe(41)
  })

  it('forgets the people inside once the latest report is older than two reporting intervals', () => {
    const s = statesOf()
    s.apply([count('sc-1', T, {}, 41)], T)
    expect(s.tick(T + 2 * MIN + 1)).toEqual(new Set(['sc-1']))
    expect(s.state('sc-1')?.inside).toBeNull()
  })

  it('drops periods older than an hour from the arrivals', () => {
    const s = statesOf()
    s.apply([count('sc-1', T, { person: 5 }), count('sc-1', T + 30 * MIN, { person: 3 })], T + 30 * MIN)
    expect(s.state('sc-1')?.arrivalsLastHour).toBe(8)
    expect(s.tick(T + HOUR)).toEqual(new Set(['sc-1']))
    expect(s.state('sc-1')?.arrivalsLastHour).toBe(3)
  })

  it('ages the status with the default thresholds: stale past two intervals, offline past ten', () => {
    const s = statesOf()
    s.apply([count('rd-1', T, { car: 1 })], T)
    s.tick(T + 2 * MIN + 1)
    expect(s.state('rd-1')?.status).toBe('stale')
    s.tick(T + 10 * MIN + 1)
    expect(s.state('rd-1')?.status).toBe('offline')
  })

  it('reports nothing when nothing changed', () => {
    const s = statesOf()
    s.apply([count('rd-1', T, { car: 1 })], T)
    expect(s.tick(T + 1000)).toEqual(new Set())
  })
})

describe('camera states: load', () => {
  it("replaces the periods with the database's and takes last seen from it when newer", () => {
    const s = statesOf()
    s.apply([count('sc-1', T - 5 * MIN, { person: 9 })], T - 5 * MIN)
    s.load([count('sc-1', T - 10 * MIN, { person: 4 })], new Map([['sc-1', T - MIN]]), T)
    expect(s.state('sc-1')).toMatchObject({ arrivalsLastHour: 4, lastSeen: new Date(T - MIN).toISOString(), status: 'online', lastCounts: { person: 4 } })
  })

  it('keeps a live last seen newer than the database', () => {
    const s = statesOf()
    s.apply([count('sc-1', T, { person: 9 })], T)
    s.load([], new Map([['sc-1', T - 30 * MIN]]), T)
    expect(s.state('sc-1')?.lastSeen).toBe(new Date(T).toISOString())
  })
})

describe('camera states: a camera reporting faster than its interval', () => {
  const SEC = 1000
  /** One-second periods of a camera that should report every minute: a person every other second, a car every third. */
  const everySecond = (cameraId: string, from: number, to: number): CameraCount[] => {
    const out: CameraCount[] = []
    for (let ts = from + SEC; ts <= to; ts += SEC) out.push(count(cameraId, ts, { person: (ts / SEC) % 2, car: (ts / SEC) % 3 === 0 ? 1 : 0 }, null, 1))
    return out
  }
  /** The same reports summed into one report per clock minute, sent at the minute's end. */
  const summedPerMinute = (reports: CameraCount[]): CameraCount[] => {
    const minutes = new Map<string, CameraCount>()
    for (const r of reports) {
      const end = Math.ceil(r.ts / MIN) * MIN
      const m = minutes.get(`${r.cameraId} ${end}`) ?? count(r.cameraId, end, { person: 0, car: 0 }, null, 0)
      m.periodSec += r.periodSec
      m.counts = { person: m.counts.person! + r.counts.person!, car: m.counts.car! + r.counts.car! }
      minutes.set(`${r.cameraId} ${end}`, m)
    }
    return [...minutes.values()]
  }

  it('holds a bounded number of periods over two hours of one report a second', () => {
    const s = statesOf()
    let most = 0
    for (const r of everySecond('sc-1', T, T + 2 * HOUR)) {
      s.apply([r], r.ts)
      most = Math.max(most, s.heldPeriods('sc-1'))
    }
    // an hour of minutes, and the one the window's start cuts
    expect(most).toBeLessThanOrEqual(61)
    expect(s.heldPeriods('sc-1')).toBe(60)
  })

  it('gives the arrivals and traffic of the same reports summed once a minute', () => {
    const fast = statesOf()
    const slow = statesOf()
    for (let minute = T; minute < T + 2 * HOUR; minute += MIN) {
      const reports = [...everySecond('sc-1', minute, minute + MIN), ...everySecond('rd-1', minute, minute + MIN)]
      for (const r of reports) fast.apply([r], r.ts)
      slow.apply(summedPerMinute(reports), minute + MIN)
      for (const id of ['sc-1', 'rd-1']) {
        const { arrivalsLastHour, vehiclesPerMinute } = slow.state(id)!
        expect(fast.state(id)).toMatchObject({ arrivalsLastHour, vehiclesPerMinute })
      }
    }
    expect(fast.state('sc-1')?.arrivalsLastHour).toBe(1800)
    expect(fast.state('rd-1')?.vehiclesPerMinute).toBe(20)
  })

  it('does not count a redelivered report of a minute that holds several', () => {
    const s = statesOf()
    const reports = everySecond('sc-1', T - MIN, T)
    s.apply(reports, T)
    expect(s.state('sc-1')?.arrivalsLastHour).toBe(30)
    expect(s.apply([reports[20]!, reports[59]!], T)).toEqual(new Set())
    expect(s.state('sc-1')?.arrivalsLastHour).toBe(30)
  })

  it('counts reports that arrive out of order within the hour', () => {
    const inOrder = statesOf()
    const shuffled = statesOf()
    const reports = everySecond('sc-1', T - 10 * MIN, T)
    inOrder.apply(reports, T)
    // every seventh report first, then the rest backwards: late reports into minutes that already hold later ones
    const late = reports.filter((_, i) => i % 7 !== 0).reverse()
    shuffled.apply(reports.filter((_, i) => i % 7 === 0), T)
    shuffled.apply(late, T)
    expect(shuffled.state('sc-1')?.arrivalsLastHour).toBe(inOrder.state('sc-1')?.arrivalsLastHour)
    expect(shuffled.state('sc-1')?.arrivalsLastHour).toBe(300)
  })

  it('counts the minute the window starts in whole, as one report at its latest period', () => {
    const s = statesOf()
    // two reports in the minute ending at T: at T - 50 s and at T
    s.apply([count('sc-1', T - 50 * SEC, { person: 4 }, null, 10), count('sc-1', T, { person: 6 }, null, 50)], T)
    // an hour after T - 30 s the first has left the window; the minute still counts both until its last leaves
    s.tick(T - 30 * SEC + HOUR)
    expect(s.state('sc-1')?.arrivalsLastHour).toBe(10)
    s.tick(T + HOUR)
    expect(s.state('sc-1')?.arrivalsLastHour).toBeNull()
  })

  it('ages the people inside from the report that gave them, not from the minute', () => {
    const s = statesOf()
    s.apply([count('sc-1', T - 50 * SEC, { person: 1 }, 41, 10), count('sc-1', T, { person: 1 }, null, 50)], T)
    s.tick(T - 50 * SEC + 2 * MIN)
    expect(s.state('sc-1')?.inside).toBe(41)
    s.tick(T - 50 * SEC + 2 * MIN + 1)
    expect(s.state('sc-1')?.inside).toBeNull()
  })

  it('takes a late report for a redelivery once a minute holds more reports than it remembers', () => {
    const s = statesOf()
    // 100 overlapping reports in one minute, 0.5 s apart, the earliest held back
    const reports = Array.from({ length: 100 }, (_, i) => count('sc-1', T - 50 * SEC + i * 500, { person: 1 }, null, 1))
    s.apply(reports.slice(1), T)
    expect(s.apply([reports[0]!], T)).toEqual(new Set())
    expect(s.state('sc-1')?.arrivalsLastHour).toBe(99)
  })
})

describe('camera states: load of a fast camera', () => {
  it('rebuilds the merged minutes from the database at resync', () => {
    const s = statesOf()
    const rows = Array.from({ length: 120 }, (_, i) => count('sc-1', T - 2 * MIN + (i + 1) * 1000, { person: 1 }, 10, 1))
    s.apply(rows.slice(0, 30), T - 90_000)
    s.load(rows, new Map([['sc-1', T]]), T)
    expect(s.heldPeriods('sc-1')).toBe(2)
    expect(s.state('sc-1')).toMatchObject({ arrivalsLastHour: 120, inside: 10 })
  })
})
