// The deployment files (docker-compose.yml, Dockerfile, .dockerignore, deploy/mosquitto/: mosquitto.conf,
// acl, make-passwd.sh) checked against the code they deploy: no Docker is needed, so a renamed variable, a
// new source folder, a removed npm script or a new input feed without device rights breaks this test
// instead of a user's `docker compose up`.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { aclAllows, parseAclFile, type Acl } from '../../broker/auth.ts'
import { INPUT_SEGMENTS, topicMap } from '../../contract/index.ts'
import { CONFIG_VARIABLES, loadConfig } from '../../core/config.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8')

// ---------------------------------------------------------------------------------------------------
// docker-compose.yml
// ---------------------------------------------------------------------------------------------------

interface Service {
  image?: string
  build?: unknown
  command?: string | string[]
  environment?: Record<string, string | number | boolean | null> | string[]
  profiles?: string[]
  deploy?: { replicas?: number }
  container_name?: string
  volumes?: (string | { type?: string; source?: string; target?: string })[]
  depends_on?: string[] | Record<string, { condition?: string }>
}

// merge: true resolves `<<: *ioc-env` (YAML 1.2 leaves merge keys off by default); aliases resolve anyway
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> }
const services = compose.services
const APP_SERVICES = { 'ingest-1': 'start:ingest', 'ingest-2': 'start:ingest', server: 'start:server', simulator: 'start:simulator' } as const
const packageJson = JSON.parse(read('package.json')) as { scripts: Record<string, string>; dependencies: Record<string, string> }

/** A service's environment as compose hands it over (mapping or KEY=value list form), before interpolation. */
function rawEnvironment(s: Service): Record<string, string> {
  const env = s.environment ?? {}
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((e) => (e.includes('=') ? [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] : [e, ''])))
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]))
}

/**
 * The passwords deploy/mosquitto/make-passwd.sh writes to .env (MQTT_INGEST_PASSWORD, …), each with a
 * stand-in value: what compose finds in .env once the script has run.
 */
const MAKE_PASSWD = read('deploy/mosquitto/make-passwd.sh')
const DOT_ENV: Record<string, string> = Object.fromEntries([...MAKE_PASSWD.matchAll(/\bMQTT_[A-Z]+_PASSWORD\b/g)].map(([name]) => [name, `pw-${name.toLowerCase()}`]))

/**
 * Compose interpolation as it happens after make-passwd.sh and with nothing exported: `${VAR:-default}` and
 * `${VAR-default}` give their default, `${VAR:?message}` the value make-passwd.sh put into .env (compose
 * stops with the message without it), `$$` is a literal `$`. A `${VAR}` without default would be empty
 * for whoever runs a bare `docker compose up`, and a required one no script writes would stop it: both fail here.
 */
function interpolate(value: string): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, name: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (match === '$$') return '$'
    if (op === ':-' || op === '-') {
      if (arg?.includes('$')) throw new Error(`nested interpolation in '${value}' is not supported by this test`)
      return arg ?? ''
    }
    if ((op === ':?' || op === '?') && name && name in DOT_ENV) return DOT_ENV[name]!
    if (op === ':?' || op === '?') throw new Error(`'${match}' in '${value}' is required, and deploy/mosquitto/make-passwd.sh does not write ${name} to .env`)
    throw new Error(`'${match}' in '${value}' has no default: a bare \`docker compose up\` would get an empty value`)
  })
}

const environment = (s: Service) => Object.fromEntries(Object.entries(rawEnvironment(s)).map(([k, v]) => [k, interpolate(v)]))

/** deploy/mosquitto/acl, read by the embedded broker's parser (the format is Mosquitto's, one reading for both). */
const mosquittoAcl = (): Acl => parseAclFile(read('deploy/mosquitto/acl'), 'deploy/mosquitto/acl').acl
/** The Mosquitto account each IOC service signs in with. */
const MQTT_ACCOUNTS: Record<keyof typeof APP_SERVICES, string> = { 'ingest-1': 'ioc-ingest', 'ingest-2': 'ioc-ingest', server: 'ioc-server', simulator: 'ioc-simulator' }

function commandOf(s: Service): string[] {
  if (Array.isArray(s.command)) return s.command
  return (s.command ?? '').trim().split(/\s+/)
}

