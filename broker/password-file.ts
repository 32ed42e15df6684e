// Mosquitto's password file (MQTT_PASSWORD_FILE), read as Mosquitto 2.0 reads it (src/security_default.c:
// pwfile__parse, unpwd__decode_passwords) so one file serves both brokers. A line is `user:secret`:
//   $6$<salt>$<hash>                SHA-512(password ‖ salt)              mosquitto_passwd -H sha512, and 1.x
//   $7$<iterations>$<salt>$<hash>   PBKDF2-HMAC-SHA512, 64-byte key       mosquitto_passwd 2.x (101 iterations)
// with a 12-byte salt and a 64-byte hash, both in standard base64. Anything else after the colon is a
// plaintext password: Mosquitto drops such lines (every packaged build has TLS), we take them for
// development and the caller says so.
import { createHash, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto'

export type PasswordEntry =
  | { scheme: 'sha512'; salt: Buffer; hash: Buffer; line: number }
  | { scheme: 'pbkdf2-sha512'; iterations: number; salt: Buffer; hash: Buffer; line: number }
  | { scheme: 'plain'; password: string; line: number }

/** Mosquitto's sizes (src/password_mosq.h SALT_LEN, and the SHA-512 digest). */
const SALT_BYTES = 12
const HASH_BYTES = 64
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

/** The accounts of a password file, and what is wrong with it, each problem naming `file:line`. */
export function parsePasswordFile(text: string, file: string): { accounts: Map<string, PasswordEntry>; problems: string[] } {
  const accounts = new Map<string, PasswordEntry>()
  const problems: string[] = []
  const lines = text.replace(/^\uFEFF/, '').split('\n')
  lines.forEach((raw, i) => {
    const line = i + 1
    const content = raw.replace(/\r$/, '')
    if (!content.trim() || content.trimStart().startsWith('#')) return
    const at = `${file}:${line}`
    const colon = content.indexOf(':')
    if (colon < 0) return void problems.push(`${at}: expected user:password-hash, found no ':'`)
    const user = content.slice(0, colon).trim()
    const secret = content.slice(colon + 1).trim()
    if (!user) return void problems.push(`${at}: no user name before ':'`)
    if (!secret) return void problems.push(`${at}: no password after '${user}:'`)
    const earlier = accounts.get(user)
    if (earlier) return void problems.push(`${at}: user '${user}' is already defined on line ${earlier.line}`)
    const entry = parseSecret(secret, line)
    if (typeof entry === 'string') return void problems.push(`${at}: user '${user}': ${entry}`)
    accounts.set(user, entry)
  })
  return { accounts, problems }
}

/** The entry a secret describes, or why it is no valid one. */
function parseSecret(secret: string, line: number): PasswordEntry | string {
  const type = /^\$(\d+)\$/.exec(secret)?.[1]
  if (type === undefined) return { scheme: 'plain', password: secret, line }
  const parts = secret.split('$') // ['', '6', salt, hash] or ['', '7', iterations, salt, hash]
  if (type === '6') {
    if (parts.length !== 4) return 'expected $6$<salt>$<hash>'
    const salt = decode(parts[2]!, SALT_BYTES, 'salt')
    const hash = decode(parts[3]!, HASH_BYTES, 'hash')
    if (typeof salt === 'string') return salt
    if (typeof hash === 'string') return hash
    return { scheme: 'sha512', salt, hash, line }
  }
  if (type === '7') {
    if (parts.length !== 5) return 'expected $7$<iterations>$<salt>$<hash>'
    const iterations = /^\d{1,9}$/.test(parts[2]!) ? Number(parts[2]) : 0
    if (iterations < 1) return `iterations must be a positive integer, got '${parts[2]}'`
    const salt = decode(parts[3]!, SALT_BYTES, 'salt')
    const hash = decode(parts[4]!, HASH_BYTES, 'hash')
    if (typeof salt === 'string') return salt
    if (typeof hash === 'string') return hash
    return { scheme: 'pbkdf2-sha512', iterations, salt, hash, line }
  }
  return `unsupported hash type $${type}$ (Mosquitto writes $6$ and $7$; create the line with mosquitto_passwd)`
}

// Buffer.from(…, 'base64') skips characters it does not know; a typo must not quietly become another salt
function decode(text: string, bytes: number, what: string): Buffer | string {
  if (!text) return `the ${what} is missing`
  const decoded = BASE64.test(text) && text.length % 4 !== 1 ? Buffer.from(text, 'base64') : null
  if (!decoded) return `the ${what} is not base64`
  if (decoded.length !== bytes) return `the ${what} is ${decoded.length} bytes, expected ${bytes}`
  return decoded
}

/** True when `password` is the entry's; the comparison takes as long whichever byte differs. */
export function verifyPassword(entry: PasswordEntry, password: string | Buffer): boolean {
  const given = typeof password === 'string' ? Buffer.from(password, 'utf8') : password
  switch (entry.scheme) {
    case 'plain': {
      // hashed first so that the comparison also keeps the length to itself
      const sha = (b: Buffer) => createHash('sha256').update(b).digest()
      return timingSafeEqual(sha(given), sha(Buffer.from(entry.password, 'utf8')))
    }
    case 'sha512':
      return timingSafeEqual(createHash('sha512').update(given).update(entry.salt).digest(), entry.hash)
    case 'pbkdf2-sha512':
      return timingSafeEqual(pbkdf2Sync(given, entry.salt, entry.iterations, HASH_BYTES, 'sha512'), entry.hash)
  }
}

/**
 * An entry no password matches, costing what mosquitto_passwd's default does: checked against when the
 * user is unknown, so that the answer's timing does not tell which user names exist.
 */
export const UNKNOWN_USER_ENTRY: PasswordEntry = {
  scheme: 'pbkdf2-sha512',
  iterations: 101,
  salt: randomBytes(SALT_BYTES),
  hash: randomBytes(HASH_BYTES),
  line: 0,
}
