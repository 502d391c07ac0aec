import type { Context } from 'hono'
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie'
import type { KvStore, StaffAccount, StaffStore } from '../store/types.js'

export const SESSION_COOKIE = 'tb_console'
/** 8 hours, renewed on use. */
export const SESSION_SECONDS = 8 * 3600
/** A session is written back (cookie and store) at most this often, not on every request. */
const RENEW_AFTER_MS = 60_000

/** A signed-in staff member's session, kept in the shared kv so every instance knows it and logout ends it everywhere. */
export interface ConsoleSession {
  username: string
  csrf: string
  issuedAt: number
  renewedAt: number
  /** The account's passwordChangedAt at sign-in: a later password change ends the session. */
  passwordEpoch: number
}

const sessionKey = (id: string) => `console:session:${id}`

/** 32 random bytes, base64url: session ids and CSRF tokens. */
export function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** Compare two strings in time that does not depend on where they differ. */
export function sameToken(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

/** Secure cookies when the browser talks HTTPS to us (directly or through a proxy that says so). */
export function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https'
}

export function cookieOptions(c: Context, maxAge: number, path = '/console') {
  return { httpOnly: true, sameSite: 'Strict' as const, secure: isHttps(c), path, maxAge }
}

export interface Sessions {
  start(c: Context, account: StaffAccount): Promise<void>
  /** The session and its account, renewed when due; undefined when missing, expired, or the password changed since. */
  load(c: Context): Promise<{ id: string; session: ConsoleSession; account: StaffAccount } | undefined>
  end(c: Context): Promise<void>
}

/** Cookie-and-kv sessions: the signed cookie carries a random id, the kv the session (8 h, renewed on use). */
export function createSessions({ secret, kv, staff, now }: { secret: string; kv: KvStore; staff: StaffStore; now: () => number }): Sessions {
  async function write(c: Context, id: string, session: ConsoleSession): Promise<void> {
    await kv.set(sessionKey(id), JSON.stringify(session), SESSION_SECONDS)
    await setSignedCookie(c, SESSION_COOKIE, id, secret, cookieOptions(c, SESSION_SECONDS))
  }

  return {
    async start(c, account) {
      const t = now()
      await write(c, randomToken(), { username: account.username, csrf: randomToken(), issuedAt: t, renewedAt: t, passwordEpoch: account.passwordChangedAt })
    },

    async load(c) {
      const id = await getSignedCookie(c, secret, SESSION_COOKIE)
      if (!id) return undefined
      const raw = await kv.get(sessionKey(id))
      if (!raw) return undefined
      const session = JSON.parse(raw) as ConsoleSession
      const account = await staff.get(session.username)
      // A removed account, or a password changed since sign-in, ends the session on every instance.
      if (!account || account.passwordChangedAt !== session.passwordEpoch) {
        await kv.delete(sessionKey(id))
        return undefined
      }
      const t = now()
      if (t - session.renewedAt >= RENEW_AFTER_MS) {
        session.renewedAt = t
        await write(c, id, session)
      }
      return { id, session, account }
    },

    async end(c) {
      const id = await getSignedCookie(c, secret, SESSION_COOKIE)
      if (id) await kv.delete(sessionKey(id))
      deleteCookie(c, SESSION_COOKIE, cookieOptions(c, 0))
    },
  }
}
