import type { Logger } from 'pino'
import type { Store } from '../store/types.js'
import { runTurn, StoreUnavailableError } from '../store/types.js'
import { maskPersonalData } from '../text/mask.js'
import { detectLang } from '../text/lang.js'
import type { Reader } from '../understand/reading.js'
import { mergeAnswers, oneSourceLine } from './compose.js'
import type { Skill, TurnContext } from './skill.js'
import { SESSION_VERSION, newSession, ownerKey, text, type InboundMessage, type Reply, type Session } from './types.js'

export interface EngineOptions {
  store: Store
  /** Tried in order; the first whose detect() matches handles the turn. */
  skills: Skill[]
  /** Handles whatever no skill claimed (policy Q&A). */
  otherwise: Skill
  logger: Logger
  /** The understanding stage: each message (and each part of it) is read once, here. */
  reader: Reader
  now?: () => number
  /** Run on every message before routing, to remember facts any later skill may use (the firm's district). */
  observe?: (ctx: TurnContext) => void
  /**
   * Run after every turn that has the session, before it is saved; returns the replies to send (it may add to
   * them). What needs the turn's replies and its session together: the conversation kept for staff, and a
   * person's messages (转人工) given in the user's next turn.
   */
  after?: (ctx: TurnContext, replies: Reply[]) => Promise<Reply[]> | Reply[]
}

export interface Engine {
  handle(message: InboundMessage): Promise<Reply[]>
}

const STORE_DOWN = '系统暂时无法保存对话，这一步请稍后再试。政策问题、客户经理查询可以照常提问。'
/** Users remembered as being inside a form, for the store-down path (most recent last). */
const MAX_FORM_MARKS = 10_000
const NO_MEMORY = '（系统暂时记不住上下文，回答时请把情况在一句话里说全。）'
const FLOW_RESET = '系统已升级，您之前未完成的办理无法继续，请重新开始。'
const STORE_WIPED = '抱歉，系统的记录刚出过故障，之前的对话可能没有保存下来。如果您之前在等人工客服，请回复“转人工”重新排队；如果正在填报损，请回复“报损”重新开始；已经拿到报案编号的，请以编号联系客户经理。'
/** A follow-up refers to the last answer only for this long. */
const TOPIC_TTL_MS = 30 * 60 * 1000
/** More clauses than this are not split into separate questions (and cost nothing extra to route). */
const MAX_PARTS = 6

