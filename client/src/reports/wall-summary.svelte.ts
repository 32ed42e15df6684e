// What the wall's report widgets show (GET /api/reports/today), fetched once for all of them on a screen and
// again when the live channel says an inbox changed (gathered over a second), after every snapshot and every
// minute, since reports turn due soon and overdue by the clock with no event at all. The last good answer
// stays while a refetch is in flight or fails.
import { REPORTS_CHANNEL, ROUTES, type ReportWallResponse } from '../../../contract/index.ts'
import { get } from '../shared/api.ts'
import type { LiveData } from '../shared/live.svelte.ts'

const GATHER_MS = 1000
const CLOCK_REFRESH_MS = 60_000

export class ReportWallSummary {
  data = $state<ReportWallResponse | null>(null)
  error = $state<string | null>(null)

  #abort: AbortController | null = null
  #timer: ReturnType<typeof setTimeout> | null = null
  #clock: ReturnType<typeof setInterval>
  #stopFrames: () => void

  constructor(live: LiveData) {
    this.#stopFrames = live.onFrame((c) => {
      if (c.all || c.changed.has(REPORTS_CHANNEL.list)) this.#schedule()
    })
    this.#clock = setInterval(() => this.#schedule(), CLOCK_REFRESH_MS)
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
      this.data = await get(ROUTES.reportWall, { signal: abort.signal })
      this.error = null
    } catch (err) {
      if (!abort.signal.aborted) this.error = String(err)
    }
  }
}

/** One summary per wall connection, shared by the report widgets of the screen shown, closed with the last of them. */
const shared = new WeakMap<LiveData, { summary: ReportWallSummary; users: number }>()

export function openReportWallSummary(live: LiveData): { summary: ReportWallSummary; release: () => void } {
  let entry = shared.get(live)
  if (!entry) shared.set(live, (entry = { summary: new ReportWallSummary(live), users: 0 }))
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
