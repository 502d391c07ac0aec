import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import pino from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.js'
import { createApp } from '../src/http/app.js'
import { buildStore } from '../src/store/build-store.js'
import { createMemoryStore } from '../src/store/memory-store.js'
import type { Session } from '../src/engine/types.js'
import { refusalOf } from '../src/store/redis-refusals.js'
import { StoreUnavailableError, type Store } from '../src/store/types.js'
import { silentLogger, testBot } from './helpers/bot.js'
import { addStaff, consoleOptions, ConsoleClient, pageText, sampleReport, signedIn } from './helpers/console.js'
import { privateRedis } from './helpers/redis-server.js'
import { freePort } from './helpers/server.js'

/*
 * Issue 19, items 1 and 6: Redis is the system of record, so an evicting maxmemory-policy refuses to start (or,
 * allowed, is a problem /healthz reports), CONFIG refused is a problem, a policy changed at runtime is seen; writes
 * Redis refuses while it answers (full under noeviction) make /healthz degraded and the console answer 503.
 * Each case runs its own redis-server on a free port, so it can be reconfigured and filled.
 */

type Line = { level: number; msg: string } & Record<string, unknown>
function capturingLogger() {
  const lines: Line[] = []
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as Line) })
  return { logger, lines, messages: () => lines.map((l) => l.msg).join('\n') }
}

const configFor = (url: string, env: Record<string, string> = {}) => loadConfig({ REDIS_URL: url, REDIS_KEY_PREFIX: 'tbset:', LOG_LEVEL: 'silent', ...env })

function appOver(store: Store) {
  const bot = testBot({ store })
  return createApp({ engine: bot.engine, store, logger: silentLogger, maxTextLength: 1000, console: consoleOptions(bot) })
}

