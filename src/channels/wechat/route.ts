import { Hono, type Context } from 'hono'
import type { Logger } from 'pino'
import type { Engine } from '../../engine/engine.js'
import { ownerKey } from '../../engine/types.js'
import type { Store } from '../../store/types.js'
import { HttpError } from '../../http/errors.js'
import type { WeChatApi } from './api.js'
import { TIMEOUT, withinBudget } from './budget.js'
import { createMessageClaims, messageKey, type Lease } from './claims.js'
import type { MessageCrypto } from './crypto.js'
import { decodeMessage, type DecodedMessage } from './decode.js'
import { createDelivery } from './delivery.js'
import { toAction } from './inbound.js'
import { encodeReply } from './reply.js'
import { verifyRequest } from './verify.js'

export interface WeChatRouteOptions {
  token: string
  /** Set when an EncodingAESKey is configured: safe and compatible modes; plain bodies are then refused. */
  crypto?: MessageCrypto
  engine: Engine
  store: Store
  /** Set when an AppSecret is configured: late and long answers go out as customer-service messages. */
  api?: WeChatApi
  logger: Logger
  /** MAX_TEXT_LENGTH: longer messages get a polite reply and are not processed. */
  maxTextLength?: number
  /** WeChat retries after 5 s; answer before that or acknowledge and deliver later. */
  budgetMs?: number
  /** Requests whose timestamp is further off than this are replays. */
  maxSkewSeconds?: number
  /** The in-progress claim on a message; a retry after a crash waits at most this long. */
  claimLeaseSeconds?: number
  now?: () => number
}

const XML = { 'content-type': 'application/xml; charset=utf-8' }

/**
 * GET/POST /wechat: WeChat's server-side message protocol (plain, compatible and safe modes), in its steps:
 * verify → decode → claim the message → answer within the budget → encode the reply → deliver the rest later.
 */
export function wechatRoute({
  token,
  crypto,
  engine,
  store,
  api,
  logger,
  maxTextLength = Infinity,
  budgetMs = 4500,
  maxSkewSeconds = 300,
  claimLeaseSeconds,
  now = Date.now,
}: WeChatRouteOptions): Hono {
  // A (timestamp, nonce) is accepted for maxSkew either side of now: remember it that long, and answers as long.
  const window = 2 * maxSkewSeconds
  const claims = createMessageClaims({ kv: store.kv, logger, leaseSeconds: claimLeaseSeconds, answeredSeconds: Math.max(600, window), nonceSeconds: window, now })
  const delivery = createDelivery({ kv: store.kv, api, logger })
  const app = new Hono()

  app.get('/', function verifyUrl(c) {
    verifyRequest(c.req.query(), { token, now: now(), maxSkewSeconds })
    const echostr = c.req.query('echostr')
    if (!echostr) throw new HttpError(400, 'missing_echostr', 'echostr is required')
    return c.text(echostr)
  })

  app.post('/', async function receive(c) {
    const receivedAt = now()
    // 1. verify: signature and timestamp, before the body is read.
    const signed = verifyRequest(c.req.query(), { token, now: receivedAt, maxSkewSeconds })
    // 2. decode: the body (only signed ciphertext once a key is set), its sender checked against the URL's openid.
    const inbound = decodeMessage(await c.req.text(), signed, { token, crypto })
    const key = messageKey(inbound.msg)
    // One signed URL carries one message. In safe mode msg_signature covers the ciphertext, so a signed URL can
    // only ever carry the message it was signed with (a replay of it is a retry): nothing to remember.
    if (!inbound.encrypted && !(await claims.bindNonce(signed.timestamp, signed.nonce, key))) {
      throw new HttpError(403, 'replayed_nonce', 'this timestamp and nonce already carried another message')
    }
    const reply = (content: string) => c.body(encodeReply(content, recipient(inbound), { token, crypto, now: now() }), 200, XML)

    const action = toAction(inbound.msg, receivedAt, maxTextLength)
    if (action.kind === 'silent') return c.text('success')
    if (action.kind === 'say') return reply(action.text)
    if (action.kind === 'forget') {
      await store.sessions.delete(ownerKey({ channel: 'wechat', userId: inbound.msg.FromUserName })).catch((err: Error) => logger.warn({ err: err.message }, 'could not forget the session'))
      return c.text('success')
    }

    // 3. claim the message: a retry gets the first delivery's answer; a message whose holder died is taken over.
    const deadline = receivedAt + budgetMs
    const claim = await claims.claim(key, deadline)
    if (claim.kind === 'answered') return reply(claim.answer)
    if (claim.kind !== 'mine') return c.text('success')

    // 4. answer within the budget (or acknowledge with "success" and deliver later).
    const openId = inbound.msg.FromUserName
    const answer = await answerWithinBudget(c, claim.lease, openId, () => delivery.compose(openId, action.message.text, () => engine.handle(action.message), action.prefix), deadline)
    if (answer === TIMEOUT) return c.text('success')
    // Nothing to say (waiting for a person, 转人工): "success", never a text reply with empty content, which
    // WeChat shows as an error. A retry finds it acknowledged.
    if (!answer) {
      later(c, claim.lease.acknowledged(), 'acknowledging a quiet turn')
      return c.text('success')
    }
    // 6. deliver the rest later: a long answer's other pages by customer-service message, or kept for “继续”.
    const first = await delivery.firstPage(openId, answer, (task, what) => later(c, task, what)).catch(async (err: unknown) => {
      await claim.lease.release().catch(() => undefined)
      throw err
    })
    // Kept for a retry, which WeChat sends only seconds later; no need to make this reply wait for the write.
    later(c, claim.lease.answered(first), 'caching the answer for retries')
    // 5. encode the reply: plain, or encrypted and signed like the request.
    return reply(first)
  })

  /**
   * Step 4: the answer, or TIMEOUT once the budget is spent: then the message is acknowledged and the answer
   * delivered when it is ready. A failure frees the message so WeChat's retry is processed.
   */
  async function answerWithinBudget(c: Context, lease: Lease, openId: string, work: () => Promise<string>, deadline: number): Promise<string | typeof TIMEOUT> {
    const running = work()
    const result = await withinBudget(running, Math.max(0, deadline - now())).catch(async (err: unknown) => {
      await lease.release().catch(() => undefined)
      throw err
    })
    if (result !== TIMEOUT) return result
    await lease.acknowledged().catch(() => undefined)
    logger.info({ budgetMs }, 'answer over the time budget; acknowledged and delivered later')
    // Handed to the runtime: on Workers the answer would otherwise be cancelled once "success" is out.
    later(c, running.then((full) => delivery.deliverLater(openId, full)), 'late answer')
    return TIMEOUT
  }

  /** Work that goes on after the reply: Workers keep the isolate alive for it; Node just carries on. */
  function later(c: Context, task: Promise<unknown>, what: string): void {
    const guarded = task.catch((err: Error) => logger.error({ err: err.message }, `${what} failed`))
    try {
      c.executionCtx.waitUntil(guarded)
    } catch {
      // Node: the process stays up; nothing more to do.
    }
  }

  return app
}

function recipient(m: DecodedMessage) {
  return { user: m.msg.FromUserName, account: m.msg.ToUserName, encrypted: m.encrypted, usedPreviousKey: m.usedPreviousKey }
}
