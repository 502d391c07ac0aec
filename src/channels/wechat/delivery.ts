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
    // Messages from staff that could not be pushed (no AppSecret, outside the 48 h window) come first: they are news.
    const notices = await take(noticeKey(openId))
    const owed = await take(`wx:pending:${openId}`)
    const replies = await ask()
    const parts = [...(notices ? [notices] : []), ...(owed ? [`您之前问题的回答：\n${owed}`] : []), ...(prefix ? [prefix] : []), ...replies.map((r) => r.text)]
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
    // A quiet turn (waiting for a person, 转人工) that missed the budget: nothing to send.
    if (!full) return
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

const noticeKey = (openId: string) => `wx:notice:${openId}`

/** How a staff message reached the user: pushed now, or kept for their next message. */
export type StaffMessageDelivery = 'sent' | 'kept'

/**
 * A message from staff to a WeChat user (a report's new status; a person's reply): a customer-service message
 * when the account has an AppSecret and the user wrote within 48 h, otherwise kept and put in front of the
 * answer to their next message. Kept messages pile up in order (a concurrent second one may overwrite the
 * first: staff messages to one user are rare and the report's status can always be asked).
 */
export async function sendOrKeep({ kv, api, logger }: DeliveryOptions, openId: string, text: string): Promise<StaffMessageDelivery> {
  if (api) {
    try {
      let sent = true
      for (const page of splitForWeChat(text, MAX_REPLY_BYTES)) {
        if (!(await api.sendText(openId, page))) {
          sent = false
          break
        }
      }
      if (sent) return 'sent'
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'customer-service message failed; keeping the staff message for the next message')
    }
  }
  const earlier = await kv.get(noticeKey(openId))
  await kv.set(noticeKey(openId), earlier ? `${earlier}\n\n${text}` : text, PENDING_SECONDS * 15)
  return 'kept'
}

function byteLength(s: string): number {
  return new TextEncoder().encode(s).length
}
