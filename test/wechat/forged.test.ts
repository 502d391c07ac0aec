import { randomBytes } from 'node:crypto'
import type { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createMessageCrypto } from '../../src/channels/wechat/crypto.js'
import { loadConfig } from '../../src/config.js'
import type { Engine } from '../../src/engine/engine.js'
import { createApp } from '../../src/http/app.js'
import { createMemoryStore } from '../../src/store/memory-store.js'
import { silentLogger, testBot } from '../helpers/bot.js'
import { FULL_REPORT } from '../helpers/claim.js'
import { AES_KEY, APP_ID, TOKEN, eventMessage, postEncrypted, postPlain, tag, textMessage } from '../helpers/wechat-client.js'

let seq = 0
const msgId = () => `2500000000000${String(++seq).padStart(6, '0')}`
const user = () => `o-forged-${++seq}`
const now = () => String(Math.floor(Date.now() / 1000))

/** The real bot over one store, counting the messages that reach the engine. */
function setup({ safe = false }: { safe?: boolean } = {}) {
  const store = createMemoryStore({ sessionTtlSeconds: 3600 })
  const bot = testBot({ store })
  const seen: string[] = []
  const engine: Engine = {
    handle(m) {
      seen.push(`${m.userId}:${m.text}`)
      return bot.engine.handle(m)
    },
  }
  const crypto = createMessageCrypto({ appId: APP_ID, encodingAesKey: AES_KEY })
  const app = createApp({ engine, store, logger: silentLogger, maxTextLength: 1000, wechat: { token: TOKEN, crypto: safe ? crypto : undefined } })
  return { app, bot, crypto, seen }
}

/** One signed URL, as it would appear in a proxy log: reused by whoever holds it. */
function signedUrl(ts = now(), nonce = randomBytes(5).toString('hex')) {
  return { ts, nonce, post: (app: Hono, xml: string, openid?: string | null) => postPlain(app, xml, { timestamp: ts, nonce, openid }) }
}

const content = async (res: Response) => tag(await res.text(), 'Content') ?? ''

describe('forged messages on a signed URL (plain mode)', () => {
  it('refuses a different FromUserName on the URL signed for another user', async () => {
    const { app, seen } = setup()
    const victim = user()
    const url = signedUrl()
    expect((await url.post(app, textMessage(victim, '赔付比例是多少', msgId()))).status).toBe(200)
    // The attacker keeps the URL as logged (openid = victim) and posts their own body…
    const sameUrl = await url.post(app, textMessage(user(), '你好', msgId()), victim)
    expect(sameUrl.status).toBe(403)
    expect(await sameUrl.json()).toMatchObject({ error: { code: 'sender_mismatch' } })
    // …or edits openid (not covered by the signature) or drops it: the signed URL already carried its message.
    const attacker = user()
    expect((await url.post(app, textMessage(attacker, '你好', msgId()), attacker)).status).toBe(403)
    expect((await url.post(app, textMessage(attacker, '你好', msgId()), null)).status).toBe(403)
    expect(seen).toHaveLength(1)
  })

  it('carries one message per signed URL: a new message from the same user on it is refused', async () => {
    const { app, seen } = setup()
    const from = user()
    const url = signedUrl()
    await url.post(app, textMessage(from, '赔付比例是多少', msgId()))
    const replay = await url.post(app, textMessage(from, '取消', msgId()))
    expect(replay.status).toBe(403)
    expect(await replay.json()).toMatchObject({ error: { code: 'replayed_nonce' } })
    expect(seen).toEqual([`${from}:赔付比例是多少`])
  })

  it('still treats a retry of the same MsgId on the same URL as a retry: the cached reply, no second run', async () => {
    const { app, seen } = setup()
    const from = user()
    const id = msgId()
    const url = signedUrl()
    const first = await content(await url.post(app, textMessage(from, '赔付比例是多少', id)))
    const retry = await url.post(app, textMessage(from, '赔付比例是多少', id))
    expect(retry.status).toBe(200)
    expect(await content(retry)).toBe(first)
    expect(first).toContain('80%')
    expect(seen).toHaveLength(1)
  })

  it('refuses a forged unsubscribe on a used URL, so nobody can wipe another user’s session', async () => {
    const { app, bot } = setup()
    const victim = user()
    const url = signedUrl()
    await url.post(app, textMessage(victim, '我要报损', msgId()))
    expect(await bot.store.sessions.get(`wechat:${victim}`)).toBeDefined()
    expect((await url.post(app, eventMessage(victim, 'unsubscribe'))).status).toBe(403)
    expect((await bot.store.sessions.get(`wechat:${victim}`))?.flow).toBeDefined()
  })
})

