import { STATUS_LABEL } from '../../flows/claim/status-text.js'
import type { Knowledge } from '../../knowledge/knowledge.js'
import type { LossReport } from '../../store/types.js'
import { listSearch, PAGE_SIZE, type ListQuery, type Totals } from '../report-list.js'
import { money } from '../report-view.js'
import { ReportTable } from './parts.js'

export interface ReportListProps {
  q: ListQuery
  /** Districts offered in the filter (a manager's own). */
  districts: readonly string[]
  totals: Totals
  /** This page's reports. */
  reports: LossReport[]
  knowledge: Knowledge
}

function Filters({ q, districts }: { q: ListQuery; districts: readonly string[] }) {
  return (
    <form class="card filters" method="get" action="/console/reports" hx-get="/console/reports" hx-target="#list" hx-select="#list" hx-swap="outerHTML" hx-push-url="true">
      <label>
        状态
        <select name="status">
          <option value="" selected={!q.status}>全部</option>
          {(['received', 'in_review', 'closed'] as const).map((s) => (
            <option value={s} selected={q.status === s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </select>
      </label>
      <label>
        所在区
        <select name="district">
          <option value="" selected={!q.district}>{districts.length > 1 ? '全部' : districts[0]}</option>
          {districts.length > 1
            ? districts.map((d) => (
                <option value={d} selected={q.district === d}>
                  {d}
                </option>
              ))
            : null}
        </select>
      </label>
      <label>
        提交日期从
        <input type="date" name="from" value={q.from} />
      </label>
      <label>
        到
        <input type="date" name="to" value={q.to} />
      </label>
      <button type="submit">筛选</button>
      <a class="button secondary" href={`/console/reports.csv${listSearch(q)}`}>
        导出 CSV
      </a>
    </form>
  )
}

function TotalsCard({ totals }: { totals: Totals }) {
  const list = (items: Totals['claimed']) => (items.length ? items.map((i) => money(i.value, i.currency)).join('；') : '—')
  return (
    <div class="card totals">
      <div>
        共<b>{totals.count} 件</b>
      </div>
      <div>
        已受理 / 处理中 / 已办结<b>
          {totals.byStatus.received} / {totals.byStatus.in_review} / {totals.byStatus.closed}
        </b>
      </div>
      <div>
        未付金额合计<b>{list(totals.claimed)}</b>
      </div>
      <div>
        预计赔付合计<b>{list(totals.payout)}</b>
        <span class="muted">不含不予赔付、撤案；美元按 80%、单一买方限额封顶，其他币种按原币 80%（限额按保单汇率折算后适用）</span>
      </div>
      <div>
        需核实保障范围<b>{totals.flagged} 件</b>
      </div>
    </div>
  )
}

export function ReportList({ q, districts, totals, reports, knowledge }: ReportListProps) {
  const pages = Math.max(1, Math.ceil(totals.count / PAGE_SIZE))
  return (
    <>
      <Filters q={q} districts={districts} />
      <div id="list">
        <TotalsCard totals={totals} />
        <ReportTable reports={reports} knowledge={knowledge} />
        <div class="pager">
          {q.page > 1 ? <a href={`/console/reports${listSearch(q, q.page - 1)}`}>上一页</a> : null}
          <span class="muted">
            第 {Math.min(q.page, pages)} / {pages} 页，每页 {PAGE_SIZE} 件，最新的在前
          </span>
          {q.page < pages ? <a href={`/console/reports${listSearch(q, q.page + 1)}`}>下一页</a> : null}
        </div>
      </div>
    </>
  )
}
