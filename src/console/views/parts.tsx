import { staffStatus } from '../../flows/claim/status-text.js'
import type { Knowledge } from '../../knowledge/knowledge.js'
import type { LossReport } from '../../store/types.js'
import type { Manager } from '../lookup.js'
import { buyerOf, chinaTime, companyOf, estimatedPayout, money, reportAmount } from '../report-view.js'

export function StatusBadge({ report }: { report: Pick<LossReport, 'status' | 'outcome'> }) {
  return <span class={`badge s-${report.status}`}>{staffStatus(report)}</span>
}

export function Managers({ district, managers }: { district: string; managers: Manager[] }) {
  if (!managers.length) return <p class="muted">资料中没有{district}的客户经理。</p>
  return (
    <ul>
      {managers.map((m) => (
        <li>
          {m.name}：{m.phones.join(' / ')}
        </li>
      ))}
    </ul>
  )
}

/** Reports as a table, newest first; each number opens the report. */
export function ReportTable({ reports, knowledge }: { reports: LossReport[]; knowledge: Knowledge }) {
  if (!reports.length) return <p class="muted">没有符合条件的报案。</p>
  return (
    <table>
      <thead>
        <tr>
          <th>报案编号</th>
          <th>提交时间</th>
          <th>企业</th>
          <th>所在区</th>
          <th>买方</th>
          <th class="num">未付金额</th>
          <th class="num">预计赔付</th>
          <th>状态</th>
        </tr>
      </thead>
      <tbody>
        {reports.map((r) => {
          const amount = reportAmount(r)
          const payout = estimatedPayout(knowledge, r)
          return (
            <tr>
              <td>
                <a href={`/console/reports/${r.id}`}>{r.id}</a>
              </td>
              <td>{chinaTime(r.createdAt)}</td>
              <td>
                {companyOf(r)}
                {r.flags.length ? <span class="flag" title={r.flags.join('；')}> ⚠需核实</span> : null}
              </td>
              <td>{r.district}</td>
              <td>{buyerOf(r)}</td>
              <td class="num">{amount ? money(amount.value, amount.currency) : '—'}</td>
              <td class="num">{payout ? money(payout.value, payout.currency) : '—'}</td>
              <td>
                <StatusBadge report={r} />
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
