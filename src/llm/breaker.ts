/** Circuit breaker state as /healthz and the logs report it. */
export type BreakerState = 'closed' | 'open' | 'half-open'

export interface Breaker {
  /** May a call go out now? In half-open state one trial call is let through at a time. */
  allow(): boolean
  success(): void
  failure(): void
  state(): BreakerState
}

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  failures?: number
  /** How long it stays open before one trial call. */
  cooldownMs?: number
  now?: () => number
}

/**
 * Stop calling a provider that keeps failing: after `failures` failures in a row, every turn gets the embedded
 * answer at once (no wait for a timeout) until `cooldownMs` has passed; then one trial call decides.
 * Per instance: each instance learns for itself, which is enough to stop piling requests onto a dead endpoint.
 */
export function createBreaker({ failures = 5, cooldownMs = 30_000, now = Date.now }: BreakerOptions = {}): Breaker {
  let streak = 0
  let openedAt: number | undefined
  let trial = false
  const state = (): BreakerState => (openedAt === undefined ? 'closed' : now() - openedAt >= cooldownMs ? 'half-open' : 'open')
  return {
    state,
    allow: function allowCall() {
      const s = state()
      if (s === 'closed') return true
      if (s === 'open' || trial) return false
      trial = true
      return true
    },
    success: function recordSuccess() {
      streak = 0
      openedAt = undefined
      trial = false
    },
    failure: function recordFailure() {
      streak++
      // A failed trial re-opens for another cooldown.
      if (trial || streak >= failures) openedAt = now()
      trial = false
    },
  }
}
