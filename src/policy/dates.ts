import { memoize } from '../text/memo.js'
/** A calendar month named in a message ("2020年3月", "去年9月", "2021-05", "June 2021"); month is absent for a bare year. */
export interface MonthRef {
  year: number
  month?: number
  day?: number
  raw: string
  /** True for 今年/去年/前年, "last June", "last year", resolved against the message time. */
  relative: boolean
  index: number
}

/** A month named without its year ("6月30号报关", "shipped in June"): the year must come from elsewhere. */
export interface YearlessMonth {
  month: number
  day?: number
  raw: string
  index: number
}

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10, 〇: 0, 零: 0 }

function cnSmall(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s)
  if (s === '十') return 10
  if (s.startsWith('十')) return 10 + (CN_DIGITS[s[1]!] ?? NaN)
  if (s.endsWith('十')) return (CN_DIGITS[s[0]!] ?? NaN) * 10
  if (s.length === 3 && s[1] === '十') return (CN_DIGITS[s[0]!] ?? NaN) * 10 + (CN_DIGITS[s[2]!] ?? NaN)
  if (s.length === 1) return CN_DIGITS[s]
  return undefined
}

const EN_MONTHS: Record<string, number> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6, july: 7, jul: 7,
  august: 8, aug: 8, september: 9, sept: 9, sep: 9, october: 10, oct: 10, november: 11, nov: 11, december: 12, dec: 12,
}
const EN_MONTH = String.raw`(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?![a-z])\.?`
// Without a year, "may"/"mar" are ordinary words: only full month names (and "in may") count.
const EN_MONTH_ALONE = String.raw`(january|february|march|april|june|july|august|september|october|november|december|sept)(?![a-z])`
const ORD = String.raw`(?:st|nd|rd|th)?`
// A year followed by an amount unit is a figure, not a year ("in 2000万").
const NOT_AMOUNT = String.raw`(?![\d,.]|\s*(?:万|千|百|亿|元|美元|美金|k\b|m\b|million|thousand|usd|rmb|cny|hkd|dollars?))`

const RELATIVE_YEAR: Record<string, number> = { 今年: 0, 本年: 0, 去年: -1, 上年: -1, 前年: -2, this: 0, last: -1, previous: -1 }
const YEAR = String.raw`(\d{4}|\d{2}(?=年)|今年|本年|去年|上年|前年)`
const MONTH = String.raw`(\d{1,2}|十[一二]?|[一二三四五六七八九])`

type Parsed = { year: number; month?: number; day?: number; relative: boolean } | undefined
interface Pattern {
  re: RegExp
  parse(m: RegExpMatchArray, now: { year: number; month: number }): Parsed
}

function yearOf(y: string, now: { year: number }): { year: number; relative: boolean } {
  if (y in RELATIVE_YEAR) return { year: now.year + RELATIVE_YEAR[y]!, relative: true }
  return { year: y.length === 2 ? 2000 + Number(y) : Number(y), relative: false }
}

const num = (s: string | undefined) => (s === undefined ? undefined : Number(s))