/** The channel-agnostic core: load session → route → run skill → save session → replies. */
export function createEngine({ store, skills, otherwise, logger, reader, now = Date.now, observe, after }: EngineOptions): Engine {
  const byKey = new Map(skills.map((s) => [s.key, s]))
  /*
   * Which users' last turn on this instance ended inside a form (owner key → the form's skill). When the store is
   * down, their session cannot be read, and "确认" or "德国" would otherwise be answered from a blank session by
   * retrieval; with the mark they are told the form cannot be saved now. Bounded, in this process only.
   */
  const formMarks = new Map<string, string>()
  function markForm(owner: string, session: Session | undefined): void {
    formMarks.delete(owner)
    const flow = session?.flow
    if (!flow || !byKey.get(flow.name)?.storeDown) return
    formMarks.set(owner, flow.name)
    if (formMarks.size > MAX_FORM_MARKS) formMarks.delete(formMarks.keys().next().value!)
  }

  async function turn(ctx: TurnContext): Promise<Reply[]> {
    observe?.(ctx)
    const flow = ctx.session.flow
    if (!flow) return route(ctx)
    const owner = byKey.get(flow.name)
    // The stored flow may be out of date (a report filed before a crash lost the session): its skill says so first.
    const settled = owner?.settle && owner.flowVersion === flow.v ? await owner.settle(ctx) : undefined
    if (settled) return settled
    if (!owner?.resume || owner.flowVersion !== flow.v) {
      delete ctx.session.flow
      return [text(FLOW_RESET), ...(await route(ctx))]
    }
    // "谢谢", "hello" while a one-question follow-up waits ("哪个区？"): the question is dropped, the greeting answered.
    // A form (the loss report) keeps its draft and handles greetings itself; a bare digit may be its answer.
    if (!owner.reminder && !/^\d+$/.test(ctx.norm) && skills.some((s) => s.transient && s.detect(ctx))) {
      delete ctx.session.flow
      return route(ctx)
    }
    const intent = ctx.message.intent
    // A menu click goes to its skill; only the flow's own button lets the flow handle it.
    // A skill that interrupts (转人工) is heard before the flow reads the message as an answer.
    const interrupted = !intent && skills.some((s) => s.interrupts && s !== owner && s.detect(ctx))
    if ((!intent || intent === flow.name) && !interrupted) {
      const replies = intent ? await (owner.start ?? owner.handle)(ctx) : await owner.resume(ctx)
      if (replies) {
        // A flow that handed the message to another skill (a figure's role told) leaves that skill's topic.
        ctx.session.profile.topic = ctx.session.flow?.name ?? owner.key
        ctx.session.profile.topicAt = ctx.now
        return replies
      }
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
    if (chosen) return answer(chosen, ctx, chosen.start ?? chosen.handle)
    const parts = split(ctx)
    if (parts) return answerParts(ctx, parts)
    const skill = pick(ctx)
    const companions = (skill.companions ?? []).flatMap((key) => {
      const other = byKey.get(key)
      return other && other.detect(ctx) ? [other] : []
    })
    if (companions.length) return answerParts(ctx, [skill, ...companions].map((s) => ({ skill: s, ctx })))
    return answer(skill, ctx)
  }

  /** The skill for one question: a follow-up of the last topic, else the first that recognises it, else Q&A. */
  function pick(ctx: TurnContext): Skill {
    const { topic, topicAt } = ctx.session.profile
    const recent = topic && topicAt !== undefined && ctx.now - topicAt < TOPIC_TTL_MS ? (byKey.get(topic) ?? (topic === otherwise.key ? otherwise : undefined)) : undefined
    // A form (the loss report) continues through resume(); a question asked during it is a detour, not its follow-up.
    const last = recent?.reminder ? undefined : recent
    // "那南山呢" leans on the last answer; so may a very short message ("电话多少"), but only if that skill claims it.
    const elliptical = !!last && ctx.norm.length <= 30 && ctx.reading.leaning
    const short = !!last && ctx.norm.length <= 6
    // "不对，是600万美元": the same question again with the corrected fact, if the last topic takes that fact.
    const correcting = !!last && ctx.norm.length <= 40 && ctx.reading.correcting
    if ((elliptical || short || correcting) && last.followUp?.(ctx)) return last
    return skills.find((s) => s.detect(ctx)) ?? (elliptical ? last : otherwise)
  }

  async function answer(skill: Skill, ctx: TurnContext, run: Skill['handle'] = skill.handle): Promise<Reply[]> {
    const replies = await run(ctx)
    if (!skill.transient) {
      ctx.session.profile.topic = ctx.session.flow?.name ?? skill.key
      ctx.session.profile.topicAt = ctx.now
    }
    return replies
  }

  /**
   * "我们在福永，2020年出口600万美元，能参加吗？找谁办？": when the clauses ask different skills, each skill answers
   * its own clauses (plus the statements, which carry the facts), and the answers are merged into one reply.
   */
  function split(ctx: TurnContext): Array<{ skill: Skill; ctx: TurnContext }> | undefined {
    // Greetings and politeness around the question are not parts to answer.
    const found = ctx.reading.clauses
    if (found.length < 2 || found.length > MAX_PARTS) return undefined
    if (skills.some((s) => s.exclusive && s.detect(ctx))) return undefined
    const tagged: Array<{ clause: string; skill: Skill | undefined; separate?: boolean }> = []
    for (const { text: clause, asked, separate } of found) {
      const c = narrow(ctx, clause)
      const skill = skills.find((s) => !s.transient && s.detect(c)) ?? (asked || c.reading.asks ? otherwise : undefined)
      const before = tagged.at(-1)
      // "想问下具体怎么办", "叫咩名": a question no skill takes and the knowledge base cannot answer alone leans on the
      // part before it; it is read with that part, not answered "没有找到" on its own.
      if (skill === otherwise && before?.skill && !separate && otherwise.canAnswer?.(c) === false) {
        before.clause = `${before.clause}，${clause}`
        continue
      }
      tagged.push({ clause, skill, separate })
    }
    // A skill answers all its clauses at once; each policy question is retrieved on its own.
    const groups = new Map<string, { skill: Skill; clauses: string[] }>()
    tagged.forEach(({ clause, skill, separate }, i) => {
      if (!skill) return
      // Each policy question, and each question of "X和Y分别…", is answered on its own.
      const key = skill === otherwise || separate ? `${skill.key}#${i}` : skill.key
      const group = groups.get(key) ?? { skill, clauses: [] }
      group.clauses.push(clause)
      groups.set(key, group)
    })
    if (groups.size < 2) return undefined
    const statements = tagged.filter((t) => !t.skill).map((t) => t.clause)
    // A form the user asked to start goes last, so its first question ends the reply.
    const parts = [...groups.values()].sort((a, b) => Number(!!a.skill.reminder) - Number(!!b.skill.reminder))
    return parts.map(({ skill, clauses: own }) => ({
      skill,
      // Statements carry facts for the rules ("我们在福永"); a policy question is searched on its own words.
      ctx: narrow(ctx, (skill === otherwise ? own : [...statements, ...own]).join('，')),
    }))
  }

  async function answerParts(ctx: TurnContext, parts: Array<{ skill: Skill; ctx: TurnContext }>): Promise<Reply[]> {
    // Each part may leave a small flow (a question back to the user, or listening for a figure). The first part's is
    // kept, and the topic is the skill that owns it: a follow-up answers the first question left open.
    const before = ctx.session.flow
    let kept: { flow: NonNullable<Session['flow']>; skill: Skill } | undefined
    const answers: Reply[][] = []
    for (const part of parts) {
      delete ctx.session.flow
      answers.push(await answer(part.skill, part.ctx))
      if (ctx.session.flow && !kept) kept = { flow: ctx.session.flow, skill: part.skill }
    }
    ctx.session.flow = kept?.flow ?? before
    const topic = kept?.skill ?? parts[0]!.skill
    if (!topic.transient) ctx.session.profile.topic = topic.key
    return mergeAnswers(answers)
  }

  /** The same turn, looking at one part of the message. */
  function narrow(ctx: TurnContext, part: string): TurnContext {
    const reading = reader.read(part, ctx.now)
    return { ...ctx, text: reading.text, norm: reading.norm, reading }
  }

  function context(message: InboundMessage, session: Session, t: number): TurnContext {
    // "2" or "12.5" after an English menu or question stays in English; any words set the language again.
    const worded = /[\p{L}]/u.test(message.text)
    const lang = worded ? detectLang(message.text) : (session.profile.lang ?? 'zh')
    if (worded) session.profile.lang = lang
    const reading = reader.read(message.text, t)
    return { message, text: reading.text, norm: reading.norm, reading, session, now: t, lang }
  }

  /**
   * The store is down: answer what needs no memory (policy Q&A, routing, rules) from a blank session.
   * Anything that would start or continue a multi-turn flow, or read stored data, says it is unavailable.
   * A user known to be inside a form (`inForm`: the session read before the failure, or this instance's mark) is
   * told the form cannot be saved now and what to do; a question of theirs is still answered, with that note —
   * except inside a conversation with a person (转人工, storeDownOnly): there only the note, never a bot answer.
   */
  async function statelessTurn(message: InboundMessage, t: number, inForm: string | undefined): Promise<Reply[]> {
    const session = newSession(ownerKey(message), t)
    const ctx = context(message, session, t)
    const form = inForm ? byKey.get(inForm) : undefined
    const formNote = form?.storeDown?.(ctx, true)
    // Their form answer ("德国", "确认") gets only the note; a question or a request a rule skill knows
    // ("南山区客户经理") is answered too, with the note after it.
    const asks = ctx.reading.asks || skills.some((s) => s !== form && s.detect(ctx))
    if (formNote && (!asks || form?.storeDownOnly)) return [text(formNote)]
    // A message that only makes sense inside a form ("确认"), from a user this instance does not know.
    const formOnly = formNote ? undefined : skills.map((s) => s.storeDown?.(ctx, false)).find((note) => note !== undefined)
    if (formOnly) return [text(formOnly)]
    try {
      const replies = await turn(ctx)
      if (formNote) return [...replies, text(`（${formNote}）`)]
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
      const owner = ownerKey(message)
      // The flow the user was in, once the session is read: if saving it fails, the store-down answer knows.
      let readFlow: string | undefined
      let turned: Session | undefined
      try {
        const replies = await runTurn(store, owner, async (stored) => {
          readFlow = stored?.flow?.name
          const session = stored && stored.v === SESSION_VERSION ? stored : newSession(owner, t)
          const ctx = context(message, session, t)
          if (logger.isLevelEnabled('debug')) {
            logger.debug({ channel: message.channel, user: message.userId, text: maskPersonalData(ctx.text), flow: session.flow?.step }, 'turn')
          }
          // One combined source line per reply, however many parts and skills answered.
          const answered = (await turn(ctx)).map((r) => ({ ...r, text: oneSourceLine(r.text) }))
          const replies = after ? await after(ctx, answered) : answered
          // No session after the store was found wiped: this user may have lost a handoff or a form midway.
          if (!stored && store.wipedAt?.() !== undefined) replies.unshift(text(STORE_WIPED))
          session.updatedAt = t
          turned = session
          return { session, result: replies }
        })
        markForm(owner, turned)
        return replies
      } catch (err) {
        if (!(err instanceof StoreUnavailableError)) throw err
        logger.warn({ err: err.message, channel: message.channel }, 'store unavailable; answering without the session')
        return (await statelessTurn(message, t, readFlow ?? formMarks.get(owner))).map((r) => ({ ...r, text: oneSourceLine(r.text) }))
      }
    },
  }
}
