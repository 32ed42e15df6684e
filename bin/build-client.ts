// Builds the wall (client/ → client/dist) when its sources are newer than the last build, so `npm start`
// after a pull or an edit serves the current wall, and a start with nothing changed costs one directory
// walk. `npm run build` builds unconditionally.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const STAMP = join(ROOT, 'client/dist/.built')
/** What the bundle is made of: the client, the contract it imports, the build config and the locked dependencies. */
const INPUTS = ['client/src', 'client/index.html', 'client/login.html', 'client/admin.html', 'client/leaders.html', 'client/reports.html', 'contract', 'vite.config.ts', 'package-lock.json']

function newestMtime(path: string): number {
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let newest = st.mtimeMs
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)))
  return newest
}

export function clientIsStale(): boolean {
  // a production image carries the built wall without its sources (or Vite): nothing to rebuild there
  if (!existsSync(join(ROOT, 'client/src'))) return false
  if (!existsSync(STAMP)) return true
  const built = statSync(STAMP).mtimeMs
  return INPUTS.some((p) => existsSync(join(ROOT, p)) && newestMtime(join(ROOT, p)) > built)
}

export async function buildClient(): Promise<void> {
  const { build } = await import('vite')
  await build({ root: join(ROOT, 'client'), configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' })
  writeFileSync(STAMP, new Date().toISOString())
}

export async function buildClientIfStale(): Promise<boolean> {
  if (!clientIsStale()) return false
  await buildClient()
  return true
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const force = process.argv.includes('--force')
  const started = performance.now()
  if (force) await buildClient()
  const built = force || (await buildClientIfStale())
  console.log(built ? `wall built into client/dist in ${Math.round(performance.now() - started)} ms` : 'wall is up to date (client/dist)')
}
