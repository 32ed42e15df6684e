// npm run users -- <command>: accounts from a shell, for the first setup and for automation. Works on
// DATABASE_URL or, when it is unset, on the embedded database in DATA_DIR (with `npm start` stopped; while it
// runs, use the admin page). Passwords are read from stdin, never from the command line (which other users
// of the machine can read in the process list). Every change is audited as done by `cli:<os user>`.
import { userInfo } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { check, newUserBody, ROLES } from '../contract/index.ts'
import { loadConfig, type Config } from '../core/config.ts'
import { redactUrl } from '../core/log.ts'
import type { Database } from '../db/database.ts'
import { startEmbeddedDatabase } from '../db/embedded/index.ts'
import { migrate } from '../db/migrate.ts'
import { openPostgres } from '../db/postgres.ts'
import { accountsRepository } from '../server/accounts/repository.ts'
import { AccountService } from '../server/accounts/service.ts'
import type { Actor } from '../server/shared/audit.ts'
import { HttpProblem } from '../server/shared/http.ts'

const USAGE = `usage: npm run users -- <command>
  add NAME --role ROLE [--role ROLE2] [--agency UNIT_ID] [--scope UNIT_ID] [--display-name TEXT]
                               the password is read from stdin (at least 12 characters)
  list                         every user, with roles, agency/scope and state
  disable NAME | enable NAME   a disabled user is signed out everywhere and cannot sign in
  reset-password NAME          the new password from stdin; signs the user out everywhere
  kiosk-token NAME [--base-url URL]
                               a new kiosk link for the wall display NAME (revokes its previous link)
  api-key NAME --user USER     a new API key acting as USER
roles: ${ROLES.join(', ')}
examples:
  printf '%s' 'a long passphrase' | npm run users -- add tran.van.a --role dispatcher
  npm run users -- kiosk-token hall-screen --base-url https://ioc.example`

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (then Enter, then Ctrl-D): ')
  const chunks: Buffer[] = []
  for await (const c of process.stdin) chunks.push(c as Buffer)
  // one trailing newline is the shell's, not the password's
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '')
}

async function openDatabase(config: Readonly<Config>): Promise<Database> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, { max: 1, applicationName: 'ioc-users' })
  const dir = join(config.dataDir, 'timescaledb')
  console.error(`DATABASE_URL is not set: using the embedded database in ${dir}`)
  return startEmbeddedDatabase(dir)
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string', multiple: true },
      agency: { type: 'string' },
      scope: { type: 'string' },
      'display-name': { type: 'string' },
      'base-url': { type: 'string' },
      user: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const [command, name] = positionals
  if (values.help || !command || (command !== 'list' && !name)) {
    console.error(USAGE)
    return 1
  }
  const config = loadConfig()
  const db = await openDatabase(config)
  try {
    await migrate(db)
    const repo = accountsRepository(db)
    const accounts = new AccountService(db, repo, config.auth)
    const actor: Actor = { kind: 'cli', id: null, name: `cli:${userInfo().username}` }
    switch (command) {
      case 'list': {
        const users = await accounts.users()
        if (!users.length) console.log('no users yet (npm start creates the first admin)')
        for (const u of users) {
          const where = [u.agencyUnitId ? `agency ${u.agencyUnitId}` : '', u.scopeUnitId ? `scope ${u.scopeUnitId}` : ''].filter(Boolean).join(', ')
          const state = u.disabled ? 'disabled' : u.lockedUntil ? `locked until ${u.lockedUntil}` : 'active'
          console.log(`${u.username.padEnd(24)} ${u.roles.join(',').padEnd(28)} ${state.padEnd(10)} ${where}`)
        }
        return 0
      }
      case 'add': {
        const parsed = check(newUserBody, {
          username: name,
          displayName: values['display-name'] ?? null,
          password: await readPassword(),
          roles: values.role ?? [],
          agencyUnitId: values.agency ?? null,
          scopeUnitId: values.scope ?? null,
        })
        if (!parsed.ok) {
          for (const i of parsed.issues) console.error(i.message.replace(/^agencyUnitId/, '--agency').replace(/^roles/, '--role'))
          return 2
        }
        const u = await accounts.addUser(actor, parsed.value)
        console.log(`added ${u.username} (${u.roles.join(', ')}) to ${config.databaseUrl ? redactUrl(config.databaseUrl) : 'the embedded database'}`)
        return 0
      }
      case 'disable':
      case 'enable': {
        await accounts.changeUser(actor, name!, { disabled: command === 'disable' })
        console.log(`${command}d ${name}`)
        return 0
      }
      case 'reset-password': {
        const password = await readPassword()
        if (password.length < 12) {
          console.error('the password must be at least 12 characters')
          return 2
        }
        await accounts.changeUser(actor, name!, { password })
        console.log(`reset the password of ${name}; its sessions have ended`)
        return 0
      }
      case 'kiosk-token': {
        const base = values['base-url'] ?? `http://localhost:${config.port || 3000}`
        if ((await accounts.kiosks()).some((k) => k.name === name && k.revokedAt === null)) await accounts.revokeKiosk(actor, name!)
        const k = await accounts.addKiosk(actor, name!, base)
        console.log(`kiosk link for ${k.name} (shown once; open it on the wall display):\n${k.url}`)
        return 0
      }
      case 'api-key': {
        if (!values.user) {
          console.error('api-key needs --user USER: the key acts as that user')
          return 1
        }
        const k = await accounts.addApiKey(actor, name!, values.user)
        console.log(`API key ${k.name} for ${k.username} (shown once; send it as Authorization: Bearer <key>):\n${k.key}`)
        return 0
      }
      default:
        console.error(`unknown command '${command}'\n${USAGE}`)
        return 1
    }
  } catch (err) {
    if (err instanceof HttpProblem) {
      console.error(err.body.message)
      return 2
    }
    throw err
  } finally {
    await db.end()
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`users: ${err.message}`)
    process.exit(1)
  },
)
