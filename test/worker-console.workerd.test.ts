import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createScryptHasher } from '../src/console/password-node.js'
import { createWorkerHandler, type WorkerEnv, type WorkerHandler } from '../src/worker/build.js'
import { FULL_REPORT } from './helpers/claim.js'
import { pageText, WorkerConsoleClient } from './worker-helpers/console-client.js'

// The staff console served by the Worker inside workerd, over the real Durable Objects of wrangler.toml: the
// first admin from STAFF_BOOTSTRAP_ADMIN, login, lookup, a report's status change seen by the exporter, CSRF,
// lockout, accounts and the roster import (csv-parse's browser build), as test/console*.test.ts check on Node.

const CONSOLE_SECRET = 'worker-console-secret-0123456789abcdef'
const ADMIN_PASSWORD = 'root-password-on-workers'
const PASSWORD = 'correct-horse-battery'
// Made the way `npm run staff -- hash root` makes it (node:crypto; the test pool has nodejs_compat, production does
// not): once with the real parameters, and cheaper for the tests that log in many times (the format and the checks
// are the same; each hash carries its own parameters).
const realAdminHash = createScryptHasher().hash(ADMIN_PASSWORD)
const CHEAP = { N: 2 ** 10 }
const cheapAdminHash = createScryptHasher(CHEAP).hash(ADMIN_PASSWORD)

let n = 0
/** A Worker app with its own Durable Objects (a tenant prefix); `again()` is a second isolate over the same objects. */
async function consoleApp({ real = false }: { real?: boolean } = {}) {
  const tenant = `console-${Date.now()}-${n++}:`
  const bootstrap = `root:${await (real ? realAdminHash : cheapAdminHash)}`
  const build = (more: Record<string, string> = {}) =>
    createWorkerHandler({ ...(env as WorkerEnv), CONSOLE_SECRET, STAFF_BOOTSTRAP_ADMIN: bootstrap, ...more }, { tenant, passwordParams: real ? undefined : CHEAP })
  const handler = await build()
  const say = async (userId: string, text: string) => {
    const res = await new WorkerConsoleClient(handler).request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, text }) })
    expect(res.status).toBe(200)
    return ((await res.json()) as { replies: Array<{ text: string }> }).replies.map((r) => r.text).join('\n')
  }
  return { handler, store: handler.store, say, again: build }
}

async function signedIn(handler: WorkerHandler, username: string, password: string): Promise<WorkerConsoleClient> {
  const client = new WorkerConsoleClient(handler)
  const res = await client.login(username, password)
  expect(res.status, `login of ${username}`).toBe(303)
  expect(res.headers.get('location')).toBe('/console')
  expect(client.csrf).not.toBe('')
  return client
}

