import type { Session } from '../engine/types.js'

/** A firm on the commerce bureau's published list (统保企业名单). */
export interface RosterEntry {
  name: string
  /** 统一社会信用代码, upper-case, 18 characters. */
  creditCode: string
}

/** Where a report stands: 已受理 → 处理中 → 已办结. */
export type ReportStatus = 'received' | 'in_review' | 'closed'
/** How a closed report ended: 赔付, 不予赔付, 撤案. */
export type ReportOutcome = 'paid' | 'declined' | 'withdrawn'

/** One step of a report's lifecycle, recorded by a staff member (the console's status change). */
export interface StatusChange {
  /** Epoch ms. */
  at: number
  /** The staff member's username. */
  by: string
  status: ReportStatus
  /** Set when, and only when, status is closed. */
  outcome?: ReportOutcome
  /** Shown to the exporter ("查询报案" and the push): e.g. the documents still needed. */
  note?: string
}

/** A confirmed loss report (报损). `fields` holds what the user answered; the store does not interpret it. */
export interface LossReport {
  /** Report number, e.g. BS20261126-0007. */
  id: string
  userId: string
  channel: string
  district: string
  status: ReportStatus
  /** How it ended, while status is closed. */
  outcome?: ReportOutcome
  createdAt: number
  updatedAt: number
  fields: Record<string, unknown>
  /** Facts that may put the loss outside the cover, for the account manager. */
  flags: string[]
  /** The draft's submission key (see ReportStore.create): a report is filed once per key. */
  submission?: string
  /** Status changes, oldest first (absent until the first one). */
  timeline?: StatusChange[]
}

/** Which reports listFiled returns: filed in [from, to] (epoch ms, both ends included, either may be open), optionally in one district. */
export interface ReportQuery {
  from?: number
  to?: number
  district?: string
}

/** What changeStatus did. `before` and `report` feed the audit log. */
export type ChangeStatusResult =
  | { kind: 'changed'; before: LossReport; report: LossReport }
  | { kind: 'not_found' }
  /** The report changed since the caller read it (its updatedAt is not the one expected): nothing was written. */
  | { kind: 'stale'; report: LossReport }

/** A confirmed report to file: everything but its number, which the store takes in the same step. */
export interface NewReport {
  /** Given to the draft when it reached the confirm step; a second create with it files nothing new. */
  submission: string
  /** YYYYMMDD (China time): the day whose sequence numbers the report. */
  day: string
  report: Omit<LossReport, 'id' | 'submission'>
  /** Queue the district manager's notice (an outbox item, see reportNoticeItem) in the same step. */
  notify: boolean
}

export interface CreatedReport {
  report: LossReport
  /** false: the submission was filed before (a retried confirm); nothing new was stored or queued. */
  created: boolean
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
  /**
   * File a confirmed report exactly once per submission key: "create if absent" under the key, the day's next
   * number, the report, its indexes and (when asked) its notice, all in one atomic step. A repeated call with the
   * same key — after a crash, from a retry, from another instance — returns the report filed first, created false.
   */
  create(req: NewReport): Promise<CreatedReport>
  /** The report filed under a submission key, if any. */
  bySubmission(submission: string): Promise<LossReport | undefined>
  /** Store (or replace) a report under its id, e.g. a status change. */
  save(report: LossReport): Promise<void>
  get(id: string): Promise<LossReport | undefined>
  /** Newest first. */
  listByUser(userId: string): Promise<LossReport[]>
  /** Newest first. */
  listByDistrict(district: string): Promise<LossReport[]>
  /** Newest first, at most `limit`. */
  listRecent(limit: number): Promise<LossReport[]>
  /** Reports filed in a time range (and district), newest first: the console's report list. */
  listFiled(query: ReportQuery): Promise<LossReport[]>
  /**
   * Record a status change atomically (across instances): status, outcome and updatedAt set, the change appended
   * to the timeline (applyStatusChange). With `expectUpdatedAt`, only if the report is still as the caller saw it.
   * `audit` is appended to the audit log in the same atomic step when (and only when) the change is written: no
   * stored change goes unaudited, and no audit entry speaks of a change that was not stored.
   */
  changeStatus(id: string, change: StatusChange, expectUpdatedAt?: number, audit?: AuditEntry): Promise<ChangeStatusResult>
}

