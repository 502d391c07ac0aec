import { describe, expect, it } from 'vitest'
import { TIMEOUT, withinBudget } from '../../src/channels/wechat/budget.js'
import { createMessageClaims, messageKey } from '../../src/channels/wechat/claims.js'
import { createMessageCrypto } from '../../src/channels/wechat/crypto.js'
import { decodeMessage } from '../../src/channels/wechat/decode.js'
import { createDelivery } from '../../src/channels/wechat/delivery.js'
import { encodeReply } from '../../src/channels/wechat/reply.js'
import { verifyRequest, type SignedQuery } from '../../src/channels/wechat/verify.js'
import { HttpError } from '../../src/http/errors.js'
import { createMemoryStore } from '../../src/store/memory-store.js'
import { silentLogger } from '../helpers/bot.js'
import { ACCOUNT, AES_KEY, APP_ID, TOKEN, sign, tag, textMessage } from '../helpers/wechat-client.js'

const crypto = createMessageCrypto({ appId: APP_ID, encodingAesKey: AES_KEY })
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The HttpError a step throws, as status and code. */
function refusal(fn: () => unknown): { status: number; code: string } | undefined {
  try {
    fn()
  } catch (err) {
    if (err instanceof HttpError) return { status: err.status, code: err.code }
    throw err
  }
  return undefined
}

describe('step 1: verify', () => {
  const t = Math.floor(Date.now() / 1000)
  const opts = { token: TOKEN, now: t * 1000, maxSkewSeconds: 300 }

  it('accepts a signed, fresh request and reports its mode and claimed sender', () => {
    const q = verifyRequest({ signature: sign(TOKEN, String(t), 'n'), timestamp: String(t), nonce: 'n', openid: 'o-1', encrypt_type: 'aes', msg_signature: 'm' }, opts)
    expect(q).toEqual({ timestamp: String(t), nonce: 'n', openid: 'o-1', encrypted: true, msgSignature: 'm' })
  })

  it('refuses missing parameters (400), a bad signature (401) and a stale timestamp (403)', () => {
    expect(refusal(() => verifyRequest({ timestamp: String(t), nonce: 'n' }, opts))?.status).toBe(400)
    expect(refusal(() => verifyRequest({ signature: sign('x', String(t), 'n'), timestamp: String(t), nonce: 'n' }, opts))?.status).toBe(401)
    const old = String(t - 301)
    expect(refusal(() => verifyRequest({ signature: sign(TOKEN, old, 'n'), timestamp: old, nonce: 'n' }, opts))?.status).toBe(403)
  })
})

describe('step 2: decode', () => {
  const plain: SignedQuery = { timestamp: '1', nonce: 'n', encrypted: false }

  it('reads a plain message when no EncodingAESKey is configured', () => {
    const m = decodeMessage(textMessage('o-a', '你好', '1'), plain, { token: TOKEN })
    expect(m.msg.FromUserName).toBe('o-a')
    expect(m.encrypted).toBe(false)
  })

  it('refuses a plain body once an EncodingAESKey is configured (401)', () => {
    expect(refusal(() => decodeMessage(textMessage('o-a', '你好', '1'), plain, { token: TOKEN, crypto }))).toEqual({ status: 401, code: 'encryption_required' })
  })

  it('decrypts signed ciphertext and ignores the plain fields of compatible mode', () => {
    const encrypt = crypto.encrypt(textMessage('o-real', '真', '1'))
    const body = textMessage('o-forged', '假', '2').replace('</xml>', `<Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`)
    const q: SignedQuery = { timestamp: '1', nonce: 'n', encrypted: true, msgSignature: sign(TOKEN, '1', 'n', encrypt) }
    const m = decodeMessage(body, q, { token: TOKEN, crypto })
    expect(m.msg.FromUserName).toBe('o-real')
    expect(m.msg.Content).toBe('真')
    expect(refusal(() => decodeMessage(body, { ...q, msgSignature: 'bad' }, { token: TOKEN, crypto }))?.status).toBe(401)
  })

  it('refuses a sender that is not the openid in the URL (403)', () => {
    expect(refusal(() => decodeMessage(textMessage('o-a', '你好', '1'), { ...plain, openid: 'o-b' }, { token: TOKEN }))).toEqual({ status: 403, code: 'sender_mismatch' })
  })
})

