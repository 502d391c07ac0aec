import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Engine } from '../src/engine/engine.js'
import { fill, worstCaseInputs } from '../src/eval/worst-inputs.js'
import { createApp } from '../src/http/app.js'
import { silentLogger, testBot } from './helpers/bot.js'
import { TOKEN, postPlain, tag, textMessage } from './helpers/wechat-client.js'

const MAX = 300

/** The real bot behind both HTTP channels, counting what reaches the engine. */
function setup() {
  const bot = testBot()
  const seen: string[] = []
  const engine: Engine = {
    handle(m) {
      seen.push(m.text)
      return bot.engine.handle(m)
    },
  }
  const app = createApp({ engine, store: bot.store, logger: silentLogger, maxTextLength: MAX, maxBodyBytes: 16 * 1024, wechat: { token: TOKEN } })
  return { app, seen }
}

const chat = (app: ReturnType<typeof setup>['app'], userId: string, text: string) =>
  app.request('/api/chat', { method: 'POST', body: JSON.stringify({ userId, text }), headers: { 'content-type': 'application/json' } })

let n = 0
const msgId = () => `27000000000${String(++n).padStart(8, '0')}`

describe('MAX_TEXT_LENGTH on every channel', () => {
  const over = `我要报损${fill('a', MAX)}`

  it('/api/chat: answers every worst input at the limit, and refuses one character more with 400 without processing it', async () => {
    const { app, seen } = setup()
    for (const [i, t] of worstCaseInputs(MAX).entries()) expect((await chat(app, `c-${i}`, t)).status).toBe(200)
    const before = seen.length
    const res = await chat(app, 'c-over', over)
    expect(res.status).toBe(400)
    expect(JSON.stringify(await res.json())).toContain(String(MAX))
    expect(seen.length).toBe(before)
  })

  it('/wechat: answers every worst input at the limit, and one character more with a polite reply, unprocessed', async () => {
    const { app, seen } = setup()
    for (const t of worstCaseInputs(MAX)) {
      const res = await postPlain(app, textMessage(`o-w-${++n}`, t, msgId()))
      expect(res.status).toBe(200)
      expect(tag(await res.text(), 'Content')?.length).toBeGreaterThan(0)
    }
    const before = seen.length
    const reply = tag(await (await postPlain(app, textMessage('o-over', over, msgId()))).text(), 'Content')!
    expect(reply).toContain('太长')
    expect(reply).toContain(String(MAX))
    expect(seen.length).toBe(before)
  })

  it('terminal chat: a line over the limit gets the polite reply and the next line is answered', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tongbao-cli-'))
    try {
      const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/chat.ts'], {
        env: { ...process.env, DATA_DIR: dataDir, REDIS_URL: '', MAX_TEXT_LENGTH: String(MAX), LOG_LEVEL: 'silent' },
        stdio: ['pipe', 'pipe', 'pipe'],
      })
      let out = ''
      proc.stdout.on('data', (d) => (out += d))
      proc.stderr.on('data', (d) => (out += d))
      proc.stdin.end(`${over}\n赔付比例是多少\nexit\n`)
      await new Promise((resolve) => proc.once('exit', resolve))
      expect(out).toContain('太长')
      expect(out).toContain('80%')
      expect(out).not.toContain('企业全称')
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  }, 30_000)
})
