// What a fresh IOC needs before anyone can use it: a first admin when the user table is empty (its password
// from ADMIN_PASSWORD, or random and printed once), and a kiosk link for the wall of this machine, kept in
// DATA_DIR so every start can print the same link (a wall PC keeps its bookmark across restarts). The
// link's token is the only secret stored outside the database, in a file only this user can read.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createLogger } from '../../core/log.ts'
import { SYSTEM } from '../shared/audit.ts'
import { sha256 } from './secrets.ts'
import { kioskUrl, type AccountService } from './service.ts'
import type { AccountsRepository } from './repository.ts'

const log = createLogger('accounts')
export const LOCAL_KIOSK = 'local-wall'

export interface Bootstrapped {
  /** Shown once: the first admin's credentials, when this start created it. */
  admin: { username: string; password: string } | null
  /** The kiosk link of this machine's wall. */
  wallUrl: string
}

export async function bootstrapAccounts(accounts: AccountService, repo: AccountsRepository, o: { adminPassword: string | null; dataDir: string; baseUrl: string }): Promise<Bootstrapped> {
  const admin = await accounts.ensureFirstAdmin(o.adminPassword, SYSTEM)
  if (admin) log.info(`created the first admin account '${admin.username}'`)
  return { admin, wallUrl: await localWallLink(accounts, repo, o.dataDir, o.baseUrl) }
}

async function localWallLink(accounts: AccountService, repo: AccountsRepository, dataDir: string, baseUrl: string): Promise<string> {
  const file = join(dataDir, `kiosk-${LOCAL_KIOSK}.token`)
  const saved = await readFile(file, 'utf8').then((t) => t.trim(), () => null)
  // the saved token still opens the wall unless an admin revoked it (or the database is a new one)
  if (saved && (await repo.kioskByToken(sha256(saved)))) return kioskUrl(baseUrl, saved)
  const existing = await repo.kioskByName(LOCAL_KIOSK)
  if (existing && existing.revokedAt === null) await accounts.revokeKiosk(SYSTEM, LOCAL_KIOSK)
  const created = await accounts.addKiosk(SYSTEM, LOCAL_KIOSK, baseUrl)
  await mkdir(dataDir, { recursive: true })
  await writeFile(file, `${created.token}\n`, { mode: 0o600 })
  await chmod(file, 0o600)
  return created.url
}
