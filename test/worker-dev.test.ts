import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMessageCrypto } from '../src/channels/wechat/crypto.js'
import { FULL_REPORT } from './helpers/claim.js'
import { lastUser, startOpenAiStub, type OpenAiStub } from './helpers/openai-stub.js'
import { eventually, startWebhookStub, type WebhookStub } from './helpers/webhook-stub.js'
import { AES_KEY, APP_ID, TOKEN, postEncrypted, postPlain, tag, textMessage } from './helpers/wechat-client.js'
import { startWeChatApiStub, type WeChatApiStub } from './helpers/wechat-stub.js'

// End to end: `npm run worker:dev` (wrangler dev, local workerd, the real wrangler.toml) on a free port, with
// the same environment variables as `npm start`; webhook and WeChat API stubs on loopback. No network.

interface DevServer {
  url: string
  proc: ChildProcess
  output: () => string
  stop(): Promise<void>
}

/** Ports free at the same time, so two servers started together never get the same one. */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<Server>((resolve) => {
      const srv = createServer()
      srv.listen(0, '127.0.0.1', () => resolve(srv))
    })),
  )
  const ports = servers.map((srv) => (srv.address() as AddressInfo).port)
  await Promise.all(servers.map((srv) => new Promise((r) => srv.close(r))))
  return ports
}

async function startWorkerDev([port, inspectorPort]: number[], env: Record<string, string>): Promise<DevServer> {
  // Its own process group: npm, tsx, wrangler and workerd stop together.
  // Each its own inspector port: wrangler's default (9229) would be taken by the first one.
  const proc = spawn('npm', ['run', 'worker:dev', '--', '--inspector-port', String(inspectorPort)], { env: { ...process.env, PORT: String(port), ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let out = ''
  proc.stdout!.on('data', (d) => (out += d))
  proc.stderr!.on('data', (d) => (out += d))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`worker:dev exited: ${out}`)
    try {
      if ((await fetch(`${url}/healthz`)).ok) break
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`worker:dev not ready: ${out}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    url,
    proc,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve()
        proc.once('exit', () => resolve())
        process.kill(-proc.pid!, 'SIGTERM')
      }),
  }
}

let dev: DevServer
/** A second Worker in model mode, against a loopback OpenAI-compatible stub. */
let withModel: DevServer
let openai: OpenAiStub
let webhook: WebhookStub
let wechatApi: WeChatApiStub
let dataDir: string

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'worker-dev-'))
  ;[webhook, wechatApi, openai] = await Promise.all([startWebhookStub(1), startWeChatApiStub(), startOpenAiStub()])
  const ports = await freePorts(4)
  const modelStart = startWorkerDev(ports.slice(2), {
    DATA_DIR: join(dataDir, 'model'),
    OPENAI_API_KEY: 'sk-worker-dev-key',
    OPENAI_BASE_URL: openai.baseURL,
    OPENAI_MODEL: 'stub-model',
  })
  dev = await startWorkerDev(ports.slice(0, 2), {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    NOTIFY_WEBHOOK_URL: webhook.url,
    NOTIFY_RETRY_SECONDS: '1',
    WECHAT_TOKEN: TOKEN,
    WECHAT_APP_ID: APP_ID,
    WECHAT_APP_SECRET: 'worker-dev-secret',
    WECHAT_ENCODING_AES_KEY: AES_KEY,
    WECHAT_API_BASE: wechatApi.base,
  })
  withModel = await modelStart
}, 90_000)

afterAll(async () => {
  await Promise.all([dev?.stop(), withModel?.stop()])
  await Promise.all([webhook?.close(), wechatApi?.close(), openai?.close()])
  rmSync(dataDir, { recursive: true, force: true })
})

async function say(userId: string, text: string): Promise<string> {
  const res = await fetch(`${dev.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, text }) })
  expect(res.status).toBe(200)
  return ((await res.json()) as { replies: Array<{ text: string }> }).replies.map((r) => r.text).join('\n')
}

/** The running Worker as the WeChat test helpers expect an app: request(path, init). */
const overHttp = () => ({ request: (path: string, init?: RequestInit) => fetch(`${dev.url}${path}`, init) }) as unknown as Hono

