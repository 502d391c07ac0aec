import type { Logger } from 'pino'
import type { Config } from '../config.js'
import { createFileStore } from './file-store.js'
import type { Store } from './types.js'

/** REDIS_URL set → the Redis store every instance shares; unset → the embedded file store in DATA_DIR. */
export async function buildStore(config: Config, logger: Logger): Promise<Store> {
  if (config.REDIS_URL) {
    // Loaded only when used: ioredis alone adds about 0.1 s to the embedded default's start-up.
    const { createRedisClient } = await import('./redis-client.js')
    const { createRedisStore } = await import('./redis-store.js')
    const redis = createRedisClient(config.REDIS_URL, logger)
    // Redis down at start-up is not fatal: the client keeps reconnecting, and meanwhile turns answer
    // "temporarily unavailable" and /healthz says degraded.
    await redis.connect().catch((err: Error) => logger.warn({ err: err.message }, 'redis unreachable at start-up; will keep trying'))
    logger.info({ store: 'redis' }, 'store ready')
    return createRedisStore({ redis, prefix: config.REDIS_KEY_PREFIX, sessionTtlSeconds: config.SESSION_TTL_SECONDS, handoffKeepClosed: config.HANDOFF_KEEP_CLOSED })
  }
  const store = await createFileStore({ dataDir: config.DATA_DIR, sessionTtlSeconds: config.SESSION_TTL_SECONDS, logger, handoffKeepClosed: config.HANDOFF_KEEP_CLOSED })
  logger.info({ store: 'file', dataDir: config.DATA_DIR }, 'store ready')
  return store
}
