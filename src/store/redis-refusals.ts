/*
 * Writes Redis refuses while it answers: full under noeviction (OOM), a replica after a failover (READONLY), a
 * failed RDB save with stop-writes-on-bgsave-error (MISCONF), an ACL (NOPERM), too few replicas (NOREPLICAS).
 * PING still answers then, so reachability alone said ok while logins and forms failed; the last refusal is
 * kept here and reported by the store's problems() while refusals continue.
 */

/** A refusal is reported this long after the last one, unless a write goes through first. */
export const REFUSAL_WINDOW_MS = 30_000

const REFUSAL = /^(?:[A-Z]+ )?\b(OOM|READONLY|MISCONF|NOPERM|NOREPLICAS|NOTENOUGHREPLICAS)\b/

/** The reason Redis gave, when `err` is Redis refusing a command (as opposed to being unreachable or slow). */
export function refusalOf(err: unknown): string | undefined {
  if (!(err instanceof Error) || err.name !== 'ReplyError') return undefined
  // A MULTI with a refused command fails as EXECABORT; ioredis keeps the refusals themselves beside it.
  const previous = (err as { previousErrors?: unknown[] }).previousErrors
  if (/^EXECABORT\b/.test(err.message) && previous?.length) return previous.map(refusalOf).find((r) => r !== undefined)
  if (!REFUSAL.test(err.message)) return undefined
  // First sentence only (MISCONF goes on for lines); no trailing full stop, the problem text continues.
  return err.message.split('\n')[0]!.split(/(?<=\.)\s/)[0]!.replace(/\.$/, '').slice(0, 200)
}

export function createWriteRefusals({ windowMs = REFUSAL_WINDOW_MS, now = Date.now }: { windowMs?: number; now?: () => number } = {}) {
  let last: { reason: string; at: number } | undefined
  return {
    /** A call failed: remembered if Redis refused it. */
    failed(err: unknown): void {
      const reason = refusalOf(err)
      if (reason) last = { reason, at: now() }
    },
    /** A write went through: Redis takes writes again. */
    wrote(): void {
      last = undefined
    },
    problems(): string[] {
      if (!last || now() - last.at > windowMs) return []
      return [`writes refused: ${last.reason} (last at ${new Date(last.at).toISOString()})`]
    },
  }
}

export type WriteRefusals = ReturnType<typeof createWriteRefusals>
