import type { Knowledge } from '../../knowledge/knowledge.js'
import { parseAllMoney, type Currency } from '../../policy/amount.js'
import { keepName, nameProblem, ORG_SUFFIX, parsePersonName, parsePhone, parsePolicyNo, type NameProblem } from '../../policy/contact-fields.js'
import { wordingOf } from '../../understand/acts.js'
import { findOwnName, findRisks } from '../../policy/coverage.js'
import { checkCreditCode, creditCodeProblem, findCreditCode } from '../../policy/credit-code.js'
import { findMonths, formatMonth } from '../../policy/dates.js'
import type { PlaceResolver } from '../../policy/places.js'
import { normalize } from '../../text/normalize.js'
import { trimEndOf } from '../../text/trim.js'
import { termMatcher } from '../../text/terms.js'
import { formatMoney } from '../shared.js'

export interface Ym {
  year: number
  month: number
  day?: number
}
export interface Cause {
  riskIds: string[]
  /** The user's words when they match no listed risk. */
  other?: string
}
export interface Money {
  value: number
  currency: Currency
}

/** Everything the report collects; all optional while the form is being filled. */
export interface ClaimSlots {
  company?: string
  creditCode?: string
  district?: string
  contactName?: string
  phone?: string
  policyNo?: string | null
  buyerName?: string
  buyerCountry?: string
  lc?: boolean
  issuingBank?: string
  cause?: Cause
  declaredAt?: Ym
  ownName?: boolean
  amount?: Money
  dueDate?: Ym
  description?: string
}
export type SlotKey = keyof ClaimSlots

export interface FieldDeps {
  knowledge: Knowledge
  places: PlaceResolver
  now: number
}

/** A failed parse; `question` when the answer was really a question for the router to answer. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string; question?: boolean }

export interface FieldSpec<K extends SlotKey = SlotKey> {
  key: K
  label: string
  /** Words a user may use to name this field in a correction ("金额改成…"). */
  aliases: string[]
  prompt(d: FieldDeps, slots: ClaimSlots): string
  parse(text: string, d: FieldDeps, slots: ClaimSlots): Parsed<NonNullable<ClaimSlots[K]> | null>
  show(value: NonNullable<ClaimSlots[K]>, d: FieldDeps): string
  /** Asked only when this returns true (the issuing bank only for L/C). */
  applies?(slots: ClaimSlots): boolean
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value })
const err = (error: string): Parsed<never> => ({ ok: false, error })
// End marks trimmed by a backward scan: "[。.!！]+$" is quadratic on a long run of them followed by anything else.
const clean = (t: string) => trimEndOf(t.trim().replace(/^(是|叫|为)[:：]?/, ''), '。.!！').trim()
const placeOf = (d: FieldDeps) => (norm: string) => d.places.resolve(norm)?.matched

/** A polite re-ask when the answer cannot be the name asked for. */
function nameError(label: string, example: string, problem: NameProblem, text: string): string {
  const ask = `请填写${label}，例如“${example}”。`
  if (problem === 'place') return `“${keepName(text)}”是地名，不是${label}。${ask}`
  if (problem === 'number' || problem === 'amount') return `这像是数字或金额，不是${label}。${ask}`
  if (problem === 'question') return `${ask}有问题也可以直接问我。`
  return ask
}

/** A name field: kept exactly as given, after ruling out questions, places, yes/no, fillers and figures. */
function parseName(text: string, d: FieldDeps, label: string, example: string, min: number): Parsed<string> {
  const problem = nameProblem(text, placeOf(d))
  if (problem) return { ok: false, error: nameError(label, example, problem, text), question: problem === 'question' }
  const t = keepName(text)
  if (t.length < min || t.length > 100 || !/[\p{Script=Han}A-Za-z]/u.test(t)) return err(`请填写${label}，例如“${example}”。`)
  return ok(t)
}

function month(text: string, now: number): Ym | undefined {
  const m = findMonths(normalize(text), new Date(now)).find((x) => x.month !== undefined)
  return m ? { year: m.year, month: m.month!, day: m.day } : undefined
}

