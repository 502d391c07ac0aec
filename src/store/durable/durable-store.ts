import type { DurableObjectNamespace } from '@cloudflare/workers-types/index.js'
import type { Session } from '../../engine/types.js'
import {
  assertDay,
  HANDOFF_KEEP_CLOSED,
  StoreUnavailableError,
  type AuditEntry,
  type ChangeStatusResult,
  type CreatedReport,
  type Handoff,
  type HandoffOpened,
  type LossReport,
  type OutboxItem,
  type RosterEntry,
  type StaffAccount,
  type Store,
  type TurnResult,
  type UnansweredEntry,
} from '../types.js'
import type { KeyedApi, LedgerApi } from './api.js'
import { escapeKey, kvHome, lockHome, type Home } from './keys.js'

export interface DurableStoreOptions {
  /** One object per user (idFromName of the owner key): session, that user's kv keys, the turn lock. */
  users: DurableObjectNamespace
  /** The other kv keys and locks, spread over a few objects by key. */
  shared: DurableObjectNamespace
  /** The single ledger: reports, numbers, outbox, roster. */
  ledger: DurableObjectNamespace
  sessionTtlSeconds: number
  /** Prefix of every object name; tests give each store its own objects this way. */
  tenant?: string
  /** Closed handoffs kept (HANDOFF_KEEP_CLOSED, default 2000); older ones are deleted when another closes. */
  handoffKeepClosed?: number
}

/**
 * The Store over Durable Objects (Cloudflare Workers). KV is not used: it is eventually consistent and has no
 * put-if-absent. Stubs are made per call: a stub belongs to the request that made it, the store outlives requests.
 * A failure of the objects themselves (overloaded, reset, unreachable) is a StoreUnavailableError, as in the others.
 */
