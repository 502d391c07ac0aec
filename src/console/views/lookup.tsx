import type { Knowledge } from '../../knowledge/knowledge.js'
import type { LookupResult } from '../lookup.js'
import { companyOf } from '../report-view.js'
import { Managers, ReportTable, StatusBadge } from './parts.js'

/** The search box; htmx swaps only the results in, and the plain form works without it. */
export function LookupForm({ q }: { q: string }) {
  return (
    <form class="card search" method="get" action="/console/lookup" hx-get="/console/lookup" hx-target="#results" hx-select="#results" hx-swap="outerHTML" hx-push-url="true">
      <input type="search" name="q" value={q} placeholder="企业名称或信用代码、区或街道、报案编号、政策问题" autofocus aria-label="查询" />
      <button type="submit">查询</button>
    </form>
  )
}

export function LookupResults({ result, knowledge }: { result: LookupResult; knowledge: Knowledge }) {
  const { report, firms, place, answer, codeProblem, rosterSize } = result
  return (
    <div id="results">
      {!result.q ? (
        <p class="muted">
          例如：“示例电子”“91440300MA5EXAMP1F”“沙井”“BS20261126-0001”“赔付比例是多少”。
        </p>
      ) : null}
      {codeProblem ? <div class="error">{codeProblem}，请核对。</div> : null}
      {report ? (
        <section class="card">
          <h2>报案 {report.number}</h2>
          {report.found ? (
            <p>
              <a href={`/console/reports/${report.found.id}`}>{report.found.id}</a> {companyOf(report.found)} · {report.found.district} · <StatusBadge report={report.found} />
            </p>
          ) : (
            <p class="muted">没有找到这个报案（或它不在您负责的区）。</p>
          )}
        </section>
      ) : null}
      {place ? (
        <section class="card">
          <h2>
            {place.via === 'street' ? `${place.matched}属于${place.district}` : place.district}的客户经理
          </h2>
          <Managers district={place.district} managers={place.managers} />
        </section>
      ) : null}
      {firms && !firms.length ? (
        <section class="card">
          <p class="muted">名单{rosterSize ? '' : '（尚未导入）'}和报案里都没有找到这家企业。</p>
        </section>
      ) : null}
      {firms
        ? firms.map((f) => (
            <section class="card">
              <h2>{f.name}</h2>
              <p>
                {f.creditCode ? <>统一社会信用代码：{f.creditCode}　</> : null}
                {f.onRoster ? <span class="badge s-closed">在公示名单上</span> : <span class="badge s-received">{rosterSize ? '不在导入的名单上' : '尚未导入名单'}</span>}
              </p>
              {f.district ? (
                <>
                  <p>所在区：{f.district}（据其报案），客户经理：</p>
                  <Managers district={f.district} managers={f.managers ?? []} />
                </>
              ) : (
                <p class="muted">所在区未知（没有报案记录）。</p>
              )}
              <h3>报案</h3>
              <ReportTable reports={f.reports} knowledge={knowledge} />
            </section>
          ))
        : null}
      {answer ? (
        <section class="card">
          <h2>机器人的回答（与企业看到的一样）</h2>
          {answer.map((text) => (
            <div class="answer">{text}</div>
          ))}
        </section>
      ) : null}
    </div>
  )
}
