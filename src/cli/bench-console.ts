import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/*
 * The staff console under attack (issue 18), against a real server on the embedded store: how long another
 * exporter's chat takes while (a) 16 clients flood the login form from one address, (b) the same from a new
 * address each time (a botnet: the per-address throttle does not help, the cap on password checks does), and
 * (c) how long /console/unanswered takes with 600 distinct 500-character questions logged, and what a chat
 * meanwhile waits.
 */
const SECRET = 'bench-console-secret-0123456789abcdef-0123'
const PASSWORD = 'bench-password-0123'

const at = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN

async function chatTimes(base: string, ms: number): Promise<number[]> {
  const times: number[] = []
  const end = performance.now() + ms
  for (let i = 0; performance.now() < end; i++) {
    const s = performance.now()
    await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'bench-exporter', text: i % 2 ? '赔付比例是多少' : '宝安区客户经理' }) }).then((r) => r.text())
    times.push(performance.now() - s)
  }
  return times
}

/** GET the login form: its cookie and token, reused by every flooding request (as the attack did). */
async function loginForm(base: string): Promise<{ cookie: string; token: string }> {
  const res = await fetch(`${base}/console/login`)
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const token = /name="_csrf" value="([^"]+)"/.exec(await res.text())?.[1] ?? ''
  return { cookie, token }
}

async function flood(base: string, ms: number, spoof: boolean): Promise<Map<number, number>> {
  const { cookie, token } = await loginForm(base)
  const statuses = new Map<number, number>()
  const end = performance.now() + ms
  let n = 0
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (performance.now() < end) {
        n += 1
        const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', origin: base, cookie }
        if (spoof) headers['x-forwarded-for'] = `198.51.${(n >> 8) & 255}.${n & 255}`
        const body = new URLSearchParams({ username: `guess${n}`, password: 'wrong-password', _csrf: token })
        const res = await fetch(`${base}/console/login`, { method: 'POST', headers, body, redirect: 'manual' })
        await res.arrayBuffer()
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
      }
    }),
  )
  return statuses
}

async function signIn(base: string): Promise<string> {
  const { cookie, token } = await loginForm(base)
  const res = await fetch(`${base}/console/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base, cookie, 'x-forwarded-for': '192.0.2.1' },
    body: new URLSearchParams({ username: 'bench', password: PASSWORD, _csrf: token }),
    redirect: 'manual',
  })
  if (res.status !== 303) throw new Error(`bench login answered ${res.status}`)
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
}

/** Runs the three scenarios and prints one line each. */
export async function consoleUnderAttack(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tongbao-bench-console-'))
  const env = { ...process.env, DATA_DIR: dataDir, REDIS_URL: '', CONSOLE_SECRET: SECRET, TRUST_PROXY: '1', LOG_LEVEL: 'silent', STAFF_PASSWORD: PASSWORD }
  const made = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/staff.ts', 'add', 'bench', '--role', 'hotline'], { env, encoding: 'utf8' })
  if (made.status !== 0) throw new Error(`npm run staff failed: ${made.stderr}`)
  const port = 3700 + Math.floor(Math.random() * 90)
  const base = `http://127.0.0.1:${port}`
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'inherit'] })
  try {
    for (let i = 0; i < 600; i++) {
      if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) break
      await new Promise((r) => setTimeout(r, 50))
    }
    await chatTimes(base, 1000) // warm-up
    const quiet = await chatTimes(base, 3000)
    console.log(`\nconsole under attack (embedded store): chat p50 ${at(quiet, 0.5).toFixed(1)} ms, p99 ${at(quiet, 0.99).toFixed(1)} ms when quiet`)
    for (const spoof of [false, true]) {
      const [statuses, during] = await Promise.all([flood(base, 5000, spoof), chatTimes(base, 5000)])
      const counts = [...statuses].sort().map(([s, n]) => `${s}×${n}`).join(' ')
      console.log(`  16 clients flooding /console/login from ${spoof ? 'a new address each time' : 'one address'}: chat p50 ${at(during, 0.5).toFixed(1)} ms, p99 ${at(during, 0.99).toFixed(1)} ms; logins answered ${counts}`)
    }
    // 600 distinct 500-character questions, each from another user (what anyone can send in about 2 s).
    const POOL = '统保出口信用保险买家付款理赔报案客户经理深圳美元赔付比例限额破产拒收银行合同货物报关时间期限企业名单电话怎么办'
    let seed = 1
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), seed / 2 ** 32)
    for (let i = 0; i < 600; i++) {
      const text = Array.from({ length: 500 }, () => POOL[Math.floor(rand() * POOL.length)]).join('')
      await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: `flood${i}`, text }) }).then((r) => r.text())
    }
    const cookie = await signIn(base)
    const pages: number[] = []
    const [, during] = await Promise.all([
      (async () => {
        for (let i = 0; i < 10; i++) {
          const s = performance.now()
          await fetch(`${base}/console/unanswered`, { headers: { cookie } }).then((r) => r.text())
          pages.push(performance.now() - s)
        }
      })(),
      chatTimes(base, 1500),
    ])
    console.log(`  /console/unanswered with 600 distinct long questions: page p50 ${at(pages, 0.5).toFixed(0)} ms, max ${at(pages, 1).toFixed(0)} ms; chat meanwhile p50 ${at(during, 0.5).toFixed(1)} ms, max ${at(during, 1).toFixed(1)} ms`)
  } finally {
    proc.kill('SIGTERM')
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await consoleUnderAttack()
