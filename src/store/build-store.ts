import type { Logger } from 'pino'
import type { Config } from '../config.js'
import { createFileStore } from './file-store.js'
import type { Store } from './types.js'

export interface BuildStoreOptions {
  /** How often the Redis settings (maxmemory-policy, persistence) are read again; default a minute. */
  redisSetupCheckMs?: number
}

/**
 * REDIS_URL set → the Redis store every instance shares; unset → the embedded file store in DATA_DIR.
 * Rejects (and the process does not start) when Redis may evict keys and REDIS_ALLOW_EVICTION is not set.
 */
export async function buildStore(config: Config, logger: Logger, options: BuildStoreOptions = {}): Promise<Store> {
  if (config.REDIS_URL) {
    // Loaded only when used: ioredis alone adds about 0.1 s to the embedded default's start-up.
    const { createRedisClient } = await import('./redis-client.js')
    const { createRedisStore } = await import('./redis-store.js')
    const { watchRedisSetup } = await import('./redis-setup.js')
    const redis = createRedisClient(config.REDIS_URL, logger)
    // Redis down at start-up is not fatal: the client keeps reconnecting, and meanwhile turns answer
    // "temporarily unavailable" and /healthz says degraded. Its settings are read when it connects.
    await redis.connect().catch((err: Error) => logger.warn({ err: err.message }, 'redis unreachable at start-up; will keep trying'))
    const setup = await watchRedisSetup({ redis, logger, allowEviction: config.REDIS_ALLOW_EVICTION, intervalMs: options.redisSetupCheckMs }).catch(
      (err: Error) => {
        redis.disconnect()
        throw err
      },
    )
    logger.info({ store: 'redis' }, 'store ready')
    return createRedisStore({ redis, prefix: config.REDIS_KEY_PREFIX, sessionTtlSeconds: config.SESSION_TTL_SECONDS, handoffKeepClosed: config.HANDOFF_KEEP_CLOSED, logger, setup })
  }
  const store = await createFileStore({ dataDir: config.DATA_DIR, sessionTtlSeconds: config.SESSION_TTL_SECONDS, logger, handoffKeepClosed: config.HANDOFF_KEEP_CLOSED })
  logger.info({ store: 'file', dataDir: config.DATA_DIR }, 'store ready')
  return store
}
