import { memoize } from '../text/memo.js'
import { simplifiedInPlace } from '../text/normalize.js'
import { parseNumeral } from './numeral.js'

export type Currency = 'USD' | 'CNY' | 'HKD' | 'EUR' | 'OTHER' | 'UNKNOWN'

/** One amount of money found in a message; raw is the exact slice of the original text. */
export interface MoneyAmount {
  value: number
  currency: Currency
  raw: string
  /**
   * Set when the user gave an approximate figure ("600多万", "六百几万", "大概8万", "差不多一千万"):
   * the plausible range; `value` is then the figure as said (the lower bound for "600多万").
   */
  approx?: Approx
}

/** The plausible range of an approximate figure, in the amount's own currency. */
export interface Approx {
  low: number
  /** Infinity only for an open upper end ("超过800万", "over 8 million"). */
  high: number
  /** The low end itself is excluded: "800多万" and "超过800万" are more than 8,000,000. */
  lowExclusive?: boolean
}

// Traditional and financial (大写) forms users type, mapped one char to one char so offsets into the original stay valid.
const CHAR_MAP: Record<string, string> = {
  萬: '万', 億: '亿', 兩: '两', 幣: '币', 歐: '欧', 鎊: '镑', 韓: '韩', 盧: '卢', 點: '点',
  個: '个', 噸: '吨', 張: '张', 筆: '笔', 單: '单', 輛: '辆', 條: '条', 隻: '只', 歲: '岁', 號: '号',
  壹: '一', 贰: '二', 貳: '二', 叁: '三', 參: '三', 肆: '四', 伍: '五', 陆: '六', 陸: '六',
  柒: '七', 捌: '八', 玖: '九', 拾: '十', 佰: '百', 仟: '千',
}

/** Half-width, lower-case, simplified — char by char, so every index still points at the same char of the input. */
export function prepare(text: string): string {
  let out = ''
  // The same traditional → simplified conversion as everywhere else ("超過" is "超过"), then the amount-specific map.
  for (const ch of simplifiedInPlace(text)) {
    const mapped = CHAR_MAP[ch]
    if (mapped !== undefined) {
      out += mapped
      continue
    }
    // A full-width comma separates list items ("800，900万"); NFKC would turn it into a thousands separator.
    if (ch === '，') {
      out += ch
      continue
    }
    const n = ch.normalize('NFKC').toLowerCase()
    out += n.length === ch.length ? n : ch.toLowerCase().length === ch.length ? ch.toLowerCase() : ch
  }
  return out
}