// In order of preference: an earlier pattern's match wins over an overlapping later one.
const PATTERNS: Pattern[] = [
  // 2021年5月, 21年3月, 去年6月, 2022年6月30号
  {
    re: new RegExp(String.raw`${YEAR}年?\s*${MONTH}月份?(?:\s*(\d{1,2})[日号])?`, 'g'),
    parse: (m, now) => ({ ...yearOf(m[1]!, now), month: cnSmall(m[2]!), day: num(m[3]) }),
  },
  // 2021-05, 2021.5, 2021/05/30
  { re: /(?<!\d)(\d{4})[./-](\d{1,2})(?:[./-](\d{1,2}))?(?!\d)/g, parse: (m) => ({ year: Number(m[1]), month: Number(m[2]), day: num(m[3]), relative: false }) },
  // 30 June 2021, 1st of July 2022
  {
    re: new RegExp(String.raw`(?<!\d)(\d{1,2})${ORD}\s+(?:of\s+)?${EN_MONTH},?\s*(\d{4})(?!\d)`, 'g'),
    parse: (m) => ({ year: Number(m[3]), month: EN_MONTHS[m[2]!], day: num(m[1]), relative: false }),
  },
  // June 2021, Jan. 2021, June 30, 2021, June of 2021
  {
    re: new RegExp(String.raw`(?<![a-z])${EN_MONTH}\s*(?:(\d{1,2})${ORD}\s*,?\s*)?(?:of\s+|,\s*)?(\d{4})(?!\d)`, 'g'),
    parse: (m) => ({ year: Number(m[3]), month: EN_MONTHS[m[1]!], day: num(m[2]), relative: false }),
  },
  // 30/06/2022 or 06/30/2022 when the order is unambiguous; 05/2021
  {
    re: /(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?!\d)/g,
    parse: (m) => {
      const a = Number(m[1])
      const b = Number(m[2])
      if (a > 12 && b <= 12) return { year: Number(m[3]), month: b, day: a, relative: false }
      if (b > 12 && a <= 12) return { year: Number(m[3]), month: a, day: b, relative: false }
      return undefined
    },
  },
  { re: /(?<![\d/.])(\d{1,2})[/](\d{4})(?!\d)/g, parse: (m) => ({ year: Number(m[2]), month: Number(m[1]), relative: false }) },
  // last June (the latest June before this month), this June
  {
    re: new RegExp(String.raw`(?<![a-z])(last|this|past)\s+${EN_MONTH_ALONE}`, 'g'),
    parse: (m, now) => {
      const month = EN_MONTHS[m[2]!]!
      if (m[1] === 'this') return { year: now.year, month, relative: true }
      return { year: month < now.month ? now.year : now.year - 1, month, relative: true }
    },
  },
  // 2021年, 去年 (a bare year)
  { re: new RegExp(String.raw`${YEAR}年(?!\s*${MONTH}月)`, 'g'), parse: (m, now) => yearOf(m[1]!, now) },
  { re: /(今年|本年|去年|上年|前年)(?!\s*[\d一二三四五六七八九十]+月)/g, parse: (m, now) => yearOf(m[1]!, now) },
  // in 2021, during 2022, last year
  { re: new RegExp(String.raw`(?<![a-z])(?:in|during|since|from|of|for|year)\s+(\d{4})${NOT_AMOUNT}`, 'g'), parse: (m) => ({ year: Number(m[1]), relative: false }) },
  { re: /(?<![a-z])(last|this|previous)\s+year(?![a-z])/g, parse: (m, now) => yearOf(m[1]!, now) },
]

const YEARLESS: Array<{ re: RegExp; parse(m: RegExpMatchArray): { month?: number; day?: number } }> = [
  // 6月30号, 六月底, 6月份 (not "3个月", not the tail of "2021年6月")
  { re: new RegExp(String.raw`(?<![\d年一二三四五六七八九十])${MONTH}月份?(?:\s*(\d{1,2})[日号])?`, 'g'), parse: (m) => ({ month: cnSmall(m[1]!), day: num(m[2]) }) },
  { re: new RegExp(String.raw`(?<![a-z])${EN_MONTH_ALONE}(?:\s+(\d{1,2})${ORD}(?!\d))?`, 'g'), parse: (m) => ({ month: EN_MONTHS[m[1]!], day: num(m[2]) }) },
  { re: /(?<![a-z])(?:in|on|since|early|late|mid)\s+(may)(?![a-z])/g, parse: () => ({ month: 5 }) },
]

/** Year and month of an instant in China time (UTC+8): the calendar users mean by 今年 and "last June". */
function chinaMonth(now: Date): { year: number; month: number } {
  const d = new Date(now.getTime() + 8 * 3600_000)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 }
}

