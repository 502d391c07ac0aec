import { createExecutionContext, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import type { DurableObjectNamespace, DurableObjectStub } from '@cloudflare/workers-types/index.js'
import { describe, expect, inject, it } from 'vitest'
import { createWorkerHandler, type WorkerEnv } from '../src/worker/build.js'
import { FULL_REPORT } from './helpers/claim.js'

// Report notices on Workers: the ledger object queues the notice with the report and delivers it from its alarm,
// retrying with back-off. This project's Durable Objects have NOTIFY_WEBHOOK_URL (a loopback stub started in Node
// that refuses the first delivery of each notice) and NOTIFY_RETRY_SECONDS = 1.

/** Wait (at most 15 s) until the check holds: for work the runtime does on its own, like an alarm. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 15_000
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('report notices from the ledger’s alarm', () => {
  it('delivers the notice, retries a refused delivery a second later, and empties the outbox once it went through', async () => {
    const tenant = `notify-${Date.now()}:`
    const handler = await createWorkerHandler(env as WorkerEnv, { tenant })
    const say = async (text: string) => {
      const res = await handler(new Request('http://worker.test/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'notified', text }) }), createExecutionContext())
      return ((await res.json()) as { replies: Array<{ text: string }> }).replies.map((r) => r.text).join('\n')
    }
    for (const [answer, nextQuestion] of FULL_REPORT) expect(await say(answer)).toContain(nextQuestion)
    const confirmed = await say('确认')
    expect(confirmed).toContain('已通知')
    const id = /BS\d{8}-\d{4}/.exec(confirmed)![0]
    const key = `report-notice:${id}`
    const received = async () => (await (await fetch(`${inject('webhookReceivedUrl')}?key=${key}`)).json()) as Array<{ status: number; body: unknown }>

    // First attempt refused: the item records it, and the alarm is set for the next attempt a second later.
    const ns = env.LEDGER as DurableObjectNamespace
    const ledger = ns.get(ns.idFromName(`${tenant}ledger`)) as DurableObjectStub
    const alarm = () => runInDurableObject(ledger, (_instance, state) => state.storage.getAlarm())
    const waiting = async () => (await handler.store.outbox.due(Number.MAX_SAFE_INTEGER, 10))[0]
    await until(async () => ((await waiting())?.attempts ?? 0) >= 1 && (await alarm()) !== null)
    const item = (await waiting())!
    expect(item).toMatchObject({ id: key, attempts: 1, lastError: 'webhook answered 500' })
    expect(await alarm()).toBe(item.nextAttemptAt)
    expect(item.nextAttemptAt - item.createdAt).toBeGreaterThanOrEqual(1000)

    // The retry goes through; the notice leaves the outbox and the alarm has nothing more to do.
    await until(async () => (await handler.store.outbox.size()) === 0)
    const deliveries = await received()
    expect(deliveries.map((d) => d.status)).toEqual([500, 200])
    expect(JSON.stringify(deliveries[1]!.body)).toContain(id)
    expect(JSON.stringify(deliveries[1]!.body)).not.toContain('13812345678')
    expect(await runInDurableObject(ledger, (_instance, state) => state.storage.getAlarm())).toBeNull()
  })
})
