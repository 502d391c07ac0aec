import { resolve } from 'node:path'
import { createBot, type Bot } from './bot.js'
import type { Config } from './config.js'
import { segmenterWords } from './knowledge/knowledge.js'
import { loadKnowledgeDir } from './knowledge/load-node.js'
import { createLogger } from './log.js'
import { createJiebaSegmenter } from './rag/jieba-segmenter.js'
import { buildStore } from './store/build-store.js'
import type { Store } from './store/types.js'

/** The one place that turns configuration into clients (Node runtime). Nothing connects at import time. */
export async function buildNodeBot(config: Config, overrides: { store?: Store } = {}): Promise<Bot & { logger: ReturnType<typeof createLogger> }> {
  const logger = createLogger(config.LOG_LEVEL)
  const knowledge = loadKnowledgeDir(resolve(config.KNOWLEDGE_DIR))
  const segmenter = createJiebaSegmenter(segmenterWords(knowledge))
  const store = overrides.store ?? (await buildStore(config, logger))
  const bot = createBot({ knowledge, segmenter, store, logger })
  return { ...bot, logger }
}
