import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWeChatApi } from '../src/channels/wechat/api.js'
import { createMemoryStore } from '../src/store/memory-store.js'
import type { LossReport, Store } from '../src/store/types.js'
import { silentLogger } from './helpers/bot.js'
import { FULL_REPORT } from './helpers/claim.js'
import { consoleSetup, fileReportOverApi, pageText, sampleReport, signedIn } from './helpers/console.js'
import { APP_ID, TOKEN, postPlain, tag, textMessage } from './helpers/wechat-client.js'
import { startWeChatApiStub, type WeChatApiStub } from './helpers/wechat-stub.js'

const chat = async (app: { request: (p: string, i: RequestInit) => Response | Promise<Response> }, userId: string, text: string) => {
  const res = await app.request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, text }) })
  return ((await res.json()) as { replies: Array<{ text: string }> }).replies.map((r) => r.text).join('\n')
}

const day = (d: number, h = 2) => Date.UTC(2026, 10, d, h)

/** Reports in three districts over a few days: what the list, the roles and the CSV are tested on. */
async function seed(store: Store) {
  const reports: LossReport[] = [
    sampleReport('BS20261120-0001', { district: '南山区', createdAt: day(20), updatedAt: day(20) }, { company: '深圳市南山甲有限公司', amount: { value: 100_000, currency: 'USD' } }),
    sampleReport('BS20261121-0001', { district: '宝安区', createdAt: day(21), updatedAt: day(21) }, { company: '深圳市宝安乙有限公司', amount: { value: 300_000, currency: 'USD' } }),
    sampleReport('BS20261122-0001', { district: '宝安区', createdAt: day(22), updatedAt: day(22), status: 'closed', outcome: 'declined' }, { company: '深圳市宝安丙有限公司', amount: { value: 50_000, currency: 'USD' } }),
    sampleReport('BS20261123-0001', { district: '福田区', createdAt: day(23, 17), updatedAt: day(23, 17), flags: ['报关时间不在承保期间内'] }, { company: '=HYPERLINK("http://evil.example","点我")', buyerName: 'Buyer, "Quoted" Ltd', amount: { value: 1_000_000, currency: 'HKD' } }),
  ]
  for (const r of reports) await store.reports.save(r)
  return reports
}

