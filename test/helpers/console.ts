/*
 * Helpers for console tests (also for pages added later, such as handoffs): consoleSetup() builds an app with the
 * console over a memory store and a movable clock, addStaff() makes accounts, signedIn() returns a ConsoleClient
 * that keeps cookies and posts forms like a browser (Origin and the CSRF field included).
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Hono } from 'hono'
import { createAccounts } from '../../src/console/accounts.js'
import type { ConsoleOptions } from '../../src/console/context.js'
import { createScryptHasher } from '../../src/console/password-node.js'
import { createApp, type AppDeps } from '../../src/http/app.js'
import { createMemoryStore } from '../../src/store/memory-store.js'
import type { LossReport, StaffRole, Store } from '../../src/store/types.js'
import { silentLogger, testBot } from './bot.js'
import { FULL_REPORT } from './claim.js'

export const CONSOLE_SECRET = 'console-test-secret-0123456789abcdef-0123'
export const ORIGIN = 'http://localhost'
/** Cheap scrypt parameters: tests log in many times; the format and checks are the real ones. */
export const testHasher = createScryptHasher({ N: 2 ** 10 })
export const HTMX = readFileSync(createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js'), 'utf8')

/** Console options for createApp over a bot's knowledge and places. */
export function consoleOptions(bot: Pick<ConsoleOptions, 'knowledge' | 'places'>, now?: () => number): ConsoleOptions {
  return { secret: CONSOLE_SECRET, knowledge: bot.knowledge, places: bot.places, hasher: testHasher, htmx: HTMX, now }
}

/** Add an account straight through the account rules (what `npm run staff -- add` does). */
export async function addStaff(store: Store, username: string, role: StaffRole, password = 'correct-horse-battery', districts: string[] = [], now: () => number = Date.now): Promise<void> {
  const accounts = createAccounts({ staff: store.staff, audit: store.audit, hasher: testHasher, districts: ['南山区', '福田区', '宝安区', '龙岗区', '光明区', '罗湖区'], now })
  await accounts.add({ username, role, districts, password }, 'test')
}

/** Something that answers requests: an in-process app, or a real server at a base URL. */
export type Target = Hono | string

/**
 * A browser-like client of the console: it keeps cookies, sends Origin on POSTs like a browser does, and knows the
 * session's CSRF token once signed in (read from the page's <meta name="csrf-token">).
 */
export class ConsoleClient {
  cookies = new Map<string, string>()
  csrf = ''
  constructor(
    readonly target: Target,
    readonly origin = typeof target === 'string' ? target : ORIGIN,
  ) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '))
    const res = typeof this.target === 'string'
      ? await fetch(`${this.target}${path}`, { ...init, headers, redirect: 'manual' })
      : await this.target.request(path, { ...init, headers })
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';')
      const i = pair!.indexOf('=')
      const name = pair!.slice(0, i).trim()
      const value = pair!.slice(i + 1).trim()
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || !value
      if (expired) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return res
  }

  get(path: string): Promise<Response> {
    return this.request(path)
  }

  /** A form POST as a browser sends it: Origin set, the CSRF field added unless `csrf: false`. */
  post(path: string, fields: Record<string, string | string[]>, o: { csrf?: boolean | string; origin?: string | null } = {}): Promise<Response> {
    const body = new URLSearchParams()
    for (const [k, v] of Object.entries(fields)) for (const one of ([] as string[]).concat(v)) body.append(k, one)
    if (o.csrf !== false && !('_csrf' in fields)) body.set('_csrf', typeof o.csrf === 'string' ? o.csrf : this.csrf)
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
    const origin = o.origin === undefined ? this.origin : o.origin
    if (origin !== null) headers.origin = origin
    return this.request(path, { method: 'POST', body, headers })
  }

  /** Read the CSRF token off a page the session can open. */
  async refreshCsrf(path = '/console/lookup'): Promise<void> {
    const html = await (await this.get(path)).text()
    this.csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(html)?.[1] ?? ''
  }

  /** GET the login form (its token), POST the credentials; the response of the POST. */
  async login(username: string, password: string): Promise<Response> {
    const form = await (await this.get('/console/login')).text()
    const token = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? ''
    const res = await this.post('/console/login', { username, password, _csrf: token })
    if (res.status === 303 && res.headers.get('location')?.startsWith('/console')) await this.refreshCsrf()
    return res
  }
}

