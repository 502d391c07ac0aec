import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { chinaDay } from '../src/policy/dates.js'
import { createRedisClient } from '../src/store/redis-client.js'
import { createRedisStore } from '../src/store/redis-store.js'
import { parseReportNumber, type NewReport, type Store } from '../src/store/types.js'
import { silentLogger } from './helpers/bot.js'
import { handoffSetup } from './helpers/handoff.js'
import { privateRedis } from './helpers/redis-server.js'
import { freePort } from './helpers/server.js'

// Redis restarted without persistence while two instances run on it: everything it held is gone. What must not
// happen: a report number handed out twice, a /healthz that says ok, a user in a handoff answered as if nothing
// had happened.

const lines: string[] = []
const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }))

let n = 0
function newReport(day: string): NewReport {
  const t = Date.now()
  return {
    submission: `sub-${Date.now()}-${n++}`,
    day,
    notify: false,
    report: { userId: `u${n}`, channel: 'api', district: '宝安区', status: 'received', createdAt: t, updatedAt: t, fields: {}, flags: [] },
  }
}

describe('a Redis wiped under two running instances', () => {
  const server = { current: undefined as ReturnType<typeof privateRedis> | undefined }
  const stores: Store[] = []
  beforeAll(async () => {
    server.current = privateRedis(await freePort())
    await server.current.start()
  })
  afterAll(async () => {
    for (const s of stores) await s.close()
    await server.current?.stop()
  })

  async function instance(): Promise<Store> {
    const redis = createRedisClient(server.current!.url, silentLogger)
    await redis.connect()
    const store = createRedisStore({ redis, sessionTtlSeconds: 3600, logger, identityCheckMs: 200 })
    stores.push(store)
    return store
  }

  it('hands out no report number twice, says so in the log and /healthz, and tells a user who was in a handoff', async () => {
    const a = await instance()
    const b = await instance()
    const day = chinaDay(Date.now()).replace(/-/g, '')
    const before = [await a.reports.create(newReport(day)), await b.reports.create(newReport(day))].map((r) => r.report.id)
    expect(before).toEqual([`BS${day}-0001`, `BS${day}-0002`])
    expect(a.wipedAt!()).toBeUndefined()

    // A user of instance a talks to a person.
    const s = handoffSetup({ store: a, hours: 'always' })
    await s.addStaff('zhang', 'hotline')
    expect((await s.say('firm-1', '转人工')).join()).toContain('人工客服')

    // Redis restarts with nothing (no AOF, no RDB).
    await server.current!.stop()
    await server.current!.start()
    await vi.waitFor(() => expect(a.wipedAt!()).toBeDefined(), { timeout: 8000, interval: 100 })
    await vi.waitFor(() => expect(b.wipedAt!()).toBeDefined(), { timeout: 8000, interval: 100 })

    // The numbers go on past every number that can have been issued today before the wipe.
    const after = [await b.reports.create(newReport(day)), await a.reports.create(newReport(day))].map((r) => r.report.id)
    const seq = after.map((id) => parseReportNumber(id)!.n)
    expect(new Set([...before, ...after]).size).toBe(4)
    for (const x of seq) expect(x).toBeGreaterThan(2)
    // The floor is the tenths of a second since midnight in China when the wipe was found: more than any count filed at under ten a second.
    const sinceMidnight = Math.floor(((Date.now() + 8 * 3600_000) % 86_400_000) / 1000)
    expect(seq[0]).toBeGreaterThan((sinceMidnight - 60) * 10)
    expect(seq[1]).toBe(seq[0]! + 1)

    expect(lines.filter((l) => l.includes('redis store was wiped')).length).toBeGreaterThanOrEqual(1)
    const health = await (await s.app.request('/healthz')).json()
    expect(health).toMatchObject({ status: 'degraded' })
    expect(JSON.stringify(health)).toContain('store wiped')

    // The user who was waiting for a person is told their conversation may be lost, not answered as if nothing happened.
    const next = (await s.say('firm-1', '请问有人吗')).join('\n')
    expect(next).toContain('系统的记录刚出过故障')
    expect(next).toContain('转人工')
    // Once: the conversation is recorded again from here.
    expect((await s.say('firm-1', '赔付比例是多少')).join()).not.toContain('系统的记录刚出过故障')
  })

  it('an instance that started on the emptied Redis and took it for new does not keep the numbering from going on', async () => {
    const a = await instance()
    const day = chinaDay(Date.now()).replace(/-/g, '')
    const first = (await a.reports.create(newReport(day))).report.id
    await server.current!.stop()
    await server.current!.start()
    // c starts before a notices, and makes a fresh identity; a then finds the store is not the one it knew.
    const c = await instance()
    await vi.waitFor(() => expect(a.wipedAt!()).toBeDefined(), { timeout: 8000, interval: 100 })
    await vi.waitFor(() => expect(c.wipedAt!()).toBeDefined(), { timeout: 8000, interval: 100 })
    // Every running instance checks in within its interval (200 ms here, 10 s by default) and puts back what it issued.
    await new Promise((r) => setTimeout(r, 500))
    const next = (await c.reports.create(newReport(day))).report.id
    expect(parseReportNumber(next)!.n).toBeGreaterThan(parseReportNumber(first)!.n)
  })
})
