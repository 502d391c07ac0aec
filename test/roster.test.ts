import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseRosterCsv } from '../src/policy/roster.js'
import { createMemoryStore } from '../src/store/memory-store.js'
import { chat, testBot } from './helpers/bot.js'

const SAMPLE = 'knowledge/samples/roster-sample.csv'
const sample = parseRosterCsv(readFileSync(SAMPLE, 'utf8'))
const run = promisify(execFile)

describe('the published list (名单)', () => {
  const store = createMemoryStore({ sessionTtlSeconds: 600 })
  const bot = testBot({ store })
  beforeAll(async () => {
    await store.roster.replace(sample.entries)
  })

  it('answers a credit code from the list', async () => {
    const first = sample.entries[0]!
    const a = await chat(bot).say(`${first.creditCode}在名单上吗`)
    expect(a).toContain(`在名单上：${first.name}`)
    expect(a).toMatch(/来源：.*确认企业名单/)
  })

  it('rejects a credit code with a wrong check digit', async () => {
    const code = sample.entries[1]!.creditCode
    const wrong = code.slice(0, 17) + (code[17] === '1' ? '2' : '1')
    const a = await chat(bot).say(`帮我查下代码 ${wrong}`)
    expect(a).toContain('校验不通过')
    expect(a).not.toContain('在名单上')
  })

  it('rejects a code of the wrong length', async () => {
    expect(await chat(bot).say('信用代码 91440300MA5EXAMP 在名单吗')).toContain('应为18位')
  })

  it('finds an exact company name, ignoring 深圳市 and the legal form', async () => {
    expect(await chat(bot).say('示例电子科技有限公司在名单上吗')).toContain('在名单上：深圳市示例电子科技有限公司')
  })

  it('shows candidates for a near name', async () => {
    const a = await chat(bot).say('深圳市示例电子有限公司在不在名单里')
    expect(a).toContain('名字相近的有')
    expect(a).toContain('深圳市示例电子科技有限公司')
  })

  it('says so when a firm is not on the list', async () => {
    expect(await chat(bot).say('深圳市完全不存在的公司在名单上吗')).toContain('没有找到')
  })

  it('says the list is not loaded yet instead of guessing', async () => {
    const a = await chat(testBot()).say('深圳市示例电子科技有限公司在名单上吗')
    expect(a).toContain('还没有导入')
    expect(a).toContain('深圳市商务局')
  })
})

describe('npm run roster:import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('parses the sample and reports bad rows by line', () => {
    expect(sample.entries).toHaveLength(6)
    const bad = parseRosterCsv('企业名称,统一社会信用代码\n甲公司,91440300MA5EXAMP1F\n乙公司,123\n,91440300MA5XAMPL2X\n')
    expect(bad.entries).toHaveLength(1)
    expect(bad.rejected).toEqual([
      { line: 3, reason: expect.stringContaining('无效') },
      { line: 4, reason: '企业名称为空' },
    ])
  })

  it('refuses a file without the expected header', () => {
    expect(() => parseRosterCsv('a,b\n1,2\n')).toThrow(/企业名称/)
  })

  it('imports the CSV into the embedded store so the bot answers from it after a restart', async () => {
    const csv = join(dir, 'list.csv')
    writeFileSync(csv, readFileSync(SAMPLE, 'utf8') + '坏行公司,12345\n')
    const env = { ...process.env, DATA_DIR: join(dir, 'data'), REDIS_URL: '', LOG_LEVEL: 'silent' }
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/roster-import.ts', csv], { env })
    expect(stdout).toContain('已导入 6 家企业，跳过 1 行')
    expect(stderr).toContain('第 8 行跳过')
    const { createFileStore } = await import('../src/store/file-store.js')
    const store = await createFileStore({ dataDir: join(dir, 'data'), sessionTtlSeconds: 60 })
    try {
      expect(await store.roster.size()).toBe(6)
      expect(await chat(testBot({ store })).say('深圳市样本贸易有限公司在名单上吗')).toContain('在名单上')
    } finally {
      await store.close()
    }
  })
})
