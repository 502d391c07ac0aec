import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env, exports } from 'cloudflare:workers'
import type { ExecutionContext } from '@cloudflare/workers-types/index.js'
import type { Hono } from 'hono'
import { describe, expect, inject, it } from 'vitest'
import { createMessageCrypto } from '../src/channels/wechat/crypto.js'
import type { Engine } from '../src/engine/engine.js'
import { createWorkerHandler, scheduledWork, type WorkerEnv, type WorkerHandlerOptions } from '../src/worker/build.js'
import { FULL_REPORT } from './helpers/claim.js'
import { AES_KEY, APP_ID, TOKEN, postEncrypted, postPlain, tag, textMessage } from './helpers/wechat-client.js'

// The Worker's app inside workerd, over real Durable Objects. Each app gets its own objects (a tenant prefix).
// Notice delivery from the ledger's alarm is in test/worker-notify.workerd.test.ts (its own vitest project).

let n = 0
async function workerApp(vars: Record<string, string> = {}, options: WorkerHandlerOptions = {}) {
  const tenant = `app-${Date.now()}-${n++}:`
  const handler = await createWorkerHandler({ ...(env as WorkerEnv), ...vars }, { tenant, ...options })
  const contexts: ExecutionContext[] = []
  const request = (path: string, init?: RequestInit) => {
    const ctx = createExecutionContext()
    contexts.push(ctx)
    return handler(new Request(`http://worker.test${path}`, init), ctx)
  }
  const say = async (userId: string, text: string) => {
    const res = await request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, text }) })
    expect(res.status).toBe(200)
    return ((await res.json()) as { replies: Array<{ text: string }> }).replies.map((r) => r.text).join('\n')
  }
  /** Work the app handed to waitUntil (late answers, cached replies) has finished. */
  const settled = () => Promise.all(contexts.map((c) => waitOnExecutionContext(c)))
  return { handler, store: handler.store, request, say, settled, app: { request } as unknown as Hono }
}

/** Fill the form up to the summary, one answer at a time, as FULL_REPORT does on Node. */
async function fillReport(say: (text: string) => Promise<string>) {
  for (const [answer, nextQuestion] of FULL_REPORT) expect(await say(answer)).toContain(nextQuestion)
}

const REPORT_NO = /BS\d{8}-\d{4}/

describe('the Worker entry (src/worker.ts)', () => {
  it('serves /healthz, /api/chat and a JSON 404 as the Node server does', async () => {
    const health = await exports.default.fetch('http://worker.test/healthz')
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok', store: 'ok', model: 'off' })
    const chat = await exports.default.fetch('http://worker.test/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'entry-1', text: '赔付比例是多少' }),
    })
    expect(chat.status).toBe(200)
    expect(JSON.stringify(await chat.json())).toContain('80%')
    const bad = await exports.default.fetch('http://worker.test/api/chat', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' })
    expect(bad.status).toBe(415)
    const missing = await exports.default.fetch('http://worker.test/nowhere')
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } })
  })
})