export function createDurableStore({ users, shared, ledger, sessionTtlSeconds, tenant = '', handoffKeepClosed = HANDOFF_KEEP_CLOSED }: DurableStoreOptions): Store {
  const keyed = (home: Home): KeyedApi => {
    const [ns, name] = home.kind === 'user' ? [users, `${tenant}${escapeKey(home.owner)}`] : [shared, `${tenant}${home.shard}`]
    return ns.get(ns.idFromName(name)) as unknown as KeyedApi
  }
  const userObject = (owner: string) => keyed({ kind: 'user', owner })
  const theLedger = () => ledger.get(ledger.idFromName(`${tenant}ledger`)) as unknown as LedgerApi

  async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (err) {
      throw new StoreUnavailableError(`durable object ${what}: ${(err as Error).message}`)
    }
  }
  const json = <T>(raw: string): T => JSON.parse(raw) as T
  const maybe = <T>(raw: string | undefined): T | undefined => (raw === undefined ? undefined : (JSON.parse(raw) as T))

  /**
   * Run `work` inside the callback an object holds under a lock. Its result and its own error stay here (an error
   * is not thrown across RPC: the callback answers `undefined`, which the object takes as "save nothing"); only a
   * failure of the object itself becomes StoreUnavailableError.
   */
  async function hold<A extends unknown[], R, T>(
    what: string,
    enter: (held: (...args: A) => Promise<R | undefined>) => Promise<void>,
    work: (...args: A) => Promise<{ give: R; keep: T }>,
  ): Promise<T> {
    let out: { ok: true; value: T } | { ok: false; error: unknown } | undefined
    try {
      await enter(async (...args) => {
        try {
          const { give, keep } = await work(...args)
          out = { ok: true, value: keep }
          return give
        } catch (error) {
          out = { ok: false, error }
          return undefined
        }
      })
    } catch (err) {
      // The object failed: before the work ran, or after it (a turn whose session was not saved).
      throw new StoreUnavailableError(`durable object ${what}: ${(err as Error).message}`)
    }
    if (!out) throw new StoreUnavailableError(`durable object ${what}: the lock never ran the work`)
    if (!out.ok) throw out.error
    return out.value
  }

  return {
    sessions: {
      get: (userId) => call('session get', async () => maybe<Session>(await userObject(userId).getSession(escapeKey(userId)))),
      save: (session) => call('session save', () => userObject(session.userId).saveSession(escapeKey(session.userId), JSON.stringify(session), sessionTtlSeconds)),
      delete: (userId) => call('session delete', () => userObject(userId).deleteSession(escapeKey(userId))),
    },
    reports: {
      nextSequence: (day) => {
        assertDay(day)
        return call('sequence', () => theLedger().nextSequence(day))
      },
      create: async (req) => {
        assertDay(req.day)
        return json<CreatedReport>(await call('report create', () => theLedger().create(JSON.stringify(req))))
      },
      bySubmission: async (key) => maybe<LossReport>(await call('report lookup', () => theLedger().bySubmission(key))),
      save: (report) => call('report save', () => theLedger().save(JSON.stringify(report))),
      get: async (id) => maybe<LossReport>(await call('report get', () => theLedger().get(id))),
      listByUser: async (userId) => json<LossReport[]>(await call('report list', () => theLedger().listByUser(userId))),
      listByDistrict: async (district) => json<LossReport[]>(await call('report list', () => theLedger().listByDistrict(district))),
      listRecent: async (limit) => json<LossReport[]>(await call('report list', () => theLedger().listRecent(limit))),
      listFiled: async (query) => json<LossReport[]>(await call('report list', () => theLedger().listFiled(JSON.stringify(query)))),
      changeStatus: async (id, change, expectUpdatedAt, audit) =>
        json<ChangeStatusResult>(await call('report status', () => theLedger().changeStatus(id, JSON.stringify(change), expectUpdatedAt, audit && JSON.stringify(audit)))),
    },
    outbox: {
      add: (item) => call('outbox add', () => theLedger().outboxAdd(JSON.stringify(item))),
      due: async (now, limit) => json<OutboxItem[]>(await call('outbox due', () => theLedger().outboxDue(now, limit))),
      update: (item) => call('outbox update', () => theLedger().outboxUpdate(JSON.stringify(item))),
      remove: (id) => call('outbox remove', () => theLedger().outboxRemove(id)),
      size: () => call('outbox size', () => theLedger().outboxSize()),
    },
    roster: {
      replace: (entries) => call('roster replace', () => theLedger().rosterReplace(JSON.stringify(entries))),
      getByCode: async (code) => maybe<RosterEntry>(await call('roster get', () => theLedger().rosterGet(code))),
      all: async () => json<RosterEntry[]>(await call('roster all', () => theLedger().rosterAll())),
      size: () => call('roster size', () => theLedger().rosterSize()),
    },
    staff: {
      get: async (username) => maybe<StaffAccount>(await call('staff get', () => theLedger().staffGet(username))),
      put: (account) => call('staff put', () => theLedger().staffPut(JSON.stringify(account))),
      remove: (username) => call('staff remove', () => theLedger().staffRemove(username)),
      list: async () => json<StaffAccount[]>(await call('staff list', () => theLedger().staffList())),
      // Checked and written inside the ledger object, in one synchronous step.
      replaceKeepingAdmin: (account) => call('staff replace', () => theLedger().staffReplaceKeepingAdmin(JSON.stringify(account))),
      removeKeepingAdmin: (username) => call('staff remove', () => theLedger().staffRemoveKeepingAdmin(username)),
    },
    audit: {
      append: (entry) => call('audit append', () => theLedger().auditAppend(JSON.stringify(entry))),
      list: async (offset, limit) => json<AuditEntry[]>(await call('audit list', () => theLedger().auditList(offset, limit))),
      size: () => call('audit size', () => theLedger().auditSize()),
    },
    handoffs: {
      open: async (handoff) => json<HandoffOpened>(await call('handoff open', () => theLedger().handoffOpen(JSON.stringify(handoff)))),
      get: async (id) => maybe<Handoff>(await call('handoff get', () => theLedger().handoffGet(id))),
      replace: (next, audit) => call('handoff replace', () => theLedger().handoffReplace(JSON.stringify(next), handoffKeepClosed, audit && JSON.stringify(audit))),
      listOpen: async () => json<Handoff[]>(await call('handoff list', () => theLedger().handoffsOpen())),
      listClosed: async (limit, offset = 0) => json<Handoff[]>(await call('handoff list', () => theLedger().handoffsClosed(limit, offset))),
      countClosed: () => call('handoff count', () => theLedger().handoffsClosedCount()),
    },
    unanswered: {
      add: (entry) => call('unanswered add', () => theLedger().unansweredAdd(JSON.stringify(entry))),
      // In pages of 250: all 5000 long entries in one message would be megabytes parsed in one go.
      recent: async (limit) => {
        const out = new Map<string, UnansweredEntry>()
        for (let offset = 0; offset < limit; offset += 250) {
          const page = json<UnansweredEntry[]>(await call('unanswered list', () => theLedger().unansweredRecent(Math.min(250, limit - offset), offset)))
          // An entry logged meanwhile shifts the pages by one: the one at the seam is read twice, once kept.
          for (const e of page) if (!out.has(e.id)) out.set(e.id, e)
          if (page.length < 250) break
        }
        return [...out.values()].slice(0, limit)
      },
      markHandled: (ids, by, at) => call('unanswered mark', () => theLedger().unansweredMarkHandled(JSON.stringify(ids), by, at)),
    },
    kv: {
      setIfAbsent: (key, value, ttl) => call('kv', () => keyed(kvHome(key)).setIfAbsent(escapeKey(key), JSON.stringify(value), ttl)),
      get: async (key) => maybe<string>(await call('kv', () => keyed(kvHome(key)).get(escapeKey(key)))),
      set: (key, value, ttl) => call('kv', () => keyed(kvHome(key)).set(escapeKey(key), JSON.stringify(value), ttl)),
      delete: (key) => call('kv', () => keyed(kvHome(key)).delete(escapeKey(key))),
      // Routed like setIfAbsent (a user's keys to their object, the rest to a shard), compared inside that object.
      setIfEquals: (key, expected, value, ttl) =>
        call('kv', () => keyed(kvHome(key)).setIfEquals(escapeKey(key), JSON.stringify(expected), JSON.stringify(value), ttl)),
      deleteIfEquals: (key, expected) => call('kv', () => keyed(kvHome(key)).deleteIfEquals(escapeKey(key), JSON.stringify(expected))),
    },
    runExclusive: (key, fn) =>
      hold(
        'lock',
        (held: () => Promise<undefined>) => keyed(lockHome(key)).exclusive(escapeKey(key), held),
        async () => ({ give: undefined, keep: await fn() }),
      ),
    // One round trip: the user's object reads the session under the user's lock, calls back with it, and saves
    // the session the turn returns.
    turn: <T>(userId: string, fn: (session: Session | undefined) => Promise<TurnResult<T>>) =>
      hold(
        'turn',
        (held: (raw: string | undefined) => Promise<string | undefined>) => userObject(userId).turn(escapeKey(userId), sessionTtlSeconds, held),
        async (raw: string | undefined) => {
          const { session, result } = await fn(maybe<Session>(raw))
          return { give: JSON.stringify(session), keep: result }
        },
      ),
    async health() {
      try {
        await theLedger().ping()
        return 'ok'
      } catch {
        return 'degraded'
      }
    },
    // No clock(): Date.now() on Workers is Cloudflare's clock, kept in step across its machines, so the times that
    // isolates and the Durable Objects compare (a handoff's pickup deadline) are already read from one clock.
    async close() {},
  }
}
