import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { RATE_LIMITED } from '../src/channels/wechaty/texts.js'
import { createRedisClient } from '../src/store/redis-client.js'
import { createRedisStore } from '../src/store/redis-store.js'
import type { Store } from '../src/store/types.js'
import { silentLogger } from './helpers/bot.js'
import { FULL_REPORT } from './helpers/claim.js'
import { wechatyHarness, type HarnessOptions, type WechatyHarness } from './helpers/wechaty-mock.js'

// The shared test Redis; CI starts it. No skip: without Redis this suite fails.
const url = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379/15'
const prefix = `tbwechaty:${randomUUID().slice(0, 8)}:`
const stores: Store[] = []
let open: WechatyHarness[] = []

async function redisStore(): Promise<Store> {
  const redis = createRedisClient(url, silentLogger)
  await redis.connect().catch((err: Error) => {
    redis.disconnect()
    throw new Error(`Redis at ${url} is not reachable (${err.message}); start it or set REDIS_TEST_URL`)
  })
  const store = createRedisStore({ redis, prefix, sessionTtlSeconds: 3600 })
  stores.push(store)
  return store
}

/** Two bot processes of one WeChat account (same bot id), each with its own Redis client, one Redis. */
async function twoInstances(opts: HarnessOptions = {}) {
  const botId = `bot-${randomUUID()}`
  const a = await wechatyHarness({ ...opts, botId, store: await redisStore() })
  const b = await wechatyHarness({ ...opts, botId, store: await redisStore() })
  open.push(a, b)
  // The same person as each instance's puppet sees them (a service puppet's stable wxid).
  const id = `wxid_${randomUUID().slice(0, 8)}`
  return { a, b, onA: a.contact({ id, name: '张三' }), onB: b.contact({ id, name: '张三' }) }
}

afterEach(async () => {
  await Promise.all(open.map((h) => h.close()))
  open = []
})
afterAll(async () => {
  const redis = createRedisClient(url, silentLogger)
  await redis.connect()
  const keys = await redis.keys(`${prefix}*`)
  if (keys.length) await redis.del(...keys)
  await redis.quit()
  await Promise.all(stores.map((s) => s.close()))
})

describe('wechaty on a shared Redis store', () => {
  it('a loss report started on one instance is finished on the other, and either finds it', async () => {
    const { a, b, onA, onB } = await twoInstances()
    for (const [i, [answer, expected]] of FULL_REPORT.entries()) {
      const [h, contact] = i % 2 === 0 ? [a, onA] : [b, onB]
      expect((await h.say(contact, answer)).text, `turn ${i} “${answer}”`).toContain(expected)
    }
    const id = /BS\d{8}-\d{4}/.exec((await b.say(onB, '确认')).text)![0]
    expect((await a.say(onA, '我的报案')).text).toContain(id)
  })

  it('the per-contact rate limit counts the messages of every instance, and tells the user once', async () => {
    const t0 = Date.now()
    const { a, b, onA, onB } = await twoInstances({ rateLimit: 3, rateWindowSeconds: 600, now: () => t0 })
    expect((await a.say(onA, '赔付比例是多少')).outcome).toBe('answered')
    expect((await b.say(onB, '宝安区客户经理')).outcome).toBe('answered')
    expect((await a.say(onA, '理赔电话')).outcome).toBe('answered')
    expect(await b.say(onB, '理赔电话')).toMatchObject({ outcome: 'limited', replies: [RATE_LIMITED] })
    expect(await a.say(onA, '理赔电话')).toMatchObject({ outcome: 'limited', replies: [] })
  })
})