/** Console roles: hotline reads everything and changes status; manager only their districts; admin everything and accounts. */
export type StaffRole = 'hotline' | 'manager' | 'admin'

/** A staff console account (`npm run staff`, or the console's account page). */
export interface StaffAccount {
  username: string
  role: StaffRole
  /** The districts a manager sees; empty for the other roles. */
  districts: string[]
  /** `scrypt$N$r$p$salt$hash`, base64 salt and hash (src/console/password-node.ts); never shown or logged. */
  passwordHash: string
  createdAt: number
  updatedAt: number
  /** Console sessions issued before this (a password change) are no longer accepted. */
  passwordChangedAt: number
}

/** What a guarded account change did: done; not_found (no such account); last_admin (it would leave no admin: nothing written). */
export type StaffChange = 'done' | 'not_found' | 'last_admin'

export interface StaffStore {
  get(username: string): Promise<StaffAccount | undefined>
  /** Create or replace an account. */
  put(account: StaffAccount): Promise<void>
  /** true when the account existed. */
  remove(username: string): Promise<boolean>
  /** Every account, by username. */
  list(): Promise<StaffAccount[]>
  /** Replace an existing account unless that leaves no admin: the check and the write are one atomic step (across instances). */
  replaceKeepingAdmin(account: StaffAccount): Promise<StaffChange>
  /** Remove an account unless it is the last admin: the check and the removal are one atomic step (across instances). */
  removeKeepingAdmin(username: string): Promise<StaffChange>
}

/** Whether an account change leaves no admin: `before` is an admin, `after` (undefined: removed) is not, and no other admin is among `all`. */
export function leavesNoAdmin(before: StaffAccount, after: StaffAccount | undefined, all: Iterable<StaffAccount>): boolean {
  if (before.role !== 'admin' || after?.role === 'admin') return false
  for (const a of all) if (a.role === 'admin' && a.username !== before.username) return false
  return true
}

/** One staff action in the audit log: who, when, what, and the state before and after. */
export interface AuditEntry {
  /** Epoch ms. */
  at: number
  /** A staff username, or `cli` for `npm run staff`. */
  actor: string
  /** What was done: `report.status`, `staff.add`, `roster.import`, `login`, `login.failed`, `reports.export`… */
  action: string
  /** What it was done to: a report number, a username. */
  target?: string
  before?: unknown
  after?: unknown
}

/** Append-only: entries are never changed or dropped. */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>
  /** Newest first: skip `offset` entries, then at most `limit`. */
  list(offset: number, limit: number): Promise<AuditEntry[]>
  size(): Promise<number>
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
  /**
   * Compare-and-set, atomic across instances: store `value` with a fresh expiry only if the key holds `expected`
   * now. false (nothing written) when it holds something else or nothing — e.g. a lease that ran out and was taken.
   */
  setIfEquals(key: string, expected: string, value: string, ttlSeconds: number): Promise<boolean>
  /** Compare-and-delete, atomic across instances: delete only if the key holds `expected`; true when this call deleted it. */
  deleteIfEquals(key: string, expected: string): Promise<boolean>
}

/** Where a handoff to a person (转人工) stands: waiting in the queue, taken by a staff member, closed. */
export type HandoffStatus = 'waiting' | 'taken' | 'closed'

/** One line of a handoff's conversation. */
export interface HandoffMessage {
  at: number
  /** user: the exporter; bot: the bot's answer; staff: a person's reply. */
  from: 'user' | 'bot' | 'staff'
  text: string
  /** A staff message: its id (delivery is marked by it) and who wrote it. */
  id?: string
  by?: string
  /**
   * A staff message: how it reached the user. sent: pushed at once (WeChat customer-service message, wechaty);
   * kept: left for the user's next WeChat message; turn: given in the replies of their next turn. Absent: not yet.
   */
  delivered?: 'sent' | 'kept' | 'turn'
}

