import { describe, expect, it } from 'vitest'
import { baselineHour } from '../../server/shared/wall.ts'

const H = Date.parse('2026-11-21T03:00:00Z')
const HOUR = 3_600_000

describe('baselineHour', () => {
  it('is the start of the same clock hour one day earlier', () => {
    expect(baselineHour(H + 59 * 60_000)).toBe(H - 24 * HOUR)
    expect(baselineHour(H)).toBe(H - 24 * HOUR)
  })
})
