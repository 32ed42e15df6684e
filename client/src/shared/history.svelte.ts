// A chart's history from the server: fetched when its key changes (another station, a reconnect's
// snapshot) and again every refreshMs, each fetch cancelling the one before. Keeps the last good data
// while a refetch is in flight or fails, so a slow link never blanks a chart.
export class History<T> {
  data = $state<T | null>(null)
  error = $state<string | null>(null)
  #abort: AbortController | null = null
  #timer: ReturnType<typeof setInterval> | null = null
  #key: string | null = null

  constructor(private readonly refreshMs: number) {}

  /**
   * Starts (or restarts) fetching: `key` names what is shown (null stops), `load` makes the request at each
   * fetch (through the typed REST client), since the time window moves with the clock.
   */
  follow(key: string | null, load: (signal: AbortSignal) => Promise<T>): void {
    if (key !== this.#key) this.data = null
    this.#key = key
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
    if (key === null) {
      this.#abort?.abort()
      return
    }
    void this.#fetch(key, load)
    this.#timer = setInterval(() => void this.#fetch(key, load), this.refreshMs)
  }

  close(): void {
    this.#abort?.abort()
    if (this.#timer) clearInterval(this.#timer)
  }

  async #fetch(key: string, load: (signal: AbortSignal) => Promise<T>): Promise<void> {
    this.#abort?.abort()
    const abort = (this.#abort = new AbortController())
    try {
      const body = await load(abort.signal)
      if (key === this.#key) {
        this.data = body
        this.error = null
      }
    } catch (err) {
      if (!abort.signal.aborted) this.error = String(err)
    }
  }
}
