// One list the admin page reads from the server (users, kiosk links, API keys): its items once loaded, whether
// a load is under way and why the last one failed. A reload cancels the one before it, so a slow answer cannot
// overwrite a newer one; a write's answer is put in place without a reload.

export class RemoteList<T extends { id: string }> {
  /** Null until the first load answers. */
  items = $state<T[] | null>(null)
  loading = $state(false)
  error = $state<unknown>(null)

  #abort: AbortController | null = null

  constructor(
    private readonly fetchItems: (signal: AbortSignal) => Promise<T[]>,
    /** Told of every failure first (the page sends an ended session to the sign-in page). */
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  async load(): Promise<void> {
    this.#abort?.abort()
    const abort = (this.#abort = new AbortController())
    this.loading = true
    try {
      const items = await this.fetchItems(abort.signal)
      if (abort.signal.aborted) return
      this.items = items
      this.error = null
    } catch (err) {
      if (abort.signal.aborted) return
      this.onError(err)
      this.error = err
    } finally {
      if (this.#abort === abort) this.loading = false
    }
  }

  /** Puts a created or changed item in place: replaces the one with its id, or goes first when new. */
  put(item: T): void {
    const items = this.items ?? []
    const at = items.findIndex((i) => i.id === item.id)
    this.items = at < 0 ? [item, ...items] : items.with(at, item)
  }

  close(): void {
    this.#abort?.abort()
  }
}