describe('step 3: claim the message', () => {
  const claimsOver = (leaseSeconds = 1) => {
    const store = createMemoryStore({ sessionTtlSeconds: 60 })
    return { kv: store.kv, claims: createMessageClaims({ kv: store.kv, logger: silentLogger, leaseSeconds }) }
  }

  it('keys a message by sender and MsgId, an event by sender, CreateTime and event', () => {
    expect(messageKey({ FromUserName: 'o-a', MsgId: '7' })).not.toBe(messageKey({ FromUserName: 'o-b', MsgId: '7' }))
    expect(messageKey({ FromUserName: 'o-a', CreateTime: '5', Event: 'subscribe' })).not.toBe(messageKey({ FromUserName: 'o-b', CreateTime: '5', Event: 'subscribe' }))
  })

  it('binds a signed (timestamp, nonce) to one message; the same message again is a retry', async () => {
    const { claims } = claimsOver()
    expect(await claims.bindNonce('1', 'n', 'wx:msg:o-a:1')).toBe(true)
    expect(await claims.bindNonce('1', 'n', 'wx:msg:o-a:1')).toBe(true)
    expect(await claims.bindNonce('1', 'n', 'wx:msg:o-b:2')).toBe(false)
    expect(await claims.bindNonce('1', 'other', 'wx:msg:o-b:2')).toBe(true)
  })

  it('gives a retry the answer, or "acknowledged", once the holder records it', async () => {
    const { claims } = claimsOver()
    const first = await claims.claim('k1', Date.now() + 1000)
    expect(first.kind).toBe('mine')
    const waiting = claims.claim('k1', Date.now() + 2000)
    if (first.kind === 'mine') await first.lease.answered('答复')
    expect(await waiting).toEqual({ kind: 'answered', answer: '答复' })
    const second = await claims.claim('k2', Date.now() + 1000)
    if (second.kind === 'mine') await second.lease.acknowledged()
    expect(await claims.claim('k2', Date.now() + 1000)).toEqual({ kind: 'acknowledged' })
  })

  it('renews the lease while the holder works, so a slow answer is not run twice', async () => {
    const { claims } = claimsOver(1)
    const first = await claims.claim('slow', Date.now() + 5000)
    await sleep(2200) // more than two leases
    expect((await claims.claim('slow', Date.now() + 50)).kind).toBe('busy')
    if (first.kind === 'mine') await first.lease.answered('慢')
    expect(await claims.claim('slow', Date.now() + 50)).toEqual({ kind: 'answered', answer: '慢' })
  })

  it('lets a retry take over a claim whose holder died (no renewal, no answer)', async () => {
    const { kv, claims } = claimsOver(1)
    await kv.setIfAbsent('dead', 'w:gone', 1) // what a killed process leaves behind
    const retry = await claims.claim('dead', Date.now() + 3000)
    expect(retry.kind).toBe('mine')
    if (retry.kind === 'mine') await retry.lease.release()
  })

  it('frees the message when the holder fails, so the next delivery is processed', async () => {
    const { claims } = claimsOver()
    const first = await claims.claim('fail', Date.now() + 1000)
    if (first.kind === 'mine') await first.lease.release()
    const next = await claims.claim('fail', Date.now() + 1000)
    expect(next.kind).toBe('mine')
    if (next.kind === 'mine') await next.lease.release()
  })
})

describe('step 4: answer within the budget', () => {
  it('returns the answer, or TIMEOUT when the budget is spent', async () => {
    expect(await withinBudget(Promise.resolve('a'), 100)).toBe('a')
    expect(await withinBudget(sleep(200).then(() => 'late'), 20)).toBe(TIMEOUT)
  })
})

describe('step 5: encode the reply', () => {
  it('swaps the users in plain mode', () => {
    const xml = encodeReply('你好', { user: 'o-a', account: ACCOUNT, encrypted: false, usedPreviousKey: false }, { token: TOKEN, now: Date.now() })
    expect(tag(xml, 'ToUserName')).toBe('o-a')
    expect(tag(xml, 'FromUserName')).toBe(ACCOUNT)
  })

  it('encrypts and signs over its own timestamp and nonce when the request was encrypted', () => {
    const xml = encodeReply('你好', { user: 'o-a', account: ACCOUNT, encrypted: true, usedPreviousKey: false }, { token: TOKEN, crypto, now: Date.now() })
    const encrypt = tag(xml, 'Encrypt')!
    expect(tag(xml, 'MsgSignature')).toBe(sign(TOKEN, tag(xml, 'TimeStamp')!, tag(xml, 'Nonce')!, encrypt))
    expect(tag(crypto.decrypt(encrypt), 'Content')).toBe('你好')
  })
})

describe('step 6: deliver the rest later', () => {
  it('keeps a short answer whole and pages a long one for “继续” without a customer-service API', async () => {
    const store = createMemoryStore({ sessionTtlSeconds: 60 })
    const delivery = createDelivery({ kv: store.kv, logger: silentLogger })
    const none = () => undefined
    expect(await delivery.firstPage('o-a', '短答复', none)).toBe('短答复')
    const long = '统保按损失金额的80%赔付。'.repeat(300)
    const first = await delivery.firstPage('o-a', long, none)
    expect(new TextEncoder().encode(first).length).toBeLessThanOrEqual(2047)
    expect(first).toContain('回复“继续”查看更多')
    expect(await delivery.compose('o-a', '继续', async () => [])).toContain('80%')
  })

  it('keeps an answer that missed the budget for the user’s next message', async () => {
    const store = createMemoryStore({ sessionTtlSeconds: 60 })
    const delivery = createDelivery({ kv: store.kv, logger: silentLogger })
    await delivery.deliverLater('o-b', '迟到的答复')
    expect(await delivery.compose('o-b', '你好', async () => [{ text: '新答复' }])).toBe('您之前问题的回答：\n迟到的答复\n\n新答复')
  })
})
