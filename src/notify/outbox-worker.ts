import type { Logger } from 'pino'
import type { OutboxItem, OutboxStore } from '../store/types.js'

export type Sender = (item: OutboxItem) => Promise<void>

export interface OutboxWorkerOptions {
  outbox: OutboxStore
  send: Sender
  logger: Logger
  now?: () => number
  /** Delay before attempt n+1 (n ≥ 1), capped; grows so a long outage is not hammered. */
  backoffMs?: (attempts: number) => number
  batch?: number
}

export interface OutboxWorker {
  /** Queue an item and try it right away (without waiting for the delivery). */
  enqueue(kind: string, payload: unknown): Promise<OutboxItem>
  /** Attempt every due item once; returns how many were delivered. */
  drain(): Promise<number>
  start(intervalMs: number): void
  /**
   * Stop for good: no new attempts, and the one under way finishes (its item removed or rescheduled) before this
   * resolves — call it before closing the store, so no delivery is left unrecorded and sent again after a restart.
   */
  stop(): Promise<void>
}

const defaultBackoff = (attempts: number) => Math.min(60 * 60_000, 5_000 * 2 ** (attempts - 1))

/** At-least-once delivery: an item leaves the outbox only after its send succeeded; failures wait and retry. */
export function createOutboxWorker({ outbox, send, logger, now = Date.now, backoffMs = defaultBackoff, batch = 20 }: OutboxWorkerOptions): OutboxWorker {
  let timer: ReturnType<typeof setInterval> | undefined
  let running: Promise<number> | undefined
  let stopped = false
  // Asked to drain while a drain runs: it may have listed the due items before the new one arrived; go again.
  let again = false

  async function attempt(item: OutboxItem): Promise<boolean> {
    try {
      await send(item)
      await outbox.remove(item.id)
      logger.info({ outbox: item.id, kind: item.kind, attempts: item.attempts + 1 }, 'notice delivered')
      return true
    } catch (err) {
      const attempts = item.attempts + 1
      const next = { ...item, attempts, lastError: (err as Error).message, nextAttemptAt: now() + backoffMs(attempts) }
      await outbox.update(next)
      logger.warn({ outbox: item.id, kind: item.kind, attempts, err: next.lastError }, 'notice failed; will retry')
      return false
    }
  }

  async function drainOnce(): Promise<number> {
    let delivered = 0
    do {
      again = false
      for (const item of await outbox.due(now(), batch)) {
        if (stopped) break
        if (await attempt(item)) delivered++
      }
    } while (again && !stopped)
    return delivered
  }

  const worker: OutboxWorker = {
    async enqueue(kind, payload) {
      const t = now()
      const item: OutboxItem = { id: `${kind}:${t}:${Math.random().toString(36).slice(2, 10)}`, kind, payload, attempts: 0, nextAttemptAt: t, createdAt: t }
      await outbox.add(item)
      void worker.drain().catch((err: Error) => logger.warn({ err: err.message }, 'outbox drain failed'))
      return item
    },
    drain() {
      if (stopped) return Promise.resolve(0)
      if (running) again = true
      // One drain at a time in this process, so an item is not sent twice concurrently.
      running ??= drainOnce().finally(() => (running = undefined))
      return running
    },
    start(intervalMs) {
      if (stopped) return
      timer ??= setInterval(() => void worker.drain().catch((err: Error) => logger.warn({ err: err.message }, 'outbox drain failed')), intervalMs)
      timer.unref?.()
    },
    async stop() {
      stopped = true
      if (timer) clearInterval(timer)
      timer = undefined
      await running?.catch(() => undefined)
    },
  }
  return worker
}

export interface WebhookSenderOptions {
  timeoutMs?: number
  fetchImpl?: typeof fetch
  /** The JSON body for an item; default its payload. */
  body?: (item: OutboxItem) => Promise<unknown> | unknown
}

/** Header carrying the item's id, the same on every attempt and after restarts: a receiver drops repeats by it. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key'

/**
 * POST the item as JSON; non-2xx, a network error, or a WeCom errcode ≠ 0 counts as a failure. Delivery is at
 * least once (a crash between a send and its removal sends again), so every request carries Idempotency-Key.
 */
export function createWebhookSender(url: string, { timeoutMs = 5_000, fetchImpl = fetch, body = (item) => item.payload }: WebhookSenderOptions = {}): Sender {
  return async function sendWebhook(item) {
    const res = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDEMPOTENCY_HEADER]: item.id },
      body: JSON.stringify(await body(item)),
      signal: AbortSignal.timeout(timeoutMs),
    })
    const answer = await res.text()
    if (!res.ok) throw new Error(`webhook answered ${res.status}`)
    try {
      const json = JSON.parse(answer) as { errcode?: number; errmsg?: string }
      if (typeof json.errcode === 'number' && json.errcode !== 0) throw new Error(`webhook errcode ${json.errcode} ${json.errmsg ?? ''}`)
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err
    }
  }
}
