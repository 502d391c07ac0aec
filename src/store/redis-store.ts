/*
 * Redis store: keys and expiries. Every key starts with the prefix (default `tb:`), so several bots, or test
 * runs, can share one Redis database.
 *
 *   {prefix}session:{{userId}}          string  session JSON                   EX SESSION_TTL_SECONDS, renewed on every save
 *   {prefix}kv:{key}                    string  dedupe marks, cached replies, tokens    EX as given by the caller;
 *                                               compare-and-set/delete by script (setIfEquals, deleteIfEquals)
 *   {prefix}report:{id}                 string  loss report JSON                no expiry
 *   {prefix}submission:{key}            string  report id filed under a draft's submission key   no expiry
 *   {prefix}reports:user:{userId}       zset    report ids, score = createdAt   no expiry
 *   {prefix}reports:district:{district} zset    report ids, score = createdAt   no expiry
 *   {prefix}reports:all                 zset    report ids, score = createdAt   no expiry
 *   {prefix}seq:{YYYYMMDD}              counter the day's report numbers (INCR) EX 90 days, long after the day is over
 *   {prefix}store:identity              string  {id, createdAt[, wipedAt, floorDay, floor]}: written once; found gone
 *                                               means the store was wiped (redis-identity.ts)    no expiry
 *   {prefix}outbox:items                hash    id → outbox item JSON           no expiry
 *   {prefix}outbox:due                  zset    id, score = nextAttemptAt       no expiry
 *   {prefix}roster                      hash    credit code → roster entry JSON no expiry
 *   {prefix}roster:tmp:{uuid}           hash    roster being written, RENAMEd over {prefix}roster   EX 10 min if left over
 *   {prefix}lock:{key}                  string  holder's random token (runExclusive)    PX lockLeaseMs (2 s), renewed
 *   {prefix}lock:turn:{{userId}}        string  lock of one user's turn (turn())                PX lockLeaseMs (2 s), renewed
 *   {prefix}staff                       hash    username → staff account JSON   no expiry
 *   {prefix}audit                       list    audit entry JSON, oldest first (RPUSH)   no expiry, never trimmed
 *   {prefix}handoff:{id}                hash    v (version), s (status), json: a handoff to a person    no expiry
 *   {prefix}handoffs:open               zset    ids of handoffs not closed, score = createdAt   no expiry
 *   {prefix}handoffs:closed             zset    ids of closed handoffs, score = closedAt        trimmed to HANDOFF_KEEP_CLOSED
 *                                               on each close, the first closed deleted with their handoff:{id}
 *   {prefix}handoffs:owners             hash    owner → id of their handoff that is not closed   no expiry
 *   {prefix}unanswered                  hash    id → unanswered entry JSON (masked)   trimmed to UNANSWERED_KEEP
 *   {prefix}unanswered:at               zset    entry ids, score = at                 trimmed with it
 *
 * The user id sits in a hash tag ({…}) in the session and turn-lock keys so both land in one Cluster slot:
 * the turn scripts touch the two together. Keys with ill-formed UTF-16 are written as WTF-8 (redis-keys.ts).
 *
 * "No expiry" is the record (reports, accounts, audit, handoffs, outbox, roster): Redis must never evict it, so
 * maxmemory-policy must be noeviction (checked at start and every minute, redis-setup.ts). What is short-lived
 * (sessions, kv, locks, the roster's temp copy, day counters) always carries an expiry, so noeviction does not fill
 * up with it; the audit list only grows, and maxmemory is sized for it. Writes Redis refuses are kept for
 * problems() (redis-refusals.ts).
 */
import { randomUUID } from 'node:crypto'
import type { ChainableCommander, Redis } from 'ioredis'
import type { Session } from '../engine/types.js'
import type { Logger } from 'pino'
import { createIdentityWatch } from './redis-identity.js'
import { acquire, keepAlive, type LeaseOptions } from './redis-lease.js'
import { keyOf, redisKeys } from './redis-keys.js'
import { createWriteRefusals, type WriteRefusals } from './redis-refusals.js'
import type { RedisSetup } from './redis-setup.js'
import { withScripts } from './redis-scripts.js'
import {
  applyStatusChange,
  assertDay,
  HANDOFF_KEEP_CLOSED,
  parseReportNumber,
  reportNoticeItem,
  StoreUnavailableError,
  UNANSWERED_KEEP,
  type AuditEntry,
  type Handoff,
  type ChangeStatusResult,
  type CreatedReport,
  type LossReport,
  type NewReport,
  type OutboxItem,
  type RosterEntry,
  type StaffAccount,
  type StatusChange,
  type Store,
  type TurnResult,
  type UnansweredEntry,
} from './types.js'

