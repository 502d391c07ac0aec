import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisClient } from '../src/store/redis-client.js'
import { createRedisStore } from '../src/store/redis-store.js'
import type { Handoff, Store } from '../src/store/types.js'
import { realKnowledge, silentLogger } from './helpers/bot.js'
import { beijing, handoffSetup } from './helpers/handoff.js'
import { privateRedis } from './helpers/redis-server.js'
import { freePort } from './helpers/server.js'

const { knowledge } = realKnowledge()
const POLICY_PHONE = knowledge.contacts.policyHotlines.phones[0]!
const NOT_PASSED = '您刚才这条消息没能转给人工客服'
const BOT_ANSWER = /没有找到确切答案|来源|80%|系统暂时无法保存对话/
const STAFF = { username: 'zhang', admin: false }
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * An exporter talking to a person (a taken handoff) while Redis refuses writes for 3 s (CLIENT PAUSE … WRITE, what
 * a failover does) or is down: never a bot answer; they are told plainly that the message did not reach the person.
 */
describe('an exporter talking to a person (转人工) while Redis is paused, refuses writes or is down (issue 19, item 4)', () => {
  let server: ReturnType<typeof privateRedis>
  let side: Redis
  const stores: Store[] = []
  beforeAll(async () => {
    server = privateRedis(await freePort())
    await server.start()
    side = new Redis(server.url)
  })
  afterAll(async () => {
    side.disconnect()
    for (const s of stores) await s.close()
    await server.stop()
  })

  async function instance(wrap?: (store: Store) => Store, when: { start: number; hours: string } = { start: Date.now(), hours: 'always' }) {
    const redis = createRedisClient(server.url, silentLogger)
    await redis.connect()
    const store = createRedisStore({ redis, sessionTtlSeconds: 3600 })
    stores.push(store)
    return handoffSetup({ store: wrap ? wrap(store) : store, ...when })
  }

  /** A store whose next handoff write, once armed, Redis refuses (NOREPLICAS, as a primary that lost its replicas does). */
  function refusingOnce() {
    const arm = { armed: false }
    const wrap = (store: Store): Store => ({
      ...store,
      handoffs: {
        ...store.handoffs,
        replace: async (next) => {
          if (!arm.armed) return store.handoffs.replace(next)
          arm.armed = false
          await side.call('CONFIG', 'SET', 'min-replicas-to-write', '1')
          try {
            return await store.handoffs.replace(next)
          } finally {
            await side.call('CONFIG', 'SET', 'min-replicas-to-write', '0')
          }
        },
      },
    })
    return { arm, wrap }
  }

  /** A user whose handoff a staff member has taken, past the one acknowledgement. */
  async function takenHandoff(s: Awaited<ReturnType<typeof instance>>, user: string): Promise<Handoff> {
    expect((await s.say(user, '转人工'))[0]).toContain('已为您转接人工客服')
    const h = (await s.store.handoffs.listOpen()).find((o) => o.owner === `api:${user}`)!
    expect((await s.desk.take(h.id, STAFF)).ok).toBe(true)
    expect(await s.say(user, '您好')).toHaveLength(1) // the acknowledgement
    expect(await s.say(user, '在吗')).toEqual([])
    return h
  }
  const userLines = async (s: Awaited<ReturnType<typeof instance>>, id: string) =>
    (await s.store.handoffs.get(id))!.messages.filter((m) => m.from === 'user').map((m) => m.text)
  function expectTold(replies: string[]) {
    expect(replies).toHaveLength(1)
    expect(replies[0]).toContain(NOT_PASSED)
    expect(replies[0]).toContain('请稍后再发一次')
    expect(replies[0]).toContain(POLICY_PHONE)
    expect(replies[0]).not.toMatch(BOT_ANSWER)
  }
  /** Wait out a pause (and the turn lock its queued script may have left behind). */
  const unpaused = async () => {
    await side.call('CLIENT', 'UNPAUSE')
    await sleep(50)
  }

  it('writes paused before the turn: told (this instance remembers the user is with a person); sent again, it reaches the person', async () => {
    const s = await instance()
    const user = 'firm-paused'
    const h = await takenHandoff(s, user)

    // One message per pause: a second one would queue behind the first's write and may outlast the pause.
    await side.call('CLIENT', 'PAUSE', '3000', 'WRITE')
    expectTold(await s.say(user, '买家说货物有质量问题，拒绝付款'))
    await unpaused()
    // A question is for the person too: not answered by the bot.
    await side.call('CLIENT', 'PAUSE', '3000', 'WRITE')
    expectTold(await s.say(user, '赔付比例是多少？'))
    await unpaused()

    expect(await s.say(user, '买家说货物有质量问题，拒绝付款（再发一次）')).toEqual([])
    expect(await userLines(s, h.id)).toContain('买家说货物有质量问题，拒绝付款（再发一次）')
  })

  it('the handoff write refused in the middle of the turn (the session read and saved): told, not left in silence', async () => {
    const { arm, wrap } = refusingOnce()
    const s = await instance(wrap)
    const user = 'firm-midturn'
    const h = await takenHandoff(s, user)
    arm.armed = true
    expectTold(await s.say(user, '货已经退运回深圳了'))
    expect(await userLines(s, h.id)).not.toContain('货已经退运回深圳了')
    expect(await s.say(user, '货已经退运回深圳了')).toEqual([])
    expect(await userLines(s, h.id)).toContain('货已经退运回深圳了')
  })

  it('a message left outside office hours that could not be written: told, not “已留言”', async () => {
    const { arm, wrap } = refusingOnce()
    // Saturday 10:00 in Beijing: nobody in.
    const s = await instance(wrap, { start: beijing(2026, 11, 28, 10), hours: 'mon-fri 09:00-18:00' })
    const user = 'firm-weekend'
    expect((await s.say(user, '转人工'))[0]).toContain('现在不是人工客服的工作时间')
    arm.armed = true
    expectTold(await s.say(user, '我们的买家破产了，需要准备什么'))
    expect((await s.say(user, '我们的买家破产了，需要准备什么'))[0]).toContain('已留言')
    const h = (await s.store.handoffs.listOpen()).find((o) => o.owner === `api:${user}`)!
    expect(await userLines(s, h.id)).toEqual(['转人工', '我们的买家破产了，需要准备什么'])
  })

  it('Redis down: told, never a bot answer', async () => {
    const s = await instance()
    const user = 'firm-down'
    await takenHandoff(s, user)
    await server.stop()
    try {
      expectTold(await s.say(user, '我们已经发了催款函'))
      expectTold(await s.say(user, '赔付比例是多少？'))
      expectTold(await s.say(user, '结束人工'))
    } finally {
      await server.start()
    }
  })
})
