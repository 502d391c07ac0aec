import type { Logger } from 'pino'
import type { AuditEntry, Handoff, HandoffMessage, HandoffStore } from '../store/types.js'
import { dueForTimeout, newId, undelivered, withMessages } from './record.js'

/**
 * Sends a message to a user of one channel right away (WeChat customer-service message, wechaty). 'sent': it went
 * out; 'kept': the channel keeps it for the user's next message; undefined: not delivered, try again later.
 */
export type Pusher = (userId: string, text: string) => Promise<'sent' | 'kept' | undefined>

/** Why the desk refused a staff action. */
export type Refusal = 'not_found' | 'closed' | 'taken_by_other'

export type DeskResult = { ok: true; handoff: Handoff } | { ok: false; reason: Refusal; handoff?: Handoff }

/** Who acts at the desk: a staff member, and whether they may act on handoffs taken by others (admins). */
export interface Actor {
  username: string
  admin: boolean
}

export interface HandoffDeskOptions {
  handoffs: HandoffStore
  logger: Logger
  /** This process's clock: the one clock where the store has none (the memory and file stores: one process). */
  now?: () => number
  /**
   * The store's clock (Store.clock: Redis TIME) where several instances share the store: the times written into
   * handoffs and compared with them (pickup deadlines, timeouts, taken, closed) are read from it, not from `now`.
   * On Workers the Durable Object store has none: Date.now() there is Cloudflare's clock, the same for every isolate.
   */
  clock?: () => Promise<number>
  /** Texts pushed to users: the person's prefix, the closed and timed-out notices. */
  texts: { staffPrefix: string; closedByStaff: string; timedOut: (lang: 'zh', minutes: number) => string }
  /** HANDOFF_PICKUP_MINUTES, for the timeout notice. */
  pickupMinutes?: number
}

/** One compare-and-set step of a staff action: the next state, or why not. */
/** What a change writes (next), answers (result), and — for a staff action — audits in the same store step. */
type Step = { next?: Handoff; result: Refusal | undefined; audit?: Pick<AuditEntry, 'action' | 'before' | 'after'> & { actor: string } }

/** The message again waiting for delivery. */
function notDelivered(m: HandoffMessage): HandoffMessage {
  const { delivered: _, ...rest } = m
  return rest
}

/** Compare-and-set rounds before giving up (each lost round means another change landed first). */
const CAS_ROUNDS = 20

/**
 * The handoff state machine over the store: every change is a compare-and-set on the handoff's version, retried
 * on conflict, so instances and staff members never overwrite each other (two takes: exactly one wins). Messages
 * to users go through the channel's pusher when there is one; otherwise they wait for the user's next turn.
 */
