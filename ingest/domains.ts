// The domains ingest takes messages for. Adding a domain adds its line here.
import { camerasIngest } from './cameras/index.ts'
import { environmentIngest } from './environment/index.ts'
import type { IngestDomain } from './shared/domain.ts'

export const INGEST_DOMAINS: readonly IngestDomain[] = [environmentIngest, camerasIngest]