export function showYm(ym: Ym): string {
  return `${formatMonth(ym)}${ym.day ? `${ym.day}日` : ''}`
}

/** The form, in the order it is asked. */
export const FIELDS: FieldSpec[] = [
  {
    key: 'company',
    label: '企业名称',
    aliases: ['企业名称', '公司名称', '公司名', '企业', '公司', '名称'],
    prompt: () => '请问贵司的企业全称是？',
    parse(text, d) {
      const name = parseName(text, d, '企业全称', '深圳市某某科技有限公司', 4)
      // The full registered name carries its legal form; "示例电子" alone is not enough to find the firm.
      if (name.ok && !ORG_SUFFIX.test(normalize(name.value))) return err('请填写营业执照上的企业全称（带“有限公司”等），例如“深圳市某某科技有限公司”。')
      return name
    },
    show: (v) => v,
  } satisfies FieldSpec<'company'>,
  {
    key: 'creditCode',
    label: '统一社会信用代码',
    aliases: ['统一社会信用代码', '社会信用代码', '信用代码', '代码'],
    prompt: () => '贵司的18位统一社会信用代码是？',
    parse(text) {
      const found = findCreditCode(text) ?? text.replace(/[\s-]/g, '')
      const check = checkCreditCode(found)
      return check.ok ? ok(check.code) : err(`${creditCodeProblem(check.reason)}，请核对后重新输入。`)
    },
    show: (v) => v,
  } satisfies FieldSpec<'creditCode'>,
  {
    key: 'district',
    label: '所在区',
    aliases: ['所在区', '区域', '地区', '区'],
    prompt: () => '贵司在深圳哪个区？（回复区名或街道名）',
    parse(text, d) {
      const place = d.places.resolve(normalize(text))
      return place ? ok(place.district) : err(`没认出是哪个区。请回复区名，例如“宝安区”，可选：${d.places.districts.join('、')}`)
    },
    show: (v) => v,
  } satisfies FieldSpec<'district'>,
  {
    key: 'contactName',
    label: '联系人',
    aliases: ['联系人', '姓名', '名字'],
    prompt: () => '请留一位联系人的姓名。',
    parse(text, d) {
      const name = parsePersonName(text, placeOf(d))
      if (name) return ok(name)
      const problem = nameProblem(text, placeOf(d))
      if (problem) return { ok: false, error: nameError('联系人姓名', '张三', problem, text), question: problem === 'question' }
      return err('请只填联系人姓名，例如“张三”。')
    },
    show: (v) => v,
  } satisfies FieldSpec<'contactName'>,
  {
    key: 'phone',
    label: '联系电话',
    aliases: ['联系电话', '电话号码', '手机号', '电话', '手机', '号码'],
    prompt: () => '联系人的手机或座机号码是？',
    parse(text) {
      const p = parsePhone(text)
      return p ? ok(p) : err('电话格式不对，请填11位手机号，或带区号的座机（如0755-88888888）。')
    },
    show: (v) => v,
  } satisfies FieldSpec<'phone'>,
  {
    key: 'policyNo',
    label: '保单号',
    aliases: ['保单号', '保单编号', '保单'],
    prompt: () => '有保单号吗？有请发给我；没有或不记得，回复“没有”。',
    parse(text) {
      const p = parsePolicyNo(text)
      return p === undefined ? err('保单号一般是字母和数字组成，请核对；没有或不记得请回复“没有”。') : ok(p)
    },
    show: (v) => v ?? '未提供',
  } satisfies FieldSpec<'policyNo'>,
  {
    key: 'buyerName',
    label: '买方名称',
    aliases: ['买方名称', '买家名称', '买方', '买家', '客户', '进口商'],
    prompt: () => '买方（进口商）的名称是？',
    parse(text, d) {
      if (isCountryName(d.knowledge, text)) return err(`“${keepName(text)}”是国家或地区，请填写买方（进口商）的名称，例如“ACME Co., Ltd.”。`)
      return parseName(text, d, '买方名称', 'ACME Co., Ltd.', 2)
    },
    show: (v) => v,
  } satisfies FieldSpec<'buyerName'>,
  {
    key: 'buyerCountry',
    label: '买方所在国家或地区',
    aliases: ['买方所在国家', '国家或地区', '国家', '国别'],
    prompt: () => '买方在哪个国家或地区？',
    parse(text, d) {
      const found = findCountry(d.knowledge, text)
      if (found) return ok(found)
      const t = clean(text)
      const fits = /^[\p{Script=Han}A-Za-z .'-]{2,30}$/u.test(t) && !nameProblem(text, placeOf(d))
      return fits ? ok(t) : err('请填写买方所在的国家或地区，例如“德国”或“中国香港”。')
    },
    show: (v) => v,
  } satisfies FieldSpec<'buyerCountry'>,
  {
    key: 'lc',
    label: '是否信用证结算',
    aliases: ['信用证', '结算方式', '支付方式', '付款方式'],
    prompt: () => '这笔货款是用信用证（L/C）结算的吗？回复“是”或“不是”。',
    parse(text, d) {
      const n = normalize(text)
      const { lexicon, acts } = wordingOf(d.knowledge.wording)
      if (lexicon.has('notLc', n)) return ok(false)
      const yn = acts.answer(n, 'fact')
      if (yn !== undefined) return ok(yn)
      if (lexicon.has('lc', n)) return ok(true)
      return err('没听明白。这笔货款是用信用证（L/C）结算的吗？请回复“是”（信用证结算）或“不是”（如电汇、赊销）。')
    },
    show: (v) => (v ? '信用证（L/C）' : '非信用证'),
  } satisfies FieldSpec<'lc'>,
  {
    key: 'issuingBank',
    label: '开证行',
    aliases: ['开证行', '开证银行', '银行'],
    applies: (s) => s.lc === true,
    prompt: () => '开证行是哪家银行？（信用证项下，开证行是风险方）',
    parse: (text, d) => parseName(text, d, '开证行名称', 'Deutsche Bank', 2),
    show: (v) => v,
  } satisfies FieldSpec<'issuingBank'>,
  {
    key: 'cause',
    label: '损失原因',
    aliases: ['损失原因', '出险原因', '原因'],
    prompt: () => '损失原因是什么？例如买家破产、拖欠货款、拒收货物，开证行破产或拒绝承兑，买方所在国战争、外汇管制等。',
    parse(text, d, slots) {
      const n = normalize(text)
      const r = findRisks(d.knowledge.risks, slots.lc ? `${n} 开证行` : n)
      if (r.kinds.length) return ok({ riskIds: r.kinds.map((k) => k.id) })
      const t = clean(text)
      const problem = nameProblem(text)
      const noCause = problem === 'filler' || problem === 'yesno' || problem === 'number'
      if (!noCause && t.length >= 2 && t.length <= 200) return ok({ riskIds: [], other: t })
      return err('请简单说一下损失原因，例如“买家拖欠货款”。')
    },
    show: (v, d) => showCause(d.knowledge, v),
  } satisfies FieldSpec<'cause'>,
  {
    key: 'declaredAt',
    label: '报关出口时间',
    aliases: ['报关出口时间', '报关时间', '出口时间', '出运时间', '出货时间', '发货时间', '报关', '出运', '出货', '发货'],
    prompt: () => '这批货是哪年哪月报关出口的？（例如“2021年9月”）',
    parse(text, d) {
      const m = month(text, d.now)
      return m ? ok(m) : err('请写出年和月，例如“2021年9月”。')
    },
    show: (v) => showYm(v),
  } satisfies FieldSpec<'declaredAt'>,
  {
    key: 'ownName',
    label: '以贵司名义签约并报关',
    aliases: ['名义', '合同', '签约'],
    prompt: () => '销售合同是贵司与买方直接签的、并以贵司名义报关吗？回复“是”或“不是”。',
    parse(text, d) {
      const own = findOwnName(normalize(text)) ?? wordingOf(d.knowledge.wording).acts.answer(normalize(text), 'fact')
      return own === undefined ? err('没听明白。销售合同是贵司直接与买方签的、并以贵司名义报关吗？请回复“是”或“不是”。') : ok(own)
    },
    show: (v) => (v ? '是' : '否'),
  } satisfies FieldSpec<'ownName'>,
  {
    key: 'amount',
    label: '未付金额',
    aliases: ['未付金额', '欠款金额', '损失金额', '金额', '欠款', '货款'],
    prompt: () => '买方还欠多少货款？请写金额和币种，例如“12.5万美元”。',
    parse(text) {
      const a = parseAllMoney(text)[0]
      if (!a) return err('没看懂金额，请写数字和币种，例如“12.5万美元”或“80万人民币”。')
      if (a.currency === 'UNKNOWN') return err(`请注明币种，例如“${a.raw}美元”或“${a.raw}人民币”。`)
      // A report states what is owed: "大概12万" is asked again, as it is on the invoices.
      if (a.approx) return err(`报损需要准确的金额：请按发票或合同写出未付的具体数字和币种，例如“12.5万美元”（您说的是“${a.raw}”）。`)
      return ok({ value: a.value, currency: a.currency })
    },
    show: (v) => formatMoney({ ...v, raw: '' }),
  } satisfies FieldSpec<'amount'>,
  {
    key: 'dueDate',
    label: '付款到期日',
    aliases: ['付款到期日', '到期日', '应付款日', '付款日', '到期'],
    prompt: () => '这笔货款原定哪天到期付款？（例如“2021年12月31日”）',
    parse(text, d) {
      const m = month(text, d.now)
      return m ? ok(m) : err('请写出到期的年月（日可省略），例如“2021年12月31日”。')
    },
    show: (v) => showYm(v),
  } satisfies FieldSpec<'dueDate'>,
  {
    key: 'description',
    label: '情况说明',
    aliases: ['情况说明', '说明', '描述', '备注', '情况'],
    prompt: () => '最后，请简单说说情况（如催收经过），没有可回复“无”。',
    parse(text) {
      const t = text.trim()
      if (t.length > 500) return err('说明请控制在500字以内。')
      if (/^(无|没有|没了|暂无|不用了?|no|none|nothing|n\/a|nothing to add)[。.!！]*$/i.test(t)) return ok('无')
      const problem = nameProblem(t)
      if (problem === 'filler' || problem === 'yesno') return err('请简单说说情况（如催收经过），没有可回复“无”。')
      return ok(t)
    },
    show: (v) => v,
  } satisfies FieldSpec<'description'>,
] as FieldSpec[]

export const FIELD_BY_KEY = new Map(FIELDS.map((f) => [f.key, f]))

const countryMatchers = new WeakMap<Knowledge['countries'], Array<{ name: string; len: number; test: (t: string) => boolean }>>()

/** A country or region named in the text (Chinese name, alias, or English word); the longest name wins. */
export function findCountry(k: Knowledge, text: string): string | undefined {
  let matchers = countryMatchers.get(k.countries)
  if (!matchers) {
    matchers = k.countries.regions.flatMap((r) =>
      [r.name, ...r.aliases].map((alias) => ({ name: r.name, len: alias.length, test: termMatcher(normalize(alias)) })),
    )
    countryMatchers.set(k.countries, matchers)
  }
  const n = normalize(text)
  let best: { name: string; len: number } | undefined
  for (const m of matchers) if (m.test(n) && (!best || m.len > best.len)) best = m
  return best?.name
}

/** The whole message is a country or region name ("德国", "Germany"), not a firm named after one. */
export function isCountryName(k: Knowledge, text: string): boolean {
  const n = normalize(keepName(text))
  return k.countries.regions.some((r) => normalize(r.name) === n || r.aliases.some((a) => normalize(a) === n))
}

/** "拖欠货款（商业风险）" or the user's own words. */
export function showCause(k: Knowledge, c: Cause): string {
  const kinds = k.risks.kinds.filter((r) => c.riskIds.includes(r.id))
  if (kinds.length) return kinds.map((r) => `${r.label}（${r.type === 'commercial' ? '商业风险' : '政治风险'}）`).join('、')
  return `${c.other ?? ''}（未对应到列举的保障风险）`
}
