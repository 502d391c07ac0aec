import type { Skill, TurnContext } from '../engine/skill.js'
import { text, type Reply, type WorkingFacts } from '../engine/types.js'
import { citation, type Knowledge } from '../knowledge/knowledge.js'
import type { RiskKind } from '../knowledge/schema.js'
import { assessCoverage, findOwnName, findRisks, splitMonths, type CoverageAssessment } from '../policy/coverage.js'
import { findMonths, findYearlessMonths, formatMonth, formatMonthEn } from '../policy/dates.js'
import { normalize } from '../text/normalize.js'
import { standardWording } from '../text/colloquial.js'
import { managersOf } from './shared.js'

// "能不能赔", "统保管吗", "在不在范围内", "赔唔赔"(→赔不赔), "算不算", "can I claim", "is this covered"
const ASKS =
  /能(不能)?赔|赔不赔|可以赔|可不可以赔|能(不能)?(理赔|索赔)|保不保|保吗|管不管|管吗|在不在(保障|承保|保险|统保)?范围|范围(内|之内|里)?吗|属于(保障|承保|保险)|属不属于|算不算|算(保险责任|保障|在内)|能报损|包括吗|包不包括|有没有保障|受不受保障|能不能报|在保障内|有没有得赔|有得赔|会不会赔|会赔吗|赔吗|能获赔|可以(理赔|索赔)|受保障吗|(?<![a-z])(can (i|we) (still )?(claim|make a claim)|(is|are) (this|it|that|these|those|we|they|the goods) (still )?(covered|insured)|covered\?|will (it|this|that|we) be (covered|paid|compensated)|does (the |this |our )?(policy|cover|insurance|统保) cover|claimable|can (we|i) get (paid|compensat)|eligible for (a )?(claim|compensation)|in cover)(?![a-z])/
