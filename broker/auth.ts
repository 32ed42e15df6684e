// Who may connect to the embedded broker and what each account may do. Accounts come from two places:
//   - the all-in-one's own clients, always: `ioc-server` reads {root}/live/# and announces its own
//     citizen-report changes on {root}/live/report (as deploy/mosquitto/acl lets it), `ioc-simulator` writes
//     {root}/{segment}/+ for every input segment; their passwords are random at every start and handed to
//     the caller, which puts them into the clients' URLs. Lines for these names in the files are ignored.
//   - devices and integrations, from MQTT_PASSWORD_FILE, with rights from MQTT_ACL_FILE or, without one,
//     the rule "an account publishes only under its own id": write {root}/{segment}/%u for every segment.
// Whatever an ACL grants, no network client publishes under {root}/live/ (ingest does, in-process, and the
// server trusts what arrives there), except the internal server on {root}/live/report, nor to a $ topic. Anonymous clients are refused.
// The files are Mosquitto's (broker/password-file.ts, broker/acl.ts), so one set serves both brokers.
import { randomBytes } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { createLogger } from '../core/log.ts'
import { aclAllows, parseAclFile, type Acl, type AclRule } from './acl.ts'
import { parsePasswordFile, UNKNOWN_USER_ENTRY, verifyPassword, type PasswordEntry } from './password-file.ts'

export { aclAllows, filterCovers, parseAclFile, topicMatches, type Acl, type AclAccess, type AclRule } from './acl.ts'
export { parsePasswordFile, verifyPassword, type PasswordEntry } from './password-file.ts'

const log = createLogger('broker')

/** User names of the all-in-one's own clients. */
export const INTERNAL_USERS = { server: 'ioc-server', simulator: 'ioc-simulator' } as const

export interface Account {
  username: string
  password: string
}

export interface BrokerAccounts {
  /** The all-in-one's own clients; the passwords are new at every start. */
  internal: { server: Account; simulator: Account }
  /** Names of the accounts read from MQTT_PASSWORD_FILE. */
  fileAccounts: readonly string[]
}

/** Why a connection was refused (the `reason` of ioc_broker_refused_total). */
export type ConnectRefusal = 'anonymous' | 'bad_credentials'

export interface BrokerAuth extends BrokerAccounts {
  authenticate(username: string | undefined, password: string | Buffer | undefined): { ok: true } | { ok: false; reason: ConnectRefusal }
  /** May this client publish to `topic`? */
  canPublish(user: string, clientId: string, topic: string): boolean
  /** May this client subscribe to `filter`? Only if its read rights cover every topic the filter matches. */
  canSubscribe(user: string, clientId: string, filter: string): boolean
  /** May this client be sent a message published on `topic`? */
  canRead(user: string, clientId: string, topic: string): boolean
}

export interface BrokerAuthOptions {
  topicRoot: string
  /** The input segments (contract/domains.ts INPUT_SEGMENTS): devices publish under {root}/{segment}/{id}. */
  segments: readonly string[]
  /** Accounts of devices and integrations. */
  accounts: ReadonlyMap<string, PasswordEntry>
  /** Their rights; null: each publishes only under its own id. */
  acl: Acl | null
  /** The internal accounts' passwords (tests pin them). */
  newPassword?: () => string
}

/** The rights of every account, from accounts and rules already read. */
export function createBrokerAuth(o: BrokerAuthOptions): BrokerAuth {
  const root = o.topicRoot.replace(/\/+$/, '')
  const newPassword = o.newPassword ?? (() => randomBytes(24).toString('base64url'))
  const server: Account = { username: INTERNAL_USERS.server, password: newPassword() }
  const simulator: Account = { username: INTERNAL_USERS.simulator, password: newPassword() }
  const internalPasswords = new Map<string, PasswordEntry>([
    [server.username, { scheme: 'plain', password: server.password, line: 0 }],
    [simulator.username, { scheme: 'plain', password: simulator.password, line: 0 }],
  ])
  const rule = (access: AclRule['access'], topic: string): AclRule => ({ access, topic, line: 0 })
  const live = `${root}/live`
  /** What the server itself announces: a console action or an Open311 POST it committed (contract/reports/live.ts). */
  const serverLive = `${live}/report`
  const internalAcl: Acl = {
    anonymous: [],
    users: new Map([
      [server.username, [rule('read', `${root}/live/#`), rule('write', serverLive)]],
      [simulator.username, o.segments.map((s) => rule('write', `${root}/${s}/+`))],
    ]),
    patterns: [],
  }
  const fileAcl = o.acl ?? ownTopicAcl(root, o.segments)
  const aclOf = (user: string) => (internalPasswords.has(user) ? internalAcl : fileAcl)
  const accounts = new Map([...o.accounts].filter(([name]) => !internalPasswords.has(name)))

  return {
    internal: { server, simulator },
    fileAccounts: [...accounts.keys()],
    authenticate(username, password) {
      if (!username) return { ok: false, reason: 'anonymous' }
      // an empty password is no password (Mosquitto refuses it as well)
      if (!password?.length) return { ok: false, reason: 'bad_credentials' }
      const entry = internalPasswords.get(username) ?? accounts.get(username)
      if (!entry) {
        verifyPassword(UNKNOWN_USER_ENTRY, password)
        return { ok: false, reason: 'bad_credentials' }
      }
      return verifyPassword(entry, password) ? { ok: true } : { ok: false, reason: 'bad_credentials' }
    },
    canPublish(user, clientId, topic) {
      if (topic.startsWith('$')) return false
      if (topic === live || topic.startsWith(`${live}/`)) return user === server.username && topic === serverLive
      return aclAllows(aclOf(user), { username: user, clientId }, 'write', topic)
    },
    canSubscribe(user, clientId, filter) {
      return aclAllows(aclOf(user), { username: user, clientId }, 'subscribe', filter)
    },
    canRead(user, clientId, topic) {
      return aclAllows(aclOf(user), { username: user, clientId }, 'read', topic)
    },
  }
}

