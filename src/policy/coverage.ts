import type { RiskKind, Rules, RisksFile } from '../knowledge/schema.js'
import { formatMonth, monthIndex, parseYearMonth, type MonthRef } from './dates.js'

/** What the user told us about a loss; anything may be missing. */
export interface LossFacts {
  /** Month the goods were declared for export (or shipped, as users say). */
  declared?: { year: number; month?: number }
  /** Contract signed by the insured with the buyer, declared in its own name. */
  ownName?: boolean
  risks: RiskKind[]
  /** Causes the policy brief does not list (质量纠纷, 汇率损失…). */
  notCovered: string[]
  /** Payment due month, when given. */
  due?: { year: number; month?: number }
}

export interface CoverageCheck {
  /** In cover as far as the facts go. */
  fits: string[]
  /** Facts that put the loss outside the cover. */
  problems: string[]
  /** Facts still needed to judge. */
  missing: string[]
}

/** Check the given facts against the cover: declaration period, own-name contract and covered risk types. */
export function checkCoverage(rules: Rules, facts: LossFacts): CoverageCheck {
  const from = parseYearMonth(rules.coverPeriod.from)
  const to = parseYearMonth(rules.coverPeriod.to)
  const period = `${formatMonth(from)}至${formatMonth(to)}`
  const fits: string[] = []
  const problems: string[] = []
  const missing: string[] = []

  if (!facts.declared) missing.push(`出口报关时间（须在${period}之间）`)
  else if (facts.declared.month === undefined) {
    const y = facts.declared.year
    if (y < from.year || y > to.year) problems.push(`${y}年报关的出口不在承保期间（${period}）内`)
    else missing.push(`${y}年的具体报关月份（须在${period}之间）`)
  } else {
    const m = monthIndex(facts.declared as { year: number; month: number })
    if (m < monthIndex(from) || m > monthIndex(to)) problems.push(`${formatMonth(facts.declared)}报关的出口不在承保期间（${period}）内`)
    else fits.push(`${formatMonth(facts.declared)}报关，在承保期间（${period}）内`)
  }

  if (facts.ownName === undefined) missing.push('销售合同是否由贵司与买方签订、并以贵司名义报关')
  else if (facts.ownName) fits.push('合同由贵司签订并以贵司名义报关')
  else problems.push('合同不是由贵司签订或不是以贵司名义报关，不符合保障范围（须由被保险人与买方签订合同并以被保险人名义报关）')

  if (facts.risks.length) {
    const kinds = facts.risks.map((r) => `${r.label}（${r.type === 'commercial' ? '商业风险' : '政治风险'}）`)
    fits.push(`损失原因属于保障的风险：${kinds.join('、')}`)
  } else if (facts.notCovered.length) {
    problems.push(`“${facts.notCovered.join('、')}”不在列举的保障风险种类内（以正式保单约定为准）`)
  } else {
    missing.push('损失原因（如买家破产、拖欠货款、拒收货物，开证行破产或拒绝承兑，买方所在国战争、外汇管制等）')
  }

  if (facts.due?.month && facts.declared?.month && monthIndex(facts.due as { year: number; month: number }) < monthIndex(facts.declared as { year: number; month: number })) {
    problems.push(`付款到期日（${formatMonth(facts.due)}）早于出运时间（${formatMonth(facts.declared)}），请核对`)
  }
  return { fits, problems, missing }
}

/** Risk kinds named in a message (longest words first, so 开证行破产 is the bank's, not the buyer's). */
export function findRisks(risks: RisksFile, text: string): { kinds: RiskKind[]; notCovered: string[] } {
  const words = riskWords(risks)
  const bankContext = /开证行|银行|信用证|l\/c|\blc\b/i.test(text)
  let rest = text
  const kinds = new Map<string, RiskKind>()
  for (const { w, k } of words) {
    if (!rest.includes(w)) continue
    // "破产" next to an issuing bank is the bank's insolvency, not the buyer's.
    const kind = bankContext && k.party === 'buyer' && !/买家|买方|客户/.test(text) ? bankTwin(risks, k) ?? k : k
    kinds.set(kind.id, kind)
    rest = rest.split(w).join('　')
  }
  const notCovered = kinds.size ? [] : risks.notCovered.words.filter((w) => text.includes(w))
  return { kinds: [...kinds.values()], notCovered: dedupeContained(notCovered) }
}

const sortedWords = new WeakMap<RisksFile, Array<{ w: string; k: RiskKind }>>()

/** Every risk word, longest first; built once per knowledge base. */
function riskWords(risks: RisksFile): Array<{ w: string; k: RiskKind }> {
  let words = sortedWords.get(risks)
  if (!words) {
    words = risks.kinds.flatMap((k) => k.words.map((w) => ({ w, k }))).sort((a, b) => b.w.length - a.w.length)
    sortedWords.set(risks, words)
  }
  return words
}

function bankTwin(risks: RisksFile, k: RiskKind): RiskKind | undefined {
  const id = k.id === 'buyer-insolvency' ? 'bank-insolvency' : k.id === 'buyer-default' || k.id === 'buyer-refusal' ? 'bank-default' : undefined
  return risks.kinds.find((r) => r.id === id)
}

function dedupeContained(words: string[]): string[] {
  return words.filter((w) => !words.some((o) => o !== w && o.includes(w)))
}

/** Month references as declaration/due candidates: the first is taken as the export, one next to 到期/付款 as the due date. */
export function splitMonths(text: string, months: MonthRef[]): { declared?: MonthRef; due?: MonthRef } {
  let due: MonthRef | undefined
  const rest: MonthRef[] = []
  for (const m of months) {
    const after = text.slice(m.index + m.raw.length, m.index + m.raw.length + 6)
    const before = text.slice(Math.max(0, m.index - 6), m.index)
    if (/到期|付款期|应付|账期/.test(after + before) && !/出运|出货|发货|报关|出口/.test(after)) due = m
    else rest.push(m)
  }
  return { declared: rest[0], due }
}

const OWN_NAME_YES = /(以|用)(我们|我司|自己|本公司|公司)(自己)?的?名义|我们(自己)?(签|报关)|自己签|我司签|自营出口|自己报关/
const OWN_NAME_NO = /(别人|他人|关联公司|香港公司|境外公司|其他公司|代理公司|外贸公司|货代|朋友)的?(名义|抬头|签|报关|出口)|(通过|借用|挂靠|代理|委托).{0,10}(报关|签|出口)|不是(以)?(我们|我司|自己|公司)的?名义/

/** Whether the message says the contract was signed and declared in the firm's own name (undefined: not said). */
export function findOwnName(text: string): boolean | undefined {
  if (OWN_NAME_NO.test(text)) return false
  if (OWN_NAME_YES.test(text)) return true
  return undefined
}
