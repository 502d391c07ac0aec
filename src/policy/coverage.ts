import { memoize } from '../text/memo.js'
import type { RiskKind, Rules, RisksFile } from '../knowledge/schema.js'
import { formatMonth, monthIndex, parseYearMonth, type MonthRef } from './dates.js'

/** What the user told us about a loss; anything may be missing. */
export interface LossFacts {
  /** Month the goods were declared for export (or shipped, as users say). */
  declared?: { year: number; month?: number }
  /** Contract signed by the insured with the buyer, declared in its own name. */
  ownName?: boolean
  risks: RiskKind[]
  /** Causes the policy brief does not list (汇率损失, 运输货损…). */
  notCovered: string[]
  /** Circumstances the brief does not settle (a quality or contract dispute, the exporter's late delivery): ids of UNSETTLED. */
  unsettled?: string[]
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
  /** Circumstances the brief does not settle: only the account manager and the formal policy can. */
  unsettled: string[]
}

type YearMonth = { year: number; month: number }

/** The facts weighed one by one, for answers in any language. */
export interface CoverageAssessment {
  period: { status: 'in' | 'out' | 'need-month' | 'missing'; from: YearMonth; to: YearMonth; declared?: { year: number; month?: number } }
  ownName: 'yes' | 'no' | 'missing'
  cause: { status: 'listed' | 'unlisted' | 'missing'; risks: RiskKind[]; notCovered: string[] }
  unsettled: UnsettledCause[]
  /** The due month lies before the shipment: probably a typo, to be checked. */
  dueBeforeShipment?: { due: { year: number; month?: number }; declared: { year: number; month?: number } }
  /** outside: a fact puts it out; unsettled: the brief does not settle it; incomplete: facts missing. */
  verdict: 'covered' | 'outside' | 'unsettled' | 'incomplete'
}

/** A circumstance that makes the brief silent on whether a listed risk is paid. */
export interface UnsettledCause {
  id: string
  zh: string
  en: string
  re: RegExp
}

// Wording, not facts: the brief lists risks but says nothing on disputes or the exporter's own failings.
export const UNSETTLED: UnsettledCause[] = [
  {
    id: 'late-delivery',
    zh: '贵司延迟交货',
    en: 'your own late delivery',
    re: /(我们|我司|我方|我这边|自己)[^，,。]{0,6}(晚|延迟|延期|推迟|拖延|耽误)[^，,。]{0,3}(交货|发货|出货|交期|到货)|(交货|交期)[^，,。]{0,2}(延迟|延期|推迟|延误|晚了|迟了|逾期)|(发货|出货)(延迟|延期|推迟|延误|晚了|迟了)|(延迟|延期|推迟|逾期|迟|晚)(交货|发货|出货)|没(有)?按时(交货|发货|出货)|(?<![a-z])(late delivery|delivered late|shipped late|delayed (delivery|shipment)|missed the delivery date|delivery was late|we were late)(?![a-z])/,
  },
  {
    id: 'quality-dispute',
    zh: '质量纠纷',
    en: 'a quality dispute',
    re: /质量|品质|货不对板|货不对版|不合格|次品|瑕疵|残次|(?<![a-z])(quality|defective|defects?|not up to spec|substandard)(?![a-z])/,
  },
  {
    id: 'discrepancy',
    zh: '单证不符',
    en: 'documentary discrepancies',
    re: /单证不符|不符点|单据不符|(?<![a-z])discrepanc(y|ies)(?![a-z])/,
  },
  {
    id: 'contract-dispute',
    zh: '合同或贸易纠纷',
    en: 'a contract or trade dispute',
    re: /纠纷|争议|扯皮|合同(问题|争议|不符)|(?<![a-z])(disputes?|disputed|breach of contract)(?![a-z])/,
  },
]

