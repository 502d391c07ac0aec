import { pino } from 'pino'
import { createBot, type Bot } from '../../src/bot.js'
import { loadKnowledgeDir } from '../../src/knowledge/load-node.js'
import { segmenterWords, type Knowledge } from '../../src/knowledge/knowledge.js'
import { createJiebaSegmenter } from '../../src/rag/jieba-segmenter.js'
import type { Segmenter } from '../../src/rag/segmenter.js'
import { createMemoryStore } from '../../src/store/memory-store.js'
import type { Store } from '../../src/store/types.js'

let cached: { knowledge: Knowledge; segmenter: Segmenter } | undefined

/** The real knowledge base and jieba, loaded once per test file. */
export function realKnowledge(): { knowledge: Knowledge; segmenter: Segmenter } {
  if (!cached) {
    const knowledge = loadKnowledgeDir('knowledge')
    cached = { knowledge, segmenter: createJiebaSegmenter(segmenterWords(knowledge)) }
  }
  return cached
}

export const silentLogger = pino({ level: 'silent' })

/** A bot over the real knowledge with a fresh memory store (or the one given). */
export function testBot(opts: { store?: Store; now?: () => number } = {}): Bot {
  const { knowledge, segmenter } = realKnowledge()
  const store = opts.store ?? createMemoryStore({ sessionTtlSeconds: 3600, now: opts.now })
  return createBot({ knowledge, segmenter, store, logger: silentLogger, now: opts.now })
}

/** A chat with one user: say() returns the joined reply text. */
export function chat(bot: Bot, userId = `u-${Math.random().toString(36).slice(2)}`) {
  return {
    userId,
    async say(text: string): Promise<string> {
      const replies = await bot.engine.handle({ channel: 'api', userId, text })
      return replies.map((r) => r.text).join('\n')
    },
  }
}
