import type { Session } from '../engine/types.js'

/** Everything the bot persists. The embedded store and the Redis store implement the same contract. */
export interface Store {
  getSession(userId: string): Promise<Session | undefined>
  /** Save with the store's session expiry, counted from now. */
  saveSession(session: Session): Promise<void>
  deleteSession(userId: string): Promise<void>
  /** Run fn while no other call for the same key runs (per-user turn serialisation). */
  runExclusive<T>(key: string, fn: () => Promise<T>): Promise<T>
  /** "ok", or "degraded" when the backing service is unreachable. */
  health(): Promise<'ok' | 'degraded'>
  close(): Promise<void>
}

/** The store could not do its work (backing service down, disk full); the bot says so briefly and carries on. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError'
}
