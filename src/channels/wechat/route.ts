import { Hono, type Context } from 'hono'
import type { Logger } from 'pino'
import type { Engine } from '../../engine/engine.js'
import { ownerKey } from '../../engine/types.js'
import type { Store } from '../../store/types.js'
import { HttpError } from '../../http/errors.js'
import type { WeChatApi } from './api.js'
import { safeEqual, wechatSignature, type MessageCrypto } from './crypto.js'
import { toAction } from './inbound.js'
import { splitForWeChat } from './split.js'
import { encryptedReplyXml, parseWeChatXml, textReplyXml } from './xml.js'

export interface WeChatRouteOptions {
  token: string
  /** Set when an EncodingAESKey is configured: safe and compatible modes. */
  crypto?: MessageCrypto
  engine: Engine
  store: Store
  /** Set when an AppSecret is configured: late and long answers go out as customer-service messages. */
  api?: WeChatApi
  logger: Logger
  /** WeChat retries after 5 s; answer before that or acknowledge and deliver later. */
  budgetMs?: number
  /** Requests whose timestamp is further off than this are replays. */
  maxSkewSeconds?: number
  now?: () => number
}

const MAX_BYTES = 2047
const MORE_HINT = '\n（回复“继续”查看更多）'
const DEFERRED = '\u0000deferred'
const DEDUPE_SECONDS = 600
const PENDING_SECONDS = 2 * 24 * 3600
const MORE = /^(继续|更多|下一页|继续看)[。.!！]*$/
const TIMEOUT: unique symbol = Symbol('timeout')

