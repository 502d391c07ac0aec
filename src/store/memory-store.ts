import type { Session } from '../engine/types.js'
import type { Store } from './types.js'

export interface MemoryStoreOptions {
  sessionTtlSeconds: number
  now?: () => number
}

/** In-process store: sessions expire after the TTL; per-key locks are promise chains. */
export function createMemoryStore({ sessionTtlSeconds, now = Date.now }: MemoryStoreOptions): Store {
  const sessions = new Map<string, { session: Session; expiresAt: number }>()
  const locks = new Map<string, Promise<unknown>>()

  const sweep = setInterval(() => {
    const t = now()
    for (const [k, v] of sessions) if (v.expiresAt <= t) sessions.delete(k)
  }, 60_000)
  sweep.unref?.()

  return {
    async getSession(userId) {
      const entry = sessions.get(userId)
      if (!entry) return undefined
      if (entry.expiresAt <= now()) {
        sessions.delete(userId)
        return undefined
      }
      return structuredClone(entry.session)
    },
    async saveSession(session) {
      sessions.set(session.userId, { session: structuredClone(session), expiresAt: now() + sessionTtlSeconds * 1000 })
    },
    async deleteSession(userId) {
      sessions.delete(userId)
    },
    runExclusive: function runExclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const previous = locks.get(key) ?? Promise.resolve()
      const run = previous.then(fn, fn)
      const tail = run.catch(() => undefined)
      locks.set(key, tail)
      void tail.then(() => {
        if (locks.get(key) === tail) locks.delete(key)
      })
      return run
    },
    async health() {
      return 'ok'
    },
    async close() {
      clearInterval(sweep)
    },
  }
}
