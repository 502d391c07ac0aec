// Chinese and Arabic numerals as users type them: "一千二百万", "十二点五万", "3千万", "1亿2千万", "一万二".

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 }
const SMALL_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 }

/** Value of a numeral run mixing Arabic numbers and Chinese digits/units; undefined when it is not a well-formed number. */
export function parseNumeral(run: string): number | undefined {
  const s = run.replace(/\s/g, '')
  const dot = s.indexOf('点')
  if (dot >= 0) {
    // "十二点五万": integer part, fraction digits, then the magnitude applies to the whole.
    const int = parseNumeral(s.slice(0, dot))
    const m = /^([零〇一二三四五六七八九]+)([十百千万亿]*)$/.exec(s.slice(dot + 1))
    if (int === undefined || !m || /[万亿]/.test(s.slice(0, dot))) return undefined
    const frac = Number(`0.${[...m[1]!].map((c) => DIGITS[c]).join('')}`)
    let scale = 1
    for (const u of m[2]!) scale *= u === '万' ? 1e4 : u === '亿' ? 1e8 : SMALL_UNITS[u]!
    return (int + frac) * scale
  }
  const tokens = s.match(/\d[\d,]*(?:\.\d+)?|./g) ?? []
  let total = 0 // everything up to the last 万/亿
  let section = 0 // the part below 万 being built
  let num: number | undefined
  let sectionUnit = 0 // 十/百/千 within a section must only shrink ("一百一千" is not a number)
  let lastUnit = 0 // the unit just before a trailing digit; 零 clears it
  let wanSeen = false
  for (const [i, tok] of tokens.entries()) {
    if (tok === '零' || tok === '〇') {
      if (num !== undefined) return undefined
      lastUnit = 0
      continue
    }
    const digit = /^\d/.test(tok) ? Number(tok.replace(/,/g, '')) : DIGITS[tok]
    if (digit !== undefined) {
      if (num !== undefined) return undefined
      num = digit
      continue
    }
    const small = SMALL_UNITS[tok]
    if (small !== undefined) {
      // "十万", "百万美元", "一百十万" imply a one; a bare 百/千 mid-number does not.
      const n = num ?? (i === 0 || small === 10 ? 1 : undefined)
      if (n === undefined || (sectionUnit !== 0 && small >= sectionUnit)) return undefined
      section += n * small
      sectionUnit = small
      lastUnit = small
    } else if (tok === '万' || tok === '亿') {
      const base = tok === '万' ? section + (num ?? 0) : total + section + (num ?? 0)
      const n = base === 0 && i === 0 ? 1 : base
      if (n === 0 || (tok === '万' && wanSeen)) return undefined
      if (tok === '万') total += n * 1e4
      else total = n * 1e8
      wanSeen = tok === '万'
      section = 0
      sectionUnit = 0
      lastUnit = tok === '万' ? 1e4 : 1e8
    } else {
      return undefined
    }
    num = undefined
  }
  if (num === undefined) return total + section
  // Spoken shorthand: "一万二" is 12000, "三千五" is 3500 — a trailing digit counts in the next unit down.
  return total + section + (lastUnit >= 100 ? (num * lastUnit) / 10 : num)
}
