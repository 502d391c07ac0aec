import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import type { ExecutionContext } from '@cloudflare/workers-types/index.js'
import type { WorkerHandler } from '../../src/worker/build.js'

/*
 * A browser-like client of the console for the workerd tests (test/helpers/console.ts reads htmx from
 * node_modules at import, which workerd cannot): it keeps cookies, sends Origin on POSTs as a browser does, and
 * knows the session's CSRF token once signed in.
 */
export const WORKER_ORIGIN = 'http://worker.test'

export class WorkerConsoleClient {
  cookies = new Map<string, string>()
  csrf = ''
  private contexts: ExecutionContext[] = []
  /** `address`: the client's address as Cloudflare gives it (CF-Connecting-IP). */
  constructor(
    readonly handler: WorkerHandler,
    readonly address?: string,
  ) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    if (this.address) headers.set('cf-connecting-ip', this.address)
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '))
    const ctx = createExecutionContext()
    this.contexts.push(ctx)
    const res = await this.handler(new Request(`${WORKER_ORIGIN}${path}`, { ...init, headers, redirect: 'manual' }), ctx)
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';')
      const i = pair!.indexOf('=')
      const name = pair!.slice(0, i).trim()
      const value = pair!.slice(i + 1).trim()
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || !value) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return res
  }

  get(path: string): Promise<Response> {
    return this.request(path)
  }

  /** A form POST as a browser sends it: Origin set (unless null), the session's CSRF field added unless given or `csrf: false`. */
  post(path: string, fields: Record<string, string>, o: { csrf?: boolean; origin?: string | null } = {}): Promise<Response> {
    const body = new URLSearchParams(fields)
    if (o.csrf !== false && !('_csrf' in fields)) body.set('_csrf', this.csrf)
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
    const origin = o.origin === undefined ? WORKER_ORIGIN : o.origin
    if (origin !== null) headers.origin = origin
    return this.request(path, { method: 'POST', body, headers })
  }

  /** GET the login form (its token), POST the credentials; the POST's response. Reads the CSRF token on success. */
  async login(username: string, password: string): Promise<Response> {
    const form = await (await this.get('/console/login')).text()
    const token = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? ''
    const res = await this.post('/console/login', { username, password, _csrf: token })
    if (res.status === 303 && res.headers.get('location')?.startsWith('/console')) {
      const page = await (await this.get('/console/lookup')).text()
      this.csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(page)?.[1] ?? ''
    }
    return res
  }

  /** Work the requests handed to waitUntil has finished. */
  settled(): Promise<unknown> {
    return Promise.all(this.contexts.map((c) => waitOnExecutionContext(c)))
  }
}

/** The page's text, tags dropped (as test/helpers/console.ts pageText). */
export function pageText(html: string): string {
  const entities: Record<string, string> = { '&quot;': '"', '&#39;': "'", '&lt;': '<', '&gt;': '>', '&nbsp;': ' ', '&amp;': '&' }
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(quot|#39|lt|gt|nbsp|amp);/g, (e) => entities[e]!)
    .replace(/\s+/g, ' ')
}
