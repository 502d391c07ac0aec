import type { Skill, TurnContext } from '../engine/skill.js'
import { text, type Reply } from '../engine/types.js'
import { citation, type Knowledge } from '../knowledge/knowledge.js'
import { assessCoverage } from '../policy/coverage.js'
import { assessmentLines, managerLines, rememberedLine, reportLine, riskName, risksOf } from './coverage-text.js'
import { FOLLOW_UP_MS, lossInMind, mergeFacts, readFacts, rememberLoss, wholeNorm, type LossCase, type MessageFacts } from './loss-facts.js'

// "能不能赔", "统保管吗", "在不在范围内", "赔唔赔"(→赔不赔), "算不算", "can I claim", "is this covered"
const ASKS =
  /能(不能)?赔|赔不赔|可以赔|可不可以赔|能(不能)?(理赔|索赔)|保不保|保吗|管不管|管吗|在不在(保障|承保|保险|统保)?范围|范围(内|之内|里)?吗|属于(保障|承保|保险)|属不属于|算不算|算(保险责任|保障|在内)|能报损|包括吗|包不包括|有没有保障|受不受保障|能不能报|在保障内|有没有得赔|有得赔|会不会赔|会赔吗|赔吗|能获赔|可以(理赔|索赔)|受保障吗|(?:在|属于)(?:统保|保险|承保|保障)?(?:期|期间|期限|有效期)(?:内|之内|里)|(?<![a-z])(can (i|we) (still )?(claim|make a claim)|(is|are) (this|it|that|these|those|we|they|the goods) (still )?(covered|insured)|covered\?|will (it|this|that|we) be (covered|paid|compensated)|does (the |this |our )?(policy|cover|insurance|统保) cover|claimable|can (we|i) get (paid|compensat)|eligible for (a )?(claim|compensation)|in cover)(?![a-z])/
const HOW_MUCH = /赔多少|多少钱|能拿回多少|赔几成|几成|(?<![a-z])(how much|what percent)/
// Questions another skill answers, even right after a coverage answer: "那能赔多少", "找谁", "我要报损".
const OTHER_ASK = /赔多少|多少钱|几成|比例|限额|上限|封顶|出口额|参加|资格|名单|经理|找谁|电话|热线|号码|报损|报案|怎么办|(?<![a-z])(how much|percent|manager|phone|eligib|join|report)/
const FLOW = 'coverage'
const VERSION = 2

