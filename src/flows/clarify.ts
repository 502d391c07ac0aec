import type { Skill, TurnContext } from '../engine/skill.js'
import { text, type Reply } from '../engine/types.js'
import type { Reader } from '../understand/reading.js'

/*
 * "500万美元可以吗", "800万", "30万美元能行吗": a figure with nothing to say what it is. It may be the 2020 exports
 * (can we join?) or a loss (how much is paid?); guessing either gives a confident answer to a question not asked.
 * One short question back, and the answer ("1", "出口额", "损失") sends the figure to the skill it belongs to.
 */
const FLOW = 'clarify-figure'
const VERSION = 1
// What the figure is said to be, in the reply to the question (or anywhere in a message this one does not take).
const EXPORTS = /^1$|出口|外贸|营业额|参加|资格|(?<![a-z])(?:exports?|turnover|join|eligib\w*)(?![a-z])/
const LOSS = /^2$|损失|欠|赔|货款|没付|不付|坏账|(?<![a-z])(?:loss|owe[sd]?|unpaid|payout|claim)(?![a-z])/
// Words that already give the figure a role or a topic: another skill's business, or the knowledge base's.
const HAS_ROLE = /出口|外贸|营业额|销售额|营收|损失|欠|赔|货款|付|还了|限额|上限|封顶|保费|费率|资信|名单|经理|电话|报损|报案|保单|年|月|(?<![a-z])(?:exports?|turnover|revenue|loss|owe|paid|limit|premium|fee)(?![a-z])/
const LEAD = /^(?:我们公司|我们|我司|公司|我|we|our)\s*/i
const TAIL = /\s*(?:可以|能行|行不行|可不可以|怎么样|ok|okay)?\s*(?:吗|呢|吧|么)?[\s?？。.!！~]*$/i
// "不对，看错表了，是", "其实系": the correction's words before the figure.
const CORRECTING = /^.*?(?:是|系|为|is|was)\s*(?=[\d一二三四五六七八九十两几$])/i
/** A follow-up leans on the last answer for this long (as the engine's topic). */
const TOPIC_MS = 30 * 60 * 1000
/** A figure said alone is a short message; a long one with a figure is something else. */
const MAX_LENGTH = 24

export interface ClarifyDeps {
  reader: Reader
  eligibility: Skill
  payout: Skill
}

export function createClarifyFigureSkill({ reader, eligibility, payout }: ClarifyDeps): Skill {
  /** The same turn, as if the user had said `said` (their figure, with its role spelled out). */
  function as(ctx: TurnContext, said: string): TurnContext {
    const reading = reader.read(said, ctx.now)
    return { ...ctx, text: reading.text, norm: reading.norm, reading }
  }

  /** The figure as said, with its "大概" or "多" ("大概700万美金"), without the pronoun and the question around it. */
  function figureAsSaid(ctx: TurnContext): string {
    const m = ctx.reading.money[0]!
    const said = ctx.text.replace(CORRECTING, '').replace(LEAD, '').replace(TAIL, '')
    return said.includes(m.raw) && said.length <= m.raw.length + 6 ? said : m.raw
  }

  /**
   * A correction or a "what if" right after the eligibility or payout answer ("不对，是600万美元", "其实系820万美金",
   * "那如果是20万呢"): the figure is what that answer was about, so nothing needs asking.
   */
  function roleFromTopic(ctx: TurnContext): 'exports' | 'loss' | undefined {
    const { topic, topicAt } = ctx.session.profile
    if (topicAt === undefined || ctx.now - topicAt > TOPIC_MS || !(ctx.reading.correcting || ctx.reading.leaning)) return undefined
    return topic === eligibility.key ? 'exports' : topic === payout.key ? 'loss' : undefined
  }

  async function answerAs(ctx: TurnContext, role: 'exports' | 'loss', raw: string): Promise<Reply[]> {
    delete ctx.session.flow
    if (role === 'exports') {
      const said = ctx.lang === 'en' ? `Our 2020 exports were ${raw}` : `2020年出口额${raw}`
      return eligibility.handle(as(ctx, said))
    }
    const said = ctx.lang === 'en' ? `The buyer owes us ${raw}, how much can we get?` : `买家欠了${raw}，能赔多少`
    return payout.handle(as(ctx, said))
  }

  return {
    key: FLOW,
    flowVersion: VERSION,
    detect(ctx) {
      const money = ctx.reading.money
      if (money.length !== 1 || HAS_ROLE.test(ctx.norm) || ctx.reading.place || ctx.reading.stated.length) return false
      // "不对，看错表了，是600万美元" right after an eligibility or payout answer: the figure is that answer's.
      return ctx.norm.length <= MAX_LENGTH || roleFromTopic(ctx) !== undefined
    },
    handle: function askWhatTheFigureIs(ctx) {
      // Reached without a figure ("损失呢" leaning on this question after the user went elsewhere): ask for both.
      if (!ctx.reading.money.length) {
        return [text(ctx.lang === 'en' ? 'Please give the amount and say whether it is your 2020 exports or a loss.' : '请告诉我金额，并说明是2020年的出口额还是损失金额。')]
      }
      const known = roleFromTopic(ctx)
      if (known) return answerAs(ctx, known, figureAsSaid(ctx))
      const raw = figureAsSaid(ctx)
      ctx.session.flow = { name: FLOW, v: VERSION, step: 'role', data: { raw }, startedAt: ctx.now }
      return [
        text(
          ctx.lang === 'en'
            ? `Is ${raw} (1) your firm's 2020 exports — to check whether you can join, or (2) a loss — to estimate the payout? Reply 1 or 2.`
            : `您说的${raw}是：\n1. 贵司2020年的出口额（看能不能参加统保）\n2. 损失金额（估算能赔多少）\n回复1或2。`,
        ),
      ]
    },
    resume(ctx) {
      const raw = String(ctx.session.flow!.data.raw ?? '')
      // A new figure with its role, or anything else: answered afresh (the question is dropped).
      if (ctx.reading.money.length) {
        delete ctx.session.flow
        return undefined
      }
      if (EXPORTS.test(ctx.norm) && !LOSS.test(ctx.norm)) return answerAs(ctx, 'exports', raw)
      if (LOSS.test(ctx.norm) && !EXPORTS.test(ctx.norm)) return answerAs(ctx, 'loss', raw)
      // Another number ("3"): not a menu pick here, the question again.
      if (/^\d+$/.test(ctx.norm)) return [text(ctx.lang === 'en' ? 'Please reply 1 (2020 exports) or 2 (a loss).' : '请回复1（2020年出口额）或2（损失金额）。')]
      delete ctx.session.flow
      return undefined
    },
  }
}
