import type { KvStore } from '../store/types.js'
import { maskPersonalData } from '../text/mask.js'

/** One exchange of the conversation as the model sees it. */
export interface Exchange {
  user: string
  bot: string
}

export interface History {
  read(owner: string): Promise<Exchange[]>
  append(owner: string, past: Exchange[], exchange: Exchange): Promise<void>
}

const KEEP = 6
const MAX_CHARS = 400
// Source lines and "回复…" hints are the bot's furniture, not conversation.
const FURNITURE = /^(来源：|Source: |回复“|Reply “|（您的报损还没填完)/

/** The text of a reply as remembered for the model: no source lines, shortened. */
export function rememberReply(text: string): string {
  const kept = text
    .split('\n')
    .filter((l) => !FURNITURE.test(l.trim()))
    .join('\n')
    .replace(/\n{2,}/g, '\n')
    .trim()
  return kept.length > MAX_CHARS ? `${kept.slice(0, MAX_CHARS)}…` : kept
}

/** The last few exchanges per user, in the shared store (so any instance continues the conversation). */
export function createHistory(kv: KvStore, ttlSeconds = 1800): History {
  const key = (owner: string) => `llm:history:${owner}`
  return {
    read: async function readHistory(owner) {
      const raw = await kv.get(key(owner))
      if (!raw) return []
      try {
        const list = JSON.parse(raw) as Exchange[]
        return Array.isArray(list) ? list : []
      } catch {
        return []
      }
    },
    append: async function appendHistory(owner, past, exchange) {
      // Phones, credit codes and ID numbers never go to the model provider with the conversation.
      const list = [...past, { user: maskPersonalData(exchange.user.slice(0, MAX_CHARS)), bot: maskPersonalData(rememberReply(exchange.bot)) }].slice(-KEEP)
      await kv.set(key(owner), JSON.stringify(list), ttlSeconds)
    },
  }
}

/** A rough token count: a Chinese character is about one token, an English word about 1.3. */
export function estimateTokens(text: string): number {
  const han = text.match(/[\u3400-\u9fff]/g)?.length ?? 0
  const words = text.replace(/[\u3400-\u9fff]/g, ' ').match(/\S+/g)?.length ?? 0
  return han + Math.ceil(words * 1.3)
}

/** The most recent exchanges that fit in `maxTokens`, oldest first. */
export function recentWithin(history: readonly Exchange[], maxTokens: number): Exchange[] {
  const out: Exchange[] = []
  let used = 0
  for (let i = history.length - 1; i >= 0; i--) {
    const e = history[i]!
    const cost = estimateTokens(e.user) + estimateTokens(e.bot)
    if (used + cost > maxTokens) break
    used += cost
    out.unshift(e)
  }
  return out
}
