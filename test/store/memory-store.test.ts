import { createMemoryStore } from '../../src/store/memory-store.js'
import { CONTRACT_HANDOFF_KEEP_CLOSED, CONTRACT_SESSION_TTL_SECONDS, fakeClock, handoffStoreContract, storeContract } from './contract.js'

storeContract('memory', async () => {
  const clock = fakeClock()
  const store = createMemoryStore({ sessionTtlSeconds: CONTRACT_SESSION_TTL_SECONDS, handoffKeepClosed: CONTRACT_HANDOFF_KEEP_CLOSED, now: clock.now })
  return { store, advance: clock.advance, cleanup: () => store.close() }
})

handoffStoreContract('memory', async () => {
  const clock = fakeClock()
  const store = createMemoryStore({ sessionTtlSeconds: CONTRACT_SESSION_TTL_SECONDS, handoffKeepClosed: CONTRACT_HANDOFF_KEEP_CLOSED, now: clock.now })
  return { store, advance: clock.advance, cleanup: () => store.close() }
})
