import { z } from 'zod'
import type { Knowledge } from '../knowledge/knowledge.js'
import type { Currency } from '../policy/amount.js'
import type { LossReport, ReportStatus, StaffAccount, Store } from '../store/types.js'
import { ConsoleError } from './errors.js'
import { estimatedPayout, payable, reportAmount } from './report-view.js'
import { canSeeDistrict, visibleDistricts } from './scope.js'

export const PAGE_SIZE = 50
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/
const CHINA_OFFSET_MS = 8 * 3600_000

/** The list's filters as the query string gives them (`status=&district=&from=&to=&page=`); empty means "any". */
export const listQuerySchema = z.object({
  status: z.enum(['', 'received', 'in_review', 'closed']).default(''),
  district: z.string().trim().max(30).default(''),
  from: z.string().trim().default(''),
  to: z.string().trim().default(''),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1).default(1),
})
export type ListQuery = z.infer<typeof listQuerySchema>

/** "2026-11-26" → the first (or last) millisecond of that day in China time; refused when not a real date. */
export function chinaDayBound(day: string, end: boolean): number {
  const m = DAY.exec(day)
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN
  if (!m || Number.isNaN(t) || new Date(t).getUTCDate() !== Number(m[3])) throw new ConsoleError(400, `日期“${day}”的格式应为 2026-11-26`)
  return t - CHINA_OFFSET_MS + (end ? 24 * 3600_000 - 1 : 0)
}

/** Parse and check the filters; unknown districts and bad dates are refused with a message. */
export function parseListQuery(raw: Record<string, string>, districts: readonly string[]): ListQuery & { fromMs?: number; toMs?: number } {
  const parsed = listQuerySchema.safeParse(raw)
  if (!parsed.success) throw new ConsoleError(400, '筛选条件不对：状态只能是已受理、处理中或已办结。')
  const q = parsed.data
  if (q.district && !districts.includes(q.district)) throw new ConsoleError(400, `不认识的区“${q.district}”`)
  const fromMs = q.from ? chinaDayBound(q.from, false) : undefined
  const toMs = q.to ? chinaDayBound(q.to, true) : undefined
  if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) throw new ConsoleError(400, '开始日期晚于结束日期')
  return { ...q, fromMs, toMs }
}

/** The reports matching the filters that this staff member may see, newest first. */
export async function findReports(store: Store, staff: StaffAccount, q: { status: string; district: string; fromMs?: number; toMs?: number }): Promise<LossReport[]> {
  const range = { from: q.fromMs, to: q.toMs }
  let found: LossReport[]
  if (q.district) {
    found = canSeeDistrict(staff, q.district) ? await store.reports.listFiled({ ...range, district: q.district }) : []
  } else {
    const mine = visibleDistricts(staff)
    found = mine ? (await Promise.all(mine.map((district) => store.reports.listFiled({ ...range, district })))).flat() : await store.reports.listFiled(range)
    if (mine && mine.length > 1) found.sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id))
  }
  return q.status ? found.filter((r) => r.status === q.status) : found
}

export interface Totals {
  count: number
  byStatus: Record<ReportStatus, number>
  /** Unpaid amounts reported, per currency. */
  claimed: Array<{ currency: Currency; value: number }>
  /** Estimated payout of the reports not declined or withdrawn: USD capped per buyer; other currencies 80 %, uncapped. */
  payout: Array<{ currency: Currency; value: number }>
  /** Reports with facts that may put them outside the cover. */
  flagged: number
}

/** Totals of a whole filtered list (every page). */
export function totalsOf(k: Knowledge, reports: LossReport[]): Totals {
  const byStatus: Record<ReportStatus, number> = { received: 0, in_review: 0, closed: 0 }
  const claimed = new Map<Currency, number>()
  const payout = new Map<Currency, number>()
  let flagged = 0
  for (const r of reports) {
    byStatus[r.status] = (byStatus[r.status] ?? 0) + 1
    if (r.flags.length) flagged++
    const a = reportAmount(r)
    if (a) claimed.set(a.currency, (claimed.get(a.currency) ?? 0) + a.value)
    const p = payable(r) ? estimatedPayout(k, r) : undefined
    if (p) payout.set(p.currency, (payout.get(p.currency) ?? 0) + p.value)
  }
  // USD first, then the rest by name.
  const order = (m: Map<Currency, number>) =>
    [...m].map(([currency, value]) => ({ currency, value: Math.round(value * 100) / 100 })).sort((a, b) => (a.currency === 'USD' ? -1 : b.currency === 'USD' ? 1 : a.currency.localeCompare(b.currency)))
  return { count: reports.length, byStatus, claimed: order(claimed), payout: order(payout), flagged }
}

/** The query string of a filtered list, for page links and the CSV link (empty filters left out). */
export function listSearch(q: Pick<ListQuery, 'status' | 'district' | 'from' | 'to'>, page?: number): string {
  const p = new URLSearchParams()
  for (const k of ['status', 'district', 'from', 'to'] as const) if (q[k]) p.set(k, q[k])
  if (page && page > 1) p.set('page', String(page))
  const s = p.toString()
  return s ? `?${s}` : ''
}
