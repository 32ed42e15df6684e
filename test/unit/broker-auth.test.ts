// The embedded broker's accounts and topic rights without a broker: Mosquitto's password-file and ACL
// formats, MQTT topic matching, the default "own topic" rule, the all-in-one's internal accounts, and the
// rule that no network client publishes under {root}/live/.
import { createHash, pbkdf2Sync, randomBytes } from 'node:crypto'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { INPUT_SEGMENTS } from '../../contract/domains.ts'
import {
  aclAllows,
  brokerAuth,
  createBrokerAuth,
  filterCovers,
  INTERNAL_USERS,
  parseAclFile,
  parsePasswordFile,
  topicMatches,
  verifyPassword,
  type Acl,
  type PasswordEntry,
} from '../../broker/auth.ts'

const ROOT = 'ioc/v1'

/** One entry of a password file, expecting it to parse. */
function entryOf(line: string): PasswordEntry {
  const { accounts, problems } = parsePasswordFile(line, 'passwd')
  expect(problems).toEqual([])
  expect(accounts.size).toBe(1)
  return [...accounts.values()][0]!
}

// Mosquitto's algorithms written out independently of broker/password-file.ts (src/password_mosq.c pw__hash,
// apps/mosquitto_passwd output_new_password): a 12-byte salt and a 64-byte hash, both base64.
function mosquittoSha512(user: string, password: string, salt = randomBytes(12)): string {
  const hash = createHash('sha512').update(password).update(salt).digest()
  return `${user}:$6$${salt.toString('base64')}$${hash.toString('base64')}`
}
function mosquittoPbkdf2(user: string, password: string, iterations = 101, salt = randomBytes(12)): string {
  const hash = pbkdf2Sync(password, salt, iterations, 64, 'sha512')
  return `${user}:$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`
}

