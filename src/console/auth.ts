import type { Context, MiddlewareHandler } from 'hono'
import { csrf } from 'hono/csrf'
import type { StaffRole } from '../store/types.js'
import type { AuditFn, ConsoleEnv } from './context.js'
import { ConsoleError } from './errors.js'
import { sameToken, type Sessions } from './session.js'
import type { AuditLog } from '../store/types.js'

/** Pages and JSON under /console/api are told apart: a page without a session redirects, the API answers 401. */
export const isApi = (c: Context) => c.req.path.startsWith('/console/api/') || c.req.path === '/console/api'

/**
 * Same origin only. Browsers send Origin (and Sec-Fetch-Site) on every POST; a proxy in front may make the
 * request URL http while the browser saw https, so the host alone is compared as well.
 */
export function sameOrigin(origin: string, c: Context): boolean {
  if (origin === new URL(c.req.url).origin) return true
  let host: string
  try {
    host = new URL(origin).host
  } catch {
    return false
  }
  const forwarded = c.req.header('x-forwarded-host')?.split(',')[0]?.trim()
  return host === (forwarded ?? c.req.header('host'))
}

/** hono/csrf: a POST whose Origin (or Sec-Fetch-Site) is not this site is refused before anything else runs. */
export const checkOrigin = csrf({ origin: sameOrigin })

/** The form's `_csrf` field or the X-CSRF-Token header (htmx) must be the session's token. */
export async function submittedToken(c: Context): Promise<string> {
  const header = c.req.header('x-csrf-token')
  if (header) return header
  const type = c.req.header('content-type') ?? ''
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return ''
  const body = await c.req.parseBody()
  return typeof body._csrf === 'string' ? body._csrf : ''
}

/**
 * Every console route but login and the assets: the signed-in staff member, or a redirect to the login page
 * (401 under /console/api). A POST must also carry the session's CSRF token.
 */
export function requireStaff({ sessions, audit, now }: { sessions: Sessions; audit: AuditLog; now: () => number }): MiddlewareHandler<ConsoleEnv> {
  return async function requireStaffSession(c, next) {
    const found = await sessions.load(c)
    if (!found) {
      if (isApi(c)) return c.json({ error: { code: 'unauthorized', message: '请先登录坐席台' } }, 401)
      const back = c.req.method === 'GET' ? `?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search || ''))}` : ''
      return c.redirect(`/console/login${back}`, 303)
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !sameToken(await submittedToken(c), found.session.csrf)) {
      throw new ConsoleError(403, '页面已过期或请求来源不对（CSRF 校验未通过），请刷新页面后再试。')
    }
    const staff = found.account
    const record: AuditFn = (action, target, before, after) =>
      audit.append({ at: now(), actor: staff.username, action, ...(target !== undefined ? { target } : {}), ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) })
    c.set('staff', staff)
    c.set('csrf', found.session.csrf)
    c.set('sessionId', found.id)
    c.set('audit', record)
    await next()
  }
}

/** Only these roles; anyone else signed in gets 403. */
export function requireRole(...roles: StaffRole[]): MiddlewareHandler<ConsoleEnv> {
  return async function requireStaffRole(c, next) {
    if (!roles.includes(c.var.staff.role)) throw new ConsoleError(403, '您的账号没有这个权限。')
    await next()
  }
}
