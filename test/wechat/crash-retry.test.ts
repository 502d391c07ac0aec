import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/http/app.js'
import { createRedisClient } from '../../src/store/redis-client.js'
import { createRedisStore } from '../../src/store/redis-store.js'
import { silentLogger, testBot } from '../helpers/bot.js'
import { freePort } from '../helpers/server.js'
import { TOKEN, postPlain, sign, tag, textMessage } from '../helpers/wechat-client.js'

// The shared test Redis; no skip: without Redis this suite fails.
const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379/15'
const prefix = `tbcrash:${randomUUID().slice(0, 8)}:`

let redis: Redis
beforeAll(async () => {
  redis = createRedisClient(REDIS_URL, silentLogger)
  await redis.connect()
})
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`)
  if (keys.length) await redis.del(...keys)
  redis.disconnect()
})

/** Start the hanging server in its own process; resolves once it listens. */
async function startHangingServer(port: number) {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/wechat/fixtures/hanging-wechat.ts'], {
    env: { ...process.env, PORT: String(port), REDIS_URL, REDIS_KEY_PREFIX: prefix },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', (d) => {
      out += d
      if (out.includes('ready')) resolve()
    })
    proc.stderr!.on('data', (d) => (out += d))
    proc.on('exit', (code) => reject(new Error(`hanging server exited with ${code}: ${out}`)))
  })
  return proc
}

describe('WeChat on Redis: a crash while a message is being answered', () => {
  it('answers WeChat’s retry once the dead instance’s claim runs out, instead of swallowing it', async () => {
    const port = await freePort()
    const dead = await startHangingServer(port)
    const from = `o-crash-${randomUUID().slice(0, 6)}`
    const id = `26${Date.now()}`
    const ts = String(Math.floor(Date.now() / 1000))
    const nonce = 'crashnonce'
    const q = new URLSearchParams({ signature: sign(TOKEN, ts, nonce), timestamp: ts, nonce, openid: from })
    const xml = textMessage(from, '赔付比例是多少', id)
    // First delivery: the instance claims the message and never answers…
    void fetch(`http://127.0.0.1:${port}/wechat?${q}`, { method: 'POST', body: xml, headers: { 'content-type': 'text/xml' } }).catch(() => undefined)
    const claimed = async () => (await redis.keys(`${prefix}kv:wx:msg:*${id}`)).length > 0
    for (let i = 0; i < 200 && !(await claimed()); i++) await new Promise((r) => setTimeout(r, 25))
    expect(await claimed()).toBe(true)
    // …and dies with it (kill -9: no clean-up runs).
    dead.kill('SIGKILL')
    await new Promise((r) => dead.once('exit', r))

    // WeChat retries the same MsgId (same signed URL) on another instance sharing the Redis.
    const store = createRedisStore({ redis, prefix, sessionTtlSeconds: 60 })
    const app = createApp({ engine: testBot({ store }).engine, store, logger: silentLogger, maxTextLength: 1000, wechat: { token: TOKEN, budgetMs: 4500 } })
    const retry = await postPlain(app, xml, { timestamp: ts, nonce })
    expect(retry.status).toBe(200)
    const body = await retry.text()
    expect(body).not.toBe('success')
    expect(tag(body, 'Content')).toContain('80%')
    // The answer is now kept for any later retry.
    const again = await postPlain(app, xml, { timestamp: ts, nonce })
    expect(tag(await again.text(), 'Content')).toContain('80%')
  }, 20_000)
})
