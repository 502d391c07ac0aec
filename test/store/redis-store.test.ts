import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newSession } from '../../src/engine/types.js'
import { createRedisClient } from '../../src/store/redis-client.js'
import { createRedisStore } from '../../src/store/redis-store.js'
import { StoreUnavailableError, type Store } from '../../src/store/types.js'
import { silentLogger } from '../helpers/bot.js'
import { privateRedis } from '../helpers/redis-server.js'
import { freePort } from '../helpers/server.js'
import { CONTRACT_HANDOFF_KEEP_CLOSED, CONTRACT_SESSION_TTL_SECONDS, handoffStoreContract, storeContract } from './contract.js'

// No skip when Redis is missing: a green run must mean the Redis store was exercised.
const url = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379/15'
const runPrefix = `tbtest:${randomUUID().slice(0, 8)}:`
let stores = 0

async function connect(redisUrl = url): Promise<Redis> {
  const redis = createRedisClient(redisUrl, silentLogger)
  try {
    await redis.connect()
  } catch (err) {
    redis.disconnect()
    throw new Error(`Redis at ${redisUrl} is not reachable (${(err as Error).message}); start it or set REDIS_TEST_URL`)
  }
  return redis
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
    if (keys.length) await redis.del(...keys)
    cursor = next
  } while (cursor !== '0')
}

afterAll(async () => {
  const redis = await connect()
  await deleteKeys(redis, runPrefix)
  await redis.quit()
})

storeContract('redis', async () => {
  const redis = await connect()
  const prefix = `${runPrefix}${++stores}:`
  const store = createRedisStore({ redis, prefix, sessionTtlSeconds: CONTRACT_SESSION_TTL_SECONDS, handoffKeepClosed: CONTRACT_HANDOFF_KEEP_CLOSED })
  return {
    store,
    async cleanup() {
      await deleteKeys(redis, prefix)
      await store.close()
    },
  }
})

handoffStoreContract('redis', async () => {
  const redis = await connect()
  const prefix = `${runPrefix}${++stores}:`
  const store = createRedisStore({ redis, prefix, sessionTtlSeconds: CONTRACT_SESSION_TTL_SECONDS, handoffKeepClosed: CONTRACT_HANDOFF_KEEP_CLOSED })
  return {
    store,
    async cleanup() {
      await deleteKeys(redis, prefix)
      await store.close()
    },
  }
})

describe('redis store shared by two instances', () => {
  let a: Store
  let b: Store
  const prefix = `${runPrefix}shared:`
  beforeAll(async () => {
    a = createRedisStore({ redis: await connect(), prefix, sessionTtlSeconds: 60 })
    b = createRedisStore({ redis: await connect(), prefix, sessionTtlSeconds: 60 })
  })
  afterAll(async () => {
    await a.close()
    await b.close()
  })

  it('sees the other instance’s sessions', async () => {
    await a.sessions.save(newSession('u-shared', 1))
    expect(await b.sessions.get('u-shared')).toEqual(newSession('u-shared', 1))
    await b.sessions.delete('u-shared')
    expect(await a.sessions.get('u-shared')).toBeUndefined()
  })

  it('excludes across clients: one user’s turns never overlap, whichever instance runs them', async () => {
    let inside = 0
    let overlaps = 0
    const turn = (store: Store) =>
      store.runExclusive('user:u-shared', async () => {
        inside++
        if (inside > 1) overlaps++
        await new Promise((resolve) => setTimeout(resolve, 10))
        inside--
      })
    await Promise.all(Array.from({ length: 10 }, (_, i) => turn(i % 2 ? a : b)))
    expect(overlaps).toBe(0)
  })

  it('numbers reports uniquely across instances', async () => {
    const ns = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).reports.nextSequence('20261126')))
    expect(new Set(ns).size).toBe(40)
    expect(Math.max(...ns)).toBe(40)
  })

  it('gives up on a lock still held at the deadline with StoreUnavailableError', async () => {
    const impatient = createRedisStore({ redis: await connect(), prefix, sessionTtlSeconds: 60, lockWaitMs: 100 })
    let release!: () => void
    let entered!: () => void
    const inside = new Promise<void>((resolve) => (entered = resolve))
    const held = a.runExclusive('user:busy', () => {
      entered()
      return new Promise<void>((resolve) => (release = resolve))
    })
    await inside
    await expect(impatient.runExclusive('user:busy', async () => 'never')).rejects.toBeInstanceOf(StoreUnavailableError)
    release()
    await held
    expect(await impatient.runExclusive('user:busy', async () => 'now')).toBe('now')
    await impatient.close()
  })
})

describe('redis store through a Redis outage', () => {
  let port: number
  let redisServer: ReturnType<typeof privateRedis>
  const startRedis = () => redisServer.start()
  const stopRedis = () => redisServer.stop()

  beforeAll(async () => {
    port = await freePort()
    redisServer = privateRedis(port)
    await startRedis()
  })
  afterAll(() => stopRedis())

  it('rejects fast with StoreUnavailableError while Redis is down and recovers by itself', async () => {
    const store = createRedisStore({ redis: await connect(`redis://127.0.0.1:${port}/0`), sessionTtlSeconds: 60 })
    try {
      await store.sessions.save(newSession('u1', 1))
      expect(await store.health()).toBe('ok')

      await stopRedis()
      const calls: [string, () => Promise<unknown>][] = [
        ['sessions.get', () => store.sessions.get('u1')],
        ['sessions.save', () => store.sessions.save(newSession('u1', 2))],
        ['kv.setIfAbsent', () => store.kv.setIfAbsent('m1', '1', 60)],
        ['kv.setIfEquals', () => store.kv.setIfEquals('m1', '1', '2', 60)],
        ['kv.deleteIfEquals', () => store.kv.deleteIfEquals('m1', '1')],
        ['reports.nextSequence', () => store.reports.nextSequence('20261126')],
        ['reports.listByUser', () => store.reports.listByUser('u1')],
        ['outbox.due', () => store.outbox.due(Date.now(), 10)],
        ['roster.replace', () => store.roster.replace([{ name: '甲', creditCode: 'X' }])],
        ['runExclusive', () => store.runExclusive('user:u1', async () => 'ran')],
      ]
      for (const [name, call] of calls) {
        const started = performance.now()
        await expect(call(), name).rejects.toBeInstanceOf(StoreUnavailableError)
        expect(performance.now() - started, name).toBeLessThan(2000)
      }
      expect(await store.health()).toBe('degraded')

      await startRedis()
      const deadline = Date.now() + 10_000
      while ((await store.health()) !== 'ok') {
        if (Date.now() > deadline) throw new Error('client did not reconnect within 10 s')
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      await store.sessions.save(newSession('u1', 3))
      expect((await store.sessions.get('u1'))?.createdAt).toBe(3)
      expect(await store.runExclusive('user:u1', async () => 'ran')).toBe('ran')
    } finally {
      await store.close()
    }
  })
})