describe('parsePasswordFile and verifyPassword', () => {
  // Written by the real tools: mosquitto_passwd 2.0.11 (-b; -H sha512 for the $6$ line), and the $6$ line of
  // eclipse/mosquitto test/broker/09-pwfile-parse-invalid.py ("Username test, password test").
  const REAL = [
    { line: 'station-01:$7$101$sSxGzmnWUwI9nE6k$ZT/Fq1ym0iHKYtU2t/v218TSAFX1A24NSlSoRYbYmwY5EzxIlAF4WzB7cVGLiF3sYlMLe+4peMZd5NAmeeKL9w==', password: 'hunter2' },
    { line: 'cam-07:$7$101$AbwXlk3ShdlhmXK9$APscbVA6J/oSC+39ISIEvphGZ0oePo1kjd4bsuoix9fBpTgl7p1VDhDJx7Ky+vm+QyRZ4ZQALlDSLbgvN4g4EA==', password: 'Tr0ub4dor&3' },
    { line: 'station-06:$6$beAC872y5999HTXw$ogxIWYU67zd+JkDWPvLoD/BM+Wh5/0pwYgWLPugIMlFKqUftQnLp12pETw1mdjjzezlVInAVuSmdD50zAGqecQ==', password: 'correct horse' },
    { line: 'test:$6$njERlZMi/7DzNB9E$iiavfuXvUm8iyDZArTy7smTxh07GXXOrOsqxfW6gkOYVXHGk+W+i/8d3xDxrMwEPygEBhoA8A/gjQC0N2M4Lkw==', password: 'test' },
  ]

  it.each(REAL)('accepts the right password of a line mosquitto_passwd wrote, and no other ($line)', ({ line, password }) => {
    const entry = entryOf(line)
    expect(verifyPassword(entry, password)).toBe(true)
    expect(verifyPassword(entry, Buffer.from(password))).toBe(true)
    expect(verifyPassword(entry, `${password}x`)).toBe(false)
    expect(verifyPassword(entry, '')).toBe(false)
  })

  it('reads the iteration count of a $7$ line and uses it', () => {
    const entry = entryOf(mosquittoPbkdf2('dev', 's3cret', 1000))
    expect(entry).toMatchObject({ scheme: 'pbkdf2-sha512', iterations: 1000 })
    expect(verifyPassword(entry, 's3cret')).toBe(true)
    // the same salt and password at another count is another hash
    const salt = randomBytes(12)
    const at101 = entryOf(mosquittoPbkdf2('dev', 's3cret', 101, salt))
    const at102 = entryOf(mosquittoPbkdf2('dev', 's3cret', 102, salt))
    expect(verifyPassword(at101, 's3cret')).toBe(true)
    expect(verifyPassword({ ...at102, iterations: 101 } as PasswordEntry, 's3cret')).toBe(false)
  })

  it('verifies $6$ lines hashed as SHA-512 of the password followed by the salt', () => {
    const entry = entryOf(mosquittoSha512('dev', 'pässwörd'))
    expect(entry.scheme).toBe('sha512')
    expect(verifyPassword(entry, 'pässwörd')).toBe(true)
    expect(verifyPassword(entry, 'passwort')).toBe(false)
  })

  it('takes a line without a hash as a plaintext password', () => {
    const entry = entryOf('dev-01:plain:with:colons')
    expect(entry).toMatchObject({ scheme: 'plain', password: 'plain:with:colons' })
    expect(verifyPassword(entry, 'plain:with:colons')).toBe(true)
    expect(verifyPassword(entry, 'plain')).toBe(false)
  })

  it('skips comments and blank lines, trims blanks around the name and secret, and reads CRLF files', () => {
    const { accounts, problems } = parsePasswordFile(`# devices\r\n\r\n  station-01 : hunter2 \r\n${mosquittoSha512('cam-1', 'x')}\r\n`, 'passwd')
    expect(problems).toEqual([])
    expect([...accounts.keys()]).toEqual(['station-01', 'cam-1'])
    expect(accounts.get('station-01')).toMatchObject({ scheme: 'plain', password: 'hunter2', line: 3 })
  })

  it('reports every malformed line with file:line and what is wrong', () => {
    const good = mosquittoPbkdf2('ok', 'x')
    const text = [
      good,
      'no-colon-here',
      ':secret',
      'empty:',
      '$5$-user:$5$njERlZMi/7DzNB9E$iiavfuXvUm8iyDZArTy7smTxh07GXXOrOsqxfW6gkOYVXHGk+W+i/8d3xDxrMwEPygEBhoA8A/gjQC0N2M4Lkw==',
      'short-salt:$6$AAAA$iiavfuXvUm8iyDZArTy7smTxh07GXXOrOsqxfW6gkOYVXHGk+W+i/8d3xDxrMwEPygEBhoA8A/gjQC0N2M4Lkw==',
      'bad-base64:$6$njER{ZMi/7DzNB9E$iiavfuXvUm8iyDZArTy7smTxh07GXXOrOsqxfW6gkOYVXHGk+W+i/8d3xDxrMwEPygEBhoA8A/gjQC0N2M4Lkw==',
      'no-hash:$6$njERlZMi/7DzNB9E$',
      'bad-iterations:$7$0$sSxGzmnWUwI9nE6k$ZT/Fq1ym0iHKYtU2t/v218TSAFX1A24NSlSoRYbYmwY5EzxIlAF4WzB7cVGLiF3sYlMLe+4peMZd5NAmeeKL9w==',
      'no-iterations:$7$sSxGzmnWUwI9nE6k$ZT/Fq1ym0iHKYtU2t/v218TSAFX1A24NSlSoRYbYmwY5EzxIlAF4WzB7cVGLiF3sYlMLe+4peMZd5NAmeeKL9w==',
      good,
    ].join('\n')
    const { accounts, problems } = parsePasswordFile(text, '/etc/ioc/passwd')
    expect([...accounts.keys()]).toEqual(['ok'])
    expect(problems).toEqual([
      "/etc/ioc/passwd:2: expected user:password-hash, found no ':'",
      "/etc/ioc/passwd:3: no user name before ':'",
      "/etc/ioc/passwd:4: no password after 'empty:'",
      "/etc/ioc/passwd:5: user '$5$-user': unsupported hash type $5$ (Mosquitto writes $6$ and $7$; create the line with mosquitto_passwd)",
      "/etc/ioc/passwd:6: user 'short-salt': the salt is 3 bytes, expected 12",
      "/etc/ioc/passwd:7: user 'bad-base64': the salt is not base64",
      "/etc/ioc/passwd:8: user 'no-hash': the hash is missing",
      "/etc/ioc/passwd:9: user 'bad-iterations': iterations must be a positive integer, got '0'",
      "/etc/ioc/passwd:10: user 'no-iterations': expected $7$<iterations>$<salt>$<hash>",
      "/etc/ioc/passwd:11: user 'ok' is already defined on line 1",
    ])
  })
})

