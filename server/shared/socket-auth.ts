// Socket.IO's doors: a connection is accepted only from an allowed origin and with a principal (the session
// cookie the page carries, or an API key in the handshake's auth), resolved at the handshake. Each socket
// joins the room of its session, so ending a session here (sign-out, a disabled user, a revoked kiosk link)
// closes every socket that uses it at once; and every socket's principal is read again every
// SESSION_RECHECK_MS, so what happens on another server, to an API key, or to a user's roles reaches it too.
import type { IncomingMessage } from 'node:http'
import { createLogger } from '../../core/log.ts'
import { principalOf, resolvePrincipal, type Authenticator, type Principal } from './auth.ts'
import type { Server } from 'socket.io'

const log = createLogger('live')

/** How often the sessions held by sockets are checked against the database (revocations from elsewhere). */
export const SESSION_RECHECK_MS = 2000

export interface SessionAuthority extends Authenticator {
  /** The principals sockets hold, as they stand now; null for one that no longer stands. */
  refresh(held: readonly Principal[]): Promise<(Principal | null)[]>
  onSessionsEnded(listener: (idHashes: string[]) => void): () => void
}

const sessionRoom = (idHash: string) => `session:${idHash}`

export function guardSockets(io: Server, auth: SessionAuthority): { stop(): void } {
  io.use((socket, next) => {
    const req = socket.request as IncomingMessage
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token
    const headers = typeof token === 'string' ? { ...req.headers, authorization: `Bearer ${token}` } : req.headers
    resolvePrincipal(auth, headers, socket.handshake.address ?? null).then(
      (p) => {
        if (!p) return next(new Error('unauthorized: sign in, open a kiosk link, or send an API key as auth.token'))
        ;(socket.data as { principal: Principal }).principal = p
        if (p.session) void socket.join(sessionRoom(p.session.idHash))
        next()
      },
      (err: unknown) => {
        log.warn('could not check a socket’s credentials', { error: err })
        next(new Error('unavailable: try again shortly'))
      },
    )
  })

  const end = (idHashes: readonly string[], reason: 'signed_out' | 'revoked') => {
    for (const h of idHashes) {
      io.in(sessionRoom(h)).emit('session:ended', { reason })
      io.in(sessionRoom(h)).disconnectSockets(true)
    }
  }
  const unsubscribe = auth.onSessionsEnded((hashes) => end(hashes, 'revoked'))

  // every socket's principal again, as the database has it now: a revoked key or kiosk link, a disabled user,
  // a session ended on another server, and changed roles all reach open sockets within SESSION_RECHECK_MS
  let checking = false
  const timer = setInterval(() => {
    if (checking) return
    const sockets = [...io.sockets.sockets.values()].filter((s) => (s.data as { principal?: Principal }).principal)
    if (!sockets.length) return
    checking = true
    auth
      .refresh(sockets.map((s) => principalOf(s)))
      .then((now) => {
        sockets.forEach((socket, i) => {
          const before = principalOf(socket)
          const after = now[i]
          if (!after) {
            socket.emit('session:ended', { reason: 'revoked' })
            socket.disconnect(true)
          } else if ([...before.permissions].some((p) => !after.permissions.has(p))) {
            // fewer rights than its rooms were joined with: it reconnects and subscribes again under the new ones
            socket.disconnect(true)
          } else (socket.data as { principal: Principal }).principal = after
        })
      })
      .catch(() => {}) // the database is down: keep the walls up, and look again next time
      .finally(() => (checking = false))
  }, SESSION_RECHECK_MS)

  return {
    stop() {
      clearInterval(timer)
      unsubscribe()
    },
  }
}