describe('npm run worker:dev', () => {
  it('answers /healthz like npm start', async () => {
    const res = await fetch(`${dev.url}/healthz`)
    expect(await res.json()).toEqual({ status: 'ok', store: 'ok', model: 'off' })
  })

  it('walks a loss report to its number over /api/chat; the manager’s notice is retried until the webhook takes it', async () => {
    for (const [answer, nextQuestion] of FULL_REPORT) expect(await say('e2e-filer', answer)).toContain(nextQuestion)
    const confirmed = await say('e2e-filer', '确认')
    const id = /BS\d{8}-\d{4}/.exec(confirmed)?.[0]
    expect(id, confirmed).toBeDefined()
    expect(await say('e2e-filer', '我的报案')).toContain(id!)
    // The stub refuses the first delivery; the ledger's alarm tries again a second later.
    await eventually(() => webhook.received.length >= 2, 15_000)
    expect(webhook.received.map((b) => JSON.stringify(b))).toEqual([expect.stringContaining(id!), expect.stringContaining(id!)])
    expect(JSON.stringify(webhook.received[1])).not.toContain('13812345678') // the contact's phone is masked
  })

  it('round-trips a WeChat safe-mode message: encrypted in, encrypted and signed reply out', async () => {
    const crypto = createMessageCrypto({ appId: APP_ID, encodingAesKey: AES_KEY })
    const res = await postEncrypted(overHttp(), crypto.encrypt(textMessage('o-e2e-safe', '宝安区客户经理', '9001')), { openid: 'o-e2e-safe' })
    expect(res.status).toBe(200)
    const reply = await res.text()
    expect(tag(reply, 'MsgSignature')).toMatch(/^[0-9a-f]{40}$/)
    const inner = crypto.decrypt(tag(reply, 'Encrypt')!)
    expect(tag(inner, 'ToUserName')).toBe('o-e2e-safe')
    expect(tag(inner, 'Content')).toContain('宝安区的客户经理')
    // Safe mode is required once a key is set: a plain body is refused.
    const plain = await postPlain(overHttp(), textMessage('o-e2e-safe', '你好', '9002'))
    expect(plain.status).toBe(401)
  })

  it('sends the rest of a long answer by customer-service message (access_token fetched once, shared in the store)', async () => {
    const crypto = createMessageCrypto({ appId: APP_ID, encodingAesKey: AES_KEY })
    const question = '赔付比例是多少？保单怎么领？有什么免费服务？出险了怎么办？宝安区客户经理是谁？'
    const res = await postEncrypted(overHttp(), crypto.encrypt(textMessage('o-e2e-long', question, '9101')), { openid: 'o-e2e-long' })
    const first = tag(crypto.decrypt(tag(await res.text(), 'Encrypt')!), 'Content')!
    expect(new TextEncoder().encode(first).length).toBeLessThanOrEqual(2047)
    await eventually(() => wechatApi.sent.some((s) => s.touser === 'o-e2e-long'), 15_000)
    const rest = wechatApi.sent.filter((s) => s.touser === 'o-e2e-long').map((s) => s.content)
    expect([first, ...rest].join('')).toContain('来源')
    for (const page of rest) expect(new TextEncoder().encode(page).length).toBeLessThanOrEqual(2047)
    expect(wechatApi.tokenRequests).toBe(1)
  })

  it('in model mode, answers free questions through the model (LangChain bundled, no nodejs_compat)', async () => {
    expect(await (await fetch(`${withModel.url}/healthz`)).json()).toMatchObject({ status: 'ok', model: 'on', modelName: 'stub-model', circuit: 'closed' })
    openai.reply({ content: '保险期限是1.5年，即2021年1月至2022年6月。' })
    const res = await fetch(`${withModel.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'm1', text: '保险期限多久' }) })
    const answer = ((await res.json()) as { replies: Array<{ text: string }> }).replies.map((r) => r.text).join('\n')
    expect(answer).toBe('保险期限是1.5年，即2021年1月至2022年6月。\n来源：《2020年出口额800万美元以下企业统保政策简介》二（三）4. 保险期限')
    expect(lastUser(openai.requests.at(-1)!)).toContain('保险期限多久')
    expect(openai.requests.at(-1)!.authorization).toBe('Bearer sk-worker-dev-key')
  })

  it('never writes the secrets or the contact’s full phone number to its output', () => {
    expect(dev.output()).not.toContain('worker-dev-secret')
    expect(withModel.output()).not.toContain('sk-worker-dev-key')
    expect(dev.output()).not.toContain(AES_KEY)
    expect(dev.output()).not.toContain('13812345678')
  })
})
