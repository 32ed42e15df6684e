// Batches entries for the database: a batch is flushed when it holds maxRows rows or its oldest entry has
// waited maxWaitMs, one flush at a time (the next batch fills meanwhile). A failed flush is retried with
// backoff, keeping its entries (their MQTT acks are held until the commit, so nothing is lost). When the
// rows waiting exceed highWaterRows the caller stops taking messages (see whenBelowHighWater), which turns
// a slow database into backpressure on the broker instead of memory growth.

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface BatcherOptions<T> {
  maxRows: number
  maxWaitMs: number
  highWaterRows: number
  rowsOf(entry: T): number
  flush(entries: T[]): Promise<void>
  /** Delay before retry number `attempt` (1-based) of a failed flush. */
  retryDelayMs?(attempt: number): number
  onFlushError?(err: unknown, attempt: number): void
  timers?: Timers
  /** Clock for flushingSince, epoch ms. Default Date.now. */
  now?: () => number
}

const defaultTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
}

export function exponentialBackoff(attempt: number, baseMs = 100, maxMs = 5000): number {
  return Math.min(maxMs, baseMs * 2 ** (attempt - 1))
}

export class Batcher<T> {
  private current: T[] = []
  private currentRows = 0
  private inFlightRows = 0
  private inFlightEntries = 0
  private flushStartedAt: number | null = null
  private due = false
  private timer: unknown = null
  private flushing: Promise<void> | null = null
  private stopped = false
  private waiters: (() => void)[] = []
  /** The backoff wait before the next retry, so stop() can cut it short. */
  private retryWait: { handle: unknown; wake: () => void } | null = null
  private readonly timers: Timers

  constructor(private readonly o: BatcherOptions<T>) {
    this.timers = o.timers ?? defaultTimers
  }

  /** Rows accepted and not yet committed (waiting plus being written). */
  get pendingRows(): number {
    return this.currentRows + this.inFlightRows
  }

  /** Entries accepted and not yet committed. */
  get pendingEntries(): number {
    return this.current.length + this.inFlightEntries
  }

  /** When the flush in progress began (retries included), or null: a flush that never ends is a stalled database. */
  get flushingSince(): number | null {
    return this.flushStartedAt
  }

  get saturated(): boolean {
    return this.pendingRows >= this.o.highWaterRows
  }

  add(entry: T): void {
    if (this.stopped) throw new Error('batcher is stopped')
    this.current.push(entry)
    this.currentRows += this.o.rowsOf(entry)
    if (this.current.length === 1) {
      this.timer = this.timers.setTimeout(() => {
        this.timer = null
        this.due = true
        this.kick()
      }, this.o.maxWaitMs)
    }
    if (this.currentRows >= this.o.maxRows) this.kick()
  }

  /** Resolves when pending rows fall below the high-water mark. */
  whenBelowHighWater(): Promise<void> {
    if (!this.saturated) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  /**
   * Flushes everything accepted so far and waits for it to commit. With a timeout, gives up retrying when
   * it expires and resolves false: those entries stay unacknowledged and the broker redelivers them.
   */
  async drain(timeoutMs?: number): Promise<boolean> {
    const work = (async () => {
      while (this.current.length || this.flushing) {
        this.kick()
        await this.flushing?.catch(() => {})
      }
    })()
    if (timeoutMs === undefined) {
      await work
      return true
    }
    let timer: unknown = null
    const finished = await Promise.race([work.then(() => true), new Promise<boolean>((r) => (timer = this.timers.setTimeout(() => r(false), timeoutMs)))])
    this.timers.clearTimeout(timer)
    if (!finished) this.stop()
    return finished
  }

  /** Stops retrying and refuses new entries. */
  stop(): void {
    this.stopped = true
    if (this.timer !== null) this.timers.clearTimeout(this.timer)
    this.timer = null
    if (this.retryWait) {
      this.timers.clearTimeout(this.retryWait.handle)
      this.retryWait.wake()
    }
    const waiting = this.waiters
    this.waiters = []
    for (const w of waiting) w()
  }

  private kick(): void {
    if (this.flushing || this.current.length === 0) return
    const batch = this.current
    this.inFlightRows = this.currentRows
    this.inFlightEntries = batch.length
    this.flushStartedAt = (this.o.now ?? Date.now)()
    this.current = []
    this.currentRows = 0
    this.due = false
    if (this.timer !== null) this.timers.clearTimeout(this.timer)
    this.timer = null
    // flushWithRetry rejects only once stopped: the entries stay unacknowledged and the broker redelivers them
    this.flushing = this.flushWithRetry(batch).catch(() => {}).finally(() => {
      this.flushing = null
      this.inFlightRows = 0
      this.inFlightEntries = 0
      this.flushStartedAt = null
      this.releaseWaiters()
      if (this.stopped) return
      // entries that arrived meanwhile have their own timer running (set by add); flush now if already due
      if (this.currentRows >= this.o.maxRows || this.due) this.kick()
    })
  }

  private async flushWithRetry(batch: T[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.o.flush(batch)
        return
      } catch (err) {
        this.o.onFlushError?.(err, attempt)
        if (this.stopped) throw err
        const delay = (this.o.retryDelayMs ?? exponentialBackoff)(attempt)
        await new Promise<void>((wake) => {
          this.retryWait = { handle: this.timers.setTimeout(wake, delay), wake }
        })
        this.retryWait = null
        if (this.stopped) throw err
      }
    }
  }

  private releaseWaiters(): void {
    if (this.saturated) return
    const waiting = this.waiters
    this.waiters = []
    for (const w of waiting) w()
  }
}
