import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisClient } from '../src/store/redis-client.js'
import { createRedisStore } from '../src/store/redis-store.js'
import type { Handoff, Store } from '../src/store/types.js'
import { silentLogger } from './helpers/bot.js'
import { handoffSetup, THURSDAY_10AM } from './helpers/handoff.js'

// The shared test Redis; CI starts it. No skip: without Redis this suite fails.
const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379/15'
/** 6 s, so the test can wait for it by Redis' clock. */
const PICKUP_MINUTES = 0.1
const PICKUP_MS = PICKUP_MINUTES * 60_000
const AHEAD_MS = 11 * 60_000
const ACK = '已转给人工客服，工作人员回复后会在这里显示。回复“结束人工”可回到机器人。'
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('two instances on one Redis, the second with its clock 11 minutes ahead (issue 19, item 5)', () => {
  const prefix = `tbclk:${randomUUID().slice(0, 8)}:`
  const stores: Store[] = []
  let side: Redis
  /** Redis' clock (TIME), epoch ms. */
  const redisNow = async () => {
    const [s, us] = await side.time()
    return Number(s) * 1000 + Math.floor(Number(us) / 1000)
  }
  async function instance(offsetMs: number) {
    const redis = createRedisClient(REDIS_URL, silentLogger)
    await redis.connect()
    const store = createRedisStore({ redis, prefix, sessionTtlSeconds: 3600 })
    stores.push(store)
    // The test's clock stands still at (real time + offset): only the store's clock moves.
    return handoffSetup({ store, start: Date.now() + offsetMs, hours: 'always', pickupMinutes: PICKUP_MINUTES })
  }
  const openOf = async (store: Store, owner: string): Promise<Handoff> => {
    const h = (await store.handoffs.listOpen()).find((o) => o.owner === owner)
    if (!h) throw new Error(`no open handoff of ${owner}`)
    return h
  }

  beforeAll(() => {
    side = new Redis(REDIS_URL)
  })
  afterAll(async () => {
    for (const s of stores) await s.close()
    const keys = await side.keys(`${prefix}*`)
    if (keys.length) await side.del(...keys)
    side.disconnect()
  })

  it('the store clock is Redis TIME', async () => {
    const a = await instance(AHEAD_MS)
    const before = await redisNow()
    const t = await a.store.clock!()
    expect(t).toBeGreaterThanOrEqual(before)
    expect(t).toBeLessThanOrEqual((await redisNow()) + 1)
  })

  it('a handoff opened on the first is not timed out by the second before the pickup time by Redis’ clock, and is after it', async () => {
    const a = await instance(0)
    const b = await instance(AHEAD_MS)
    const user = `firm-${randomUUID().slice(0, 6)}`
    const openedFrom = await redisNow()
    expect((await a.say(user, '转人工'))[0]).toContain('已为您转接人工客服')
    const opened = await openOf(a.store, `api:${user}`)
    // Stamped by Redis' clock, not by the instance's.
    expect(opened.createdAt).toBeGreaterThanOrEqual(openedFrom)
    expect(opened.createdAt).toBeLessThanOrEqual(await redisNow())
    expect(opened.pickupBy! - opened.createdAt).toBe(PICKUP_MS)

    // The ahead instance's sweeper and the user's next turn on it: still waiting, quietly.
    await b.desk.sweep()
    expect((await openOf(b.store, `api:${user}`)).timedOutAt).toBeUndefined()
    expect(await b.say(user, '在吗')).toEqual([ACK])
    await b.desk.sweep()
    const still = await openOf(b.store, `api:${user}`)
    expect(still.timedOutAt).toBeUndefined()
    expect(await redisNow()).toBeLessThan(still.pickupBy!)

    // Past the pickup time by Redis' clock: the same sweeper times it out, and the user is told on their next turn.
    const left = still.pickupBy! - (await redisNow())
    if (left >= 0) await sleep(left + 50)
    await b.desk.sweep()
    const timedOut = await openOf(b.store, `api:${user}`)
    expect(timedOut.timedOutAt).toBeGreaterThanOrEqual(still.pickupBy!)
    expect(timedOut.timedOutAt).toBeLessThanOrEqual(await redisNow())
    expect((await a.say(user, '还在吗'))[0]).toContain('分钟内暂时没有人工客服接待')
  })

  it('an instance whose clock is 11 minutes behind opens a handoff by Redis’ clock too; the others do not time it out at once', async () => {
    const behind = await instance(-AHEAD_MS)
    const b = await instance(AHEAD_MS)
    const user = `firm-${randomUUID().slice(0, 6)}`
    const from = await redisNow()
    await behind.say(user, '人工客服')
    const h = await openOf(behind.store, `api:${user}`)
    expect(h.createdAt).toBeGreaterThanOrEqual(from)
    expect(h.pickupBy).toBe(h.createdAt + PICKUP_MS)
    await b.desk.sweep()
    expect((await openOf(b.store, `api:${user}`)).timedOutAt).toBeUndefined()
    // Asked again on the behind instance: the wait starts again by Redis' clock.
    expect((await behind.say(user, '转人工'))[0]).toContain('您已在人工客服队列中')
    const again = await openOf(behind.store, `api:${user}`)
    expect(again.pickupBy).toBeGreaterThanOrEqual(from + PICKUP_MS)
  })
})

describe('the sweeper’s guard: never a handoff younger than its own pickup time', () => {
  it('leaves alone a handoff whose pickupBy came from elsewhere (another clock or setting) until it is that old by its createdAt', async () => {
    const s = handoffSetup({ hours: 'always', pickupMinutes: 10 })
    const t = THURSDAY_10AM
    // Written by an instance whose pickup deadline came a minute after opening.
    const { handoff } = await s.store.handoffs.open({
      id: 'abcdef012345', owner: 'api:firm-guard', channel: 'api', userId: 'firm-guard', status: 'waiting', version: 1,
      createdAt: t, updatedAt: t, reason: 'asked', pickupBy: t + 60_000, messages: [], facts: {},
    })
    s.setTime(t + 2 * 60_000)
    await s.desk.sweep()
    expect((await s.store.handoffs.get(handoff.id))!.timedOutAt).toBeUndefined()
    s.setTime(t + 10 * 60_000)
    await s.desk.sweep()
    expect((await s.store.handoffs.get(handoff.id))!.timedOutAt).toBe(t + 10 * 60_000)
  })
})
