import { Writable } from 'node:stream'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.js'
import { buildConsole } from '../src/deps.js'
import { createApp } from '../src/http/app.js'
import { LOCK_SECONDS } from '../src/console/lockout.js'
import { silentLogger, testBot } from './helpers/bot.js'
import { ConsoleClient, consoleSetup, CONSOLE_SECRET, sampleReport, signedIn, testHasher } from './helpers/console.js'

const PASSWORD = 'correct-horse-battery'

describe('console off and on', () => {
  it('without CONSOLE_SECRET the console is off, says so in the log, and /console answers 404 saying why', async () => {
    const lines: string[] = []
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _e, done) => void (lines.push(String(chunk)), done()) }))
    const bot = testBot()
    expect(buildConsole(loadConfig({}), bot, logger)).toBeUndefined()
    expect(lines.join('')).toContain('staff console off')
    const app = createApp({ engine: bot.engine, store: bot.store, logger: silentLogger, maxTextLength: 1000 })
    for (const path of ['/console', '/console/login', '/console/reports']) {
      const res = await app.request(path)
      expect(res.status).toBe(404)
      expect(await res.text()).toContain('CONSOLE_SECRET')
    }
  })

  it('refuses a secret shorter than 32 characters, and with one serves the console with htmx from the app itself', async () => {
    expect(() => loadConfig({ CONSOLE_SECRET: 'short' })).toThrow(/CONSOLE_SECRET/)
    const bot = testBot()
    const options = buildConsole(loadConfig({ CONSOLE_SECRET }), bot, silentLogger)!
    expect(options.secret).toBe(CONSOLE_SECRET)
    const app = createApp({ engine: bot.engine, store: bot.store, logger: silentLogger, maxTextLength: 1000, console: options })
    const htmx = await app.request('/console/assets/htmx.min.js')
    expect(htmx.status).toBe(200)
    expect(htmx.headers.get('content-type')).toMatch(/javascript/)
    expect(await htmx.text()).toContain('htmx')
    expect((await app.request('/console/login')).status).toBe(200)
  })
})

describe('without a session', () => {
  it('pages redirect to the login page (coming back afterwards), /console/api answers 401', async () => {
    const s = await consoleSetup()
    const { app } = s
    for (const path of ['/console', '/console/lookup?q=沙井', '/console/reports', '/console/reports/BS20261126-0001', '/console/reports.csv', '/console/staff', '/console/nowhere']) {
      const res = await app.request(path)
      expect(res.status, path).toBe(303)
      const url = new URL(path, 'http://localhost')
      expect(res.headers.get('location'), path).toBe(`/console/login?next=${encodeURIComponent(url.pathname + url.search)}`)
    }
    for (const path of ['/console/api/me', '/console/api/reports', '/console/api/reports/BS20261126-0001']) {
      const res = await app.request(path)
      expect(res.status, path).toBe(401)
      expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: '请先登录坐席台' } })
    }
    const client = new ConsoleClient(app)
    const post = await client.post('/console/reports/BS20261126-0001/status', { status: 'closed', outcome: 'paid' }, { csrf: 'anything' })
    expect(post.status).toBe(303)
    expect(post.headers.get('location')).toBe('/console/login')
  })
})

