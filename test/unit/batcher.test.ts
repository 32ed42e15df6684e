import { describe, it, expect } from 'vitest'
import { Batcher, exponentialBackoff, type BatcherOptions, type Timers } from '../../ingest/shared/batcher.ts'

/** A timer queue the test advances by hand: nothing here waits on the wall clock. */
class FakeTimers implements Timers {
  now = 0
  private queue: { at: number; seq: number; fn: () => void }[] = []
  private seq = 0

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { at: this.now + ms, seq: this.seq++, fn }
    this.queue.push(timer)
    return timer
  }

  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((t) => t !== handle)
  }

  /** Delays (from now) of the timers still pending, soonest first. */
  get pending(): number[] {
    return this.queue.map((t) => t.at - this.now).sort((a, b) => a - b)
  }

  /** Moves the clock forward, firing due timers in order and letting the promises they start settle. */
  async advance(ms: number): Promise<void> {
    const until = this.now + ms
    await settle() // a rejection just delivered schedules its retry timer first
    for (;;) {
      const next = [...this.queue].sort((a, b) => a.at - b.at || a.seq - b.seq)[0]
      if (!next || next.at > until) break
      this.queue = this.queue.filter((t) => t !== next)
      this.now = next.at
      next.fn()
      await settle()
    }
    this.now = until
    await settle()
  }
}

/** Lets every promise continuation that is already queued run (one macrotask turn, no wall-clock time). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve))

/** A flush the test completes by hand, recording the entries of each call. */
function manualFlush() {
  const calls: { entries: string[]; resolve(): void; reject(err: Error): void }[] = []
  const flush = (entries: string[]) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ entries: [...entries], resolve, reject })
    })
  return { calls, flush }
}

function batcher(timers: FakeTimers, flush: (entries: string[]) => Promise<void>, o: Partial<BatcherOptions<string>> = {}): Batcher<string> {
  return new Batcher<string>({ maxRows: 3, maxWaitMs: 50, highWaterRows: 100, rowsOf: () => 1, flush, retryDelayMs: () => 100, timers, ...o })
}

