import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisClient } from '../src/store/redis-client.js'
import { createRedisStore } from '../src/store/redis-store.js'
import type { Store } from '../src/store/types.js'
import { chat, silentLogger, testBot } from './helpers/bot.js'
import { FULL_REPORT } from './helpers/claim.js'
import { privateRedis } from './helpers/redis-server.js'
import { freePort } from './helpers/server.js'

describe('a user at the confirm step while Redis stalls for 4 s', () => {
  let redisServer: ReturnType<typeof privateRedis>
  let store: Store
  let side: Redis
  beforeAll(async () => {
    redisServer = privateRedis(await freePort())
    await redisServer.start()
    const redis = createRedisClient(redisServer.url, silentLogger)
    await redis.connect()
    store = createRedisStore({ redis, sessionTtlSeconds: 3600 })
    side = new Redis(redisServer.url)
  })
  afterAll(async () => {
    side.disconnect()
    await store.close()
    await redisServer.stop()
  })

  it('is told the form cannot be saved now, never a policy excerpt; once Redis answers again the report is filed once', async () => {
    const bot = testBot({ store })
    const c = chat(bot)
    for (const [answer, expected] of FULL_REPORT) expect(await c.say(answer)).toContain(expected)

    // Redis stalls for 4 s: every command times out (1.5 s) instead of answering.
    await side.call('CLIENT', 'PAUSE', '4000', 'ALL')
    const stalled = await c.say('确认')
    expect(stalled).toContain('您刚才填写的报损内容这次没有记下')
    expect(stalled).toContain('88325700')
    expect(stalled).not.toMatch(/来源|名单/)
    // Another instance, which never saw this user, still does not answer "确认" by retrieval.
    expect(await chat(testBot({ store }), c.userId).say('确认')).toContain('您刚才填写的报损内容这次没有记下')
    await side.call('CLIENT', 'UNPAUSE')

    const done = await c.say('确认')
    expect(done).toMatch(/报损已受理，报案编号：BS\d{8}-0001/)
    expect(await store.reports.listByUser(`api:${c.userId}`)).toHaveLength(1)
    expect(await c.say('确认')).toMatch(/您的报案已提交，编号：BS\d{8}-0001/)
    expect(await store.reports.listRecent(10)).toHaveLength(1)
  })
})
