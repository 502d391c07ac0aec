import type { Skill, TurnContext } from '../engine/skill.js'
import { text, type Reply } from '../engine/types.js'
import { citation, type Knowledge } from '../knowledge/knowledge.js'
import { assessCoverage } from '../policy/coverage.js'
import { formatMonth, formatMonthEn, parseYearMonth } from '../policy/dates.js'
import { assessmentLines, managerLines, rememberedLine, riskName, risksOf } from './coverage-text.js'
import { mergeFacts, readFacts, rememberLoss, wholeNorm, type MessageFacts } from './loss-facts.js'

// "怎么办", "点算"(→怎么办), "第一步干嘛", "what should we do", "需要先跟信保说一声吗"
const ADVICE =
  /怎么办(?!理)|咋办|咋整|怎么处理|如何处理|怎样处理|怎么做|做什么|做些什么|做啥|干嘛|做(啲|些)?(乜|咩)|点(样)?做|点处理|第一步|下一步|接下来|怎么弄|点算|点办|(需要|要不要|需不需要|要先|应该先|是否要|用不用)[^，,。？?]{0,10}(说一声|报案|报损|通知|告知|告诉)|(?<![a-z])(what (should|do|can|must) (we|i) do|what now|what next|what to do|next steps?|how (do|should|can) (we|i) (proceed|handle (it|this)))(?![a-z])/
// "怎么报案", "向谁报损", "报案有时间要求吗", "how do I report a loss"
const HOW_REPORT =
  /(怎么|如何|怎样|去哪|在哪|哪里|到哪|向谁|找谁|跟谁|给谁)(里)?(报损|报案|索赔|申请理赔)|(报损|报案|索赔)(的)?(流程|步骤|手续|怎么报|怎么弄|怎么操作|怎么办|要怎么|方式|渠道)|(什么时候|何时|多久|几时)(内|之内)?(要|需要|得|应该|必须)?(报案|报损)|(报案|报损)(有)?(时间|期限|时限)|(?<![a-z])(how (do|can|should) (we|i) (report|file|make) (a |the )?(loss|claim)|how to (report|file|make) (a |the )?(loss|claim)|where (do|can|should) (we|i) (report|file)|when (do|should|must) (we|i) report)(?![a-z])/
const LOSS = /损失|坏账|出险|出事|收不回|收不到|出了状况|出状况|风险异动|有风险|出问题|(?<![a-z])(loss|losses|bad debt|trouble)(?![a-z])/
// Right after this answer, questions another skill answers: "那能赔多少", "电话多少", "能参加吗".
const OTHER_ASK = /赔多少|多少钱|几成|比例|限额|上限|封顶|出口额|参加|资格|名单|经理|电话|热线|号码|能赔吗|能不能赔|(?<![a-z])(how much|percent|manager|phone|eligib)/
const REPORT_SECTION = 'report'
const ONLINE_SECTION = 'online-services'

