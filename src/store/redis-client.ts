import { Redis } from 'ioredis'
import type { Logger } from 'pino'

/**
 * Build the one ioredis client of the process. It does not connect until `connect()` is called (buildStore does).
 * While Redis is down, commands fail at once instead of queueing, so a turn answers "temporarily unavailable"
 * within a second instead of hanging; the client keeps reconnecting in the background for as long as it lives.
 */
export function createRedisClient(url: string, logger: Logger): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    commandTimeout: 1500,
    // Never give up: 100 ms, 200 ms, … capped at 2 s, with jitter so many instances don't reconnect in step.
    retryStrategy: function reconnectDelay(times) {
      return Math.min(100 * 2 ** Math.min(times - 1, 5), 2000) + Math.floor(Math.random() * 100)
    },
  })

  // One warning per outage, not one per reconnect attempt; an 'error' listener also keeps ioredis from
  // reporting the error as unhandled.
  let down = false
  client.on('error', function onRedisError(err: Error) {
    if (down) logger.debug({ err: err.message }, 'redis still unreachable')
    else logger.warn({ err: err.message }, 'redis error; reconnecting')
    down = true
  })
  client.on('ready', function onRedisReady() {
    if (down) logger.info('redis reachable again')
    down = false
  })
  return client
}
