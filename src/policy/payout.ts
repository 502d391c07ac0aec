import type { Rules } from '../knowledge/schema.js'

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
    const share = Math.round(loss * ratio * 100) / 100
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
