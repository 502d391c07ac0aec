import type { TurnContext } from '../../engine/skill.js'
import { ownerKey } from '../../engine/types.js'
import type { Knowledge } from '../../knowledge/knowledge.js'
import type { Extractor } from '../../llm/extract.js'
import { chinaDay } from '../../policy/dates.js'
import type { PlaceResolver } from '../../policy/places.js'
import { normalize } from '../../text/normalize.js'
import { FIELDS, type ClaimSlots, type SlotKey } from './fields.js'

/** Fields of a free-text message found by the model, each already validated like a typed answer. */
export type ModelFacts = (ctx: TurnContext, slots: ClaimSlots) => Promise<ClaimSlots>

// What a sentence states about a loss. Codes, phones and policy numbers the rules read exactly; yes/no questions are asked.
const EXTRACTABLE = new Set<SlotKey>(['company', 'district', 'contactName', 'buyerName', 'buyerCountry', 'issuingBank', 'cause', 'declaredAt', 'amount', 'dueDate'])

/**
 * The optional model step of the loss report: the model names the user's words for each open field
 * (withStructuredOutput, functionCalling or jsonMode), and each value must be the user's own words and pass the
 * field's own parser, the same one typed answers go through. Anything else is dropped and the form asks as usual.
 */
export function createModelFacts({ extractor, knowledge, places }: { extractor: Extractor; knowledge: Knowledge; places: PlaceResolver }): ModelFacts {
  return async function modelFacts(ctx, slots) {
    const open = FIELDS.filter((f) => EXTRACTABLE.has(f.key) && slots[f.key] === undefined && (!f.applies || f.applies(slots)))
    if (!open.length) return {}
    const raw = await extractor.extract({
      message: ctx.message,
      owner: ownerKey(ctx.message),
      text: ctx.text,
      fields: open.map((f) => ({ key: f.key, label: f.label })),
      today: chinaDay(ctx.now),
    })
    const deps = { knowledge, places, now: ctx.now }
    const said = normalize(ctx.text)
    const out: ClaimSlots = {}
    for (const f of open) {
      const value = raw[f.key]
      // The user's own words only: a value the message does not contain came from the model, not the user.
      if (!value || !said.includes(normalize(value))) continue
      const parsed = f.parse(value, deps, { ...slots, ...out })
      if (parsed.ok && parsed.value !== null && parsed.value !== undefined) (out as Record<string, unknown>)[f.key] = parsed.value
    }
    return out
  }
}
