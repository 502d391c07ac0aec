import type { Logger } from 'pino'
import type { KvStore } from '../../store/types.js'

/**
 * Step 3: claim the message, so a retry never runs the flow twice and a crash never swallows it.
 *
 * One kv key per message, keyed by sender (another user's MsgId is another message), holding one of:
 *   w:<token>  in progress: a short lease, renewed while the answer is being worked out;
 *   a:<text>   answered: the passive reply, kept long, for WeChat's retries;
 *   ack        acknowledged with "success": the answer follows by customer-service message or the next message.
 * A retry that finds the lease expired with no answer (the first instance died) takes the message over.
 */
export interface MessageClaims {
  /**
   * Remember which message a signed (timestamp, nonce) carried, for the replay window: one signed URL carries
   * one message. False when it already carried another message; a retry of the same message is still true.
   */
  bindNonce(timestamp: string, nonce: string, key: string): Promise<boolean>
  /** Claim the message, or wait (until `deadline`, epoch ms) for the delivery that holds it. */
  claim(key: string, deadline: number): Promise<Claim>
}

export type Claim =
  /** This delivery answers; the lease is renewed until one of its methods is called. */
  | { kind: 'mine'; lease: Lease }
  | { kind: 'answered'; answer: string }
  | { kind: 'acknowledged' }
  /** Another delivery is still working on it at the deadline. */
  | { kind: 'busy' }

export interface Lease {
  /** Keep the passive reply for retries (long). */
  answered(answer: string): Promise<void>
  /** Acknowledged with "success"; retries get "success" too. */
  acknowledged(): Promise<void>
  /** Failed before answering: free the message so WeChat's retry is processed. */
  release(): Promise<void>
}

export interface ClaimOptions {
  kv: KvStore
  logger: Logger
  /** The in-progress lease; renewed every third of it. */
  leaseSeconds?: number
  /** How long an answer is kept for retries; at least the replay window. */
  answeredSeconds?: number
  /** How long a (timestamp, nonce) is remembered: the whole window a signed URL is accepted in. */
  nonceSeconds?: number
  now?: () => number
}

const WORKING = 'w:'
const ANSWER = 'a:'
const ACK = 'ack'
const UNREADABLE = '\u0000unreadable'
/** The answer is given or acknowledged within WeChat's 5 s; a lease is never renewed for longer than this. */
const MAX_HOLD_MS = 60_000

/** The message's key: sender + MsgId; events (no MsgId): sender + CreateTime + event. */
export function messageKey(msg: Record<string, string | undefined>): string {
  const from = msg.FromUserName ?? ''
  if (msg.MsgId) return `wx:msg:${from}:${msg.MsgId}`
  return `wx:evt:${from}:${msg.CreateTime ?? ''}:${msg.Event ?? msg.MsgType ?? ''}`
}

/** Claims over the shared kv store, so every instance sees the same message once. */
export function createMessageClaims({ kv, logger, leaseSeconds = 3, answeredSeconds = 600, nonceSeconds = 600, now = Date.now }: ClaimOptions): MessageClaims {
  async function bindNonce(timestamp: string, nonce: string, key: string): Promise<boolean> {
    const nonceKey = `wx:nonce:${timestamp}:${nonce}`
    try {
      if (await kv.setIfAbsent(nonceKey, key, nonceSeconds)) return true
      const carried = await kv.get(nonceKey)
      // Expired between the two calls: nothing is bound to it any more.
      return carried === undefined || carried === key
    } catch (err) {
      // The signature and timestamp are checked; without the store the bot still answers (as for dedupe).
      logger.warn({ err: (err as Error).message }, 'replay check unavailable; answering anyway')
      return true
    }
  }

  async function claim(key: string, deadline: number): Promise<Claim> {
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      const token = Math.random().toString(36).slice(2, 10)
      let owned: boolean
      try {
        owned = await kv.setIfAbsent(key, WORKING + token, leaseSeconds)
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'dedupe unavailable; answering anyway')
        return { kind: 'mine', lease: unstoredLease }
      }
      if (owned) return { kind: 'mine', lease: lease(key, WORKING + token) }
      const held = await kv.get(key).catch(() => UNREADABLE)
      if (held?.startsWith(ANSWER)) return { kind: 'answered', answer: held.slice(ANSWER.length) }
      if (held === ACK) return { kind: 'acknowledged' }
      if (now() >= deadline) return { kind: 'busy' }
      // Gone (the lease ran out: its holder died) → take it over at once; still working → wait for it.
      if (held !== undefined) await sleep(Math.min(delay, Math.max(1, deadline - now())))
    }
  }

  /**
   * The holder's lease: renewed while it works, replaced by the outcome. Every write compares and sets in one
   * atomic step of the store (setIfEquals, deleteIfEquals): a holder that stalled past its lease (a frozen process,
   * a slow store) may find the message taken over by a retry, and must never overwrite or delete that claim.
   */
  function lease(key: string, mine: string): Lease {
    let done = false
    let renewing: Promise<unknown> = Promise.resolve()
    const until = now() + MAX_HOLD_MS
    const timer = setInterval(() => {
      // A holder that never records an outcome (a bug) must not keep the message forever.
      if (now() > until) return clearInterval(timer)
      renewing = (async () => {
        if (done || (await kv.setIfEquals(key, mine, mine, leaseSeconds))) return
        // Not ours any more: the lease ran out (this process stalled) and a retry may be answering it now.
        clearInterval(timer)
        if (!done) logger.warn('message claim lost before the answer; leaving the message to its new holder')
      })().catch((err: Error) => logger.warn({ err: err.message }, 'could not renew the message claim'))
    }, (leaseSeconds * 1000) / 3)
    // Node: a pending renewal never keeps the process alive (the work it guards does).
    ;(timer as { unref?: () => void }).unref?.()
    const finish = async (write: () => Promise<void>) => {
      done = true
      clearInterval(timer)
      await renewing
      await write()
    }
    /** Replace our lease by the outcome; if the lease ran out and nobody took the message, the outcome still counts. */
    const record = async (outcome: string) => {
      if (await kv.setIfEquals(key, mine, outcome, answeredSeconds)) return
      // Absent: nobody else holds or answered it, so this answer is the message's answer. Held by another: theirs.
      if (await kv.setIfAbsent(key, outcome, answeredSeconds)) return
      logger.warn('message claimed by another delivery meanwhile; its outcome is kept, not this one')
    }
    return {
      answered: (answer) => finish(() => record(ANSWER + answer)),
      acknowledged: () => finish(() => record(ACK)),
      release: () =>
        finish(async () => {
          await kv.deleteIfEquals(key, mine)
        }),
    }
  }

  return { bindNonce, claim }
}

/** The store could not record the claim: nothing to renew or write. */
const unstoredLease: Lease = {
  answered: async () => undefined,
  acknowledged: async () => undefined,
  release: async () => undefined,
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}
