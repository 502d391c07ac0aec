import { parse } from 'csv-parse/sync'
import type { RosterEntry } from '../store/types.js'
import { checkCreditCode } from './credit-code.js'

export interface RosterParse {
  entries: RosterEntry[]
  /** Rows skipped, with their line number and why. */
  rejected: Array<{ line: number; reason: string }>
}

const NAME_HEADERS = ['企业名称', '公司名称', '名称', '单位名称', 'name', 'company', 'company name']
const CODE_HEADERS = ['统一社会信用代码', '信用代码', '社会信用代码', 'credit code', 'creditcode', 'code', 'uscc']

/** Parse the commerce bureau's list (CSV with a header row: 企业名称, 统一社会信用代码); bad rows are reported, not loaded. */
export function parseRosterCsv(csv: string): RosterParse {
  const rows: string[][] = parse(csv.replace(/^\ufeff/, ''), { skip_empty_lines: true, relax_column_count: true, trim: true })
  const header = (rows[0] ?? []).map((h) => h.toLowerCase())
  const nameCol = header.findIndex((h) => NAME_HEADERS.includes(h))
  const codeCol = header.findIndex((h) => CODE_HEADERS.includes(h))
  if (nameCol < 0 || codeCol < 0) throw new Error('名单文件第一行应为表头，包含“企业名称”和“统一社会信用代码”两列')
  const entries = new Map<string, RosterEntry>()
  const rejected: RosterParse['rejected'] = []
  rows.slice(1).forEach((row, i) => {
    const line = i + 2
    const name = row[nameCol]?.trim() ?? ''
    const check = checkCreditCode(row[codeCol] ?? '')
    if (!name) return rejected.push({ line, reason: '企业名称为空' })
    if (!check.ok) return rejected.push({ line, reason: `统一社会信用代码无效（${check.reason}）` })
    if (entries.has(check.code)) return rejected.push({ line, reason: '统一社会信用代码重复' })
    entries.set(check.code, { name, creditCode: check.code })
  })
  return { entries: [...entries.values()], rejected }
}

const LEGAL_FORM = /(股份有限公司|有限责任公司|有限公司|集团|公司|分公司|厂|商行|企业)$/
const CITY = /^(中国)?(广东省)?(深圳市|深圳)/

/** Company name reduced to what distinguishes it: no city prefix, legal form, brackets or spaces. */
export function companyKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[()（）\s·.,，]/g, '')
    .replace(CITY, '')
    .replace(LEGAL_FORM, '')
    .replace(LEGAL_FORM, '')
    .toLowerCase()
}

function bigrams(s: string): Set<string> {
  const out = new Set<string>()
  for (let i = 0; i + 1 < s.length; i++) out.add(s.slice(i, i + 2))
  if (s.length === 1) out.add(s)
  return out
}

/** Dice similarity of character bigrams, 0..1. */
export function nameSimilarity(a: string, b: string): number {
  const x = bigrams(companyKey(a))
  const y = bigrams(companyKey(b))
  if (!x.size || !y.size) return 0
  let common = 0
  for (const g of x) if (y.has(g)) common++
  return (2 * common) / (x.size + y.size)
}

/** Roster entries whose names resemble `name`, best first: an exact key match alone, or up to `limit` candidates. */
export function matchCompany(entries: RosterEntry[], name: string, limit = 3, threshold = 0.5): { exact?: RosterEntry; candidates: RosterEntry[] } {
  const key = companyKey(name)
  const exact = entries.find((e) => companyKey(e.name) === key)
  if (exact) return { exact, candidates: [] }
  const candidates = entries
    .map((e) => ({ e, s: Math.max(nameSimilarity(e.name, name), companyKey(e.name).includes(key) && key.length >= 2 ? 0.6 : 0) }))
    .filter((x) => x.s >= threshold)
    .sort((a, b) => b.s - a.s)
    .slice(0, limit)
    .map((x) => x.e)
  return { candidates }
}
