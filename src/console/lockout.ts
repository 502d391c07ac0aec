import type { KvStore } from '../store/types.js'

/** Wrong passwords in a row that lock an account… */
export const MAX_FAILURES = 5
/** …and for how long. */
export const LOCK_SECONDS = 15 * 60

/*
 * The store's kv has "set if absent" and no counter, so each attempt takes a numbered slot
 * (console:fail:{user}:{1..5}, 15 min each) before its password is checked. Parallel guesses cannot all see
 * "4 failures so far": the slots run out after five, on every instance. A success frees the slots; the fifth
 * failure also sets console:locked:{user} for 15 minutes.
 */
const slotKey = (user: string, n: number) => `console:fail:${user}:${n}`
const lockKey = (user: string) => `console:locked:${user}`

export type Attempt = { kind: 'locked' } | { kind: 'go' }

export function createLockout(kv: KvStore) {
  return {
    /** Take an attempt for this username, or learn that it is locked. */
    async begin(user: string): Promise<Attempt> {
      if (await kv.get(lockKey(user))) return { kind: 'locked' }
      for (let n = 1; n <= MAX_FAILURES; n++) {
        if (await kv.setIfAbsent(slotKey(user, n), '1', LOCK_SECONDS)) return { kind: 'go' }
      }
      // Every slot taken by attempts still in flight or failed: as good as locked.
      return { kind: 'locked' }
    },
    /** The attempt's password was wrong (its slot stays taken); true when this failure locks the account. */
    async failed(user: string): Promise<boolean> {
      // Counted, not read off the slot number: an early slot that expired is taken again by a later failure.
      for (let n = 1; n <= MAX_FAILURES; n++) if (!(await kv.get(slotKey(user, n)))) return false
      await kv.set(lockKey(user), '1', LOCK_SECONDS)
      return true
    },
    /** Signed in, or an admin set a new password: start counting from zero. */
    async clear(user: string): Promise<void> {
      await kv.delete(lockKey(user))
      for (let n = 1; n <= MAX_FAILURES; n++) await kv.delete(slotKey(user, n))
    },
    async isLocked(user: string): Promise<boolean> {
      return !!(await kv.get(lockKey(user)))
    },
  }
}

export type Lockout = ReturnType<typeof createLockout>