// Questions another skill answers, even right after a coverage answer: "那能赔多少", "找谁", "我要报损".
const OTHER_ASK = /赔多少|多少钱|几成|比例|限额|上限|封顶|出口额|参加|资格|名单|经理|找谁|电话|热线|号码|报损|报案|怎么办|(?<![a-z])(how much|percent|manager|phone|eligib|join|report)/
// "那2021年的货呢", "如果是信用证呢", "what about goods shipped in July 2022?"
const ELLIPTICAL = /^(那|那么|如果|要是|假如|假设|换成|换做|若|还有|另外|what about|how about|and if|what if|if |and )|呢[\s?？!！。.~]*$/
const YES = /^(是|是的|对|对的|没错|嗯|是啊|是呀|yes|yep|correct|right|we did)[。.!！]*$/
const NO = /^(不是|否|不对|没有|no|nope|not|we did not|we didn't)[。.!！]*$/
const LC_YES = /信用证|l\/c|(?<![a-z])lc(?![a-z])|开证行|letter of credit|issuing bank/
const LC_NO = /电汇|t\/t|(?<![a-z])tt(?![a-z])|赊销|o\/a|托收|d\/p|d\/a|不是信用证|非信用证|open account|wire transfer/
const FLOW = 'coverage'
const VERSION = 2
/** Remembered coverage facts apply to follow-ups for this long. */
const FOLLOW_UP_MS = 30 * 60 * 1000

type Ym = { year: number; month?: number }

/** The whole message, normalised like ctx.norm, when the engine hands a skill one clause of it. */
export function wholeNorm(ctx: TurnContext): string {
  return ctx.text === ctx.message.text.trim() ? ctx.norm : standardWording(normalize(ctx.message.text))
}

const LOSS_TOPICS = new Set(['coverage', 'loss-advice', 'payout'])

/** A loss described in the last half hour, whose facts a short question ("能赔吗") refers to. */
export function lossInMind(ctx: TurnContext): boolean {
  const p = ctx.session.profile
  return !!(p.riskIds?.length || p.declared) && !!p.topic && LOSS_TOPICS.has(p.topic) && p.topicAt !== undefined && ctx.now - p.topicAt < FOLLOW_UP_MS
}

/** The coverage facts of one loss, as stored in the flow and merged across messages. */
export interface LossCase {
  declared?: Ym
  due?: Ym
  ownName?: boolean
  lc?: boolean
  riskIds: string[]
  notCovered: string[]
  unsettled: string[]
  /** A month given without its year ("6月30号报关"), kept until the year is known. */
  yearless?: { month: number; day?: number; raw: string }
}

/** What one message says about a loss; `found` when it says anything. */
export interface MessageFacts {
  declared?: Ym & { raw: string; relative: boolean }
  due?: Ym
  yearless?: { month: number; day?: number; raw: string }
  ownName?: boolean
  lc?: boolean
  riskIds: string[]
  notCovered: string[]
  unsettled: string[]
  found: boolean
}

/** Read the loss facts a message states: declaration month, cause, own-name contract, L/C. */
export function readFacts(knowledge: Knowledge, norm: string, now: number): MessageFacts {
  const dated = findMonths(norm, new Date(now))
  const months = splitMonths(norm, dated)
  const yearless = months.declared ? undefined : findYearlessMonths(norm, dated)[0]
  const r = findRisks(knowledge.risks, norm)
  const ownName = findOwnName(norm)
  const lc = LC_NO.test(norm) ? false : LC_YES.test(norm) ? true : undefined
  const d = months.declared
  const facts: MessageFacts = {
    declared: d && { year: d.year, month: d.month, raw: d.raw, relative: d.relative },
    due: months.due && { year: months.due.year, month: months.due.month },
    yearless: yearless && { month: yearless.month, day: yearless.day, raw: yearless.raw },
    ownName,
    lc,
    riskIds: r.kinds.map((k) => k.id),
    notCovered: r.notCovered,
    unsettled: r.unsettled,
    found: false,
  }
  facts.found = !!(d || months.due || yearless || ownName !== undefined || lc !== undefined || r.kinds.length || r.notCovered.length || r.unsettled.length)
  return facts
}

/** The message's facts over the remembered ones; `remembered` names what was reused, for "按您前面说的…". */
export function mergeFacts(ctx: TurnContext, knowledge: Knowledge, own: MessageFacts, stored?: LossCase): { loss: LossCase; remembered: Array<keyof WorkingFacts> } {
  const p = ctx.session.profile
  const remembered: Array<keyof WorkingFacts> = []
  // A part of a longer message: facts in the other parts were said now, not earlier.
  const all = wholeNorm(ctx)
  const whole = all !== ctx.norm ? readFacts(knowledge, all, ctx.now) : own
  const pick = <T>(key: keyof WorkingFacts, mine: T | undefined, inMessage: T | undefined, before: T | undefined): T | undefined => {
    if (mine !== undefined) return mine
    if (inMessage !== undefined) return inMessage
    if (before !== undefined) remembered.push(key)
    return before
  }
  const knownRisk = (ids: string[] | undefined) => ids?.filter((id) => knowledge.risks.kinds.some((k) => k.id === id))
  const loss: LossCase = {
    riskIds: [],
    notCovered: [],
    unsettled: [],
    due: own.due ?? stored?.due,
    lc: pick('lc', own.lc, whole.lc, stored?.lc ?? p.lc),
    ownName: pick('ownName', own.ownName, whole.ownName, stored?.ownName ?? p.ownName),
  }
  const said = own.declared ?? whole.declared
  const monthOnly = own.yearless ?? whole.yearless
  const before = stored?.declared ?? p.declared
  if (said) {
    // "2022年" answering "您说的6月30号是哪一年": the month said before, the year said now.
    const pending = !said.month ? stored?.yearless : undefined
    loss.declared = { year: said.year, month: pending ? pending.month : said.month }
  } else if (monthOnly && before) {
    // "那6月30号报关的呢" after "2022年…": the year said before, the month said now.
    loss.declared = { year: before.year, month: monthOnly.month }
    remembered.push('declared')
  } else if (monthOnly ?? stored?.yearless) loss.yearless = monthOnly ?? stored?.yearless
  else loss.declared = pick('declared', undefined, undefined, before)

  // The cause: a newly named risk replaces the old cause; a dispute alone adds to it.
  const src = own.riskIds.length || own.notCovered.length || own.unsettled.length ? own : whole.riskIds.length || whole.notCovered.length || whole.unsettled.length ? whole : undefined
  if (src && (src.riskIds.length || src.notCovered.length)) {
    loss.riskIds = src.riskIds
    loss.notCovered = src.notCovered
    loss.unsettled = src.unsettled
  } else {
    const ids = knownRisk(stored?.riskIds.length ? stored.riskIds : p.riskIds) ?? []
    if (ids.length) remembered.push('riskIds')
    loss.riskIds = ids
    loss.notCovered = stored?.notCovered ?? []
    loss.unsettled = [...new Set([...(stored?.unsettled ?? []), ...(src?.unsettled ?? [])])]
  }
  return { loss, remembered }
}

/** Write what the answer used into the working facts other skills read. */
export function rememberLoss(ctx: TurnContext, loss: LossCase): void {
  const p = ctx.session.profile
  if (loss.declared) p.declared = loss.declared
  if (loss.riskIds.length) p.riskIds = loss.riskIds
  if (loss.lc !== undefined) p.lc = loss.lc
  if (loss.ownName !== undefined) p.ownName = loss.ownName
}

const EN_RISK: Record<string, string> = {
  'buyer-insolvency': 'buyer bankruptcy or insolvency',
  'buyer-default': 'the buyer’s non-payment (payment default)',
  'buyer-refusal': 'the buyer’s refusal to accept the goods',
  'bank-insolvency': 'the issuing bank’s bankruptcy, closure or takeover',
  'bank-default': 'the issuing bank’s default or refusal to accept (honour)',
  war: 'war or civil unrest',
  'trade-control': 'trade control, such as an import ban',
  'fx-control': 'foreign-exchange control',
}

/** A risk kind's name in the answer's language, with its type: "买家破产、无力偿还债务（商业风险）". */
export function riskName(k: RiskKind, lang: 'zh' | 'en', withType = true): string {
  if (lang === 'en') return `${EN_RISK[k.id] ?? k.label}${withType ? ` (${k.type === 'commercial' ? 'commercial' : 'political'} risk)` : ''}`
  return `${k.label}${withType ? `（${k.type === 'commercial' ? '商业风险' : '政治风险'}）` : ''}`
}

const ORDER: Array<keyof WorkingFacts> = ['declared', 'riskIds', 'lc', 'ownName']

/** "按您前面说的：2021年5月报关，买家破产、无力偿还债务。" — only what the answer reused. */
export function rememberedLine(knowledge: Knowledge, loss: LossCase, keys: Array<keyof WorkingFacts>, lang: 'zh' | 'en'): string | undefined {
  const parts: string[] = []
  for (const key of ORDER.filter((k) => keys.includes(k))) {
    if (key === 'declared' && loss.declared) parts.push(lang === 'en' ? `declared for export in ${formatMonthEn(loss.declared)}` : `${formatMonth(loss.declared)}报关`)
    if (key === 'riskIds') parts.push(...risksOf(knowledge, loss).map((k) => riskName(k, lang, false)))
    if (key === 'lc' && loss.lc !== undefined) parts.push(lang === 'en' ? (loss.lc ? 'paid by L/C' : 'not an L/C') : loss.lc ? '信用证结算' : '不是信用证结算')
    if (key === 'ownName' && loss.ownName !== undefined)
      parts.push(lang === 'en' ? (loss.ownName ? 'contract signed and declared in your name' : 'contract not signed or declared in your name') : loss.ownName ? '以贵司名义签约报关' : '不是以贵司名义签约报关')
  }
  if (!parts.length) return undefined
  return lang === 'en' ? `Based on what you told me earlier: ${parts.join('; ')}.` : `按您前面说的：${parts.join('，')}。`
}

export function risksOf(knowledge: Knowledge, loss: LossCase): RiskKind[] {
  return knowledge.risks.kinds.filter((k) => loss.riskIds.includes(k.id))
}

/** The district's account manager, or a request for the district: where the brief leaves a case open. */
export function managerLines(knowledge: Knowledge, ctx: TurnContext): { lines: string[]; cites: string[] } {
  const d = ctx.session.profile.district
  const en = ctx.lang === 'en'
  const who = d && managersOf(knowledge, d)
  if (who) return { lines: [en ? `Account manager for ${d}: ${who}` : `${d}的客户经理：${who}`], cites: [knowledge.managers.source] }
  return { lines: [en ? 'Tell me which Shenzhen district your firm is in, and I will give you your account manager’s phone.' : '请告诉我贵司在深圳哪个区，我把对应的客户经理电话发给您。'], cites: [] }
}

/** "回复“报损”…或拨打理赔服务电话…" in the answer's language. */
export function reportLine(knowledge: Knowledge, lang: 'zh' | 'en', zh: string): string {
  if (lang === 'zh') return zh
  return `If the loss has happened or the buyer is overdue, report it at once: reply “报损” and I will register it here, or call the claims hotline ${knowledge.contacts.claimsHotline.phones.join(' / ')}.`
}

/** The assessment as answer lines in the turn's language. */
export function assessmentLines(a: CoverageAssessment, lang: 'zh' | 'en', note?: { raw: string; ym: Ym }, yearless?: LossCase['yearless']): { fits: string[]; problems: string[]; missing: string[]; unsettled: string[] } {
  const en = lang === 'en'
  const fm = en ? formatMonthEn : formatMonth
  const period = en ? `${fm(a.period.from)} to ${fm(a.period.to)}` : `${fm(a.period.from)}至${fm(a.period.to)}`
  const fits: string[] = []
  const problems: string[] = []
  const missing: string[] = []
  const d = a.period.declared
  const asRead = note?.raw && d ? (en ? ` (“${note.raw}” read as ${fm(d)})` : `（“${note.raw}”按提问时间算是${fm(d)}）`) : ''
  if (a.period.status === 'missing') {
    if (yearless) missing.push(en ? `which year “${yearless.raw}” was (declared between ${period})` : `您说的“${yearless.raw}”是哪一年报关的（须在${period}之间）`)
    else missing.push(en ? `the month the goods were declared for export (between ${period})` : `出口报关时间（须在${period}之间）`)
  } else if (a.period.status === 'need-month') missing.push(en ? `the month in ${d!.year} the goods were declared (between ${period})` : `${d!.year}年的具体报关月份（须在${period}之间）`)
  else if (a.period.status === 'out') problems.push(en ? `exports declared in ${fm(d!)}${asRead} are outside the cover period (${period})` : `${fm(d!)}报关的出口${asRead}不在承保期间（${period}）内`)
  else fits.push(en ? `declared in ${fm(d!)}${asRead}, within the cover period (${period})` : `${fm(d!)}报关${asRead}，在承保期间（${period}）内`)

  if (a.ownName === 'missing') missing.push(en ? 'whether your firm signed the sales contract with the buyer and declared the goods in its own name' : '销售合同是否由贵司与买方签订、并以贵司名义报关')
  else if (a.ownName === 'yes') fits.push(en ? 'the contract was signed by your firm and declared in its name' : '合同由贵司签订并以贵司名义报关')
  else
    problems.push(
      en
        ? 'the contract was not signed by your firm or not declared in its name; the cover requires the insured to sign with the buyer and declare in its own name'
        : '合同不是由贵司签订或不是以贵司名义报关，不符合保障范围（须由被保险人与买方签订合同并以被保险人名义报关）',
    )

  if (a.cause.status === 'listed') {
    const kinds = a.cause.risks.map((k) => riskName(k, lang)).join(en ? ', ' : '、')
    fits.push(en ? `the cause is a listed risk: ${kinds}` : `损失原因属于保障的风险：${kinds}`)
  } else if (a.cause.status === 'unlisted') {
    const w = a.cause.notCovered.join(en ? ', ' : '、')
    problems.push(en ? `“${w}” is not among the listed risks (subject to the formal policy)` : `“${w}”不在列举的保障风险种类内（以正式保单约定为准）`)
  } else if (!a.unsettled.length) {
    missing.push(
      en
        ? 'the cause of the loss (e.g. buyer bankruptcy, non-payment, refusal of the goods; issuing-bank failure or refusal to accept; war, trade or currency controls in the buyer’s country)'
        : '损失原因（如买家破产、拖欠货款、拒收货物，开证行破产或拒绝承兑，买方所在国战争、外汇管制等）',
    )
  }
  if (a.dueBeforeShipment) {
    const { due, declared } = a.dueBeforeShipment
    problems.push(en ? `the payment due date (${fm(due)}) is before the shipment (${fm(declared)}); please check` : `付款到期日（${fm(due)}）早于出运时间（${fm(declared)}），请核对`)
  }
  const unsettled = a.unsettled.map((u) => (en ? `${u.en}: the policy brief does not say whether such a case is paid` : `涉及${u.zh}：政策简介没有说明这种情况能否赔付`))
  return { fits, problems, missing, unsettled }
}

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
    return own.found && !OTHER_ASK.test(ctx.norm) && (ELLIPTICAL.test(ctx.norm) || ASKS.test(ctx.norm) || ctx.norm.length <= 12)
  }

  return {
    key: FLOW,
    flowVersion: VERSION,
    detect(ctx) {
      const whole = wholeNorm(ctx)
      if (!ASKS.test(whole)) return false
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
        const t = ctx.norm.trim()
        if (YES.test(t) || NO.test(t)) return judge(ctx, { ...own, ownName: YES.test(t), found: true }, stored)
      }
      const answers = flow.step === 'facts' ? own.found && !OTHER_ASK.test(ctx.norm) : isFollowUp(ctx, own)
      if (fresh && answers) return judge(ctx, own, stored)
      delete ctx.session.flow
      return undefined
    },
  }
}
