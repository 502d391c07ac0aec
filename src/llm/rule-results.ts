import type { WorkingFacts } from '../engine/types.js'
import { managersOf, describeFigure, formatRangeIn } from '../flows/shared.js'
import type { Knowledge } from '../knowledge/knowledge.js'
import { formatUsd } from '../policy/amount.js'
import { formatMonth, monthIndex, parseYearMonth } from '../policy/dates.js'
import { figureOf } from '../policy/losses.js'
import { eligibilitySide, estimateGroup, rangeOf } from '../policy/payout.js'

/** One result of the project's rule functions over the user's own figures, with the section it rests on. */
export interface RuleResult {
  text: string
  /** Section id cited when the answer uses this result. */
  source: string
}

/**
 * The rule functions applied to what the conversation established (district, 2020 exports, losses per buyer,
 * export month, cause): computed before the model call and handed to it, so the model phrases verdicts and sums
 * but never computes them. Figures the rules cannot settle (a range across the line) are stated as such.
 */
export function ruleResults(k: Knowledge, p: WorkingFacts): RuleResult[] {
  const out: RuleResult[] = []
  const rules = k.rules
  if (p.district) {
    const people = managersOf(k, p.district)
    if (people) out.push({ text: `${p.district}的客户经理：${people}`, source: k.managers.source })
  }
  if (p.exports2020Usd !== undefined) {
    const side = eligibilitySide(rules, rangeOf({ value: p.exports2020Usd }))
    const line = formatUsd(rules.eligibility.maxExportsUsd)
    const verdict = side === 'under' ? `不超过${line}（含），符合统保的出口额条件（以商务局公示名单为准）` : `超过${line}，不在统保范围内`
    out.push({ text: `${rules.eligibility.year}年出口额${formatUsd(p.exports2020Usd)}：${verdict}`, source: rules.eligibility.source })
  }
  for (const [i, g] of (p.losses ?? []).entries()) {
    const who = g.name ?? (g.party === 'bank' ? `开证行${p.losses!.length > 1 ? i + 1 : ''}` : `买方${p.losses!.length > 1 ? i + 1 : ''}`)
    const figures = g.amounts.map(figureOf)
    const est = estimateGroup(rules, figures)
    const said = figures.map((f) => describeFigure('zh', f)).join('+')
    const ratio = `${Math.round(rules.indemnity.ratio * 100)}%`
    const limit = formatUsd(rules.indemnity.limitPerBuyerUsd)
    let text = `${who}：损失${said}，按${ratio}`
    if (est.currency && est.share) text += `为${formatRangeIn('zh', est.share, est.currency === 'UNKNOWN' ? 'USD' : est.currency)}`
    if (est.paidUsd && est.cap !== 'maybe') text += est.cap === 'binds' ? `，超过单一买方限额，按${limit}计` : `，未超过单一买方限额${limit}，预计赔付${formatRangeIn('zh', est.paidUsd, 'USD')}`
    else if (est.cap === 'binds') text += `，在任何合理汇率下都超过单一买方限额${limit}，按限额计`
    else text += `；单一买方限额${limit}${est.currency === 'USD' || est.currency === 'UNKNOWN' ? '' : '按正式保单约定的汇率折算后适用'}，需要准确金额才能确定是否封顶`
    out.push({ text: text + '（以正式保单约定为准）', source: rules.indemnity.source })
  }
  if (p.declared) {
    const from = parseYearMonth(rules.coverPeriod.from)
    const to = parseYearMonth(rules.coverPeriod.to)
    const first = monthIndex({ year: p.declared.year, month: p.declared.month ?? 1 })
    const last = monthIndex({ year: p.declared.year, month: p.declared.month ?? 12 })
    const period = `${formatMonth(from)}至${formatMonth(to)}`
    const verdict = last < monthIndex(from) || first > monthIndex(to) ? `不在承保期间（${period}）内` : first >= monthIndex(from) && last <= monthIndex(to) ? `在承保期间（${period}）内` : `需要具体月份才能判断是否在承保期间（${period}）内`
    out.push({ text: `报关出口时间${formatMonth(p.declared)}：${verdict}`, source: rules.coverPeriod.source })
  }
  if (p.riskIds?.length) {
    const labels = p.riskIds.map((id) => k.risks.kinds.find((r) => r.id === id)?.label).filter(Boolean)
    if (labels.length) out.push({ text: `用户说的损失原因属于列举的保障风险：${labels.join('、')}`, source: k.risks.source })
  }
  if (p.ownName !== undefined) {
    out.push({ text: p.ownName ? '以本企业名义签约并报关：是' : '不是以本企业名义签约报关：保障范围只包括以被保险人名义报关的出口', source: rules.coverPeriod.source })
  }
  if (p.lc !== undefined) out.push({ text: p.lc ? '结算方式：信用证（开证行同样有单一限额）' : '结算方式：非信用证', source: rules.indemnity.source })
  return out
}
