import type { UnansweredGroup } from '../../handoff/unanswered-groups.js'
import type { Knowledge } from '../../knowledge/knowledge.js'
import type { UnansweredKind } from '../../store/types.js'
import { chinaTime } from '../report-view.js'
import { CsrfField } from './layout.js'

const KIND_LABEL: Record<UnansweredKind, string> = { abstained: '没有答案', 'low-confidence': '把握不大', 'guarded-out': '模型回答未通过核对' }

export interface UnansweredProps {
  /** This page's groups. */
  groups: UnansweredGroup[]
  /** Groups on all pages. */
  groupCount: number
  page: number
  pages: number
  show: 'open' | 'handled'
  total: number
  csrf: string
  knowledge: Knowledge
  canAct: boolean
  notice?: string
}

/** Questions the bot could not answer well, grouped, most asked first: mark handled, or export as golden candidates. */
export function UnansweredList({ groups, groupCount, page, pages, show, total, csrf, knowledge, canAct, notice }: UnansweredProps) {
  const title = (id: string) => knowledge.sections.get(id)?.title ?? id
  return (
    <>
      {notice ? <div class="notice">{notice}</div> : null}
      <div class="card filters">
        <a class={show === 'open' ? 'button' : 'button secondary'} href="/console/unanswered">
          待处理
        </a>
        <a class={show === 'handled' ? 'button' : 'button secondary'} href="/console/unanswered?show=handled">
          已处理
        </a>
        <span class="muted">
          共 {groupCount} 组、{total} 次提问（个人信息已打码）。
        </span>
        {groups.length ? (
          <a class="button secondary" href={`/console/unanswered/golden.json?show=${show}`}>
            全部导出为黄金问题候选（JSON）
          </a>
        ) : null}
      </div>
      {groups.length ? (
        <table>
          <thead>
            <tr>
              <th class="num">次数</th>
              <th>问题</th>
              <th>最近</th>
              <th>原因</th>
              <th>检索到的章节（得分）</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr>
                <td class="num">{g.count}</td>
                <td>
                  <div>{g.question}</div>
                  {g.variants.length ? <div class="muted">类似问法：{g.variants.join(' / ')}</div> : null}
                </td>
                <td>{chinaTime(g.lastAt)}</td>
                <td>
                  {Object.entries(g.kinds)
                    .map(([k, n]) => `${KIND_LABEL[k as UnansweredKind]}${n > 1 ? ` ×${n}` : ''}`)
                    .join('、')}
                  {g.topic ? <div class="muted">资料外话题：{g.topic}</div> : null}
                  {g.detail ? <div class="muted">核对：{g.detail}</div> : null}
                </td>
                <td>
                  {g.sections.length ? (
                    <ul class="plain">
                      {g.sections.map((s) => (
                        <li>
                          {title(s.id)}（{s.score}）
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <span class="muted">无</span>
                  )}
                  {g.coverage !== undefined ? <div class="muted">问题词覆盖 {Math.round(g.coverage * 100)}%</div> : null}
                </td>
                <td class="actions">
                  <a class="button secondary" href={`/console/unanswered/golden.json?show=${show}&group=${g.id}`}>
                    导出
                  </a>
                  {canAct && show === 'open' ? (
                    <form method="post" action="/console/unanswered/handled" class="inline">
                      <CsrfField token={csrf} />
                      <input type="hidden" name="group" value={g.id} />
                      <input type="hidden" name="upTo" value={String(g.lastAt)} />
                      <button type="submit">标记已处理</button>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">{show === 'open' ? '没有待处理的问题。' : '还没有处理过的问题。'}</p>
      )}
      {pages > 1 ? (
        <div class="pager">
          {page > 1 ? <a href={`/console/unanswered?show=${show}&page=${page - 1}`}>上一页</a> : null}
          <span class="muted">
            第 {page} / {pages} 页
          </span>
          {page < pages ? <a href={`/console/unanswered?show=${show}&page=${page + 1}`}>下一页</a> : null}
        </div>
      ) : null}
    </>
  )
}