describe('cached replies belong to their sender', () => {
  it('never gives one user another user’s reply for the same MsgId (the report number stays private)', async () => {
    const { app, bot, seen } = setup()
    const owner = user()
    for (const [answer] of FULL_REPORT) await bot.engine.handle({ channel: 'wechat', userId: owner, text: answer })
    const done = (await bot.engine.handle({ channel: 'wechat', userId: owner, text: '确认' })).map((r) => r.text).join('\n')
    const reportNo = /BS\d{8}-\d{4}/.exec(done)![0]
    const id = msgId()
    expect(await content(await postPlain(app, textMessage(owner, '我的报案', id)))).toContain(reportNo)
    // Another user sends a message with the same MsgId: their own answer, not the cached one.
    const other = user()
    const theirs = await content(await postPlain(app, textMessage(other, '我的报案', id)))
    expect(theirs).not.toContain(reportNo)
    expect(seen.filter((s) => s.endsWith(':我的报案'))).toHaveLength(2)
  })

  it('dedupes events per sender: two users subscribing in the same second both get the welcome', async () => {
    const { app, seen } = setup()
    const t = 1_790_000_100
    const a = await content(await postPlain(app, eventMessage(user(), 'subscribe', {}, t)))
    const b = await content(await postPlain(app, eventMessage(user(), 'subscribe', {}, t)))
    expect(a).toContain('感谢关注')
    expect(b).toContain('感谢关注')
    expect(seen).toHaveLength(2)
  })
})

describe('with an EncodingAESKey configured (safe or compatible mode)', () => {
  it('refuses an unsigned plaintext body without encrypt_type, before any work', async () => {
    const { app, seen } = setup({ safe: true })
    const res = await postPlain(app, textMessage(user(), '我的报案', msgId()))
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ error: { code: 'encryption_required' } })
    expect(seen).toHaveLength(0)
  })

  it('believes only the ciphertext in compatible mode: forged plain fields next to it are ignored', async () => {
    const { app, crypto, seen } = setup({ safe: true })
    const real = user()
    const genuine = textMessage(real, '单一窗口网址', msgId())
    const forgedPlain = textMessage(user(), '我的报案', msgId())
    const res = await postEncrypted(app, crypto.encrypt(genuine), { compatibleXml: forgedPlain, openid: real })
    expect(res.status).toBe(200)
    const inner = crypto.decrypt(tag(await res.text(), 'Encrypt')!)
    expect(tag(inner, 'ToUserName')).toBe(real)
    expect(seen).toEqual([`${real}:单一窗口网址`])
  })

  it('refuses an encrypted message whose sender is not the openid in the URL', async () => {
    const { app, crypto, seen } = setup({ safe: true })
    const res = await postEncrypted(app, crypto.encrypt(textMessage(user(), '你好', msgId())), { openid: 'o-someone-else' })
    expect(res.status).toBe(403)
    expect(seen).toHaveLength(0)
  })
})

describe('configuration', () => {
  it('refuses an EncodingAESKey without the AppID, instead of quietly believing plain bodies', () => {
    expect(() => loadConfig({ WECHAT_TOKEN: 't', WECHAT_ENCODING_AES_KEY: AES_KEY })).toThrow(/WECHAT_ENCODING_AES_KEY needs WECHAT_APP_ID/)
    expect(loadConfig({ WECHAT_TOKEN: 't', WECHAT_ENCODING_AES_KEY: AES_KEY, WECHAT_APP_ID: APP_ID }).WECHAT_APP_ID).toBe(APP_ID)
  })
})

describe('the text limit on /wechat', () => {
  it('answers an over-long message politely and does not process it', async () => {
    const { app, seen } = setup()
    const from = user()
    const res = await postPlain(app, textMessage(from, `我要报损${'a'.repeat(1000)}`, msgId()))
    expect(res.status).toBe(200)
    const reply = await content(res)
    expect(reply).toContain('太长')
    expect(reply).toContain('1000')
    const voice = await postPlain(
      app,
      `<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${now()}</CreateTime><MsgType><![CDATA[voice]]></MsgType><Recognition><![CDATA[${'统保'.repeat(600)}]]></Recognition><MsgId>${msgId()}</MsgId></xml>`,
    )
    expect(await content(voice)).toContain('太长')
    expect(seen).toHaveLength(0)
    // The user's next, normal message is answered as usual.
    expect(await content(await postPlain(app, textMessage(from, '赔付比例是多少', msgId())))).toContain('80%')
  })
})
