import { describe, expect, it, vi } from 'vitest'
import { loadConfig } from '../src/config.js'
import type { PasswordHasher } from '../src/console/accounts.js'
import { LOCK_SECONDS } from '../src/console/lockout.js'
import { buildConsole } from '../src/deps.js'
import { clientAddress } from '../src/http/client-address.js'
import { silentLogger, testBot } from './helpers/bot.js'
import { ConsoleClient, consoleSetup, CONSOLE_SECRET, HTMX, pageText, testHasher } from './helpers/console.js'

const PASSWORD = 'correct-horse-battery'

/** A console client whose requests come from `address` (the X-Forwarded-For a trusted proxy would add). */
function from(target: ConsoleClient['target'], address: string): ConsoleClient {
  const client = new ConsoleClient(target)
  const request = client.request.bind(client)
  client.request = (path, init = {}) => {
    const headers = new Headers(init.headers)
    headers.set('x-forwarded-for', address)
    return request(path, { ...init, headers })
  }
  return client
}

/** The console as deps.ts builds it on Node behind one proxy (TRUST_PROXY=1): the client is X-Forwarded-For's last entry. */
async function behindProxy(hasher: PasswordHasher = testHasher) {
  const config = loadConfig({ CONSOLE_SECRET, TRUST_PROXY: '1', LOG_LEVEL: 'silent' })
  // Two checks at once whatever this machine's cores (deps.ts gives half of them).
  return consoleSetup({ console: { ...buildConsole(config, testBot(), silentLogger)!, hasher, htmx: HTMX, maxLoginHashes: 2 } })
}

describe('the client address', () => {
  it('is the socket without a proxy, and never an address the client wrote itself', () => {
    expect(clientAddress('203.0.113.9', undefined, 0)).toBe('203.0.113.9')
    expect(clientAddress('203.0.113.9', '1.2.3.4', 0)).toBe('203.0.113.9')
    // Behind one proxy (10.0.0.2): the address it appended, not what the client put in front.
    expect(clientAddress('10.0.0.2', '6.6.6.6, 198.51.100.7', 1)).toBe('198.51.100.7')
    expect(clientAddress('10.0.0.3', '6.6.6.6, 198.51.100.7, 10.0.0.2', 2)).toBe('198.51.100.7')
    expect(clientAddress('::ffff:127.0.0.1', undefined, 0)).toBe('127.0.0.1')
    expect(clientAddress(undefined, undefined, 0)).toBe('unknown')
  })
})