/** Check the given facts against the cover: declaration period, own-name contract and covered risk types. */
export function assessCoverage(rules: Rules, facts: LossFacts): CoverageAssessment {
  const from = parseYearMonth(rules.coverPeriod.from)
  const to = parseYearMonth(rules.coverPeriod.to)
  const a: CoverageAssessment = {
    period: { status: 'missing', from, to, declared: facts.declared },
    ownName: facts.ownName === undefined ? 'missing' : facts.ownName ? 'yes' : 'no',
    cause: { status: facts.risks.length ? 'listed' : facts.notCovered.length ? 'unlisted' : 'missing', risks: facts.risks, notCovered: facts.notCovered },
    unsettled: UNSETTLED.filter((u) => facts.unsettled?.includes(u.id)),
    verdict: 'covered',
  }
  const d = facts.declared
  if (d) {
    // A bare year is judged whole: every month of 2021 is in cover, none of 2020; 2022 needs the month.
    const first = monthIndex({ year: d.year, month: d.month ?? 1 })
    const last = monthIndex({ year: d.year, month: d.month ?? 12 })
    if (last < monthIndex(from) || first > monthIndex(to)) a.period.status = 'out'
    else if (first >= monthIndex(from) && last <= monthIndex(to)) a.period.status = 'in'
    else a.period.status = 'need-month'
  }
  if (facts.due?.month && d?.month && monthIndex(facts.due as YearMonth) < monthIndex(d as YearMonth)) a.dueBeforeShipment = { due: facts.due, declared: d }

  const out = a.period.status === 'out' || a.ownName === 'no' || a.cause.status === 'unlisted' || !!a.dueBeforeShipment
  const missing = a.period.status === 'missing' || a.period.status === 'need-month' || a.ownName === 'missing' || a.cause.status === 'missing'
  a.verdict = out ? 'outside' : a.unsettled.length ? 'unsettled' : missing ? 'incomplete' : 'covered'
  return a
}

/** The assessment as Chinese lines (fits, problems, missing, unsettled): used by the coverage answer and the loss report. */
export function checkCoverage(rules: Rules, facts: LossFacts): CoverageCheck {
  const a = assessCoverage(rules, facts)
  const { from, to, declared } = a.period
  const period = `${formatMonth(from)}至${formatMonth(to)}`
  const fits: string[] = []
  const problems: string[] = []
  const missing: string[] = []

  if (a.period.status === 'missing') missing.push(`出口报关时间（须在${period}之间）`)
  else if (a.period.status === 'need-month') missing.push(`${declared!.year}年的具体报关月份（须在${period}之间）`)
  else if (a.period.status === 'out') problems.push(`${formatMonth(declared!)}报关的出口不在承保期间（${period}）内`)
  else fits.push(`${formatMonth(declared!)}报关，在承保期间（${period}）内`)

  if (a.ownName === 'missing') missing.push('销售合同是否由贵司与买方签订、并以贵司名义报关')
  else if (a.ownName === 'yes') fits.push('合同由贵司签订并以贵司名义报关')
  else problems.push('合同不是由贵司签订或不是以贵司名义报关，不符合保障范围（须由被保险人与买方签订合同并以被保险人名义报关）')

  if (a.cause.status === 'listed') {
    const kinds = a.cause.risks.map((r) => `${r.label}（${r.type === 'commercial' ? '商业风险' : '政治风险'}）`)
    fits.push(`损失原因属于保障的风险：${kinds.join('、')}`)
  } else if (a.cause.status === 'unlisted') {
    problems.push(`“${a.cause.notCovered.join('、')}”不在列举的保障风险种类内（以正式保单约定为准）`)
  } else if (!a.unsettled.length) {
    missing.push('损失原因（如买家破产、拖欠货款、拒收货物，开证行破产或拒绝承兑，买方所在国战争、外汇管制等）')
  }

  if (a.dueBeforeShipment) {
    problems.push(`付款到期日（${formatMonth(a.dueBeforeShipment.due)}）早于出运时间（${formatMonth(a.dueBeforeShipment.declared)}），请核对`)
  }
  const unsettled = a.unsettled.map((u) => `涉及${u.zh}：政策简介没有说明这种情况能否赔付`)
  return { fits, problems, missing, unsettled }
}

