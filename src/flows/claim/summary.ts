import type { Knowledge } from '../../knowledge/knowledge.js'
import { formatUsd, formatUsdWan } from '../../policy/amount.js'
import { checkCoverage } from '../../policy/coverage.js'
import { estimatePayout } from '../../policy/payout.js'
import { FIELDS, type ClaimSlots, type FieldDeps } from './fields.js'

/** Facts that may put the loss outside the cover; derived from the slots, never stored separately. */
export function claimFlags(k: Knowledge, s: ClaimSlots): string[] {
  const check = checkCoverage(k.rules, {
    declared: s.declaredAt,
    due: s.dueDate,
    ownName: s.ownName,
    risks: k.risks.kinds.filter((r) => s.cause?.riskIds.includes(r.id)),
    notCovered: s.cause?.other ? [s.cause.other] : [],
  })
  // Only what was answered: a missing fact is not a flag.
  return check.problems
}

/** "125,000美元 × 80% = 100,000美元", capped per buyer; other currencies are not converted. */
export function indemnityLine(k: Knowledge, s: ClaimSlots): string | undefined {
  if (!s.amount) return undefined
  const { ratio, limitPerBuyerUsd } = k.rules.indemnity
  const pct = `${Math.round(ratio * 100)}%`
  if (s.amount.currency !== 'USD') return `单一买方限额按美元计（${formatUsdWan(limitPerBuyerUsd)}），非美元金额请与客户经理核算，这里不做汇率换算。`
  const b = estimatePayout(k.rules, [s.amount.value]).buyers[0]!
  const cap = b.capped ? `，超过单一买方限额，按${formatUsd(b.paid)}计` : ''
  return `${formatUsd(b.loss)} × ${pct} = ${formatUsd(b.share)}${cap}（估算，以正式保单和理赔审核为准）`
}

/** The plain summary shown before confirmation and kept with the report. */
export function summaryLines(d: FieldDeps, s: ClaimSlots): string[] {
  const lines: string[] = []
  for (const f of FIELDS) {
    if (f.applies && !f.applies(s)) continue
    const v = s[f.key]
    if (v === undefined) continue
    lines.push(`${f.label}：${(f.show as (v: unknown, d: FieldDeps) => string)(v, d)}`)
  }
  return lines
}
