import { citation, type Knowledge } from '../knowledge/knowledge.js'
import type { Currency, MoneyAmount } from '../policy/amount.js'
import { formatUsd } from '../policy/amount.js'
import { rangeOf, type Figure, type Range } from '../policy/payout.js'
import type { Lang } from '../text/lang.js'

/** Manager names and phones for a district, as the knowledge base lists them. */
export function managersOf(k: Knowledge, district: string): string | undefined {
  const group = k.managers.groups.find((g) => g.districts.includes(district))
  return group?.managers.map((m) => `${m.name} ${m.phones.join(' / ')}`).join('；')
}

/** "宝安区的客户经理：吕宇翔 13699865957", then an optional note, then the source line. */
export function managerAnswer(k: Knowledge, district: string, note?: string): string {
  const line = `${district}的客户经理：${managersOf(k, district) ?? '（资料中没有该区的客户经理）'}`
  return [line, note, citation(k, k.managers.source)].filter(Boolean).join('\n')
}

/** The districts the managers cover, for "please choose". */
export function districtChoices(k: Knowledge): string {
  return k.managers.groups.flatMap((g) => g.districts).join('、')
}

const CURRENCY_NAMES: Record<string, string> = { CNY: '人民币', HKD: '港币', EUR: '欧元', OTHER: '外币', UNKNOWN: '' }

/** An amount as the user gave it: "10万美元", "180万港币". */
export function formatMoney(a: MoneyAmount): string {
  if (a.currency === 'USD') return formatUsd(a.value)
  return `${a.value.toLocaleString('en-US')}${CURRENCY_NAMES[a.currency] ?? ''}`
}

/** The district's English name as streets.json gives it ("Bao'an District"), or the Chinese name. */
export function districtEnglish(k: Knowledge, district: string): string {
  return k.streets.districts.find((d) => d.name === district)?.en ?? district
}

/** "Account manager for Bao'an District (宝安区): 吕宇翔, 13699865957" — names stay in Chinese. */
export function managerLineEn(k: Knowledge, district: string): string {
  const people = k.managers.groups
    .find((g) => g.districts.includes(district))
    ?.managers.map((m) => `${m.name}, ${m.phones.join(' / ')}`)
    .join('; ')
  return `Account manager for ${districtEnglish(k, district)} (${district}): ${people ?? '(not listed in the brief)'}`
}

const CURRENCY_CODES: Record<string, string> = { USD: 'USD', CNY: 'RMB', HKD: 'HKD', EUR: 'EUR', OTHER: '', UNKNOWN: '' }

/** Several amounts in one currency added up as said: "60,000+70,000美元" / "USD 60,000+70,000". */
export function formatSumIn(lang: Lang, values: number[], currency: Currency): string {
  const figures = values.map(formatNumber).join('+')
  if (lang === 'zh') return `${figures}${currency === 'USD' ? '美元' : (CURRENCY_NAMES[currency] ?? '')}`
  const code = CURRENCY_CODES[currency]
  return code ? `${code} ${figures}` : figures
}

/** A number with thousands separators and cents only when there are any: 1234567.5 → "1,234,567.5". */
export function formatNumber(n: number): string {
  return NUMBER_FORMAT.format(n)
}
// Built once: toLocaleString with options builds a formatter on every call.
const NUMBER_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 })

/** An amount in the reply's language: "150,000美元" / "1,440,000港币", or "USD 150,000" / "HKD 1,440,000". */
export function formatMoneyIn(lang: Lang, value: number, currency: Currency): string {
  if (lang === 'zh') return formatMoney({ value, currency, raw: '' })
  const code = CURRENCY_CODES[currency]
  return code ? `${code} ${formatNumber(value)}` : currency === 'OTHER' ? `${formatNumber(value)} (in another currency)` : formatNumber(value)
}

/**
 * A range in the reply's language: "180,000–220,000美元", "不超过200,000美元", "超过8,000,000美元"
 * ("USD 180,000–220,000", "up to USD 200,000", "over USD 8,000,000"). An exact figure is shown as itself.
 */
export function formatRangeIn(lang: Lang, r: Range, currency: Currency): string {
  const money = (n: number) => formatMoneyIn(lang, n, currency)
  if (r.low === r.high && !r.lowExclusive) return money(r.low)
  if (r.high === Infinity) return lang === 'zh' ? `${r.lowExclusive ? '超过' : '不少于'}${money(r.low)}` : `${r.lowExclusive ? 'over' : 'at least'} ${money(r.low)}`
  if (r.low <= 0) return lang === 'zh' ? `不超过${money(r.high)}` : `up to ${money(r.high)}`
  if (lang === 'zh') return `${formatNumber(r.low)}–${money(r.high)}`
  const code = CURRENCY_CODES[currency]
  return `${code ? `${code} ` : ''}${formatNumber(r.low)}–${formatNumber(r.high)}`
}

/** An approximate figure as the user said it, then the range it stands for: "600多万美元（6,000,000–7,000,000美元）". */
export function describeFigure(lang: Lang, f: Figure & { raw?: string }): string {
  const range = formatRangeIn(lang, rangeOf(f), f.currency)
  if (!f.approx) return range
  // "600多万" carries its vagueness in the figure; "大概8万" and "不到20万" are told by the range itself.
  if (f.raw && /[多几余来]/.test(f.raw)) return lang === 'zh' ? `${f.raw}（${range}）` : `"${f.raw}" (${range})`
  const open = f.approx.low <= 0 || f.approx.high === Infinity
  if (open) return range
  const said = formatMoneyIn(lang, f.value, f.currency)
  return lang === 'zh' ? `约${said}（${range}）` : `about ${said} (${range})`
}