describe('topicMatches', () => {
  it.each([
    ['ioc/v1/env/+', 'ioc/v1/env/QN-1', true],
    ['ioc/v1/env/+', 'ioc/v1/env/QN-1/x', false],
    ['ioc/v1/env/+', 'ioc/v1/env', false],
    ['ioc/v1/env/#', 'ioc/v1/env', true],
    ['ioc/v1/env/#', 'ioc/v1/env/a/b', true],
    ['ioc/v1/live/#', 'ioc/v1/livestock', false],
    ['#', 'anything/at/all', true],
    ['#', '$SYS/broker/uptime', false],
    ['+/broker/uptime', '$SYS/broker/uptime', false],
    ['$SYS/#', '$SYS/broker/uptime', true],
    ['a/+/c', 'a//c', true],
  ])('%s matches %s: %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected)
  })
})

describe('filterCovers', () => {
  it.each([
    ['ioc/v1/live/#', 'ioc/v1/live/+', true],
    ['ioc/v1/live/#', 'ioc/v1/live/#', true],
    ['ioc/v1/live/#', 'ioc/v1/live', true],
    ['ioc/v1/live/+', 'ioc/v1/live/env', true],
    ['ioc/v1/live/+', 'ioc/v1/live/#', false],
    ['ioc/v1/live/+', 'ioc/v1/+/env', false],
    ['ioc/v1/env/QN-1', 'ioc/v1/env/+', false],
    ['ioc/v1/#', '#', false],
    ['#', '#', true],
    ['#', '$SYS/#', false],
    ['+/#', '$SYS/broker/uptime', false],
    ['$SYS/broker/+', '$SYS/broker/uptime', true],
  ])('rule %s covers filter %s: %s', (rule, filter, expected) => {
    expect(filterCovers(rule, filter)).toBe(expected)
  })
})

describe('parseAclFile', () => {
  it('reads user blocks, patterns, access words (readwrite by default) and anonymous lines before any user', () => {
    const { acl, problems } = parseAclFile(
      [
        '# the public may read the weather',
        'topic read public/weather',
        '',
        'user ioc-ingest',
        'topic read ioc/v1/env/#',
        'topic write ioc/v1/live/#',
        'user ops team',
        'topic ops/board',
        'topic deny ops/board/secret',
        'pattern write ioc/v1/env/%u',
        'pattern readwrite clients/%c/#',
      ].join('\n'),
      'acl',
    )
    expect(problems).toEqual([])
    expect(acl.anonymous).toEqual([{ access: 'read', topic: 'public/weather', line: 2 }])
    expect(acl.users.get('ioc-ingest')).toEqual([
      { access: 'read', topic: 'ioc/v1/env/#', line: 5 },
      { access: 'write', topic: 'ioc/v1/live/#', line: 6 },
    ])
    expect(acl.users.get('ops team')).toEqual([
      { access: 'readwrite', topic: 'ops/board', line: 8 },
      { access: 'deny', topic: 'ops/board/secret', line: 9 },
    ])
    expect(acl.patterns).toEqual([
      { access: 'write', topic: 'ioc/v1/env/%u', line: 10 },
      { access: 'readwrite', topic: 'clients/%c/#', line: 11 },
    ])
  })

  it('reports every malformed line with file:line', () => {
    const { problems } = parseAclFile(['user', 'topic', 'topic publish a/b', 'topic read a/#/b', 'topic read a/b+', 'grant a/b'].join('\n'), '/etc/ioc/acl')
    expect(problems).toEqual([
      "/etc/ioc/acl:1: 'user' needs a user name",
      "/etc/ioc/acl:2: 'topic' needs a topic",
      "/etc/ioc/acl:3: access must be read, write, readwrite or deny, found 'publish'",
      "/etc/ioc/acl:4: topic 'a/#/b': # may only be the last level",
      "/etc/ioc/acl:5: topic 'a/b+': 'b+': + and # must fill a whole level",
      "/etc/ioc/acl:6: expected 'user NAME', 'topic [read|write|readwrite|deny] TOPIC' or 'pattern …', found 'grant'",
    ])
  })
})

