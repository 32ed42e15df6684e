// One answer a page reads from the server (the leader page's KPIs, a ranking; the console's queue, the open
// report): the last good value, what it was asked for (its key), whether a newer request is under way and why
// the last one failed. A new request cancels the one before it, so a slow answer never overwrites a newer one;
// the old value stays on screen (marked stale when it answers another question) until the new one arrives, so
// a slow link never blanks a number or a queue under a clerk's cursor.

export class Remote<T> {
  /** Null until the first answer. */
  value = $state<T | null>(null)
  /** The key `value` answers. */
  valueKey = $state<string | null>(null)
  /** The key last asked for. */
  key = $state<string | null>(null)
  loading = $state(false)
  error = $state<unknown>(null)
  /** True while the value shown answers another question than the one asked (another period or unit). */
  stale = $derived(this.value !== null && this.valueKey !== this.key)

  #abort: AbortController | null = null

  constructor(
    /** Told of every failure first (a page sends an ended session to the sign-in page). */
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** Asks for `key` with `fetch` (the same key again is a refresh: the value stays until the answer). */
  async load(key: string, fetch: (signal: AbortSignal) => Promise<T>): Promise<void> {
    this.#abort?.abort()
    const abort = (this.#abort = new AbortController())
    this.key = key
    this.loading = true
    try {
      const value = await fetch(abort.signal)
      if (abort.signal.aborted) return
      this.value = value
      this.valueKey = key
      this.error = null
    } catch (err) {
      if (abort.signal.aborted) return
      this.onError(err)
      this.error = err
    } finally {
      if (this.#abort === abort) this.loading = false
    }
  }

  /** Stops asking (the view no longer shows it); the last value is kept for when it comes back. */
  idle(): void {
    this.#abort?.abort()
    this.#abort = null
    this.loading = false
  }

  /**
   * An answer that came another way (a write answers with the report as it now is). A read still under way
   * may have left before the write committed, so it is dropped; the live change the write causes asks again.
   */
  set(key: string, value: T): void {
    this.#abort?.abort()
    this.#abort = null
    this.loading = false
    this.value = value
    this.valueKey = key
    this.key = key
    this.error = null
  }

  /** Forgets the value (nothing to show: no report picked). */
  clear(): void {
    this.#abort?.abort()
    this.#abort = null
    this.value = null
    this.valueKey = null
    this.key = null
    this.loading = false
    this.error = null
  }

  close(): void {
    this.#abort?.abort()
  }
}