describe('docker-compose.yml', () => {
  it('has the services timescaledb, mosquitto, ingest workers, server and simulator', () => {
    expect(Object.keys(services).sort()).toEqual(expect.arrayContaining(['ingest-1', 'ingest-2', 'mosquitto', 'server', 'simulator', 'timescaledb']))
    expect(services.timescaledb?.image).toMatch(/^timescale\/timescaledb:/)
    expect(services.mosquitto?.image).toMatch(/^eclipse-mosquitto:2/)
  })

  it('starts the simulator only with the demo profile, everything else with a plain `up`', () => {
    expect(services.simulator?.profiles).toEqual(['demo'])
    for (const name of ['timescaledb', 'mosquitto', 'ingest-1', 'ingest-2', 'server']) expect(services[name]?.profiles, name).toBeUndefined()
  })

  describe.each(Object.entries(APP_SERVICES))('%s', (name, script) => {
    const service = () => services[name]!

    it('builds the image from this repository', () => {
      expect(service().build).toBeDefined()
    })

    it('runs an npm script that exists in package.json', () => {
      const [npm, run, ...rest] = commandOf(service())
      expect([npm, run]).toEqual(['npm', 'run'])
      expect(rest).toEqual([script])
      expect(packageJson.scripts[script], `package.json has no script ${script}`).toBeDefined()
    })

    it('sets only variables that core/config.ts declares', () => {
      const unknown = Object.keys(rawEnvironment(service())).filter((k) => !(k in CONFIG_VARIABLES))
      expect(unknown, 'not in CONFIG_VARIABLES (a typo, or a merge key that was not resolved)').toEqual([])
    })

    it('sets DATABASE_URL and MQTT_URL, and loadConfig accepts its environment', () => {
      const env = environment(service())
      expect(env.DATABASE_URL).toBeTruthy()
      expect(env.MQTT_URL).toBeTruthy()
      const config = loadConfig(env)
      expect(config.databaseUrl).toBe(env.DATABASE_URL)
      expect(config.mqttUrl).toBe(env.MQTT_URL)
    })

    it('points DATABASE_URL at the timescaledb service with its credentials, and MQTT_URL at mosquitto', () => {
      const env = environment(service())
      const db = new URL(env.DATABASE_URL!)
      expect(db.hostname).toBe('timescaledb')
      expect(services[db.hostname]).toBeDefined()
      const pg = environment(services.timescaledb!)
      expect(decodeURIComponent(db.username)).toBe(pg.POSTGRES_USER ?? 'postgres')
      expect(decodeURIComponent(db.password)).toBe(pg.POSTGRES_PASSWORD)
      expect(db.pathname.slice(1)).toBe(pg.POSTGRES_DB ?? pg.POSTGRES_USER ?? 'postgres')
      const mqtt = new URL(env.MQTT_URL!)
      expect(mqtt.hostname).toBe('mosquitto')
      expect(services[mqtt.hostname]).toBeDefined()
      expect(mqtt.port || '1883').toBe('1883')
    })

    it('signs in to Mosquitto as its own account, with the password make-passwd.sh created for it', () => {
      const mqtt = new URL(environment(service()).MQTT_URL!)
      const user = decodeURIComponent(mqtt.username)
      expect(user).toBe(MQTT_ACCOUNTS[name as keyof typeof APP_SERVICES])
      expect(mosquittoAcl().users.has(user), `deploy/mosquitto/acl has a 'user ${user}' block`).toBe(true)
      // the password is the .env variable make-passwd.sh writes for this very account
      const variable = /\$\{(MQTT_[A-Z]+_PASSWORD):\?/.exec(rawEnvironment(service()).MQTT_URL ?? '')?.[1]
      expect(variable, 'MQTT_URL takes its password from ${MQTT_…_PASSWORD:?…}').toBeDefined()
      expect(MAKE_PASSWD).toContain(`${user}:${variable}`)
      expect(decodeURIComponent(mqtt.password)).toBe(DOT_ENV[variable!])
    })

    it('waits for the services it depends on to be healthy', () => {
      const deps = service().depends_on
      expect(deps && !Array.isArray(deps), 'depends_on with conditions').toBe(true)
      for (const [dep, { condition }] of Object.entries(deps as Record<string, { condition?: string }>)) {
        expect(services[dep], `depends on unknown service ${dep}`).toBeDefined()
        expect(condition, `${name} → ${dep}`).toBe('service_healthy')
      }
    })
  })

  it('runs at least two ingest workers sharing the feed, each under its own stable client id', () => {
    const workers = Object.entries(services).filter(([name, s]) => commandOf(s).join(' ') === 'npm run start:ingest' && name.startsWith('ingest'))
    expect(workers.length).toBeGreaterThanOrEqual(2)
    const ids = workers.map(([, s]) => environment(s).INGEST_CLIENT_ID)
    for (const [name, s] of workers) {
      const env = environment(s)
      expect(loadConfig(env).ingest.shared, name).toBe(true)
      // a re-created container must resume its own session: its id cannot come from the container id
      expect(env.INGEST_CLIENT_ID, `${name} sets a fixed INGEST_CLIENT_ID`).toMatch(/^ioc-ingest-\w+$/)
      expect(s.deploy?.replicas ?? 1, `${name}: replicas would share one client id`).toBe(1)
    }
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('publishes the server on port 3000', () => {
    const ports = (services.server as Service & { ports?: string[] }).ports ?? []
    expect(ports.map(String)).toContain('3000:3000')
    expect(environment(services.server!).PORT ?? '3000').toBe('3000')
  })
})

// ---------------------------------------------------------------------------------------------------
// deploy/mosquitto/mosquitto.conf
// ---------------------------------------------------------------------------------------------------

/** The host file compose mounts at `target` in `service`, resolved against the compose file's folder. */
function mountedFile(service: Service, target: string): string | undefined {
  for (const v of service.volumes ?? []) {
    const [source, dest] = typeof v === 'string' ? v.split(':') : [v.source, v.target]
    if (dest === target && source) return isAbsolute(source) ? source : join(ROOT, source)
  }
  return undefined
}

function mosquittoSettings(text: string): Map<string, string> {
  const settings = new Map<string, string>()
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.trim()) continue
    const [key, ...value] = line.trim().split(/\s+/)
    settings.set(key!, value.join(' '))
  }
  return settings
}

/** mosquitto.conf durations: a number followed by h, d, w, m (month) or y. */
function mosquittoDurationSec(raw: string): number {
  const m = /^(\d+)([hdwmy])$/.exec(raw)
  if (!m) throw new Error(`not a Mosquitto duration: '${raw}'`)
  return Number(m[1]) * { h: 3600, d: 86_400, w: 7 * 86_400, m: 30 * 86_400, y: 365 * 86_400 }[m[2] as 'h']
}

describe('deploy/mosquitto/mosquitto.conf', () => {
  const file = mountedFile(services.mosquitto!, '/mosquitto/config/mosquitto.conf')
  const settings = () => mosquittoSettings(readFileSync(file!, 'utf8'))
  const repoPath = (path: string | undefined) => path && relative(ROOT, path).split(sep).join('/')

  it('is the file compose mounts into the broker, and it exists', () => {
    expect(file, 'mosquitto mounts a config file at /mosquitto/config/mosquitto.conf').toBeDefined()
    expect(relative(ROOT, file!).split(sep).join('/')).toBe('deploy/mosquitto/mosquitto.conf')
    expect(existsSync(file!)).toBe(true)
  })

  it('refuses anonymous clients', () => {
    expect(settings().get('allow_anonymous')).toBe('false')
  })

  it('reads the accounts and their rights from deploy/mosquitto, mounted by compose', () => {
    const passwordFile = settings().get('password_file')
    const aclFile = settings().get('acl_file')
    expect(passwordFile, 'password_file').toBeDefined()
    expect(aclFile, 'acl_file').toBeDefined()
    expect(repoPath(mountedFile(services.mosquitto!, passwordFile!))).toBe('deploy/mosquitto/passwd')
    expect(repoPath(mountedFile(services.mosquitto!, aclFile!))).toBe('deploy/mosquitto/acl')
    expect(existsSync(join(ROOT, 'deploy/mosquitto/acl'))).toBe(true)
  })

  it('gets its password file from make-passwd.sh, hashed by mosquitto_passwd, and never from git', () => {
    // Mosquitto 2 drops plaintext lines: the file must come from mosquitto_passwd, not from a committed example
    expect(MAKE_PASSWD).toMatch(/^PASSWD=deploy\/mosquitto\/passwd$/m)
    expect(MAKE_PASSWD).toMatch(/mosquitto_passwd -b /)
    expect(read('deploy/mosquitto/.gitignore').split('\n')).toContain('passwd')
    expect(statSync(join(ROOT, 'deploy/mosquitto/make-passwd.sh')).mode & 0o111, 'make-passwd.sh is executable').not.toBe(0)
  })

  it('checks its health with an account the ACL lets read the topic the check waits for', () => {
    const check = interpolate(((services.mosquitto as Service & { healthcheck?: { test?: string[] } }).healthcheck?.test ?? []).join(' '))
    const user = /-u (\S+)/.exec(check)?.[1]
    const topic = /-t '([^']+)'/.exec(check)?.[1]
    const variable = /-P "\$(\w+)"/.exec(check)?.[1]
    expect([user, topic, variable], `${check} names a user, a topic and a password variable`).not.toContain(undefined)
    expect(aclAllows(mosquittoAcl(), { username: user!, clientId: 'health' }, 'read', topic!)).toBe(true)
    expect(environment(services.mosquitto!)[variable!]).toBe(DOT_ENV[variable!])
    expect(MAKE_PASSWD).toContain(`${user}:${variable}`)
  })

  it('listens on 1883 and persists sessions', () => {
    expect(settings().get('listener')).toMatch(/^1883\b/)
    expect(settings().get('persistence')).toBe('true')
  })

  it('queues far more than the default 1000 messages per client (ingest holds PUBACKs until commit)', () => {
    const queued = Number(settings().get('max_queued_messages'))
    expect(queued).toBeGreaterThan(1000)
  })

  it('lets the Receive Maximum of ingest, not the broker default of 20, bound the in-flight window', () => {
    const inflight = Number(settings().get('max_inflight_messages'))
    const receiveMaximum = loadConfig({}).ingest.receiveMaximum
    expect(inflight === 0 || inflight >= receiveMaximum, `max_inflight_messages ${inflight}`).toBe(true)
  })

  it('expires persistent sessions no sooner than the session expiry ingest asks for', () => {
    const source = read('ingest/shared/mqtt-source.ts')
    const m = /sessionExpirySec:\s*([\d_\s*]+)/.exec(source)
    expect(m, 'ingest/shared/mqtt-source.ts sets sessionExpirySec as a product of numbers').not.toBeNull()
    const ingestExpirySec = m![1]!.split('*').reduce((p, f) => p * Number(f.trim().replaceAll('_', '')), 1)
    expect(ingestExpirySec).toBeGreaterThan(0)
    expect(mosquittoDurationSec(settings().get('persistent_client_expiration') ?? '')).toBeGreaterThanOrEqual(ingestExpirySec)
  })
})

