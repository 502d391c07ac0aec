/*
 * What a login attempt may cost this instance. A password check is a full scrypt (about 30 ms of a core on Node,
 * 100 ms on Workers): unbounded, a flood of logins starves every other request. Two limits, both in memory (they
 * protect this instance's CPU, which is per instance anyway):
 * - at most `maxHashes` checks run at once; one more is refused at once with 503 and Retry-After, not queued;
 * - at most `perClient` attempts per client address per `windowSeconds` (fixed windows); more get 429.
 * The lockout (lockout.ts) is the separate, shared rule about wrong passwords.
 */

export interface LoginGateOptions {
  /** Password checks running at once on this instance. */
  maxHashes?: number
  /** Login attempts per client address per window. */
  perClient?: number
  windowSeconds?: number
  /** Addresses remembered at most (the oldest window is forgotten first). */
  maxClients?: number
  now?: () => number
}

export type GateRefusal = { status: 429 | 503; retryAfter: number }

export interface LoginGate {
  /** Count an attempt from this address; a refusal when it has made too many this window. */
  attempt(client: string): GateRefusal | undefined
  /** Run a password check within the cap, or learn (at once) that the cap is reached. */
  hashing<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; refusal: GateRefusal }>
}

export const LOGIN_GATE_DEFAULTS = { maxHashes: 2, perClient: 10, windowSeconds: 60, maxClients: 10_000 } as const

/** The login limits of one instance. */
export function createLoginGate({
  maxHashes = LOGIN_GATE_DEFAULTS.maxHashes,
  perClient = LOGIN_GATE_DEFAULTS.perClient,
  windowSeconds = LOGIN_GATE_DEFAULTS.windowSeconds,
  maxClients = LOGIN_GATE_DEFAULTS.maxClients,
  now = Date.now,
}: LoginGateOptions = {}): LoginGate {
  const windows = new Map<string, { start: number; count: number }>()
  let running = 0
  return {
    attempt(client) {
      const t = now()
      let w = windows.get(client)
      if (!w || t - w.start >= windowSeconds * 1000) {
        windows.delete(client)
        w = { start: t, count: 0 }
        // Map order is insertion order: the first entries are the oldest windows.
        while (windows.size >= maxClients) windows.delete(windows.keys().next().value!)
        windows.set(client, w)
      }
      w.count += 1
      if (w.count <= perClient) return undefined
      return { status: 429, retryAfter: Math.max(1, Math.ceil((w.start + windowSeconds * 1000 - t) / 1000)) }
    },
    async hashing(fn) {
      if (running >= maxHashes) return { ok: false, refusal: { status: 503, retryAfter: 1 } }
      running += 1
      try {
        return { ok: true, value: await fn() }
      } finally {
        running -= 1
      }
    },
  }
}
