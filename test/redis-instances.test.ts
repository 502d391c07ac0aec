import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { FULL_REPORT } from './helpers/claim.js'
import { privateRedis } from './helpers/redis-server.js'
import { freePort, sayTo, startServer, type RunningServer } from './helpers/server.js'

// The shared test Redis; CI starts it. No skip: without Redis this suite fails.
const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379/15'

const say = sayTo

async function health(server: RunningServer): Promise<string> {
  return ((await (await fetch(`${server.url}/healthz`)).json()) as { status: string }).status
}

describe('several instances on one Redis', () => {
  const prefix = `tbe2e:${randomUUID().slice(0, 8)}:`
  const env = { REDIS_URL, REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'warn' }
  const running: RunningServer[] = []
  afterAll(async () => {
    for (const s of running) await s.stop()
    const redis = new Redis(REDIS_URL)
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length) await redis.del(...keys)
    redis.disconnect()
  })

  it('alternates a loss report between two instances, survives a restart of one, and finishes on it', async () => {
    let a = await startServer(env)
    const b = await startServer(env)
    running.push(a, b)
    expect(await health(a)).toBe('ok')
    const user = `wx-${randomUUID().slice(0, 6)}`
    let i = 0
    for (const [answer, expected] of FULL_REPORT) {
      if (i === 9) {
        await a.stop()
        a = await startServer(env)
        running.push(a)
      }
      const server = i < 9 ? (i % 2 === 0 ? a : b) : a
      expect(await say(server, user, answer), `turn ${i} “${answer}”`).toContain(expected)
      i++
    }
    const done = await say(a, user, '确认')
    const id = /BS\d{8}-\d{4}/.exec(done)![0]
    expect(await say(b, user, '我的报案')).toContain(id)
    expect(await say(b, 'other-user', `查询报案 ${id}`)).toContain('没有找到')
  })

  it('keeps both updates when one user writes to two instances at the same moment', async () => {
    const [a, b] = running.slice(-2)
    const user = `wx-${randomUUID().slice(0, 6)}`
    // Both turns change the session: one starts the eligibility question, the other answers with a district.
    await Promise.all([say(a!, user, '我们在宝安区'), say(b!, user, '有没有理赔案例')])
    expect(await say(a!, user, '客户经理电话')).toContain('吕宇翔')
    expect(await say(b!, user, '详细一点')).toContain('130票货物')
  })
})

describe('Redis lost mid-run', () => {
  const running: RunningServer[] = []
  let redis: ReturnType<typeof privateRedis>
  afterAll(async () => {
    for (const s of running) await s.stop()
    await redis.stop()
  })

  it('stays up, answers policy questions, says the form is unavailable, reports degraded, and recovers by itself', async () => {
    redis = privateRedis(await freePort())
    await redis.start()
    const server = await startServer({ REDIS_URL: redis.url, LOG_LEVEL: 'warn' })
    running.push(server)
    const user = 'outage-user'
    await say(server, user, '我要报损')
    await say(server, user, '深圳市示例电子科技有限公司')

    await redis.stop()
    expect(await health(server)).toBe('degraded')
    expect(await say(server, user, '赔付比例是多少')).toContain('80%')
    expect(await say(server, user, '南山区客户经理')).toContain('金悠')
    expect(await say(server, user, '我要报损')).toContain('系统暂时无法保存对话')

    await redis.start()
    const end = Date.now() + 10_000
    while ((await health(server)) !== 'ok') {
      if (Date.now() > end) throw new Error('did not recover')
      await new Promise((r) => setTimeout(r, 100))
    }
    // Redis came back empty (no persistence in this test), so the form starts over; the server never went down.
    expect(await say(server, user, '我要报损')).toContain('企业全称')
  })
})
