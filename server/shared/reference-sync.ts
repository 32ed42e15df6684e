// Keeps the server's picture of the world current: the unit tree and each domain's reference rows (re-read
// when their version stamps move; real cities have large boundaries) and each domain's live state (re-read
// from the database at start, after a broker reconnect and periodically, so a missed frame costs at most one
// resync interval of drift).
import type { ServerDomain } from './domain.ts'
import type { UnitTree } from './units.ts'

export class ReferenceSync {
  constructor(
    private readonly units: UnitTree,
    private readonly domains: readonly ServerDomain[],
  ) {}

  /** Re-reads units and each domain's reference when they changed; true when anything did. */
  async reload(): Promise<boolean> {
    const unitsChanged = await this.units.reload()
    let changed = unitsChanged
    for (const d of this.domains) if ((await d.reloadReference(this.units.names(), unitsChanged)).length) changed = true
    return changed
  }

  /** Reference, then every domain's live state. */
  async resync(): Promise<void> {
    await this.reload()
    for (const d of this.domains) await d.load()
  }
}
