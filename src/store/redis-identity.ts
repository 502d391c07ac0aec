import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import type { ScriptedRedis } from './redis-scripts.js'
import { WIPE_NOTICE_MS, WIPE_PROBLEM_MS } from './types.js'

/**
 * The store's identity: a record written once into a new Redis store, {id, createdAt}, and remembered by every
 * instance that has seen it. When Redis loses its data (a restart without persistence, a FLUSHALL, a failover to
 * an empty replica), the record is gone with everything else: the first instance to notice writes a new one
 * marked wipedAt, and at the same time moves today's report sequence past every number that can have been issued
 * today (see IDENTITY in redis-scripts.ts), so no report number is handed out twice.
 */
export interface StoreIdentity {
  id: string
  createdAt: number
  /** Set when this identity replaced one that vanished: when the store was found wiped. */
  wipedAt?: number
  /** YYYYMMDD (China time) of the wipe, and the sequence today's numbers continue after. */
  floorDay?: string
  floor?: number
}


export interface IdentityOptions {
  redis: ScriptedRedis
  identityKey: string
  seqPrefix: string
  seqTtlSeconds: number
  logger?: Logger
  now?: () => number
}

/** One instance's view of the store identity: checked at start, every few seconds, and by each report filing. */
export function createIdentityWatch({ redis, identityKey, seqPrefix, seqTtlSeconds, logger, now = Date.now }: IdentityOptions) {
  let known: StoreIdentity | undefined
  let inflight: Promise<StoreIdentity> | undefined
  // The highest report number this instance issued, and its day: after a wipe, numbering goes on past it too.
  let highest = { day: '', n: 0 }

  async function check(): Promise<StoreIdentity> {
    const [outcome, json] = await redis.tbIdentity(identityKey, known?.id ?? '', randomUUID(), seqPrefix, seqTtlSeconds, highest.day, highest.n)
    const seen = JSON.parse(json) as StoreIdentity
    if (outcome === 'wiped' || (outcome === 'replaced' && seen.wipedAt !== undefined)) {
      // Loud and once per new identity: an operator must look (README: 存储 / Redis 数据丢失之后).
      if (seen.id !== known?.id) {
        logger?.error(
          { wipedAt: new Date(seen.wipedAt ?? seen.createdAt).toISOString(), floorDay: seen.floorDay, floor: seen.floor },
          'redis store was wiped: reports, accounts, handoffs and sessions written before are gone; report numbers continue past every number issued today',
        )
      }
    } else if (outcome === 'replaced') {
      logger?.error({ was: known?.id, now: seen.id }, 'redis store identity changed: this instance now writes to a different store')
    }
    known = seen
    return seen
  }

  return {
    /** The identity as it is now in Redis (created for a new store); concurrent callers share one check. */
    check(): Promise<StoreIdentity> {
      inflight ??= check().finally(() => (inflight = undefined))
      return inflight
    },
    /** The id this instance knows, checking first if it knows none yet. */
    async id(): Promise<string> {
      return (known ?? (await this.check())).id
    },
    /** A report number this instance issued (BSyyyymmdd-n). */
    issued(day: string, n: number): void {
      if (day > highest.day || (day === highest.day && n > highest.n)) highest = { day, n }
    },
    /** What /healthz says about the identity: a recent wipe. */
    problems(): string[] {
      const w = known?.wipedAt
      if (w === undefined || now() - w > WIPE_PROBLEM_MS) return []
      return [`store wiped: found empty at ${new Date(w).toISOString()}; data written before is lost; report numbers on ${known!.floorDay} continue after ${known!.floor}`]
    },
    /** When the store was last found wiped, if recently enough that users who lost their conversation should be told. */
    wipedAt(): number | undefined {
      const w = known?.wipedAt
      return w !== undefined && now() - w <= WIPE_NOTICE_MS ? w : undefined
    },
  }
}

export type IdentityWatch = ReturnType<typeof createIdentityWatch>
