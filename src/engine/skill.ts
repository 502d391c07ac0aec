import type { Lang } from '../text/lang.js'
import type { Reading } from '../understand/reading.js'
import type { InboundMessage, Reply, Session } from './types.js'

/** Everything a skill sees for one turn; it may change `session` and the engine saves it afterwards. */
export interface TurnContext {
  message: InboundMessage
  /** The message as typed, trimmed. */
  text: string
  /** Normalized: half-width, simplified, lower-case, standard wording (the reading's `norm`). */
  norm: string
  /** The message read once: dialogue act, clauses, typed facts. */
  reading: Reading
  session: Session
  now: number
  /** The language to answer in: 'en' when the user wrote English. */
  lang: Lang
}

/** One thing the bot can do. Skills are tried in order; the first whose `detect` says yes handles the turn. */
export interface Skill {
  key: string
  /** Shown in the menu when set; the user can pick it by number. */
  menuLabel?: string
  detect(ctx: TurnContext): boolean
  handle(ctx: TurnContext): Promise<Reply[]> | Reply[]
  /** Called instead of `handle` when the user picks the skill from the menu. */
  start?(ctx: TurnContext): Promise<Reply[]> | Reply[]
  /** Version of the flow state this skill writes; a stored flow of another version is dropped. */
  flowVersion?: number
  /**
   * Whether an elliptical message ("那宝安呢", "电话多少", "如果是信用证呢") right after this skill's answer is a
   * follow-up this skill should answer, even though another skill's detect() would also match it.
   */
  followUp?(ctx: TurnContext): boolean
  /** Skills whose answer follows this one's when they also recognise the message (a coverage check, then the payout). */
  companions?: string[]
  /** When this skill recognises the whole message, it answers alone (the message is not split into questions). */
  exclusive?: boolean
  /**
   * Recognised even inside another skill's flow: its detect() is tried before that flow's resume(), and the flow
   * is kept as for any detour ("转人工" while filling in a loss report is a request, not a company name).
   */
  interrupts?: boolean
  /**
   * Whether this skill has an answer for the message alone (Q&A: the knowledge base has a section for it). A part
   * of a longer message it cannot answer alone ("想问下具体怎么办", "叫咩名") is read together with the part before.
   */
  canAnswer?(ctx: TurnContext): boolean
  /** Greetings, "详细一点": answering them does not change the topic a follow-up refers to. */
  transient?: boolean
  /**
   * Continue the skill's flow (session.flow.name === key). Return undefined to let the router answer this
   * message (a policy question mid-form); the flow stays for the next turn.
   */
  resume?(ctx: TurnContext): Promise<Reply[] | undefined> | Reply[] | undefined
  /**
   * A sticky flow survives a detour: when resume() lets another skill answer, the flow is put back afterwards
   * (even if that skill started a small flow of its own) and this line is added to the answer.
   */
  reminder?(ctx: TurnContext): string
  /**
   * Called first on every turn while the user is inside this skill's flow. A reply ends the turn: the stored flow
   * is out of date (the loss report was filed, but the crash came before the session was saved).
   */
  settle?(ctx: TurnContext): Promise<Reply[] | undefined> | Reply[] | undefined
  /**
   * The store is down. `inside`: the user's last turn on this instance ended inside this skill's flow. Return
   * what to say instead of an answer (the flow cannot be saved now, and what to do), or undefined to answer as
   * usual; asked with inside=false too, so a form-only message ("确认") is caught even where the user is unknown.
   */
  storeDown?(ctx: TurnContext, inside: boolean): string | undefined
  /**
   * With storeDown: inside this skill's flow only that is said while the store is down, a question included (the
   * user is talking to a person, 转人工, not to the bot). Without it, a question is answered with the note after it.
   */
  storeDownOnly?: boolean
}