/** GET/POST /wechat: WeChat's server-side message protocol (plain, compatible and safe modes). */
export function wechatRoute({ token, crypto, engine, store, api, logger, budgetMs = 4500, maxSkewSeconds = 300, now = Date.now }: WeChatRouteOptions): Hono {
  const kv = store.kv
  const app = new Hono()

  /** Signature first, before reading anything else: sorted token/timestamp/nonce, SHA-1, constant-time compare. */
  function verify(c: Context): { timestamp: string; nonce: string } {
    const { signature, timestamp, nonce } = c.req.query()
    if (!signature || !timestamp || !nonce) throw new HttpError(400, 'missing_signature', 'signature, timestamp and nonce are required')
    if (!safeEqual(wechatSignature(token, timestamp, nonce), signature)) throw new HttpError(401, 'bad_signature', 'signature does not match')
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now() / 1000 - Number(timestamp)) > maxSkewSeconds) {
      throw new HttpError(403, 'stale_timestamp', 'timestamp too far from now')
    }
    return { timestamp, nonce }
  }

  app.get('/', function verifyUrl(c) {
    verify(c)
    const echostr = c.req.query('echostr')
    if (!echostr) throw new HttpError(400, 'missing_echostr', 'echostr is required')
    return c.text(echostr)
  })

  app.post('/', async function receive(c) {
    const { timestamp, nonce } = verify(c)
    const aes = c.req.query('encrypt_type') === 'aes'
    let msg = parse(await c.req.text())
    let usePreviousKey = false
    if (aes) {
      if (!crypto) throw new HttpError(400, 'aes_not_configured', 'safe mode needs WECHAT_ENCODING_AES_KEY')
      const encrypt = msg.Encrypt
      if (!encrypt) throw new HttpError(400, 'missing_encrypt', 'Encrypt element is required in safe mode')
      if (!safeEqual(wechatSignature(token, timestamp, nonce, encrypt), c.req.query('msg_signature') ?? '')) {
        throw new HttpError(401, 'bad_msg_signature', 'msg_signature does not match')
      }
      let inner: { message: string; usedPreviousKey: boolean }
      try {
        inner = crypto.decryptDetailed(encrypt)
      } catch {
        throw new HttpError(400, 'bad_encrypt', 'Encrypt could not be decrypted')
      }
      // During a key rotation, answer with the key the request came with (WeChat's own rule).
      usePreviousKey = inner.usedPreviousKey
      msg = parse(inner.message)
    }
    const from = msg.FromUserName
    const to = msg.ToUserName
    if (!from || !to || !msg.MsgType) throw new HttpError(400, 'bad_message', 'FromUserName, ToUserName and MsgType are required')

    const reply = (content: string) => {
      const xml = textReplyXml({ toUser: from, fromUser: to, createTime: Math.floor(now() / 1000), content })
      if (!aes || !crypto) return c.body(xml, 200, { 'content-type': 'application/xml; charset=utf-8' })
      const ts = String(Math.floor(now() / 1000))
      const n = Math.random().toString(36).slice(2, 12)
      const encrypted = crypto.encrypt(xml, undefined, { usePreviousKey })
      return c.body(encryptedReplyXml({ encrypt: encrypted, signature: wechatSignature(token, ts, n, encrypted), timestamp: ts, nonce: n }), 200, {
        'content-type': 'application/xml; charset=utf-8',
      })
    }
    const success = () => c.text('success')

    const action = toAction(msg, now())
    if (action.kind === 'silent') return success()
    if (action.kind === 'forget') {
      await store.sessions.delete(ownerKey({ channel: 'wechat', userId: from })).catch((err: Error) => logger.warn({ err: err.message }, 'could not forget the session'))
      return success()
    }
    if (action.kind === 'say') return reply(action.text)

    // Dedupe across instances: MsgId, or sender + CreateTime for events. A retry never runs the flow twice.
    const key = msg.MsgId ? `wx:msg:${msg.MsgId}` : `wx:evt:${from}:${msg.CreateTime ?? ''}:${msg.Event ?? ''}`
    const owned = await kv.setIfAbsent(key, '1', DEDUPE_SECONDS).catch((err: Error) => {
      logger.warn({ err: err.message }, 'dedupe unavailable; answering anyway')
      return true
    })
    if (!owned) {
      const first = await waitForAnswer(`${key}:answer`)
      return first === undefined || first === DEFERRED ? success() : reply(first)
    }

    const work = compose(from, action.message.text, () => engine.handle(action.message), action.prefix)
    const result = await withinBudget(work, budgetMs).catch(async (err: unknown) => {
      // Failed before answering: free the MsgId so WeChat's retry is processed instead of waiting for nothing.
      await kv.delete(key).catch(() => undefined)
      throw err
    })
    if (result === TIMEOUT) {
      await kv.set(`${key}:answer`, DEFERRED, DEDUPE_SECONDS).catch(() => undefined)
      defer(c, work.then((full) => deliverLater(from, full)), 'late answer')
      logger.info({ budgetMs }, 'answer over the time budget; acknowledged and delivered later')
      return success()
    }
    const first = await firstChunk(c, from, result)
    // Kept for a retry, which WeChat sends only seconds later; no need to make this reply wait for the write.
    defer(c, kv.set(`${key}:answer`, first, DEDUPE_SECONDS), 'caching the answer for retries')
    return reply(first)
  })

  function parse(body: string): Record<string, string> {
    try {
      return parseWeChatXml(body)
    } catch {
      throw new HttpError(400, 'bad_xml', 'body is not a WeChat XML message')
    }
  }

  /** The whole answer: an earlier answer still owed, then the engine's replies (or the next page of a long one). */
  async function compose(openId: string, textIn: string, ask: () => Promise<Array<{ text: string }>>, prefix?: string): Promise<string> {
    if (MORE.test(textIn.trim())) {
      const page = await takeMore(openId)
      if (page) return page
    }
    const owed = await take(`wx:pending:${openId}`)
    const replies = await ask()
    const parts = [...(owed ? [`您之前问题的回答：\n${owed}`] : []), ...(prefix ? [prefix] : []), ...replies.map((r) => r.text)]
    return parts.join('\n\n')
  }

  /** First page for the passive reply; the rest by customer-service messages, or kept for “继续”. */
  async function firstChunk(c: Context, openId: string, full: string): Promise<string> {
    // A UTF-16 unit is at most 3 UTF-8 bytes: most answers fit without measuring.
    if (full.length * 3 <= MAX_BYTES || byteLength(full) <= MAX_BYTES) return full
    const pages = splitForWeChat(full, MAX_BYTES - byteLength(MORE_HINT))
    if (pages.length <= 1) return pages[0] ?? full
    const [first, ...rest] = pages
    if (api) {
      defer(c, sendAll(openId, rest), 'rest of a long answer')
      return first!
    }
    await kv.set(`wx:more:${openId}`, JSON.stringify(rest), PENDING_SECONDS).catch(() => undefined)
    return `${first}${MORE_HINT}`
  }

  async function takeMore(openId: string): Promise<string | undefined> {
    const raw = await kv.get(`wx:more:${openId}`).catch(() => undefined)
    if (!raw) return undefined
    const [page, ...rest] = JSON.parse(raw) as string[]
    if (rest.length) await kv.set(`wx:more:${openId}`, JSON.stringify(rest), PENDING_SECONDS)
    else await kv.delete(`wx:more:${openId}`)
    return rest.length ? `${page}${MORE_HINT}` : page
  }

  async function take(key: string): Promise<string | undefined> {
    const v = await kv.get(key).catch(() => undefined)
    if (v) await kv.delete(key).catch(() => undefined)
    return v
  }

  /** An answer that missed the time budget: customer-service message if the account has the API, else kept for the next message. */
  async function deliverLater(openId: string, full: string): Promise<void> {
    if (api) {
      try {
        await sendAll(openId, splitForWeChat(full, MAX_BYTES))
        return
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'customer-service message failed; keeping the answer for the next message')
      }
    }
    const earlier = await kv.get(`wx:pending:${openId}`).catch(() => undefined)
    await kv.set(`wx:pending:${openId}`, earlier ? `${earlier}\n\n${full}` : full, PENDING_SECONDS)
  }

  async function sendAll(openId: string, pages: string[]): Promise<void> {
    for (const page of pages) {
      if (!(await api!.sendText(openId, page))) return
    }
  }

  async function waitForAnswer(key: string): Promise<string | undefined> {
    const end = now() + budgetMs
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      const v = await kv.get(key).catch(() => undefined)
      if (v !== undefined || now() >= end) return v
      await sleep(delay)
    }
  }

  function defer(c: Context, task: Promise<unknown>, what: string): void {
    const guarded = task.catch((err: Error) => logger.error({ err: err.message }, `${what} failed`))
    try {
      // Workers: keep the isolate alive until the work is done.
      c.executionCtx.waitUntil(guarded)
    } catch {
      // Node: the process stays up; nothing more to do.
    }
  }

  return app
}

/** The work's result, or TIMEOUT once the budget is spent; the timer is cleared as soon as the work is done. */
async function withinBudget<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<typeof TIMEOUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMEOUT), ms)
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

function byteLength(s: string): number {
  return new TextEncoder().encode(s).length
}