/**
 * A user's request to talk to a person, with the conversation so far. Changed only by compare-and-set on
 * `version` (HandoffStore.replace), so two staff members cannot both take it. The store reads only id, owner,
 * status, version, createdAt and closedAt; the rest is src/handoff's.
 */
export interface Handoff {
  id: string
  /** ownerKey of the user: channel:userId. One open handoff per owner. */
  owner: string
  channel: string
  userId: string
  status: HandoffStatus
  /** 1 when opened; every replace() writes the next one. */
  version: number
  createdAt: number
  updatedAt: number
  /** Why: the user asked, or the bot could not answer twice in a row and offered. */
  reason: 'asked' | 'offered'
  /** Asked outside office hours: a message for staff to answer when they are back. */
  afterHours?: boolean
  /** Nobody took it by then: the user is told, given the hotlines, and the bot answers again. */
  pickupBy?: number
  timedOutAt?: number
  /** The user has been told of the timeout. */
  timeoutTold?: boolean
  takenBy?: string
  takenAt?: number
  closedAt?: number
  /** A staff username, or `user` (结束人工). */
  closedBy?: string
  /** The staff member's note when closing (for the record; the user is not shown it). */
  note?: string
  /** The user has been told it was closed. */
  closeTold?: boolean
  /** Oldest first: the conversation before the request, then everything since. */
  messages: HandoffMessage[]
  /** The working facts when asked (district, amounts…) and the user's report numbers. */
  facts: Record<string, unknown>
}

export interface HandoffOpened {
  handoff: Handoff
  /** false: the owner had an open handoff already; it is returned and nothing was written. */
  created: boolean
}

export interface HandoffStore {
  /** Store a new handoff (version 1), unless its owner has one that is not closed: then that one, created false. */
  open(handoff: Handoff): Promise<HandoffOpened>
  get(id: string): Promise<Handoff | undefined>
  /**
   * Compare-and-set: store `next` only if the stored handoff's version is `next.version - 1` (atomic across
   * instances). false: it changed meanwhile (or does not exist); nothing was written. A closed handoff leaves the
   * open list, joins the closed list and frees its owner for a new one; it is never reopened. Closed ones beyond
   * the store's cap (HANDOFF_KEEP_CLOSED) are deleted in the same step, the first closed first. `audit` is appended
   * to the audit log in the same atomic step when the write happens.
   */
  replace(next: Handoff, audit?: AuditEntry): Promise<boolean>
  /** Handoffs not closed, oldest first. */
  listOpen(): Promise<Handoff[]>
  /** Closed handoffs, the last closed first: `offset` skipped, then at most `limit`. */
  listClosed(limit: number, offset?: number): Promise<Handoff[]>
  /** How many closed handoffs are kept (at most the store's handoffKeepClosed). */
  countClosed(): Promise<number>
}

/**
 * Closed handoffs a store keeps unless told otherwise (HANDOFF_KEEP_CLOSED): when one more closes, the oldest
 * closed beyond the cap are deleted in the same step. Open ones are always kept.
 */
export const HANDOFF_KEEP_CLOSED = 2000

/** Why a question went into the unanswered log. */
export type UnansweredKind = 'abstained' | 'low-confidence' | 'guarded-out'

/** A question the bot could not answer well: for staff to improve the knowledge base. Personal data is masked. */
export interface UnansweredEntry {
  id: string
  at: number
  channel: string
  kind: UnansweredKind
  /** The question as asked, phones and ID numbers masked. */
  question: string
  lang: 'zh' | 'en'
  /** The topic the policy brief does not cover (退税, 汇率…), when that was the reason. */
  topic?: string
  /** The sections retrieval ranked highest, best first, with their scores (empty: nothing matched). */
  sections: Array<{ id: string; score: number }>
  /** Share of the question's informative words found in the best section. */
  coverage?: number
  /** What the fact guard objected to in the model's answer (guarded-out), masked. */
  detail?: string
  /** The group of near-identical questions it was filed under when logged (src/handoff/unanswered-groups.ts). */
  group?: { id: string; key: string }
  handledAt?: number
  handledBy?: string
}