describe('the console on Workers', () => {
  it('is off without CONSOLE_SECRET, saying why, as on Node', async () => {
    const handler = await createWorkerHandler({ ...(env as WorkerEnv) }, { tenant: `off-${Date.now()}:` })
    const res = await new WorkerConsoleClient(handler).get('/console/login')
    expect(res.status).toBe(404)
    expect(await res.text()).toContain('CONSOLE_SECRET')
  })

  it('serves the login page with its strict CSP, htmx from the bundle (a text module) and the stylesheet', async () => {
    const { handler } = await consoleApp()
    const client = new WorkerConsoleClient(handler)
    const login = await client.get('/console/login')
    expect(login.status).toBe(200)
    expect(login.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(await login.text()).toContain('统保坐席台')
    const htmx = await client.get('/console/assets/htmx.min.js')
    expect(htmx.status).toBe(200)
    expect(htmx.headers.get('content-type')).toMatch(/javascript/)
    const source = await htmx.text()
    // The library's own source, not a module wrapper around it.
    expect(source).toMatch(/^var htmx=function\(\)\{"use strict";/)
    expect(source.length).toBeGreaterThan(40_000)
    expect((await client.get('/console/assets/console.css')).headers.get('content-type')).toMatch(/text\/css/)
    // Without a session: pages go to the login page, the API answers 401.
    expect((await client.get('/console/reports')).headers.get('location')).toBe('/console/login?next=%2Fconsole%2Freports')
    expect((await client.get('/console/api/me')).status).toBe(401)
  })
})

describe('the first admin (STAFF_BOOTSTRAP_ADMIN)', () => {
  it('is made on the first console request while the ledger has no admin, once, audited; the password is the one hashed on Node', async () => {
    const { handler, store, again } = await consoleApp({ real: true })
    expect(await store.staff.list()).toEqual([])
    // Two isolates signing in at once make one account and one audit entry, and both get in.
    const second = await again()
    const logins = await Promise.all([new WorkerConsoleClient(handler).login('root', ADMIN_PASSWORD), new WorkerConsoleClient(second).login('root', ADMIN_PASSWORD)])
    expect(logins.map((r) => r.status)).toEqual([303, 303])
    const staff = await store.staff.list()
    expect(staff.map((a) => [a.username, a.role])).toEqual([['root', 'admin']])
    expect(staff[0]!.passwordHash).toBe(await realAdminHash)
    const audit = await store.audit.list(0, 10)
    expect(audit.filter((e) => e.actor === 'bootstrap')).toEqual([expect.objectContaining({ action: 'staff.add', target: 'root', after: { role: 'admin', districts: [] } })])
    expect(JSON.stringify(audit)).not.toContain('scrypt$')

    expect((await new WorkerConsoleClient(handler).login('root', 'not-the-password')).status).toBe(401)
    const root = await signedIn(handler, 'root', ADMIN_PASSWORD)
    expect(await (await root.get('/console/api/me')).json()).toEqual({ username: 'root', role: 'admin', districts: [] })
    expect(pageText(await (await root.get('/console/audit')).text())).toContain('bootstrap')
  })

  it('does nothing once an admin exists: the secret cannot take over or reset a working console', async () => {
    const { handler, store, again } = await consoleApp()
    const root = await signedIn(handler, 'root', ADMIN_PASSWORD)
    expect((await root.post('/console/staff/root/password', { password: 'a-new-root-password' })).status).toBe(303)
    // A new isolate, and a secret naming someone else with a known password.
    const intruder = `mallory:${await createScryptHasher({ N: 2 ** 10 }).hash('mallory-password')}`
    const other = await again({ STAFF_BOOTSTRAP_ADMIN: intruder })
    expect((await new WorkerConsoleClient(other).login('mallory', 'mallory-password')).status).toBe(401)
    expect((await new WorkerConsoleClient(other).login('root', ADMIN_PASSWORD)).status).toBe(401)
    expect((await new WorkerConsoleClient(other).login('root', 'a-new-root-password')).status).toBe(303)
    expect((await store.staff.list()).map((a) => a.username)).toEqual(['root'])
  })

  it('a bad STAFF_BOOTSTRAP_ADMIN stops the Worker with the variable named, never its value', async () => {
    await expect(createWorkerHandler({ ...(env as WorkerEnv), CONSOLE_SECRET, STAFF_BOOTSTRAP_ADMIN: 'root:plain-password-here' })).rejects.toThrow(
      /STAFF_BOOTSTRAP_ADMIN: the part after the colon is not a scrypt hash/,
    )
    await expect(createWorkerHandler({ ...(env as WorkerEnv), CONSOLE_SECRET, STAFF_BOOTSTRAP_ADMIN: 'root:plain-password-here' })).rejects.not.toThrow(/plain-password-here/)
  })
})

describe('staff at work on Workers', () => {
  it('an admin adds a hotline account; it looks up a street, a firm and a report, and moves the report on; the exporter sees it', async () => {
    const { handler, store, say } = await consoleApp({ real: true })
    const root = await signedIn(handler, 'root', ADMIN_PASSWORD)
    expect((await root.post('/console/staff', { username: 'zhang', role: 'hotline', password: PASSWORD })).status).toBe(303)
    expect((await store.staff.get('zhang'))?.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/) // hashed on workerd, Node's parameters

    for (const [answer] of FULL_REPORT) await say('exporter', answer)
    const no = /BS\d{8}-\d{4}/.exec(await say('exporter', '确认'))?.[0]
    expect(no).toBeDefined()

    const zhang = await signedIn(handler, 'zhang', PASSWORD)
    expect(pageText(await (await zhang.get(`/console/lookup?q=${encodeURIComponent('沙井')}`)).text())).toContain('宝安区')
    const byNumber = await zhang.get(`/console/lookup?q=${no}`)
    expect(pageText(await byNumber.text())).toContain(no!)
    const report = (await store.reports.get(no!))!
    const company = String(report.fields.company)
    expect(pageText(await (await zhang.get(`/console/lookup?q=${encodeURIComponent(company)}`)).text())).toContain(no!)
    expect(pageText(await (await zhang.get('/console/reports')).text())).toContain(no!)

    const changed = await zhang.post(`/console/reports/${no}/status`, { status: 'in_review', note: '请补充报关单' })
    expect(changed.status).toBe(303)
    expect(changed.headers.get('location')).toBe(`/console/reports/${no}?changed=none`)
    const detail = pageText(await (await zhang.get(`/console/reports/${no}`)).text())
    expect(detail).toContain('处理中')
    expect(detail).toContain('请补充报关单')
    const asked = await say('exporter', '我的报案')
    expect(asked).toContain('客户经理处理中')
    expect(asked).toContain('说明：请补充报关单')
    expect((await store.audit.list(0, 1))[0]).toMatchObject({ actor: 'zhang', action: 'report.status', target: no, before: { status: 'received' }, after: { status: 'in_review', note: '请补充报关单' } })
    // The hotline role has no admin pages, as on Node.
    expect((await zhang.get('/console/staff')).status).toBe(403)
    const csv = await zhang.get('/console/reports.csv')
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/)
    expect(await csv.text()).toContain(no!)
  })

  it('refuses a POST from another origin or without the session’s CSRF token, and the login form without its own token', async () => {
    const { handler, store, say } = await consoleApp()
    for (const [answer] of FULL_REPORT) await say('csrf-exporter', answer)
    const no = /BS\d{8}-\d{4}/.exec(await say('csrf-exporter', '确认'))![0]
    const root = await signedIn(handler, 'root', ADMIN_PASSWORD)
    const path = `/console/reports/${no}/status`
    expect((await root.post(path, { status: 'closed', outcome: 'paid' }, { origin: 'https://evil.example' })).status).toBe(403)
    expect((await root.post(path, { status: 'closed', outcome: 'paid' }, { csrf: false })).status).toBe(403)
    expect((await root.post(path, { status: 'closed', outcome: 'paid', _csrf: 'forged' })).status).toBe(403)
    expect((await store.reports.get(no))?.status).toBe('received')
    expect((await root.post(path, { status: 'closed', outcome: 'paid' })).status).toBe(303)
    expect((await store.reports.get(no))?.outcome).toBe('paid')

    const stranger = new WorkerConsoleClient(handler)
    const noToken = await stranger.post('/console/login', { username: 'root', password: ADMIN_PASSWORD, _csrf: 'x' })
    expect(noToken.status).toBe(403)
    expect(stranger.cookies.has('tb_console')).toBe(false)
  })

  it('locks the guessing address out of an account after 5 wrong passwords, not the owner elsewhere, until an admin sets a new password', async () => {
    const { handler, store } = await consoleApp()
    const root = await signedIn(handler, 'root', ADMIN_PASSWORD)
    expect((await root.post('/console/staff', { username: 'li', role: 'hotline', password: PASSWORD })).status).toBe(303)
    const guesser = new WorkerConsoleClient(handler, '203.0.113.66')
    for (let i = 1; i <= 4; i++) expect((await guesser.login('li', `wrong-${i}`)).status).toBe(401)
    const fifth = await guesser.login('li', 'wrong-5')
    expect(fifth.status).toBe(429)
    expect(await fifth.text()).toContain('本地址的登录已锁定 15 分钟')
    expect((await new WorkerConsoleClient(handler, '203.0.113.66').login('li', PASSWORD)).status).toBe(429)
    // li at her own desk is not locked out.
    expect((await new WorkerConsoleClient(handler, '198.51.100.23').login('li', PASSWORD)).status).toBe(303)
    const audit = (await store.audit.list(0, 20)).filter((e) => e.actor === 'li')
    expect(audit.filter((e) => e.action === 'login.failed')).toHaveLength(4)
    expect(audit.find((e) => e.action === 'login.locked')).toMatchObject({ after: { from: '203.0.113.66' } })
    expect(audit.find((e) => e.action === 'login.refused-locked')).toMatchObject({ after: { from: '203.0.113.66' } })
    // Resetting the password unlocks every address (as on Node).
    expect((await root.post('/console/staff/li/password', { password: 'another-good-password' })).status).toBe(303)
    expect((await new WorkerConsoleClient(handler, '203.0.113.66').login('li', 'another-good-password')).status).toBe(303)
  })

  it('throttles one address to 10 attempts a minute and checks one password at a time, refusing the rest at once', async () => {
    const { handler } = await consoleApp()
    const noisy = new WorkerConsoleClient(handler, '203.0.113.5')
    for (let i = 0; i < 10; i++) expect((await noisy.login(`user${i}`, 'wrong')).status).toBe(401)
    const eleventh = await noisy.login('root', ADMIN_PASSWORD)
    expect(eleventh.status).toBe(429)
    expect(Number(eleventh.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await eleventh.text()).toContain('登录尝试太频繁')
    // Six logins at once from six addresses: the isolate checks one password at a time, the others are told to retry.
    const at = await Promise.all(Array.from({ length: 6 }, (_, i) => new WorkerConsoleClient(handler, `198.51.100.${i}`).login('root', `guess-${i}`)))
    const statuses = at.map((r) => r.status)
    expect(statuses.every((s) => s === 401 || s === 503)).toBe(true)
    expect(statuses).toContain(503)
    expect(at.find((r) => r.status === 503)!.headers.get('retry-after')).toBe('1')
    expect((await new WorkerConsoleClient(handler, '198.51.100.99').login('root', ADMIN_PASSWORD)).status).toBe(303)
  })

  it('an admin imports the roster from the console (csv-parse on workerd); bad rows are listed; the firm is then on it', async () => {
    const { handler, store } = await consoleApp()
    const root = await signedIn(handler, 'root', ADMIN_PASSWORD)
    const csv = '企业名称,统一社会信用代码\n深圳市示例电子科技有限公司,91440300MA5EXAMP1F\n"深圳市样本贸易有限公司",91440300MA5XAMPL2X\n坏代码公司,91440300MA5EXAMP1X\n'
    const form = new FormData()
    form.set('_csrf', root.csrf)
    form.set('file', new File([`\ufeff${csv}`], 'roster.csv', { type: 'text/csv' }))
    const res = await root.request('/console/roster', { method: 'POST', body: form, headers: { origin: 'http://worker.test' } })
    expect(res.status).toBe(200)
    const page = pageText(await res.text())
    expect(page).toContain('已导入 2 家企业（原有 0 家，已整体替换），跳过 1 行')
    expect(page).toMatch(/第 4 行 统一社会信用代码无效/)
    expect(await store.roster.size()).toBe(2)
    expect((await store.audit.list(0, 1))[0]).toMatchObject({ actor: 'root', action: 'roster.import', after: { size: 2, rejected: 1 } })
    expect(pageText(await (await root.get(`/console/lookup?q=${encodeURIComponent('示例电子')}`)).text())).toContain('在公示名单上')
    // Pasted text, and a list with no valid row changes nothing.
    const none = await root.post('/console/roster', { csv: '企业名称,统一社会信用代码\n坏,123\n' })
    expect(none.status).toBe(400)
    expect(await store.roster.size()).toBe(2)
  })
})

describe('hardening, as on Node', () => {
  it('sends a login back only inside the console, and shows users’ text without controls or direction overrides', async () => {
    const { handler, store } = await consoleApp()
    for (const [next, expected] of [
      ['/console/reports', '/console/reports'],
      ['/console/\r\nX-Injected: 1', '/console'],
      ['//evil.example/console', '/console'],
      ['/console/../elsewhere', '/console'],
    ]) {
      const client = new WorkerConsoleClient(handler)
      const form = await (await client.get(`/console/login?next=${encodeURIComponent(next!)}`)).text()
      const token = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? ''
      const res = await client.post('/console/login', { username: 'root', password: ADMIN_PASSWORD, _csrf: token, next: next! })
      expect(res.status, JSON.stringify(next)).toBe(303)
      expect(res.headers.get('location'), JSON.stringify(next)).toBe(expected)
    }
    const t = Date.UTC(2026, 10, 20)
    await store.reports.save({ id: 'BS20261120-0009', userId: 'u', channel: 'api', district: '宝安区', status: 'received', createdAt: t, updatedAt: t, flags: [], fields: { company: '深圳\u202E示例\u0007公司', amount: { value: 1000, currency: 'USD' } } })
    const root = await signedIn(handler, 'root', ADMIN_PASSWORD)
    const html = await (await root.get('/console/reports/BS20261120-0009')).text()
    expect(html).toContain('深圳示例公司')
    expect(html).not.toMatch(/[\u0000-\u0008\u202a-\u202e]/)
  })
})