export interface RedisStoreOptions {
  /** A client from createRedisClient (no offline queue), connected or connecting; close() quits it. */
  redis: Redis
  prefix?: string
  sessionTtlSeconds: number
  /** Length of a lock lease, renewed every third of it while the holder works: a dead holder frees the lock within this. */
  lockLeaseMs?: number
  /** How long a turn or runExclusive waits for a busy lock before giving up. */
  lockWaitMs?: number
  /** Clock for the lock wait deadline only; expiries are kept by Redis itself. */
  now?: () => number
  /** Closed handoffs kept (HANDOFF_KEEP_CLOSED, default 2000); older ones are deleted when another closes. */
  handoffKeepClosed?: number
  /** Told when the store is found wiped (redis-identity.ts). */
  logger?: Logger
  /** How often the store identity is checked (a wipe is noticed within this). */
  identityCheckMs?: number
  /** The settings check (redis-setup.ts, started by buildStore): its problems are the store's; close() stops it. */
  setup?: Pick<RedisSetup, 'problems' | 'stop'>
}

const SEQUENCE_TTL_SECONDS = 90 * 24 * 3600
const ROSTER_TMP_TTL_SECONDS = 600
const ROSTER_CHUNK = 500
const HEALTH_TIMEOUT_MS = 500
/** Compare-and-set rounds a status change tries before giving up (each lost round means another change landed). */
const STATUS_CAS_ROUNDS = 20

const ttl = (seconds: number) => Math.max(1, Math.ceil(seconds))

/**
 * Calls that always store something: one that goes through shows Redis takes writes again. Not reads or deletes (both
 * pass under OOM), nor scripts that may return before writing (a compare-and-set that found another value).
 */
const STORING = new Set([
  'sessions.save', 'reports.nextSequence', 'reports.save', 'outbox.add', 'kv.setIfAbsent', 'kv.set', 'staff.put', 'audit.append',
  'unanswered.add', 'lock', 'turn lock', 'turn save',
])

/**
 * Run a Redis call; any failure (refused, timed out, "Stream isn't writeable", bad reply) becomes StoreUnavailableError.
 * A refusal (OOM, READONLY, MISCONF, …) is remembered for problems(); a storing call that goes through clears it.
 */
async function attemptNoting<T>(refusals: WriteRefusals, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    const out = await fn()
    if (STORING.has(what)) refusals.wrote()
    return out
  } catch (err) {
    if (err instanceof StoreUnavailableError) throw err
    refusals.failed(err)
    throw new StoreUnavailableError(`redis ${what}: ${(err as Error).message}`, { cause: err })
  }
}

/** Results of a MULTI or pipeline; ioredis reports per-command errors inside the result instead of rejecting. */
async function exec(batch: ChainableCommander): Promise<unknown[]> {
  const results = await batch.exec()
  if (!results) throw new Error('transaction aborted')
  return results.map(([err, value]) => {
    if (err) throw err
    return value
  })
}

const parse = <T>(raw: (string | null)[]): T[] => raw.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as T)

