import type { Logger } from 'pino'
import type { Store } from '../store/types.js'
import { runTurn, StoreUnavailableError } from '../store/types.js'
import { maskPersonalData } from '../text/mask.js'
import { detectLang } from '../text/lang.js'
import { normalize } from '../text/normalize.js'
import type { Skill, TurnContext } from './skill.js'
import { SESSION_VERSION, newSession, ownerKey, text, type InboundMessage, type Reply, type Session } from './types.js'

export interface EngineOptions {
  store: Store
  /** Tried in order; the first whose detect() matches handles the turn. */
  skills: Skill[]
  /** Handles whatever no skill claimed (policy Q&A). */
  otherwise: Skill
  logger: Logger
  now?: () => number
  /** Run on every message before routing, to remember facts any later skill may use (the firm's district). */
  observe?: (ctx: TurnContext) => void
}

export interface Engine {
  handle(message: InboundMessage): Promise<Reply[]>
}

const STORE_DOWN = '系统暂时无法保存对话，这一步请稍后再试。政策问题、客户经理查询可以照常提问。'
const NO_MEMORY = '（系统暂时记不住上下文，回答时请把情况在一句话里说全。）'
const FLOW_RESET = '系统已升级，您之前未完成的办理无法继续，请重新开始。'

/** The channel-agnostic core: load session → route → run skill → save session → replies. */
export function createEngine({ store, skills, otherwise, logger, now = Date.now, observe }: EngineOptions): Engine {
  const byKey = new Map(skills.map((s) => [s.key, s]))

  async function turn(ctx: TurnContext): Promise<Reply[]> {
    observe?.(ctx)
    const flow = ctx.session.flow
    if (!flow) return route(ctx)
    const owner = byKey.get(flow.name)
    if (!owner?.resume || owner.flowVersion !== flow.v) {
      delete ctx.session.flow
      return [text(FLOW_RESET), ...(await route(ctx))]
    }
    const intent = ctx.message.intent
    // A menu click goes to its skill; only the flow's own button lets the flow handle it.
    if (!intent || intent === flow.name) {
      const replies = intent ? await (owner.start ?? owner.handle)(ctx) : await owner.resume(ctx)
      if (replies) return replies
    }
    const kept = ctx.session.flow
    if (kept && owner.reminder) {
      // A sticky flow (the loss report) survives the detour, whatever the other skill did with the session.
      const answer = await route(ctx)
      ctx.session.flow = kept
      return [...answer, text(owner.reminder(ctx))]
    }
    return route(ctx)
  }

  async function route(ctx: TurnContext): Promise<Reply[]> {
    const chosen = ctx.message.intent && (byKey.get(ctx.message.intent) ?? (otherwise.key === ctx.message.intent ? otherwise : undefined))
    if (chosen) return (chosen.start ?? chosen.handle)(ctx)
    const skill = skills.find((s) => s.detect(ctx)) ?? otherwise
    return skill.handle(ctx)
  }

  function context(message: InboundMessage, session: Session, t: number): TurnContext {
    return { message, text: message.text.trim(), norm: normalize(message.text), session, now: t, lang: detectLang(message.text) }
  }

  /**
   * The store is down: answer what needs no memory (policy Q&A, routing, rules) from a blank session.
   * Anything that would start or continue a multi-turn flow, or read stored data, says it is unavailable.
   */
  async function statelessTurn(message: InboundMessage, t: number): Promise<Reply[]> {
    const session = newSession(ownerKey(message), t)
    const ctx = context(message, session, t)
    try {
      const replies = await turn(ctx)
      if (!session.flow) return replies
      // A form cannot run without memory; a one-question follow-up still helps if the user says it all at once.
      if (byKey.get(session.flow.name)?.reminder) return [text(STORE_DOWN)]
      return [...replies, text(NO_MEMORY)]
    } catch (err) {
      if (err instanceof StoreUnavailableError) return [text(STORE_DOWN)]
      throw err
    }
  }

  return {
    handle: async function handleMessage(message) {
      const t = message.receivedAt ?? now()
      try {
        const owner = ownerKey(message)
        return await runTurn(store, owner, async (stored) => {
          const session = stored && stored.v === SESSION_VERSION ? stored : newSession(owner, t)
          const ctx = context(message, session, t)
          if (logger.isLevelEnabled('debug')) {
            logger.debug({ channel: message.channel, user: message.userId, text: maskPersonalData(ctx.text), flow: session.flow?.step }, 'turn')
          }
          const replies = await turn(ctx)
          session.updatedAt = t
          return { session, result: replies }
        })
      } catch (err) {
        if (!(err instanceof StoreUnavailableError)) throw err
        logger.warn({ err: err.message, channel: message.channel }, 'store unavailable; answering without the session')
        return statelessTurn(message, t)
      }
    },
  }
}
