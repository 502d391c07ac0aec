/*
 * Helpers for the handoff (转人工) and unanswered-questions tests: an app with the console over a bot whose office
 * hours, pickup time, store and WeChat settings the test chooses, a clock the test moves, and a user over /api/chat.
 */
import type { Hono } from 'hono'
import { createBot, type Bot, type BotDeps } from '../../src/bot.js'
import { parseHours } from '../../src/handoff/hours.js'
import { createApp, type AppDeps } from '../../src/http/app.js'
import { createMemoryStore } from '../../src/store/memory-store.js'
import type { ModelFactory } from '../../src/llm/mode.js'
import type { StaffRole, Store } from '../../src/store/types.js'
import { realKnowledge, silentLogger } from './bot.js'
import { addStaff, consoleOptions } from './console.js'

/** A moment in Beijing time (UTC+8). 2026-11-26 is a Thursday. */
export const beijing = (y: number, m: number, d: number, h: number, min = 0) => Date.UTC(y, m - 1, d, h - 8, min)
/** Thursday 10:00 in Beijing: within the default office hours. */
export const THURSDAY_10AM = beijing(2026, 11, 26, 10)

export interface HandoffSetupOptions {
  store?: Store
  start?: number
  hours?: string
  pickupMinutes?: number
  wechat?: AppDeps['wechat']
  model?: ModelFactory
  /** Give the console the bot's desk (as deps.ts does); without it the console builds its own over the store. */
  shareDesk?: boolean
}

/** An app with the console, over a bot with handoffs; `say` talks over /api/chat and returns the reply texts. */
export function handoffSetup(o: HandoffSetupOptions = {}) {
  let t = o.start ?? THURSDAY_10AM
  const now = () => t
  const store = o.store ?? createMemoryStore({ sessionTtlSeconds: 3600, now })
  const { knowledge, segmenter } = realKnowledge()
  const handoff: BotDeps['handoff'] = { hours: parseHours(o.hours ?? 'mon-fri 09:00-18:00'), pickupMinutes: o.pickupMinutes ?? 10, wechatApi: o.wechat?.api }
  const bot: Bot = createBot({ knowledge, segmenter, store, logger: silentLogger, now, handoff, model: o.model })
  const app = createApp({
    engine: bot.engine,
    store,
    logger: silentLogger,
    maxTextLength: 1000,
    wechat: o.wechat,
    console: { ...consoleOptions(bot, now), ...(o.shareDesk ? { handoff: bot.handoff } : {}) },
  })
  return {
    app,
    bot,
    store,
    now,
    desk: bot.handoff!,
    advance: (ms: number) => void (t += ms),
    setTime: (ms: number) => void (t = ms),
    addStaff: (username: string, role: StaffRole, districts: string[] = []) => addStaff(store, username, role, 'correct-horse-battery', districts, now),
    say: (userId: string, text: string) => sayOver(app, userId, text),
  }
}

/** POST /api/chat; the reply texts, one per reply. */
export async function sayOver(app: Hono, userId: string, text: string): Promise<string[]> {
  const res = await app.request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, text }) })
  if (res.status !== 200) throw new Error(`/api/chat answered ${res.status}: ${await res.text()}`)
  return ((await res.json()) as { replies: Array<{ text: string }> }).replies.map((r) => r.text)
}

/** The handoff id in the queue page's links (the first one). */
export function handoffIdIn(html: string): string {
  const id = /\/console\/handoffs\/([0-9a-f]{12})/.exec(html)?.[1]
  if (!id) throw new Error('no handoff on the page')
  return id
}