// The observer, the coverage check, the loss report and eligibility all read the months of the same message.
const monthsMemo = memoize((key: string) => {
  const bar = key.indexOf('|')
  const [year, month] = key.slice(0, bar).split('-').map(Number)
  return scanMonths(key.slice(bar + 1), { year: year!, month: month! })
}, 500)

/** Every year/month mentioned, in order of appearance; relative words resolve against `now`. */
export function findMonths(text: string, now: Date): MonthRef[] {
  const today = chinaMonth(now)
  return monthsMemo(`${today.year}-${today.month}|${text}`).map((m) => ({ ...m }))
}

function scanMonths(text: string, today: { year: number; month: number }): MonthRef[] {
  const found: MonthRef[] = []
  const taken = new Spans(text.length)
  for (const { re, parse } of PATTERNS) {
    re.lastIndex = 0
    for (const m of text.matchAll(re)) {
      const start = m.index
      const end = start + m[0].length
      if (taken.overlaps(start, end)) continue
      const p = parse(m, today)
      if (!p || !Number.isFinite(p.year)) continue
      if (!p.relative && (p.year < 1990 || p.year > 2100)) continue
      if (p.month !== undefined && (!Number.isInteger(p.month) || p.month < 1 || p.month > 12)) continue
      taken.add(start, end)
      const day = p.day && p.day >= 1 && p.day <= 31 ? p.day : undefined
      found.push({ year: p.year, month: p.month, day, raw: m[0], relative: p.relative, index: start })
    }
  }
  return found.sort((a, b) => a.index - b.index)
}

/** Months named without a year ("6月30号报关", "shipped in June"), outside any dated reference. */
export function findYearlessMonths(text: string, dated: MonthRef[] = []): YearlessMonth[] {
  const taken = new Spans(text.length)
  for (const d of dated) taken.add(d.index, d.index + d.raw.length)
  const found: YearlessMonth[] = []
  for (const { re, parse } of YEARLESS) {
    re.lastIndex = 0
    for (const m of text.matchAll(re)) {
      const start = m.index
      const end = start + m[0].length
      if (taken.overlaps(start, end)) continue
      const p = parse(m)
      if (p.month === undefined || !Number.isInteger(p.month) || p.month < 1 || p.month > 12) continue
      taken.add(start, end)
      found.push({ month: p.month, day: p.day && p.day >= 1 && p.day <= 31 ? p.day : undefined, raw: m[0], index: start })
    }
  }
  return found.sort((a, b) => a.index - b.index)
}

/** Characters already inside a found date: an overlap check that stays linear when a message has many dates. */
class Spans {
  private readonly taken: Uint8Array
  constructor(length: number) {
    this.taken = new Uint8Array(length)
  }
  overlaps(start: number, end: number): boolean {
    return this.taken.subarray(start, end).includes(1)
  }
  add(start: number, end: number): void {
    this.taken.fill(1, Math.max(0, start), Math.min(this.taken.length, end))
  }
}

/** "YYYY-MM" → months since year 0, for comparisons. */
export function monthIndex(ym: { year: number; month: number }): number {
  return ym.year * 12 + (ym.month - 1)
}

/** Parse "YYYY-MM" from rules.json. */
export function parseYearMonth(s: string): { year: number; month: number } {
  const [y, m] = s.split('-').map(Number)
  return { year: y!, month: m! }
}

/** "2021年1月". */
export function formatMonth(ym: { year: number; month?: number }): string {
  return ym.month ? `${ym.year}年${ym.month}月` : `${ym.year}年`
}

const EN_MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/** "January 2021" (or "2021" for a bare year). */
export function formatMonthEn(ym: { year: number; month?: number }): string {
  return ym.month ? `${EN_MONTH_NAMES[ym.month - 1]} ${ym.year}` : `${ym.year}`
}

/** The calendar day in China time (UTC+8, no daylight saving) as YYYY-MM-DD: report numbers and dates users see. */
export function chinaDay(epochMs: number): string {
  return new Date(epochMs + 8 * 3600_000).toISOString().slice(0, 10)
}
