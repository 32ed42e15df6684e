// A summary a domain's wall widgets share (the dossiers' month to date, the reports' open and late): fetched
// once for all the widgets of a screen, again when the domain's live list says something changed (gathered
// over a second, so a burst is one request), after every snapshot (a reconnect) and on a clock, since figures
// that depend on deadlines move with time alone. The last good answer stays while a refetch is in flight or fails.
import type { LiveList } from '../../../contract/index.ts'
import type { LiveData } from './live.svelte.ts'

const GATHER_MS = 1000

export class LiveSummary<T> {
  data = $state<T | null>(null)
  error = $state<string | null>(null)

  #abort: AbortController | null = null
  #timer: ReturnType<typeof setTimeout> | null = null
  #clock: ReturnType<typeof setInterval>
  #stopFrames: () => void

  constructor(
    live: LiveData,
    list: LiveList,
    private readonly fetch: (signal: AbortSignal) => Promise<T>,
    clockMs: number,
  ) {
    this.#stopFrames = live.onFrame((c) => {
      if (c.all || c.changed.has(list)) this.#schedule()
    })
    this.#clock = setInterval(() => this.#schedule(), clockMs)
    void this.#fetch()
  }

  close(): void {
    this.#stopFrames()
    clearInterval(this.#clock)
    if (this.#timer) clearTimeout(this.#timer)
    this.#abort?.abort()
  }

  #schedule(): void {
    this.#timer ??= setTimeout(() => {
      this.#timer = null
      void this.#fetch()
    }, GATHER_MS)
  }

  async #fetch(): Promise<void> {
    this.#abort?.abort()
    const abort = (this.#abort = new AbortController())
    try {
      this.data = await this.fetch(abort.signal)
      this.error = null
    } catch (err) {
      if (!abort.signal.aborted) this.error = String(err)
    }
  }
}

/**
 * One summary per wall connection and kind, shared by the widgets of the screen shown and closed with the
 * last of them: `open(live)` gives the summary and its release.
 */
export function sharedSummary<T>(make: (live: LiveData) => LiveSummary<T>): (live: LiveData) => { summary: LiveSummary<T>; release: () => void } {
  const shared = new WeakMap<LiveData, { summary: LiveSummary<T>; users: number }>()
  return (live) => {
    let entry = shared.get(live)
    if (!entry) shared.set(live, (entry = { summary: make(live), users: 0 }))
    entry.users++
    const held = entry
    let released = false
    return {
      summary: held.summary,
      release: () => {
        if (released) return
        released = true
        if (--held.users === 0) {
          held.summary.close()
          shared.delete(live)
        }
      },
    }
  }
}
