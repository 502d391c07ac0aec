import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.js'
import { createWebScryptHasher } from '../src/console/password-web.js'
import { staffCli } from './helpers/staff-cli.js'

// `npm run staff -- hash`: the value of STAFF_BOOTSTRAP_ADMIN for Workers, made on Node without opening a store.

describe('npm run staff -- hash', () => {
  it('prints "username:hash" and nothing else on stdout; the Worker accepts it and its hasher verifies the password', async () => {
    // A data directory that is a file: any command that opened the store would fail.
    const dir = mkdtempSync(join(tmpdir(), 'staff-hash-'))
    const notADir = join(dir, 'file')
    writeFileSync(notADir, '')
    try {
      const r = await staffCli(['hash', 'Root'], { STAFF_PASSWORD: 'correct-horse-battery', DATA_DIR: notADir, REDIS_URL: 'redis://127.0.0.1:1' })
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toMatch(/^root:scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+\n$/)
      const value = r.stdout.trim()
      expect(loadConfig({ STAFF_BOOTSTRAP_ADMIN: value }).STAFF_BOOTSTRAP_ADMIN).toBe(value)
      const hash = value.slice('root:'.length)
      expect(await createWebScryptHasher().verify('correct-horse-battery', hash)).toBe(true)
      expect(await createWebScryptHasher().verify('correct-horse-batteryX', hash)).toBe(false)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('reads the password from piped stdin when STAFF_PASSWORD is unset, asking on stderr; without a username only the hash', async () => {
    const r = await staffCli(['hash'], {}, 'piped-password-123\n')
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^scrypt\$32768\$8\$1\$\S+\n$/)
    expect(r.stderr).toContain('密码：')
    expect(await createWebScryptHasher().verify('piped-password-123', r.stdout.trim())).toBe(true)
  })

  it('refuses a weak password and a bad username with the same rules as add, printing nothing on stdout', async () => {
    const short = await staffCli(['hash', 'root'], { STAFF_PASSWORD: 'short' })
    expect(short.code).toBe(1)
    expect(short.stderr).toContain('密码至少 10 位')
    expect(short.stdout).toBe('')
    const badName = await staffCli(['hash', 'bad name!'], { STAFF_PASSWORD: 'correct-horse-battery' })
    expect(badName.code).toBe(2)
    expect(badName.stderr).toContain('用户名只能用小写字母')
    expect(badName.stdout).toBe('')
  })

  it('a value that is not such a line stops start-up, naming the variable but not echoing it', () => {
    for (const bad of ['root', 'root:hunter2-is-my-password', ':scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=']) {
      let message = ''
      try {
        loadConfig({ STAFF_BOOTSTRAP_ADMIN: bad })
      } catch (err) {
        message = (err as Error).message
      }
      expect(message, bad).toMatch(/^Invalid configuration: STAFF_BOOTSTRAP_ADMIN: /)
      expect(message).not.toContain('hunter2')
    }
  })
})