describe('login', () => {
  it('redirects to /console with a signed HttpOnly SameSite=Strict cookie for 8 hours; a tampered cookie is no session', async () => {
    const s = await consoleSetup()
    const { app } = s
    await s.addStaff('zhang', 'hotline')
    const client = new ConsoleClient(app)
    const res = await client.login('Zhang', PASSWORD)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/console')
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('tb_console='))!
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    expect(cookie).toMatch(/Max-Age=28800/)
    expect(cookie).toMatch(/Path=\/console/)
    expect((await client.get('/console/api/me')).status).toBe(200)
    expect(await (await client.get('/console/api/me')).json()).toEqual({ username: 'zhang', role: 'hotline', districts: [] })

    const [id, signature] = decodeURIComponent(client.cookies.get('tb_console')!).split('.')
    const forged = new ConsoleClient(app)
    forged.cookies.set('tb_console', encodeURIComponent(`${id}x.${signature}`))
    expect((await forged.get('/console/api/me')).status).toBe(401)
    forged.cookies.set('tb_console', encodeURIComponent(`${id}`))
    expect((await forged.get('/console/api/me')).status).toBe(401)
  })

  it('a wrong password or an unknown user gets the same polite 401, and is audited only for real accounts', async () => {
    const s = await consoleSetup()
    const { app, store } = s
    await s.addStaff('zhang', 'hotline')
    const client = new ConsoleClient(app)
    const wrong = await client.login('zhang', 'not-the-password')
    const unknown = await client.login('nobody', PASSWORD)
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401)
      expect(await res.text()).toContain('用户名或密码不正确')
    }
    expect((await store.audit.list(0, 10)).map((e) => [e.actor, e.action])).toEqual([
      ['zhang', 'login.failed'],
      ['test', 'staff.add'],
    ])
  })

  it('renews the session on use, and ends it after 8 hours without use', async () => {
    const s = await consoleSetup()
    const { app, advance } = s
    await s.addStaff('zhang', 'hotline')
    const client = await signedIn(app, 'zhang')
    advance(7 * 3600_000)
    const renewed = await client.get('/console/api/me')
    expect(renewed.status).toBe(200)
    expect(renewed.headers.getSetCookie().find((c) => c.startsWith('tb_console='))).toMatch(/Max-Age=28800/)
    advance(7 * 3600_000) // 14 h after login, 7 h after last use
    expect((await client.get('/console/api/me')).status).toBe(200)
    advance(8 * 3600_000 + 1000)
    expect((await client.get('/console/api/me')).status).toBe(401)
  })

  it('logout ends the session on the server: the old cookie no longer works', async () => {
    const s = await consoleSetup()
    const { app, store } = s
    await s.addStaff('zhang', 'hotline')
    const client = await signedIn(app, 'zhang')
    const saved = new Map(client.cookies)
    const out = await client.post('/console/logout', {})
    expect(out.status).toBe(303)
    expect(out.headers.get('location')).toBe('/console/login')
    expect(client.cookies.has('tb_console')).toBe(false)
    const replay = new ConsoleClient(app)
    replay.cookies = saved
    expect((await replay.get('/console/api/me')).status).toBe(401)
    expect((await store.audit.list(0, 1))[0]).toMatchObject({ actor: 'zhang', action: 'logout' })
  })

  it('a new password ends the sessions signed in with the old one', async () => {
    const s = await consoleSetup()
    const { app } = s
    await s.addStaff('admin', 'admin')
    await s.addStaff('zhang', 'hotline')
    const zhang = await signedIn(app, 'zhang')
    const admin = await signedIn(app, 'admin')
    const reset = await admin.post('/console/staff/zhang/password', { password: 'another-password-1' })
    expect(reset.status).toBe(303)
    expect((await zhang.get('/console/api/me')).status).toBe(401)
    expect((await new ConsoleClient(app).login('zhang', PASSWORD)).status).toBe(401)
    expect((await new ConsoleClient(app).login('zhang', 'another-password-1')).status).toBe(303)
  })
})

describe('lockout', () => {
  it('5 wrong passwords lock the account for 15 minutes, even the right password; then it opens again', async () => {
    const s = await consoleSetup()
    const { app, store, advance } = s
    await s.addStaff('zhang', 'hotline')
    const client = new ConsoleClient(app)
    for (let i = 1; i <= 4; i++) expect((await client.login('zhang', `wrong-${i}`)).status).toBe(401)
    const fifth = await client.login('zhang', 'wrong-5')
    expect(fifth.status).toBe(429)
    expect(await fifth.text()).toContain('本地址的登录已锁定 15 分钟')
    const right = await client.login('zhang', PASSWORD)
    expect(right.status).toBe(429)
    expect(client.cookies.has('tb_console')).toBe(false)
    advance(LOCK_SECONDS * 1000 - 5_000)
    expect((await client.login('zhang', PASSWORD)).status).toBe(429)
    advance(10_000)
    expect((await client.login('zhang', PASSWORD)).status).toBe(303)
    const actions = (await store.audit.list(0, 20)).map((e) => e.action)
    expect(actions.filter((a) => a === 'login.failed')).toHaveLength(4)
    expect(actions.filter((a) => a === 'login.locked')).toHaveLength(1)
  })

  it('a correct login in between starts the count again', async () => {
    const s = await consoleSetup()
    const { app } = s
    await s.addStaff('zhang', 'hotline')
    const client = new ConsoleClient(app)
    for (let i = 0; i < 4; i++) await client.login('zhang', 'wrong')
    expect((await client.login('zhang', PASSWORD)).status).toBe(303)
    for (let i = 0; i < 4; i++) expect((await new ConsoleClient(app).login('zhang', 'wrong')).status).toBe(401)
    expect((await new ConsoleClient(app).login('zhang', PASSWORD)).status).toBe(303)
  })

  it('20 guesses at once get no more than 5 password checks: the rest are refused (locked, too many, or busy)', async () => {
    let checks = 0
    const counting = { hash: testHasher.hash, verify: (p: string, h: string) => ((checks += 1), testHasher.verify(p, h)) }
    const s = await consoleSetup({ console: { hasher: counting } })
    const { app } = s
    await s.addStaff('zhang', 'hotline')
    const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => new ConsoleClient(app).login('zhang', `guess-${i}`).then((r) => r.status)))
    expect(checks).toBeLessThanOrEqual(5)
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(4)
    expect(statuses.filter((s) => s === 429 || s === 503).length).toBeGreaterThanOrEqual(16)
  })

  it('an unknown username locks the same way (no telling which names exist)', async () => {
    const s = await consoleSetup()
    const { app } = s
    const client = new ConsoleClient(app)
    const statuses = []
    for (let i = 0; i < 6; i++) statuses.push((await client.login('ghost', 'x')).status)
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429])
  })
})

