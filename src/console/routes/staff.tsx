import type { Context, Hono } from 'hono'
import type { StaffRole, StaffStore } from '../../store/types.js'
import { AccountError, MIN_PASSWORD, normalizeUsername, ROLE_LABEL, ROLES, type Accounts } from '../accounts.js'
import type { ConsoleEnv } from '../context.js'
import type { Lockout } from '../lockout.js'
import { page } from '../render.js'
import { chinaTime } from '../report-view.js'
import { CsrfField } from '../views/layout.js'

const DONE: Record<string, string> = {
  added: '已添加账号。',
  password: '已重设密码；该账号已登录的会话随即失效，锁定也已解除。',
  role: '已修改角色和负责的区。',
  removed: '已删除账号。',
  unlocked: '已解除锁定：该账号在所有地址都可以重新登录。',
}

function DistrictPicker({ districts, chosen }: { districts: readonly string[]; chosen: string[] }) {
  return (
    <select name="district" multiple size={4} aria-label="负责的区（仅客户经理）">
      {districts.map((d) => (
        <option value={d} selected={chosen.includes(d)}>
          {d}
        </option>
      ))}
    </select>
  )
}

function RoleSelect({ role }: { role?: StaffRole }) {
  return (
    <select name="role">
      {ROLES.map((r) => (
        <option value={r} selected={r === role}>
          {ROLE_LABEL[r]}（{r}）
        </option>
      ))}
    </select>
  )
}

/** /console/staff (admins): the accounts, adding one, a new password, role and districts, removal. All audited. */
export function staffRoutes(app: Hono<ConsoleEnv>, { staff, accounts, lockout, districts }: { staff: StaffStore; accounts: Accounts; lockout: Lockout; districts: readonly string[] }): void {
  async function show(c: Context<ConsoleEnv>, notice?: string, error?: string, status: 200 | 400 = 200) {
    const all = await staff.list()
    const csrf = c.var.csrf
    return page(
      c,
      '账号',
      <>
        {notice ? <div class="notice">{notice}</div> : null}
        {error ? <div class="error">{error}</div> : null}
        <table>
          <thead>
            <tr>
              <th>用户名</th>
              <th>角色</th>
              <th>负责的区</th>
              <th>开通时间</th>
              <th>操作</th>
            </tr>
          </thead>
          <tbody>
            {all.map((a) => (
              <tr>
                <td>{a.username}</td>
                <td>{ROLE_LABEL[a.role]}</td>
                <td>{a.districts.join('、') || '—'}</td>
                <td>{chinaTime(a.createdAt)}</td>
                <td>
                  <form method="post" action={`/console/staff/${encodeURIComponent(a.username)}/password`} class="filters">
                    <CsrfField token={csrf} />
                    <input type="password" name="password" placeholder={`新密码（至少 ${MIN_PASSWORD} 位）`} autocomplete="new-password" />
                    <button type="submit" class="secondary">重设密码</button>
                  </form>
                  <form method="post" action={`/console/staff/${encodeURIComponent(a.username)}/role`} class="filters">
                    <CsrfField token={csrf} />
                    <RoleSelect role={a.role} />
                    <DistrictPicker districts={districts} chosen={a.districts} />
                    <button type="submit" class="secondary">改角色</button>
                  </form>
                  <form method="post" action={`/console/staff/${encodeURIComponent(a.username)}/unlock`} class="inline">
                    <CsrfField token={csrf} />
                    <button type="submit" class="secondary">解除锁定</button>
                  </form>
                  {a.username !== c.var.staff.username ? (
                    <form method="post" action={`/console/staff/${encodeURIComponent(a.username)}/remove`}>
                      <CsrfField token={csrf} />
                      <button type="submit" class="danger">删除</button>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>添加账号</h2>
        <form method="post" action="/console/staff" class="card form-grid">
          <CsrfField token={csrf} />
          <label>用户名</label>
          <input name="username" required pattern="[a-z0-9][a-z0-9._\-]{1,31}" autocomplete="off" />
          <label>角色</label>
          <RoleSelect />
          <label>负责的区</label>
          <div>
            <DistrictPicker districts={districts} chosen={[]} />
            <div class="muted">只有客户经理按区授权（按住 Ctrl 可多选）；热线坐席和管理员不选。</div>
          </div>
          <label>初始密码</label>
          <input type="password" name="password" required minlength={MIN_PASSWORD} autocomplete="new-password" />
          <span></span>
          <div>
            <button type="submit">添加</button>
          </div>
        </form>
      </>,
      status,
    )
  }

  const form = async (c: Context<ConsoleEnv>) => {
    const body = await c.req.parseBody({ all: true })
    const one = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '')
    const many = (k: string) => ([] as unknown[]).concat(body[k] ?? []).filter((v): v is string => typeof v === 'string')
    return { one, many }
  }

  /** Runs an account change; a refused one shows the page again with the reason. */
  async function act(c: Context<ConsoleEnv>, done: string, fn: () => Promise<unknown>) {
    try {
      await fn()
    } catch (err) {
      if (err instanceof AccountError) return show(c, undefined, err.message, 400)
      throw err
    }
    return c.redirect(`/console/staff?done=${done}`, 303)
  }

  app.get('/staff', (c) => show(c, DONE[c.req.query('done') ?? '']))

  app.post('/staff', async function addAccount(c) {
    const { one, many } = await form(c)
    const actor = c.var.staff.username
    return act(c, 'added', () => accounts.add({ username: one('username'), role: one('role') as StaffRole, districts: many('district'), password: one('password') }, actor))
  })

  // Names from the path are normalised as the store keys them ("admin%20" is admin), here and in accounts.ts.
  app.post('/staff/:username/password', async function resetPassword(c) {
    const { one } = await form(c)
    const username = normalizeUsername(c.req.param('username'))
    return act(c, 'password', async () => {
      await accounts.setPassword(username, one('password'), c.var.staff.username)
      await lockout.clear(username)
    })
  })

  app.post('/staff/:username/role', async function changeRole(c) {
    const { one, many } = await form(c)
    // The picker keeps a former manager's districts selected: they simply do not apply to the other roles.
    const role = one('role') as StaffRole
    return act(c, 'role', () => accounts.setRole(normalizeUsername(c.req.param('username')), role, role === 'manager' ? many('district') : [], c.var.staff.username))
  })

  // Frees the account at every address at once (lockout.ts starts a new generation); audited like every change.
  app.post('/staff/:username/unlock', async function unlockAccount(c) {
    const username = normalizeUsername(c.req.param('username'))
    if (!(await staff.get(username))) return show(c, undefined, `没有账号 ${username}`, 400)
    await lockout.clear(username)
    await c.var.audit('staff.unlock', username)
    return c.redirect('/console/staff?done=unlocked', 303)
  })

  // Not one's own account, nor the last admin: accounts.remove refuses both (the same rules as `npm run staff`).
  app.post('/staff/:username/remove', async function removeAccount(c) {
    return act(c, 'removed', () => accounts.remove(normalizeUsername(c.req.param('username')), c.var.staff.username))
  })
}
