import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { Handoff } from '../src/store/types.js'
import { createWorkerHandler, type WorkerEnv } from '../src/worker/build.js'

// HANDOFF_KEEP_CLOSED on Workers: parsed from the bindings like every setting, and passed to the Durable Object
// store, which deletes the first closed beyond it in the ledger object's step that closes another (as on Node).

const handoff = (n: number): Handoff => ({
  id: n.toString(16).padStart(12, '0'),
  owner: `api:firm-${n}`,
  channel: 'api',
  userId: `firm-${n}`,
  status: 'waiting',
  version: 1,
  createdAt: 1_000 + n,
  updatedAt: 1_000 + n,
  reason: 'asked',
  messages: [{ at: 1_000 + n, from: 'user', text: '转人工' }],
  facts: {},
})

describe('HANDOFF_KEEP_CLOSED on Workers', () => {
  it('reaches the Durable Object store: closing one more than it deletes the first closed, and no open one', async () => {
    const handler = await createWorkerHandler({ ...(env as WorkerEnv), HANDOFF_KEEP_CLOSED: '10' }, { tenant: `retention-${Date.now()}:` })
    const handoffs = handler.store.handoffs
    for (let n = 1; n <= 3; n++) await handoffs.open(handoff(n))
    for (let n = 100; n <= 110; n++) {
      await handoffs.open(handoff(n))
      expect(await handoffs.replace({ ...handoff(n), version: 2, status: 'closed', closedAt: 5_000 + n, closedBy: 'user', updatedAt: 5_000 + n })).toBe(true)
    }
    expect(await handoffs.get(handoff(100).id)).toBeUndefined()
    expect(await handoffs.get(handoff(101).id)).toBeDefined()
    expect(await handoffs.countClosed()).toBe(10)
    expect((await handoffs.listOpen()).map((h) => h.id)).toEqual([1, 2, 3].map((n) => handoff(n).id))
  })
})
