// The coverage answer's lines in Chinese or English: risk names, what was reused, the manager, the assessment.
import type { TurnContext } from '../engine/skill.js'
import type { WorkingFacts } from '../engine/types.js'
import type { Knowledge } from '../knowledge/knowledge.js'
import type { RiskKind } from '../knowledge/schema.js'
import type { CoverageAssessment } from '../policy/coverage.js'
import { formatMonth, formatMonthEn } from '../policy/dates.js'
import { managersOf } from './shared.js'
import type { LossCase, Ym } from './loss-facts.js'

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