describe('CSRF', () => {
  it('every POST needs the same origin and the session token; the login form its own token', async () => {
    const s = await consoleSetup()
    const { app, store } = s
    await s.addStaff('zhang', 'hotline')
    await store.reports.save(sampleReport('BS20261120-0001'))
    const client = await signedIn(app, 'zhang')
    const path = '/console/reports/BS20261120-0001/status'
    const form = { status: 'in_review', note: '请补充报关单' }
    const other = await signedIn(app, 'zhang')

    const refused = [
      await client.post(path, form, { csrf: false }),
      await client.post(path, form, { csrf: 'not-the-token' }),
      await client.post(path, form, { csrf: other.csrf }),
      await client.post(path, form, { origin: 'https://evil.example' }),
      await client.post(path, form, { origin: null }),
    ]
    for (const res of refused) {
      expect(res.status).toBe(403)
      expect(await res.text()).toMatch(/CSRF|来源/)
    }
    expect((await store.reports.get('BS20261120-0001'))!.status).toBe('received')
    const ok = await client.post(path, form)
    expect(ok.status).toBe(303)
    expect((await store.reports.get('BS20261120-0001'))!.status).toBe('in_review')
    // htmx sends the token as a header instead of a field.
    const viaHeader = await client.request('/console/logout', { method: 'POST', headers: { origin: client.origin, 'x-csrf-token': client.csrf } })
    expect(viaHeader.status).toBe(303)

    const login = new ConsoleClient(app)
    await login.get('/console/login')
    expect((await login.post('/console/login', { username: 'zhang', password: PASSWORD }, { csrf: 'forged' })).status).toBe(403)
    expect((await login.post('/console/login', { username: 'zhang', password: PASSWORD, _csrf: 'x' }, { origin: 'https://evil.example' })).status).toBe(403)
    expect(login.cookies.has('tb_console')).toBe(false)
  })
})

describe('headers and escaping', () => {
  it('sends a strict CSP whose nonce is on the only script, and escapes every stored text', async () => {
    const s = await consoleSetup()
    const { app, store } = s
    await s.addStaff('zhang', 'hotline')
    const evil = '<img src=x onerror=alert(1)>'
    await store.reports.save(sampleReport('BS20261120-0001', {}, { company: evil, buyerName: `${evil}"'`, description: '</textarea><script>alert(2)</script>' }))
    await store.roster.replace([{ name: evil, creditCode: '91440300MA5EXAMP1F' }])
    await store.reports.changeStatus('BS20261120-0001', { at: Date.UTC(2026, 10, 21), by: 'zhang', status: 'in_review', note: `<b>${evil}</b>` })
    const client = await signedIn(app, 'zhang')
    for (const path of ['/console/reports', '/console/reports/BS20261120-0001', `/console/lookup?q=${encodeURIComponent('91440300MA5EXAMP1F')}`, `/console/lookup?q=${encodeURIComponent(evil)}`]) {
      const res = await client.get(path)
      expect(res.status, path).toBe(200)
      const csp = res.headers.get('content-security-policy')!
      expect(csp).toContain("default-src 'none'")
      expect(csp).toContain("frame-ancestors 'none'")
      const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1]
      expect(nonce, path).toBeTruthy()
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/)
      const html = await res.text()
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])
      expect(scripts, path).toEqual([`<script src="/console/assets/htmx.min.js" nonce="${nonce}" defer="">`])
      expect(html, path).not.toContain('<img src=x')
      expect(html, path).not.toContain('<script>alert')
      expect(html, path).not.toContain('<b><img')
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('cache-control')).toBe('no-store')
    }
    const detail = await (await client.get('/console/reports/BS20261120-0001')).text()
    expect(detail).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(detail).toContain('&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;')
    expect(detail).toContain('&lt;b&gt;&lt;img src=x onerror=alert(1)&gt;&lt;/b&gt;')
  })
})