// ---------------------------------------------------------------------------------------------------
// deploy/mosquitto/acl
// ---------------------------------------------------------------------------------------------------

describe('deploy/mosquitto/acl', () => {
  const root = environment(services['ingest-1']!).MQTT_TOPIC_ROOT!
  const topics = topicMap(root)
  const DEVICE = 'QN-KK-001'
  const can = (username: string, want: 'read' | 'write', topic: string) => aclAllows(mosquittoAcl(), { username, clientId: `${username}-1` }, want, topic)

  it('is a valid Mosquitto ACL file', () => {
    expect(parseAclFile(read('deploy/mosquitto/acl'), 'deploy/mosquitto/acl').problems).toEqual([])
  })

  it('lets ingest read every device topic of every input feed, odd ones included, and write the live data', () => {
    for (const segment of INPUT_SEGMENTS) {
      expect(can('ioc-ingest', 'read', topics.input(segment, DEVICE)), segment).toBe(true)
      expect(can('ioc-ingest', 'read', `${root}/${segment}/a/b`), `${segment}: odd topics reach ingest, to be dead-lettered`).toBe(true)
      expect(can('ioc-ingest', 'write', topics.live(segment)), segment).toBe(true)
    }
    expect(can('ioc-ingest', 'write', topics.liveIngest)).toBe(true)
  })

  it('lets the server read the live data and publish only the report changes it commits itself', () => {
    for (const segment of INPUT_SEGMENTS) {
      expect(can('ioc-server', 'read', topics.live(segment)), segment).toBe(true)
      // a console action or an Open311 POST is committed by a server: the others hear of it on live/report
      expect(can('ioc-server', 'write', topics.live(segment)), segment).toBe(segment === 'report')
      expect(can('ioc-server', 'read', topics.input(segment, DEVICE)), segment).toBe(false)
    }
    expect(can('ioc-server', 'read', topics.liveIngest)).toBe(true)
  })

  it('lets a device publish only to its own topic of every input feed, and read nothing', () => {
    for (const segment of INPUT_SEGMENTS) {
      expect(can(DEVICE, 'write', topics.input(segment, DEVICE)), segment).toBe(true)
      expect(can(DEVICE, 'write', topics.input(segment, 'QN-KK-002')), segment).toBe(false)
      expect(can(DEVICE, 'read', topics.input(segment, DEVICE)), segment).toBe(false)
      expect(can(DEVICE, 'read', topics.live(segment)), segment).toBe(false)
    }
  })

  it('lets the simulator publish as any device of every input feed, and nothing else', () => {
    for (const segment of INPUT_SEGMENTS) {
      expect(can('ioc-simulator', 'write', topics.input(segment, 'ANY-ID')), segment).toBe(true)
      expect(can('ioc-simulator', 'read', topics.input(segment, 'ANY-ID')), segment).toBe(false)
    }
  })

  it('lets nobody but ingest publish live data (and the server its report changes)', () => {
    const others = [...mosquittoAcl().users.keys(), DEVICE, 'ioc-server', 'ioc-simulator'].filter((u) => u !== 'ioc-ingest')
    for (const user of others) {
      for (const segment of INPUT_SEGMENTS) expect(can(user, 'write', topics.live(segment)), user).toBe(user === 'ioc-server' && segment === 'report')
      expect(can(user, 'write', topics.liveIngest), user).toBe(false)
    }
  })
})

