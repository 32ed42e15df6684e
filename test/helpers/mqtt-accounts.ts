// Device accounts for an embedded broker under test, in the files Mosquitto reads: a password file with plain
// lines (accepted for development) and an ACL. Returns the environment that points npm start at them.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface TestAccount {
  username: string
  password: string
  /** ACL lines for this user (`topic write ioc/v1/env/+`); none: the default own-topic rule. */
  topics?: string[]
}

export async function brokerAccountFiles(dir: string, accounts: readonly TestAccount[]): Promise<{ MQTT_PASSWORD_FILE: string; MQTT_ACL_FILE?: string }> {
  const passwordFile = join(dir, 'mqtt-passwd')
  await writeFile(passwordFile, accounts.map((a) => `${a.username}:${a.password}\n`).join(''), { mode: 0o600 })
  if (!accounts.some((a) => a.topics)) return { MQTT_PASSWORD_FILE: passwordFile }
  const aclFile = join(dir, 'mqtt-acl')
  await writeFile(aclFile, accounts.map((a) => `user ${a.username}\n${(a.topics ?? []).map((t) => `${t}\n`).join('')}\n`).join(''), { mode: 0o600 })
  return { MQTT_PASSWORD_FILE: passwordFile, MQTT_ACL_FILE: aclFile }
}

/** An mqtt:// URL with the account's credentials. */
export function mqttUrlFor(account: TestAccount, port: number | string): string {
  return `mqtt://${encodeURIComponent(account.username)}:${encodeURIComponent(account.password)}@127.0.0.1:${port}`
}
