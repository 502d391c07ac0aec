import { FIELDS, type ClaimSlots, type FieldDeps } from '../flows/claim/fields.js'
import { formatMoney } from '../flows/shared.js'
import type { Knowledge } from '../knowledge/knowledge.js'
import type { Currency } from '../policy/amount.js'
import { estimatePayout } from '../policy/payout.js'
import type { PlaceResolver } from '../policy/places.js'
import type { LossReport } from '../store/types.js'

/** The reported amount still unpaid, as the exporter gave it. */
export function reportAmount(r: LossReport): { value: number; currency: Currency } | undefined {
  const a = (r.fields as ClaimSlots).amount
  return a && typeof a.value === 'number' && Number.isFinite(a.value) ? { value: a.value, currency: a.currency } : undefined
}

export interface PayoutEstimate {
  value: number
  currency: Currency
  /** USD only: the per-buyer limit applied. Other currencies: 80 % of the loss, the limit applies after conversion. */
  capped: boolean
}

/** The estimated payout of one report: 80 %, capped per buyer in USD; other currencies uncapped (rate unknown). */
export function estimatedPayout(k: Knowledge, r: LossReport): PayoutEstimate | undefined {
  const a = reportAmount(r)
  if (!a) return undefined
  if (a.currency === 'USD') {
    const b = estimatePayout(k.rules, [a.value]).buyers[0]!
    return { value: b.paid, currency: 'USD', capped: b.capped }
  }
  return { value: Math.round(a.value * k.rules.indemnity.ratio * 100) / 100, currency: a.currency, capped: false }
}

/** Whether a report still counts towards the estimated payout (not declined or withdrawn). */
export function payable(r: LossReport): boolean {
  return r.status !== 'closed' || r.outcome === 'paid' || r.outcome === undefined
}

export const money = (value: number, currency: Currency) => formatMoney({ value, currency, raw: '' })

/** The firm's name as reported. */
export const companyOf = (r: LossReport) => String((r.fields as ClaimSlots).company ?? '')
export const buyerOf = (r: LossReport) => String((r.fields as ClaimSlots).buyerName ?? '')

/**
 * Every answered field of the form, labelled and shown as the exporter confirmed it (the form's own formatting),
 * in the form's order. A value an older version stored in another shape is shown as its JSON, never dropped.
 */
export function reportFields(r: LossReport, deps: { knowledge: Knowledge; places: PlaceResolver }): Array<{ key: string; label: string; value: string }> {
  const slots = r.fields as ClaimSlots
  const d: FieldDeps = { knowledge: deps.knowledge, places: deps.places, now: r.createdAt }
  const out: Array<{ key: string; label: string; value: string }> = []
  for (const f of FIELDS) {
    const v = slots[f.key]
    if (v === undefined) continue
    let shown: string
    try {
      shown = v === null ? '未提供' : (f.show as (v: unknown, d: FieldDeps) => string)(v, d)
    } catch {
      shown = JSON.stringify(v)
    }
    out.push({ key: f.key, label: f.label, value: shown })
  }
  return out
}

/** The payout line the exporter saw at confirmation ("125,000美元 × 80% = …"). */
export function indemnityText(r: LossReport): string | undefined {
  const line = (r.fields as { indemnity?: unknown }).indemnity
  return typeof line === 'string' ? line : undefined
}

/** Epoch ms → "2026-11-26 14:03" in China time, whatever the server's zone. */
export function chinaTime(ms: number): string {
  const d = new Date(ms + 8 * 3600_000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`
}
