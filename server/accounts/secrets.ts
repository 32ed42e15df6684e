// The secrets accounts hand out and check. Passwords are hashed with argon2id (@node-rs/argon2, OWASP's
// second recommended setting: 19 MiB, 2 passes), slow on purpose. Session ids, kiosk tokens and API keys are
// 256-bit random values a person never chooses, so a fast SHA-256 of them is enough to keep the database
// from holding anything usable: a leaked sessions table opens no session.
import { createHash, randomBytes, randomInt } from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'

// 2 = Algorithm.Argon2id (a const enum, which this build cannot import)
const ARGON2 = { algorithm: 2 as const, memoryCost: 19_456, timeCost: 2, parallelism: 1 }

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2)
}

/** A hash of nothing anyone knows: verified against when a username does not exist, so both cases take as long. */
const DECOY = hash(randomBytes(16).toString('hex'), ARGON2)

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (stored === null) {
    await verify(await DECOY, password).catch(() => false)
    return false
  }
  return verify(stored, password).catch(() => false)
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url')
}

/** A new random secret with a readable prefix (`ioc_k_…` for keys, `ioc_w_…` for kiosk links), and its hash. */
export function newSecret(prefix: string): { secret: string; hash: string } {
  const secret = `${prefix}${randomBytes(32).toString('base64url')}`
  return { secret, hash: sha256(secret) }
}

/** A password for a generated account (the first admin): 20 characters from an unambiguous alphabet. */
export function randomPassword(length = 20): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('')
}