export function createHandoffDesk({ handoffs, logger, now = Date.now, clock, texts, pickupMinutes = 10 }: HandoffDeskOptions) {
  const pushers = new Map<string, Pusher>()
  const pickupMs = pickupMinutes * 60_000

  /** The time by the one clock handoffs are compared in: the store's when it has one, else `fallback` (this process's). */
  const time = (fallback: number): Promise<number> => (clock ? clock() : Promise.resolve(fallback))

  /**
   * Apply `fn` to the stored handoff and write the result if nothing changed meanwhile; on a conflict, read and
   * apply again. `fn` returns the next state (or undefined: nothing to write) and a result for the caller; it is
   * given the time by the one clock (read once per call, after the first read of the handoff), for what it stamps.
   */
  async function change<T>(id: string, fn: (h: Handoff, at: number) => { next?: Handoff; result: T; audit?: Step['audit'] }): Promise<{ handoff: Handoff; result: T } | undefined> {
    let at: number | undefined
    for (let round = 0; round < CAS_ROUNDS; round++) {
      const current = await handoffs.get(id)
      if (!current) return undefined
      at ??= await time(now())
      const { next, result, audit } = fn(structuredClone(current), at)
      if (!next) return { handoff: current, result }
      const written: Handoff = { ...next, version: current.version + 1, updatedAt: at }
      // A staff action is audited by the same store step that writes it: stored means audited (even if the answer times out).
      if (await handoffs.replace(written, audit && { at, target: id, ...audit })) return { handoff: written, result }
    }
    throw new Error(`handoff ${id} kept changing; not written`)
  }

  /** Push a text to the handoff's user if their channel can be reached now. */
  async function push(h: Pick<Handoff, 'channel' | 'userId' | 'id'>, text: string): Promise<'sent' | 'kept' | undefined> {
    const pusher = pushers.get(h.channel)
    if (!pusher) return undefined
    try {
      return await pusher(h.userId, text)
    } catch (err) {
      logger.warn({ err: (err as Error).message, handoff: h.id, channel: h.channel }, 'handoff message not pushed; the user gets it at their next message')
      return undefined
    }
  }

  /** Take a waiting handoff for oneself. Taken by someone else already, or closed: refused. */
  async function take(id: string, actor: Actor): Promise<DeskResult> {
    const done = await change(id, (h, at): Step => {
      if (h.status === 'closed') return { result: 'closed' }
      if (h.status === 'taken') return h.takenBy === actor.username ? { result: undefined } : { result: 'taken_by_other' }
      const audit = { actor: actor.username, action: 'handoff.take', before: { status: h.status }, after: { status: 'taken', takenBy: actor.username } }
      return { next: { ...h, status: 'taken', takenBy: actor.username, takenAt: at }, result: undefined, audit }
    })
    if (!done) return { ok: false, reason: 'not_found' }
    return done.result ? { ok: false, reason: done.result, handoff: done.handoff } : { ok: true, handoff: done.handoff }
  }

  /** Give a handoff to a staff member: anyone may place a waiting one; a taken one only its holder or an admin. */
  async function assign(id: string, to: string, actor: Actor): Promise<DeskResult> {
    const done = await change(id, (h, at): Step => {
      if (h.status === 'closed') return { result: 'closed' }
      if (h.status === 'taken' && h.takenBy !== actor.username && !actor.admin) return { result: 'taken_by_other' }
      if (h.status === 'taken' && h.takenBy === to) return { result: undefined }
      const audit = { actor: actor.username, action: 'handoff.assign', before: { takenBy: h.takenBy ?? null }, after: { takenBy: to } }
      return { next: { ...h, status: 'taken', takenBy: to, takenAt: at }, result: undefined, audit }
    })
    if (!done) return { ok: false, reason: 'not_found' }
    return done.result ? { ok: false, reason: done.result, handoff: done.handoff } : { ok: true, handoff: done.handoff }
  }

  /**
   * A staff member's reply: takes the handoff if it is waiting, pushes the text when the user's channel can be
   * reached now (WeChat, wechaty), and records it; otherwise the user gets it in their next turn.
   */
  async function reply(id: string, actor: Actor, text: string): Promise<DeskResult & { delivered?: HandoffMessage['delivered'] }> {
    const taken = await take(id, actor)
    if (!taken.ok && !(taken.reason === 'taken_by_other' && actor.admin)) return taken
    const h = taken.handoff!
    // Pushed first, then recorded as delivered: a user's turn in between finds nothing undelivered to repeat.
    const delivered = await push(h, `${texts.staffPrefix}${text}`)
    const message: HandoffMessage = { at: now(), from: 'staff', id: newId(), by: actor.username, text, ...(delivered ? { delivered } : {}) }
    const audit = { actor: actor.username, action: 'handoff.reply', after: { chars: text.length, delivered: delivered ?? 'turn' } }
    const done = await change(id, (cur, at) => ({ next: withMessages(cur, { ...message, at }), result: undefined, audit }))
    if (!done) return { ok: false, reason: 'not_found' }
    return { ok: true, handoff: done.handoff, delivered }
  }

  /** Close with a note (for the record); the user is told, now if their channel can be reached, else next turn. */
  async function close(id: string, actor: Actor, note: string): Promise<DeskResult & { told?: boolean }> {
    const done = await change(id, (h, at): Step => {
      if (h.status === 'closed') return { result: 'closed' }
      if (h.status === 'taken' && h.takenBy !== actor.username && !actor.admin) return { result: 'taken_by_other' }
      const audit = { actor: actor.username, action: 'handoff.close', before: { status: h.status }, after: { status: 'closed', ...(note ? { note } : {}) } }
      return { next: { ...h, status: 'closed', closedAt: at, closedBy: actor.username, ...(note ? { note } : {}) }, result: undefined, audit }
    })
    if (!done) return { ok: false, reason: 'not_found' }
    if (done.result) return { ok: false, reason: done.result, handoff: done.handoff }
    const told = !!(await push(done.handoff, texts.closedByStaff))
    if (!told) return { ok: true, handoff: done.handoff, told }
    const marked = await change(id, (h) => ({ next: h.closeTold ? undefined : { ...h, closeTold: true }, result: undefined }))
    return { ok: true, handoff: marked?.handoff ?? done.handoff, told }
  }

  /**
   * Background work of one pass (any instance may run it; compare-and-set keeps it to one): handoffs nobody took
   * in time are marked timed out and their users told where a channel can reach them; staff messages still waiting
   * for a channel this process can push to (wechaty, run elsewhere than the console) are sent.
   * Timeouts are decided by the one clock (time(): the store's), read after the list, so a handoff opened on another
   * instance is never judged by this instance's clock; and never one younger than this instance's pickup time.
   */
  async function sweep(): Promise<void> {
    const open = await handoffs.listOpen()
    const t = await time(now())
    for (const h of open) {
      if (dueForTimeout(h, t, pickupMs)) {
        const marked = await change(h.id, (cur, at) => {
          const due = dueForTimeout(cur, at, pickupMs)
          return { next: due ? { ...cur, timedOutAt: at } : undefined, result: due }
        })
        if (marked?.result && (await push(h, texts.timedOut('zh', pickupMinutes)))) {
          await change(h.id, (cur) => ({ next: cur.timeoutTold ? undefined : { ...cur, timeoutTold: true }, result: undefined }))
        }
      }
    }
    for (const h of [...open, ...(await handoffs.listClosed(20))]) {
      if (pushers.has(h.channel) && undelivered(h).length) await relay(h.id)
    }
  }

  /** Send a handoff's undelivered staff messages through its channel's pusher: claimed first, released on failure. */
  async function relay(id: string): Promise<void> {
    const claimed = await change(id, (cur) => {
      const pending = undelivered(cur)
      if (!pending.length) return { result: [] as HandoffMessage[] }
      const ids = new Set(pending.map((m) => m.id))
      return { next: { ...cur, messages: cur.messages.map((m) => (ids.has(m.id) ? { ...m, delivered: 'sent' as const } : m)) }, result: pending }
    })
    if (!claimed?.result.length) return
    const failed: string[] = []
    for (const m of claimed.result) {
      const via = await push(claimed.handoff, `${texts.staffPrefix}${m.text}`)
      if (!via) failed.push(m.id!)
    }
    if (failed.length) {
      await change(id, (cur) => ({ next: { ...cur, messages: cur.messages.map((m) => (m.id && failed.includes(m.id) ? notDelivered(m) : m)) }, result: undefined }))
    }
  }

  return {
    store: handoffs,
    get: (id: string) => handoffs.get(id),
    time,
    /** HANDOFF_PICKUP_MINUTES in ms: the pickup time, and the youngest a handoff may be when it is timed out. */
    pickupMs,
    change,
    push,
    take,
    assign,
    reply,
    close,
    sweep,
    relay,
    /** Reach a channel's users right away from now on (the WeChat API, a wechaty login in this process). */
    usePusher(channel: string, pusher: Pusher): void {
      pushers.set(channel, pusher)
    },
    canPush: (channel: string) => pushers.has(channel),
  }
}

export type HandoffDesk = ReturnType<typeof createHandoffDesk>