/** Store on a shared Redis: what one instance writes, every instance sees; locks hold across instances. */
export function createRedisStore({
  redis,
  prefix = 'tb:',
  sessionTtlSeconds,
  lockLeaseMs = 2_000,
  lockWaitMs = 10_000,
  now = Date.now,
  handoffKeepClosed = HANDOFF_KEEP_CLOSED,
  logger,
  identityCheckMs = 10_000,
  setup,
}: RedisStoreOptions): Store {
  const refusals = createWriteRefusals()
  const attempt = <T>(what: string, fn: () => Promise<T>) => attemptNoting(refusals, what, fn)
  const r = withScripts(redis)
  const key = redisKeys(prefix)
  const lease: LeaseOptions = { redis: r, leaseMs: lockLeaseMs, waitMs: lockWaitMs, now }
  const identity = createIdentityWatch({ redis: r, identityKey: key.identity, seqPrefix: key.seqPrefix, seqTtlSeconds: SEQUENCE_TTL_SECONDS, logger, now })
  // Noticed within seconds even when nobody files a report (health, the notice to users who lost a conversation).
  const watching = setInterval(() => void identity.check().catch(() => undefined), identityCheckMs)
  watching.unref?.()
  if (redis.status === 'ready') void identity.check().catch(() => undefined)
  else redis.once('ready', () => void identity.check().catch(() => undefined))

  /** create() in one script; the JSON texts are split where the report number goes. */
  async function createReport(req: NewReport): Promise<CreatedReport> {
    assertDay(req.day)
    const mark = `#${randomUUID()}#`
    const split = (json: string, parts: number) => {
      const out = json.split(mark)
      if (out.length !== parts) throw new Error('report text contains the number placeholder') // cannot happen: random
      return out
    }
    const at = now()
    const [head, tail] = split(JSON.stringify({ ...req.report, id: mark, submission: req.submission }), 2)
    const notice = reportNoticeItem(mark, at)
    const [idHead, idTail] = split(notice.id, 2)
    const [nHead, nMid, nTail] = req.notify ? split(JSON.stringify(notice), 3) : ['', '', '']
    for (let round = 0; ; round++) {
      const [created, json] = await r.tbCreateReport(
        key.submission(req.submission), key.seq(req.day), key.byUser(req.report.userId), key.byDistrict(req.report.district), key.recent,
        key.outboxItems, key.outboxDue, key.identity,
        key.reportPrefix, `BS${req.day}-`, SEQUENCE_TTL_SECONDS, req.report.createdAt, head!, tail!, idHead!, idTail!, nHead!, nMid!, nTail!, at,
        await identity.id(),
      )
      if (created !== -2) {
        const report = JSON.parse(json) as LossReport
        const no = parseReportNumber(report.id)
        if (no) identity.issued(no.day, no.n)
        return { report, created: created === 1 }
      }
      // The store is not the one this instance knew (wiped): let the identity check move the numbering on, then file.
      if (round > 0) throw new Error('store identity keeps changing; report not filed')
      await identity.check()
    }
  }

  /**
   * Read, apply in JS, write only if the report is still what was read (a script compares the text): no Lua
   * re-encoding of the report's JSON (cjson would turn [] into {}), and no WATCH on a connection shared by
   * concurrent callers. A round lost to another change reads again.
   */
  async function changeStatus(id: string, change: StatusChange, expectUpdatedAt?: number, audit?: AuditEntry): Promise<ChangeStatusResult> {
    for (let round = 0; round < STATUS_CAS_ROUNDS; round++) {
      const raw = await redis.get(key.report(id))
      if (raw === null) return { kind: 'not_found' }
      const before = JSON.parse(raw) as LossReport
      if (expectUpdatedAt !== undefined && before.updatedAt !== expectUpdatedAt) return { kind: 'stale', report: before }
      const report = applyStatusChange(before, change)
      const written = await r.tbReplaceIf(key.report(id), key.audit, raw, JSON.stringify(report), audit ? JSON.stringify(audit) : '')
      if (written === 1) return { kind: 'changed', before: JSON.parse(raw) as LossReport, report }
    }
    throw new Error(`report ${id} kept changing; status change not written`)
  }

  async function handoffsAt(ids: string[]): Promise<Handoff[]> {
    if (!ids.length) return []
    const read = redis.pipeline()
    for (const id of ids) read.hget(key.handoff(id), 'json')
    return parse<Handoff>((await exec(read)) as (string | null)[])
  }

  async function reportsAt(ids: string[]): Promise<LossReport[]> {
    return ids.length ? parse<LossReport>(await redis.mget(ids.map(key.report))) : []
  }

  return {
    sessions: {
      get: (userId) => attempt('sessions.get', async () => {
        const raw = await redis.get(key.session(userId))
        return raw === null ? undefined : (JSON.parse(raw) as Session)
      }),
      save: (session) => attempt('sessions.save', async () => {
        await redis.set(key.session(session.userId), JSON.stringify(session), 'EX', ttl(sessionTtlSeconds))
      }),
      delete: (userId) => attempt('sessions.delete', async () => {
        await redis.del(key.session(userId))
      }),
    },
    reports: {
      nextSequence: (day) => attempt('reports.nextSequence', async () => {
        const [n] = await exec(redis.multi().incr(key.seq(day)).expire(key.seq(day), SEQUENCE_TTL_SECONDS))
        return Number(n)
      }),
      create: (req) => attempt('reports.create', () => createReport(req)),
      bySubmission: (submission) => attempt('reports.bySubmission', async () => {
        const id = await redis.get(key.submission(submission))
        return id === null ? undefined : parse<LossReport>([await redis.get(key.report(id))])[0]
      }),
      save: (report) => attempt('reports.save', async () => {
        // A re-saved report may have moved district (or user): drop it from the old indexes in the same MULTI.
        const old = await redis.get(key.report(report.id))
        const tx = redis.multi()
        if (old !== null) {
          const prev = JSON.parse(old) as LossReport
          tx.zrem(key.byUser(prev.userId), report.id).zrem(key.byDistrict(prev.district), report.id)
        }
        tx.set(key.report(report.id), JSON.stringify(report))
          .zadd(key.byUser(report.userId), report.createdAt, report.id)
          .zadd(key.byDistrict(report.district), report.createdAt, report.id)
          .zadd(key.recent, report.createdAt, report.id)
        await exec(tx)
      }),
      get: (id) => attempt('reports.get', async () => parse<LossReport>([await redis.get(key.report(id))])[0]),
      // Equal scores come back in reverse id order, the memory store's tie-break.
      listByUser: (userId) => attempt('reports.listByUser', async () => reportsAt(await redis.zrevrange(key.byUser(userId), 0, -1))),
      listByDistrict: (district) =>
        attempt('reports.listByDistrict', async () => reportsAt(await redis.zrevrange(key.byDistrict(district), 0, -1))),
      listRecent: (limit) =>
        attempt('reports.listRecent', async () => (limit > 0 ? reportsAt(await redis.zrevrange(key.recent, 0, limit - 1)) : [])),
      // The indexes' scores are createdAt, so a time range is one ZREVRANGEBYSCORE.
      listFiled: ({ from, to, district }) =>
        attempt('reports.listFiled', async () =>
          reportsAt(await redis.zrevrangebyscore(district === undefined ? key.recent : key.byDistrict(district), to ?? '+inf', from ?? '-inf')),
        ),
      changeStatus: (id, change, expectUpdatedAt, audit) => attempt('reports.changeStatus', () => changeStatus(id, change, expectUpdatedAt, audit)),
    },
    outbox: {
      add: (item) => attempt('outbox.add', async () => {
        await exec(redis.multi().hset(key.outboxItems, item.id, JSON.stringify(item)).zadd(key.outboxDue, item.nextAttemptAt, item.id))
      }),
      due: (t, limit) => attempt('outbox.due', async () => {
        if (limit <= 0) return []
        const ids = await redis.zrangebyscore(key.outboxDue, '-inf', t, 'LIMIT', 0, limit)
        return ids.length ? parse<OutboxItem>(await redis.hmget(key.outboxItems, ...ids)) : []
      }),
      update: (item) => attempt('outbox.update', async () => {
        await r.tbUpdateOutbox(key.outboxItems, key.outboxDue, item.id, JSON.stringify(item), item.nextAttemptAt)
      }),
      remove: (id) => attempt('outbox.remove', async () => {
        await exec(redis.multi().hdel(key.outboxItems, id).zrem(key.outboxDue, id))
      }),
      size: () => attempt('outbox.size', () => redis.hlen(key.outboxItems)),
    },
    roster: {
      replace: (entries) => attempt('roster.replace', async () => {
        const byCode = new Map(entries.map((e) => [e.creditCode, JSON.stringify(e)]))
        if (byCode.size === 0) {
          await redis.del(key.roster)
          return 0
        }
        // Written beside the live list and swapped in with RENAME, so readers see the old list or the new one,
        // never half of it; the temp key expires if this instance dies half-way.
        const tmp = key.rosterTmp(randomUUID())
        const fields = [...byCode]
        const write = redis.pipeline()
        // The expiry with every chunk: a connection lost half-way must not leave a temp copy without one.
        for (let i = 0; i < fields.length; i += ROSTER_CHUNK) write.hset(tmp, Object.fromEntries(fields.slice(i, i + ROSTER_CHUNK))).expire(tmp, ROSTER_TMP_TTL_SECONDS)
        await exec(write)
        await exec(redis.multi().rename(tmp, key.roster).persist(key.roster))
        return byCode.size
      }),
      getByCode: (code) => attempt('roster.getByCode', async () => parse<RosterEntry>([await redis.hget(key.roster, code)])[0]),
      all: () => attempt('roster.all', async () => parse<RosterEntry>(await redis.hvals(key.roster))),
      size: () => attempt('roster.size', () => redis.hlen(key.roster)),
    },
    kv: {
      setIfAbsent: (k, value, ttlSeconds) =>
        attempt('kv.setIfAbsent', async () => (await redis.set(key.kv(k), value, 'EX', ttl(ttlSeconds), 'NX')) === 'OK'),
      get: (k) => attempt('kv.get', async () => (await redis.get(key.kv(k))) ?? undefined),
      set: (k, value, ttlSeconds) => attempt('kv.set', async () => {
        await redis.set(key.kv(k), value, 'EX', ttl(ttlSeconds))
      }),
      delete: (k) => attempt('kv.delete', async () => {
        await redis.del(key.kv(k))
      }),
      // One script each: the compare and the write are one step on Redis, whichever instance calls.
      setIfEquals: (k, expected, value, ttlSeconds) =>
        attempt('kv.setIfEquals', async () => (await r.tbSetIfEquals(key.kv(k), expected, value, ttl(ttlSeconds))) === 1),
      deleteIfEquals: (k, expected) => attempt('kv.deleteIfEquals', async () => (await r.tbDeleteIfEquals(key.kv(k), expected)) === 1),
    },
    staff: {
      get: (username) => attempt('staff.get', async () => parse<StaffAccount>([await redis.hget(key.staff, username)])[0]),
      put: (account) => attempt('staff.put', async () => {
        await redis.hset(key.staff, account.username, JSON.stringify(account))
      }),
      remove: (username) => attempt('staff.remove', async () => (await redis.hdel(key.staff, username)) === 1),
      list: () =>
        attempt('staff.list', async () => parse<StaffAccount>(await redis.hvals(key.staff)).sort((a, b) => (a.username < b.username ? -1 : 1))),
      // One script each: the last-admin check and the write are one step on Redis, whichever instance calls.
      replaceKeepingAdmin: (account) =>
        attempt('staff.replaceKeepingAdmin', () => r.tbReplaceStaffKeepingAdmin(key.staff, account.username, JSON.stringify(account), account.role)),
      removeKeepingAdmin: (username) => attempt('staff.removeKeepingAdmin', () => r.tbRemoveStaffKeepingAdmin(key.staff, username)),
    },
    audit: {
      append: (entry) => attempt('audit.append', async () => {
        await redis.rpush(key.audit, JSON.stringify(entry))
      }),
      // Oldest first in the list: the newest `offset + limit` are its tail.
      list: (offset, limit) => attempt('audit.list', async () => {
        if (limit <= 0) return []
        const raw = await redis.lrange(key.audit, -(Math.max(0, offset) + limit), -(Math.max(0, offset) + 1))
        return parse<AuditEntry>(raw).reverse()
      }),
      size: () => attempt('audit.size', () => redis.llen(key.audit)),
    },
    handoffs: {
      open: (h) => attempt('handoffs.open', async () => {
        const json = JSON.stringify({ ...h, version: 1 })
        const [created, stored] = await r.tbOpenHandoff(
          key.handoff(h.id), key.handoffsOpen, key.handoffOwners,
          h.id, json, String(h.createdAt), keyOf(h.owner), key.handoffPrefix, h.status,
        )
        if (created === -1) throw new Error(`handoff ${h.id} exists`)
        return { handoff: JSON.parse(stored) as Handoff, created: created === 1 }
      }),
      get: (id) => attempt('handoffs.get', async () => parse<Handoff>([await redis.hget(key.handoff(id), 'json')])[0]),
      // The version is compared inside the script: of two staff members taking one handoff, exactly one writes.
      replace: (next, audit) => attempt('handoffs.replace', async () =>
        (await r.tbReplaceHandoff(
          key.handoff(next.id), key.handoffsOpen, key.handoffsClosed, key.handoffOwners, key.audit,
          next.id, String(next.version - 1), String(next.version), next.status, JSON.stringify(next), String(next.closedAt ?? next.updatedAt), keyOf(next.owner),
          String(handoffKeepClosed), key.handoffPrefix, audit ? JSON.stringify(audit) : '',
        )) === 1,
      ),
      listOpen: () => attempt('handoffs.listOpen', async () => handoffsAt(await redis.zrange(key.handoffsOpen, 0, -1))),
      listClosed: (limit, offset = 0) =>
        attempt('handoffs.listClosed', async () => {
          if (limit <= 0) return []
          const from = Math.max(0, offset)
          return handoffsAt(await redis.zrevrange(key.handoffsClosed, from, from + limit - 1))
        }),
      countClosed: () => attempt('handoffs.countClosed', () => redis.zcard(key.handoffsClosed)),
    },
    unanswered: {
      add: (entry) => attempt('unanswered.add', async () => {
        await r.tbAddUnanswered(key.unanswered, key.unansweredAt, entry.id, JSON.stringify(entry), entry.at, UNANSWERED_KEEP)
      }),
      recent: (limit) => attempt('unanswered.recent', async () => {
        if (limit <= 0) return []
        const ids = await redis.zrevrange(key.unansweredAt, 0, limit - 1)
        // In chunks: up to 5000 entries of up to 500 characters are megabytes of JSON; parsed at once they would
        // hold the event loop (and every other user's turn) for tens of milliseconds.
        const out: UnansweredEntry[] = []
        for (let i = 0; i < ids.length; i += 250) out.push(...parse<UnansweredEntry>(await redis.hmget(key.unanswered, ...ids.slice(i, i + 250))))
        return out
      }),
      // Entries never change otherwise: two staff members marking the same group write the same thing.
      markHandled: (ids, by, at) => attempt('unanswered.markHandled', async () => {
        if (!ids.length) return
        const found = parse<UnansweredEntry>(await redis.hmget(key.unanswered, ...ids))
        if (!found.length) return
        await redis.hset(key.unanswered, Object.fromEntries(found.map((e) => [e.id, JSON.stringify({ ...e, handledAt: at, handledBy: by })])))
      }),
    },
    /*
     * A lock per key (per user for turns), not WATCH/MULTI: a turn reads the session, runs async engine code
     * (retrieval, maybe a model call, a report number) and only then writes the session back. Optimistic
     * WATCH/MULTI would have to re-run the whole turn on conflict, sending the user's replies or notices twice;
     * the lock instead makes the second message from the same user wait its turn on any instance.
     */
    runExclusive: async function runExclusive<T>(k: string, fn: () => Promise<T>): Promise<T> {
      const lockKey = key.lock(k)
      const token = randomUUID()
      await acquire(lease, `lock ${k}`, async () =>
        (await attempt('lock', () => redis.set(lockKey, token, 'PX', lockLeaseMs, 'NX'))) === 'OK' ? true : undefined,
      )
      const stop = keepAlive(lease, lockKey, token)
      try {
        return await fn()
      } finally {
        stop()
        // If Redis went away meanwhile the lease just lapses; the outcome stands.
        await r.tbRelease(lockKey, token).catch(() => undefined)
      }
    },
    turn: async function turn<T>(userId: string, fn: (session: Session | undefined) => Promise<TurnResult<T>>): Promise<T> {
      const lockKey = key.turnLock(userId)
      const sessionKey = key.session(userId)
      const token = randomUUID()
      const raw = await acquire(lease, 'turn lock', async () => {
        const got = await attempt('turn lock', () => r.tbLockAndGet(lockKey, sessionKey, token, lockLeaseMs))
        return got[0] === 1 ? { json: got[1] ?? null } : undefined
      })
      const stop = keepAlive(lease, lockKey, token)
      let outcome: TurnResult<T>
      try {
        outcome = await fn(raw.json ? (JSON.parse(raw.json) as Session) : undefined)
      } catch (err) {
        stop()
        await r.tbRelease(lockKey, token).catch(() => undefined)
        throw err
      }
      stop()
      await attempt('turn save', () => r.tbSaveAndRelease(lockKey, sessionKey, token, JSON.stringify(outcome.session), ttl(sessionTtlSeconds)))
      return outcome.result
    },
    async health() {
      if (redis.status !== 'ready') return 'degraded'
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('ping timed out')), HEALTH_TIMEOUT_MS)
      })
      try {
        await Promise.race([redis.ping(), timeout])
        return 'ok'
      } catch {
        return 'degraded'
      } finally {
        clearTimeout(timer)
      }
    },
    /*
     * Redis' clock (TIME, one round trip): the one clock of times that instances compare (a handoff's pickup time).
     * No fallback to this instance's clock: a caller that cannot read it cannot read or write the records it would
     * compare it with either, so it fails the same way (StoreUnavailableError). TIME is not a write, so it answers
     * under CLIENT PAUSE WRITE.
     */
    clock: () =>
      attempt('clock', async () => {
        const [seconds, micros] = await redis.time()
        return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000)
      }),
    wipedAt: () => identity.wipedAt(),
    // The settings (an evicting policy, CONFIG refused), writes Redis refuses while it answers, a recent wipe.
    problems: async () => [...(setup?.problems() ?? []), ...refusals.problems(), ...identity.problems()],
    async close() {
      clearInterval(watching)
      setup?.stop()
      if (redis.status === 'ready') {
        try {
          await redis.quit()
          return
        } catch {
          // fall through: the connection is going anyway
        }
      }
      redis.disconnect()
    },
  }
}
