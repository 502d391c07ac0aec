import type { Context } from 'hono'
import type { Child } from 'hono/jsx'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { displayText } from '../text/display.js'
import type { ConsoleEnv } from './context.js'
import { BarePage, Page } from './views/layout.js'

async function send(c: Context, node: Child, status: ContentfulStatusCode) {
  // The JSX escapes every value it is given; only the doctype is written raw. Users' text reaches many pages
  // (handoffs, reports, unanswered questions, lookups): controls and bidi overrides go here, once for all of them.
  const body = displayText(await Promise.resolve(String(await node)))
  c.header('Cache-Control', 'no-store')
  return c.html(`<!doctype html>${body}`, status)
}

/** A signed-in page with the menu. */
export function page(c: Context<ConsoleEnv>, title: string, body: Child, status: ContentfulStatusCode = 200) {
  const node = (
    <Page title={title} path={c.req.path} staff={c.var.staff} csrf={c.var.csrf} nonce={c.var.secureHeadersNonce}>
      {body}
    </Page>
  )
  return send(c, node, status)
}

/** A page without the menu (login, errors before sign-in). */
export function barePage(c: Context<ConsoleEnv>, title: string, body: Child, status: ContentfulStatusCode = 200) {
  return send(c, <BarePage title={title} nonce={c.var.secureHeadersNonce}>{body}</BarePage>, status)
}
