import { createBot, type Bot } from '../../src/bot.js'
import { segmenterWords, type Knowledge } from '../../src/knowledge/knowledge.js'
import { createIntlSegmenter } from '../../src/rag/intl-segmenter.js'
import type { Segmenter } from '../../src/rag/segmenter.js'
import { createMemoryStore } from '../../src/store/memory-store.js'
import type { Store } from '../../src/store/types.js'
import { workerKnowledge } from '../../src/worker/knowledge.js'
import { createWorkerLogger } from '../../src/worker/logger.js'

// test/helpers/bot.ts as the Worker builds the bot: the bundled knowledge and the Intl segmenter (no jieba, no
// file system). The workerd test project (vitest.config.ts) puts this file in its place, so the same test files
// run on both runtimes.

let cached: { knowledge: Knowledge; segmenter: Segmenter } | undefined

/** The bundled knowledge base and the Intl segmenter, built once per test file. */
export function realKnowledge(): { knowledge: Knowledge; segmenter: Segmenter } {
  if (!cached) {
    const knowledge = workerKnowledge()
    cached = { knowledge, segmenter: createIntlSegmenter(segmenterWords(knowledge)) }
  }
  return cached
}

export const silentLogger = createWorkerLogger('silent')

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
