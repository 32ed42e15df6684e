// The accounts the demo's report desk (simulator/report-desk.ts) acts with: a dispatcher and agency staff of
// the whole province, made once, with fresh API keys at each start (the previous start's keys revoked, so
// keys do not pile up). Only when the simulator runs: a real deployment's people sign in themselves.
import { randomBytes } from 'node:crypto'
import type { AccountService } from '../server/accounts/service.ts'
import { SYSTEM } from '../server/shared/audit.ts'

const DISPATCHER = 'mo-phong-dieu-phoi'
const AGENCY = 'mo-phong-co-quan'
const KEY_NAME = 'mo-phong-ban-tiep-nhan'

export async function simulatorDeskKeys(accounts: AccountService, rootUnitId: string): Promise<{ dispatcherKey: string; agencyKey: string }> {
  const users = await accounts.users()
  const ensure = async (username: string, displayName: string, roles: ('dispatcher' | 'agency')[], agencyUnitId?: string) => {
    if (users.some((u) => u.username === username)) return
    await accounts.addUser(SYSTEM, { username, displayName, password: randomBytes(24).toString('base64url'), roles, agencyUnitId })
  }
  await ensure(DISPATCHER, 'Điều phối viên (mô phỏng)', ['dispatcher'])
  await ensure(AGENCY, 'Cán bộ cơ quan (mô phỏng)', ['agency'], rootUnitId)
  for (const k of await accounts.apiKeys()) if (k.name === KEY_NAME && k.revokedAt === null) await accounts.revokeApiKey(SYSTEM, k.id)
  const dispatcherKey = (await accounts.addApiKey(SYSTEM, KEY_NAME, DISPATCHER)).key
  const agencyKey = (await accounts.addApiKey(SYSTEM, KEY_NAME, AGENCY)).key
  return { dispatcherKey, agencyKey }
}
