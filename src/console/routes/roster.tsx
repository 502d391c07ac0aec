import type { Context, Hono } from 'hono'
import { parseRosterCsv, type RosterParse } from '../../policy/roster.js'
import type { RosterStore } from '../../store/types.js'
import type { ConsoleEnv } from '../context.js'
import { ConsoleError } from '../errors.js'
import { page } from '../render.js'
import { CsrfField } from '../views/layout.js'

/** The roster upload's own limit (the app caps other bodies at 16 KB): tens of thousands of firms fit. */
export const ROSTER_MAX_BYTES = 5 * 1024 * 1024

function Result({ parsed, stored, before }: { parsed: RosterParse; stored?: number; before: number }) {
  return (
    <section class="card">
      {stored !== undefined ? (
        <div class="notice">
          已导入 {stored} 家企业（原有 {before} 家，已整体替换）{parsed.rejected.length ? `，跳过 ${parsed.rejected.length} 行` : ''}。
        </div>
      ) : (
        <div class="error">名单里没有有效的企业，未导入；原名单（{before} 家）不变。</div>
      )}
      {parsed.rejected.length ? (
        <table>
          <thead>
            <tr>
              <th>行号</th>
              <th>原因</th>
            </tr>
          </thead>
          <tbody>
            {parsed.rejected.map((r) => (
              <tr>
                <td>第 {r.line} 行</td>
                <td>{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  )
}

/** /console/roster (admins): the same import as `npm run roster:import`, with the rejected rows listed. */
export function rosterRoutes(app: Hono<ConsoleEnv>, { roster }: { roster: RosterStore }): void {
  async function show(c: Context<ConsoleEnv>, result?: { parsed: RosterParse; stored?: number; before: number }, status: 200 | 400 = 200) {
    const size = await roster.size()
    return page(
      c,
      '名单',
      <>
        {result ? <Result {...result} /> : null}
        <p>当前名单：{size} 家企业。导入会整体替换旧名单；统一社会信用代码校验不通过的行会列出行号并跳过。</p>
        <form method="post" action="/console/roster" enctype="multipart/form-data" class="card form-grid">
          <CsrfField token={c.var.csrf} />
          <label>CSV 文件</label>
          <div>
            <input type="file" name="file" accept=".csv,text/csv" />
            <div class="muted">表头：企业名称,统一社会信用代码（UTF-8，可带 BOM）</div>
          </div>
          <label>或粘贴内容</label>
          <textarea name="csv" rows={6} placeholder={'企业名称,统一社会信用代码\n深圳市某某科技有限公司,9144030…'}></textarea>
          <span></span>
          <div>
            <button type="submit">导入并替换</button>
          </div>
        </form>
      </>,
      status,
    )
  }

  app.get('/roster', (c) => show(c))

  // The body's size is capped (ROSTER_MAX_BYTES) in console.tsx, before anything reads it.
  app.post('/roster', async function importRoster(c) {
      const body = await c.req.parseBody()
      const file = body.file
      const text = file instanceof File && file.size > 0 ? await file.text() : typeof body.csv === 'string' ? body.csv : ''
      if (!text.trim()) throw new ConsoleError(400, '请选择 CSV 文件，或粘贴名单内容。')
      let parsed: RosterParse
      try {
        parsed = parseRosterCsv(text)
      } catch (err) {
        throw new ConsoleError(400, `无法读取名单：${(err as Error).message}`)
      }
      const before = await roster.size()
      if (!parsed.entries.length) return show(c, { parsed, before }, 400)
      const stored = await roster.replace(parsed.entries)
      await c.var.audit('roster.import', undefined, { size: before }, { size: stored, rejected: parsed.rejected.length })
      return show(c, { parsed, stored, before })
  })
}