describe('the app on Durable Objects', () => {
  it('with OPENAI_API_KEY, answers free questions through the model (LangChain on workerd), cited as on Node', async () => {
    const w = await workerApp({ OPENAI_API_KEY: 'sk-worker-test', OPENAI_BASE_URL: inject('openaiBaseURL'), OPENAI_MODEL: 'stub-model' })
    expect(await (await w.request('/healthz')).json()).toMatchObject({ status: 'ok', model: 'on', modelName: 'stub-model', circuit: 'closed' })
    expect(await w.say('model-user', '保险期限多久')).toBe('保险期限是1.5年，即2021年1月至2022年6月。\n来源：《2020年出口额800万美元以下企业统保政策简介》二（三）4. 保险期限')
    expect(await w.say('model-user', '宝安区客户经理')).toContain('吕宇翔') // rule answers stay rules
    const asked = (await (await fetch(inject('openaiRequestsUrl'))).json()) as Array<{ authorization: string; user: string; model: string }>
    expect(asked.find((r) => r.user.includes('保险期限多久'))).toMatchObject({ authorization: 'Bearer sk-worker-test', model: 'stub-model' })
  })

  it('walks a loss report to its number; the report, its notice and “我的报案” come from the ledger', async () => {
    // The app knows a webhook is set (the answer says the manager is notified); this project's ledger does not
    // deliver, so the queued notice stays to be seen.
    const w = await workerApp({ NOTIFY_WEBHOOK_URL: 'http://127.0.0.1:1/unused' })
    await fillReport((t) => w.say('filer', t))
    const confirmed = await w.say('filer', '确认')
    const id = REPORT_NO.exec(confirmed)?.[0]
    expect(id, confirmed).toBeDefined()
    expect(confirmed).toContain('已通知')
    expect(await w.say('filer', '确认')).toContain(id!) // a repeated confirm gets the same number
    expect(await w.say('filer', '我的报案')).toContain(id!)
    expect(await w.say('someone-else', `查询报案 ${id}`)).not.toContain('德国')
    expect((await w.store.reports.listByUser('api:filer')).map((r) => r.id)).toEqual([id])
    expect((await w.store.outbox.due(Number.MAX_SAFE_INTEGER, 10)).map((i) => i.id)).toEqual([`report-notice:${id}`])
  })

  it('loses nothing when one user’s messages arrive at once: each turn waits for the one before', async () => {
    const w = await workerApp()
    const users = ['c1', 'c2', 'c3', 'c4']
    await Promise.all(users.flatMap((u) => ['我们在宝安', '2020年出口额500万美元', '2021年3月报关的货'].map((t) => w.say(u, t))))
    for (const u of users) {
      const profile = (await w.store.sessions.get(`api:${u}`))?.profile
      expect(profile, u).toMatchObject({ district: '宝安区', exports2020Usd: 5_000_000, declared: { year: 2021, month: 3 } })
    }
  })

  it('gives every report its own number when many users confirm at once', async () => {
    const w = await workerApp()
    const users = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6']
    await Promise.all(users.map((u) => fillReport((t) => w.say(u, t))))
    const answers = await Promise.all(users.map((u) => w.say(u, '确认')))
    const ids = answers.map((a) => REPORT_NO.exec(a)?.[0])
    expect(ids.every(Boolean), answers.join('\n')).toBe(true)
    expect(new Set(ids).size).toBe(users.length)
    expect((await w.store.reports.listRecent(100)).map((r) => r.id).sort()).toEqual([...ids].sort())
  })

  it('answers a WeChat safe-mode message with an encrypted reply, and a retry with the same answer', async () => {
    const w = await workerApp({ WECHAT_TOKEN: TOKEN, WECHAT_APP_ID: APP_ID, WECHAT_ENCODING_AES_KEY: AES_KEY })
    const crypto = createMessageCrypto({ appId: APP_ID, encodingAesKey: AES_KEY })
    const encrypted = crypto.encrypt(textMessage('o-safe-user', '赔付比例是多少', '7001'))
    const res = await postEncrypted(w.app, encrypted, { openid: 'o-safe-user' })
    expect(res.status).toBe(200)
    const reply = await res.text()
    const inner = crypto.decrypt(tag(reply, 'Encrypt')!)
    expect(tag(inner, 'ToUserName')).toBe('o-safe-user')
    expect(tag(inner, 'Content')).toContain('80%')
    await w.settled()
    const retry = await postEncrypted(w.app, encrypted, { openid: 'o-safe-user' })
    expect(tag(crypto.decrypt(tag(await retry.text(), 'Encrypt')!), 'Content')).toBe(tag(inner, 'Content'))
    const forged = await postEncrypted(w.app, encrypted, { openid: 'o-safe-user', badMsgSignature: true })
    expect(forged.status).toBe(401)
  })

  it('over the WeChat time budget, answers success and sends the answer by customer-service message before the request’s work ends', async () => {
    const slowly = (engine: Engine): Engine => ({ handle: async (m) => (await new Promise((r) => setTimeout(r, 400)), engine.handle(m)) })
    const w = await workerApp(
      { WECHAT_TOKEN: TOKEN, WECHAT_APP_ID: APP_ID, WECHAT_APP_SECRET: 'secret', WECHAT_API_BASE: inject('wechatApiBase'), WECHAT_REPLY_BUDGET_MS: '100' },
      { wrapEngine: slowly },
    )
    const message = textMessage('o-late', '赔付比例是多少', '8001')
    expect(await (await postPlain(w.app, message)).text()).toBe('success')
    expect(await (await postPlain(w.app, message)).text()).toBe('success') // WeChat's retry: not run again
    // Everything the requests left running was handed to waitUntil: once it has settled, the message is out.
    await w.settled()
    const { sent } = (await (await fetch(`${inject('wechatSentUrl')}?touser=o-late`)).json()) as { sent: Array<{ content: string }> }
    expect(sent).toHaveLength(1)
    expect(sent[0]!.content).toContain('80%')
  })
})

describe('the Cron Trigger (scheduled)', () => {
  it('marks a handoff nobody took in time, so the user hears it and the bot answers again', async () => {
    const { handler, say } = await workerApp({ HANDOFF_HOURS: 'always', HANDOFF_PICKUP_MINUTES: '1' })
    expect(await say('cron-1', '转人工')).toContain('已为您转接人工客服')
    const [open] = await handler.store.handoffs.listOpen()
    expect(open).toBeDefined()
    // As if the pickup time (1 minute) had passed since it was opened: the sweep of the next scheduled run times it out.
    await handler.bot.handoff.change(open!.id, (h) => ({ next: { ...h, createdAt: Date.now() - 61_000, pickupBy: Date.now() - 1 }, result: undefined }))
    await scheduledWork(handler)
    expect((await handler.store.handoffs.get(open!.id))?.timedOutAt).toBeDefined()
    const next = await say('cron-1', '赔付比例是多少')
    expect(next).toContain('88325713')
    expect(next).toContain('80%')
  })
})
