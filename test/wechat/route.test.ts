import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWeChatApi } from '../../src/channels/wechat/api.js'
import { createMessageCrypto } from '../../src/channels/wechat/crypto.js'
import type { Engine } from '../../src/engine/engine.js'
import { createApp } from '../../src/http/app.js'
import { createMemoryStore } from '../../src/store/memory-store.js'
import { StoreUnavailableError } from '../../src/store/types.js'
import { silentLogger, testBot } from '../helpers/bot.js'
import { startWeChatApiStub, type WeChatApiStub } from '../helpers/wechat-stub.js'
import { eventually } from '../helpers/webhook-stub.js'
import {
  ACCOUNT,
  AES_KEY,
  APP_ID,
  OLD_AES_KEY,
  TOKEN,
  eventMessage,
  messageXml,
  postEncrypted,
  postPlain,
  sign,
  tag,
  textMessage,
} from '../helpers/wechat-client.js'

let seq = 0
const msgId = () => `2400000000000${String(++seq).padStart(6, '0')}`
const user = () => `o-user-${++seq}`

/** The real bot, counting engine calls and optionally slowed down. */
function setup(opts: { failFirst?: boolean; delayMs?: number; slowText?: string; budgetMs?: number; api?: ReturnType<typeof createWeChatApi>; longText?: string; safe?: boolean } = {}) {
  const store = createMemoryStore({ sessionTtlSeconds: 3600 })
  const bot = testBot({ store })
  let calls = 0
  const engine: Engine = {
    async handle(m) {
      calls++
      if (opts.failFirst && calls === 1) throw new Error('engine crashed')
      if (opts.delayMs && (!opts.slowText || m.text === opts.slowText)) await new Promise((r) => setTimeout(r, opts.delayMs))
      if (opts.longText) return [{ type: 'text', text: opts.longText }]
      return bot.engine.handle(m)
    },
  }
  const crypto = createMessageCrypto({ appId: APP_ID, encodingAesKey: AES_KEY, previousEncodingAesKey: OLD_AES_KEY })
  const app = createApp({
    engine,
    store,
    logger: silentLogger,
    maxTextLength: 1000,
    maxBodyBytes: 8 * 1024,
    // With an EncodingAESKey configured only encrypted messages are accepted: plain-mode tests run without one.
    wechat: { token: TOKEN, crypto: opts.safe ? crypto : undefined, api: opts.api, budgetMs: opts.budgetMs ?? 4500 },
  })
  return { app, store, crypto, calls: () => calls }
}

function apiFor(stub: WeChatApiStub, store = createMemoryStore({ sessionTtlSeconds: 60 })) {
  return createWeChatApi({
    appId: APP_ID,
    appSecret: 'secret',
    apiBase: stub.base,
    kv: store.kv,
    runExclusive: (k, fn) => store.runExclusive(k, fn),
    logger: silentLogger,
  })
}

describe('GET /wechat (URL verification)', () => {
  const { app } = setup()
  const ts = () => String(Math.floor(Date.now() / 1000))

  it('echoes echostr when the signature matches', async () => {
    const t = ts()
    const res = await app.request(`/wechat?signature=${sign(TOKEN, t, 'n1')}&timestamp=${t}&nonce=n1&echostr=hello123`)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('hello123')
  })

  it('refuses a wrong signature with 401, missing parameters with 400 and an old timestamp with 403', async () => {
    const t = ts()
    expect((await app.request(`/wechat?signature=${sign('wrong', t, 'n1')}&timestamp=${t}&nonce=n1&echostr=x`)).status).toBe(401)
    expect((await app.request(`/wechat?timestamp=${t}&nonce=n1&echostr=x`)).status).toBe(400)
    const old = String(Math.floor(Date.now() / 1000) - 600)
    expect((await app.request(`/wechat?signature=${sign(TOKEN, old, 'n1')}&timestamp=${old}&nonce=n1&echostr=x`)).status).toBe(403)
  })
})

