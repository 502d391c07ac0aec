import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONSOLE_SECRET, ConsoleClient, pageText, signedIn } from './helpers/console.js'
import { handoffIdIn } from './helpers/handoff.js'
import { startServer, type RunningServer } from './helpers/server.js'
import { staffCli } from './helpers/staff-cli.js'

// The shared test Redis; CI starts it. No skip: without Redis this suite fails.
const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379/15'
const PASSWORD = 'redis-handoff-pass-1'

/** POST /api/chat to a running server; the reply texts. */
async function say(server: RunningServer, userId: string, text: string): Promise<string[]> {
  const res = await fetch(`${server.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, text }) })
  expect(res.status).toBe(200)
  return ((await res.json()) as { replies: Array<{ text: string }> }).replies.map((r) => r.text)
}

describe('转人工 on two real instances sharing Redis', () => {
  const prefix = `tbho:${randomUUID().slice(0, 8)}:`
  // The queue open around the clock: the test must not depend on the hour it runs at.
  const env = { REDIS_URL, REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'warn', CONSOLE_SECRET, HANDOFF_HOURS: 'always' }
  let a: RunningServer
  let b: RunningServer
  beforeAll(async () => {
    ;[a, b] = await Promise.all([startServer(env), startServer(env)])
    for (const user of ['zhang', 'li']) {
      const res = await staffCli(['add', user, '--role', 'hotline'], { ...env, STAFF_PASSWORD: PASSWORD })
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

  it('the user on one instance, staff on the other; of two staff taking it at once exactly one wins; the reply arrives in the user’s next turn', async () => {
    const user = `firm-${randomUUID().slice(0, 6)}`
    await say(a, user, '我们在福永')
    expect((await say(a, user, '转人工'))[0]).toContain('已为您转接人工客服')
    // The wait holds on whichever instance the next message reaches.
    expect(await say(b, user, '买家破产了，怎么办')).toEqual(['已转给人工客服，工作人员回复后会在这里显示。回复“结束人工”可回到机器人。'])
    expect(await say(a, user, '在吗')).toEqual([])

    const zhang = await signedIn(a.url, 'zhang', PASSWORD)
    const li = await signedIn(b.url, 'li', PASSWORD)
    const queue = await (await li.get('/console/handoffs')).text()
    expect(pageText(queue)).toContain('所在区：宝安区')
    expect(pageText(queue)).toContain('在吗')
    const id = handoffIdIn(queue)
    const [r1, r2] = await Promise.all([zhang.post(`/console/handoffs/${id}/take`, {}), li.post(`/console/handoffs/${id}/take`, {})])
    expect([r1.status, r2.status].sort()).toEqual([303, 409])
    const winner = r1.status === 303 ? zhang : li
    expect((await winner.post(`/console/handoffs/${id}/reply`, { text: '您好，请先报案，理赔电话见公众号。' })).status).toBe(303)
    expect((await say(b, user, '好的'))[0]).toBe('人工客服：您好，请先报案，理赔电话见公众号。')
    expect(await say(a, user, '谢谢')).toEqual([])
  }, 30_000)

  it('a restart mid-handoff (kill -9) loses nothing: the wait, the queue and the reply all carry on', async () => {
    const user = `firm-${randomUUID().slice(0, 6)}`
    await say(a, user, '人工客服')
    await say(a, user, '我们的报案编号忘了')
    a.proc.kill('SIGKILL')
    await new Promise((r) => a.proc.once('exit', r))
    a = await startServer(env)

    // Still waiting after the restart: quiet, and the staff console (a fresh login on the new process) sees it.
    expect(await say(a, user, '还在吗')).toEqual([])
    const zhang = await signedIn(a.url, 'zhang', PASSWORD)
    const detail = async (id: string) => pageText(await (await zhang.get(`/console/handoffs/${id}`)).text())
    const html = await (await zhang.get('/console/handoffs')).text()
    const ids = [...html.matchAll(/\/console\/handoffs\/([0-9a-f]{12})/g)].map((m) => m[1]!)
    let id = ''
    for (const candidate of ids) if ((await detail(candidate)).includes('我们的报案编号忘了')) id = candidate
    expect(id).not.toBe('')
    expect(await detail(id)).toContain('还在吗')
    expect((await zhang.post(`/console/handoffs/${id}/reply`, { text: '请回复“我的报案”查看。' })).status).toBe(303)
    // The console session survives a restart of the other instance too.
    const onB = new ConsoleClient(b.url)
    onB.cookies = new Map(zhang.cookies)
    expect((await onB.get(`/console/handoffs/${id}`)).status).toBe(200)

    b.proc.kill('SIGKILL')
    await new Promise((r) => b.proc.once('exit', r))
    b = await startServer(env)
    expect((await say(b, user, '好'))[0]).toBe('人工客服：请回复“我的报案”查看。')
  }, 60_000)
})
