import type { Rules } from '../knowledge/schema.js'
import type { Approx, Currency } from './amount.js'

export interface BuyerPayout {
  loss: number
  /** loss × ratio, before the cap. */
  share: number
  paid: number
  capped: boolean
}

/** Estimated indemnity per buyer (or issuing bank): ratio of the loss, capped per buyer; amounts in USD. */
export function estimatePayout(rules: Rules, losses: number[]): { buyers: BuyerPayout[]; total: number } {
  const { ratio, limitPerBuyerUsd } = rules.indemnity
  const buyers = losses.map((loss) => {
    const share = round2(loss * ratio)
    const paid = Math.min(share, limitPerBuyerUsd)
    return { loss, share, paid, capped: share > limitPerBuyerUsd }
  })
  return { buyers, total: buyers.reduce((a, b) => a + b.paid, 0) }
}

/** Whether a firm's 2020 exports (USD) fall under the blanket policy's threshold. */
export function isEligible(rules: Rules, exportsUsd: number): boolean {
  const { maxExportsUsd, inclusive } = rules.eligibility
  return inclusive ? exportsUsd <= maxExportsUsd : exportsUsd < maxExportsUsd
}

const round2 = (n: number): number => Math.round(n * 100) / 100

/** A figure as a range: an exact figure is a range of one point. */
export interface Range {
  low: number
  /** Infinity when open-ended ("超过800万"). */
  high: number
  /** The low end itself is excluded ("800多万" is more than 8,000,000). */
  lowExclusive?: boolean
}

/** Anything with a value and, when approximate, its range (a parsed or a remembered amount). */
export interface Figure {
  value: number
  currency: Currency
  approx?: Approx
}

/** The range a figure stands for. */
export function rangeOf(f: Pick<Figure, 'value' | 'approx'>): Range {
  return f.approx ? { ...f.approx } : { low: f.value, high: f.value }
}

export function isExact(r: Range): boolean {
  return r.low === r.high && !r.lowExclusive
}

/**
 * Units of a currency per US dollar, as a deliberately generous band around any rate of recent years. It is never
 * shown to the user and never used to compute a figure: it only tells whether an amount is so far from a USD line
 * (the export threshold, the per-buyer limit) that no plausible rate could move it across. Close cases are
 * left to the exact USD figure, the formal policy's rate and 深圳市商务局's list.
 */
export const PLAUSIBLE_UNITS_PER_USD: Readonly<Partial<Record<Currency, readonly [number, number]>>> = {
  CNY: [6, 7.5],
  // The Hong Kong dollar is pegged in a narrow band; a little extra margin either side.
  HKD: [7.7, 7.9],
  EUR: [0.75, 1.05],
}

/** The USD range a figure could be worth at any plausible rate; undefined for currencies without a band. */
export function usdRange(range: Range, currency: Currency): Range | undefined {
  if (currency === 'USD' || currency === 'UNKNOWN') return range
  const band = PLAUSIBLE_UNITS_PER_USD[currency]
  if (!band) return undefined
  const [fewest, most] = band
  return { low: range.low / most, high: range.high / fewest, lowExclusive: range.lowExclusive }
}

/** Which side of a line a range falls on: wholly at or under it, wholly over it, or across it. */
export type Side = 'under' | 'over' | 'across'

/** The 2020-exports range against the threshold (inclusive or not, per rules.json). */
export function eligibilitySide(rules: Rules, usd: Range): Side {
  const { maxExportsUsd: max, inclusive } = rules.eligibility
  if (inclusive ? usd.high <= max : usd.high < max) return 'under'
  if (usd.low > max || (usd.low === max && (usd.lowExclusive || !inclusive))) return 'over'
  return 'across'
}

/** One buyer's (or bank's) losses, summed in their currency, with the share and whether the cap binds. */
export interface GroupEstimate {
  /** The group's currency; 'UNKNOWN' amounts are read as USD; undefined when the amounts mix currencies. */
  currency?: Currency
  loss: Range
  /** loss × ratio in the group's currency (undefined when mixed). */
  share?: Range
  /** The share in USD at any plausible rate; undefined when some currency has no band. */
  shareUsd?: Range
  /** binds: over the limit whatever the figure or rate; free: under it; maybe: across it; unknown: no USD range. */
  cap: 'binds' | 'free' | 'maybe' | 'unknown'
  /** The payout in USD (the share capped), when the group is in USD. */
  paidUsd?: Range
}

/** Sum one group's amounts (several shipments, invoices or L/Cs against one buyer or bank), apply the ratio, cap once. */
export function estimateGroup(rules: Rules, figures: Figure[]): GroupEstimate {
  const { ratio, limitPerBuyerUsd: cap } = rules.indemnity
  const currencies = new Set(figures.map((f) => (f.currency === 'UNKNOWN' ? 'USD' : f.currency)))
  const known = figures.find((f) => f.currency !== 'UNKNOWN')?.currency
  const currency: Currency | undefined =
    currencies.size === 1 ? (figures.every((f) => f.currency === 'UNKNOWN') ? 'UNKNOWN' : (known ?? 'USD')) : undefined
  const sum = (rs: Range[]): Range => ({
    low: round2(rs.reduce((a, r) => a + r.low, 0)),
    high: rs.some((r) => r.high === Infinity) ? Infinity : round2(rs.reduce((a, r) => a + r.high, 0)),
    lowExclusive: rs.some((r) => r.lowExclusive) || undefined,
  })
  const times = (r: Range, k: number): Range => ({ low: round2(r.low * k), high: r.high === Infinity ? Infinity : round2(r.high * k), lowExclusive: r.lowExclusive })
  const ranges = figures.map(rangeOf)
  const loss = sum(ranges)
  const share = currency ? times(loss, ratio) : undefined
  const usdParts = figures.map((f, i) => usdRange(ranges[i]!, f.currency))
  const shareUsd = usdParts.every((r) => r !== undefined) ? times(sum(usdParts as Range[]), ratio) : undefined
  const cap_ = !shareUsd ? 'unknown' : shareUsd.low >= cap ? 'binds' : shareUsd.high <= cap ? 'free' : 'maybe'
  const usd = currency === 'USD' || currency === 'UNKNOWN'
  const paidUsd = usd && share ? { low: Math.min(share.low, cap), high: Math.min(share.high, cap) } : undefined
  return { currency, loss, share, shareUsd, cap: cap_, paidUsd }
}
