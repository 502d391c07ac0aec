import type { TurnContext } from '../engine/skill.js'
import type { Knowledge } from '../knowledge/knowledge.js'
import { findOwnName, findRisks, splitMonths } from '../policy/coverage.js'
import { findMonths } from '../policy/dates.js'
import { updateLosses } from '../policy/losses.js'
import type { PlaceResolver } from '../policy/places.js'

const SHIPPED = /出运|出货|发货|报关|出口|出的货|发的货|走的货|装船|shipped|declared|exported|shipment/

/**
 * Remember the working facts a message states, whichever skill answers it: the district ("我们在沙井"), the 2020
 * export figure, the losses per buyer or bank, the declaration month, the cause, L/C or not, own-name contract.
 * Later answers reuse them ("那能赔多少", "找谁办"). A fact said again replaces the old one; a new loss clears the
 * old loss's date, cause and terms; "还有一个买家欠5万" adds to the losses.
 */
export function createFactsObserver({ knowledge, places }: { knowledge: Knowledge; places: PlaceResolver }) {
  return function rememberFacts(ctx: TurnContext): void {
    const facts = ctx.session.profile
    const n = ctx.norm
    const place = places.resolve(n)
    if (place) facts.district = place.district

    const losses = updateLosses(facts.losses, ctx.text)
    if (losses !== facts.losses) {
      // Another loss, not more of the same one: its date, cause and terms are not the old loss's.
      if (losses?.[0] !== facts.losses?.[0]) for (const k of ['declared', 'riskIds', 'lc', 'ownName'] as const) delete facts[k]
      facts.losses = losses
    }

    const risks = findRisks(knowledge.risks, n).kinds
    if (risks.length) facts.riskIds = risks.map((k) => k.id)

    const months = splitMonths(n, findMonths(n, new Date(ctx.now)))
    // The firm's export figure for a year is not a shipment's declaration month ("2020年出口额500万美元").
    const exported = ctx.reading.amounts.find((a) => a.role === 'exports')
    if (months.declared && SHIPPED.test(n) && !exported) facts.declared = { year: months.declared.year, month: months.declared.month }

    const lc = ctx.reading.lc
    if (lc !== undefined) facts.lc = lc

    const own = findOwnName(n)
    if (own !== undefined) facts.ownName = own

    if (exported) {
      const otherYear = findMonths(n, new Date(ctx.now)).some((m) => m.year !== knowledge.rules.eligibility.year)
      if (exported.currency === 'USD' && !exported.approx && !otherYear) facts.exports2020Usd = exported.value
    }
  }
}
