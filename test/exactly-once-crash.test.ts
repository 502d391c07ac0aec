import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createFileStore } from '../src/store/file-store.js'
import { createRedisClient } from '../src/store/redis-client.js'
import { createRedisStore } from '../src/store/redis-store.js'
import type { LossReport, Store } from '../src/store/types.js'
import { silentLogger } from './helpers/bot.js'
import { FULL_REPORT } from './helpers/claim.js'
import { startNoticeReceiver } from './helpers/notice-receiver.js'
import { sayTo, startServer, type RunningServer } from './helpers/server.js'
import { eventually } from './helpers/webhook-stub.js'

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379/15'
/** When the server is killed after "确认" was sent: before it arrives, while it is filed, after. */
const KILL_AFTER_MS = [0, 2, 4, 6, 9, 12, 15]
const NUMBER = /BS\d{8}-\d{4}/g
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function killHard(server: RunningServer): Promise<void> {
  if (server.proc.exitCode !== null || server.proc.signalCode !== null) return
  const exited = new Promise((r) => server.proc.once('exit', r))
  server.proc.kill('SIGKILL')
  await exited
}

/**
 * Fill the form for one user per moment; send "确认" and kill -9 the server that many ms later; start it again and
 * confirm again. Then every user has exactly one report, and the managers got one notice per report (repeats of
 * a delivery carry the same idempotency key).
 */
async function crashDuringConfirm(env: Record<string, string>, openStore: () => Promise<Store>) {
  const receiver = await startNoticeReceiver()
  const servers: RunningServer[] = []
  const users = KILL_AFTER_MS.map((ms) => `crash-${ms}ms-${randomUUID().slice(0, 6)}`)
  try {
    const start = async () => {
      const s = await startServer({ ...env, NOTIFY_WEBHOOK_URL: receiver.url, NOTIFY_RETRY_SECONDS: '1', LOG_LEVEL: 'warn' })
      servers.push(s)
      return s
    }
    let server = await start()
    for (const [i, user] of users.entries()) {
      for (const [answer, expected] of FULL_REPORT) expect(await sayTo(server, user, answer), `${user}: ${answer}`).toContain(expected)
      const confirm = sayTo(server, user, '确认').catch(() => 'connection lost')
      await sleep(KILL_AFTER_MS[i]!)
      await killHard(server)
      await confirm
      server = await start()
      const again = await sayTo(server, user, '确认')
      expect(again, `${user} after the restart`).toMatch(/报损已受理，报案编号|您的报案已提交，编号/)
    }
    const numbers = new Map<string, string[]>()
    for (const user of users) numbers.set(user, [...new Set((await sayTo(server, user, '我的报案')).match(NUMBER))])
    for (const [user, ids] of numbers) expect(ids, user).toHaveLength(1)

    // Every notice is delivered; repeats (a kill between a delivery and its removal) carry the same key.
    const ids = [...numbers.values()].flat()
    await eventually(() => ids.every((id) => receiver.byKey().has(`report-notice:${id}`)), 15_000)
    await server.stop()
    expect([...receiver.byKey().keys()].sort()).toEqual(ids.map((id) => `report-notice:${id}`).sort())
    for (const r of receiver.received) expect(r.body.text?.content).toContain(r.key!.replace('report-notice:', ''))

    const store = await openStore()
    try {
      const reports: LossReport[] = await store.reports.listRecent(1000)
      for (const user of users) expect(reports.filter((r) => r.userId === `api:${user}`), user).toHaveLength(1)
      expect(await store.outbox.size()).toBe(0)
    } finally {
      await store.close()
    }
  } finally {
    for (const s of servers) await killHard(s)
    await receiver.close()
  }
}

describe('kill -9 while "确认" is being filed, then confirm again', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tb-crash-'))
  const prefix = `tbcrash:${randomUUID().slice(0, 8)}:`
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true })
    const redis = createRedisClient(REDIS_URL, silentLogger)
    await redis.connect()
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length) await redis.del(...keys)
    redis.disconnect()
  })

  it('files exactly one report and one notice per user with the file store', async () => {
    await crashDuringConfirm({ DATA_DIR: dataDir, REDIS_URL: '' }, () => createFileStore({ dataDir, sessionTtlSeconds: 3600 }))
  }, 180_000)

  it('files exactly one report and one notice per user with the Redis store', async () => {
    await crashDuringConfirm({ REDIS_URL, REDIS_KEY_PREFIX: prefix }, async () => {
      const redis = createRedisClient(REDIS_URL, silentLogger)
      await redis.connect()
      return createRedisStore({ redis, prefix, sessionTtlSeconds: 3600 })
    })
  }, 180_000)
})
