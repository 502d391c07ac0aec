import type { Session } from '../engine/types.js'

/** A firm on the commerce bureau's published list (统保企业名单). */
export interface RosterEntry {
  name: string
  /** 统一社会信用代码, upper-case, 18 characters. */
  creditCode: string
}

/** A confirmed loss report (报损). `fields` holds what the user answered; the store does not interpret it. */
export interface LossReport {
  /** Report number, e.g. BS20261126-0007. */
  id: string
  userId: string
  channel: string
  district: string
  status: 'received' | 'in_review' | 'closed'
  createdAt: number
  updatedAt: number
  fields: Record<string, unknown>
  /** Facts that may put the loss outside the cover, for the account manager. */
  flags: string[]
}

/** A notice waiting to be delivered (at-least-once), retried with back-off until it goes through. */
export interface OutboxItem {
  id: string
  kind: string
  payload: unknown
  attempts: number
  /** Epoch ms of the next attempt. */
  nextAttemptAt: number
  lastError?: string
  createdAt: number
}

export interface SessionStore {
  get(userId: string): Promise<Session | undefined>
  /** Save with the store's session expiry, counted from now. */
  save(session: Session): Promise<void>
  delete(userId: string): Promise<void>
}

export interface ReportStore {
  /** Next number of the day's sequence (1, 2, …) for `day` = YYYYMMDD; never repeats, even across instances. */
  nextSequence(day: string): Promise<number>
  save(report: LossReport): Promise<void>
  get(id: string): Promise<LossReport | undefined>
  /** Newest first. */
  listByUser(userId: string): Promise<LossReport[]>
  /** Newest first. */
  listByDistrict(district: string): Promise<LossReport[]>
  /** Newest first, at most `limit`. */
  listRecent(limit: number): Promise<LossReport[]>
}

export interface OutboxStore {
  add(item: OutboxItem): Promise<void>
  /** Items whose nextAttemptAt ≤ now, oldest first, at most `limit`. */
  due(now: number, limit: number): Promise<OutboxItem[]>
  /** Replace an item (after a failed attempt). */
  update(item: OutboxItem): Promise<void>
  remove(id: string): Promise<void>
  size(): Promise<number>
}

export interface RosterStore {
  /** Replace the whole list; returns how many entries it now holds. */
  replace(entries: RosterEntry[]): Promise<number>
  getByCode(creditCode: string): Promise<RosterEntry | undefined>
  all(): Promise<RosterEntry[]>
  size(): Promise<number>
}

/** Small shared values: message dedupe, cached replies, tokens. */
export interface KvStore {
  /** Set if absent, with expiry; true when this call set it (the caller owns the key). */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>
  get(key: string): Promise<string | undefined>
  set(key: string, value: string, ttlSeconds: number): Promise<void>
  delete(key: string): Promise<void>
}

/** Everything the bot persists. The embedded store and the Redis store implement the same contract. */
export interface Store {
  sessions: SessionStore
  reports: ReportStore
  outbox: OutboxStore
  roster: RosterStore
  kv: KvStore
  /**
   * Run fn while no other holder of the same key runs — across instances for a shared store.
   * Used to serialise one user's turns and to fetch a token once.
   */
  runExclusive<T>(key: string, fn: () => Promise<T>): Promise<T>
  /**
   * Optional fast path for one conversational turn: lock the user, read the session, run fn, save the session
   * it returns, unlock. Stores that can do this in fewer round trips implement it; see runTurn().
   */
  turn?<T>(userId: string, fn: (session: Session | undefined) => Promise<TurnResult<T>>): Promise<T>
  /** "ok", or "degraded" when the backing service is unreachable. */
  health(): Promise<'ok' | 'degraded'>
  close(): Promise<void>
}

export interface TurnResult<T> {
  session: Session
  result: T
}

/** One turn with the user's session, exclusive per user across instances; the store's fast path when it has one. */
export function runTurn<T>(store: Store, userId: string, fn: (session: Session | undefined) => Promise<TurnResult<T>>): Promise<T> {
  if (store.turn) return store.turn(userId, fn)
  return store.runExclusive(`user:${userId}`, async () => {
    const { session, result } = await fn(await store.sessions.get(userId))
    await store.sessions.save(session)
    return result
  })
}

/** The store could not do its work (backing service down, disk full); the bot says so briefly and carries on. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError'
}
