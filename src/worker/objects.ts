import type { OutboxWorker } from '../notify/outbox-worker.js'
import { configFromBindings } from '../config.js'
import { KeyedObject } from '../store/durable/keyed-object.js'
import { LedgerObject as LedgerBase } from '../store/durable/ledger-object.js'
import { workerKnowledge } from './knowledge.js'
import { createWorkerLogger } from './logger.js'
import { createNoticeWorker } from './notices.js'

/** One object per user: the session, that user's message dedupe and pending answers, the turn lock. */
export class UserObject extends KeyedObject {}

/** The other kv keys (access_token, nonces, caches, rate counters) and locks, spread over a few objects. */
export class SharedObject extends KeyedObject {}

/** The ledger, delivering report notices from its alarm when NOTIFY_WEBHOOK_URL is set. */
export class LedgerObject extends LedgerBase {
  private notices: OutboxWorker | null | undefined

  protected override delivery(): OutboxWorker | undefined {
    if (this.notices === undefined) {
      const config = configFromBindings(this.env as Record<string, unknown>)
      this.notices = createNoticeWorker(config, workerKnowledge(), this.localOutbox(), this.localReports(), createWorkerLogger(config.LOG_LEVEL)) ?? null
    }
    return this.notices ?? undefined
  }
}
