import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FULL_REPORT } from '../helpers/claim.js'
import { CONSOLE_SECRET } from '../helpers/console.js'
import { sayTo, startServer, type RunningServer } from '../helpers/server.js'
import { staffCli } from '../helpers/staff-cli.js'

/*
 * The console in a real browser: Debian's chromium driven by playwright-core (no browser download), against a
 * real server. Missing chromium or the Chinese font is a failure, never a skip: .ci/run installs both.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'
const ARTIFACTS = resolve('test/artifacts')
const PASSWORD = 'browser-admin-pass-1'

let server: RunningServer
let context: BrowserContext
let page: Page
const dirs: string[] = []
const cspErrors: string[] = []

async function fileReport(userId: string, edit: (a: string) => string = (a) => a): Promise<string> {
  for (const [answer] of FULL_REPORT) await sayTo(server, userId, edit(answer))
  return /BS\d{8}-\d{4}/.exec(await sayTo(server, userId, '确认'))![0]
}

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true })

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`chromium not found at ${CHROMIUM}: apt-get install -y chromium fonts-wqy-microhei (.ci/run does this)`)
  if (!existsSync(FONT)) throw new Error(`the Chinese font is missing (${FONT}): apt-get install -y fonts-wqy-microhei`)
  mkdirSync(ARTIFACTS, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'tb-browser-data-'))
  const profile = mkdtempSync(join(tmpdir(), 'tb-browser-profile-'))
  dirs.push(dataDir, profile)
  const added = await staffCli(['add', 'root', '--role', 'admin'], { DATA_DIR: dataDir, STAFF_PASSWORD: PASSWORD })
  if (added.code !== 0) throw new Error(added.stderr)
  // The staff queue open around the clock, so the handoff test does not depend on the hour it runs at.
  server = await startServer({ DATA_DIR: dataDir, CONSOLE_SECRET, LOG_LEVEL: 'warn', HANDOFF_HOURS: 'always' })
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1280, height: 860 },
    locale: 'zh-CN',
  })
  page = context.pages()[0] ?? (await context.newPage())
  page.on('console', (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) cspErrors.push(m.text())
  })
}, 60_000)

afterAll(async () => {
  await context?.close()
  await server?.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('the staff console in chromium', () => {
  it('logs in, looks up a street and a firm, opens a report filed over /api/chat, changes its status, and the exporter sees it', async () => {
    const no = await fileReport('firm-browser')
    await fileReport('firm-other', (a) => (a === '深圳市示例电子科技有限公司' ? '深圳市样本贸易有限公司' : a === '91440300MA5EXAMP1F' ? '91440300MA5XAMPL2X' : a === '宝安区' ? '南山区' : a === '12.5万美元' ? '30万美元' : a))

    // Login: any console page sends a signed-out browser to the form.
    await page.goto(`${server.url}/console/reports`)
    expect(new URL(page.url()).pathname).toBe('/console/login')
    await page.fill('input[name=username]', 'root')
    await page.fill('input[name=password]', PASSWORD)
    await shot('01-login')
    await page.click('button[type=submit]')
    await page.waitForURL(/\/console\/reports$/)
    expect(await page.evaluate(() => typeof (globalThis as unknown as { htmx?: unknown }).htmx)).toBe('object')

    // The roster, imported from the console (the same file `npm run roster:import` takes).
    await page.goto(`${server.url}/console/roster`)
    await page.setInputFiles('input[name=file]', resolve('knowledge/samples/roster-sample.csv'))
    await page.click('form[action="/console/roster"] button[type=submit]')
    await page.getByText(/已导入 \d+ 家企业/).waitFor()

    // A street: htmx swaps the results in without reloading the page, and puts the query in the address bar.
    await page.goto(`${server.url}/console/lookup`)
    await page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true))
    await page.fill('input[name=q]', '沙井')
    await page.press('input[name=q]', 'Enter')
    await page.getByText('沙井属于宝安区的客户经理').waitFor()
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true)
    expect(decodeURIComponent(page.url())).toContain('/console/lookup?q=沙井')
    await expect(page.locator('#results').innerText()).resolves.toMatch(/吕宇翔：\d{11}/)
    await shot('02-lookup-street')

    // A firm, by part of its name: on the list, its district and manager from its report, the report itself.
    await page.fill('input[name=q]', '示例电子')
    await page.press('input[name=q]', 'Enter')
    await page.getByText('在公示名单上').waitFor()
    const firm = await page.locator('#results').innerText()
    expect(firm).toContain('深圳市示例电子科技有限公司')
    expect(firm).toContain('所在区：宝安区（据其报案）')
    expect(firm).toContain(no)
    await shot('03-lookup-firm')

    // The report, then its status.
    await page.click(`a[href="/console/reports/${no}"]`)
    await page.waitForURL(new RegExp(`/console/reports/${no}$`))
    const detail = await page.locator('main').innerText()
    for (const shown of ['Gamma Trading GmbH', '13812345678', '125,000美元 × 80% = 100,000美元', '已受理']) expect(detail).toContain(shown)
    await shot('04-report')
    await page.selectOption('select[name=status]', 'in_review')
    await page.fill('textarea[name=note]', '请补充报关单和催收往来邮件')
    await page.click('form[action$="/status"] button[type=submit]')
    await page.getByText('状态已更新为“处理中”').waitFor()
    expect(await page.locator('ol.timeline').innerText()).toContain('root 改为“处理中”')
    await shot('05-status-changed')

    // The exporter's "查询报案".
    const seen = await sayTo(server, 'firm-browser', `查询报案 ${no}`)
    expect(seen).toContain('客户经理处理中')
    expect(seen).toContain('说明：请补充报关单和催收往来邮件')

    // The list with its totals (the README's screenshot).
    await page.goto(`${server.url}/console/reports`)
    const list = await page.locator('main').innerText()
    expect(list).toMatch(/共\s*2 件/)
    expect(list).toMatch(/预计赔付合计\s*250,000美元/)
    await shot('06-reports')

    expect(cspErrors).toEqual([])
  }, 120_000)

  it('takes a handoff (转人工) from the queue, answers it, and the user’s next turn carries the answer', async () => {
    await sayTo(server, 'firm-person', '我们在沙井，买家欠了12万美元')
    expect(await sayTo(server, 'firm-person', '转人工')).toContain('已为您转接人工客服')
    await sayTo(server, 'firm-person', '报案要准备哪些材料？')

    await page.goto(`${server.url}/console/handoffs`)
    if (new URL(page.url()).pathname === '/console/login') {
      await page.fill('input[name=username]', 'root')
      await page.fill('input[name=password]', PASSWORD)
      await page.click('button[type=submit]')
      await page.waitForURL(/\/console\/handoffs$/)
    }
    const queue = await page.locator('#queue').innerText()
    expect(queue).toContain('等待接待')
    expect(queue).toContain('报案要准备哪些材料？')
    expect(queue).toContain('所在区：宝安区')
    await shot('07-handoff-queue')

    await page.click('#queue form[action$="/take"] button')
    await page.getByText('已接待').first().waitFor()
    const chat = await page.locator('ol.chat').innerText()
    for (const line of ['我们在沙井，买家欠了12万美元', '已为您转接人工客服', '报案要准备哪些材料？']) expect(chat).toContain(line)
    await page.fill('textarea[name=text]', '您好，请准备合同、报关单和催收记录，回复“报损”即可在线登记。')
    await page.click('form[action$="/reply"] button[type=submit]')
    await page.getByText('回复里会先给出这句话').waitFor()
    expect(await page.locator('ol.chat').innerText()).toContain('人工客服（root）')
    await shot('08-handoff-reply')

    const next = await sayTo(server, 'firm-person', '好的')
    expect(next.startsWith('人工客服：您好，请准备合同、报关单和催收记录')).toBe(true)

    await page.fill('input[name=note]', '已告知材料')
    await page.click('form[action$="/close"] button[type=submit]')
    await page.waitForURL(/\/console\/handoffs\?closed=/)
    expect(await page.locator('main').innerText()).toContain('备注：已告知材料')
    expect(cspErrors).toEqual([])
  }, 120_000)
})
