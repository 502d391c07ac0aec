import { randomUUID } from 'node:crypto'
import pino from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import { createMessageClaims, type Claim } from '../../src/channels/wechat/claims.js'
import { createMemoryStore } from '../../src/store/memory-store.js'
import { createRedisClient } from '../../src/store/redis-client.js'
import { createRedisStore } from '../../src/store/redis-store.js'
import type { KvStore, Store } from '../../src/store/types.js'
import { silentLogger } from '../helpers/bot.js'
import { fakeClock } from '../store/contract.js'

/*
 * Holder A (one instance) stalls past its lease while working on a message; WeChat's retry reaches instance B,
 * which takes the message over. When A wakes up, its late renewal, answer, acknowledgement and release must
 * leave B's claim — and B's answer — as they are. Run on the memory store (its clock moved past the lease) and on
 * the real Redis (the lease really runs out).
 */

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379/15'
const runPrefix = `tbcas:${randomUUID().slice(0, 8)}:`
const KEY = 'wx:msg:o-a:1001'
const LEASE_SECONDS = 1
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A's view of the store: it can be frozen right after one of its calls, as a process stalls (GC, a blocked loop). */
function stallable(kv: KvStore) {
  let frozen: Promise<void> | undefined
  let thaw = () => {}
  let freezeNext: (() => void) | undefined
  let afterThaw: ((call: { name: string; result: unknown }) => void) | undefined
  const wrap =
    <A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      while (frozen) await frozen
      const result = await fn(...args)
      if (freezeNext) {
        frozen = new Promise<void>((r) => (thaw = () => ((frozen = undefined), r())))
        const told = freezeNext
        freezeNext = undefined
        told()
      } else if (afterThaw) {
        const told = afterThaw
        afterThaw = undefined
        told({ name, result })
      }
      while (frozen) await frozen
      return result
    }
  const view: KvStore = {
    get: wrap('get', kv.get),
    set: wrap('set', kv.set),
    delete: wrap('delete', kv.delete),
    setIfAbsent: wrap('setIfAbsent', kv.setIfAbsent),
    setIfEquals: wrap('setIfEquals', kv.setIfEquals),
    deleteIfEquals: wrap('deleteIfEquals', kv.deleteIfEquals),
  }
  return {
    kv: view,
    /** Resolves once A's next store call has been made (its renewal) and A is frozen just after it. */
    freezeAfterNextCall: () => new Promise<void>((r) => (freezeNext = r)),
    /** Wake A up; resolves once A's first store call after waking (its late renewal) is done. */
    thaw: () => {
      const next = new Promise<{ name: string; result: unknown }>((r) => (afterThaw = r))
      thaw()
      return next
    },
  }
}

interface Harness {
  store: Store
  /** Let A's lease run out while A is frozen. */
  expire(): Promise<void>
  cleanup(): Promise<void>
}

const memory = async (): Promise<Harness> => {
  const clock = fakeClock()
  const store = createMemoryStore({ sessionTtlSeconds: 60, now: clock.now })
  return { store, expire: () => clock.advance(LEASE_SECONDS * 1000 + 100), cleanup: () => store.close() }
}

let redisStores = 0
const redis = async (): Promise<Harness> => {
  const client = createRedisClient(REDIS_URL, silentLogger)
  await client.connect()
  const prefix = `${runPrefix}${++redisStores}:`
  const store = createRedisStore({ redis: client, prefix, sessionTtlSeconds: 60 })
  return {
    store,
    // Redis keeps the expiry itself: wait until it has dropped A's lease.
    async expire() {
      while ((await store.kv.get(KEY)) !== undefined) await sleep(50)
    },
    async cleanup() {
      const keys = await client.keys(`${prefix}*`)
      if (keys.length) await client.del(...keys)
      await store.close()
    },
  }
}

afterAll(async () => {
  const client = createRedisClient(REDIS_URL, silentLogger)
  await client.connect()
  const keys = await client.keys(`${runPrefix}*`)
  if (keys.length) await client.del(...keys)
  client.disconnect()
})

/** Two instances over one store: A sees it through a view that can stall, B directly. */
function instances(h: Harness) {
  const warnings: string[] = []
  const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line).msg) })
  const a = stallable(h.store.kv)
  return {
    a,
    warnings,
    claimsA: createMessageClaims({ kv: a.kv, logger, leaseSeconds: LEASE_SECONDS }),
    claimsB: createMessageClaims({ kv: h.store.kv, logger: silentLogger, leaseSeconds: LEASE_SECONDS }),
  }
}

function mine(claim: Claim) {
  if (claim.kind !== 'mine') throw new Error(`expected to hold the message, got ${claim.kind}`)
  return claim.lease
}

describe.each([
  ['memory', memory],
  ['redis', redis],
])('a WeChat message claim on the %s store, when its holder stalls past its lease', (_name, make) => {
  it("A's late renewal, answer, acknowledgement and release leave B's claim and B's answer alone", async () => {
    const h = await make()
    try {
      const { a, warnings, claimsA, claimsB } = instances(h)
      const leaseA = mine(await claimsA.claim(KEY, Date.now() + 1000))
      // A stalls just after a renewal, right where a read-then-write renewal would be between its read and its write.
      await a.freezeAfterNextCall()
      await h.expire()
      const leaseB = mine(await claimsB.claim(KEY, Date.now() + 3000)) // WeChat's retry, on instance B
      const heldByB = await h.store.kv.get(KEY)
      expect(heldByB).toMatch(/^w:/)

      // A wakes up and renews late: it finds the message taken over and gives up, saying so.
      await a.thaw()
      await sleep(LEASE_SECONDS * 1000) // three more renewal periods
      expect(await h.store.kv.get(KEY)).toBe(heldByB)
      expect(warnings).toContain('message claim lost before the answer; leaving the message to its new holder')

      await leaseA.answered('A 的答复')
      expect(await h.store.kv.get(KEY)).toBe(heldByB)
      await leaseA.acknowledged()
      expect(await h.store.kv.get(KEY)).toBe(heldByB)
      await leaseA.release()
      expect(await h.store.kv.get(KEY)).toBe(heldByB)
      // B still holds it: another retry waits for B rather than running the message a third time.
      expect(await claimsB.claim(KEY, Date.now() + 50)).toEqual({ kind: 'busy' })

      await leaseB.answered('B 的答复')
      await leaseA.release() // later still: B's answer stays for WeChat's last retry
      await leaseA.answered('A 的答复')
      expect(await claimsB.claim(KEY, Date.now() + 50)).toEqual({ kind: 'answered', answer: 'B 的答复' })
    } finally {
      await h.cleanup()
    }
  })

  it("keeps A's late answer when nobody took the message over meanwhile", async () => {
    const h = await make()
    try {
      const { a, claimsA, claimsB } = instances(h)
      const leaseA = mine(await claimsA.claim(KEY, Date.now() + 1000))
      await a.freezeAfterNextCall()
      await h.expire()
      void a.thaw()
      await leaseA.answered('A 的答复')
      expect(await claimsB.claim(KEY, Date.now() + 50)).toEqual({ kind: 'answered', answer: 'A 的答复' })
    } finally {
      await h.cleanup()
    }
  })
})
