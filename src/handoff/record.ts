import type { HandoffFacts, WorkingFacts } from '../engine/types.js'
import type { Handoff, HandoffMessage } from '../store/types.js'

/** A handoff keeps at most this many messages (the oldest go first): a long chat must not grow without bound. */
export const MAX_MESSAGES = 100
/** Exchanges kept in the session before a request, and how much of each. */
const RECENT_EXCHANGES = 4
const USER_CHARS = 300
const BOT_CHARS = 400

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s)

/** A short random id, hex: URL-safe, and unique enough for a queue (the store refuses a clash). */
export function newId(): string {
  return crypto.randomUUID().replace(/-/g, '').slice(0, 12)
}

/** Add messages, dropping the oldest beyond MAX_MESSAGES. */
export function withMessages(h: Handoff, ...more: HandoffMessage[]): Handoff {
  const messages = [...h.messages, ...more]
  return { ...h, messages: messages.slice(Math.max(0, messages.length - MAX_MESSAGES)) }
}

/** One exchange as handoff messages: what the user wrote, what the bot answered (either may be empty). */
export function exchange(at: number, user: string, bot: string): HandoffMessage[] {
  return [...(user ? [{ at, from: 'user' as const, text: clip(user, 1000) }] : []), ...(bot ? [{ at, from: 'bot' as const, text: clip(bot, BOT_CHARS * 2) }] : [])]
}

/** Remember an exchange in the session (before any request), keeping the last few, clipped. */
export function rememberExchange(hf: HandoffFacts, at: number, user: string, bot: string): void {
  if (!user && !bot) return
  hf.recent = [...(hf.recent ?? []), { at, user: clip(user, USER_CHARS), bot: clip(bot, BOT_CHARS) }].slice(-RECENT_EXCHANGES)
}

/** The session's recent exchanges as handoff messages. */
export function recentMessages(hf: HandoffFacts | undefined): HandoffMessage[] {
  return (hf?.recent ?? []).flatMap((e) => exchange(e.at, e.user, e.bot))
}

/** The facts staff see: the working facts without the bot's own bookkeeping, and the user's report numbers. */
export function factsOf(profile: WorkingFacts, reports: string[]): Record<string, unknown> {
  const { topic: _t, topicAt: _ta, handoff: _h, ...facts } = profile
  return { ...structuredClone(facts), reports }
}

/** Staff messages not yet given to the user. */
export function undelivered(h: Handoff): HandoffMessage[] {
  return h.messages.filter((m) => m.from === 'staff' && !m.delivered)
}

/*
 * Times that instances compare — createdAt, pickupBy, the pickup deadline against "now" — come from one clock
 * (desk.time(): the store's where instances share it, Redis TIME). `now` here must be read from that clock, never
 * from an instance's own: one instance 11 minutes ahead would otherwise time out everyone's handoffs at once.
 */

/**
 * Still waiting for a person past its pickup time. `minAgeMs` (the caller's own pickup time) is a guard besides:
 * nothing is acted on that is younger than that since it was opened, by the record's own clock (its createdAt),
 * whatever pickupBy says (written by another instance, under another HANDOFF_PICKUP_MINUTES, or another clock).
 */
export function pickupPassed(h: Handoff, now: number, minAgeMs = 0): boolean {
  return h.status === 'waiting' && h.pickupBy !== undefined && now >= h.pickupBy && now - h.createdAt >= minAgeMs
}

/** Waiting for a person past the pickup time (see pickupPassed), and not yet marked so. */
export function dueForTimeout(h: Handoff, now: number, minAgeMs = 0): boolean {
  return pickupPassed(h, now, minAgeMs) && h.timedOutAt === undefined
}

/** Whether the user is still meant to be waiting quietly for a person (`now` and `minAgeMs` as for pickupPassed). */
export function waitingLive(h: Handoff, now: number, minAgeMs = 0): boolean {
  return h.status !== 'closed' && !h.afterHours && h.timedOutAt === undefined && !pickupPassed(h, now, minAgeMs)
}
