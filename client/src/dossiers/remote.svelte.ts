// One answer the leader page reads from the server (the KPIs, a ranking, the trend…): the last good value,
// what it was asked for (its key), whether a newer request is under way and why the last one failed. A new
// request cancels the one before it, so a slow answer never overwrites a newer one; the old value stays on
// screen (marked stale when it answers another question) until the new one arrives, so a slow link never
// blanks a number.

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
    /** Told of every failure first (the page sends an ended session to the sign-in page). */
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

  close(): void {
    this.#abort?.abort()
  }
}
