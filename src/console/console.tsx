import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { NONCE, secureHeaders } from 'hono/secure-headers'
import { createAccounts } from './accounts.js'
import { CONSOLE_CSS } from './assets.js'
import { checkOrigin, isApi, requireRole, requireStaff } from './auth.js'
import type { ConsoleDeps, ConsoleEnv } from './context.js'
import { ConsoleError } from './errors.js'
import { formOnce } from './form-once.js'
import { createLockout } from './lockout.js'
import { createLoginGate } from './login-gate.js'
import { createLookup } from './lookup.js'
import { barePage, page } from './render.js'
import { apiRoutes } from './routes/api.js'
import { auditRoutes } from './routes/audit.js'
import { loginRoutes } from './routes/login.js'
import { lookupRoutes } from './routes/lookup.js'
import { reportRoutes } from './routes/reports.js'
import { rosterRoutes, ROSTER_MAX_BYTES } from './routes/roster.js'
import { capBody } from '../http/body-limit.js'
import { HttpError } from '../http/errors.js'
import { StoreUnavailableError } from '../store/types.js'
import { staffRoutes } from './routes/staff.js'
import { handoffRoutes } from './routes/handoffs.js'
import { unansweredRoutes } from './routes/unanswered.js'
import { createHandoffDesk } from '../handoff/desk.js'
import { wechatPusher } from '../handoff/pushers.js'
import { handoffTexts } from '../handoff/texts.js'
import { createSessions } from './session.js'
import { createStatusPush } from './status-push.js'

/**
 * The staff console under /console: Chinese pages rendered on the server (hono/jsx), htmx served by the app
 * itself, signed-cookie sessions shared through the store (so any instance serves any staff member), CSRF
 * checks on every POST, a strict CSP, and an audit entry for every action. Mount with app.route('/console', …).
 *
 * A new page: its routes in routes/<page>.tsx (they get c.var.staff, c.var.csrf and c.var.audit), registered
 * below after requireStaff (with requireRole if it is not for everyone), and its menu entry in nav.ts.
 */
export function createConsole(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const { store, knowledge, places, engine, logger, hasher, secret } = deps
  const now = deps.now ?? Date.now
  const sessions = createSessions({ secret, kv: store.kv, staff: store.staff, now })
  const lockout = createLockout(store.kv)
  const districts = knowledge.managers.groups.flatMap((g) => g.districts)
  const accounts = createAccounts({ staff: store.staff, audit: store.audit, hasher, districts, now })
  const pushStatus = createStatusPush({ kv: store.kv, api: deps.wechatApi, logger, knowledge })
  const staffOnly = requireStaff({ sessions, audit: store.audit, now })

  const app = new Hono<ConsoleEnv>()

  // Scripts only with this response's nonce (htmx is loaded that way); styles, requests and forms to this app only.
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: [NONCE],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      xFrameOptions: 'DENY',
    }),
  )

  app.get('/assets/htmx.min.js', (c) =>
    c.body(deps.htmx, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=86400' }),
  )
  app.get('/assets/console.css', (c) => c.body(CONSOLE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }))

  // Every POST from here on, login included: same origin only (Origin, or Sec-Fetch-Site).
  app.use('*', checkOrigin)
  const gate = createLoginGate({ maxHashes: deps.maxLoginHashes, now })
  const clientOf = deps.clientAddress ?? (() => 'unknown')
  loginRoutes(app, { secret, sessions, lockout, staff: store.staff, audit: store.audit, hasher, logger, now, gate, clientOf })

  // The roster upload's own size limit, before anything reads the body (the app skips its 16 KB cap there).
  app.use('/roster', capBody({ maxBytes: ROSTER_MAX_BYTES }))
  app.use('*', staffOnly)
  // After sign-in (ids are per staff member), before every page's POST: each form is done at most once.
  app.use('*', formOnce({ kv: store.kv }))
  // The pages. A new one is registered here, before the catch-all at the end (which would answer first).
  lookupRoutes(app, { lookup: createLookup({ store, engine, knowledge, places }), knowledge })
  reportRoutes(app, { store, knowledge, places, logger, pushStatus, now })
  apiRoutes(app, { store, knowledge })
  app.use('/staff', requireRole('admin'))
  app.use('/staff/*', requireRole('admin'))
  staffRoutes(app, { staff: store.staff, accounts, lockout, districts })
  app.use('/roster', requireRole('admin'))
  rosterRoutes(app, { roster: store.roster })
  app.use('/audit', requireRole('admin'))
  auditRoutes(app, { audit: store.audit })
  // 转人工 and the unanswered questions, where the store keeps them.
  const desk = deps.handoff ?? createHandoffDesk({ handoffs: store.handoffs, clock: store.clock?.bind(store), logger, now, texts: handoffTexts(knowledge) })
  if (desk && !deps.handoff) desk.usePusher('wechat', wechatPusher({ kv: store.kv, api: deps.wechatApi, logger }))
  if (desk) handoffRoutes(app, { desk, staff: store.staff, knowledge, now })
  app.use('/unanswered', requireRole('hotline', 'admin'))
  app.use('/unanswered/*', requireRole('hotline', 'admin'))
  if (store.unanswered) unansweredRoutes(app, { log: store.unanswered, knowledge, now })

  // Keep this last. Mounted with app.route(), the console's own notFound would not be used: a last route answers instead.
  app.all('*', (c) => {
    if (isApi(c)) return c.json({ error: { code: 'not_found', message: '没有这个地址' } }, 404)
    return page(c, '没有这个页面', <p>没有这个页面。<a href="/console">返回查询</a></p>, 404)
  })

  /** An error as a page: the message and the way back, with the menu when someone is signed in. */
  function errorPage(c: Context<ConsoleEnv>, title: string, message: string, status: ContentfulStatusCode) {
    const body = (
      <div class="error">
        <p>{message}</p>
        <p>
          <a href="/console">返回坐席台</a>
        </p>
      </div>
    )
    return c.var.staff ? page(c, title, body, status) : barePage(c, title, body, status)
  }

  app.onError(function consoleError(err, c) {
    // The store down, slow or refusing writes (Redis full, a read-only replica, a disk full): 503, try again soon.
    if (err instanceof StoreUnavailableError) {
      logger.warn({ err: err.message, path: c.req.path }, 'console: store unavailable')
      c.header('Retry-After', '5')
      const message = '存储暂时不可用，请稍后再试。'
      if (isApi(c)) return c.json({ error: { code: 'store_unavailable', message } }, 503)
      return errorPage(c, '存储暂时不可用', message, 503)
    }
    const known = err instanceof ConsoleError || err instanceof HttpError
    // hono/csrf refuses a cross-site POST with its own 403.
    const status = known ? err.status : 'getResponse' in err && (err as { status?: number }).status === 403 ? 403 : 500
    const message = known
      ? err instanceof HttpError && err.status === 413
        ? `文件太大（超过 ${ROSTER_MAX_BYTES / 1024 / 1024} MB）。`
        : err.message
      : status === 403
        ? '请求来源不对（只接受本站页面提交），请从坐席台页面重新操作。'
        : '系统出了点问题，请稍后再试。'
    if (status === 500) logger.error({ err }, 'console error')
    if (isApi(c)) return c.json({ error: { code: known ? 'refused' : status === 403 ? 'forbidden' : 'internal', message } }, status)
    return errorPage(c, '无法完成', message, status)
  })

  return app
}
