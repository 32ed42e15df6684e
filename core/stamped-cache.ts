// A value read from the database and rebuilt only when its stamp changes (a cheap query such as
// `count(*) || max(updated_at)` over the table it comes from). The stamp itself can be asked at most once per
// `checkEveryMs`: a hot path that needs the value per row then costs one query a second, and an edit made by
// another process shows within that time (the process that made it calls forget() and sees it at once).

export interface StampedCacheOptions<T, A> {
  stamp(arg: A): Promise<string>
  load(arg: A): Promise<T>
  /** Reuse the last answer this long before asking the stamp again (0: ask every time). */
  checkEveryMs?: number
  now?: () => number
}

export class StampedCache<T, A = void> {
  #o: StampedCacheOptions<T, A>
  #held: { stamp: string; value: T } | null = null
  #check: { at: number; value: Promise<T> } | null = null

  constructor(o: StampedCacheOptions<T, A>) {
    this.#o = o
  }

  /** The value as of its current stamp; `arg` is what the queries run on (a pool, or a transaction's client). */
  get(arg: A): Promise<T> {
    const now = (this.#o.now ?? Date.now)()
    const every = this.#o.checkEveryMs ?? 0
    if (this.#check && every > 0 && now - this.#check.at <= every) return this.#check.value
    const value = (async () => {
      const stamp = await this.#o.stamp(arg)
      if (this.#held?.stamp !== stamp) this.#held = { stamp, value: await this.#o.load(arg) }
      return this.#held.value
    })()
    this.#check = { at: now, value }
    // a failed read is not reused: the next call asks again
    value.catch(() => {
      if (this.#check?.value === value) this.#check = null
    })
    return value
  }

  /** After a write of this process: the next get() asks the stamp again. */
  forget(): void {
    this.#check = null
  }
}
