import type { BaseMessage } from '@langchain/core/messages'
import type { Logger } from 'pino'
import { createBreaker, type Breaker, type BreakerState } from './breaker.js'
import type { Exchange, History } from './history.js'
import type { RateLimiter } from './rate-limit.js'

/** Why a turn got the embedded answer instead of the model's. */
export type FallbackReason = 'timeout' | 'error' | 'empty' | 'guard' | 'rate-limited' | 'circuit-open' | 'store'

/** Counters for the eval and the logs; they only grow. */
export interface ModelStats {
  /** Turns that asked the model for something (answers and extractions). */
  requests: number
  /** HTTP calls made to the provider (first answers, repairs, extractions). */
  calls: number
  answered: number
  declined: number
  cacheHits: number
  /** Answers the fact guard rejected (a repaired answer that passes still counts its first rejection). */
  guardRejections: number
  repaired: number
  fallbacks: Partial<Record<FallbackReason, number>>
  inputTokens: number
  outputTokens: number
}

/** What one turn carries to every model call in it: one deadline, the conversation so far. */
interface TurnState {
  owner: string
  deadline: number
  history: Exchange[]
}

export interface CallResult {
  message?: BaseMessage
  error?: 'timeout' | 'error'
  ms: number
}

export interface ModelRuntime {
  /** Start a turn: fix its deadline and read the conversation so far. */
  begin(message: object, owner: string): Promise<void>
  /** End a turn: remember the exchange for the next one. */
  end(message: object, exchange: Exchange): Promise<void>
  /** The turn's state (a default one when the turn was not begun, e.g. in a unit test). */
  turn(message: object, owner: string): TurnState
  /** Whether a model call may go out for this user now; the reason when it may not. */
  admit(owner: string): Promise<FallbackReason | undefined>
  /** One provider call within the turn's deadline; failures feed the circuit breaker. */
  call(message: object, owner: string, run: (signal: AbortSignal) => Promise<BaseMessage>): Promise<CallResult>
  fallback(reason: FallbackReason): void
  readonly stats: ModelStats
  circuit(): BreakerState
}

export interface RuntimeOptions {
  history: History
  limiter: RateLimiter
  logger: Logger
  /** The overall deadline of a turn, from its start, for all its model calls. */
  timeoutMs: number
  breaker?: Breaker
  now?: () => number
}

// Below this, a call cannot come back in time; the embedded answer goes out at once.
const MIN_CALL_MS = 150

/** The machinery every model call shares: per-turn deadline and memory, per-user limit, circuit breaker, counters. */
export function createModelRuntime({ history, limiter, logger, timeoutMs, breaker = createBreaker(), now = Date.now }: RuntimeOptions): ModelRuntime {
  const turns = new WeakMap<object, TurnState>()
  const stats: ModelStats = { requests: 0, calls: 0, answered: 0, declined: 0, cacheHits: 0, guardRejections: 0, repaired: 0, fallbacks: {}, inputTokens: 0, outputTokens: 0 }

  const turn = (message: object, owner: string): TurnState => {
    let t = turns.get(message)
    if (!t) {
      t = { owner, deadline: now() + timeoutMs, history: [] }
      turns.set(message, t)
    }
    return t
  }

  return {
    stats,
    circuit: () => breaker.state(),
    turn,
    begin: async function beginTurn(message, owner) {
      const t = turn(message, owner)
      t.history = await history.read(owner).catch(() => [])
    },
    end: async function endTurn(message, exchange) {
      const t = turns.get(message)
      if (!t) return
      await history.append(t.owner, t.history, exchange).catch((err: Error) => logger.warn({ err: err.message }, 'model history not saved'))
    },
    admit: async function admitCall(owner) {
      let allowed: boolean
      try {
        allowed = await limiter.take(owner)
      } catch {
        // Without the store the calls cannot be counted: the embedded answer costs nothing.
        return 'store'
      }
      if (!allowed) return 'rate-limited'
      if (!breaker.allow()) return 'circuit-open'
      return undefined
    },
    call: async function callModel(message, owner, run) {
      const start = now()
      const remaining = turn(message, owner).deadline - start
      if (remaining < MIN_CALL_MS) return { error: 'timeout', ms: 0 }
      stats.calls++
      // The library's own timeout is per request; this one bounds the whole turn, retries included.
      const signal = AbortSignal.timeout(remaining)
      try {
        const result = await run(signal)
        breaker.success()
        const usage = (result as { usage_metadata?: { input_tokens?: number; output_tokens?: number } }).usage_metadata
        stats.inputTokens += usage?.input_tokens ?? 0
        stats.outputTokens += usage?.output_tokens ?? 0
        return { message: result, ms: now() - start }
      } catch (err) {
        breaker.failure()
        const timedOut = signal.aborted || /abort|timeout|timed out/i.test((err as Error).message ?? '')
        // The provider's message, never the request: it carries no user data; the status says refused vs network.
        const status = (err as { status?: number }).status
        logger.warn({ err: (err as Error).message?.slice(0, 200), status, timedOut, circuit: breaker.state() }, 'model call failed')
        return { error: timedOut ? 'timeout' : 'error', ms: now() - start }
      }
    },
    fallback: (reason) => {
      stats.fallbacks[reason] = (stats.fallbacks[reason] ?? 0) + 1
    },
  }
}
