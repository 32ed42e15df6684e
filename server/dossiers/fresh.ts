// A computed value shared by every caller and never older than the last change before the call: callers at
// the same version share one result; a change while a computation runs queues exactly one more, which every
// later caller joins until it starts. So a hundred walls refetching after every committed batch cost one
// computation at a time, and none of them gets numbers from before the change that woke it.
export class Fresh<T> {
  private version = 0
  private done: { version: number; value: Promise<T> } | null = null
  private running: Promise<T> | null = null
  private queued: { version: number; value: Promise<T> } | null = null

  constructor(private readonly compute: () => Promise<T>) {}

  /** The data behind the value changed. */
  invalidate(): void {
    this.version++
  }

  get(): Promise<T> {
    const v = this.version
    if (this.done?.version === v) return this.done.value
    if (this.queued) {
      // not started yet: it will see everything up to now
      this.queued.version = v
      return this.queued.value
    }
    if (!this.running) return this.start({ version: v })
    const entry = { version: v, value: null as unknown as Promise<T> }
    entry.value = this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null
        return this.start(entry)
      })
    this.queued = entry
    return entry.value
  }

  private start(entry: { version: number }): Promise<T> {
    const version = entry.version
    const value = this.compute()
    this.running = value
    value.then(
      () => {
        if (!this.done || this.done.version <= version) this.done = { version, value }
      },
      () => undefined,
    )
    void value.finally(() => {
      if (this.running === value) this.running = null
    }).catch(() => undefined)
    return value
  }
}
