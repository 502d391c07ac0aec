import type { Logger } from 'pino'
import type { Config } from '../config.js'
import type { Knowledge } from '../knowledge/knowledge.js'
import { createOutboxWorker, createWebhookSender, type OutboxWorker } from '../notify/outbox-worker.js'
import { createNoticeBody } from '../notify/report-notice.js'
import type { OutboxStore, ReportStore } from '../store/types.js'

/**
 * The notice worker the ledger object runs from its alarm: the same webhook sender, notice text and back-off as
 * on Node (first retry after NOTIFY_RETRY_SECONDS, doubling up to an hour). Undefined without NOTIFY_WEBHOOK_URL.
 */
export function createNoticeWorker(config: Config, knowledge: Knowledge, outbox: OutboxStore, reports: Pick<ReportStore, 'get'>, logger: Logger): OutboxWorker | undefined {
  if (!config.NOTIFY_WEBHOOK_URL) return undefined
  return createOutboxWorker({
    outbox,
    // The notice text reads only the report it announces (get).
    send: createWebhookSender(config.NOTIFY_WEBHOOK_URL, { body: createNoticeBody(knowledge, reports as ReportStore) }),
    logger,
    backoffMs: (attempts) => Math.min(3600_000, config.NOTIFY_RETRY_SECONDS * 1000 * 2 ** (attempts - 1)),
  })
}
