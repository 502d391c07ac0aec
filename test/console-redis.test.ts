import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FULL_REPORT } from './helpers/claim.js'
import { CONSOLE_SECRET, ConsoleClient, pageText, signedIn } from './helpers/console.js'
import { sayTo, startServer, type RunningServer } from './helpers/server.js'
import { staffCli } from './helpers/staff-cli.js'

// The shared test Redis; CI starts it. No skip: without Redis this suite fails.
const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379/15'
const PASSWORD = 'redis-console-pass-1'

describe('the console on two instances sharing Redis', () => {
  const prefix = `tbcon:${randomUUID().slice(0, 8)}:`
  const env = { REDIS_URL, REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'warn', CONSOLE_SECRET }
  let a: RunningServer
  let b: RunningServer
  beforeAll(async () => {
    ;[a, b] = await Promise.all([startServer(env), startServer(env)])
    // Accounts made with `npm run staff` while both instances run (Redis needs no stop).
    for (const [user, role, extra] of [['zhang', 'hotline', []], ['wang', 'manager', ['--district', '宝安区']]] as const) {
      const res = await staffCli(['add', user, '--role', role, ...extra], { ...env, STAFF_PASSWORD: PASSWORD })
      expect(res.code, res.stderr).toBe(0)
    }
  }, 60_000)
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()])
    const redis = new Redis(REDIS_URL)
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length) await redis.del(...keys)
    redis.disconnect()
  }, 30_000)

  it('a session from one instance works on the other; a status change on one is seen on the other and by the exporter; logout ends it on both', async () => {
    const user = `firm-${randomUUID().slice(0, 6)}`
    for (const [answer] of FULL_REPORT) await sayTo(a, user, answer)
    const no = /BS\d{8}-\d{4}/.exec(await sayTo(a, user, '确认'))![0]

    const onA = await signedIn(a.url, 'zhang', PASSWORD)
    const onB = new ConsoleClient(b.url)
    onB.cookies = new Map(onA.cookies)
    onB.csrf = onA.csrf
    expect(pageText(await (await onB.get(`/console/reports/${no}`)).text())).toContain('深圳市示例电子科技有限公司')
    const changed = await onB.post(`/console/reports/${no}/status`, { status: 'in_review', note: '请补充报关单' })
    expect(changed.status).toBe(303)
    expect(pageText(await (await onA.get(`/console/reports/${no}`)).text())).toMatch(/zhang 改为“处理中” 说明：请补充报关单/)
    const seen = await sayTo(b, user, `查询报案 ${no}`)
    expect(seen).toContain('客户经理处理中')
    expect(seen).toContain('说明：请补充报关单')

    const kept = new ConsoleClient(b.url)
    kept.cookies = new Map(onA.cookies)
    expect((await kept.get('/console/api/me')).status).toBe(200)
    expect((await onA.post('/console/logout', {})).status).toBe(303)
    expect((await kept.get('/console/api/me')).status).toBe(401)
  }, 30_000)

  it('counts wrong passwords across instances: five in all lock the account on both', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) statuses.push((await new ConsoleClient(i % 2 ? b.url : a.url).login('wang', `wrong-${i}`)).status)
    expect(statuses).toEqual([401, 401, 401, 401, 429])
    expect((await new ConsoleClient(a.url).login('wang', PASSWORD)).status).toBe(429)
    expect((await new ConsoleClient(b.url).login('wang', PASSWORD)).status).toBe(429)
    // An admin's new password (here from the command line) lifts nothing by itself: the lock runs its 15 minutes.
    expect((await staffCli(['passwd', 'wang'], { ...env, STAFF_PASSWORD: 'another-pass-22' })).code).toBe(0)
    expect((await new ConsoleClient(b.url).login('wang', 'another-pass-22')).status).toBe(429)
  }, 30_000)

  it('two staff changing one report at once from two instances on the same page: one wins, the other is told', async () => {
    const user = `firm-${randomUUID().slice(0, 6)}`
    for (const [answer] of FULL_REPORT) await sayTo(b, user, answer)
    const no = /BS\d{8}-\d{4}/.exec(await sayTo(b, user, '确认'))![0]
    const x = await signedIn(a.url, 'zhang', PASSWORD)
    const y = await signedIn(b.url, 'zhang', PASSWORD)
    const version = /name="version" value="(\d+)"/.exec(await (await x.get(`/console/reports/${no}`)).text())![1]!
    const [r1, r2] = await Promise.all([
      x.post(`/console/reports/${no}/status`, { status: 'closed', outcome: 'paid', version }),
      y.post(`/console/reports/${no}/status`, { status: 'closed', outcome: 'withdrawn', version }),
    ])
    expect([r1.status, r2.status].sort()).toEqual([303, 409])
    const report = (await (await x.get(`/console/api/reports/${no}`)).json()) as { report: { timeline: unknown[]; outcome: string } }
    expect(report.report.timeline).toHaveLength(1)
    expect(report.report.outcome).toBe(r1.status === 303 ? 'paid' : 'withdrawn')
  }, 30_000)
})