/** The causes a message names: listed risk kinds, causes the brief does not list, circumstances it does not settle. */
export interface RisksFound {
  kinds: RiskKind[]
  notCovered: string[]
  /** Ids of UNSETTLED circumstances (a quality dispute, the exporter's late delivery…). */
  unsettled: string[]
}

interface RiskWord {
  source: string
  k: RiskKind
  test(text: string): boolean
  /** The text with this word's matches blanked, so a shorter word inside it does not match again. */
  blank(text: string): string
}

const BANK_CONTEXT = /开证行|银行|信用证|l\/c|(?<![a-z])(lc|banks?|letter of credit)(?![a-z])/
const BUYER_CONTEXT = /买家|买方|客户|客人|进口商|(?<![a-z])(buyers?|customers?|clients?|importers?)(?![a-z])/

const risksMemo = new WeakMap<RisksFile, (text: string) => RisksFound>()

/** Risk kinds named in a message (longest words first, so 开证行破产 is the bank's, not the buyer's). */
export function findRisks(risks: RisksFile, text: string): RisksFound {
  // Several skills and the facts observer look for the cause in the same message: scan it once.
  let find = risksMemo.get(risks)
  if (!find) risksMemo.set(risks, (find = memoize((t: string) => scanRisks(risks, t), 500)))
  const found = find(text)
  return { kinds: [...found.kinds], notCovered: [...found.notCovered], unsettled: [...found.unsettled] }
}

function scanRisks(risks: RisksFile, text: string): RisksFound {
  const unsettled: string[] = []
  let rest = text
  for (const u of UNSETTLED) {
    // "我们延迟交货" must not read as the buyer's 逾期; a dispute is not itself a listed risk.
    if (u.re.test(rest)) {
      unsettled.push(u.id)
      rest = rest.replace(new RegExp(u.re.source, 'g'), '　')
    }
  }
  const bankContext = BANK_CONTEXT.test(text)
  const buyerNamed = BUYER_CONTEXT.test(text)
  const kinds = new Map<string, RiskKind>()
  for (const word of riskWords(risks)) {
    if (!word.test(rest)) continue
    const k = word.k
    // "破产" next to an issuing bank is the bank's insolvency, not the buyer's.
    const kind = bankContext && k.party === 'buyer' && !buyerNamed ? (bankTwin(risks, k) ?? k) : k
    kinds.set(kind.id, kind)
    rest = word.blank(rest)
  }
  const notCovered = kinds.size ? [] : risks.notCovered.words.filter((w) => matcher(w).test(rest))
  return { kinds: [...kinds.values()], notCovered: dedupeContained(notCovered), unsettled }
}

const compiled = new Map<string, RegExp>()

/**
 * A risk word as a pattern, compiled once: "…" stands for a short gap within the clause ("禁止…进口" matches 禁止这类货进口), and a
 * Latin word must stand whole ("war" is not in "software").
 */
function matcher(word: string): RegExp {
  let re = compiled.get(word)
  if (!re) {
    const parts = word
      .toLowerCase()
      .split('…')
      .map((p) => p.trim())
      .map((p) => {
        const body = p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
        return `${/^[a-z]/.test(p) ? '(?<![a-z])' : ''}${body}${/[a-z]$/.test(p) ? '(?![a-z])' : ''}`
      })
    re = new RegExp(parts.join(/[a-z]/.test(word) ? '[^。.!！?？;；]{0,24}?' : '[^。.!！?？;；，,]{0,10}?'), 'g')
    compiled.set(word, re)
  }
  re.lastIndex = 0
  return re
}

const sortedWords = new WeakMap<RisksFile, RiskWord[]>()