// ---------------------------------------------------------------------------------------------------
// Dockerfile and .dockerignore
// ---------------------------------------------------------------------------------------------------

/** Dockerfile instructions, continuation lines joined, comments and the parser directive dropped. */
function instructions(text: string): { op: string; args: string }[] {
  const out: { op: string; args: string }[] = []
  let pending = ''
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line.startsWith('#') && !pending) continue
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' '
      continue
    }
    const full = (pending + line).trim()
    pending = ''
    if (!full || full.startsWith('#')) continue
    const [op, ...rest] = full.split(/\s+/)
    out.push({ op: op!.toUpperCase(), args: rest.join(' ') })
  }
  return out
}

const dockerfile = instructions(read('Dockerfile'))

/** Source patterns of every COPY from the build context (not from other stages). */
function copySources(): string[] {
  const sources: string[] = []
  for (const { op, args } of dockerfile) {
    if (op !== 'COPY') continue
    let words: string[]
    if (args.trim().startsWith('[')) words = JSON.parse(args) as string[]
    else words = args.split(/\s+/)
    const flags = words.filter((w) => w.startsWith('--'))
    if (flags.some((f) => f.startsWith('--from'))) continue
    const paths = words.filter((w) => !w.startsWith('--'))
    sources.push(...paths.slice(0, -1).map((p) => p.replace(/^\.\//, '').replace(/\/+$/, '')))
  }
  return sources
}

function globToRegExp(glob: string): RegExp {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '[') {
      const end = glob.indexOf(']', i)
      re += glob.slice(i, end + 1)
      i = end
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}

const copied = (name: string) => copySources().some((src) => src === '.' || globToRegExp(src).test(name))

/**
 * Every top-level folder the code run in the image loads, found by following relative imports (static,
 * dynamic, re-exports, and `new URL('./x.ts', import.meta.url)` paths handed to fork) from the entry
 * points. Type-only imports are left out: they are erased before the code runs.
 */
function runtimeFolders(entries: string[]): { folders: Set<string>; files: Set<string> } {
  const files = new Set<string>()
  const queue = entries.map((e) => join(ROOT, e))
  const SPECIFIER = /\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]|new URL\(\s*['"](\.{1,2}\/[^'"]+\.ts)['"]\s*,\s*import\.meta\.url/g
  while (queue.length) {
    const file = queue.pop()!
    if (files.has(file)) continue
    files.add(file)
    if (!file.endsWith('.ts')) continue
    const source = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '')
      .replace(/\b(?:import|export)\s+type\s[^'"]*?\bfrom\s*['"][^'"]*['"]/g, '')
    for (const m of source.matchAll(SPECIFIER)) {
      const spec = (m[1] ?? m[2] ?? m[3])!
      const base = resolve(dirname(file), spec)
      const candidates = [base, `${base}.ts`, join(base, 'index.ts'), base.replace(/\.js$/, '.ts')]
      const target = candidates.find((c) => existsSync(c) && statSync(c).isFile())
      if (!target) throw new Error(`${relative(ROOT, file)}: cannot resolve import '${spec}'`)
      queue.push(target)
    }
  }
  const folders = new Set<string>()
  for (const f of files) {
    const parts = relative(ROOT, f).split(sep)
    if (parts.length > 1) folders.add(parts[0]!)
  }
  return { folders, files }
}

// the three processes compose runs, and `npm start` (the all-in-one the image can also run)
const ENTRY_POINTS = ['ingest/main.ts', 'server/main.ts', 'simulator/main.ts', 'bin/ioc.ts']

describe('Dockerfile', () => {
  const { folders } = runtimeFolders(ENTRY_POINTS)

  it('follows imports through the whole source tree (sanity check of the scan)', () => {
    for (const f of ['contract', 'core', 'db', 'ingest', 'server', 'simulator', 'broker']) expect(folders, f).toContain(f)
    expect(folders).not.toContain('node_modules')
    expect(folders).not.toContain('test')
  })

  it('copies every top-level folder the entry points import from, and the static files', () => {
    const missing = [...folders].filter((f) => !copied(f))
    expect(missing, 'folders the Dockerfile does not COPY').toEqual([])
  })

  it('builds the wall in its own stage and copies only the built files (client/dist) into the image', () => {
    // the server reads the wall from disk at run time (CLIENT_DIR), so no import scan finds it
    const stages = dockerfile.filter((i) => i.op === 'FROM').map((i) => i.args)
    expect(stages[0]).toMatch(/ AS wall$/)
    expect(dockerfile.some(({ op, args }) => op === 'RUN' && /bin\/build-client\.ts/.test(args))).toBe(true)
    expect(dockerfile.some(({ op, args }) => op === 'COPY' && /^--from=wall \S*client\/dist \.\/client\/dist$/.test(args))).toBe(true)
    for (const f of ['client', 'contract', 'vite.config.ts', 'bin/build-client.ts']) expect(copied(f), f).toBe(true)
  })

  it('copies package.json and package-lock.json, and installs production dependencies with npm ci', () => {
    for (const f of ['package.json', 'package-lock.json']) expect(copied(f), f).toBe(true)
    expect(dockerfile.some(({ op, args }) => op === 'RUN' && /\bnpm ci\b.*--omit=dev/.test(args))).toBe(true)
    // the scripts run through `node --import tsx`: it must survive --omit=dev
    expect(packageJson.dependencies.tsx).toBeDefined()
  })

  it('has npm run scripts through bash, so that `docker stop` reaches node through npm', () => {
    // dash (Debian's /bin/sh) forks the script's command and dies on SIGTERM, orphaning node
    const env = dockerfile.filter((i) => i.op === 'ENV').map((i) => i.args).join(' ')
    expect(env).toMatch(/\bNPM_CONFIG_SCRIPT_SHELL=\/bin\/bash\b/)
  })

  it('runs as a non-root user, exposes 3000 and 9464, and starts an existing npm script', () => {
    const user = dockerfile.filter((i) => i.op === 'USER').at(-1)?.args
    expect(user).toBeDefined()
    expect(user).not.toMatch(/^(root|0)(:|$)/)
    const exposed = dockerfile.filter((i) => i.op === 'EXPOSE').flatMap((i) => i.args.split(/\s+/))
    expect(exposed).toEqual(expect.arrayContaining(['3000', '9464']))
    const cmd = JSON.parse(dockerfile.filter((i) => i.op === 'CMD').at(-1)!.args) as string[]
    expect(cmd.slice(0, 2)).toEqual(['npm', 'run'])
    expect(packageJson.scripts[cmd[2]!]).toBeDefined()
  })
})

describe('.dockerignore', () => {
  const patterns = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.replace(/^\//, '').replace(/\/+$/, ''))

  it('keeps node_modules, data and .git out of the build context', () => {
    for (const p of ['node_modules', 'data', '.git']) expect(patterns, p).toContain(p)
  })

  it('excludes nothing the image needs', () => {
    const needed = [...runtimeFolders(ENTRY_POINTS).folders, 'client', 'vite.config.ts', 'package.json', 'package-lock.json']
    const excluded = needed.filter((n) => patterns.some((p) => !p.startsWith('!') && globToRegExp(p).test(n)))
    expect(excluded).toEqual([])
  })
})
