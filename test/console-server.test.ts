import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { CONSOLE_SECRET, ConsoleClient, pageText, signedIn } from './helpers/console.js'
import { sayTo, startServer, type RunningServer } from './helpers/server.js'
import { staffCli } from './helpers/staff-cli.js'
import { FULL_REPORT } from './helpers/claim.js'

const dirs: string[] = []
const running: RunningServer[] = []
afterAll(async () => {
  for (const s of running) await s.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})
function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tb-console-'))
  dirs.push(d)
  return d
}

describe('npm run staff (embedded store)', () => {
  it('adds, lists, changes and removes accounts, refusing bad input with a clear message', async () => {
    const env = { DATA_DIR: dataDir() }
    const admin = await staffCli(['add', 'Admin', '--role', 'admin'], { ...env, STAFF_PASSWORD: 'admin-password-1' })
    expect(admin).toMatchObject({ code: 0, stdout: '已添加账号 admin（管理员）。\n' })
    const manager = await staffCli(['add', 'wang', '--role', 'manager', '--district', '宝安', '光明区'], { ...env, STAFF_PASSWORD: 'manager-pass-1' })
    expect(manager.stdout).toBe('已添加账号 wang（客户经理：宝安区、光明区）。\n')
    // No STAFF_PASSWORD: read from stdin (a prompt on a terminal).
    const prompted = await staffCli(['add', 'zhang', '--role', 'hotline'], env, 'hotline-pass-1\n')
    expect(prompted.code, prompted.stderr).toBe(0)

    const refused: Array<[string[], Record<string, string>, number, string]> = [
      [['add', 'x1', '--role', 'boss'], { STAFF_PASSWORD: 'long-enough-1' }, 2, '请用 --role 指定角色'],
      [['add', 'x2', '--role', 'hotline'], { STAFF_PASSWORD: 'short' }, 1, '密码至少 10 位'],
      [['add', 'x3', '--role', 'manager', '--district', '火星区'], { STAFF_PASSWORD: 'long-enough-1' }, 1, '不认识的区“火星区”'],
      [['add', 'x4', '--role', 'manager'], { STAFF_PASSWORD: 'long-enough-1' }, 1, '至少要指定一个区'],
      [['add', 'wang', '--role', 'hotline'], { STAFF_PASSWORD: 'long-enough-1' }, 1, '账号 wang 已存在'],
      [['remove', 'admin'], {}, 1, '最后一个管理员'],
      [['passwd', 'nobody'], { STAFF_PASSWORD: 'long-enough-1' }, 1, '没有账号 nobody'],
      [['rename', 'x'], {}, 2, '用法'],
    ]
    for (const [args, extra, code, message] of refused) {
      const res = await staffCli(args, { ...env, ...extra })
      expect(res.code, args.join(' ')).toBe(code)
      expect(res.stderr, args.join(' ')).toContain(message)
    }

    expect((await staffCli(['passwd', 'zhang'], { ...env, STAFF_PASSWORD: 'hotline-pass-2' })).code).toBe(0)
    expect((await staffCli(['remove', 'wang'], env)).stdout).toBe('已删除账号 wang。\n')
    const list = await staffCli(['list'], env)
    expect(list.stdout).toBe('admin\tadmin\t\nzhang\thotline\t\n')
    // Only scrypt hashes reach the disk, never a password.
    const journal = readFileSync(join(env.DATA_DIR, 'snapshot.json'), 'utf8')
    expect(journal).toMatch(/"passwordHash":"scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+"/)
    for (const secret of ['admin-password-1', 'hotline-pass-1', 'hotline-pass-2']) expect(journal).not.toContain(secret)
    expect(journal).toContain('"action":"staff.add"')
  }, 60_000)

  it('is what `npm run staff` runs', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'staff', '--', 'list'], { env: { ...process.env, DATA_DIR: dataDir(), LOG_LEVEL: 'silent' } })
    expect(stdout).toContain('还没有账号')
  }, 60_000)
})

describe('the console in a real server (embedded store)', () => {
  it('logs in with an account made by `npm run staff`, changes a status, and keeps it all across a restart', async () => {
    const dir = dataDir()
    expect((await staffCli(['add', 'zhang', '--role', 'hotline'], { DATA_DIR: dir, STAFF_PASSWORD: 'hotline-pass-1' })).code).toBe(0)
    const env = { DATA_DIR: dir, CONSOLE_SECRET }
    let server = await startServer(env)
    running.push(server)
    // The data directory is the server's now: the command says how to proceed.
    const busy = await staffCli(['add', 'li', '--role', 'hotline'], { DATA_DIR: dir, STAFF_PASSWORD: 'hotline-pass-1' })
    expect(busy.code).toBe(1)
    expect(busy.stderr).toContain('请先停服务')

    for (const [answer] of FULL_REPORT) await sayTo(server, 'firm-1', answer)
    const no = /BS\d{8}-\d{4}/.exec(await sayTo(server, 'firm-1', '确认'))![0]
    const c = await signedIn(server.url, 'zhang', 'hotline-pass-1')
    expect((await c.post(`/console/reports/${no}/status`, { status: 'in_review', note: '请补充报关单' })).status).toBe(303)

    await server.stop()
    server = await startServer(env)
    running.push(server)
    // The session survived too (kv is journaled); the timeline, the exporter's view and the audit log as well.
    const again = new ConsoleClient(server.url)
    again.cookies = new Map(c.cookies)
    expect(pageText(await (await again.get(`/console/reports/${no}`)).text())).toMatch(/zhang 改为“处理中” 说明：请补充报关单/)
    expect(await sayTo(server, 'firm-1', `查询报案 ${no}`)).toContain('说明：请补充报关单')
    const snapshot = readFileSync(join(dir, 'snapshot.json'), 'utf8')
    expect(snapshot).toContain('"action":"report.status"')
  }, 60_000)

  it('without CONSOLE_SECRET says in the log that the console is off, and serves no console', async () => {
    const server = await startServer({ DATA_DIR: dataDir() })
    running.push(server)
    expect(server.output()).toContain('staff console off')
    expect((await fetch(`${server.url}/console/login`)).status).toBe(404)
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  }, 60_000)
})