/** Every risk word, longest first; built once per knowledge base. */
function riskWords(risks: RisksFile): RiskWord[] {
  let words = sortedWords.get(risks)
  if (!words) {
    words = risks.kinds
      .flatMap((k) =>
        k.words.map((w): RiskWord => {
          const re = matcher(w)
          return {
            source: w,
            k,
            test: (t) => {
              re.lastIndex = 0
              return re.test(t)
            },
            blank: (t) => (w.includes('…') ? t : t.replace(re, '　')),
          }
        }),
      )
      // Whole words first, longest first (开证行破产 before 破产); then the patterns with a gap, which blank nothing:
      // "开证行拒绝承兑或者倒闭" is both the bank's refusal and its failure.
      .sort((a, b) => Number(a.source.includes('…')) - Number(b.source.includes('…')) || b.source.length - a.source.length)
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

const DUE = /到期|付款期|付款日|应付|账期|(?<![a-z])(due|payable)(?![a-z])/
const SHIPPING = /出运|出货|发货|报关|出口|出的|发的|走的|走货|装船|发出|(?<![a-z])(shipped|shipping|shipment|exported|declared|sent|dispatched|goods)(?![a-z])/
const EVENT = /破产|倒闭|跑路|关门|打仗|政变|管制|拒收|拒付|(?<![a-z])(bankrupt|insolvent|went|closed|refused)(?![a-z])/

/**
 * Month references as declaration/due candidates: one next to 到期/付款 is the due date; of the rest, one next to
 * 出运/报关/shipped is the export, else the first that is not the date of an event (破产…).
 */
export function splitMonths(text: string, months: MonthRef[]): { declared?: MonthRef; due?: MonthRef } {
  let due: MonthRef | undefined
  const rest: MonthRef[] = []
  for (const m of months) {
    const after = text.slice(m.index + m.raw.length, m.index + m.raw.length + 8)
    const before = text.slice(Math.max(0, m.index - 8), m.index)
    if (DUE.test(after.slice(0, 6) + before.slice(-6)) && !SHIPPING.test(after)) due = m
    else rest.push(m)
  }
  const near = (m: MonthRef, re: RegExp) => re.test(text.slice(Math.max(0, m.index - 12), m.index)) || re.test(text.slice(m.index + m.raw.length, m.index + m.raw.length + 10))
  const declared = rest.find((m) => near(m, SHIPPING)) ?? rest.find((m) => !near(m, EVENT)) ?? rest[0]
  return { declared, due }
}

const OWN_NAME_YES =
  /(以|用)(我们|我司|自己|本公司|公司|他们|他们自己|该公司|该企业|企业|企业自己)(自己|公司|自己公司|企业)?的?名义|我们(自己)?(签|报关)|自己签|我司签|自营出口|自己报关|(?<![a-z])(in our own name|under our own name|in our (company'?s? )?name|under our name|we signed (it|the contract)( ourselves)?|we declared (it|the goods) ourselves|signed and declared by us)(?![a-z])/
const OWN_NAME_NO =
  /(别人|他人|关联公司|香港公司|境外公司|其他公司|代理公司|外贸公司|货代|朋友)的?(名义|抬头|签|报关|出口)|(通过|借用|挂靠|代理|委托).{0,10}(报关|签|出口)|不是(以)?(我们|我司|自己|公司)的?名义|(?<![a-z])((through|via|by) (an?|our|a hong kong|our hong kong|an overseas|a related) (agent|company|affiliate|trading company|forwarder)|in (another|someone else's|an agent's|our hk company's|our hong kong company's|a related company's) (company's )?name|not in our (own )?name)(?![a-z])/

/** Whether the message says the contract was signed and declared in the firm's own name (undefined: not said). */
export function findOwnName(text: string): boolean | undefined {
  if (OWN_NAME_NO.test(text)) return false
  if (OWN_NAME_YES.test(text)) return true
  return undefined
}
