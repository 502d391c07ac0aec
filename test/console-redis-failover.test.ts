import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisClient } from '../src/store/redis-client.js'
import { createRedisStore } from '../src/store/redis-store.js'
import type { Store } from '../src/store/types.js'
import { silentLogger } from './helpers/bot.js'
import { formId, pageText, sampleReport, signedIn } from './helpers/console.js'
import { handoffIdIn, handoffSetup } from './helpers/handoff.js'
import { privateRedis } from './helpers/redis-server.js'
import { freePort } from './helpers/server.js'

// A Redis failover as the console sees it: writes paused for 3 s (CLIENT PAUSE … WRITE). The console's write times
// out after 1.5 s, and Redis carries it out when the pause ends. The agent must not be told a flat failure, the
// stored action must be audited, and a retry of the same form must not do it twice.

describe('console writes while Redis pauses writes (a failover)', () => {
  let server: ReturnType<typeof privateRedis>
  let store: Store
  let side: Redis
  beforeAll(async () => {
    server = privateRedis(await freePort())
    await server.start()
    const redis = createRedisClient(server.url, silentLogger)
    await redis.connect()
    store = createRedisStore({ redis, sessionTtlSeconds: 3600 })
    side = new Redis(server.url)
    // Pause writes right after the console has claimed the form: the action itself is what times out.
    const claim = store.kv.setIfAbsent.bind(store.kv)
    store.kv.setIfAbsent = async (key, value, ttl) => {
      const ok = await claim(key, value, ttl)
      if (key.startsWith('console:form:') && pauseNext) {
        pauseNext = false
        await side.call('CLIENT', 'PAUSE', '3000', 'WRITE')
      }
      return ok
    }
  })
  afterAll(async () => {
    side.disconnect()
    await store.close()
    await server.stop()
  })
  let pauseNext = false
  const settle = () => new Promise((r) => setTimeout(r, 3200))

  it('a reply: "result not known, look first" with a link; stored once, audited once; the same form again does nothing', async () => {
    const s = handoffSetup({ store, hours: 'always' })
    await s.addStaff('zhang', 'hotline')
    await s.say('firm-1', '转人工')
    const zhang = await signedIn(s.app, 'zhang')
    const id = handoffIdIn(await (await zhang.get('/console/handoffs')).text())
    expect((await zhang.post(`/console/handoffs/${id}/take`, {})).status).toBe(303)
    const _form = formId(await (await zhang.get(`/console/handoffs/${id}`)).text(), `/console/handoffs/${id}/reply`)

    pauseNext = true
    const res = await zhang.post(`/console/handoffs/${id}/reply`, { text: '请把报关单发给我们。', _form })
    expect(res.status).toBe(503)
    const html = await res.text()
    expect(pageText(html)).toContain('结果还不确定')
    expect(html).toContain(`href="/console/handoffs/${id}"`)
    await settle()

    // Redis carried the reply out when the pause ended: once, with its audit entry.
    const h = (await store.handoffs.get(id))!
    expect(h.messages.filter((m) => m.from === 'staff').map((m) => m.text)).toEqual(['请把报关单发给我们。'])
    const audit = await store.audit.list(0, 20)
    expect(audit.filter((e) => e.action === 'handoff.reply' && e.target === id)).toHaveLength(1)
    // The agent resends the same form: told to look first; nothing is sent twice.
    const retry = await zhang.post(`/console/handoffs/${id}/reply`, { text: '请把报关单发给我们。', _form })
    expect(retry.status).toBe(409)
    expect((await store.handoffs.get(id))!.messages.filter((m) => m.from === 'staff')).toHaveLength(1)
    expect((await s.say('firm-1', '好的')).join().match(/请把报关单发给我们/g)).toHaveLength(1)
  }, 20_000)

  it('a status change: stored once and audited in the same step; the retry is not told "someone else updated it"', async () => {
    const s = handoffSetup({ store, hours: 'always' })
    await store.reports.save(sampleReport('BS20261120-0001'))
    await s.addStaff('li', 'hotline')
    const li = await signedIn(s.app, 'li')
    const page = await (await li.get('/console/reports/BS20261120-0001')).text()
    const _form = formId(page, '/console/reports/BS20261120-0001/status')
    const version = /name="version" value="(\d+)"/.exec(page)?.[1]
    const fields = { status: 'in_review', note: '请补充报关单', _form, ...(version ? { version } : {}) }

    pauseNext = true
    const res = await li.post('/console/reports/BS20261120-0001/status', fields)
    expect(res.status).toBe(503)
    expect(await res.text()).toContain('href="/console/reports/BS20261120-0001"')
    await settle()

    expect((await store.reports.get('BS20261120-0001'))!.timeline).toHaveLength(1)
    expect((await store.audit.list(0, 50)).filter((e) => e.action === 'report.status' && e.target === 'BS20261120-0001')).toHaveLength(1)
    const retry = await li.post('/console/reports/BS20261120-0001/status', fields)
    expect(retry.status).toBe(409)
    expect(pageText(await retry.text())).not.toContain('刚被其他人更新')
    expect((await store.reports.get('BS20261120-0001'))!.timeline).toHaveLength(1)
  }, 20_000)
})
