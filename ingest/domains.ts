// The domains ingest takes messages for. Adding a domain adds its line here.
import type { Config } from '../core/config.ts'
import { camerasIngest } from './cameras/index.ts'
import { dossiersIngest } from './dossiers/index.ts'
import { environmentIngest } from './environment/index.ts'
import { reportsIngest } from './reports/index.ts'
import type { IngestDomain } from './shared/domain.ts'

/** The domains with their defaults (tests, tools). */
export const INGEST_DOMAINS: readonly IngestDomain[] = [environmentIngest, camerasIngest, dossiersIngest(), reportsIngest()]

/** The domains as configured. */
export function ingestDomains(config: Pick<Config, 'dossiers'>): readonly IngestDomain[] {
  return [environmentIngest, camerasIngest, dossiersIngest({ maxAgeMs: config.dossiers.maxAgeMs, hours: config.dossiers.hours }), reportsIngest()]
}