describe('aclAllows', () => {
  const acl = (text: string): Acl => {
    const parsed = parseAclFile(text, 'acl')
    expect(parsed.problems).toEqual([])
    return parsed.acl
  }
  const who = (username: string | null, clientId = 'c1') => ({ username, clientId })

  it("applies a user's topic lines to that user only", () => {
    const rules = acl('user ops\ntopic read ioc/v1/live/#')
    expect(aclAllows(rules, who('ops'), 'read', 'ioc/v1/live/env')).toBe(true)
    expect(aclAllows(rules, who('other'), 'read', 'ioc/v1/live/env')).toBe(false)
    expect(aclAllows(rules, who('ops'), 'write', 'ioc/v1/live/env')).toBe(false)
  })

  it('substitutes the user name for %u and the client id for %c in patterns', () => {
    const rules = acl('pattern write ioc/v1/env/%u\npattern read replies/%c')
    expect(aclAllows(rules, who('QN-1'), 'write', 'ioc/v1/env/QN-1')).toBe(true)
    expect(aclAllows(rules, who('QN-1'), 'write', 'ioc/v1/env/QN-2')).toBe(false)
    expect(aclAllows(rules, who('QN-1', 'box-9'), 'read', 'replies/box-9')).toBe(true)
    expect(aclAllows(rules, who('QN-1', 'box-9'), 'read', 'replies/box-8')).toBe(false)
  })

  it('refuses everything to a user name or client id holding a wildcard once patterns exist', () => {
    const rules = acl('pattern write ioc/v1/env/%u')
    expect(aclAllows(rules, who('+'), 'write', 'ioc/v1/env/+')).toBe(false)
    expect(aclAllows(rules, who('QN-1', 'c#'), 'write', 'ioc/v1/env/QN-1')).toBe(false)
  })

  it('lets a deny rule win over a grant of the same account, wherever it stands in the file', () => {
    const rules = acl('user ops\ntopic readwrite ops/#\ntopic deny ops/secret')
    expect(aclAllows(rules, who('ops'), 'write', 'ops/board')).toBe(true)
    expect(aclAllows(rules, who('ops'), 'write', 'ops/secret')).toBe(false)
    expect(aclAllows(rules, who('ops'), 'read', 'ops/secret')).toBe(false)
  })

  it("decides by the account's own lines before the patterns, as Mosquitto does", () => {
    const rules = acl('user ops\ntopic write ops/QN-1\npattern deny ops/%u')
    expect(aclAllows(rules, who('ops'), 'write', 'ops/QN-1')).toBe(true)
    expect(aclAllows(rules, who('QN-1'), 'write', 'ops/QN-1')).toBe(false)
  })

  it('admits a subscription only when read rules cover every topic its filter matches', () => {
    const rules = acl('user ops\ntopic read ioc/v1/live/#\ntopic read ioc/v1/env/QN-1\ntopic write ioc/v1/cmd/#')
    expect(aclAllows(rules, who('ops'), 'subscribe', 'ioc/v1/live/+')).toBe(true)
    expect(aclAllows(rules, who('ops'), 'subscribe', 'ioc/v1/env/QN-1')).toBe(true)
    expect(aclAllows(rules, who('ops'), 'subscribe', 'ioc/v1/env/+')).toBe(false)
    expect(aclAllows(rules, who('ops'), 'subscribe', 'ioc/v1/cmd/#')).toBe(false)
    expect(aclAllows(rules, who('ops'), 'subscribe', '#')).toBe(false)
  })

  it('refuses a subscription a deny rule covers, and leaves one it only overlaps to the per-message check', () => {
    const rules = acl('user ops\ntopic read ops/#\ntopic deny ops/secret/#')
    expect(aclAllows(rules, who('ops'), 'subscribe', 'ops/secret/+')).toBe(false)
    expect(aclAllows(rules, who('ops'), 'subscribe', 'ops/#')).toBe(true)
    expect(aclAllows(rules, who('ops'), 'read', 'ops/secret/plan')).toBe(false)
  })
})