describe('login floods', () => {
  it('runs at most two password checks at once; the others are refused at once with 503 and Retry-After', async () => {
    // A hasher that holds every check until the test lets go: what a slow scrypt under load looks like.
    let running = 0
    let most = 0
    const held: Array<() => void> = []
    const slow: PasswordHasher = {
      hash: testHasher.hash,
      async verify(p, h) {
        running += 1
        most = Math.max(most, running)
        await new Promise<void>((go) => held.push(go))
        running -= 1
        return testHasher.verify(p, h)
      },
    }
    const s = await behindProxy(slow)
    await s.addStaff('zhang', 'hotline')
    let settled = 0
    const pending = Array.from({ length: 8 }, (_, i) => from(s.app, `198.51.100.${i}`).login('zhang', `guess-${i}`).then((r) => ((settled += 1), r)))
    // Six answer while the two checks are still held: refused at once, not queued behind them.
    await vi.waitFor(() => expect(settled).toBe(6))
    expect(held).toHaveLength(2)
    for (const go of held) go()
    const answers = await Promise.all(pending)
    expect(answers.map((r) => r.status).sort()).toEqual([401, 401, 503, 503, 503, 503, 503, 503])
    for (const r of answers.filter((a) => a.status === 503)) {
      expect(r.headers.get('retry-after')).toBe('1')
      expect(await r.text()).toContain('登录的人较多，请几秒后再试')
    }
    expect(most).toBe(2)
    // Nothing is left held: the next login goes through.
    held.length = 0
    const next = from(s.app, '198.51.100.200').login('zhang', PASSWORD)
    // Its check starts (however loaded the machine), then is let go.
    await vi.waitFor(() => expect(held).toHaveLength(1))
    for (const go of held) go()
    expect((await next).status).toBe(303)
  })

  it('lets one address try 10 times a minute; the 11th gets 429 with Retry-After, other addresses go on', async () => {
    const s = await behindProxy()
    await s.addStaff('zhang', 'hotline')
    await s.addStaff('li', 'hotline')
    const noisy = from(s.app, '203.0.113.5')
    // Different usernames: the throttle is per address, whatever name is tried.
    for (let i = 0; i < 10; i++) expect((await noisy.login(`user${i}`, 'wrong')).status).toBe(401)
    const eleventh = await noisy.login('li', PASSWORD)
    expect(eleventh.status).toBe(429)
    expect(Number(eleventh.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await eleventh.text()).toContain('登录尝试太频繁')
    expect((await from(s.app, '203.0.113.6').login('zhang', PASSWORD)).status).toBe(303)
    s.advance(60_000)
    expect((await noisy.login('li', PASSWORD)).status).toBe(303)
  })
})

describe('lockout an outsider cannot turn against a user', () => {
  it('locks the guessing address only: the owner signs in from hers, and attempts while locked are audited with the address', async () => {
    const s = await behindProxy()
    await s.addStaff('zhang', 'hotline')
    const attacker = from(s.app, '203.0.113.66')
    for (let i = 1; i <= 4; i++) expect((await attacker.login('zhang', `guess-${i}`)).status).toBe(401)
    expect((await attacker.login('zhang', 'guess-5')).status).toBe(429)
    // Even the right password from the attacker's address is refused now…
    expect((await attacker.login('zhang', PASSWORD)).status).toBe(429)
    // …but zhang, at her own desk, is not locked out.
    expect((await from(s.app, '198.51.100.23').login('zhang', PASSWORD)).status).toBe(303)
    // Every 15 minutes the attacker gets 5 more guesses, never the account.
    s.advance(LOCK_SECONDS * 1000)
    expect((await attacker.login('zhang', 'guess-6')).status).toBe(401)
    const audit = await s.store.audit.list(0, 20)
    expect(audit.filter((e) => e.action === 'login.failed')).toHaveLength(5)
    expect(audit.find((e) => e.action === 'login.locked')).toMatchObject({ actor: 'zhang', after: { from: '203.0.113.66' } })
    expect(audit.find((e) => e.action === 'login.refused-locked')).toMatchObject({ actor: 'zhang', after: { from: '203.0.113.66' } })
    expect(audit.find((e) => e.action === 'login')).toMatchObject({ actor: 'zhang', after: { from: '198.51.100.23' } })
  })
})

describe('an admin unlocks an account', () => {
  it('frees it at every address at once, audited; a hotline account cannot', async () => {
    const s = await behindProxy()
    await s.addStaff('zhang', 'hotline')
    await s.addStaff('root', 'admin')
    const attackers = [from(s.app, '203.0.113.1'), from(s.app, '203.0.113.2')]
    for (const a of attackers) for (let i = 1; i <= 5; i++) await a.login('zhang', `guess-${i}`)
    for (const a of attackers) expect((await a.login('zhang', PASSWORD)).status).toBe(429)
    s.advance(60_000)

    const root = from(s.app, '198.51.100.1')
    expect((await root.login('root', PASSWORD)).status).toBe(303)
    const staffPage = await (await root.get('/console/staff')).text()
    expect(staffPage).toContain('action="/console/staff/zhang/unlock"')
    const unlocked = await root.post('/console/staff/ZHANG%20/unlock', {})
    expect(unlocked.status).toBe(303)
    expect(await (await root.get(unlocked.headers.get('location')!)).text()).toContain('已解除锁定')
    for (const a of attackers) expect((await a.login('zhang', PASSWORD)).status).toBe(303)
    expect((await s.store.audit.list(0, 10)).find((e) => e.action === 'staff.unlock')).toMatchObject({ actor: 'root', target: 'zhang' })
    expect(pageText(await (await root.get('/console/audit')).text())).toContain('解除锁定')

    const zhang = from(s.app, '198.51.100.2')
    expect((await zhang.login('zhang', PASSWORD)).status).toBe(303)
    expect((await zhang.post('/console/staff/zhang/unlock', {})).status).toBe(403)
    expect((await root.post('/console/staff/nobody/unlock', {})).status).toBe(400)
  })
})
