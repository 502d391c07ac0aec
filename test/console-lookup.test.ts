import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { consoleSetup, fileReportOverApi, pageText, signedIn } from './helpers/console.js'

const SAMPLE = readFileSync('knowledge/samples/roster-sample.csv', 'utf8')

async function setup() {
  const s = await consoleSetup()
  await s.addStaff('zhang', 'hotline')
  await s.addStaff('root', 'admin')
  return s
}

const ask = async (app: { request: (p: string, i: RequestInit) => Response | Promise<Response> }, text: string) => {
  const res = await app.request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: `u-${Math.random()}`, text }) })
  return ((await res.json()) as { replies: Array<{ text: string }> }).replies.map((r) => r.text)
}

describe('lookup', () => {
  it('a street or a district: the account manager with phones', async () => {
    const s = await setup()
    const c = await signedIn(s.app, 'zhang')
    const street = pageText(await (await c.get(`/console/lookup?q=${encodeURIComponent('沙井')}`)).text())
    expect(street).toContain('沙井属于宝安区的客户经理')
    const bao = s.bot.knowledge.managers.groups.find((g) => g.districts.includes('宝安区'))!.managers[0]!
    expect(street).toContain(`${bao.name}：${bao.phones.join(' / ')}`)
    const district = pageText(await (await c.get(`/console/lookup?q=${encodeURIComponent('福田区客户经理电话')}`)).text())
    const fu = s.bot.knowledge.managers.groups.find((g) => g.districts.includes('福田区'))!.managers[0]!
    expect(district).toContain('福田区的客户经理')
    expect(district).toContain(fu.phones[0]!)
    expect(district).not.toContain('机器人的回答')
  })

  it('a firm by part of its name or its credit code: on the list or not, its district and manager from its reports, its reports', async () => {
    const s = await setup()
    await s.store.roster.replace([
      { name: '深圳市示例电子科技有限公司', creditCode: '91440300MA5EXAMP1F' },
      { name: '深圳市样本贸易有限公司', creditCode: '91440300MA5XAMPL2X' },
    ])
    const no = await fileReportOverApi(s.app, 'firm-1')
    // A firm that reported but is not on the list.
    const unlisted = await fileReportOverApi(s.app, 'firm-2', (a) => (a === '深圳市示例电子科技有限公司' ? '深圳市未列名精密有限公司' : a === '91440300MA5EXAMP1F' ? '91440300MA5DEMX034' : a))
    const c = await signedIn(s.app, 'zhang')
    const byName = pageText(await (await c.get(`/console/lookup?q=${encodeURIComponent('示例电子')}`)).text())
    expect(byName).toContain('深圳市示例电子科技有限公司 统一社会信用代码：91440300MA5EXAMP1F 在公示名单上')
    expect(byName).toContain('所在区：宝安区（据其报案）')
    expect(byName).toContain(no)
    expect(byName).not.toContain(unlisted)
    expect(byName).not.toContain('机器人的回答')
    const bao = s.bot.knowledge.managers.groups.find((g) => g.districts.includes('宝安区'))!.managers[0]!
    expect(byName).toContain(bao.phones[0]!)

    const byCode = pageText(await (await c.get('/console/lookup?q=91440300MA5XAMPL2X')).text())
    expect(byCode).toContain('深圳市样本贸易有限公司')
    expect(byCode).toContain('在公示名单上')
    expect(byCode).toContain('所在区未知（没有报案记录）')

    const notListed = pageText(await (await c.get(`/console/lookup?q=${encodeURIComponent('未列名精密')}`)).text())
    expect(notListed).toContain('深圳市未列名精密有限公司')
    expect(notListed).toContain('不在导入的名单上')
    expect(notListed).toContain(unlisted)

    const badCode = pageText(await (await c.get('/console/lookup?q=91440300MA5EXAMP1X')).text())
    expect(badCode).toContain('91440300MA5EXAMP1X')
    expect(badCode).toContain('请核对')
  })

  it('a report number opens that report; a policy question gets the bot answer with its source, as a user gets it', async () => {
    const s = await setup()
    const no = await fileReportOverApi(s.app, 'firm-1')
    const c = await signedIn(s.app, 'zhang')
    const report = await (await c.get(`/console/lookup?q=${no.toLowerCase()}`)).text()
    expect(report).toContain(`href="/console/reports/${no}"`)
    for (const q of ['赔付比例是多少', '保单怎么网上领', '退税怎么办']) {
      const html = await (await c.get(`/console/lookup?q=${encodeURIComponent(q)}`)).text()
      const shown = [...html.matchAll(/<div class="answer">([\s\S]*?)<\/div>/g)].map((m) => pageText(m[1]!).trim())
      expect(shown, q).toEqual((await ask(s.app, q)).map((t) => pageText(t).trim()))
      expect(shown.join(''), q).toContain('来源：《')
    }
    // The lookup's throwaway conversation is not kept.
    expect([...(s.store as unknown as { state: { sessions: Map<string, unknown> } }).state.sessions.keys()].some((k) => k.startsWith('console:'))).toBe(false)
  })

  it('htmx swaps the results in: the form targets #results and the page carries it', async () => {
    const s = await setup()
    const c = await signedIn(s.app, 'zhang')
    const html = await (await c.get('/console/lookup?q=沙井')).text()
    expect(html).toContain('hx-get="/console/lookup"')
    expect(html).toContain('hx-target="#results"')
    expect(html).toContain('<div id="results">')
    expect(html).toContain('&quot;allowEval&quot;:false')
  })
})

