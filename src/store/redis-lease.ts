import type { RedisKey } from './redis-keys.js'
import type { ScriptedRedis } from './redis-scripts.js'
import { StoreUnavailableError } from './types.js'

/*
 * Locks on Redis are short leases, renewed while their holder works: a live holder keeps its lock however long its
 * turn takes, and a holder that died (kill -9, a lost container) frees the user within one lease, not after a
 * long fixed expiry that would hold up the user's next message.
 */

export interface LeaseOptions {
  redis: ScriptedRedis
  leaseMs: number
  /** How long to wait for a busy lock before giving up with StoreUnavailableError. */
  waitMs: number
  now: () => number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Retry `tryTake` (true once taken) with jittered back-off until the wait deadline. */
export async function acquire<T>({ waitMs, now }: LeaseOptions, what: string, tryTake: () => Promise<T | undefined>): Promise<T> {
  const deadline = now() + waitMs
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    const got = await tryTake()
    if (got !== undefined) return got
    if (now() >= deadline) throw new StoreUnavailableError(`redis ${what}: still held after ${waitMs} ms`)
    await sleep(delay / 2 + Math.random() * (delay / 2))
  }
}

/** Renew the lease every third of its length until stop() is called (or the lease is found lost). */
export function keepAlive({ redis, leaseMs }: LeaseOptions, key: RedisKey, token: string): () => void {
  let lost = false
  const timer = setInterval(() => {
    if (lost) return
    redis.tbRenew(key, token, leaseMs).then(
      (kept) => {
        // Taken over after a stall longer than the lease: nothing to renew any more.
        if (kept === 0) lost = true
      },
      () => undefined, // Redis unreachable: the next tick tries again; the lease may lapse meanwhile
    )
  }, Math.max(50, Math.floor(leaseMs / 3)))
  timer.unref?.()
  return () => clearInterval(timer)
}