describe('roles', () => {
  it('hotline sees every district and changes status; the admin pages are refused', async () => {
    const s = await consoleSetup()
    await seed(s.store)
    await s.addStaff('zhang', 'hotline')
    const c = await signedIn(s.app, 'zhang')
    const list = pageText(await (await c.get('/console/reports')).text())
    for (const no of ['BS20261120-0001', 'BS20261121-0001', 'BS20261122-0001', 'BS20261123-0001']) expect(list).toContain(no)
    expect((await c.post('/console/reports/BS20261121-0001/status', { status: 'in_review', note: '已联系企业' })).status).toBe(303)
    for (const path of ['/console/staff', '/console/roster', '/console/audit']) {
      const res = await c.get(path)
      expect(res.status, path).toBe(403)
      expect(await res.text()).toContain('没有这个权限')
    }
    expect((await c.post('/console/staff', { username: 'sneaky', role: 'admin', password: 'long-enough-pass' })).status).toBe(403)
    expect(await s.store.staff.get('sneaky')).toBeUndefined()
    // The menu shows only what the role may open.
    const menu = await (await c.get('/console/lookup')).text()
    expect(menu).toContain('href="/console/reports"')
    expect(menu).not.toContain('href="/console/staff"')
  })

  it('a manager sees and changes only the reports of their districts: lists, detail, status, CSV, lookup and API', async () => {
    const s = await consoleSetup()
    await seed(s.store)
    await s.addStaff('wang', 'manager', ['宝安区'])
    const c = await signedIn(s.app, 'wang')
    const list = pageText(await (await c.get('/console/reports')).text())
    expect(list).toContain('BS20261121-0001')
    expect(list).toContain('BS20261122-0001')
    expect(list).not.toContain('BS20261120-0001')
    expect(list).not.toContain('BS20261123-0001')
    expect(list).toContain('共 2 件')
    expect(pageText(await (await c.get('/console/reports?district=南山区')).text())).toContain('共 0 件')

    expect((await c.get('/console/reports/BS20261121-0001')).status).toBe(200)
    const other = await c.get('/console/reports/BS20261120-0001')
    expect(other.status).toBe(404)
    expect(await other.text()).toContain('不在您负责的区')
    expect((await c.post('/console/reports/BS20261120-0001/status', { status: 'closed', outcome: 'paid' })).status).toBe(404)
    expect((await s.store.reports.get('BS20261120-0001'))!.status).toBe('received')
    expect((await c.post('/console/reports/BS20261121-0001/status', { status: 'closed', outcome: 'paid', note: '已赔付' })).status).toBe(303)

    const csv = await (await c.get('/console/reports.csv')).text()
    expect(csv).toContain('BS20261121-0001')
    expect(csv).not.toContain('BS20261120-0001')
    expect(pageText(await (await c.get('/console/lookup?q=BS20261120-0001')).text())).toContain('没有找到这个报案')
    expect((await c.get('/console/api/reports/BS20261120-0001')).status).toBe(404)
    const api = (await (await c.get('/console/api/reports')).json()) as { reports: LossReport[] }
    expect(api.reports.map((r) => r.id)).toEqual(['BS20261122-0001', 'BS20261121-0001'])
    expect((await c.get('/console/staff')).status).toBe(403)
  })

  it('an admin does both, manages accounts and reads the audit log with before and after', async () => {
    const s = await consoleSetup()
    await seed(s.store)
    await s.addStaff('root', 'admin')
    const c = await signedIn(s.app, 'root')
    expect((await c.post('/console/reports/BS20261120-0001/status', { status: 'in_review', note: '请补充报关单' })).status).toBe(303)
    const added = await c.post('/console/staff', { username: 'li', role: 'manager', district: ['宝安区', '光明区'], password: 'initial-pass-1' })
    expect(added.status).toBe(303)
    expect(await s.store.staff.get('li')).toMatchObject({ role: 'manager', districts: ['宝安区', '光明区'] })
    const refused = await c.post('/console/staff', { username: 'zhao', role: 'manager', password: 'initial-pass-1' })
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('至少要指定一个区')
    expect((await c.post('/console/staff/li/role', { role: 'hotline', district: ['宝安区', '光明区'] })).status).toBe(303)
    expect(await s.store.staff.get('li')).toMatchObject({ role: 'hotline', districts: [] })
    const self = await c.post('/console/staff/root/remove', {})
    expect(self.status).toBe(400)
    expect((await c.post('/console/staff/li/remove', {})).status).toBe(303)
    expect(await s.store.staff.get('li')).toBeUndefined()

    const audit = pageText(await (await c.get('/console/audit')).text())
    expect(audit).toContain('更改报案状态 BS20261120-0001 {"status":"received"} {"status":"in_review","note":"请补充报关单"}')
    expect(audit).toContain('添加账号 li')
    expect(audit).toContain('修改角色 li {"role":"manager","districts":["宝安区","光明区"]} {"role":"hotline","districts":[]}')
    expect(audit).toContain('删除账号 li')
    expect(audit).not.toContain('scrypt$')
  })
})

