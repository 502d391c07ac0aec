import type { Context, MiddlewareHandler } from 'hono'
import { StoreUnavailableError, type KvStore } from '../store/types.js'
import type { ConsoleEnv } from './context.js'
import { page } from './render.js'

/*
 * Every console form carries a one-time id (`_form`, written by CsrfField), so a submission is done at most once:
 * a retry of the same form — a double click, the browser resending after a timeout — is recognised instead of
 * replying to an exporter twice or changing a status again.
 *
 * Before the action, the id is claimed in the shared kv ("pending", 10 minutes); after a redirect (the action was
 * done) it holds where the redirect went, for a day: the same form again goes there, doing nothing. A refusal
 * (400, 404, 409) frees the id, so the corrected form can be sent again. When the store fails during the action
 * (a timeout under a Redis failover), whether it was saved is not known: the page says so and links to the
 * record to look at, and the id stays claimed, so that a blind retry of the same form cannot do it twice.
 */
const PENDING_SECONDS = 600
const DONE_SECONDS = 86_400
const FORM_ID = /^[A-Za-z0-9_-]{20,64}$/

/** The page to look at after an action with an unknown outcome: the record the form was about. */
export function recordOf(path: string): string {
  const m = /^\/console\/(handoffs|reports|staff|unanswered)(?:\/([^/]+))?/.exec(path)
  if (!m) return '/console'
  if ((m[1] === 'handoffs' || m[1] === 'reports') && m[2]) return `/console/${m[1]}/${m[2]}`
  return `/console/${m[1]}`
}

function UnknownOutcome({ record }: { record: string }) {
  return (
    <div class="error">
      <p>这次操作的结果还不确定：系统存储刚才没有及时回应，操作可能已经保存，也可能没有。</p>
      <p>
        请先<a href={record}>打开记录查看</a>是否已经生效，再决定是否重新操作；不要直接重复提交。
      </p>
    </div>
  )
}

/** The middleware: once per form id and staff member. */
export function formOnce({ kv }: { kv: KvStore }): MiddlewareHandler<ConsoleEnv> {
  return async function oncePerForm(c, next) {
    if (c.req.method !== 'POST' || !c.var.staff) return next()
    const type = c.req.header('content-type') ?? ''
    if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return next()
    const id = (await c.req.parseBody())._form
    if (typeof id !== 'string' || !FORM_ID.test(id)) return next()
    const key = `console:form:${c.var.staff.username}:${id}`
    if (!(await kv.setIfAbsent(key, 'pending', PENDING_SECONDS))) return repeated(c, await kv.get(key))
    await next()
    if (c.error instanceof StoreUnavailableError) {
      const unknown = await page(c, '结果不确定', <UnknownOutcome record={recordOf(c.req.path)} />, 503)
      // Replaced whole (undefined first), not merged with the error page's headers.
      c.res = undefined
      c.res = unknown
      return
    }
    const location = c.res.status === 303 ? c.res.headers.get('location') : null
    // Best effort: if this write fails, a retry finds "pending" and is sent to look at the record.
    if (location) await kv.set(key, `done ${location}`, DONE_SECONDS).catch(() => undefined)
    else if (c.res.status >= 400 && c.res.status < 500) await kv.delete(key).catch(() => undefined)
  }

  function repeated(c: Context<ConsoleEnv>, state: string | undefined) {
    // Done before: the same result page, nothing done again.
    if (state?.startsWith('done /console')) return c.redirect(state.slice(5), 303)
    return page(
      c,
      '已经提交过',
      <div class="error">
        <p>这份表单刚才已经提交过，结果还不确定（可能还在保存）。</p>
        <p>
          请先<a href={recordOf(c.req.path)}>打开记录查看</a>是否已经生效，再决定是否重新操作。
        </p>
      </div>,
      409,
    )
  }
}
