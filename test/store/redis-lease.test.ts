import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import type { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { newSession } from '../../src/engine/types.js'
import { createRedisClient } from '../../src/store/redis-client.js'
import { createRedisStore } from '../../src/store/redis-store.js'
import { runTurn, StoreUnavailableError } from '../../src/store/types.js'
import { silentLogger } from '../helpers/bot.js'

const url = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379/15'
const prefix = `tblease:${randomUUID().slice(0, 8)}:`
const clients: Redis[] = []

async function connect(): Promise<Redis> {
  const redis = createRedisClient(url, silentLogger)
  await redis.connect()
  clients.push(redis)
  return redis
}

afterAll(async () => {
  const redis = await connect()
  const keys = await redis.keys(`${prefix}*`)
  if (keys.length) await redis.del(...keys)
  for (const c of clients) c.disconnect()
})

describe('turn locks on Redis are short leases, renewed while the turn runs', () => {
  it('a live holder keeps the user for as long as its turn takes, many leases long', async () => {
    const a = createRedisStore({ redis: await connect(), prefix, sessionTtlSeconds: 60, lockLeaseMs: 300 })
    const b = createRedisStore({ redis: await connect(), prefix, sessionTtlSeconds: 60, lockLeaseMs: 300, lockWaitMs: 200 })
    let release!: () => void
    let entered!: () => void
    const inside = new Promise<void>((r) => (entered = r))
    const held = runTurn(a, 'u-live', async (s) => {
      entered()
      await new Promise<void>((r) => (release = r))
      return { session: s ?? newSession('u-live', 1), result: 'a' }
    })
    await inside
    await new Promise((r) => setTimeout(r, 1_000)) // more than three leases
    await expect(runTurn(b, 'u-live', async (s) => ({ session: s ?? newSession('u-live', 2), result: 'b' }))).rejects.toBeInstanceOf(StoreUnavailableError)
    release()
    expect(await held).toBe('a')
    expect(await runTurn(b, 'u-live', async (s) => ({ session: s!, result: s!.createdAt }))).toBe(1)
  })

  it('a holder killed mid-turn frees the user within one lease (2 s), not after a long fixed expiry', async () => {
    const module = resolve('src/store/redis-store.ts')
    const client = resolve('src/store/redis-client.ts')
    const code = `
      import { createRedisStore } from ${JSON.stringify(module)}
      import { createRedisClient } from ${JSON.stringify(client)}
      import { pino } from 'pino'
      const redis = createRedisClient(${JSON.stringify(url)}, pino({ level: 'silent' }))
      await redis.connect()
      const store = createRedisStore({ redis, prefix: ${JSON.stringify(prefix)}, sessionTtlSeconds: 60 })
      store.turn('u-dead', async () => { console.log('holding'); await new Promise(() => {}) })
    `
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    await new Promise<void>((done, fail) => {
      child.stdout.on('data', (d) => (out += d) && out.includes('holding') && done())
      child.stderr.on('data', (d) => (out += d))
      child.on('exit', () => fail(new Error(`child exited early: ${out}`)))
    })
    const redis = await connect()
    const lockKey = `${prefix}lock:turn:{u-dead}`
    await new Promise((r) => setTimeout(r, 2_500)) // renewed past its first lease while alive
    expect(await redis.get(lockKey)).not.toBeNull()
    const exited = new Promise((r) => child.on('exit', r))
    child.kill('SIGKILL')
    await exited
    const left = await redis.pttl(lockKey)
    expect(left).toBeGreaterThan(0)
    expect(left).toBeLessThanOrEqual(2_000)
    const store = createRedisStore({ redis, prefix, sessionTtlSeconds: 60 })
    expect(await runTurn(store, 'u-dead', async (s) => ({ session: s ?? newSession('u-dead', 3), result: 'free again' }))).toBe('free again')
  })
})