/** At most this many entries are kept; the oldest go first. */
export const UNANSWERED_KEEP = 5000

export interface UnansweredLog {
  add(entry: UnansweredEntry): Promise<void>
  /** Newest first, at most `limit`. */
  recent(limit: number): Promise<UnansweredEntry[]>
  /** Mark entries handled (their group was dealt with); unknown ids are ignored. */
  markHandled(ids: string[], by: string, at: number): Promise<void>
}

/** Everything the bot persists. The embedded store and the Redis store implement the same contract. */
export interface Store {
  sessions: SessionStore
  reports: ReportStore
  outbox: OutboxStore
  roster: RosterStore
  kv: KvStore
  /** Staff console accounts. */
  staff: StaffStore
  /** Staff actions, for admins. */
  audit: AuditLog
  /** Handoffs to a person (转人工) and the unanswered-questions log. */
  handoffs: HandoffStore
  unanswered: UnansweredLog
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
  /**
   * What is known to be wrong with the store beyond reachability, as short English phrases for /healthz and the
   * log (empty: nothing): e.g. an evicting maxmemory-policy, writes refused, the store wiped since this instance
   * started. Any problem makes /healthz say degraded.
   */
  problems?(): Promise<string[]>
  /**
   * The time (epoch ms) by the store's own clock, where several instances share the store (Redis TIME): times that
   * instances compare (timeouts, leases of records) are taken from it, not from each instance's clock.
   */
  clock?(): Promise<number>
  /**
   * When the store was last found wiped (its identity gone: Redis lost its data), if within the last week: users
   * whose conversation was lost with it are told so at their next message. Undefined: no wipe known.
   */
  wipedAt?(): number | undefined
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

/** Report number: BS + day + "-" + the day's sequence, at least 4 digits (BS20261126-0007). */
export function reportNumber(day: string, n: number): string {
  return `BS${day}-${String(n).padStart(4, '0')}`
}

/** Day and sequence of a report number, so a store can make sure it never hands that number out again. */
export function parseReportNumber(id: string): { day: string; n: number } | undefined {
  const m = /^BS(\d{8})-(\d+)$/.exec(id)
  return m ? { day: m[1]!, n: Number(m[2]) } : undefined
}

export const REPORT_NOTICE = 'report-notice'

/**
 * The outbox item announcing a report. Its id is derived from the report number, so it is the same on every
 * attempt and after every restart: deliveries carry it as their idempotency key.
 */
export function reportNoticeItem(reportId: string, t: number): OutboxItem {
  return { id: `${REPORT_NOTICE}:${reportId}`, kind: REPORT_NOTICE, payload: { reportId }, attempts: 0, nextAttemptAt: t, createdAt: t }
}

/** A report after a status change: the memory and file stores apply it in place, the Redis store before its compare-and-set. */
export function applyStatusChange(report: LossReport, change: StatusChange): LossReport {
  // Only the fields that are set, so every store keeps the same object (JSON drops undefined ones).
  const step: StatusChange = { at: change.at, by: change.by, status: change.status }
  if (change.status === 'closed' && change.outcome) step.outcome = change.outcome
  if (change.note) step.note = change.note
  const next: LossReport = { ...report, status: change.status, updatedAt: change.at, timeline: [...(report.timeline ?? []), step] }
  // An outcome belongs to a closed report only; reopening one clears it.
  if (change.status === 'closed' && change.outcome) next.outcome = change.outcome
  else delete next.outcome
  return next
}

/** A day key as the stores accept it: YYYYMMDD, nothing else (it becomes part of keys and numbers). */
export function assertDay(day: string): void {
  if (!/^\d{8}$/.test(day)) throw new Error(`report day must be YYYYMMDD, got ${JSON.stringify(day)}`)
}

/** A store found wiped says so in /healthz this long… */
export const WIPE_PROBLEM_MS = 24 * 3600_000
/** …and users whose conversation was lost with it are told at their next message this long after. */
export const WIPE_NOTICE_MS = 7 * 24 * 3600_000

/** The store could not do its work (backing service down, disk full); the bot says so briefly and carries on. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError'
}
