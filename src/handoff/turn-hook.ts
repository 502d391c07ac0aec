import type { Logger } from 'pino'
import type { TurnContext } from '../engine/skill.js'
import { text, type HandoffFacts, type Reply, type Session } from '../engine/types.js'
import { StoreUnavailableError, type Handoff, type HandoffMessage } from '../store/types.js'
import type { HandoffDesk } from './desk.js'
import { dueForTimeout, exchange, rememberExchange, undelivered, withMessages } from './record.js'
import type { HandoffTexts } from './texts.js'
import { abstainedThisTurn } from './unanswered.js'

/** What the handoff skill learned in this turn, for the hook after it (keyed by the turn's session object). */
export interface TurnSeen {
  handoff?: Handoff
  /** The request was made in this turn: the user's words are in the handoff already. */
  opened?: boolean
  /** This turn's message is for staff and the bot did not answer it (a message left outside office hours). */
  forStaff?: boolean
}

export type TurnCache = WeakMap<Session, TurnSeen>

export const HANDOFF_FLOW = 'handoff'

function tidy(session: Session, hf: HandoffFacts): void {
  for (const k of Object.keys(hf) as Array<keyof HandoffFacts>) if (hf[k] === undefined || hf[k] === 0 || hf[k] === false) delete hf[k]
  if (Object.keys(hf).length) session.profile.handoff = hf
  else delete session.profile.handoff
}

/**
 * After every turn (engine `after`): offer a person after two abstentions in a row; keep the last exchanges for
 * staff; and for a user with a handoff, record the exchange in it and put in front of the replies what staff sent
 * that could not be pushed (marked "人工客服："), the timeout notice and the closed notice. One compare-and-set
 * per turn, and only for users with a handoff. Times are the desk's one clock (the store's where instances share it).
 */
export function createHandoffTurnHook({ desk, texts, cache, logger, pickupMinutes }: { desk?: HandoffDesk; texts: HandoffTexts; cache: TurnCache; logger: Logger; pickupMinutes: number }) {
  return async function afterTurn(ctx: TurnContext, replies: Reply[]): Promise<Reply[]> {
    // Staff trying questions in the console's lookup: a throwaway session.
    if (ctx.message.channel === 'console') return replies
    const session = ctx.session
    const hf: HandoffFacts = session.profile.handoff ?? {}
    let out = replies
    const offeredBefore = hf.offered
    hf.offered = undefined
    if (!abstainedThisTurn(session)) hf.abstained = undefined
    else if ((hf.abstained ?? 0) >= 2 && desk && !hf.id && !offeredBefore) {
      out = [...out, text(texts.offer(ctx.lang))]
      hf.offered = true
      hf.abstained = undefined
    }
    const botText = out.map((r) => r.text).join('\n')
    if (!hf.id || !desk) {
      rememberExchange(hf, ctx.now, ctx.text, botText)
      tidy(session, hf)
      return out
    }

    const seen = cache.get(session)
    const userText = seen?.opened ? '' : ctx.text
    let done: { handoff: Handoff; result: { claimed: HandoffMessage[]; notices: string[] } } | undefined
    try {
      done = await desk.change(hf.id, (cur, at) => {
        const claimed = undelivered(cur)
        const notices: string[] = []
        const ids = new Set(claimed.map((m) => m.id))
        let next: Handoff = { ...cur, messages: cur.messages.map((m) => (ids.has(m.id) ? { ...m, delivered: 'turn' as const } : m)) }
        if (dueForTimeout(cur, at, desk.pickupMs)) next.timedOutAt = at
        if (next.timedOutAt !== undefined && !next.timeoutTold && next.status === 'waiting') {
          next.timeoutTold = true
          notices.push(texts.timedOut(ctx.lang, pickupMinutes))
        }
        if (cur.status === 'closed' && !cur.closeTold) {
          next.closeTold = true
          notices.push(texts.closedByStaff)
        }
        if (cur.status !== 'closed') next = withMessages(next, ...exchange(ctx.now, userText, botText))
        return { next, result: { claimed, notices } }
      })
    } catch (err) {
      /*
       * The user is talking to a person (the quiet wait, or a taken handoff) and this message did not reach them:
       * silence, or the one acknowledgement, would let them believe it did. The store-down path of the engine
       * answers instead (the handoff skill's storeDown: the message was not passed on, send it again).
       */
      if (err instanceof StoreUnavailableError && (session.flow?.name === HANDOFF_FLOW || seen?.forStaff) && userText) throw err
      // Otherwise the answer stands; what staff sent stays undelivered for the next turn.
      logger.warn({ err: (err as Error).message, handoff: hf.id }, 'handoff not updated in this turn')
      tidy(session, hf)
      return out
    }
    const h = done?.handoff
    if (!h || (h.status === 'closed' && !undelivered(h).length)) {
      delete hf.id
      if (session.flow?.name === HANDOFF_FLOW) delete session.flow
    }
    tidy(session, hf)
    if (!done) return out
    const { claimed, notices } = done.result
    return [...claimed.map((m) => text(`${texts.staffPrefix}${m.text}`)), ...notices.map((n) => text(n)), ...out]
  }
}
