import type { KvStore } from '../../store/types.js'

/** 'limited-notice': over the limit, and the first time in this window (tell the user once, then stay quiet). */
export type RateDecision = 'ok' | 'limited' | 'limited-notice'

export interface RateLimiterOptions {
  kv: KvStore
  /** Messages answered per contact and window. */
  limit: number
  windowSeconds: number
  now?: () => number
}

/**
 * A per-contact limit in fixed windows, kept in the shared store so every instance counts the same messages.
 * The store has "set if absent" but no counter, so the window holds `limit` slots and each message claims the
 * next free one (one round trip in the usual case: this instance remembers where it got to).
 */
export function createRateLimiter({ kv, limit, windowSeconds, now = Date.now }: RateLimiterOptions) {
  const next = new Map<string, { window: number; slot: number }>()
  // Slots outlive their window a little, so a slow clock on another instance cannot reuse them.
  const ttl = windowSeconds + 60

  return {
    take: async function takeRate(key: string): Promise<RateDecision> {
      const window = Math.floor(now() / (windowSeconds * 1000))
      const hint = next.get(key)
      let slot = hint && hint.window === window ? hint.slot : 0
      if (next.size > 10_000) next.clear()
      for (; slot < limit; slot++) {
        if (await kv.setIfAbsent(`wechaty:rate:${key}:${window}:${slot}`, '1', ttl)) {
          next.set(key, { window, slot: slot + 1 })
          return 'ok'
        }
      }
      next.set(key, { window, slot: limit })
      return (await kv.setIfAbsent(`wechaty:rate:${key}:${window}:told`, '1', ttl)) ? 'limited-notice' : 'limited'
    },
  }
}