const ARABIC = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`
const CN_NUM = '零〇一二两三四五六七八九十百千万亿'
// Arabic-led ("3千万", "12.5万", "1亿2千万") or Chinese-led ("一千二百万", "十二点五万").
const NUMBER = new RegExp(
  String.raw`${ARABIC}(?:\s?[十百千万亿]+(?:${ARABIC})?)*|[${CN_NUM}]+(?:点[零〇一二三四五六七八九]+[十百千万亿]*)?`,
  'g',
)

const EN_UNITS: Record<string, number> = { million: 1e6, billion: 1e9, thousand: 1e3, mn: 1e6, bn: 1e9, k: 1e3, w: 1e4, m: 1e6 }
const EN_UNIT = /\s*(million|billion|thousand|mn|bn|k|w|m)(?![a-z])/y

type Known = Exclude<Currency, 'UNKNOWN'>
const ascii = (word: string): string => `${word.replace(/[.$]/g, '\\$&').replace(/ /g, '\\s?')}(?![a-z])`

// Tried in order right after the number (and its unit); within one pattern the longer word comes first.
const SUFFIXES: Array<[RegExp, Known]> = (
  [
    ['日元|日币|英镑|澳元|澳币|加元|加币|新加坡元|新币|韩元|卢布|泰铢|新台币|台币|法郎|卢比', 'OTHER'],
    [['jpy', 'gbp', 'aud', 'cad', 'sgd', 'krw', 'rub', 'chf'].map(ascii).join('|'), 'OTHER'],
    // "一块美金" is one dollar: 块 counts the currency named after it, and is yuan only on its own.
    ['(?:块\\s*)?(?:美元|美金|美圆|美刀)|刀', 'USD'],
    [['u.s. dollars', 'us dollars', 'usd', 'dollars', 'dollar', 'bucks'].map(ascii).join('|'), 'USD'],
    ['(?:块\\s*)?(?:港币|港元|港纸)', 'HKD'],
    [['hong kong dollars', 'hk dollars', 'hkd'].map(ascii).join('|'), 'HKD'],
    ['(?:块\\s*)?欧元|€', 'EUR'],
    [['euros', 'euro', 'eur'].map(ascii).join('|'), 'EUR'],
    // "2020元旦" and "元月" are dates, not yuan.
    ['人民币|元(?![旦月宵])|块钱|块', 'CNY'],
    [['rmb', 'cny'].map(ascii).join('|'), 'CNY'],
  ] as Array<[string, Known]>
).map(([source, currency]) => [new RegExp(String.raw`\s*(?:${source})`, 'y'), currency])

const PREFIXES: Array<[string, Known]> = [
  // No space allowed in "a$": "a $5m order" is English, not Australian dollars.
  [String.raw`nt\$|a\$|c\$|s\$|jpy|gbp|£|日元|英镑`, 'OTHER'],
  [String.raw`hk\s?\$|hkd|港币|港元`, 'HKD'],
  [String.raw`u\.?s\.?\s?\$|usd|美元|美金|\$`, 'USD'],
  [String.raw`eur|€|欧元`, 'EUR'],
  [String.raw`rmb|cny|人民币|¥`, 'CNY'],
]
const PREFIX = new RegExp(String.raw`(?:^|[^a-z])(${PREFIXES.map(([s]) => `(${s})`).join('|')})\s*$`)

// Words after a bare number that make it a count, a date or a ratio rather than money.
const NOT_MONEY_AFTER = /^\s*(?:%|‰|年|月|日|号|天|周|岁|个|人|名|位|次|家|件|吨|台|套|箱|条|只|张|份|户|笔|单|辆|倍|股|公斤|千克|克|米|平|亩|小时|分|秒|届|期|页|字)/
// "几万", "数百万", "上百万": no base figure to build a range on, so not an amount.
const FUZZY_BEFORE = /[几多余来数上]$/
// "600多万", "六百几万", "三万多", "3000多美元": a base figure and an open last digit — a range, read right after the number.
const FUZZY_TAIL = /(?:多|余(?!额)|几|来(?!说|讲|看|的|自|着|了))([十百千万亿]*)/y
// Words that make a figure approximate: about (±APPROX_BAND), nearly (just under), under / over (one-sided).
const ABOUT_BEFORE = /(?:大概|大约|约莫|约合|约为|(?<![合预签节契制公条])约|差不多|估计|大致|大体|≈|(?<![a-z])(?:around|(?<!what |how )about|approximately|approx\.?|roughly|circa|some))\s*(?:(?:是|为|有|在|就是|能有|欠了?|拖欠了?|出口了?|一共|总共|共)\s*(?:我们|我司|我方|了)?\s*)?$/
const NEARLY_BEFORE = /(?:将近|接近|(?<![最附邻亲])近|差一点|(?<![a-z])(?:nearly|almost|close to|just under))\s*(?:是|为|有|到)?\s*$/
const UNDER_BEFORE = /(?:不到|不足|少于|低于|不超过|没超过|没有超过|没到|未超过|(?<![a-z])(?:under|less than|below|not more than|no more than|up to|at most))\s*(?:[了过]\s*)?(?:是|为|有)?\s*$/
// An aspect particle may stand between the word and the figure: "超过了800万", "超出过", "低于了".
const OVER_BEFORE = /(?:超过|多于|高于|大于|超出|(?<![a-z])(?:over|more than|above))\s*(?:[了过]\s*)?(?:是|为|有)?\s*$/
const AT_LEAST_BEFORE = /(?:至少|不少于|不低于|起码|(?<![a-z])(?:at least|no less than))\s*(?:是|为|有)?\s*$/
const ABOUT_AFTER = /^\s*(?:左右|上下|前后|or so|-?ish)/
// A plus sign before another figure is a sum ("6万+7万"), not "or more".
const OVER_AFTER = /^\s*(?:出头|多一点|多点|还多|以上|之上|(?:\+|plus)(?!\s*[$\d一二两三四五六七八九十]))/
const UNDER_AFTER = /^\s*(?:以下|以内|之内|不到)/
/** "大概8万" means 72,000–88,000: a figure said with "about" is read as ±10 %. */
export const APPROX_BAND = 0.1
// Slang units that are only money next to a magnitude: "15万刀" is dollars, "2刀" is not.
const WEAK_SUFFIX = new Set(['块', '刀'])

type Found = MoneyAmount & { start: number; end: number; explicit: boolean }

const SCALE_OF: Record<string, number> = { 十: 10, 百: 100, 千: 1000, 万: 1e4, 亿: 1e8 }

/** The place value of a figure's last significant digit: 600 → 100, 120 → 10, 15 → 1. */
function lastPlace(n: number): number {
  if (!Number.isInteger(n) || n === 0) return 1
  let place = 1
  while (n % (place * 10) === 0) place *= 10
  return place
}

const round2 = (n: number): number => Math.round(n * 100) / 100

/** A range from the words around a figure: "大概", "左右", "将近", "不到", "超过", "出头". */
function approxFromWords(value: number, before: string, after: string): Approx | undefined {
  if (UNDER_BEFORE.test(before) || UNDER_AFTER.test(after)) return { low: 0, high: value }
  if (OVER_BEFORE.test(before)) return { low: value, high: Infinity, lowExclusive: true }
  if (AT_LEAST_BEFORE.test(before)) return { low: value, high: Infinity }
  if (OVER_AFTER.test(after)) {
    // "800万出头" is a little over; "800万以上" has no upper end.
    return /^\s*(?:以上|之上|\+|plus)/.test(after) ? { low: value, high: Infinity } : { low: value, high: round2(value * (1 + APPROX_BAND)), lowExclusive: true }
  }
  if (NEARLY_BEFORE.test(before)) return { low: round2(value * (1 - APPROX_BAND)), high: value }
  if (ABOUT_BEFORE.test(before) || ABOUT_AFTER.test(after)) return { low: round2(value * (1 - APPROX_BAND)), high: round2(value * (1 + APPROX_BAND)) }
  return undefined
}

const RANGE = /^\s*(?:到|至|~|-|—|–)\s*$/
const LIST = /^\s*(?:、|,|，|;|；|\/|\+|和|与|及|跟|或|以及|还有|加上|加|and|or|&)\s*$/

function findAll(text: string): Found[] {
  const t = prepare(text)
  const found: Found[] = []
  let consumed = 0
  NUMBER.lastIndex = 0
  for (let m = NUMBER.exec(t); m; m = NUMBER.exec(t)) {
    const run = m[0]
    const start = m.index
    let end = start + run.length
    // Never look back into the previous amount: "500万美元 800万" must not read 美元 as a prefix of 800万.
    const before = t.slice(Math.max(consumed, start - 24), start)

    let scale = 1
    let unit: string | undefined
    if (/^[\d,.]+$/.test(run)) {
      EN_UNIT.lastIndex = end
      const u = EN_UNIT.exec(t)
      if (u) {
        unit = u[1]!
        scale = EN_UNITS[unit]!
        end = EN_UNIT.lastIndex
      }
    }

    // "7.5M": a capital M after a figure is millions; a lower-case "5m" may be metres.
    const capitalM = unit === 'm' && /^\s*M/.test(text.slice(start + run.length, end))

    // "600多万" (base 600, open tens and units of 万), "三万多", "3000多美元".
    let fuzzy: { place: number; scale: number } | undefined
    if (!unit) {
      FUZZY_TAIL.lastIndex = end
      const f = FUZZY_TAIL.exec(t)
      if (f) {
        const tailUnits = f[1]!
        const lastChar = run.replace(/\s/g, '').slice(-1)
        const tailScale = [...tailUnits].reduce((a, u) => a * SCALE_OF[u]!, 1)
        // After a unit ("三万多") the open part is below that unit; after digits it is the last digit's place.
        const base = parseNumeral(run)
        const place = tailUnits === '' && SCALE_OF[lastChar] ? SCALE_OF[lastChar]! : lastPlace(base ?? 0)
        if (base !== undefined && !(tailUnits && /[万亿]/.test(run) && /[万亿]/.test(tailUnits))) {
          fuzzy = { place, scale: tailScale }
          end = FUZZY_TAIL.lastIndex
        }
      }
    }

    let currency: Currency = 'UNKNOWN'
    let suffix: string | undefined
    for (const [re, cur] of SUFFIXES) {
      re.lastIndex = end
      const s = re.exec(t)
      if (s) {
        currency = cur
        suffix = s[0].trim()
        end = re.lastIndex
        break
      }
    }
    let rawStart = start
    const p = PREFIX.exec(before)
    if (p) {
      const idx = PREFIXES.findIndex((_, i) => p[i + 2] !== undefined)
      // An explicit word after the number ("$500万港币") is more specific than a bare symbol before it.
      if (currency === 'UNKNOWN') currency = PREFIXES[idx]![1]
      rawStart = start - before.length + p.index + p[0].trimEnd().length - p[1]!.length
    }

    const rest = t.slice(end)
    const numeral = parseNumeral(run)
    const value = numeral === undefined ? undefined : numeral * (fuzzy?.scale ?? 1)
    const magnitude = /[万亿]/.test(run) || (fuzzy !== undefined && fuzzy.scale >= 1e4) || (unit !== undefined && (unit !== 'm' || capitalM))
    const explicit = currency !== 'UNKNOWN'
    const reject =
      value === undefined ||
      !Number.isFinite(value) ||
      (suffix !== undefined && WEAK_SUFFIX.has(suffix) && !magnitude) ||
      (unit === 'm' && !explicit && !capitalM) ||
      (/^[百千万亿]/.test(run) && !explicit) ||
      (/^[\d,.]+$/.test(run) && !p && /[a-z0-9]$/.test(before)) ||
      (!explicit && !magnitude && !run.includes(',')) ||
      (!suffix && NOT_MONEY_AFTER.test(rest)) ||
      (!suffix && /^[a-z]/.test(rest) && !/^(?:or so|ish|plus)(?![a-z])/.test(rest)) ||
      // "三万多家", "600多个": what follows the open digits counts things, it is not money.
      (fuzzy !== undefined && /^\s*[个家人名位件次]/.test(rest)) ||
      (/^[十百千万亿]/.test(run) && FUZZY_BEFORE.test(before)) ||
      /(?:百分之|第)$/.test(before)
    if (reject) {
      NUMBER.lastIndex = start + run.length
      continue
    }
    const amount = round2(value * scale)
    let approx: Approx | undefined
    if (fuzzy) {
      approx = { low: amount, high: round2(amount + fuzzy.place * fuzzy.scale * scale), lowExclusive: true }
    } else {
      approx = approxFromWords(amount, t.slice(Math.max(consumed, rawStart - 16), rawStart), rest)
    }
    found.push({
      value: amount,
      currency,
      raw: text.slice(rawStart, end).trim(),
      start: rawStart,
      end,
      explicit,
      ...(approx ? { approx } : {}),
    })
    NUMBER.lastIndex = end
    consumed = end
  }

  // "500万到800万美元", "$100k-200k": a range shares one currency; so does a list ("6万、7万、8万美元", "30万美元和5万").
  const joined = (from: number, to: number): boolean => {
    const gap = t.slice(from, to)
    return RANGE.test(gap) || LIST.test(gap)
  }
  for (let i = found.length - 2; i >= 0; i--) {
    const a = found[i]!
    const next = found[i + 1]!
    if (a.currency === 'UNKNOWN' && next.currency !== 'UNKNOWN' && joined(a.end, next.start)) a.currency = next.currency
  }
  for (let i = 1; i < found.length; i++) {
    const a = found[i]!
    const prev = found[i - 1]!
    if (a.currency === 'UNKNOWN' && prev.currency !== 'UNKNOWN' && joined(prev.end, a.start)) a.currency = prev.currency
  }
  return found
}

/** Every amount of money in a message, in order ("500万美元", "七百万美金", "USD 7.5 million", bare "800万"). */
export function parseAllMoney(text: string): MoneyAmount[] {
  return parseAllMemo(text).map((a) => ({ ...a, ...(a.approx ? { approx: { ...a.approx } } : {}) }))
}

/** An amount with where it stands in the message (UTF-16 offsets into the text given). */
export type MoneySpan = MoneyAmount & { start: number; end: number }

/** Every amount of money with its position, for readers that need to know what stands near each figure. */
export function parseMoneySpans(text: string): MoneySpan[] {
  return spansMemo(text).map((a) => ({ ...a, ...(a.approx ? { approx: { ...a.approx } } : {}) }))
}

const spansMemo = memoize(
  (text: string): MoneySpan[] =>
    findAll(text).map(({ value, currency, raw, start, end, approx }) => ({ value, currency, raw, start, end, ...(approx ? { approx } : {}) })),
  500,
)

// Several skills look for amounts in the same message; parse it once.
const parseAllMemo = memoize(
  (text: string): MoneyAmount[] => spansMemo(text).map(({ value, currency, raw, approx }) => ({ value, currency, raw, ...(approx ? { approx } : {}) })),
  500,
)

/** The first amount of money in a message, or undefined; years, dates, phone numbers and percentages are not amounts. */
export function parseMoney(text: string): MoneyAmount | undefined {
  return parseAllMoney(text)[0]
}

function trimZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed
}

/** 150000 → "150,000美元" (cents only when there are any). */
export function formatUsd(n: number): string {
  const sign = n < 0 ? '-' : ''
  const [int, frac] = trimZeros(Math.abs(n).toFixed(2)).split('.')
  return `${sign}${int!.replace(/\B(?=(\d{3})+$)/g, ',')}${frac ? `.${frac}` : ''}美元`
}

/** 150000 → "15万美元", 125000 → "12.5万美元": the unit Chinese exporters quote in. */
export function formatUsdWan(n: number): string {
  return `${trimZeros((n / 1e4).toFixed(4))}万美元`
}
