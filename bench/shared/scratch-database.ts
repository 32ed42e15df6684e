// A database of a benchmark's own on the PostgreSQL server it is given, created at the start and dropped at
// the end (BENCH_KEEP_DB=1 keeps it, for a look afterwards), so a run never touches anyone's data.
import pg from 'pg'

export interface ScratchDatabase {
  name: string
  /** Its connection string: the server's, with the database's name. */
  url: string
  /** A connection to the server's own database, for what the bench asks of the server itself. */
  admin: pg.Client
  /** Drops it (unless BENCH_KEEP_DB=1) and closes `admin`; a failure is reported, not thrown. */
  drop(): Promise<void>
}

export async function scratchDatabase(serverUrl: string, name: string): Promise<ScratchDatabase> {
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    name,
    url: url.toString(),
    admin,
    async drop() {
      if (process.env.BENCH_KEEP_DB === '1') console.log(`kept database ${name}`)
      else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((err: Error) => console.error(`could not drop ${name}: ${err.message}`))
      await admin.end().catch(() => {})
    },
  }
}
