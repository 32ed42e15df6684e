// Credentials as the tests' clients hold them: the kiosk link npm start prints (its session cookie opens the
// wall's REST routes and sockets), read from a process's banner.
import type { Proc } from './processes.ts'

/** The kiosk link of the local wall, from the start-up banner. */
export async function wallLinkOf(proc: Proc, timeoutMs = 120_000): Promise<string> {
  return (await proc.waitForOutput(/The wall of this machine[^:]*: (http:\/\/\S+)/, timeoutMs))[1]!
}

/** Opens a kiosk link as a wall does and returns a fetch that carries its session cookie. */
export async function kioskFetch(wallLink: string): Promise<(path: string, init?: RequestInit) => Promise<Response>> {
  const res = await fetch(wallLink, { redirect: 'manual' })
  const cookie = res.headers.getSetCookie()[0]?.split(';')[0]
  if (res.status !== 303 || !cookie) throw new Error(`the kiosk link answered ${res.status} without a session`)
  const origin = new URL(wallLink).origin
  return (path, init = {}) => fetch(`${origin}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), cookie } })
}
