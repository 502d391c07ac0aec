import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createOutboxWorker, createWebhookSender } from '../src/notify/outbox-worker.js'
import { createMemoryStore } from '../src/store/memory-store.js'
import { reportNoticeItem } from '../src/store/types.js'
import { silentLogger } from './helpers/bot.js'
import { FULL_REPORT } from './helpers/claim.js'
import { sayTo, startServer, type RunningServer } from './helpers/server.js'
import { eventually } from './helpers/webhook-stub.js'

/** A webhook that takes `delayMs` to answer each delivery (200, errcode 0); records each delivery's idempotency key. */
async function slowWebhook(delayMs: number) {
  const keys: string[] = []
  let inFlight = 0
  const server: Server = createServer((req, res) => {
    inFlight++
    req.resume()
    req.on('end', () => {
      keys.push(String(req.headers['idempotency-key']))
      setTimeout(() => {
        inFlight--
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0}')
      }, delayMs)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const addr = server.address()
  return {
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hook`,
    keys,
    inFlight: () => inFlight,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

describe('outbox worker stop', () => {
  it('waits for the delivery under way, records it, and sends nothing after', async () => {
    const hook = await slowWebhook(300)
    const store = createMemoryStore({ sessionTtlSeconds: 60 })
    await store.outbox.add(reportNoticeItem('BS20261126-0001', 0))
    await store.outbox.add(reportNoticeItem('BS20261126-0002', 0))
    const worker = createOutboxWorker({ outbox: store.outbox, send: createWebhookSender(hook.url), logger: silentLogger, batch: 10 })
    const draining = worker.drain()
    await eventually(() => hook.inFlight() === 1)
    await worker.stop()
    expect(hook.keys).toEqual(['report-notice:BS20261126-0001'])
    expect((await store.outbox.due(Date.now(), 10)).map((i) => i.id)).toEqual(['report-notice:BS20261126-0002'])
    expect(await draining).toBe(1)
    expect(await worker.drain()).toBe(0)
    await hook.close()
  })
})

describe('SIGTERM while a notice is being delivered (file store)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tb-shutdown-'))
  const servers: RunningServer[] = []
  afterAll(async () => {
    for (const s of servers) await s.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('finishes the delivery before the store closes: no closed-store warnings, and the notice is not sent again after a restart', async () => {
    const hook = await slowWebhook(800)
    const env = { DATA_DIR: dataDir, REDIS_URL: '', NOTIFY_WEBHOOK_URL: hook.url, NOTIFY_RETRY_SECONDS: '1', LOG_LEVEL: 'info' }
    try {
      const first = await startServer(env)
      servers.push(first)
      for (const [answer, expected] of FULL_REPORT) expect(await sayTo(first, 'u-term', answer)).toContain(expected)
      const id = /BS\d{8}-\d{4}/.exec(await sayTo(first, 'u-term', '确认'))![0]
      await eventually(() => hook.inFlight() === 1)
      await first.stop()
      const logs = first.output()
      expect(logs).toContain('notice delivered')
      expect(logs).not.toContain('file store is closed')
      expect(logs).not.toContain('notice failed')

      const second = await startServer(env)
      servers.push(second)
      await new Promise((r) => setTimeout(r, 2_500)) // two retry ticks: a notice left in the outbox would go out again
      await second.stop()
      expect(hook.keys).toEqual([`report-notice:${id}`])
    } finally {
      await hook.close()
    }
  })
})
