/** A calendar month named in a message ("2020年3月", "去年9月", "2021-05"); month is absent for a bare year. */
export interface MonthRef {
  year: number
  month?: number
  day?: number
  raw: string
  /** True for 今年/去年/前年, resolved against the message time. */
  relative: boolean
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

const RELATIVE: Record<string, number> = { 今年: 0, 本年: 0, 去年: -1, 上年: -1, 前年: -2 }
const YEAR = String.raw`(\d{4}|\d{2}(?=年)|今年|本年|去年|上年|前年)`
const MONTH = String.raw`(\d{1,2}|十[一二]?|[一二三四五六七八九])`
const PATTERNS = [
  new RegExp(String.raw`${YEAR}年?\s*${MONTH}月份?(?:\s*(\d{1,2})[日号])?`, 'g'),
  /(?<!\d)(\d{4})[./-](\d{1,2})(?:[./-](\d{1,2}))?(?!\d)/g,
  new RegExp(String.raw`${YEAR}年(?!\s*${MONTH}月)`, 'g'),
  /(今年|本年|去年|上年|前年)(?!\s*[\d一二三四五六七八九十]+月)/g,
]

/** Every year/month mentioned, in order of appearance; years resolve relative words against `now`. */
export function findMonths(text: string, now: Date): MonthRef[] {
  const found: MonthRef[] = []
  const taken: Array<[number, number]> = []
  for (const re of PATTERNS) {
    re.lastIndex = 0
    for (const m of text.matchAll(re)) {
      const start = m.index
      const end = start + m[0].length
      if (taken.some(([a, b]) => start < b && end > a)) continue
      const y = m[1]!
      const relative = y in RELATIVE
      let year = relative ? now.getUTCFullYear() + RELATIVE[y]! : Number(y)
      if (!relative && y.length === 2) year += 2000
      if (!relative && (year < 1990 || year > 2100)) continue
      const month = m[2] !== undefined ? cnSmall(m[2]) : undefined
      if (month !== undefined && (!Number.isInteger(month) || month < 1 || month > 12)) continue
      const day = m[3] !== undefined ? Number(m[3]) : undefined
      taken.push([start, end])
      found.push({ year, month, day: day && day >= 1 && day <= 31 ? day : undefined, raw: m[0], relative, index: start })
    }
  }
  return found.sort((a, b) => a.index - b.index)
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

/** The calendar day in China time (UTC+8, no daylight saving) as YYYY-MM-DD: report numbers and dates users see. */
export function chinaDay(epochMs: number): string {
  return new Date(epochMs + 8 * 3600_000).toISOString().slice(0, 10)
}
