import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FULL_REPORT } from './helpers/claim.js'
import { ConsoleClient, HTMX, pageText, signedIn } from './helpers/console.js'
import { staffCli } from './helpers/staff-cli.js'

// End to end: the staff console of `npm run worker:dev` (wrangler dev, local workerd, the real wrangler.toml, no
// nodejs_compat) over HTTP. The first admin comes from `npm run staff -- hash root` through STAFF_BOOTSTRAP_ADMIN,
// handed over by worker:dev in its env file, as an operator would with `wrangler secret put`. No network.

const ADMIN_PASSWORD = 'worker-dev-root-password'
// A secret with "$" in it: wrangler expands $NAME in env files, worker:dev must pass it through unchanged.
const CONSOLE_SECRET = 'console$SECRET-for-worker-dev-0123456789$x'

async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const { port } = srv.address() as AddressInfo
  await new Promise((r) => srv.close(r))
  return port
}

let proc: ChildProcess
let url: string
let out = ''
let dataDir: string
let bootstrap: string

beforeAll(async () => {
  const hashed = await staffCli(['hash', 'root'], { STAFF_PASSWORD: ADMIN_PASSWORD })
  expect(hashed.code, hashed.stderr).toBe(0)
  bootstrap = hashed.stdout.trim()
  dataDir = mkdtempSync(join(tmpdir(), 'worker-console-dev-'))
  const [port, inspectorPort] = [await freePort(), await freePort()]
  url = `http://127.0.0.1:${port}`
  // Its own process group: npm, tsx, wrangler and workerd stop together.
  proc = spawn('npm', ['run', 'worker:dev', '--', '--inspector-port', String(inspectorPort)], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info', CONSOLE_SECRET, STAFF_BOOTSTRAP_ADMIN: bootstrap },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  proc.stdout!.on('data', (d) => (out += d))
  proc.stderr!.on('data', (d) => (out += d))
  const deadline = Date.now() + 60_000
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`worker:dev exited: ${out}`)
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break
    if (Date.now() > deadline) throw new Error(`worker:dev not ready: ${out}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}, 90_000)

afterAll(async () => {
  if (proc && proc.exitCode === null) {
    const exited = new Promise((r) => proc.once('exit', r))
    process.kill(-proc.pid!, 'SIGTERM')
    await exited
  }
  rmSync(dataDir, { recursive: true, force: true })
})

async function say(userId: string, text: string): Promise<string> {
  const res = await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, text }) })
  expect(res.status).toBe(200)
  return ((await res.json()) as { replies: Array<{ text: string }> }).replies.map((r) => r.text).join('\n')
}

describe('the staff console of npm run worker:dev', () => {
  it('serves the same htmx as the Node server, byte for byte, from the bundle', async () => {
    const res = await fetch(`${url}/console/assets/htmx.min.js`)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(HTMX)
  })

  it('signs in the admin made by npm run staff -- hash; the admin adds a hotline account that moves a report on', async () => {
    expect((await new ConsoleClient(url).login('root', 'wrong-password-here')).status).toBe(401)
    const root = await signedIn(url, 'root', ADMIN_PASSWORD)
    const me = await root.get('/console/api/me')
    expect(await me.json()).toEqual({ username: 'root', role: 'admin', districts: [] })
    const cookie = (await new ConsoleClient(url).login('root', ADMIN_PASSWORD)).headers.getSetCookie().find((c) => c.startsWith('tb_console='))!
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    expect((await root.post('/console/staff', { username: 'zhang', role: 'hotline', password: 'correct-horse-battery' })).status).toBe(303)

    for (const [answer] of FULL_REPORT) await say('dev-exporter', answer)
    const no = /BS\d{8}-\d{4}/.exec(await say('dev-exporter', '确认'))?.[0]
    expect(no).toBeDefined()
    const zhang = await signedIn(url, 'zhang')
    expect(pageText(await (await zhang.get(`/console/lookup?q=${no}`)).text())).toContain(no!)
    const changed = await zhang.post(`/console/reports/${no}/status`, { status: 'closed', outcome: 'paid', note: '已赔付' })
    expect(changed.status).toBe(303)
    expect(await say('dev-exporter', '我的报案')).toContain('已办结（赔付）')
    // CSRF over real HTTP: another origin is refused.
    expect((await zhang.post(`/console/reports/${no}/status`, { status: 'in_review' }, { origin: 'https://evil.example' })).status).toBe(403)

    const audit = pageText(await (await root.get('/console/audit')).text())
    expect(audit).toContain('bootstrap')
    expect(audit).toContain('更改报案状态')
    expect((await root.post('/console/logout', {})).status).toBe(303)
    expect((await root.get('/console/api/me')).status).toBe(401)
  })

  it('never writes the console secret or the admin’s hash to its output', () => {
    expect(out).toContain('first console admin created from STAFF_BOOTSTRAP_ADMIN')
    expect(out).not.toContain(CONSOLE_SECRET)
    expect(out).not.toContain(bootstrap.slice('root:'.length))
  })
})
