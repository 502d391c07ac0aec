import type { KvStore } from '../store/types.js'
import { randomToken } from './session.js'

/** Wrong passwords in a row, from one client address, that lock that address out of the account… */
export const MAX_FAILURES = 5
/** …and for how long. */
export const LOCK_SECONDS = 15 * 60

/*
 * Counted per username *and client address*: someone elsewhere guessing at "zhang" locks out themselves, not
 * zhang at her desk. (A guesser with many addresses is held back by the per-address throttle of login-gate.ts,
 * and an admin sees the attempts in the audit log.)
 *
 * The store's kv has "set if absent" and no counter, so each attempt takes a numbered slot
 * (console:fail:{user}:{gen}:{address}:{1..5}, 15 min each) before its password is checked. Parallel guesses cannot
 * all see "4 failures so far": the slots run out after five, on every instance. A success frees the slots; the
 * fifth failure also sets console:locked:{user}:{gen}:{address} for 15 minutes. {gen} is the account's lockout
 * generation: an admin's unlock (or a new password) starts a new one, which frees every address at once.
 */
const genKey = (user: string) => `console:lockgen:${user}`
const slotKey = (user: string, gen: string, client: string, n: number) => `console:fail:${user}:${gen}:${client}:${n}`
const lockKey = (user: string, gen: string, client: string) => `console:locked:${user}:${gen}:${client}`

export type Attempt = { kind: 'locked' } | { kind: 'go' }

/** The wrong-password lockout, shared by every instance through the store's kv. */
export function createLockout(kv: KvStore) {
  // A new generation outlives every slot of the one before it; begin() renews it while it is in use.
  const gen = async (user: string) => (await kv.get(genKey(user))) ?? '0'
  return {
    /** Take an attempt for this username from this address, or learn that it is locked there. */
    async begin(user: string, client: string): Promise<Attempt> {
      const g = await gen(user)
      if (await kv.get(lockKey(user, g, client))) return { kind: 'locked' }
      for (let n = 1; n <= MAX_FAILURES; n++) {
        if (!(await kv.setIfAbsent(slotKey(user, g, client, n), '1', LOCK_SECONDS))) continue
        // The generation must outlive this slot (and the lock it may lead to): renew it as long as it is current.
        if (g !== '0') await kv.setIfEquals(genKey(user), g, g, LOCK_SECONDS)
        return { kind: 'go' }
      }
      // Every slot taken by attempts still in flight or failed: as good as locked.
      return { kind: 'locked' }
    },
    /** The attempt's password was wrong (its slot stays taken); true when this failure locks the address out. */
    async failed(user: string, client: string): Promise<boolean> {
      const g = await gen(user)
      // Counted, not read off the slot number: an early slot that expired is taken again by a later failure.
      for (let n = 1; n <= MAX_FAILURES; n++) if (!(await kv.get(slotKey(user, g, client, n)))) return false
      await kv.set(lockKey(user, g, client), '1', LOCK_SECONDS)
      return true
    },
    /** Signed in from this address: start counting from zero there. */
    async succeeded(user: string, client: string): Promise<void> {
      const g = await gen(user)
      await kv.delete(lockKey(user, g, client))
      for (let n = 1; n <= MAX_FAILURES; n++) await kv.delete(slotKey(user, g, client, n))
    },
    /** An admin unlocked the account or set a new password: every address starts from zero. */
    async clear(user: string): Promise<void> {
      await kv.set(genKey(user), randomToken(), LOCK_SECONDS)
    },
  }
}

export type Lockout = ReturnType<typeof createLockout>
