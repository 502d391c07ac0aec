import type { Knowledge } from '../../knowledge/knowledge.js'
import { formatUsd, formatUsdWan } from '../../policy/amount.js'
import { checkCoverage } from '../../policy/coverage.js'
import { estimateGroup, estimatePayout } from '../../policy/payout.js'
import { formatMoney } from '../shared.js'
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

/**
 * "125,000美元 × 80% = 100,000美元", capped per buyer (per issuing bank under an L/C). Another currency gets 80 % in
 * that currency and the cap after conversion at the formal policy's rate; when no plausible rate changes the
 * outcome, say which side of the cap it falls on. No rate is ever used to compute a figure.
 */
export function indemnityLine(k: Knowledge, s: ClaimSlots): string | undefined {
  if (!s.amount) return undefined
  const { ratio, limitPerBuyerUsd } = k.rules.indemnity
  const pct = `${Math.round(ratio * 100)}%`
  const party = s.lc ? '单一开证行' : '单一买方'
  if (s.amount.currency !== 'USD') {
    const g = estimateGroup(k.rules, [s.amount])
    const share = g.share ? `${formatMoney({ ...s.amount, raw: '' })} × ${pct} = ${formatMoney({ value: g.share.low, currency: s.amount.currency, raw: '' })}` : undefined
    const cap = `${party}限额${formatUsdWan(limitPerBuyerUsd)}按正式保单约定的汇率折算后适用`
    const side =
      g.cap === 'binds' ? `；按任何合理汇率都超过限额，预计按${formatUsd(limitPerBuyerUsd)}计` : g.cap === 'free' ? '；按任何合理汇率都在限额以内' : ''
    return `${share ? `${share}，` : ''}${cap}${side}（估算，以正式保单和理赔审核为准）`
  }
  const b = estimatePayout(k.rules, [s.amount.value]).buyers[0]!
  const cap = b.capped ? `，超过${party}限额，按${formatUsd(b.paid)}计` : ''
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
