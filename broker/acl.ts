// Mosquitto's ACL file (MQTT_ACL_FILE) and the MQTT topic matching it is checked with, read and applied as
// Mosquitto 2.0 does (src/security_default.c: aclfile__parse, mosquitto_acl_check_default):
//   user NAME                       the `topic` lines after it are NAME's (lines before any `user`: anonymous)
//   topic [read|write|readwrite|deny] TOPIC      access defaults to readwrite; TOPIC may hold + and #
//   pattern [read|write|readwrite|deny] TOPIC    for every account, %u = its user name, %c = its client id
// A check goes through the account's own rules first, then the patterns; within each, deny rules come first
// and the first rule that matches decides. With patterns present, a user name or client id holding + or #
// is refused everything, as it could otherwise widen a pattern.
//
// Subscriptions: Mosquitto 2.0 accepts any subscription and checks `read` on each message it delivers. The
// embedded broker does that too, and in addition refuses (SUBACK 0x80) a filter that the account's read
// rules do not cover entirely, so `#` from a device fails visibly instead of quietly delivering nothing.

export type AclAccess = 'read' | 'write' | 'readwrite' | 'deny'

export interface AclRule {
  access: AclAccess
  /** A topic filter; in a pattern it may hold %u and %c. */
  topic: string
  line: number
}

export interface Acl {
  /** `topic` lines before the first `user` line: anonymous clients (which the embedded broker refuses anyway). */
  anonymous: AclRule[]
  /** Each account's own `topic` lines. */
  users: Map<string, AclRule[]>
  /** `pattern` lines, for every account. */
  patterns: AclRule[]
}

const ACCESS: readonly AclAccess[] = ['read', 'write', 'readwrite', 'deny']

/** The rules of an ACL file, and what is wrong with it, each problem naming `file:line`. */
export function parseAclFile(text: string, file: string): { acl: Acl; problems: string[] } {
  const acl: Acl = { anonymous: [], users: new Map(), patterns: [] }
  const problems: string[] = []
  let user: string | null = null
  text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .forEach((raw, i) => {
      const line = i + 1
      const content = raw.trim()
      if (!content || content.startsWith('#')) return
      const at = `${file}:${line}`
      const [keyword = '', ...rest] = content.split(/\s+/)
      if (keyword === 'user') {
        const name = content.slice(keyword.length).trim()
        if (!name) return void problems.push(`${at}: 'user' needs a user name`)
        user = name
        if (!acl.users.has(name)) acl.users.set(name, [])
        return
      }
      if (keyword !== 'topic' && keyword !== 'pattern') {
        return void problems.push(`${at}: expected 'user NAME', 'topic [read|write|readwrite|deny] TOPIC' or 'pattern …', found '${keyword}'`)
      }
      if (rest.length === 0) return void problems.push(`${at}: '${keyword}' needs a topic`)
      // as Mosquitto: a single word is the topic (readwrite); otherwise the first word is the access and the
      // rest of the line, spaces included, the topic
      const access = rest.length === 1 ? 'readwrite' : rest[0]!
      const topic = rest.length === 1 ? rest[0]! : content.slice(content.indexOf(rest[0]!, keyword.length) + rest[0]!.length).trim()
      if (!ACCESS.includes(access as AclAccess)) return void problems.push(`${at}: access must be read, write, readwrite or deny, found '${access}'`)
      const invalid = filterProblem(topic)
      if (invalid) return void problems.push(`${at}: topic '${topic}': ${invalid}`)
      const rule: AclRule = { access: access as AclAccess, topic, line }
      if (keyword === 'pattern') acl.patterns.push(rule)
      else if (user === null) acl.anonymous.push(rule)
      else acl.users.get(user)!.push(rule)
    })
  return { acl, problems }
}

/** Why `filter` is no valid MQTT topic filter, or null: + and # fill a whole level, # only the last. */
export function filterProblem(filter: string): string | null {
  if (!filter) return 'empty'
  const levels = filter.split('/')
  for (const [i, level] of levels.entries()) {
    if (level.length > 1 && /[+#]/.test(level)) return `'${level}': + and # must fill a whole level`
    if (level === '#' && i !== levels.length - 1) return '# may only be the last level'
  }
  return null
}

/**
 * MQTT 3.1.1 §4.7: whether `filter` matches `topic`. `a/#` also matches `a`; a filter starting with a
 * wildcard matches no topic starting with `$` ($SYS).
 */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/')
  const t = topic.split('/')
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true
    if (i >= t.length) return false
    if (f[i] !== '+' && f[i] !== t[i]) return false
  }
  return f.length === t.length
}

/** Whether every topic `filter` matches is also matched by `rule` (both topic filters). */
export function filterCovers(rule: string, filter: string): boolean {
  const r = rule.split('/')
  const f = filter.split('/')
  // a wildcard at the first level of the rule never reaches $ topics, which a literal $… filter names
  const dollar = f[0]!.startsWith('$')
  for (let i = 0; i < r.length; i++) {
    if (r[i] === '#') return !(i === 0 && dollar)
    if (i >= f.length || f[i] === '#') return false
    if (r[i] === '+') {
      if (i === 0 && dollar) return false
      continue
    }
    if (r[i] !== f[i]) return false
  }
  return r.length === f.length
}

export interface AclSubject {
  username: string | null
  clientId: string
}

/** What is asked: to publish to a topic, to receive a message on one, or to subscribe to a filter. */
export type AclWant = 'write' | 'read' | 'subscribe'

/** Whether `acl` lets `who` do `want` on `topic` (a topic, or for `subscribe` a filter). */
export function aclAllows(acl: Acl, who: AclSubject, want: AclWant, topic: string): boolean {
  const own = who.username === null ? acl.anonymous : acl.users.get(who.username)
  const verdict = own ? decide(own, want, topic, (t) => t) : undefined
  if (verdict !== undefined) return verdict
  if (acl.patterns.length === 0) return false
  if (/[+#]/.test(who.username ?? '') || /[+#]/.test(who.clientId)) return false
  const patterns = who.username === null ? acl.patterns.filter((p) => !p.topic.includes('%u')) : acl.patterns
  return decide(patterns, want, topic, (t) => substitute(t, who)) ?? false
}

/** The verdict of the first deciding rule (deny rules first), or undefined when none decides. */
function decide(rules: readonly AclRule[], want: AclWant, topic: string, expand: (t: string) => string): boolean | undefined {
  const applies = want === 'subscribe' ? filterCovers : topicMatches
  // a deny rule refuses a subscription only when it covers all of it; the rest is refused message by message
  for (const r of rules) if (r.access === 'deny' && applies(expand(r.topic), topic)) return false
  const bit = want === 'write' ? 'write' : 'read'
  for (const r of rules) if ((r.access === bit || r.access === 'readwrite') && applies(expand(r.topic), topic)) return true
  return undefined
}

/** A pattern's topic for one account: Mosquitto replaces %c and %u, and leaves any other % as it is. */
function substitute(topic: string, who: AclSubject): string {
  return topic.replace(/%([cu])/g, (m, k: string) => (k === 'c' ? who.clientId : (who.username ?? m)))
}
