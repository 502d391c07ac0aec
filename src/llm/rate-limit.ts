import type { KvStore } from '../store/types.js'

export interface RateLimiter {
  /** Count one model call for the user; false when the user is over the limit (then no call is made). */
  take(user: string): Promise<boolean>
}

export interface RateLimitOptions {
  kv: KvStore
  /** Model calls per user per window; 0 means no limit. */
  limit: number
  windowSeconds: number
  now?: () => number
}

/**
 * A fixed-window limit per user, kept in the shared store so every instance counts the same calls. The store has
 * no counter, but it has an atomic "set if absent": the window has `limit` slots and a call must win a free one.
 * A hint key remembers the next free slot, so a call usually costs two or three round trips, and one when over.
 */
export function createRateLimiter({ kv, limit, windowSeconds, now = Date.now }: RateLimitOptions): RateLimiter {
  return {
    take: async function takeModelCall(user) {
      if (limit <= 0) return true
      const window = Math.floor(now() / 1000 / windowSeconds)
      const base = `llm:rate:${user}:${window}`
      const ttl = windowSeconds + 60
      const hint = Math.max(0, Number((await kv.get(`${base}:next`)) ?? 0) || 0)
      for (let slot = hint; slot < limit; slot++) {
        if (await kv.setIfAbsent(`${base}:${slot}`, '1', ttl)) {
          await kv.set(`${base}:next`, String(slot + 1), ttl)
          return true
        }
      }
      return false
    },
  }
}
