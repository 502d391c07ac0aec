/** Validators for the facts a loss report collects; each returns the cleaned value or undefined. */
import { normalize } from '../text/normalize.js'
import { asksQuestion, INTERROGATIVE } from '../text/question.js'
import { trimEndOf, trimStartOf, WHITESPACE } from '../text/trim.js'
import { parseAllMoney } from './amount.js'

/** Mainland mobile (11 digits, 1[3-9]…) or landline (area code + 7–8 digits, or an 8-digit Shenzhen local number). */
export function parsePhone(text: string): string | undefined {
  const candidates = text.normalize('NFKC').match(/(?:\+?86[\s-]?)?(?:\d[\d\s-]{5,16}\d)/g) ?? []
  for (const c of candidates) {
    const digits = c.replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, '')
    if (/^1[3-9]\d{9}$/.test(digits)) return digits
    if (/^0\d{2,3}\d{7,8}$/.test(digits) && digits.length >= 10 && digits.length <= 12) return formatLandline(digits)
    if (/^[2-8]\d{7}$/.test(digits)) return digits
  }
  return undefined
}

function formatLandline(d: string): string {
  // Two- or three-digit area codes: 010, 02x are three digits with the 0; others four.
  const area = /^(010|02\d)/.test(d) ? d.slice(0, 3) : d.slice(0, 4)
  return `${area}-${d.slice(area.length)}`
}

const SKIP = /^(不记得|忘了|忘记了|没有|无|不知道|不清楚|跳过|暂无|没|略|记不清|找不到|no|none|n\/a|na|skip|not sure|don'?t know|don'?t have|do not have|no policy number)[了。.!！]*$/i

/** Policy number: letters, digits and dashes, 6–30 characters with some digits; null when the user skips it. */
export function parsePolicyNo(text: string): string | null | undefined {
  const t = text.normalize('NFKC').trim()
  if (SKIP.test(t)) return null
  const m = /[A-Za-z0-9][A-Za-z0-9-]{5,29}/.exec(t.replace(/\s+/g, ''))
  // A word or a firm's name ("ACME Co., Ltd.") is not a policy number.
  return m && /\d.*\d/.test(m[0]) ? m[0].toUpperCase() : undefined
}

/** A person's name: 2–20 letters, Han characters or spaces; no digits; never a place, a filler or a yes/no. */
export function parsePersonName(text: string, placeOf?: (norm: string) => string | undefined): string | undefined {
  let t = text
    .trim()
    .replace(/^(联系人|我是|我叫|姓名|名字)[是:：\s]*/, '')
  t = trimEndOf(t, '，,。.!！')
  if (!/^[\p{Script=Han}A-Za-z·.\s]{2,20}$/u.test(t)) return undefined
  return nameProblem(t, placeOf) ? undefined : t
}

// "稍等", "等一下，我查查", "我找一下再发你", "hold on": the user is looking the answer up.
const WAITING = /^(?:稍等|等一下|等等|等下|等我|我查|我找|我看|我问|我确认|马上|hold on|one moment|wait|just a moment|let me check)/i

/** The user asks for a moment to look the answer up; nothing in the message answers the question. */
export function isWaiting(text: string): boolean {
  const n = normalize(text)
  return n.length <= 14 && WAITING.test(n) && !/\d/.test(n) && !asksQuestion(text)
}

/** Why a message cannot be a name (of a firm, a buyer, a bank or a person), or undefined when it can be one. */
export type NameProblem = 'question' | 'place' | 'yesno' | 'filler' | 'number' | 'amount'

const FILLER =
  /^(?:好|好的|好吧|好啊|行|行的|可以|嗯+|哦+|噢|喔|额|呃|ok|okay|k|收到|知道了|明白|明白了|了解|谢谢|多谢|thanks|thank you|sure|fine|稍等|稍等一下|等一下|等等|等下|等我一下|马上|不知道|不清楚|忘了|不记得|继续|下一步|hi|hello|你好|您好)$/i