describe('createBrokerAuth', () => {
  const files = parsePasswordFile(['QN-KK-001:station-pw', 'CAM-01:camera-pw', 'ops:ops-pw', `${INTERNAL_USERS.server}:from-the-file`].join('\n'), 'passwd')
  const open = (acl: Acl | null = null) => {
    const passwords = ['internal-1', 'internal-2']
    return createBrokerAuth({ topicRoot: ROOT, segments: INPUT_SEGMENTS, accounts: files.accounts, acl, newPassword: () => passwords.shift()! })
  }

  describe('authenticate', () => {
    const auth = open()

    it('refuses a client without a user name as anonymous', () => {
      expect(auth.authenticate(undefined, undefined)).toEqual({ ok: false, reason: 'anonymous' })
      expect(auth.authenticate('', 'x')).toEqual({ ok: false, reason: 'anonymous' })
    })

    it('admits a file account with its password and refuses a wrong, missing or empty one', () => {
      expect(auth.authenticate('QN-KK-001', 'station-pw')).toEqual({ ok: true })
      expect(auth.authenticate('QN-KK-001', Buffer.from('station-pw'))).toEqual({ ok: true })
      expect(auth.authenticate('QN-KK-001', 'camera-pw')).toEqual({ ok: false, reason: 'bad_credentials' })
      expect(auth.authenticate('QN-KK-001', undefined)).toEqual({ ok: false, reason: 'bad_credentials' })
      expect(auth.authenticate('QN-KK-001', '')).toEqual({ ok: false, reason: 'bad_credentials' })
      expect(auth.authenticate('nobody', 'station-pw')).toEqual({ ok: false, reason: 'bad_credentials' })
    })

    it('admits the internal accounts with their random passwords only, whatever the file says about them', () => {
      expect(auth.internal.server).toEqual({ username: 'ioc-server', password: 'internal-1' })
      expect(auth.internal.simulator).toEqual({ username: 'ioc-simulator', password: 'internal-2' })
      expect(auth.authenticate('ioc-server', 'internal-1')).toEqual({ ok: true })
      expect(auth.authenticate('ioc-simulator', 'internal-2')).toEqual({ ok: true })
      expect(auth.authenticate('ioc-server', 'from-the-file')).toEqual({ ok: false, reason: 'bad_credentials' })
      expect(auth.fileAccounts).toEqual(['QN-KK-001', 'CAM-01', 'ops'])
    })
  })

  it('draws new internal passwords from crypto by default, different at every start', () => {
    const a = createBrokerAuth({ topicRoot: ROOT, segments: INPUT_SEGMENTS, accounts: new Map(), acl: null })
    const b = createBrokerAuth({ topicRoot: ROOT, segments: INPUT_SEGMENTS, accounts: new Map(), acl: null })
    expect(a.internal.server.password).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(a.internal.server.password).not.toBe(b.internal.server.password)
    expect(a.internal.server.password).not.toBe(a.internal.simulator.password)
  })

  describe('without an ACL file', () => {
    const auth = open()

    it('lets an account publish to its own topic of every input segment', () => {
      for (const segment of INPUT_SEGMENTS) expect(auth.canPublish('QN-KK-001', 'any', `${ROOT}/${segment}/QN-KK-001`), segment).toBe(true)
    })

    it("refuses another device's topic, odd levels, other roots and every subscription", () => {
      expect(auth.canPublish('QN-KK-001', 'any', `${ROOT}/env/QN-KK-002`)).toBe(false)
      expect(auth.canPublish('QN-KK-001', 'any', `${ROOT}/env/QN-KK-001/extra`)).toBe(false)
      expect(auth.canPublish('QN-KK-001', 'any', `ioc/v2/env/QN-KK-001`)).toBe(false)
      expect(auth.canSubscribe('QN-KK-001', 'any', `${ROOT}/env/QN-KK-001`)).toBe(false)
      expect(auth.canSubscribe('QN-KK-001', 'any', '#')).toBe(false)
      expect(auth.canRead('QN-KK-001', 'any', `${ROOT}/live/env`)).toBe(false)
    })
  })

  it('gives the internal server live data to read, and only its own citizen-report announcements to publish', () => {
    const auth = open()
    expect(auth.canSubscribe('ioc-server', 'srv', `${ROOT}/live/+`)).toBe(true)
    expect(auth.canSubscribe('ioc-server', 'srv', `${ROOT}/live/#`)).toBe(true)
    expect(auth.canRead('ioc-server', 'srv', `${ROOT}/live/env`)).toBe(true)
    expect(auth.canSubscribe('ioc-server', 'srv', '#')).toBe(false)
    expect(auth.canSubscribe('ioc-server', 'srv', `${ROOT}/env/#`)).toBe(false)
    expect(auth.canPublish('ioc-server', 'srv', `${ROOT}/env/QN-KK-001`)).toBe(false)
    // a console action committed by a server: every other server's consoles hear of it (as deploy/mosquitto/acl allows)
    expect(auth.canPublish('ioc-server', 'srv', `${ROOT}/live/report`)).toBe(true)
    expect(auth.canPublish('ioc-server', 'srv', `${ROOT}/live/env`)).toBe(false)
    expect(auth.canPublish('ioc-simulator', 'sim', `${ROOT}/live/report`)).toBe(false)
  })

  it('lets the internal simulator publish as any device of every segment, and read nothing', () => {
    const auth = open()
    for (const segment of INPUT_SEGMENTS) expect(auth.canPublish('ioc-simulator', 'sim', `${ROOT}/${segment}/ANY-ID`), segment).toBe(true)
    expect(auth.canPublish('ioc-simulator', 'sim', `${ROOT}/env/a/b`)).toBe(false)
    expect(auth.canSubscribe('ioc-simulator', 'sim', `${ROOT}/env/+`)).toBe(false)
  })

  it('never lets a network client publish under {root}/live or to a $ topic, whatever the ACL grants', () => {
    const parsed = parseAclFile('user ops\ntopic readwrite #\ntopic readwrite $SYS/#\npattern write ioc/v1/live/%u', 'acl')
    const auth = open(parsed.acl)
    expect(auth.canPublish('ops', 'c', 'anything/else')).toBe(true)
    for (const topic of [`${ROOT}/live/env`, `${ROOT}/live/ingest`, `${ROOT}/live`, `${ROOT}/live/ops`, '$SYS/broker/uptime']) {
      expect(auth.canPublish('ops', 'c', topic), topic).toBe(false)
    }
    for (const user of ['ioc-server', 'ioc-simulator', 'QN-KK-001']) expect(auth.canPublish(user, 'c', `${ROOT}/live/env`), user).toBe(false)
    expect(auth.canSubscribe('ops', 'c', `${ROOT}/live/#`)).toBe(true)
  })

  it("takes an ACL file's rules instead of the own-topic rule, and keeps the internal accounts' rights", () => {
    const parsed = parseAclFile('user ops\ntopic read ioc/v1/env/#\nuser ioc-server\ntopic readwrite #', 'acl')
    const auth = open(parsed.acl)
    expect(auth.canPublish('QN-KK-001', 'c', `${ROOT}/env/QN-KK-001`)).toBe(false)
    expect(auth.canSubscribe('ops', 'c', `${ROOT}/env/+`)).toBe(true)
    expect(auth.canSubscribe('ioc-server', 'c', '#')).toBe(false)
  })
})

