// Runs once before the test files: browser tests load the built wall from client/dist, so build it when
// its sources changed (a fresh clone, an edit) and not otherwise.
import { buildClientIfStale } from '../../bin/build-client.ts'

export default async function setup(): Promise<void> {
  await buildClientIfStale()
}
