import type { Child } from 'hono/jsx'
import { ROLE_LABEL } from '../accounts.js'
import { NAV } from '../nav.js'
import { randomToken } from '../session.js'
import type { StaffAccount } from '../../store/types.js'

// htmx without eval, inline styles or script tags in swapped content, requests to this app only, and no page
// snapshots in localStorage (pages hold personal data).
const HTMX_CONFIG = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  selfRequestsOnly: true,
  historyCacheSize: 0,
  refreshOnHistoryMiss: true,
})

export interface PageProps {
  title: string
  /** The path being shown, to highlight its menu entry. */
  path: string
  staff: StaffAccount
  csrf: string
  nonce?: string
  children?: Child
}

/**
 * The hidden fields every console form carries: the session's CSRF token, and a one-time id for this rendering of
 * the form, so a resubmission is recognised (form-once.tsx).
 */
export const CsrfField = ({ token }: { token: string }) => (
  <>
    <input type="hidden" name="_csrf" value={token} />
    <input type="hidden" name="_form" value={randomToken()} />
  </>
)

function Head({ title, nonce, csrf }: { title: string; nonce?: string; csrf?: string }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="referrer" content="no-referrer" />
      {csrf ? <meta name="csrf-token" content={csrf} /> : null}
      <meta name="htmx-config" content={HTMX_CONFIG} />
      <title>{title} · 统保坐席台</title>
      <link rel="stylesheet" href="/console/assets/console.css" />
      <script src="/console/assets/htmx.min.js" nonce={nonce} defer></script>
    </head>
  )
}

/** Every signed-in page: the menu (the pages this role may open), who is signed in, logout. */
export function Page({ title, path, staff, csrf, nonce, children }: PageProps) {
  const items = NAV.filter((n) => !n.roles || n.roles.includes(staff.role))
  const scope = staff.role === 'manager' ? `（${staff.districts.join('、')}）` : ''
  return (
    <html lang="zh-CN">
      <Head title={title} nonce={nonce} csrf={csrf} />
      <body hx-headers={JSON.stringify({ 'X-CSRF-Token': csrf })}>
        <header class="top">
          <span class="brand">统保坐席台</span>
          <nav>
            {items.map((n) => (
              <a href={n.href} class={path === n.href || path.startsWith(`${n.href}/`) ? 'on' : undefined}>
                {n.label}
              </a>
            ))}
          </nav>
          <form class="me" method="post" action="/console/logout">
            <span>
              {staff.username} · {ROLE_LABEL[staff.role]}
              {scope}
            </span>
            <CsrfField token={csrf} />
            <button type="submit">退出</button>
          </form>
        </header>
        <main>
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  )
}

/** A page without the menu: the login form, "console is off". */
export function BarePage({ title, nonce, children }: { title: string; nonce?: string; children?: Child }) {
  return (
    <html lang="zh-CN">
      <Head title={title} nonce={nonce} />
      <body>
        <main>{children}</main>
      </body>
    </html>
  )
}