describe('status change → the exporter', () => {
  it('a report filed over /api/chat moves 已受理 → 处理中 (with the materials needed) → 已办结（赔付）, and "查询报案" shows each step', async () => {
    const s = await consoleSetup()
    await s.addStaff('zhang', 'hotline')
    const no = await fileReportOverApi(s.app, 'firm-1')
    expect(await chat(s.app, 'firm-1', `查询报案 ${no}`)).toContain('已受理，等待客户经理联系')
    const c = await signedIn(s.app, 'zhang')
    const detail = pageText(await (await c.get(`/console/reports/${no}`)).text())
    for (const shown of ['深圳市示例电子科技有限公司', '91440300MA5EXAMP1F', '宝安区', '张三', '13812345678', 'Gamma Trading GmbH', '德国', '125,000美元', '100,000美元', '多次催收无果', '已受理']) {
      expect(detail).toContain(shown)
    }

    const res = await c.post(`/console/reports/${no}/status`, { status: 'in_review', note: '请补充：报关单、催收往来邮件' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`/console/reports/${no}?changed=none`)
    expect(pageText(await (await c.get(res.headers.get('location')!)).text())).toContain('状态已更新为“处理中”。企业在“查询报案”里可以看到新状态和说明。')
    const asked = await chat(s.app, 'firm-1', `查询报案 ${no}`)
    expect(asked).toContain('客户经理处理中')
    expect(asked).toContain('说明：请补充：报关单、催收往来邮件')

    s.advance(3_600_000)
    expect((await c.post(`/console/reports/${no}/status`, { status: 'closed', outcome: 'paid', note: '已赔付 100,000 美元' })).status).toBe(303)
    const mine = await chat(s.app, 'firm-1', '我的报案')
    expect(mine).toContain(`${no}`)
    expect(mine).toContain('已办结（赔付）')
    expect(mine).toContain('说明：已赔付 100,000 美元')
    // Someone else's "查询报案" with the same number still finds nothing.
    expect(await chat(s.app, 'firm-2', `查询报案 ${no}`)).toContain('没有找到')

    const timeline = pageText(await (await c.get(`/console/reports/${no}`)).text())
    expect(timeline).toMatch(/zhang 改为“处理中” 说明：请补充：报关单、催收往来邮件/)
    expect(timeline).toMatch(/zhang 改为“已办结（赔付）” 说明：已赔付 100,000 美元/)
  })

  it('refuses a close without outcome, a change that changes nothing, a bad status and a change made on a stale page', async () => {
    const s = await consoleSetup()
    await seed(s.store)
    await s.addStaff('zhang', 'hotline')
    const c = await signedIn(s.app, 'zhang')
    const path = '/console/reports/BS20261120-0001/status'
    const closed = await c.post(path, { status: 'closed' })
    expect(closed.status).toBe(400)
    expect(await closed.text()).toContain('办结时请选择结果')
    const same = await c.post(path, { status: 'received' })
    expect(same.status).toBe(400)
    expect(await same.text()).toContain('状态没有变化')
    expect((await c.post(path, { status: 'done' })).status).toBe(400)
    expect((await c.post(path, { status: 'in_review', note: 'x'.repeat(501) })).status).toBe(400)
    expect((await c.post('/console/reports/BS20991231-0001/status', { status: 'in_review' })).status).toBe(404)

    const version = String(day(20))
    expect((await c.post(path, { status: 'in_review', version })).status).toBe(303)
    const stale = await c.post(path, { status: 'closed', outcome: 'withdrawn', version })
    expect(stale.status).toBe(409)
    expect(await stale.text()).toContain('刚被其他人更新为“处理中”')
    expect((await s.store.reports.get('BS20261120-0001'))!.status).toBe('in_review')
  })
})

describe('status change → a WeChat user', () => {
  let stub: WeChatApiStub
  beforeAll(async () => {
    stub = await startWeChatApiStub()
  })
  afterAll(async () => {
    await stub.close()
  })
  let msg = 0
  const msgId = () => `7100000000${String(++msg).padStart(6, '0')}`

  async function setup(withSecret: boolean) {
    const store = createMemoryStore({ sessionTtlSeconds: 3600 })
    const api = withSecret
      ? createWeChatApi({ appId: APP_ID, appSecret: 'secret', apiBase: stub.base, kv: store.kv, runExclusive: (k, fn) => store.runExclusive(k, fn), logger: silentLogger })
      : undefined
    const s = await consoleSetup({ store, wechat: { token: TOKEN, api }, start: Date.now() })
    await s.addStaff('zhang', 'hotline')
    return s
  }

  async function fileOverWeChat(app: Parameters<typeof postPlain>[0], openId: string): Promise<string> {
    let last = ''
    for (const [answer] of FULL_REPORT) last = tag(await (await postPlain(app, textMessage(openId, answer, msgId()))).text(), 'Content') ?? ''
    last = tag(await (await postPlain(app, textMessage(openId, '确认', msgId()))).text(), 'Content') ?? ''
    return /BS\d{8}-\d{4}/.exec(last)![0]
  }

  it('with an AppSecret the exporter gets a customer-service message with the new status and the note', async () => {
    const s = await setup(true)
    const openId = `o-push-${Date.now()}`
    const no = await fileOverWeChat(s.app, openId)
    const c = await signedIn(s.app, 'zhang')
    const res = await c.post(`/console/reports/${no}/status`, { status: 'in_review', note: '请补充报关单' })
    expect(res.headers.get('location')).toBe(`/console/reports/${no}?changed=sent`)
    const sent = stub.sent.filter((m) => m.touser === openId)
    expect(sent).toHaveLength(1)
    expect(sent[0]!.content).toBe(`您的报案 ${no} 有新进展：客户经理处理中。\n说明：请补充报关单\n查询进度请回复“查询报案 ${no}”；理赔服务电话：${s.bot.knowledge.contacts.claimsHotline.phones.join('、')}。`)
    // Already delivered: the next message is answered as usual, without the notice again.
    const next = tag(await (await postPlain(s.app, textMessage(openId, '赔付比例是多少', msgId()))).text(), 'Content')!
    expect(next).not.toContain('有新进展')
  })

  it('outside the 48 h window (45015), and without an AppSecret, the status is shown first at the next message', async () => {
    for (const withSecret of [true, false]) {
      const s = await setup(withSecret)
      const openId = `o-keep-${withSecret}-${Date.now()}`
      const no = await fileOverWeChat(s.app, openId)
      const c = await signedIn(s.app, 'zhang')
      if (withSecret) stub.sendErrors.push(45015)
      const res = await c.post(`/console/reports/${no}/status`, { status: 'closed', outcome: 'declined', note: '损失原因不属于保障范围' })
      expect(res.headers.get('location')).toBe(`/console/reports/${no}?changed=kept`)
      expect(stub.sent.some((m) => m.touser === openId)).toBe(false)
      const next = tag(await (await postPlain(s.app, textMessage(openId, '赔付比例是多少', msgId()))).text(), 'Content')!
      expect(next.startsWith(`您的报案 ${no} 有新进展：已办结（不予赔付）。\n说明：损失原因不属于保障范围`)).toBe(true)
      expect(next).toContain('80%')
      const after = tag(await (await postPlain(s.app, textMessage(openId, '赔付比例是多少', msgId()))).text(), 'Content')!
      expect(after).not.toContain('有新进展')
    }
  })
})

describe('report list, totals and CSV', () => {
  it('filters by status, district and China-time date range, newest first, with totals and the estimated payout', async () => {
    const s = await consoleSetup()
    await seed(s.store)
    await s.addStaff('zhang', 'hotline')
    const c = await signedIn(s.app, 'zhang')
    const all = pageText(await (await c.get('/console/reports')).text())
    expect(all.indexOf('BS20261123-0001')).toBeLessThan(all.indexOf('BS20261120-0001'))
    expect(all).toContain('共 4 件')
    expect(all).toContain('3 / 0 / 1')
    expect(all).toContain('未付金额合计 450,000美元；1,000,000港币')
    // 100,000 × 80% = 80,000; 300,000 × 80% capped at 150,000; the declined one left out; HKD 80 % uncapped.
    expect(all).toContain('预计赔付合计 230,000美元；800,000港币')
    expect(all).toContain('需核实保障范围 1 件')

    const received = pageText(await (await c.get('/console/reports?status=received&district=宝安区')).text())
    expect(received).toContain('BS20261121-0001')
    expect(received).not.toContain('BS20261122-0001')
    // 23 Nov 17:00 UTC is 24 Nov 01:00 in China: outside 20–23 Nov China time.
    const range = pageText(await (await c.get('/console/reports?from=2026-11-21&to=2026-11-23')).text())
    expect(range).toContain('BS20261121-0001')
    expect(range).toContain('BS20261122-0001')
    expect(range).not.toContain('BS20261120-0001')
    expect(range).not.toContain('BS20261123-0001')
    for (const bad of ['from=2026-02-30', 'to=yesterday', 'status=lost', 'district=火星区', 'from=2026-11-25&to=2026-11-21']) {
      const res = await c.get(`/console/reports?${bad}`)
      expect(res.status, bad).toBe(400)
    }
  })

  it('pages 50 at a time, the totals covering every page', async () => {
    const s = await consoleSetup()
    for (let i = 1; i <= 51; i++) await s.store.reports.save(sampleReport(`BS20261120-${String(i).padStart(4, '0')}`, { createdAt: day(20) + i, updatedAt: day(20) + i }))
    await s.addStaff('zhang', 'hotline')
    const c = await signedIn(s.app, 'zhang')
    const first = pageText(await (await c.get('/console/reports')).text())
    expect(first).toContain('共 51 件')
    expect(first).toContain('BS20261120-0051')
    expect(first).not.toContain('BS20261120-0001 ')
    expect(first).toContain('第 1 / 2 页')
    const second = await (await c.get('/console/reports?page=2')).text()
    expect(pageText(second)).toContain('BS20261120-0001')
    expect(pageText(second)).not.toContain('BS20261120-0002')
    expect(second).toContain('href="/console/reports"')
  })

  it('exports the filtered list as UTF-8 CSV with a BOM, formulas defused, quotes escaped, and audits the export', async () => {
    const s = await consoleSetup()
    await seed(s.store)
    await s.addStaff('zhang', 'hotline')
    const c = await signedIn(s.app, 'zhang')
    const res = await c.get('/console/reports.csv?status=received')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="tongbao-reports-\d{8}\.csv"$/)
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = new TextDecoder().decode(bytes.slice(3))
    const lines = text.split('\r\n').filter(Boolean)
    expect(lines[0]).toMatch(/^报案编号,提交时间,状态,所在区,企业名称,统一社会信用代码,/)
    expect(lines).toHaveLength(4) // header + the three received reports
    expect(lines[1]).toMatch(/^BS20261123-0001,2026-11-24 01:00,已受理,福田区,"'=HYPERLINK\(""http:\/\/evil.example"",""点我""\)",/)
    expect(lines[1]).toContain('"Buyer, ""Quoted"" Ltd"')
    expect(lines[1]).toContain(',1000000,HKD,800000,报关时间不在承保期间内,')
    expect(text).not.toContain('BS20261122-0001')
    expect((await s.store.audit.list(0, 1))[0]).toMatchObject({ actor: 'zhang', action: 'reports.export', after: { count: 3, status: 'received' } })
  })
})
