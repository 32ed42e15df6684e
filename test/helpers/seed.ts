// Readings and camera periods written straight into a database, as ingest's domains write them, for tests
// that need data without going through MQTT.
import type { CameraCount, EnvReading } from '../../contract/index.ts'
import type { Database } from '../../db/database.ts'
import { camerasIngest } from '../../ingest/cameras/index.ts'
import { environmentIngest } from '../../ingest/environment/index.ts'

export async function writeBatch(db: Database, readings: readonly EnvReading[], counts: readonly CameraCount[] = []): Promise<void> {
  await db.transaction(async (tx) => {
    await environmentIngest.write(tx, readings)
    await camerasIngest.write(tx, counts)
  })
}
