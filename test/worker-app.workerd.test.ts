import { createExecutionContext, runDurableObjectAlarm, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test'
import { env, exports } from 'cloudflare:workers'
import type { DurableObjectNamespace, DurableObjectStub, ExecutionContext } from '@cloudflare/workers-types/index.js'
import type { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createMessageCrypto } from '../src/channels/wechat/crypto.js'
import { createWorkerHandler, type WorkerEnv } from '../src/worker/build.js'
import { FULL_REPORT } from './helpers/claim.js'
import { AES_KEY, APP_ID, TOKEN, postEncrypted, tag, textMessage } from './helpers/wechat-client.js'

// The Worker's app inside workerd, over real Durable Objects. Each app gets its own objects (a tenant prefix).
// vitest.config.ts gives this project NOTIFY_WEBHOOK_URL pointing at a closed loopback port, so every notice
// delivery fails and is retried by the ledger's alarm.

let n = 0
function workerApp(vars: Record<string, string> = {}) {
  const tenant = `app-${Date.now()}-${n++}:`
  const handler = createWorkerHandler({ ...(env as WorkerEnv), ...vars }, { tenant })
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
  const ledger = () => {
    const ns = env.LEDGER as DurableObjectNamespace
    return ns.get(ns.idFromName(`${tenant}ledger`)) as DurableObjectStub
  }
  /** Work the app handed to waitUntil (late answers, cached replies) has finished. */
  const settled = () => Promise.all(contexts.map((c) => waitOnExecutionContext(c)))
  return { handler, store: handler.store, request, say, ledger, settled, app: { request } as unknown as Hono }
}

/** Fill the form up to the summary, one answer at a time, as FULL_REPORT does on Node. */
async function fillReport(say: (text: string) => Promise<string>) {
  for (const [answer, nextQuestion] of FULL_REPORT) expect(await say(answer)).toContain(nextQuestion)
}

const REPORT_NO = /BS\d{8}-\d{4}/

/** Wait (at most 10 s) until the check holds: for work the runtime does in the background, like an alarm. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 10_000
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 50))
  }
}

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
  it('walks a loss report to its number; the report, its notice and “我的报案” come from the ledger', async () => {
    const w = workerApp()
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
    const w = workerApp()
    const users = ['c1', 'c2', 'c3', 'c4']
    await Promise.all(users.flatMap((u) => ['我们在宝安', '2020年出口额500万美元', '2021年3月报关的货'].map((t) => w.say(u, t))))
    for (const u of users) {
      const profile = (await w.store.sessions.get(`api:${u}`))?.profile
      expect(profile, u).toMatchObject({ district: '宝安区', exports2020Usd: 5_000_000, declared: { year: 2021, month: 3 } })
    }
  })

  it('gives every report its own number when many users confirm at once', async () => {
    const w = workerApp()
    const users = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6']
    await Promise.all(users.map((u) => fillReport((t) => w.say(u, t))))
    const answers = await Promise.all(users.map((u) => w.say(u, '确认')))
    const ids = answers.map((a) => REPORT_NO.exec(a)?.[0])
    expect(ids.every(Boolean), answers.join('\n')).toBe(true)
    expect(new Set(ids).size).toBe(users.length)
    expect((await w.store.reports.listRecent(100)).map((r) => r.id).sort()).toEqual([...ids].sort())
  })

  it('answers a WeChat safe-mode message with an encrypted reply, and a retry with the same answer', async () => {
    const w = workerApp({ WECHAT_TOKEN: TOKEN, WECHAT_APP_ID: APP_ID, WECHAT_ENCODING_AES_KEY: AES_KEY })
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

  it('retries a failed notice from the ledger’s alarm, with back-off; the notice stays queued until it goes through', async () => {
    const w = workerApp()
    await fillReport((t) => w.say('notified', t))
    const id = REPORT_NO.exec(await w.say('notified', '确认'))![0]
    // The ledger set its alarm when it queued the notice; the attempt fails (closed port) and is rescheduled.
    const notice = async () => (await w.store.outbox.due(Number.MAX_SAFE_INTEGER, 10))[0]
    await until(async () => ((await notice())?.attempts ?? 0) >= 1)
    const item = (await notice())!
    expect(item).toMatchObject({ id: `report-notice:${id}`, kind: 'report-notice' })
    expect(item.lastError).toBeTruthy()
    // NOTIFY_RETRY_SECONDS = 1: the next attempt waits (1 s, then doubling), and the alarm follows the item due.
    expect(item.nextAttemptAt).toBeGreaterThan(item.createdAt)
    const alarm = () => runInDurableObject(w.ledger(), (_instance, state) => state.storage.getAlarm())
    await until(async () => (await alarm()) !== null)
    const [now] = await w.store.outbox.due(Number.MAX_SAFE_INTEGER, 10)
    expect(await alarm()).toBe(now!.nextAttemptAt)
    // Running the alarm early delivers nothing before its time; the item stays queued.
    await runDurableObjectAlarm(w.ledger())
    expect(await w.store.outbox.size()).toBe(1)
  })
})
