import { parseAllMoney } from '../../policy/amount.js'
import { wordingOf } from '../../understand/acts.js'
import { readLc } from '../../understand/reading.js'
import { findOwnName, findRisks, splitMonths } from '../../policy/coverage.js'
import { checkCreditCode, findCreditCode } from '../../policy/credit-code.js'
import { findMonths } from '../../policy/dates.js'
import type { WorkingFacts } from '../../engine/types.js'
import { normalize } from '../../text/normalize.js'
import { findCountry, type ClaimSlots, type FieldDeps } from './fields.js'

// A Latin firm name with its legal form, kept whole: "Gamma Trading GmbH", "ACME Co., Ltd.", "Beta GmbH & Co. KG", "Gamma公司".
const LEGAL_FORM = String.raw`(?:co\.?|company|corp\.?|corporation|inc\.?|incorporated|ltd\.?|limited|gmbh|llc|l\.l\.c\.|plc|pte\.?|pty\.?|s\.a\.?|s\.r\.l\.?|srl|s\.p\.a\.?|spa|sarl|b\.v\.?|bv|ag|kg|oy|ab|llp|ltda\.?)(?![a-z])`
const LATIN_BUYER = new RegExp(
  String.raw`(?<![a-z0-9&'’.-])[a-z][a-z0-9&'’.-]{0,39}(?: [a-z0-9&'’.-]{1,40}){0,5}?(?:\s?(?:公司|集团|商行)|(?:, ?| ?& ?| )${LEGAL_FORM}(?:(?:, ?| ?& ?| )?${LEGAL_FORM}){0,3})`,
  'i',
)
// Lower-case words before a capitalised name belong to the sentence ("our buyer Gamma Trading GmbH").
const SENTENCE_WORDS = /^(?:[a-z]\S* )+(?=[A-Z0-9])/
const HAN_BUYER = /(?:买家|买方|客户|进口商)(?:是|叫|为)?[:：]?\s*([\p{Script=Han}A-Za-z0-9（）()&.\s-]{2,40}?(?:公司|集团|商行))/u
const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/

/** Facts a free message states with confidence ("德国的Gamma公司欠我们12.5万美元，去年9月出的货"). */
export function extractFacts(text: string, d: FieldDeps): ClaimSlots {
  const n = normalize(text)
  const out: ClaimSlots = {}

  const code = findCreditCode(text)
  if (code && checkCreditCode(code).ok) out.creditCode = code
  const mobile = MOBILE.exec(text.normalize('NFKC'))
  if (mobile) out.phone = mobile[0]

  const country = findCountry(d.knowledge, text)
  if (country) out.buyerCountry = country
  const latin = LATIN_BUYER.exec(text.normalize('NFKC').replace(/\s+/g, ' '))?.[0].replace(SENTENCE_WORDS, '')
  const buyer = latin ?? HAN_BUYER.exec(text)?.[1]
  if (buyer) out.buyerName = buyer.trim()

  const lc = readLc(wordingOf(d.knowledge.wording).lexicon, n)
  if (lc !== undefined) out.lc = lc

  const risks = findRisks(d.knowledge.risks, n)
  if (risks.kinds.length) out.cause = { riskIds: risks.kinds.map((k) => k.id) }

  const months = splitMonths(n, findMonths(n, new Date(d.now)).filter((m) => m.month !== undefined))
  if (months.declared && /出运|出货|发货|报关|出口|出的货|发的货|走的货|装船/.test(n)) {
    out.declaredAt = { year: months.declared.year, month: months.declared.month!, day: months.declared.day }
  }
  if (months.due) out.dueDate = { year: months.due.year, month: months.due.month!, day: months.due.day }

  const own = findOwnName(n)
  if (own !== undefined) out.ownName = own

  const amount = parseAllMoney(text).find((a) => a.currency !== 'UNKNOWN' && !a.approx)
  if (amount && /欠|未付|没付|不付|拖欠|货款|损失|坏账|收不回|逾期/.test(n)) out.amount = { value: amount.value, currency: amount.currency }

  return out
}

/**
 * What the conversation already established (the working facts), for a report started after it: the district,
 * the export month, the cause, L/C or not, own-name contract, and the unpaid amount when one loss with one exact
 * figure was discussed. Names are not taken: "买方A" in a question is not the buyer's legal name.
 */
export function rememberedFacts(p: WorkingFacts): ClaimSlots {
  const out: ClaimSlots = {}
  if (p.district) out.district = p.district
  if (p.declared?.month) out.declaredAt = { year: p.declared.year, month: p.declared.month }
  if (p.riskIds?.length) out.cause = { riskIds: [...p.riskIds] }
  if (p.lc !== undefined) out.lc = p.lc
  if (p.ownName !== undefined) out.ownName = p.ownName
  const loss = p.losses?.length === 1 ? p.losses[0] : undefined
  const a = loss?.amounts.length === 1 ? loss.amounts[0] : undefined
  if (a && !a.approx && a.currency !== 'UNKNOWN' && a.currency !== 'OTHER') out.amount = { value: a.value, currency: a.currency }
  return out
}