/** "2020年3月出运的货能赔吗": checks the facts given against the cover and says what is missing. */
export function createCoverageSkill({ knowledge, reportHint }: { knowledge: Knowledge; reportHint: string }): Skill {
  const scope = knowledge.rules.coverPeriod.source

  function judge(ctx: TurnContext, own: MessageFacts, stored?: LossCase): Reply[] {
    const { loss, remembered } = mergeFacts(ctx, knowledge, own, stored)
    const en = ctx.lang === 'en'
    const a = assessCoverage(knowledge.rules, {
      declared: loss.declared,
      due: loss.due,
      ownName: loss.ownName,
      risks: risksOf(knowledge, loss),
      notCovered: loss.notCovered,
      unsettled: loss.unsettled,
    })
    const note = own.declared?.relative ? { raw: own.declared.raw, ym: own.declared } : undefined
    const l = assessmentLines(a, ctx.lang, note, loss.yearless)
    const cites = [scope, knowledge.risks.source]
    const lines = [en ? 'Checking your case against the 统保 cover:' : '按您说的情况核对统保保障范围：']
    const again = rememberedLine(knowledge, loss, remembered, ctx.lang)
    if (again) lines.push(again)
    for (const f of l.fits) lines.push(en ? `In cover: ${f}` : `符合：${f}`)
    for (const p of l.problems) lines.push(en ? `Not in cover: ${p}` : `不符合：${p}`)
    for (const u of l.unsettled) lines.push(en ? `Not settled: ${u}` : `待核实：${u}`)
    if (l.missing.length) lines.push(en ? `Still needed: ${l.missing.join('; ')}` : `还需要确认：${l.missing.join('；')}`)
    if (loss.lc && !a.cause.risks.some((k) => k.party === 'bank') && (a.verdict !== 'outside' || own.lc)) {
      const bank = knowledge.risks.kinds.filter((k) => k.party === 'bank').map((k) => riskName(k, ctx.lang, false))
      lines.push(en ? `Under an L/C, ${bank.join(' and ')} are listed commercial risks too.` : `信用证结算时，${bank.join('，')}也属于列举的商业风险。`)
    }
    if (a.verdict === 'covered') lines.push(en ? 'Conclusion: covered by the 统保 policy (subject to the formal policy).' : '结论：属于统保保障范围（以正式保单约定为准）。', reportLine(knowledge, ctx.lang, reportHint))
    else if (a.verdict === 'incomplete') lines.push(en ? 'Conclusion: tell me the points above and I will judge.' : '结论：信息还不够，补充以上几点后我再帮您判断。')
    else {
      if (a.verdict === 'outside')
        lines.push(en ? 'Conclusion: this loss is probably not covered by the 统保 policy (subject to the formal policy); ask your account manager if in doubt.' : '结论：这笔损失可能不在统保保障范围内（以正式保单约定为准），有疑问请联系客户经理。')
      else
        lines.push(
          en
            ? 'Conclusion: the policy brief does not say whether this case is paid, so I cannot decide it. Please check with your account manager; the formal policy governs.'
            : '结论：政策简介没有说明这种情况能否赔付，这里不能下结论。请联系客户经理核实，以正式保单约定为准。',
        )
      // Where the brief is silent only the account manager can say; for a clear "outside" only when the district is known.
      const m = managerLines(knowledge, ctx)
      if (a.verdict === 'unsettled' || m.cites.length) {
        lines.push(...m.lines)
        cites.push(...m.cites)
      }
      if (a.verdict === 'unsettled') lines.push(reportLine(knowledge, ctx.lang, reportHint))
    }
    lines.push(en ? 'Countries the policy excludes are set by the formal policy.' : '另外，不予承保的国别以正式保单约定为准。')
    lines.push(...[...new Set(cites)].map((id) => citation(knowledge, id)))
    rememberLoss(ctx, loss)
    ctx.session.flow = { name: FLOW, v: VERSION, step: a.verdict === 'incomplete' ? 'facts' : 'answered', data: { ...loss }, startedAt: ctx.now }
    return [text(lines.join('\n'))]
  }

  /** An elliptical or coverage question that adds coverage facts, and asks nothing another skill answers. */
  function isFollowUp(ctx: TurnContext, own: MessageFacts): boolean {
    return own.found && !OTHER_ASK.test(ctx.norm) && (ctx.reading.leaning || ctx.reading.correcting || ASKS.test(ctx.norm) || ctx.norm.length <= 12)
  }

  return {
    key: FLOW,
    flowVersion: VERSION,
    // "买家破产了，欠我们30万美元，2021年5月出的货，能赔吗": whether it is covered, and about how much.
    companions: ['payout'],
    detect(ctx) {
      const whole = wholeNorm(ctx)
      // "我们2021年3月…报关出口了一批货，买家破产了。": a loss case told without a question, with its month and its
      // cause, is checked against the cover (no figure: a figure makes it the payout estimate's).
      if (ctx.reading.act === 'statement' && whole === ctx.norm && ctx.reading.months.length && !ctx.reading.money.length) {
        const told = readFacts(knowledge, ctx.norm, ctx.now)
        if (told.declared && told.riskIds.length) return true
      }
      // "能赔多少" asks for an amount: the payout estimate answers it (and adds this check when asked "能赔吗").
      if (!ASKS.test(whole) || HOW_MUCH.test(ctx.norm) || (!ctx.reading.asks && HOW_MUCH.test(whole))) return false
      // One clause of "Are we covered? Shipped in July 2022, the buyer is insolvent": the question and its facts are one case.
      if (readFacts(knowledge, ctx.norm, ctx.now).found) return true
      if (!ASKS.test(ctx.norm)) return false
      // "这种能赔吗" right after a loss was described: the remembered facts are the case.
      return (whole !== ctx.norm && readFacts(knowledge, whole, ctx.now).found) || lossInMind(ctx)
    },
    followUp(ctx) {
      return isFollowUp(ctx, readFacts(knowledge, ctx.norm, ctx.now))
    },
    handle: function checkLossCoverage(ctx) {
      const flow = ctx.session.flow
      const stored = flow?.name === FLOW && flow.v === VERSION ? (flow.data as unknown as LossCase) : undefined
      return judge(ctx, readFacts(knowledge, ctx.norm, ctx.now), stored)
    },
    resume(ctx) {
      const flow = ctx.session.flow!
      const stored = flow.data as unknown as LossCase
      const own = readFacts(knowledge, ctx.norm, ctx.now)
      const fresh = ctx.now - flow.startedAt < FOLLOW_UP_MS
      // The answer to "还需要确认：销售合同是否由贵司…签订": a bare yes or no.
      if (fresh && flow.step === 'facts' && stored.ownName === undefined && !own.found) {
        const yes = ctx.reading.answer
        if (yes !== undefined) return judge(ctx, { ...own, ownName: yes, found: true }, stored)
      }
      const answers = flow.step === 'facts' ? own.found && !OTHER_ASK.test(ctx.norm) : isFollowUp(ctx, own)
      if (fresh && answers) return judge(ctx, own, stored)
      delete ctx.session.flow
      return undefined
    },
  }
}
