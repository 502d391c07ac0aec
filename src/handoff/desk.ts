import type { Logger } from 'pino'
import type { Handoff, HandoffMessage, HandoffStore } from '../store/types.js'
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
  now?: () => number
  /** Texts pushed to users: the person's prefix, the closed and timed-out notices. */
  texts: { staffPrefix: string; closedByStaff: string; timedOut: (lang: 'zh', minutes: number) => string }
  /** HANDOFF_PICKUP_MINUTES, for the timeout notice. */
  pickupMinutes?: number
}

/** One compare-and-set step of a staff action: the next state, or why not. */
type Step = { next?: Handoff; result: Refusal | undefined }

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
export function createHandoffDesk({ handoffs, logger, now = Date.now, texts, pickupMinutes = 10 }: HandoffDeskOptions) {
  const pushers = new Map<string, Pusher>()

  /**
   * Apply `fn` to the stored handoff and write the result if nothing changed meanwhile; on a conflict, read and
   * apply again. `fn` returns the next state (or undefined: nothing to write) and a result for the caller.
   */
  async function change<T>(id: string, fn: (h: Handoff) => { next?: Handoff; result: T }): Promise<{ handoff: Handoff; result: T } | undefined> {
    for (let round = 0; round < CAS_ROUNDS; round++) {
      const current = await handoffs.get(id)
      if (!current) return undefined
      const { next, result } = fn(structuredClone(current))
      if (!next) return { handoff: current, result }
      const written: Handoff = { ...next, version: current.version + 1, updatedAt: now() }
      if (await handoffs.replace(written)) return { handoff: written, result }
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
    const done = await change(id, (h): Step => {
      if (h.status === 'closed') return { result: 'closed' }
      if (h.status === 'taken') return h.takenBy === actor.username ? { result: undefined } : { result: 'taken_by_other' }
      return { next: { ...h, status: 'taken', takenBy: actor.username, takenAt: now() }, result: undefined }
    })
    if (!done) return { ok: false, reason: 'not_found' }
    return done.result ? { ok: false, reason: done.result, handoff: done.handoff } : { ok: true, handoff: done.handoff }
  }

  /** Give a handoff to a staff member: anyone may place a waiting one; a taken one only its holder or an admin. */
  async function assign(id: string, to: string, actor: Actor): Promise<DeskResult> {
    const done = await change(id, (h): Step => {
      if (h.status === 'closed') return { result: 'closed' }
      if (h.status === 'taken' && h.takenBy !== actor.username && !actor.admin) return { result: 'taken_by_other' }
      if (h.status === 'taken' && h.takenBy === to) return { result: undefined }
      return { next: { ...h, status: 'taken', takenBy: to, takenAt: now() }, result: undefined }
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
    const done = await change(id, (cur) => ({ next: withMessages(cur, message), result: undefined }))
    if (!done) return { ok: false, reason: 'not_found' }
    return { ok: true, handoff: done.handoff, delivered }
  }

  /** Close with a note (for the record); the user is told, now if their channel can be reached, else next turn. */
  async function close(id: string, actor: Actor, note: string): Promise<DeskResult & { told?: boolean }> {
    const done = await change(id, (h): Step => {
      if (h.status === 'closed') return { result: 'closed' }
      if (h.status === 'taken' && h.takenBy !== actor.username && !actor.admin) return { result: 'taken_by_other' }
      return { next: { ...h, status: 'closed', closedAt: now(), closedBy: actor.username, ...(note ? { note } : {}) }, result: undefined }
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
   */
  async function sweep(): Promise<void> {
    const t = now()
    const open = await handoffs.listOpen()
    for (const h of open) {
      if (dueForTimeout(h, t)) {
        const marked = await change(h.id, (cur) => ({ next: dueForTimeout(cur, now()) ? { ...cur, timedOutAt: now() } : undefined, result: dueForTimeout(cur, now()) }))
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