describe('roster import from the console', () => {
  it('an admin imports a CSV: valid rows replace the list, bad rows are listed by line, the import is audited', async () => {
    const s = await setup()
    const c = await signedIn(s.app, 'root')
    const csv = `${SAMPLE.trim()}\n坏代码公司,91440300MA5EXAMP1X\n,91440300MA5XAMPL2X\n`
    const form = new FormData()
    form.set('_csrf', c.csrf)
    form.set('file', new File([`\ufeff${csv}`], 'roster.csv', { type: 'text/csv' }))
    const res = await c.request('/console/roster', { method: 'POST', body: form, headers: { origin: c.origin } })
    expect(res.status).toBe(200)
    const page = pageText(await res.text())
    const good = SAMPLE.trim().split('\n').length - 1
    expect(page).toContain(`已导入 ${good} 家企业（原有 0 家，已整体替换），跳过 2 行`)
    expect(page).toMatch(/第 \d+ 行 统一社会信用代码无效/)
    expect(page).toMatch(/第 \d+ 行 企业名称为空/)
    expect(await s.store.roster.size()).toBe(good)
    expect((await s.store.audit.list(0, 1))[0]).toMatchObject({ actor: 'root', action: 'roster.import', before: { size: 0 }, after: { size: good, rejected: 2 } })
    // Pasted text works too, and a file with no valid row changes nothing.
    const none = await c.post('/console/roster', { csv: '企业名称,统一社会信用代码\n坏,123\n' })
    expect(none.status).toBe(400)
    expect(pageText(await none.text())).toContain('名单里没有有效的企业，未导入')
    expect(await s.store.roster.size()).toBe(good)
    const badHeader = await c.post('/console/roster', { csv: 'a,b\n1,2\n' })
    expect(badHeader.status).toBe(400)
    expect(await badHeader.text()).toContain('表头')
  })

  it('takes a roster larger than the app-wide 16 KB body limit, but not past its own', async () => {
    const s = await setup()
    const c = await signedIn(s.app, 'root')
    const rows = SAMPLE.trim().split('\n').slice(1)
    const big = ['企业名称,统一社会信用代码', ...Array.from({ length: 400 }, () => rows).flat()].join('\n')
    expect(big.length).toBeGreaterThan(16 * 1024)
    const ok = await c.post('/console/roster', { csv: big })
    expect(ok.status).toBe(200)
    const huge = await c.post('/console/roster', { csv: 'x'.repeat(6 * 1024 * 1024) })
    expect(huge.status).toBe(413)
    // Elsewhere the app's limit stands.
    const chat = await s.app.request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'u', text: 'x'.repeat(20_000) }) })
    expect(chat.status).toBe(413)
  })

  it('is for admins only', async () => {
    const s = await setup()
    const c = await signedIn(s.app, 'zhang')
    expect((await c.post('/console/roster', { csv: SAMPLE })).status).toBe(403)
    expect(await s.store.roster.size()).toBe(0)
  })
})
