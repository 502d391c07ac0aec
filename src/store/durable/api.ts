import type { StaffChange } from '../types.js'

/**
 * What the Durable Objects answer over RPC. Every string that crosses is well-formed: keys are escaped by the
 * client (escapeKey) and values travel as JSON, so no lone surrogate ever meets SQLite's UTF-8.
 */

/** A user's object (idFromName(ownerKey)): the session, that user's kv keys, the turn lock. Shared objects use the same class for the other kv keys and locks. */
export interface KeyedApi {
  /** A live value (JSON), or undefined. */
  get(key: string): Promise<string | undefined>
  set(key: string, value: string, ttlSeconds: number): Promise<void>
  /** true when this call set it. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>
  delete(key: string): Promise<void>
  /** Compare-and-set on the JSON texts: true when the row held `expected` and now holds `value` with a fresh expiry. */
  setIfEquals(key: string, expected: string, value: string, ttlSeconds: number): Promise<boolean>
  /** Compare-and-delete: true when the row held `expected` and is gone. */
  deleteIfEquals(key: string, expected: string): Promise<boolean>
  /** Runs `held` (a callback into the caller) while no other holder of `lock` runs in this object. */
  exclusive(lock: string, held: () => Promise<unknown>): Promise<void>
  /**
   * One turn under the owner's lock: `step` gets the stored session (JSON) and returns the one to save, or
   * undefined (the turn failed) to save nothing.
   */
  turn(owner: string, ttlSeconds: number, step: (session: string | undefined) => Promise<string | undefined>): Promise<void>
  getSession(owner: string): Promise<string | undefined>
  saveSession(owner: string, session: string, ttlSeconds: number): Promise<void>
  deleteSession(owner: string): Promise<void>
  ping(): Promise<'ok'>
}

/** The single ledger object: reports, their numbers, the outbox and the roster, in SQLite. */
export interface LedgerApi {
  nextSequence(day: string): Promise<number>
  /** NewReport as JSON → CreatedReport as JSON. */
  create(request: string): Promise<string>
  bySubmission(submission: string): Promise<string | undefined>
  save(report: string): Promise<void>
  get(id: string): Promise<string | undefined>
  /** JSON arrays, newest first. */
  listByUser(userId: string): Promise<string>
  listByDistrict(district: string): Promise<string>
  listRecent(limit: number): Promise<string>
  /** ReportQuery as JSON → JSON array. */
  listFiled(query: string): Promise<string>
  /** StatusChange as JSON → ChangeStatusResult as JSON. */
  changeStatus(id: string, change: string, expectUpdatedAt?: number, audit?: string): Promise<string>
  outboxAdd(item: string): Promise<void>
  outboxDue(now: number, limit: number): Promise<string>
  outboxUpdate(item: string): Promise<void>
  outboxRemove(id: string): Promise<void>
  outboxSize(): Promise<number>
  rosterReplace(entries: string): Promise<number>
  rosterGet(code: string): Promise<string | undefined>
  rosterAll(): Promise<string>
  rosterSize(): Promise<number>
  staffGet(username: string): Promise<string | undefined>
  staffPut(account: string): Promise<void>
  staffRemove(username: string): Promise<boolean>
  staffList(): Promise<string>
  /** StaffAccount as JSON → what the guarded replace did (StaffChange). */
  staffReplaceKeepingAdmin(account: string): Promise<StaffChange>
  staffRemoveKeepingAdmin(username: string): Promise<StaffChange>
  auditAppend(entry: string): Promise<void>
  auditList(offset: number, limit: number): Promise<string>
  auditSize(): Promise<number>
  /** Handoff as JSON → HandoffOpened as JSON. */
  handoffOpen(handoff: string): Promise<string>
  handoffGet(id: string): Promise<string | undefined>
  /** Closed handoffs beyond `keepClosed` are deleted in the same step. */
  handoffReplace(next: string, keepClosed: number, audit?: string): Promise<boolean>
  handoffsOpen(): Promise<string>
  handoffsClosed(limit: number, offset: number): Promise<string>
  handoffsClosedCount(): Promise<number>
  unansweredAdd(entry: string): Promise<void>
  unansweredRecent(limit: number, offset?: number): Promise<string>
  unansweredMarkHandled(ids: string, by: string, at: number): Promise<void>
  ping(): Promise<'ok'>
}