async function healthOf(app: ReturnType<typeof appOver>) {
  return (await (await app.request('/healthz')).json()) as { status: string; store: string; problems?: string[] }
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const got = await fn()
    if (got) return got
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('a Redis whose maxmemory-policy evicts (allkeys-lru)', () => {
  const server = { current: undefined as ReturnType<typeof privateRedis> | undefined }
  let store: Store | undefined
  beforeAll(async () => {
    server.current = privateRedis(await freePort(), { args: ['--maxmemory-policy', 'allkeys-lru'] })
    await server.current.start()
  })
  afterEach(async () => {
    await store?.close()
    store = undefined
  })
  afterAll(() => server.current?.stop())

  it('refuses to start, naming maxmemory-policy, its value, why and REDIS_ALLOW_EVICTION; leaves no connection behind', async () => {
    const err = await buildStore(configFor(server.current!.url), silentLogger).then(
      () => undefined,
      (e: Error) => e,
    )
    expect(err?.message).toMatch(/maxmemory-policy is allkeys-lru/)
    expect(err?.message).toMatch(/reports, staff accounts, the audit log and handoffs/)
    expect(err?.message).toMatch(/REDIS_ALLOW_EVICTION=true/)
    const side = new Redis(server.current!.url)
    try {
      await until('the refused store to disconnect', async () => ((await side.client('LIST')) as string).trim().split('\n').length === 1)
    } finally {
      side.disconnect()
    }
  })

  it('with REDIS_ALLOW_EVICTION=true starts with a loud warning, and /healthz says degraded with the problem', async () => {
    const log = capturingLogger()
    store = await buildStore(configFor(server.current!.url, { REDIS_ALLOW_EVICTION: 'true' }), log.logger)
    expect(log.lines.find((l) => /REDIS MAY EVICT DATA/.test(l.msg))?.level).toBe(40)
    // The test server runs without persistence: warned about, not a problem.
    expect(log.messages()).toMatch(/redis has no persistence \(appendonly no, save ""\)/)
    const health = await healthOf(appOver(store))
    expect(health.status).toBe('degraded')
    expect(health.problems).toContainEqual(expect.stringMatching(/^maxmemory-policy is allkeys-lru: .*allowed by REDIS_ALLOW_EVICTION/))
  })
})

describe('a Redis where CONFIG is renamed away (a managed provider)', () => {
  let server: ReturnType<typeof privateRedis>
  let store: Store
  const log = capturingLogger()
  beforeAll(async () => {
    const conf = join(mkdtempSync(join(tmpdir(), 'tb-redis-conf-')), 'redis.conf')
    writeFileSync(conf, 'rename-command CONFIG ""\n')
    server = privateRedis(await freePort(), { configFile: conf })
    await server.start()
    store = await buildStore(configFor(server.url), log.logger)
  })
  afterAll(async () => {
    await store?.close()
    await server?.stop()
  })

  it('starts with a loud warning; /healthz says degraded: maxmemory-policy unknown', async () => {
    const warned = log.lines.find((l) => /CONFIG GET is refused/.test(l.msg))
    expect(warned?.level).toBe(40)
    expect(String(warned?.err)).toMatch(/unknown command/)
    const health = await healthOf(appOver(store))
    expect(health).toMatchObject({ status: 'degraded', store: 'degraded', problems: ['maxmemory-policy unknown: CONFIG GET refused'] })
    // The store itself works.
    await store.kv.set('k', 'v', 60)
    expect(await store.kv.get('k')).toBe('v')
  })
})

describe('a maxmemory-policy changed while running', () => {
  let server: ReturnType<typeof privateRedis>
  let store: Store | undefined
  beforeAll(async () => {
    server = privateRedis(await freePort())
    await server.start()
  })
  afterAll(async () => {
    await store?.close()
    await server?.stop()
  })

  it('is seen at the next check: a problem and an error in the log, not a crash; noeviction again clears it', async () => {
    const log = capturingLogger()
    store = await buildStore(configFor(server.url), log.logger, { redisSetupCheckMs: 100 })
    const app = appOver(store)
    expect(await healthOf(app)).toMatchObject({ status: 'ok' })
    const side = new Redis(server.url)
    try {
      await side.config('SET', 'maxmemory-policy', 'volatile-lru')
      const health = await until('degraded', async () => {
        const h = await healthOf(app)
        return h.status === 'degraded' && h
      })
      expect(health.problems).toContainEqual(expect.stringMatching(/^maxmemory-policy is volatile-lru: Redis may evict .*; set noeviction$/))
      expect(log.lines.find((l) => /changed to volatile-lru while running/.test(l.msg))?.level).toBe(50)
      await side.config('SET', 'maxmemory-policy', 'noeviction')
      await until('ok again', async () => (await healthOf(app)).status === 'ok')
    } finally {
      side.disconnect()
    }
  })
})

describe('Redis unreachable at start, then up with an evicting policy', () => {
  let port: number
  let server: ReturnType<typeof privateRedis> | undefined
  let store: Store | undefined
  afterAll(async () => {
    await store?.close()
    await server?.stop()
  })

  it('starts (non-fatal as before); the settings are read when it connects and again at each reconnect', async () => {
    port = await freePort()
    store = await buildStore(configFor(`redis://127.0.0.1:${port}/0`), silentLogger)
    const app = appOver(store)
    expect(await healthOf(app)).toMatchObject({ status: 'degraded' })

    server = privateRedis(port, { args: ['--maxmemory-policy', 'allkeys-lru'] })
    await server.start()
    const health = await until('the policy read on connect', async () => {
      const h = await healthOf(app)
      return h.problems?.some((p) => p.startsWith('maxmemory-policy is allkeys-lru')) && h
    })
    expect(health.status).toBe('degraded')

    // Restarted with noeviction: the reconnect reads it (the minute's timer has not run yet).
    await server.stop()
    server = privateRedis(port)
    await server.start()
    await until('the policy read on reconnect', async () => {
      const h = await healthOf(app)
      // Only the policy: the restarted Redis is empty, which the store identity reports as a wipe.
      return (await store!.health()) === 'ok' && !h.problems?.some((p) => p.startsWith('maxmemory-policy'))
    })
  }, 30_000)
})

describe('a Redis full under noeviction (tiny maxmemory)', () => {
  let server: ReturnType<typeof privateRedis>
  let store: Store
  let side: Redis
  let filler: Redis
  beforeAll(async () => {
    server = privateRedis(await freePort())
    await server.start()
    store = await buildStore(configFor(server.url), silentLogger)
    side = new Redis(server.url)
    filler = new Redis(server.url.replace(/\/0$/, '/1'))
  })
  afterAll(async () => {
    side?.disconnect()
    filler?.disconnect()
    await store?.close()
    await server?.stop()
  })

  it('/healthz says "writes refused" with the reason, a login answers 503 存储暂时不可用; memory freed, both recover', async () => {
    const app = appOver(store)
    await addStaff(store, 'zhang', 'hotline')
    await signedIn(app, 'zhang')
    expect(await healthOf(app)).toMatchObject({ status: 'ok' })

    // A little room above what is used now, then filled (in another database) until Redis refuses writes.
    const used = Number(/used_memory:(\d+)/.exec(await side.info('memory'))![1])
    await side.config('SET', 'maxmemory', String(used + 2 * 1024 * 1024))
    const chunk = 'x'.repeat(64 * 1024)
    await until('Redis to refuse writes', async () => {
      try {
        for (let i = 0; i < 16; i++) await filler.set(`filler:${Math.random()}`, chunk)
        return false
      } catch (err) {
        return /^OOM/.test((err as Error).message)
      }
    })
    // The refused write's own buffer is freed with it, leaving room for a small write or two: the limit goes a little
    // below what is used now, so Redis stays full whatever buffers come and go (the filler keeps it over).
    const full = Number(/used_memory:(\d+)/.exec(await side.info('memory'))![1])
    await side.config('SET', 'maxmemory', String(full - 256 * 1024))

    const login = await new ConsoleClient(app).login('zhang', 'correct-horse-battery')
    expect(login.status).toBe(503)
    expect(login.headers.get('retry-after')).toBe('5')
    expect(pageText(await login.text())).toContain('存储暂时不可用，请稍后再试。')

    // Every kind of write fails as StoreUnavailableError: a command, a MULTI (EXECABORT), a script.
    const zhang = (await store.staff.get('zhang'))!
    for (const write of [
      () => store.sessions.save({ userId: 'api:u-full' } as Session),
      () => store.reports.save(sampleReport('BS20261120-0099')),
      () => store.staff.replaceKeepingAdmin({ ...zhang, districts: ['南山区'] }),
    ]) {
      await expect(write()).rejects.toBeInstanceOf(StoreUnavailableError)
    }
    // The refusal behind an EXECABORT is the reason given.
    const aborted = await filler.multi().set('a', '1').exec().catch((e: Error) => e)
    expect(refusalOf(aborted)).toBe("OOM command not allowed when used memory > 'maxmemory'")

    const health = await healthOf(app)
    expect(health.status).toBe('degraded')
    expect(health.problems).toContainEqual(expect.stringMatching(/^writes refused: OOM command not allowed when used memory > 'maxmemory' \(last at /))

    await filler.flushdb()
    const again = await new ConsoleClient(app).login('zhang', 'correct-horse-battery')
    expect(again.status).toBe(303)
    expect(await healthOf(app)).toMatchObject({ status: 'ok' })
    expect((await healthOf(app)).problems).toBeUndefined()
  }, 30_000)
})

describe('the console while the store is unavailable', () => {
  it('answers 503 存储暂时不可用 for pages and store_unavailable for /console/api, not a generic 500', async () => {
    const store = createMemoryStore({ sessionTtlSeconds: 3600 })
    const app = appOver(store)
    await addStaff(store, 'zhang', 'hotline')
    const client = await signedIn(app, 'zhang')
    store.kv.get = () => Promise.reject(new StoreUnavailableError('store down'))

    const api = await client.get('/console/api/me')
    expect(api.status).toBe(503)
    expect(await api.json()).toEqual({ error: { code: 'store_unavailable', message: '存储暂时不可用，请稍后再试。' } })
    const page = await client.get('/console/lookup')
    expect(page.status).toBe(503)
    expect(pageText(await page.text())).toContain('存储暂时不可用，请稍后再试。')
  })
})
