import type { Context, Hono } from 'hono'
import { z } from 'zod'
import { staffStatus } from '../../flows/claim/status-text.js'
import { managersOf } from '../../flows/shared.js'
import type { Knowledge } from '../../knowledge/knowledge.js'
import type { PlaceResolver } from '../../policy/places.js'
import type { LossReport, Store } from '../../store/types.js'
import type { Logger } from 'pino'
import type { ConsoleEnv } from '../context.js'
import { reportsCsv } from '../csv.js'
import { ConsoleError } from '../errors.js'
import { findReports, PAGE_SIZE, parseListQuery, totalsOf } from '../report-list.js'
import { estimatedPayout, reportFields } from '../report-view.js'
import { page } from '../render.js'
import { canSeeReport, visibleDistricts } from '../scope.js'
import { PUSH_NOTICE, type PushOutcome } from '../status-push.js'
import { ReportDetail } from '../views/report-detail.js'
import { ReportList } from '../views/reports.js'

export interface ReportRoutesDeps {
  store: Store
  knowledge: Knowledge
  places: PlaceResolver
  logger: Logger
  pushStatus(report: LossReport): Promise<PushOutcome>
  now: () => number
}

const REPORT_NO = /^BS\d{8}-\d{4,}$/
const NOTE_MAX = 500

/** The status change form (the contract): status, outcome when closed, note, and the page's version of the report. */
const statusFormSchema = z.object({
  status: z.enum(['received', 'in_review', 'closed'], { message: '状态只能是已受理、处理中或已办结' }),
  outcome: z.enum(['', 'paid', 'declined', 'withdrawn']).default(''),
  // Control characters out (they would reach a WeChat message); line breaks kept.
  note: z
    .string()
    .default('')
    .transform((s) => s.replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '').trim())
    .pipe(z.string().max(NOTE_MAX, `说明不能超过 ${NOTE_MAX} 个字`)),
  version: z.string().regex(/^\d*$/).default(''),
})

/** The report a staff member may see, or 404 (the same answer when it exists but is another district's). */
export async function visibleReport(store: Store, c: Context<ConsoleEnv>, no: string): Promise<LossReport> {
  const id = no.toUpperCase()
  const r = REPORT_NO.test(id) ? await store.reports.get(id) : undefined
  if (!r || !canSeeReport(c.var.staff, r)) throw new ConsoleError(404, `没有找到报案 ${id}（或它不在您负责的区）。`)
  return r
}

/** The district options this staff member's filters offer. */
export function districtsFor(c: Context<ConsoleEnv>, knowledge: Knowledge): string[] {
  return visibleDistricts(c.var.staff) ?? knowledge.managers.groups.flatMap((g) => g.districts)
}

/** /console/reports (list, totals, paging), /console/reports.csv, /console/reports/<no> and its status change. */
export function reportRoutes(app: Hono<ConsoleEnv>, { store, knowledge, places, logger, pushStatus, now }: ReportRoutesDeps): void {
  const allDistricts = knowledge.managers.groups.flatMap((g) => g.districts)

  app.get('/reports', async function reportList(c) {
    const q = parseListQuery(c.req.query(), allDistricts)
    const all = await findReports(store, c.var.staff, q)
    const rows = all.slice((q.page - 1) * PAGE_SIZE, q.page * PAGE_SIZE)
    return page(c, '报案', <ReportList q={q} districts={districtsFor(c, knowledge)} totals={totalsOf(knowledge, all)} reports={rows} knowledge={knowledge} />)
  })

  app.get('/reports.csv', async function reportCsv(c) {
    const q = parseListQuery(c.req.query(), allDistricts)
    const all = await findReports(store, c.var.staff, q)
    await c.var.audit('reports.export', undefined, undefined, { count: all.length, status: q.status, district: q.district, from: q.from, to: q.to })
    const day = new Date(now() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '')
    return c.body(reportsCsv(all, { knowledge, places }), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="tongbao-reports-${day}.csv"`,
      'Cache-Control': 'no-store',
    })
  })

  app.get('/reports/:no', async function reportDetail(c) {
    const r = await visibleReport(store, c, c.req.param('no'))
    const changed = c.req.query('changed') as PushOutcome | undefined
    const notice = changed && changed in PUSH_NOTICE ? `状态已更新为“${staffStatus(r)}”。${PUSH_NOTICE[changed]}` : undefined
    return page(
      c,
      `报案 ${r.id}`,
      <ReportDetail report={r} fields={reportFields(r, { knowledge, places })} payout={estimatedPayout(knowledge, r)} csrf={c.var.csrf} notice={notice} managers={managersOf(knowledge, r.district) ?? '资料中没有'} />,
    )
  })

  app.post('/reports/:no/status', async function changeStatus(c) {
    const r = await visibleReport(store, c, c.req.param('no'))
    const parsed = statusFormSchema.safeParse(await c.req.parseBody())
    if (!parsed.success) throw new ConsoleError(400, parsed.error.issues.map((i) => i.message).join('；'))
    const { status, note, version } = parsed.data
    const outcome = status === 'closed' ? parsed.data.outcome : ''
    if (status === 'closed' && !outcome) throw new ConsoleError(400, '办结时请选择结果：赔付、不予赔付或撤案。')
    if (status === r.status && (outcome || undefined) === r.outcome && !note) throw new ConsoleError(400, '状态没有变化：请选择新的状态，或填写说明。')

    const change = { at: now(), by: c.var.staff.username, status, ...(outcome ? { outcome } : {}), ...(note ? { note } : {}) }
    const pick = (x: LossReport) => ({ status: x.status, ...(x.outcome ? { outcome: x.outcome } : {}) })
    // Audited in the same store step as the change: a change stored (even when the answer times out) is never unaudited.
    const audit = { at: change.at, actor: c.var.staff.username, action: 'report.status', target: r.id, before: pick(r), after: { status, ...(outcome ? { outcome } : {}), ...(note ? { note } : {}) } }
    const result = await store.reports.changeStatus(r.id, change, version ? Number(version) : undefined, audit)
    if (result.kind === 'not_found') throw new ConsoleError(404, `没有找到报案 ${r.id}。`)
    if (result.kind === 'stale') {
      throw new ConsoleError(409, `报案 ${r.id} 刚被其他人更新为“${staffStatus(result.report)}”，您的修改没有保存。请查看最新状态后再改。`)
    }
    // The change stands even if telling the exporter fails; they still see it on "查询报案".
    const pushed = await pushStatus(result.report).catch((err: Error) => {
      logger.warn({ err: err.message, report: r.id }, 'status push failed')
      return 'none' as const
    })
    return c.redirect(`/console/reports/${r.id}?changed=${pushed}`, 303)
  })
}
