// The /healthz answer of any IOC process: pings the database (a problem when it does not answer in time)
// and adds the problems the caller already knows of (its broker connection, ingest's commits). Problems
// name the part at fault and never a host, port or path.
import type { HealthResponse } from '../contract/index.ts'
import { describeDatabaseError, type Database } from './database.ts'

export const PING_TIMEOUT_MS = 5000

export async function healthReport(db: Database, brokerConnected: boolean, known: string[]): Promise<HealthResponse> {
  const problems = [...known]
  const database = await db.ping(PING_TIMEOUT_MS).then(
    () => 'up' as const,
    (err: unknown) => {
      problems.push(`database: ${describeDatabaseError(err)}`)
      return 'down' as const
    },
  )
  return { ok: problems.length === 0, database, broker: brokerConnected ? 'up' : 'down', problems }
}