describe('POST /wechat, plain mode', () => {
  it('answers a text message with a passive reply: users swapped, CreateTime in seconds', async () => {
    const { app } = setup()
    const from = user()
    const res = await postPlain(app, textMessage(from, '赔付比例是多少', msgId()))
    expect(res.status).toBe(200)
    const xml = await res.text()
    expect(tag(xml, 'ToUserName')).toBe(from)
    expect(tag(xml, 'FromUserName')).toBe(ACCOUNT)
    expect(tag(xml, 'MsgType')).toBe('text')
    expect(Math.abs(Number(tag(xml, 'CreateTime')) - Date.now() / 1000)).toBeLessThan(5)
    expect(tag(xml, 'Content')).toContain('80%')
  })

  it('checks the signature before any other work', async () => {
    const { app, calls } = setup()
    const res = await postPlain(app, '<xml><broken', { badSignature: true })
    expect(res.status).toBe(401)
    expect(calls()).toBe(0)
  })

  it('refuses a replayed request whose timestamp is more than 5 minutes off', async () => {
    const { app, calls } = setup()
    const old = String(Math.floor(Date.now() / 1000) - 301)
    expect((await postPlain(app, textMessage(user(), '你好', msgId()), { timestamp: old })).status).toBe(403)
    expect(calls()).toBe(0)
  })

  it('rejects malformed XML, entity declarations and oversized bodies, and keeps serving', async () => {
    const { app } = setup()
    expect((await postPlain(app, '<xml><ToUserName>oops</xml>')).status).toBe(400)
    const xxe = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><ToUserName>&xxe;</ToUserName></xml>`
    expect((await postPlain(app, xxe)).status).toBe(400)
    const bomb = `<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><xml><Content>&b;</Content></xml>`
    expect((await postPlain(app, bomb)).status).toBe(400)
    expect((await postPlain(app, textMessage(user(), 'x'.repeat(20_000), msgId()))).status).toBe(413)
    expect((await postPlain(app, '<xml><ToUserName>a</ToUserName></xml>')).status).toBe(400)
    const ok = await postPlain(app, textMessage(user(), '你好', msgId()))
    expect(ok.status).toBe(200)
  })

  it('uses voice Recognition when present and asks for text otherwise', async () => {
    const { app } = setup()
    const base = { ToUserName: ACCOUNT, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'voice', MediaId: 'm1', Format: 'amr' }
    const heard = await postPlain(app, messageXml({ ...base, FromUserName: user(), Recognition: '保险期限多久', MsgId: msgId() }))
    expect(tag(await heard.text(), 'Content')).toContain('1.5年')
    const silent = await postPlain(app, messageXml({ ...base, FromUserName: user(), MsgId: msgId() }))
    expect(tag(await silent.text(), 'Content')).toContain('请用文字')
  })

  it('says politely that images are not understood', async () => {
    const { app } = setup()
    const xml = messageXml({ ToUserName: ACCOUNT, FromUserName: user(), CreateTime: 1, MsgType: 'image', PicUrl: 'http://x/y.jpg', MediaId: 'm', MsgId: msgId() })
    const res = await postPlain(app, xml)
    expect(tag(await res.text(), 'Content')).toContain('只能看懂文字')
  })
})

describe('events', () => {
  it('welcomes a new follower with the menu', async () => {
    const { app } = setup()
    const res = await postPlain(app, eventMessage(user(), 'subscribe'))
    const content = tag(await res.text(), 'Content')!
    expect(content).toContain('感谢关注')
    expect(content).toMatch(/1\. 政策问答/)
  })

  it('forgets the session on unsubscribe and answers nothing', async () => {
    const { app, store } = setup()
    const from = user()
    await postPlain(app, textMessage(from, '有没有理赔案例', msgId()))
    expect(await store.sessions.get(`wechat:${from}`)).toBeDefined()
    const res = await postPlain(app, eventMessage(from, 'unsubscribe'))
    expect(await res.text()).toBe('success')
    expect(await store.sessions.get(`wechat:${from}`)).toBeUndefined()
  })

  it('starts the loss report from the menu button, and handles VIEW and SCAN without error', async () => {
    const { app } = setup()
    const from = user()
    const claim = await postPlain(app, eventMessage(from, 'CLICK', { EventKey: 'MENU_CLAIM' }))
    expect(tag(await claim.text(), 'Content')).toContain('企业全称')
    const manager = await postPlain(app, eventMessage(user(), 'CLICK', { EventKey: 'MENU_MANAGER' }))
    expect(tag(await manager.text(), 'Content')).toContain('哪个区')
    const view = await postPlain(app, eventMessage(user(), 'VIEW', { EventKey: 'http://sz.singlewindow.cn/' }))
    expect(view.status).toBe(200)
    expect(await view.text()).toBe('success')
    const scan = await postPlain(app, eventMessage(user(), 'SCAN', { EventKey: '123', Ticket: 't' }))
    expect(scan.status).toBe(200)
  })
})

describe('safe and compatible modes', () => {
  it('decrypts a safe-mode message and answers with an encrypted, signed reply', async () => {
    const { app, crypto } = setup({ safe: true })
    const from = user()
    const res = await postEncrypted(app, crypto.encrypt(textMessage(from, '单一窗口网址', msgId())))
    expect(res.status).toBe(200)
    const xml = await res.text()
    const encrypt = tag(xml, 'Encrypt')!
    expect(tag(xml, 'MsgSignature')).toBe(sign(TOKEN, tag(xml, 'TimeStamp')!, tag(xml, 'Nonce')!, encrypt))
    const inner = crypto.decrypt(encrypt)
    expect(tag(inner, 'ToUserName')).toBe(from)
    expect(tag(inner, 'Content')).toContain('http://sz.singlewindow.cn/')
  })

  it('refuses a wrong msg_signature with 401', async () => {
    const { app, crypto } = setup({ safe: true })
    const res = await postEncrypted(app, crypto.encrypt(textMessage(user(), '你好', msgId())), { badMsgSignature: true })
    expect(res.status).toBe(401)
  })

  it('accepts a message encrypted with the previous key during rotation', async () => {
    const { app } = setup({ safe: true })
    const old = createMessageCrypto({ appId: APP_ID, encodingAesKey: OLD_AES_KEY })
    const res = await postEncrypted(app, old.encrypt(textMessage(user(), '你好', msgId())))
    expect(res.status).toBe(200)
  })

  it('rejects an Encrypt for another app id', async () => {
    const { app } = setup({ safe: true })
    const other = createMessageCrypto({ appId: 'wxffffffffffffffff', encodingAesKey: AES_KEY })
    expect((await postEncrypted(app, other.encrypt(textMessage(user(), '你好', msgId())))).status).toBe(400)
  })

  it('answers compatible mode (plain fields plus Encrypt) in encrypted form', async () => {
    const { app, crypto } = setup({ safe: true })
    const plain = textMessage(user(), '你好', msgId())
    const res = await postEncrypted(app, crypto.encrypt(plain), { compatibleXml: plain })
    const xml = await res.text()
    expect(tag(crypto.decrypt(tag(xml, 'Encrypt')!), 'Content')).toContain('政策咨询助手')
  })
})

describe('retries and dedupe', () => {
  it('answers a late retry of the same MsgId with the same reply, running the flow once', async () => {
    const { app, calls } = setup()
    const from = user()
    const id = msgId()
    const a = tag(await (await postPlain(app, textMessage(from, '我要报损', id))).text(), 'Content')
    const b = tag(await (await postPlain(app, textMessage(from, '我要报损', id))).text(), 'Content')
    expect(b).toBe(a)
    expect(calls()).toBe(1)
  })

  it('gives a concurrent retry the first delivery\'s answer', async () => {
    const { app, calls } = setup({ delayMs: 200 })
    const from = user()
    const id = msgId()
    const [a, b] = await Promise.all([postPlain(app, textMessage(from, '赔付比例', id)), postPlain(app, textMessage(from, '赔付比例', id))])
    expect(tag(await b.text(), 'Content')).toBe(tag(await a.text(), 'Content'))
    expect(calls()).toBe(1)
  })

  it('processes WeChat\'s retry when the first delivery failed', async () => {
    const { app, calls } = setup({ failFirst: true })
    const from = user()
    const id = msgId()
    expect((await postPlain(app, textMessage(from, '赔付比例', id))).status).toBe(500)
    const retry = await postPlain(app, textMessage(from, '赔付比例', id))
    expect(tag(await retry.text(), 'Content')).toContain('80%')
    expect(calls()).toBe(2)
  })

  it('still answers when the shared store cannot record claims or nonces (no dedupe, no replay memory)', async () => {
    const { app, store } = setup()
    const down = () => Promise.reject(new StoreUnavailableError('kv down'))
    Object.assign(store.kv, { setIfAbsent: down, get: down, set: down, delete: down })
    const res = await postPlain(app, textMessage(user(), '赔付比例是多少', msgId()))
    expect(res.status).toBe(200)
    expect(tag(await res.text(), 'Content')).toContain('80%')
  })

  it('dedupes events on sender and CreateTime', async () => {
    const { app, calls } = setup()
    const from = user()
    await postPlain(app, eventMessage(from, 'subscribe', {}, 1_790_000_000))
    await postPlain(app, eventMessage(from, 'subscribe', {}, 1_790_000_000))
    expect(calls()).toBe(1)
  })
})

describe('long answers and the time budget', () => {
  let stub: WeChatApiStub
  beforeAll(async () => {
    stub = await startWeChatApiStub()
  })
  afterAll(() => stub.close())

  const long = Array.from({ length: 60 }, (_, i) => `第${i + 1}条：统保按出口损失金额的80%赔付，理赔服务电话88325700，网址 http://sz.singlewindow.cn/ 。`).join('')

  it('keeps each passive reply under 2047 bytes and pages the rest on “继续” without a customer-service API', async () => {
    const { app } = setup({ longText: long })
    const from = user()
    const first = tag(await (await postPlain(app, textMessage(from, '全部告诉我', msgId()))).text(), 'Content')!
    expect(new TextEncoder().encode(first).length).toBeLessThanOrEqual(2047)
    expect(first).toContain('回复“继续”查看更多')
    let all = first
    let page = first
    for (let i = 0; i < 10 && page.includes('查看更多'); i++) {
      page = tag(await (await postPlain(app, textMessage(from, '继续', msgId()))).text(), 'Content')!
      expect(new TextEncoder().encode(page).length).toBeLessThanOrEqual(2047)
      all += page
    }
    expect(page).not.toContain('查看更多')
    expect(all).toContain('第60条')
    expect(all.match(/88325700/g)).toHaveLength(60)
    expect(all.match(/http:\/\/sz\.singlewindow\.cn\//g)).toHaveLength(60)
  })

  it('sends the rest of a long answer by customer-service message when the API is available', async () => {
    const { app } = setup({ longText: long, api: apiFor(stub) })
    const from = user()
    const first = tag(await (await postPlain(app, textMessage(from, '全部告诉我', msgId()))).text(), 'Content')!
    expect(first).not.toContain('查看更多')
    await eventually(() => stub.sent.some((s) => s.touser === from && s.content.includes('第60条')))
    for (const s of stub.sent) expect(new TextEncoder().encode(s.content).length).toBeLessThanOrEqual(2047)
  })

  it('acknowledges a slow answer with success and delivers it by customer-service message; a retry meanwhile is not run again', async () => {
    const tokensBefore = stub.tokenRequests
    const { app, calls } = setup({ delayMs: 400, budgetMs: 100, api: apiFor(stub) })
    const from = user()
    const id = msgId()
    const res = await postPlain(app, textMessage(from, '赔付比例是多少', id))
    expect(await res.text()).toBe('success')
    const retry = await postPlain(app, textMessage(from, '赔付比例是多少', id))
    expect(await retry.text()).toBe('success')
    await eventually(() => stub.sent.some((s) => s.touser === from))
    expect(stub.sent.find((s) => s.touser === from)!.content).toContain('80%')
    expect(calls()).toBe(1)
    expect(stub.tokenRequests - tokensBefore).toBe(1)
  })

  it('without a customer-service API, gives a slow answer on the user\'s next message', async () => {
    const { app } = setup({ delayMs: 300, slowText: '保险期限多久', budgetMs: 50 })
    const from = user()
    expect(await (await postPlain(app, textMessage(from, '保险期限多久', msgId()))).text()).toBe('success')
    await new Promise((r) => setTimeout(r, 400))
    const next = tag(await (await postPlain(app, textMessage(from, '你好', msgId()))).text(), 'Content')!
    expect(next).toContain('您之前问题的回答')
    expect(next).toContain('1.5年')
  })
})

describe('WeChat API client', () => {
  let stub: WeChatApiStub
  beforeAll(async () => {
    stub = await startWeChatApiStub()
  })
  afterAll(() => stub.close())

  it('refreshes the token once on 40001 and retries once', async () => {
    const api = apiFor(stub)
    stub.sendErrors.push(40001)
    expect(await api.sendText('o-a', '你好')).toBe(true)
    expect(stub.sent.at(-1)!.token).not.toBe('')
    expect(stub.tokenRequests).toBe(2)
  })

  it('gives up without retrying on 45015 (outside the 48 h window)', async () => {
    const api = apiFor(stub)
    const before = stub.sent.length
    stub.sendErrors.push(45015)
    expect(await api.sendText('o-b', '你好')).toBe(false)
    expect(stub.sent.length).toBe(before)
  })

  it('shares one token between instances through the store', async () => {
    const shared = createMemoryStore({ sessionTtlSeconds: 60 })
    const before = stub.tokenRequests
    const a = apiFor(stub, shared)
    const b = apiFor(stub, shared)
    const [t1, t2] = await Promise.all([a.getToken(), b.getToken()])
    expect(t1).toBe(t2)
    expect(stub.tokenRequests - before).toBe(1)
  })

  it('creates the custom menu', async () => {
    const { WECHAT_MENU } = await import('../../src/channels/wechat/menu.js')
    await apiFor(stub).createMenu(WECHAT_MENU)
    expect(JSON.stringify(stub.menus.at(-1))).toContain('MENU_CLAIM')
  })
})
