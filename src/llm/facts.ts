import { parseMoneySpans, prepare, type Currency } from '../policy/amount.js'
import { findMonths } from '../policy/dates.js'

/** What kind of checkable fact a piece of text states. */
export type FactKind = 'url' | 'phone' | 'amount' | 'percent' | 'date' | 'number' | 'name'

/** One fact found in a text: `key` is its normalised value ("150000|USD", "80", "2021-1"), `raw` the words used. */
export interface Fact {
  kind: FactKind
  key: string
  raw: string
  /** Amounts only. */
  value?: number
  currency?: Currency
}

const URL = /(?:https?:\/\/)?(?:[a-z0-9-]+\.)+(?:cn|com|net|org|gov|edu|io|hk|info)(?::\d+)?(?:\/[^\s，。、；;：:）)】"“”'<>]*)?/g
const CN_DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 }
const EN_NUMBER: Record<string, number> = {
  two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, fifteen: 15, twenty: 20,
  thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, hundred: 100,
}
const EN_WORDS = Object.keys(EN_NUMBER).join('|')
const PERCENT = new RegExp(String.raw`(\d+(?:\.\d+)?)\s*(?:%|percent|per cent|pct)|百分之([零〇一二两三四五六七八九十百点\d.]+)|(?<![第一二三四五六七八九十])([一二三四五六七八九十])成(?![本为功立员交熟长果绩就])|(?<![a-z])(${EN_WORDS})[ -](?:percent|per cent)`, 'g')
// A phone: 7 to 12 digits, maybe an area code or "+86" and dashes; never part of a decimal or a longer number.
const PHONE = /(?<!\d|\d[.,])(?:\+?86[- ]?)?(?:0\d{2,3}-)?\d{3,4}(?:-?\d{3,4}){1,2}(?!\d|[.,]\d|\s*%)/g
const ARABIC = /(?<![\d.,])\d+(?:,\d{3})*(?:\.\d+)?(?![\d])/g
// A Chinese numeral counts only before a measure word ("三个", "一年半", "130票"): 统一, 第一时间, 一揽子 are words.
const CN_COUNT = /(?<![第万亿千百十零〇一二两三四五六七八九])([零〇一二两三四五六七八九十百千]+)(年半|个半|[个家种项票份年月日号天周倍岁次位名条笔类步张期届])/g
const EN_COUNT = new RegExp(String.raw`(?<![a-z-])(${EN_WORDS})(?![a-z-])`, 'g')
// List numbering ("1、", "2.", "(3)") is layout, not a fact.
const LIST_MARK = /(?:^|\n)\s*[(（]?\d{1,2}[)）.、．](?!\d)|[(（]\d{1,2}[)）]|(?<![\d.,])\d{1,2}、(?=\s*[\p{Script=Han}a-z])/gu
const ORDINAL = /第\s*\d+/g
// Common surnames: a name is looked for only where one starts a title ("张经理") or stands before a phone number.
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧'
const TITLED = new RegExp(`([${SURNAMES}][\\p{Script=Han}]{0,2}?)(?:经理|先生|女士|小姐|老师|主任|专员|总监|科长|处长)`, 'gu')
const BEFORE_PHONE = new RegExp(`([${SURNAMES}][\\p{Script=Han}]{1,2})[：:\\s]*(?=\\+?\\d{7,})`, 'gu')
const NOT_A_NAME = /(区|市|省|县|镇|街道|电话|热线|号码|手机|座机|窗口|公司|银行|中心|额|款|费|量|数|期|码|号)$|^(高级|客户|项目|部门|方面|万一)/
const EN_NAME = /\b(?:mr|mrs|ms|miss|dr)\.?\s+[a-z][a-z'-]+/g

/** Value of a small Chinese numeral: 三 → 3, 十五 → 15, 一百三十 → 130. */
export function chineseNumber(s: string): number | undefined {
  if (/^\d+(?:\.\d+)?$/.test(s)) return Number(s)
  let total = 0
  let num = 0
  let seen = false
  for (const ch of s) {
    const d = CN_DIGIT[ch]
    if (d !== undefined) {
      num = d
      seen = true
      continue
    }
    const unit = ch === '十' ? 10 : ch === '百' ? 100 : ch === '千' ? 1000 : undefined
    if (!unit) return undefined
    total += (seen || unit !== 10 ? num || (unit === 10 ? 1 : 0) : 1) * unit
    num = 0
    seen = false
  }
  return total + num
}

const fmt = (n: number) => String(Math.round(n * 1e6) / 1e6)

/**
 * The checkable facts of a text: URLs, dates, percents, amounts (value and currency), phones, other numbers and
 * person names. Each span is read once, in that order, so "15万美元" is an amount and not also the number 15.
 * `names` are people the knowledge base lists, found wherever they appear.
 */
export function scanFacts(input: string, names: readonly string[] = []): Fact[] {
  const facts: Fact[] = []
  let t = prepare(input)
  // Blank out a span once it is read, keeping offsets.
  const blank = (start: number, end: number) => (t = t.slice(0, start) + ' '.repeat(end - start) + t.slice(end))
  const each = (re: RegExp, fn: (m: RegExpExecArray) => Fact | Fact[] | undefined, keep = false) => {
    for (const m of [...t.matchAll(re)]) {
      const f = fn(m as RegExpExecArray)
      if (f) facts.push(...(Array.isArray(f) ? f : [f]))
      if ((f || keep) && m.index !== undefined) blank(m.index, m.index + m[0].length)
    }
  }

  for (const name of names) {
    if (name && input.includes(name)) facts.push({ kind: 'name', key: name, raw: name })
  }
  each(URL, (m) => {
    const key = m[0].replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/[/.]+$/, '')
    return { kind: 'url', key, raw: m[0] }
  })
  for (const d of findMonths(t, new Date(0)).filter((d) => !d.relative)) {
    facts.push({ kind: 'date', key: [d.year, d.month, d.month && d.day].filter(Boolean).join('-'), raw: d.raw })
    blank(d.index, d.index + d.raw.length)
  }
  each(PERCENT, (m) => {
    const v = m[1] ? Number(m[1]) : m[2] ? chineseNumber(m[2].replace('点', '.')) : m[3] ? chineseNumber(m[3])! * 10 : EN_NUMBER[m[4]!]
    return v === undefined ? undefined : { kind: 'percent', key: fmt(v), raw: m[0] }
  })
  for (const a of parseMoneySpans(t)) {
    facts.push({ kind: 'amount', key: `${fmt(a.value)}|${a.currency}`, raw: a.raw, value: a.value, currency: a.currency })
    blank(a.start, a.end)
  }
  each(PHONE, (m) => {
    // "2021-2022" is two years, not a phone.
    const years = /^((?:19|20)\d\d)-((?:19|20)\d\d)$/.exec(m[0])
    if (years) return [years[1]!, years[2]!].map((y): Fact => ({ kind: 'date', key: y, raw: y }))
    const digits = m[0].replace(/\D/g, '').replace(/^86(?=\d{9,})/, '')
    if (digits.length < 7) return undefined
    return { kind: 'phone', key: digits.replace(/^0\d{2,3}(?=\d{7,8}$)/, ''), raw: m[0] }
  })
  each(LIST_MARK, () => undefined, true)
  each(ORDINAL, () => undefined, true)
  each(ARABIC, (m) => ({ kind: 'number', key: fmt(Number(m[0].replace(/,/g, ''))), raw: m[0] }))
  each(CN_COUNT, (m) => {
    const v = chineseNumber(m[1]!)
    if (v === undefined) return undefined
    const value = m[2]!.endsWith('半') ? v + 0.5 : v
    // "一个", "一次": a single thing is a way of speaking, not a figure to check.
    return value === 1 ? undefined : { kind: 'number', key: fmt(value), raw: m[0] }
  })
  each(EN_COUNT, (m) => ({ kind: 'number', key: fmt(EN_NUMBER[m[1]!]!), raw: m[0] }))
  for (const re of [TITLED, BEFORE_PHONE]) {
    for (const m of input.matchAll(re)) {
      const name = m[1]!
      if (!NOT_A_NAME.test(name) && !names.includes(name)) facts.push({ kind: 'name', key: name, raw: m[0] })
    }
  }
  for (const m of input.toLowerCase().matchAll(EN_NAME)) facts.push({ kind: 'name', key: m[0], raw: m[0] })
  return facts
}
