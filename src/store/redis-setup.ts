import type { Redis } from 'ioredis'
import type { Logger } from 'pino'

/*
 * The Redis settings the store depends on. Redis holds the reports, the staff accounts, the audit log and the
 * handoffs: it is the system of record, not a cache. An evicting maxmemory-policy (allkeys-lru is the default of
 * many managed offers) drops them silently when memory runs short, so anything but noeviction refuses to start
 * unless REDIS_ALLOW_EVICTION=true. Read at start, at every reconnect and every minute: a policy changed at
 * runtime becomes a problem in /healthz (the instance keeps serving). Where CONFIG is forbidden (renamed, ACL),
 * the policy cannot be known: a warning and a problem, not a refusal.
 */

/** How often the settings are read again while connected. */
export const SETUP_CHECK_MS = 60_000

const RECORD = 'reports, staff accounts, the audit log and handoffs'

/** Redis may evict keys: the store refuses to start (REDIS_ALLOW_EVICTION unset). */
export class RedisSetupError extends Error {
  override name = 'RedisSetupError'
}

export interface RedisSetupOptions {
  /** The store's client (createRedisClient), connected or still connecting. */
  redis: Redis
  logger: Logger
  /** REDIS_ALLOW_EVICTION: an evicting policy is a warning and a problem instead of a refusal to start. */
  allowEviction: boolean
  /** How often the settings are read again (besides each reconnect). */
  intervalMs?: number
}

export interface RedisSetup {
  /** What is wrong with the settings as last read, for the store's problems() (empty: nothing). */
  problems(): string[]
  /** Read the settings now (also what the timer and each reconnect do). */
  check(): Promise<void>
  /** Stop the timer and the reconnect check (the store's close()). */
  stop(): void
}

type Reading = { policy: string; persistent: boolean } | { refused: string }

/** The value of one setting; undefined where CONFIG GET knows no such parameter (or a proxy hides it). */
async function configValue(redis: Redis, name: string): Promise<string | undefined> {
  const reply = (await redis.config('GET', name)) as unknown
  return Array.isArray(reply) && reply.length >= 2 ? String(reply[1]) : undefined
}

async function read(redis: Redis): Promise<Reading> {
  try {
    const [policy, appendonly, save] = await Promise.all([
      configValue(redis, 'maxmemory-policy'),
      configValue(redis, 'appendonly'),
      configValue(redis, 'save'),
    ])
    if (policy === undefined) return { refused: 'CONFIG GET maxmemory-policy answered nothing' }
    // Unknown persistence settings are taken as present: only "certainly none" is warned about.
    return { policy, persistent: !(appendonly === 'no' && save === '') }
  } catch (err) {
    // Redis answered with an error ("ERR unknown command 'CONFIG'", "NOPERM …"): the command is forbidden here.
    // Anything else (connection lost, timed out) is not an answer: the next check reads again.
    if ((err as Error).name === 'ReplyError') return { refused: (err as Error).message }
    throw err
  }
}

export function evictionRefusal(policy: string): string {
  return (
    `Redis maxmemory-policy is ${policy}, not noeviction: when Redis reaches maxmemory it deletes keys, and it holds the ` +
    `${RECORD} — they would be lost without a word. Set maxmemory-policy noeviction (redis.conf, or your provider's ` +
    `settings), or start with REDIS_ALLOW_EVICTION=true if this Redis can never reach its maxmemory.`
  )
}

/**
 * Read the settings once now (when connected) and keep reading them. Rejects with RedisSetupError when the policy
 * evicts and eviction is not allowed: the caller refuses to start. Not connected yet: the first read happens when
 * the client connects, and an evicting policy found then is a problem, not a crash.
 */
export async function watchRedisSetup({ redis, logger, allowEviction, intervalMs = SETUP_CHECK_MS }: RedisSetupOptions): Promise<RedisSetup> {
  let policyProblem: string | undefined
  let lastPolicy: string | undefined
  let refusedLogged = false
  let persistentLogged: boolean | undefined
  let inflight: Promise<void> | undefined
  let starting = true

  function take(reading: Reading): void {
    if ('refused' in reading) {
      policyProblem = 'maxmemory-policy unknown: CONFIG GET refused'
      if (!refusedLogged) {
        logger.warn(
          { err: reading.refused },
          `REDIS SETTINGS UNKNOWN: CONFIG GET is refused, so maxmemory-policy cannot be checked. Make sure it is noeviction: an evicting Redis loses ${RECORD} silently. /healthz says degraded until it can be read.`,
        )
        refusedLogged = true
      }
      lastPolicy = undefined
      return
    }
    refusedLogged = false
    const { policy, persistent } = reading
    if (policy === 'noeviction') {
      if (lastPolicy !== undefined && lastPolicy !== policy) logger.info({ maxmemoryPolicy: policy }, 'redis maxmemory-policy is noeviction again')
      policyProblem = undefined
    } else {
      if (starting && !allowEviction) throw new RedisSetupError(evictionRefusal(policy))
      policyProblem = `maxmemory-policy is ${policy}: Redis may evict ${RECORD}` + (allowEviction ? ' (allowed by REDIS_ALLOW_EVICTION)' : '; set noeviction')
      if (policy !== lastPolicy) {
        if (allowEviction) logger.warn({ maxmemoryPolicy: policy }, `REDIS MAY EVICT DATA (REDIS_ALLOW_EVICTION=true): ${evictionRefusal(policy)}`)
        else logger.error({ maxmemoryPolicy: policy }, `REDIS MAY EVICT DATA: maxmemory-policy changed to ${policy} while running. ${evictionRefusal(policy)}`)
      }
    }
    lastPolicy = policy
    if (!persistent && persistentLogged !== false) {
      logger.warn(
        'redis has no persistence (appendonly no, save ""): a restart of Redis wipes the reports, accounts, audit log and handoffs. Turn on AOF (appendonly yes, appendfsync everysec) or RDB snapshots (save).',
      )
    }
    persistentLogged = persistent
  }

  function check(): Promise<void> {
    inflight ??= read(redis)
      .then(take)
      .finally(() => (inflight = undefined))
    return inflight
  }

  const recheck = () => {
    if (redis.status !== 'ready') return // the reconnect reads them
    check().catch((err: Error) => logger.debug({ err: err.message }, 'redis settings not read; will try again'))
  }
  const onReady = () => recheck()

  if (redis.status === 'ready') {
    try {
      await check()
    } catch (err) {
      if (err instanceof RedisSetupError) throw err
      logger.warn({ err: (err as Error).message }, 'redis settings not read at start-up; will read them when connected')
    }
  }
  starting = false
  redis.on('ready', onReady)
  const timer = setInterval(recheck, intervalMs)
  timer.unref?.()

  return {
    problems: () => (policyProblem ? [policyProblem] : []),
    check,
    stop() {
      clearInterval(timer)
      redis.off('ready', onReady)
    },
  }
}
