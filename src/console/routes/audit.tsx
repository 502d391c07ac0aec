import type { Hono } from 'hono'
import type { AuditLog } from '../../store/types.js'
import type { ConsoleEnv } from '../context.js'
import { page } from '../render.js'
import { chinaTime } from '../report-view.js'

const PER_PAGE = 100

const ACTIONS: Record<string, string> = {
  login: '登录',
  'login.failed': '密码错误',
  'login.locked': '输错过多，锁定该地址',
  'login.refused-locked': '锁定期间尝试登录',
  logout: '退出',
  'report.status': '更改报案状态',
  'reports.export': '导出报案 CSV',
  'roster.import': '导入名单',
  'staff.add': '添加账号',
  'staff.passwd': '重设密码',
  'staff.role': '修改角色',
  'staff.remove': '删除账号',
  'staff.unlock': '解除锁定',
  'handoff.take': '接待转人工',
  'handoff.assign': '分配转人工',
  'handoff.reply': '回复用户',
  'handoff.close': '结束转人工',
  'unanswered.handled': '未答问题标记已处理',
  'unanswered.export': '导出黄金问题候选',
}

const json = (v: unknown) => (v === undefined ? '' : JSON.stringify(v))

/** /console/audit (admins): every staff action, newest first: who, when, what, before and after. */
export function auditRoutes(app: Hono<ConsoleEnv>, { audit }: { audit: AuditLog }): void {
  app.get('/audit', async function auditLog(c) {
    const p = Math.max(1, Number.parseInt(c.req.query('page') ?? '1', 10) || 1)
    const [entries, total] = await Promise.all([audit.list((p - 1) * PER_PAGE, PER_PAGE), audit.size()])
    const pages = Math.max(1, Math.ceil(total / PER_PAGE))
    return page(
      c,
      '操作记录',
      <>
        <p class="muted">共 {total} 条，最新的在前。记录只增不改。</p>
        <table>
          <thead>
            <tr>
              <th>时间</th>
              <th>账号</th>
              <th>操作</th>
              <th>对象</th>
              <th>之前</th>
              <th>之后</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr>
                <td>{chinaTime(e.at)}</td>
                <td>{e.actor}</td>
                <td>{ACTIONS[e.action] ?? e.action}</td>
                <td>{e.target ?? ''}</td>
                <td>
                  <pre class="json">{json(e.before)}</pre>
                </td>
                <td>
                  <pre class="json">{json(e.after)}</pre>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div class="pager">
          {p > 1 ? <a href={`/console/audit?page=${p - 1}`}>上一页</a> : null}
          <span class="muted">
            第 {Math.min(p, pages)} / {pages} 页
          </span>
          {p < pages ? <a href={`/console/audit?page=${p + 1}`}>下一页</a> : null}
        </div>
      </>,
    )
  })
}
