import { env } from 'cloudflare:workers'
import type { DurableObjectNamespace } from '@cloudflare/workers-types/index.js'
import { createDurableStore } from '../src/store/durable/durable-store.js'
import { CONTRACT_HANDOFF_KEEP_CLOSED, CONTRACT_SESSION_TTL_SECONDS, handoffStoreContract, storeContract } from './store/contract.js'

const ns = (name: string) => env[name] as DurableObjectNamespace
let n = 0

// Inside workerd, against real Durable Objects (SQLite-backed, as wrangler.toml declares them). Each store gets
// its own objects (a tenant prefix), so every test starts empty. No injectable clock: time really passes, as on Redis.
function makeStore() {
  const store = createDurableStore({
    users: ns('USERS'),
    shared: ns('SHARED'),
    ledger: ns('LEDGER'),
    sessionTtlSeconds: CONTRACT_SESSION_TTL_SECONDS,
    handoffKeepClosed: CONTRACT_HANDOFF_KEEP_CLOSED,
    tenant: `contract-${Date.now()}-${n++}:`,
  })
  return Promise.resolve({ store, cleanup: () => store.close() })
}

storeContract('durable object', makeStore)
handoffStoreContract('durable object', makeStore)
