import { OUTCOME_LABEL, STATUS_LABEL } from '../../flows/claim/status-text.js'
import type { LossReport } from '../../store/types.js'
import { chinaTime, estimatedPayout, indemnityText, money } from '../report-view.js'
import { CsrfField } from './layout.js'
import { StatusBadge } from './parts.js'

export interface ReportDetailProps {
  report: LossReport
  fields: Array<{ label: string; value: string }>
  payout?: ReturnType<typeof estimatedPayout>
  csrf: string
  /** What happened to the last change (after the redirect): shown once above the report. */
  notice?: string
  /** The report's managers, for the hotline. */
  managers: string
}

function Timeline({ report }: { report: LossReport }) {
  return (
    <ol class="timeline">
      <li>
        <b>{chinaTime(report.createdAt)}</b> 企业提交（{report.channel}），{STATUS_LABEL.received}
      </li>
      {(report.timeline ?? []).map((t) => (
        <li>
          <b>{chinaTime(t.at)}</b> {t.by} 改为“{STATUS_LABEL[t.status]}
          {t.outcome ? `（${OUTCOME_LABEL[t.outcome]}）` : ''}”
          {t.note ? <div class="answer">说明：{t.note}</div> : null}
        </li>
      ))}
    </ol>
  )
}

function StatusForm({ report, csrf }: { report: LossReport; csrf: string }) {
  return (
    <form method="post" action={`/console/reports/${report.id}/status`} class="form-grid">
      <CsrfField token={csrf} />
      <input type="hidden" name="version" value={String(report.updatedAt)} />
      <label for="status">新状态</label>
      <select id="status" name="status">
        {(['received', 'in_review', 'closed'] as const).map((s) => (
          <option value={s} selected={report.status === s}>
            {STATUS_LABEL[s]}
          </option>
        ))}
      </select>
      <label for="outcome">办结结果</label>
      <select id="outcome" name="outcome">
        <option value="">（仅“已办结”时选择）</option>
        {(['paid', 'declined', 'withdrawn'] as const).map((o) => (
          <option value={o} selected={report.outcome === o}>
            {OUTCOME_LABEL[o]}
          </option>
        ))}
      </select>
      <label for="note">说明</label>
      <div>
        <textarea id="note" name="note" maxlength={500} placeholder="如：请补充报关单、催收往来邮件"></textarea>
        <div class="muted">企业在“查询报案”里会看到这段说明；公众号用户还会收到推送。</div>
      </div>
      <span></span>
      <div>
        <button type="submit">保存状态</button>
      </div>
    </form>
  )
}

export function ReportDetail({ report, fields, payout, csrf, notice, managers }: ReportDetailProps) {
  const indemnity = indemnityText(report)
  return (
    <>
      {notice ? <div class="notice">{notice}</div> : null}
      <section class="card">
        <p>
          <StatusBadge report={report} />　提交于 {chinaTime(report.createdAt)}，最后更新 {chinaTime(report.updatedAt)}　所在区：{report.district}（客户经理：{managers}）
        </p>
        <dl class="fields">
          <dt>报案编号</dt>
          <dd>{report.id}</dd>
          {fields.map((f) => (
            <>
              <dt>{f.label}</dt>
              <dd>{f.value}</dd>
            </>
          ))}
          <dt>提交渠道和用户</dt>
          <dd>
            {report.channel} · {report.userId}
          </dd>
        </dl>
      </section>
      <section class="card">
        <h2>保障范围核对</h2>
        {report.flags.length ? (
          <ul>
            {report.flags.map((f) => (
              <li class="flag">{f}</li>
            ))}
          </ul>
        ) : (
          <p>按填写的内容核对，未发现超出保障范围的情况（以正式保单和理赔审核为准）。</p>
        )}
        <h2>预计赔付</h2>
        <p>
          {indemnity ?? (payout ? money(payout.value, payout.currency) : '未填写金额')}
        </p>
      </section>
      <section class="card">
        <h2>状态记录</h2>
        <Timeline report={report} />
      </section>
      <section class="card">
        <h2>更改状态</h2>
        <StatusForm report={report} csrf={csrf} />
      </section>
    </>
  )
}