/** A signed-in client; fails the test if the login does not go through. */
export async function signedIn(target: Target, username: string, password = 'correct-horse-battery'): Promise<ConsoleClient> {
  const client = new ConsoleClient(target)
  const res = await client.login(username, password)
  if (res.status !== 303 || res.headers.get('location') !== '/console') throw new Error(`login of ${username} answered ${res.status} ${res.headers.get('location')}`)
  if (!client.csrf) throw new Error('no CSRF token on the console page')
  return client
}

/** An app with the console over a bot with a memory store and a clock the test moves. */
export async function consoleSetup(o: { store?: Store; wechat?: AppDeps['wechat']; start?: number; console?: Partial<ConsoleOptions> } = {}) {
  let t = o.start ?? Date.UTC(2026, 10, 26, 2)
  const now = () => t
  const store = o.store ?? createMemoryStore({ sessionTtlSeconds: 3600, now })
  const bot = testBot({ store, now })
  const app = createApp({ engine: bot.engine, store, logger: silentLogger, maxTextLength: 1000, wechat: o.wechat, console: { ...consoleOptions(bot, now), ...o.console } })
  return {
    app,
    bot,
    store,
    now,
    advance: (ms: number) => void (t += ms),
    /** An account made at the setup's time (a session is valid only after its password was set). */
    addStaff: (username: string, role: StaffRole, districts: string[] = [], password = 'correct-horse-battery') => addStaff(store, username, role, password, districts, now),
  }
}

/** File the complete loss report of test/helpers/claim.ts through /api/chat; its number. */
export async function fileReportOverApi(app: Hono, userId: string, edit: (answer: string, i: number) => string = (a) => a): Promise<string> {
  const say = async (text: string) => {
    const res = await app.request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, text }) })
    return ((await res.json()) as { replies: Array<{ text: string }> }).replies.map((r) => r.text).join('\n')
  }
  for (const [i, [answer]] of FULL_REPORT.entries()) await say(edit(answer, i))
  const filed = await say('确认')
  const no = /BS\d{8}-\d{4}/.exec(filed)?.[0]
  if (!no) throw new Error(`no report number in: ${filed}`)
  return no
}

/** A stored report, as the form leaves it, without going through the form. */
export function sampleReport(id: string, over: Partial<LossReport> = {}, fields: Record<string, unknown> = {}): LossReport {
  return {
    id,
    userId: 'api:u-sample',
    channel: 'api',
    district: '南山区',
    status: 'received',
    createdAt: Date.UTC(2026, 10, 20, 2),
    updatedAt: Date.UTC(2026, 10, 20, 2),
    fields: { company: '深圳市样例贸易有限公司', creditCode: '91440300MA5EXAMP1F', buyerName: 'ACME Ltd', buyerCountry: '德国', amount: { value: 100_000, currency: 'USD' }, phone: '13812345678', contactName: '李四', ...fields },
    flags: [],
    ...over,
  }
}

/** The page's text, tags dropped, for reading what a person sees. */
export function pageText(html: string): string {
  const entities: Record<string, string> = { '&quot;': '"', '&#39;': "'", '&lt;': '<', '&gt;': '>', '&nbsp;': ' ', '&amp;': '&' }
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(quot|#39|lt|gt|nbsp|amp);/g, (e) => entities[e]!)
    .replace(/\s+/g, ' ')
}

/** The one-time id (`_form`) of the form on this page that posts to `action`. */
export function formId(html: string, action: string): string {
  const form = new RegExp(`<form[^>]*action="${action.replace(/[/.]/g, '\\$&')}"[^>]*>([\\s\\S]*?)</form>`).exec(html)?.[1] ?? ''
  const id = /name="_form" value="([^"]+)"/.exec(form)?.[1]
  if (!id) throw new Error(`no form id for ${action}`)
  return id
}
