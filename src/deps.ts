import { resolve } from 'node:path'
import { createBot, type Bot } from './bot.js'
import type { Config } from './config.js'
import { segmenterWords } from './knowledge/knowledge.js'
import { loadKnowledgeDir } from './knowledge/load-node.js'
import { createLogger } from './log.js'
import { createJiebaSegmenter } from './rag/jieba-segmenter.js'
import { buildStore } from './store/build-store.js'
import { createOutboxWorker, createWebhookSender, type OutboxWorker } from './notify/outbox-worker.js'
import { reportNotice } from './notify/report-notice.js'
import type { LossReport, Store } from './store/types.js'

/** The one place that turns configuration into clients (Node runtime). Nothing connects at import time. */
export async function buildNodeBot(config: Config, overrides: { store?: Store } = {}): Promise<Bot & { logger: ReturnType<typeof createLogger>; outbox?: OutboxWorker }> {
  const logger = createLogger(config.LOG_LEVEL)
  const knowledge = loadKnowledgeDir(resolve(config.KNOWLEDGE_DIR))
  const segmenter = createJiebaSegmenter(segmenterWords(knowledge))
  const store = overrides.store ?? (await buildStore(config, logger))
  const outbox = config.NOTIFY_WEBHOOK_URL
    ? createOutboxWorker({
        outbox: store.outbox,
        send: createWebhookSender(config.NOTIFY_WEBHOOK_URL),
        logger,
        // First retry after NOTIFY_RETRY_SECONDS, doubling up to an hour: a long outage delays, never drops.
        backoffMs: (attempts) => Math.min(3600_000, config.NOTIFY_RETRY_SECONDS * 1000 * 2 ** (attempts - 1)),
      })
    : undefined
  const onReportConfirmed =
    outbox &&
    (async (r: LossReport) => {
      await outbox.enqueue('report-notice', reportNotice(knowledge, r))
      return true
    })
  const bot = createBot({ knowledge, segmenter, store, logger, onReportConfirmed })
  return { ...bot, logger, outbox }
}