describe('batcher', () => {
  it('flushes when the batch reaches maxRows', () => {
    const timers = new FakeTimers()
    const { calls, flush } = manualFlush()
    const b = batcher(timers, flush, { maxRows: 3 })
    b.add('a')
    b.add('b')
    expect(calls).toHaveLength(0)
    b.add('c')
    expect(calls.map((c) => c.entries)).toEqual([['a', 'b', 'c']])
  })

  it('counts rows, not entries, towards maxRows', () => {
    const timers = new FakeTimers()
    const { calls, flush } = manualFlush()
    const b = batcher(timers, flush, { maxRows: 5, rowsOf: (e) => e.length })
    b.add('xx')
    expect(calls).toHaveLength(0)
    b.add('yyy')
    expect(calls.map((c) => c.entries)).toEqual([['xx', 'yyy']])
  })

  it('flushes a partial batch once its oldest entry has waited maxWaitMs', async () => {
    const timers = new FakeTimers()
    const { calls, flush } = manualFlush()
    const b = batcher(timers, flush, { maxWaitMs: 50 })
    b.add('a')
    await timers.advance(30)
    b.add('b')
    await timers.advance(19)
    expect(calls).toHaveLength(0)
    await timers.advance(1)
    expect(calls.map((c) => c.entries)).toEqual([['a', 'b']])
  })

  it('runs one flush at a time while the next batch fills', async () => {
    const timers = new FakeTimers()
    const { calls, flush } = manualFlush()
    const b = batcher(timers, flush, { maxRows: 2 })
    b.add('a')
    b.add('b')
    b.add('c')
    b.add('d')
    b.add('e')
    expect(calls.map((c) => c.entries)).toEqual([['a', 'b']])
    calls[0]!.resolve()
    await settle()
    expect(calls.map((c) => c.entries)).toEqual([['a', 'b'], ['c', 'd', 'e']])
  })

  it('flushes entries that arrived during a flush right after it when they are already due', async () => {
    const timers = new FakeTimers()
    const { calls, flush } = manualFlush()
    const b = batcher(timers, flush, { maxRows: 100, maxWaitMs: 50 })
    b.add('a')
    await timers.advance(50)
    b.add('b')
    await timers.advance(60) // b's wait ends while a's flush is still running
    expect(calls).toHaveLength(1)
    calls[0]!.resolve()
    await settle()
    expect(calls.map((c) => c.entries)).toEqual([['a'], ['b']])
  })

  it('lets entries that arrived during a flush wait out their own maxWaitMs after it', async () => {
    const timers = new FakeTimers()
    const { calls, flush } = manualFlush()
    const b = batcher(timers, flush, { maxRows: 100, maxWaitMs: 50 })
    b.add('a')
    await timers.advance(50)
    b.add('b')
    await timers.advance(10)
    calls[0]!.resolve()
    await timers.advance(39)
    expect(calls).toHaveLength(1)
    await timers.advance(1)
    expect(calls.map((c) => c.entries)).toEqual([['a'], ['b']])
  })

  it('retries a failed flush with the same entries', async () => {
    const timers = new FakeTimers()
    const { calls, flush } = manualFlush()
    const b = batcher(timers, flush, { maxRows: 2 })
    b.add('a')
    b.add('b')
    b.add('c') // the next batch, not part of the retry
    calls[0]!.reject(new Error('connection refused'))
    await timers.advance(100)
    expect(calls.map((c) => c.entries)).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ])
  })

  it('waits retryDelayMs(attempt) before each retry and reports every failure', async () => {
    const timers = new FakeTimers()
    const { calls, flush } = manualFlush()
    const failures: [string, number][] = []
    const b = batcher(timers, flush, {
      maxRows: 1,
      retryDelayMs: (attempt) => attempt * 100,
      onFlushError: (err, attempt) => failures.push([(err as Error).message, attempt]),
    })
    b.add('a')
    calls[0]!.reject(new Error('down'))
    await settle()
    expect(timers.pending).toEqual([100])
    await timers.advance(100)
    calls[1]!.reject(new Error('still down'))
    await settle()
    expect(timers.pending).toEqual([200])
    await timers.advance(199)
    expect(calls).toHaveLength(2)
    await timers.advance(1)
    expect(calls).toHaveLength(3)
    expect(failures).toEqual([
      ['down', 1],
      ['still down', 2],
    ])
  })

  it('keeps rows pending until a retried flush succeeds', async () => {
    const timers = new FakeTimers()
    const { calls, flush } = manualFlush()
    const b = batcher(timers, flush, { maxRows: 2 })
    b.add('a')
    b.add('b')
    calls[0]!.reject(new Error('down'))
    await timers.advance(100)
    expect(b.pendingRows).toBe(2)
    calls[1]!.resolve()
    await settle()
    expect(b.pendingRows).toBe(0)
  })

  it('is saturated at highWaterRows, counting both the waiting and the flushing rows', () => {
    const timers = new FakeTimers()
    const { flush } = manualFlush()
    const b = batcher(timers, flush, { maxRows: 2, highWaterRows: 4 })
    for (const e of ['a', 'b', 'c']) b.add(e)
    expect(b.saturated).toBe(false)
    b.add('d')
    expect(b.pendingRows).toBe(4)
    expect(b.saturated).toBe(true)
  })

  it('resolves whenBelowHighWater only after a commit brings the pending rows down', async () => {
    const timers = new FakeTimers()
    const { calls, flush } = manualFlush()
    const b = batcher(timers, flush, { maxRows: 2, highWaterRows: 4 })
    for (const e of ['a', 'b', 'c', 'd']) b.add(e)
    let below = false
    void b.whenBelowHighWater().then(() => (below = true))
    await timers.advance(1000) // time alone does not help: the rows are still uncommitted
    expect(below).toBe(false)
    calls[0]!.resolve()
    await settle()
    expect(below).toBe(true)
    expect(b.saturated).toBe(false)
  })

  it('resolves whenBelowHighWater at once when not saturated', async () => {
    const timers = new FakeTimers()
    const { flush } = manualFlush()
    const b = batcher(timers, flush, { highWaterRows: 4 })
    b.add('a')
    let below = false
    void b.whenBelowHighWater().then(() => (below = true))
    await settle()
    expect(below).toBe(true)
  })

  it('drain() commits everything accepted, the waiting batch after the one in flight', async () => {
    const timers = new FakeTimers()
    const { calls, flush } = manualFlush()
    const b = batcher(timers, flush, { maxRows: 2, maxWaitMs: 60_000 })
    for (const e of ['a', 'b', 'c']) b.add(e)
    let drained: boolean | null = null
    void b.drain().then((ok) => (drained = ok))
    calls[0]!.resolve()
    await settle()
    expect(calls.map((c) => c.entries)).toEqual([['a', 'b'], ['c']])
    expect(drained).toBeNull()
    calls[1]!.resolve()
    await settle()
    expect(drained).toBe(true)
    expect(b.pendingRows).toBe(0)
  })

  it('drain(timeout) gives up on a flush that never succeeds, resolves false and stops retrying', async () => {
    const timers = new FakeTimers()
    let attempts = 0
    const b = batcher(timers, async () => {
      attempts++
      throw new Error('database unreachable')
    })
    b.add('a')
    let drained: boolean | null = null
    void b.drain(1000).then((ok) => (drained = ok))
    await timers.advance(999)
    expect(drained).toBeNull()
    await timers.advance(1)
    expect(drained).toBe(false)
    const attemptsAtTimeout = attempts
    await timers.advance(60_000)
    expect(attempts).toBe(attemptsAtTimeout)
    expect(timers.pending).toEqual([])
  })

  it('abandons a failing flush on stop() without an unhandled rejection', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      const timers = new FakeTimers()
      const { calls, flush } = manualFlush()
      const b = batcher(timers, flush, { maxRows: 1 })
      b.add('a')
      calls[0]!.reject(new Error('down'))
      await settle()
      b.stop()
      await timers.advance(100)
      await settle()
      expect(calls).toHaveLength(1)
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })

  it('refuses entries after stop()', () => {
    const timers = new FakeTimers()
    const { flush } = manualFlush()
    const b = batcher(timers, flush)
    b.stop()
    expect(() => b.add('a')).toThrow('batcher is stopped')
  })

  it('refuses entries after a drain(timeout) that gave up', async () => {
    const timers = new FakeTimers()
    const b = batcher(timers, () => Promise.reject(new Error('down')))
    b.add('a')
    const drained = b.drain(10)
    await timers.advance(10)
    expect(await drained).toBe(false)
    expect(() => b.add('b')).toThrow('batcher is stopped')
  })
})

describe('exponentialBackoff', () => {
  it('doubles from 100 ms', () => {
    expect([1, 2, 3, 4].map((a) => exponentialBackoff(a))).toEqual([100, 200, 400, 800])
  })

  it('is capped at 5 s', () => {
    expect(exponentialBackoff(30)).toBe(5000)
  })
})