const YESNO_WORD = /^(?:是|是的|对|对的|没错|不是|不对|否|没有|没|有|有的|不|不用|yes|no|y|n|yep|nope|yeah)$/i
const NUMBER_ONLY = /^[\d\s.,，、+\-#/()（）%]+$/
// Policy words: "理赔电话", "赔付比例" is a topic, not anyone's name (unless it is a firm: "中国出口信用保险公司").
const TOPIC_WORD = /理赔|赔付|报损|报案|保单|统保|信保|政策|比例|限额|电话|热线|客户经理|保费|流程|材料/
export const ORG_SUFFIX =
  /(?:公司|集团|商行|银行|厂|企业|中心|研究院|事务所|合作社|商店|商贸|分行|支行|(?<![a-z])(?:co|company|corp|corporation|inc|ltd|limited|gmbh|llc|plc|pte|pty|s\.?a|s\.?r\.?l|s\.?p\.?a|sarl|b\.?v|ag|kg|oy|ab|llp|ltda|bank|bancorp)(?![a-z]))/
const PLACE_RESIDUE = /^(?:我们|我司|公司|贵司)?(?:在|位于|是)?(?:广东省?|深圳市?|深圳)?$/
const PUNCT = /[\s，,。.!！~～、；;：:"“”'‘’()（）]+/g
const AMOUNT_RESIDUE = /^(?:大概|大约|约|差不多|将近|左右|多|共|一共|总共)*$/

/**
 * Why `text` is not a name: a question, a place alone ("宝安区"), a yes/no, a filler ("好的", "稍等"), a bare
 * number or an amount. `placeOf` returns the place name found in the (normalized) text, if any.
 */
export function nameProblem(text: string, placeOf?: (norm: string) => string | undefined): NameProblem | undefined {
  const n = normalize(text)
  const bare = n.replace(PUNCT, '')
  if (!bare) return 'filler'
  if (YESNO_WORD.test(bare)) return 'yesno'
  if (FILLER.test(trimEndOf(n, `。.!！~～,，${WHITESPACE}`)) || FILLER.test(bare) || isWaiting(text)) return 'filler'
  const org = ORG_SUFFIX.test(n)
  if (!org && (asksQuestion(text) || INTERROGATIVE.test(n) || TOPIC_WORD.test(n))) return 'question'
  if (NUMBER_ONLY.test(n)) return 'number'
  const money = parseAllMoney(text)
  if (money.length && !org) {
    let rest = n
    for (const m of money) rest = rest.replace(normalize(m.raw), '')
    if (AMOUNT_RESIDUE.test(rest.replace(PUNCT, ''))) return 'amount'
  }
  if (placeOf && !org) {
    const matched = placeOf(n)
    if (matched !== undefined && PLACE_RESIDUE.test(bare.replace(matched.replace(PUNCT, ''), '').replace(/(?:街道|区|镇)$/, ''))) return 'place'
  }
  return undefined
}

// "我们公司叫…", "买方是…", "名称：…" introduce the name; the name itself is kept as typed.
const NAME_INTRO =
  /^(?:(?:我们公司|我司|我们|本公司|公司|买方|买家|客户|对方|进口商|开证行|开证银行|联系人)的?(?:全称|名称|名字)?|全称|名称|名字)\s*(?:是|叫做|叫|为)?\s*[:：]?\s*/
// A bare leading 是 is dropped only before a name that plainly starts after it (a region or a Latin name), so 是德科技 stays.
const YES_INTRO = /^(?:叫做?\s*[:：]?|为\s*[:：]|是\s*[:：]?\s*(?=[A-Za-z0-9]|深圳|广东|中国|香港|澳门|台湾|东莞|广州|上海|北京))\s*/
const OPENING_QUOTES = '“"\'‘「《『'
const CLOSING_QUOTES = '”"\'’」》』'
const TRAILING = `。！!，,；;、${WHITESPACE}`
const HAN = /\p{Script=Han}/u

/** A name as the user gave it: legal form, case and punctuation kept ("ACME Co., Ltd."); only an intro and end marks go. */
export function keepName(text: string): string {
  let t = text.trim().replace(/\s+/g, ' ')
  for (const intro of [NAME_INTRO, YES_INTRO]) {
    const stripped = t.replace(intro, '')
    if (stripped.length >= 2) t = stripped
  }
  t = trimEndOf(trimEndOf(trimStartOf(t, OPENING_QUOTES), CLOSING_QUOTES), TRAILING)
  // A full stop typed as "." after a Chinese name goes; "Co., Ltd." keeps its own.
  const stop = trimEndOf(t, '.')
  if (stop.length < t.length && HAN.test(stop.at(-1) ?? '')) t = stop
  return t.trim()
}

// Each clause of a confirmation ("没问题，提交吧", "yes, submit") must be one of these, after its particles go.
const CONFIRM_CLAUSE =
  /^(?:确认|确认无误|确认提交|确定|确定提交|提交|可以提交|马上提交|现在提交|可以|好|好的|好吧|行|没问题|都没问题|没错|无误|信息无误|正确|都对|对|对的|是|是的|ok|okay|yes|y|yep|yeah|sure|submit|submit it|confirm|confirmed|correct|go ahead|all good|looks good|looks correct)$/i
const CLAUSE_SPLIT = /[，,。.!！~～;；、\s]+/
const CLAUSE_LEAD = /^(?:那就|那|就|请|帮我|直接|嗯+|哦)/
const CLAUSE_TAIL = '吧啊呀了哈嘞哦'
const EN_CONFIRM = /^(?:(?:yes|ok|okay|sure|yep|yeah)[, ]*)?(?:please )?(?:submit(?: it)?|confirm|go ahead|correct|all good|looks good)(?: please)?$/i
const REFUSE = /^(?:不对|不正确|有错|有误|错了|写错了|填错了|要改|需要改|需要修改|我要改|要修改|改一下|修改一下|有问题|不是|不行|no|wrong|not correct|incorrect|change|edit)/i

/** The answer to "核对无误请回复确认": true to submit, false to change something, undefined when unclear. */
export function parseConfirmation(text: string): boolean | undefined {
  const t = text.normalize('NFKC').trim().toLowerCase()
  if (REFUSE.test(t)) return false
  if (EN_CONFIRM.test(trimEndOf(t, '.!'))) return true
  const clauses = t.split(CLAUSE_SPLIT).filter(Boolean)
  if (!clauses.length || clauses.length > 4) return undefined
  const ok = clauses.every((c) => {
    const bare = trimEndOf(c.replace(CLAUSE_LEAD, ''), CLAUSE_TAIL)
    return bare === '' || CONFIRM_CLAUSE.test(bare)
  })
  return ok && clauses.some((c) => trimEndOf(c.replace(CLAUSE_LEAD, ''), CLAUSE_TAIL) !== '') ? true : undefined
}
