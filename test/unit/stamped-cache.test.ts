// Reference data read per row on hot paths: rebuilt only when its stamp changes, the stamp asked at most once
// per interval, a failed read never kept, and a process's own write seen at once.
import { describe, expect, it } from 'vitest'
import { StampedCache } from '../../core/stamped-cache.ts'

function table() {
  const t = { stamp: 'v1', stampReads: 0, loads: 0, fail: false, clock: 0 }
  const cache = (checkEveryMs: number) =>
    new StampedCache({
      stamp: async () => {
        t.stampReads++
        if (t.fail) throw new Error('database down')
        return t.stamp
      },
      load: async () => `value of ${t.stamp} (load ${++t.loads})`,
      checkEveryMs,
      now: () => t.clock,
    })
  return { t, cache }
}

describe('StampedCache', () => {
  it('loads once per stamp, asking the stamp at every call without an interval', async () => {
    const { t, cache } = table()
    const c = cache(0)
    expect(await c.get()).toBe('value of v1 (load 1)')
    expect(await c.get()).toBe('value of v1 (load 1)')
    expect(t.stampReads).toBe(2)
    t.stamp = 'v2'
    expect(await c.get()).toBe('value of v2 (load 2)')
  })

  it('asks the stamp at most once per interval, so another process’s edit shows within it', async () => {
    const { t, cache } = table()
    const c = cache(1000)
    await Promise.all([c.get(), c.get(), c.get()])
    expect(t.stampReads).toBe(1)
    t.stamp = 'v2'
    t.clock = 1000
    expect(await c.get()).toBe('value of v1 (load 1)')
    t.clock = 1001
    expect(await c.get()).toBe('value of v2 (load 2)')
    expect(t.stampReads).toBe(2)
  })

  it('shows this process’s own write at once after forget()', async () => {
    const { t, cache } = table()
    const c = cache(60_000)
    await c.get()
    t.stamp = 'v2'
    c.forget()
    expect(await c.get()).toBe('value of v2 (load 2)')
  })

  it('does not keep a failed read: the next call asks again', async () => {
    const { t, cache } = table()
    const c = cache(60_000)
    t.fail = true
    await expect(c.get()).rejects.toThrow('database down')
    t.fail = false
    expect(await c.get()).toBe('value of v1 (load 1)')
  })
})
