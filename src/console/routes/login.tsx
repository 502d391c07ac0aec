import type { Context, Hono } from 'hono'
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie'
import type { AuditLog, StaffStore } from '../../store/types.js'
import { normalizeUsername, type PasswordHasher } from '../accounts.js'
import type { ConsoleEnv } from '../context.js'
import type { Lockout } from '../lockout.js'
import { LOCK_SECONDS, MAX_FAILURES } from '../lockout.js'
import type { GateRefusal, LoginGate } from '../login-gate.js'
import { barePage } from '../render.js'
import { cookieOptions, randomToken, sameToken, type Sessions } from '../session.js'
import { requireStaff } from '../auth.js'
import type { Logger } from 'pino'
import { maskPersonalData } from '../../text/mask.js'

const LOGIN_COOKIE = 'tb_console_login'

export interface LoginDeps {
  secret: string
  sessions: Sessions
  lockout: Lockout
  staff: StaffStore
  audit: AuditLog
  hasher: PasswordHasher
  logger: Logger
  now: () => number
  gate: LoginGate
  /** The client's address (per-address throttling and lockout). */
  clientOf: (c: Context) => string
}

/**
 * Only a path inside the console: never another site ("//evil.example", "https://…", "/console/..//x"), and never
 * a control character or backslash (a line break would end the Location header; browsers read "\" as "/").
 */
export function safeNext(next: string | undefined): string {
  if (!next || next.length > 500 || /[\u0000-\u001f\u007f\\]/.test(next)) return '/console'
  if (!/^\/console(\/|$|\?)/.test(next)) return '/console'
  // Resolved the way the browser will: it must stay on this site and under /console.
  const url = new URL(next, 'http://console.invalid')
  return url.origin === 'http://console.invalid' && /^\/console(\/|$)/.test(url.pathname) ? `${url.pathname}${url.search}` : '/console'
}

function LoginForm({ token, next, error }: { token: string; next?: string; error?: string }) {
  return (
    <div class="login card">
      <h1>统保坐席台</h1>
      {error ? <div class="error">{error}</div> : null}
      <form method="post" action="/console/login">
        <input type="hidden" name="_csrf" value={token} />
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <label>
          用户名
          <input name="username" autocomplete="username" required autofocus />
        </label>
        <label>
          密码
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <button type="submit">登录</button>
      </form>
      <p class="muted">账号由管理员开通（npm run staff）。在同一地址连续输错 {MAX_FAILURES} 次密码，该地址的登录锁定 {LOCK_SECONDS / 60} 分钟，管理员可以解除。</p>
    </div>
  )
}

/**
 * GET/POST /console/login and POST /console/logout. The login form has its own CSRF token (a signed cookie
 * set with the form, compared with the form field), on top of the Origin check every console POST passes.
 */
export function loginRoutes(app: Hono<ConsoleEnv>, { secret, sessions, lockout, staff, audit, hasher, logger, now, gate, clientOf }: LoginDeps): void {
  // Checked against this when the username is unknown, so both cases cost the same time.
  let dummyHash: Promise<string> | undefined

  async function form(c: Context<ConsoleEnv>, status: 200 | 401 | 403 | 429 | 503, error?: string, next?: string) {
    let token = (await getSignedCookie(c, secret, LOGIN_COOKIE)) || undefined
    if (!token) {
      token = randomToken()
      await setSignedCookie(c, LOGIN_COOKIE, token, secret, cookieOptions(c, 3600, '/console/login'))
    }
    return barePage(c, '登录', <LoginForm token={token} next={next} error={error} />, status)
  }

  app.get('/login', async function loginPage(c) {
    if (await sessions.load(c)) return c.redirect(safeNext(c.req.query('next')), 303)
    return form(c, 200, undefined, c.req.query('next'))
  })

  const LOCKED = `连续输错密码次数过多，本地址的登录已锁定 ${LOCK_SECONDS / 60} 分钟。请稍后再试，或请管理员解除锁定、重设密码。`

  /** A refusal before any password is checked: the form again, with when to retry. */
  function busy(c: Context<ConsoleEnv>, refusal: GateRefusal, next?: string) {
    c.header('Retry-After', String(refusal.retryAfter))
    const error = refusal.status === 429 ? `登录尝试太频繁，请 ${refusal.retryAfter} 秒后再试。` : '登录的人较多，请几秒后再试。'
    return form(c, refusal.status, error, next)
  }

  app.post('/login', async function login(c) {
    const client = clientOf(c)
    // Before anything else costs: an address trying too often is turned away without reading further.
    const throttled = gate.attempt(client)
    if (throttled) return busy(c, throttled)
    const body = await c.req.parseBody()
    const field = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '')
    const next = field('next') || undefined
    const cookie = await getSignedCookie(c, secret, LOGIN_COOKIE)
    if (!cookie || !sameToken(field('_csrf'), cookie)) return form(c, 403, '登录页已过期，请重新输入。', next)
    const username = normalizeUsername(field('username')).slice(0, 64)
    const password = field('password')
    if (!username || !password) return form(c, 401, '请输入用户名和密码。', next)

    const checked = await gate.hashing(async () => {
      const attempt = await lockout.begin(username, client)
      const account = await staff.get(username)
      if (attempt.kind === 'locked') return { account, outcome: 'locked' as const }
      dummyHash ??= hasher.hash(randomToken())
      const ok = await hasher.verify(password, account?.passwordHash ?? (await dummyHash))
      if (account && ok) return { account, outcome: 'ok' as const }
      return { account, outcome: (await lockout.failed(username, client)) ? ('now-locked' as const) : ('failed' as const) }
    })
    if (!checked.ok) return busy(c, checked.refusal, next)
    const { account, outcome } = checked.value
    if (outcome !== 'ok') {
      // Failures of real accounts are staff actions worth keeping (with the address, so an admin sees where they
      // come from); guesses at names that do not exist only go to the log.
      const action = outcome === 'locked' ? 'login.refused-locked' : outcome === 'now-locked' ? 'login.locked' : 'login.failed'
      if (account) await audit.append({ at: now(), actor: username, action, after: { from: client } })
      else logger.warn({ user: maskPersonalData(username), from: client }, 'console login for an unknown username')
      if (outcome === 'failed') return form(c, 401, '用户名或密码不正确。', next)
      return form(c, 429, LOCKED, next)
    }
    await lockout.succeeded(username, client)
    await sessions.start(c, account!)
    deleteCookie(c, LOGIN_COOKIE, cookieOptions(c, 0, '/console/login'))
    await audit.append({ at: now(), actor: account!.username, action: 'login', after: { from: client } })
    return c.redirect(safeNext(next), 303)
  })

  app.post('/logout', requireStaff({ sessions, audit, now }), async function logout(c) {
    await c.var.audit('logout')
    await sessions.end(c)
    return c.redirect('/console/login', 303)
  })
}