/** The rule without an ACL file: every account publishes to its own id's topic of each segment, and nothing else. */
export function ownTopicAcl(root: string, segments: readonly string[]): Acl {
  return { anonymous: [], users: new Map(), patterns: segments.map((s) => ({ access: 'write', topic: `${root}/${s}/%u`, line: 0 })) }
}

/**
 * Reads MQTT_PASSWORD_FILE and MQTT_ACL_FILE (either may be null) and builds the broker's rights. A file
 * that cannot be read or holds a malformed line stops start-up with an Error naming file:line.
 */
export async function brokerAuth(o: { topicRoot: string; segments: readonly string[]; passwordFile: string | null; aclFile: string | null }): Promise<BrokerAuth> {
  const root = o.topicRoot.replace(/\/+$/, '')
  let accounts = new Map<string, PasswordEntry>()
  if (o.passwordFile) {
    const parsed = parsePasswordFile(await readText(o.passwordFile, 'MQTT_PASSWORD_FILE'), o.passwordFile)
    if (parsed.problems.length) throw new Error(`MQTT_PASSWORD_FILE is not a valid Mosquitto password file:\n  ${parsed.problems.join('\n  ')}`)
    accounts = parsed.accounts
    for (const name of Object.values(INTERNAL_USERS)) {
      const entry = accounts.get(name)
      if (entry) log.warn(`${o.passwordFile}:${entry.line}: ${name} is the IOC's own account; the embedded broker ignores this line and gives ${name} a new random password at each start`)
    }
    const plain = [...accounts].filter(([name, e]) => e.scheme === 'plain' && !isInternal(name)).map(([name]) => name)
    if (plain.length) {
      log.warn(
        `${o.passwordFile}: ${plain.length} account(s) with a plaintext password (${plain.slice(0, 5).join(', ')}${plain.length > 5 ? ', …' : ''}); ` +
          `plaintext is for development: hash them with mosquitto_passwd -U ${o.passwordFile} (Mosquitto itself refuses plaintext lines)`,
      )
    }
    const mode = (await stat(o.passwordFile)).mode
    if (mode & 0o004) log.warn(`${o.passwordFile} is readable by every user of this machine; restrict it (chmod 600 ${o.passwordFile})`)
  }
  let acl: Acl | null = null
  if (o.aclFile) {
    const parsed = parseAclFile(await readText(o.aclFile, 'MQTT_ACL_FILE'), o.aclFile)
    if (parsed.problems.length) throw new Error(`MQTT_ACL_FILE is not a valid Mosquitto ACL file:\n  ${parsed.problems.join('\n  ')}`)
    acl = parsed.acl
    if (!o.passwordFile) log.warn('MQTT_ACL_FILE is set but MQTT_PASSWORD_FILE is not: there are no accounts for its rules to apply to')
  }
  const auth = createBrokerAuth({ topicRoot: root, segments: o.segments, accounts, acl })
  const segmentTopics = o.segments.map((s) => `${root}/${s}/<user>`).join(', ')
  if (!o.passwordFile) {
    log.info(
      'The embedded MQTT broker admits only the IOC\'s own clients. To let a device publish, give it an account: ' +
        'a line `station-01:<hash>` in a password file (mosquitto_passwd -c <file> station-01 writes one; ' +
        '`station-01:<password>` in plaintext works for development), then start with MQTT_PASSWORD_FILE=<file> ' +
        `(and MQTT_HOST=0.0.0.0 for devices on the network). Without MQTT_ACL_FILE an account publishes only to its own topics: ${segmentTopics}.`,
    )
  } else {
    const rights = o.aclFile ? `topic rights from ${o.aclFile}` : `each publishes only to its own topics (${segmentTopics})`
    log.info(`embedded MQTT broker: ${auth.fileAccounts.length} account(s) from ${o.passwordFile}; ${rights}`)
  }
  return auth
}

const isInternal = (name: string) => (Object.values(INTERNAL_USERS) as string[]).includes(name)

async function readText(file: string, variable: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (err) {
    throw new Error(`${variable}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
  }
}