describe('brokerAuth', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ioc-broker-auth-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })
  const file = async (name: string, text: string) => {
    const path = join(dir, name)
    await writeFile(path, text)
    await chmod(path, 0o600)
    return path
  }

  it('reads both files and applies them', async () => {
    const passwordFile = await file('passwd', `${mosquittoPbkdf2('QN-KK-001', 'pw')}\n`)
    const aclFile = await file('acl', 'pattern write ioc/v1/camera/%u\n')
    const auth = await brokerAuth({ topicRoot: ROOT, segments: INPUT_SEGMENTS, passwordFile, aclFile })
    expect(auth.authenticate('QN-KK-001', 'pw')).toEqual({ ok: true })
    expect(auth.canPublish('QN-KK-001', 'c', `${ROOT}/camera/QN-KK-001`)).toBe(true)
    expect(auth.canPublish('QN-KK-001', 'c', `${ROOT}/env/QN-KK-001`)).toBe(false)
  })

  it('stops with an error naming file:line when a file is malformed', async () => {
    const passwordFile = await file('bad-passwd', `${mosquittoPbkdf2('ok', 'pw')}\nbroken line\n`)
    await expect(brokerAuth({ topicRoot: ROOT, segments: INPUT_SEGMENTS, passwordFile, aclFile: null })).rejects.toThrow(`${passwordFile}:2: expected user:password-hash`)
    const aclFile = await file('bad-acl', 'user ops\ntopic sometimes a/b\n')
    await expect(brokerAuth({ topicRoot: ROOT, segments: INPUT_SEGMENTS, passwordFile: null, aclFile })).rejects.toThrow(`${aclFile}:2: access must be`)
  })

  it('stops with an error naming the variable when a file cannot be read', async () => {
    const missing = join(dir, 'missing')
    await expect(brokerAuth({ topicRoot: ROOT, segments: INPUT_SEGMENTS, passwordFile: missing, aclFile: null })).rejects.toThrow(`MQTT_PASSWORD_FILE: cannot read ${missing} (ENOENT)`)
  })

  it('has only the internal accounts without a password file', async () => {
    const auth = await brokerAuth({ topicRoot: ROOT, segments: INPUT_SEGMENTS, passwordFile: null, aclFile: null })
    expect(auth.fileAccounts).toEqual([])
    expect(auth.authenticate(auth.internal.server.username, auth.internal.server.password)).toEqual({ ok: true })
  })
})