/** "买家破产了怎么办", "客户走佬咗点算", "buyer went bust, what should we do": report at once, how, and whether the cause is covered. */
export function createLossAdviceSkill({ knowledge }: { knowledge: Knowledge }): Skill {
  const c = knowledge.contacts
  const phone = c.claimsHotline.phones.join(' / ')
  const from = parseYearMonth(knowledge.rules.coverPeriod.from)
  const to = parseYearMonth(knowledge.rules.coverPeriod.to)
  const has = (id: string) => knowledge.sections.has(id)

  /** A loss or its cause is described ("买家破产了", "出险了", "the buyer won't pay"). */
  function describesLoss(norm: string, now: number): boolean {
    if (LOSS.test(norm)) return true
    const f = readFacts(knowledge, norm, now)
    return f.riskIds.length > 0 || f.unsettled.length > 0 || f.notCovered.length > 0
  }

  function causeLines(ctx: TurnContext, own: MessageFacts, lossSaid: boolean): { lines: string[]; cites: string[] } {
    const en = ctx.lang === 'en'
    const { loss, remembered } = mergeFacts(ctx, knowledge, own)
    rememberLoss(ctx, loss)
    const risks = risksOf(knowledge, loss)
    const a = assessCoverage(knowledge.rules, { declared: loss.declared, due: loss.due, ownName: loss.ownName, risks, notCovered: loss.notCovered, unsettled: loss.unsettled })
    const l = assessmentLines(a, ctx.lang)
    const lines: string[] = []
    const cites: string[] = []
    const again = rememberedLine(knowledge, loss, remembered, ctx.lang)
    if (again) lines.push(again)
    const period = en ? `${formatMonthEn(from)} and ${formatMonthEn(to)}` : `${formatMonth(from)}至${formatMonth(to)}`

    if (a.unsettled.length) {
      const what = a.unsettled.map((u) => (en ? u.en : u.zh)).join(en ? ' and ' : '、')
      lines.push(
        en
          ? `Your case involves ${what}: the policy brief does not say whether such a case is paid. Please check with your account manager; the formal policy governs. Report it anyway.`
          : `您说的情况涉及${what}，政策简介没有说明这种情况能否赔付，请联系客户经理核实，以正式保单约定为准；报案不受影响。`,
      )
      const m = managerLines(knowledge, ctx)
      lines.push(...m.lines)
      cites.push(knowledge.risks.source, ...m.cites)
    } else if (risks.length) {
      const names = risks.map((k) => riskName(k, ctx.lang)).join(en ? ', ' : '、')
      lines.push(en ? `The cause you describe is a listed risk: ${names}.` : `您说的情况属于列举的保障风险：${names}。`)
      cites.push(knowledge.risks.source)
    } else if (a.cause.status === 'unlisted') {
      lines.push(...l.problems.filter((p) => p.includes(a.cause.notCovered[0]!)).map((p) => (en ? `Note: ${p}.` : `注意：${p}。`)))
      cites.push(knowledge.risks.source)
    } else if (lossSaid) {
      // A loss without its cause ("出险了第一步干嘛"): which causes the cover lists.
      const list = (type: 'commercial' | 'political') =>
        knowledge.risks.kinds
          .filter((k) => k.type === type)
          .map((k) => riskName(k, ctx.lang, false))
          .join(en ? ', ' : '、')
      cites.push(knowledge.risks.source)
      lines.push(en ? `The listed risks are commercial (${list('commercial')}) and political (${list('political')}).` : `统保保障的风险：商业风险（${list('commercial')}）；政治风险（${list('political')}）。`)
    }

    if (loss.lc && !risks.some((k) => k.party === 'bank')) {
      const bank = knowledge.risks.kinds.filter((k) => k.party === 'bank').map((k) => riskName(k, ctx.lang, false))
      lines.push(en ? `Under an L/C, ${bank.join(' and ')} are listed commercial risks too.` : `信用证结算时，${bank.join('，')}也属于列举的商业风险。`)
    }
    // What the facts already say about the cover; the conditions still to check otherwise.
    const outside = [...l.problems].filter((p) => a.cause.status !== 'unlisted' || !p.includes(a.cause.notCovered[0]!))
    if (outside.length) {
      lines.push(en ? `However: ${outside.join('; ')}; the loss may not be covered (subject to the formal policy). Tell the account manager when you report.` : `不过，${outside.join('；')}，可能不在统保保障范围内（以正式保单约定为准），报案时请向客户经理说明。`)
      cites.push(knowledge.rules.coverPeriod.source)
    } else if (a.verdict === 'covered') {
      lines.push(en ? 'With the facts you gave, it is within the 统保 cover (subject to the formal policy).' : '按您说的情况，属于统保保障范围（以正式保单约定为准）。')
      cites.push(knowledge.rules.coverPeriod.source)
    } else if (!a.unsettled.length && risks.length) {
      lines.push(
        en
          ? `Whether it is paid also depends on the goods being declared for export between ${period} and on the contract being signed and declared in your firm’s name (subject to the formal policy).`
          : `能否获赔还要看报关时间是否在${period}之间、合同是否由贵司签订并以贵司名义报关（以正式保单约定为准）。`,
      )
      cites.push(knowledge.rules.coverPeriod.source)
    }
    return { lines, cites }
  }

  function advise(ctx: TurnContext): Reply[] {
    const en = ctx.lang === 'en'
    const own = readFacts(knowledge, ctx.norm, ctx.now)
    const lines = en
      ? [
          `Report it to ${c.insurer.name} at once: as soon as a receivable is overdue, or you see signs of trouble with the buyer or the buyer’s country, even before the payment is due.`,
          'How to report:',
          `1. By phone: the claims hotline (${c.claimsHotline.label}) ${phone};`,
          `2. Online: the 单一窗口 (Single Window) ${c.singleWindowUrl.url} , online loss reporting and claims (线上报损核赔);`,
          '3. Or reply “报损” and I will register it here step by step and notify your district’s account manager.',
        ]
      : [
          `请第一时间向${c.insurer.name}报案：海外应收账款逾期未收，或发现买方、买方所在国存在风险异动，都要马上报，不必等到付款到期日。`,
          '报案方式：',
          `1. 电话：${c.claimsHotline.label} ${phone}；`,
          `2. 线上：登录中国（深圳）国际贸易单一窗口 ${c.singleWindowUrl.url} ，使用“线上报损核赔”服务；`,
          '3. 也可以回复“报损”由我在线登记（一问一答，登记后通知贵司所在区的客户经理）。',
        ]
    const cause = causeLines(ctx, own, LOSS.test(wholeNorm(ctx)))
    lines.push(...cause.lines)
    const cites = [REPORT_SECTION, ONLINE_SECTION, c.singleWindowUrl.source, c.claimsHotline.source, ...cause.cites].filter(has)
    lines.push(...[...new Set(cites)].map((id) => citation(knowledge, id)))
    return [text(lines.join('\n'))]
  }

  return {
    key: 'loss-advice',
    detect(ctx) {
      if (HOW_REPORT.test(ctx.norm)) return true
      // "The buyer went bust. What should we do?": the loss and the question may sit in different clauses.
      const whole = wholeNorm(ctx)
      if (!ADVICE.test(whole)) return false
      return describesLoss(ctx.norm, ctx.now) || (ADVICE.test(ctx.norm) && whole !== ctx.norm && describesLoss(whole, ctx.now))
    },
    followUp(ctx) {
      if (OTHER_ASK.test(ctx.norm)) return false
      return HOW_REPORT.test(ctx.norm) || readFacts(knowledge, ctx.norm, ctx.now).found
    },
    handle: advise,
  }
}
