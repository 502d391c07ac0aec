import type { Logger } from 'pino'
import type { KvStore } from '../../store/types.js'
import type { WeChatApi } from './api.js'
import { splitForWeChat } from './split.js'

/** A passive reply's content is limited to about 2047 UTF-8 bytes. */
export const MAX_REPLY_BYTES = 2047
const MORE_HINT = '\n（回复“继续”查看更多）'
const PENDING_SECONDS = 2 * 24 * 3600
const MORE = /^(继续|更多|下一页|继续看)[。.!！]*$/

export interface DeliveryOptions {
  kv: KvStore
  /** Set when an AppSecret is configured: customer-service messages. */
  api?: WeChatApi
  logger: Logger
}

export interface Delivery {
  /** The whole answer: an earlier answer still owed, then the engine's replies (or the next page of a long one). */
  compose(openId: string, text: string, ask: () => Promise<Array<{ text: string }>>, prefix?: string): Promise<string>
  /**
   * Step 6: the first page for the passive reply; the rest is handed to `later` (customer-service messages)
   * or kept for “继续” when the account has no API.
   */
  firstPage(openId: string, full: string, later: (task: Promise<unknown>, what: string) => void): Promise<string>
  /** An answer that missed the time budget: customer-service message, else kept for the user's next message. */
  deliverLater(openId: string, full: string): Promise<void>
}

/** What happens to an answer after (or instead of) the passive reply. */
export function createDelivery({ kv, api, logger }: DeliveryOptions): Delivery {
  async function compose(openId: string, text: string, ask: () => Promise<Array<{ text: string }>>, prefix?: string): Promise<string> {
    if (MORE.test(text.trim())) {
      const page = await takeMore(openId)
      if (page) return page
    }
    const owed = await take(`wx:pending:${openId}`)
    const replies = await ask()
    const parts = [...(owed ? [`您之前问题的回答：\n${owed}`] : []), ...(prefix ? [prefix] : []), ...replies.map((r) => r.text)]
    return parts.join('\n\n')
  }

  async function firstPage(openId: string, full: string, later: (task: Promise<unknown>, what: string) => void): Promise<string> {
    // A UTF-16 unit is at most 3 UTF-8 bytes: most answers fit without measuring.
    if (full.length * 3 <= MAX_REPLY_BYTES || byteLength(full) <= MAX_REPLY_BYTES) return full
    const pages = splitForWeChat(full, MAX_REPLY_BYTES - byteLength(MORE_HINT))
    if (pages.length <= 1) return pages[0] ?? full
    const [first, ...rest] = pages
    if (api) {
      later(sendAll(openId, rest), 'rest of a long answer')
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

  async function deliverLater(openId: string, full: string): Promise<void> {
    if (api) {
      try {
        await sendAll(openId, splitForWeChat(full, MAX_REPLY_BYTES))
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

  return { compose, firstPage, deliverLater }
}

function byteLength(s: string): number {
  return new TextEncoder().encode(s).length
}
