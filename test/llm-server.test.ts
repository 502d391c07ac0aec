import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lastUser, startOpenAiStub, type OpenAiStub } from './helpers/openai-stub.js'
import { sayTo, startServer, type RunningServer } from './helpers/server.js'

let stub: OpenAiStub
const running: RunningServer[] = []
beforeAll(async () => {
  stub = await startOpenAiStub()
})
afterAll(async () => {
  for (const s of running) await s.stop()
  await stub.close()
})

/** Run a command to its end: exit code and output. */
function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    p.stdout.on('data', (d) => (out += d))
    p.stderr.on('data', (d) => (out += d))
    p.on('exit', (code) => resolve({ code, out }))
  })
}

const dataDir = () => mkdtempSync(join(tmpdir(), 'tb-llm-'))

describe('model mode in the running server', () => {
  it('OPENAI_API_KEY set: /healthz says model mode is on and /api/chat answers through the model; the key is never logged', async () => {
    const server = await startServer({ DATA_DIR: dataDir(), OPENAI_API_KEY: 'sk-secret-test-key', OPENAI_BASE_URL: stub.baseURL, OPENAI_MODEL: 'stub-model' })
    running.push(server)
    expect(await (await fetch(`${server.url}/healthz`)).json()).toMatchObject({ status: 'ok', model: 'on', modelName: 'stub-model', circuit: 'closed' })
    stub.reply({ content: '保险期限是1.5年，即2021年1月至2022年6月。' })
    expect(await sayTo(server, 'u1', '保险期限多久')).toBe('保险期限是1.5年，即2021年1月至2022年6月。\n来源：《2020年出口额800万美元以下企业统保政策简介》二（三）4. 保险期限')
    expect(lastUser(stub.requests.at(-1)!)).toContain('保险期限多久')
    expect(stub.requests.at(-1)!.authorization).toBe('Bearer sk-secret-test-key')
    expect(server.output()).toContain('"llm":"answered"')
    expect(server.output()).not.toContain('sk-secret-test-key')
  })

  it('no key: model mode is off and a broken prompts folder is not even read', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'prompts-'))
    const server = await startServer({ DATA_DIR: dataDir(), OPENAI_API_KEY: '', PROMPTS_DIR: broken })
    running.push(server)
    expect(await (await fetch(`${server.url}/healthz`)).json()).toMatchObject({ status: 'ok', model: 'off' })
  })

  it('a prompt with a missing placeholder stops start-up with the file and the placeholder named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prompts-'))
    cpSync('prompts', dir, { recursive: true })
    writeFileSync(join(dir, 'answer.md'), '问题：{question}\n请用{language}回答。')
    const { code, out } = await run(['--import', 'tsx', 'src/main.ts'], { DATA_DIR: dataDir(), PORT: '0', OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: stub.baseURL, PROMPTS_DIR: dir })
    expect(code).toBe(1)
    expect(out).toContain(`${dir}/answer.md 缺少占位符：{sources}、{rule_results}、{facts}`)
  })
})

describe('npm run eval -- --model', () => {
  it('with no key, says why and exits 0', async () => {
    const { code, out } = await run(['--import', 'tsx', 'src/cli/eval.ts', '--model'], { OPENAI_API_KEY: '' })
    expect(code).toBe(0)
    expect(out).toContain('OPENAI_API_KEY is not set')
  })

  it('with a model, reports accuracy, guard rejections and p50/p95 latency beside the embedded mode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'golden-'))
    writeFileSync(
      join(dir, 'mini.json'),
      JSON.stringify([
        { q: '保险期限多久', category: 'period', sections: ['period'], facts: ['1.5年'] },
        { q: '统保是什么', category: 'core', sections: ['core'], facts: ['800万美元'] },
        { q: '出口退税怎么办', category: 'abstain' },
      ]),
    )
    // A faithful answer for the period, a lie for the other: one guard rejection and its repair, then the embedded answer.
    stub.reply((req) => ({ content: lastUser(req).includes('保险期限多久') ? '保险期限是1.5年。' : '统保面向出口额900万美元以下的企业。' }))
    const { code, out } = await run(['--import', 'tsx', 'src/cli/eval.ts', '--model', dir], { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: stub.baseURL, OPENAI_MODEL: 'stub-model' })
    expect(code).toBe(0)
    expect(out).toMatch(/category\s+embedded\s+model/)
    expect(out).toMatch(/overall\s+3\/3 100%\s+3\/3 100%/)
    expect(out).toMatch(/latency p50\s+[\d.]+ ms\s+[\d.]+ ms/)
    expect(out).toMatch(/latency p95\s+[\d.]+ ms\s+[\d.]+ ms/)
    expect(out).toContain('guard rejections: 2 (repaired 0); embedded answer instead: guard 1')
    expect(out).toContain('answered by the model: 1')
  })
})
