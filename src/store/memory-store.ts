import type { Session } from '../engine/types.js'
import {
  applyStatusChange,
  assertDay,
  HANDOFF_KEEP_CLOSED,
  leavesNoAdmin,
  parseReportNumber,
  reportNoticeItem,
  reportNumber,
  UNANSWERED_KEEP,
  type AuditEntry,
  type ChangeStatusResult,
  type Handoff,
  type HandoffOpened,
  type LossReport,
  type NewReport,
  type OutboxItem,
  type ReportQuery,
  type RosterEntry,
  type StaffAccount,
  type StaffChange,
  type StatusChange,
  type Store,
  type UnansweredEntry,
} from './types.js'

export interface MemoryStoreOptions {
  sessionTtlSeconds: number
  now?: () => number
  /** Closed handoffs kept (HANDOFF_KEEP_CLOSED, default 2000); older ones are deleted when another closes. */
  handoffKeepClosed?: number
}

/** The state of a memory store, exposed so a journal can snapshot and restore it. */
export interface MemoryState {
  sessions: Map<string, { session: Session; expiresAt: number }>
  reports: Map<string, LossReport>
  /** Submission key → report id; rebuilt from the reports' `submission` field. */
  submissions: Map<string, string>
  sequences: Map<string, number>
  outbox: Map<string, OutboxItem>
  roster: Map<string, RosterEntry>
  kv: Map<string, { value: string; expiresAt: number }>
  staff: Map<string, StaffAccount>
  /** Oldest first, keyed by an id the store draws, so replaying a journal record onto a snapshot holding it adds nothing. */
  audit: Map<string, AuditEntry>
  handoffs: Map<string, Handoff>
  /** Owner → the id of their handoff that is not closed; kept up to date by putHandoff. */
  handoffOwners: Map<string, string>
  unanswered: Map<string, UnansweredEntry>
}

export function emptyMemoryState(): MemoryState {
  return { sessions: new Map(), reports: new Map(), submissions: new Map(), sequences: new Map(), outbox: new Map(), roster: new Map(), kv: new Map(), staff: new Map(), audit: new Map(), handoffs: new Map(), handoffOwners: new Map(), unanswered: new Map() }
}

/** Reports filed in the query's range and district, newest first. */
export function queryReports(state: MemoryState, { from = -Infinity, to = Infinity, district }: ReportQuery): LossReport[] {
  return [...state.reports.values()]
    .filter((r) => r.createdAt >= from && r.createdAt <= to && (district === undefined || r.district === district))
    .sort(newestFirst)
}

/** A status change worked out on the state as it is now (nothing written): the file store journals `report` first. */
export function statusChangeOf(state: MemoryState, id: string, change: StatusChange, expectUpdatedAt?: number): ChangeStatusResult {
  const before = state.reports.get(id)
  if (!before) return { kind: 'not_found' }
  if (expectUpdatedAt !== undefined && before.updatedAt !== expectUpdatedAt) return { kind: 'stale', report: structuredClone(before) }
  return { kind: 'changed', before: structuredClone(before), report: applyStatusChange(structuredClone(before), change) }
}

/** Audit entries newest first, `offset` skipped, at most `limit`. */
export function auditPage(state: MemoryState, offset: number, limit: number): AuditEntry[] {
  const all = [...state.audit.values()]
  const end = all.length - Math.max(0, offset)
  return all.slice(Math.max(0, end - Math.max(0, limit)), Math.max(0, end)).reverse().map((e) => structuredClone(e))
}

/** A key for a new audit entry: unique, and in append order when listed from a Map. */
export function auditId(entry: AuditEntry): string {
  return `${entry.at}-${crypto.randomUUID()}`
}

/** Put a report in the state; its number is never handed out again, even if the line that took it was lost. */
export function putReport(state: MemoryState, report: LossReport): void {
  state.reports.set(report.id, report)
  if (report.submission) state.submissions.set(report.submission, report.id)
  const no = parseReportNumber(report.id)
  if (no && (state.sequences.get(no.day) ?? 0) < no.n) state.sequences.set(no.day, no.n)
}

/** The report a create() files: number n of the day, carrying its submission key. */
export function filedReport(req: NewReport, n: number): LossReport {
  return { ...structuredClone(req.report), id: reportNumber(req.day, n), submission: req.submission }
}

/**
 * Put a handoff in the state, keeping the owner index (a closed handoff frees its owner), then delete the handoffs
 * `drop` names (closedBeyondCap, worked out before the write): the journal records them, so a replay deletes the
 * same ones whatever the cap is then.
 */
export function putHandoff(state: MemoryState, h: Handoff, drop: readonly string[] = []): void {
  state.handoffs.set(h.id, h)
  if (h.status !== 'closed') state.handoffOwners.set(h.owner, h.id)
  else if (state.handoffOwners.get(h.owner) === h.id) state.handoffOwners.delete(h.owner)
  for (const id of drop) {
    const old = state.handoffs.get(id)
    if (!old) continue
    state.handoffs.delete(id)
    if (state.handoffOwners.get(old.owner) === id) state.handoffOwners.delete(old.owner)
  }
}

/** The closed handoffs to delete when `next` is stored: those beyond the `keep` last closed (none while `next` is open). */
export function closedBeyondCap(state: MemoryState, next: Handoff, keep: number): string[] {
  if (next.status !== 'closed') return []
  const closed = [next]
  for (const h of state.handoffs.values()) if (h.status === 'closed' && h.id !== next.id) closed.push(h)
  if (closed.length <= keep) return []
  return closed.sort(lastClosedFirst).slice(Math.max(0, keep)).map((h) => h.id)
}

/** The owner's handoff that is not closed, if open() must return it instead of storing a new one. */
export function openHandoffOf(state: MemoryState, owner: string): Handoff | undefined {
  const id = state.handoffOwners.get(owner)
  const h = id === undefined ? undefined : state.handoffs.get(id)
  return h && h.status !== 'closed' ? h : undefined
}

/** Whether replace(next) may write: the stored handoff is one version behind, and a closed one stays closed. */
export function canReplaceHandoff(state: MemoryState, next: Handoff): boolean {
  const cur = state.handoffs.get(next.id)
  return !!cur && cur.version === next.version - 1 && (cur.status !== 'closed' || next.status === 'closed')
}

const oldestFirst = (a: Handoff, b: Handoff) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)
const lastClosedFirst = (a: Handoff, b: Handoff) => (b.closedAt ?? b.updatedAt) - (a.closedAt ?? a.updatedAt) || (a.id < b.id ? 1 : -1)

/** Handoffs not closed, oldest first. */
export function openHandoffs(state: MemoryState): Handoff[] {
  return [...state.handoffs.values()].filter((h) => h.status !== 'closed').sort(oldestFirst)
}

/** Closed handoffs, the last closed first: `offset` skipped, then at most `limit`. */
export function closedHandoffs(state: MemoryState, limit: number, offset = 0): Handoff[] {
  if (limit <= 0) return []
  const from = Math.max(0, offset)
  return [...state.handoffs.values()].filter((h) => h.status === 'closed').sort(lastClosedFirst).slice(from, from + limit)
}

/** How many closed handoffs the state holds. */
export function closedCount(state: MemoryState): number {
  let n = 0
  for (const h of state.handoffs.values()) if (h.status === 'closed') n++
  return n
}

/** A guarded replace worked out on the state as it is now (nothing written): the file store journals it first. */
export function staffReplaceOf(state: MemoryState, account: StaffAccount): StaffChange {
  const before = state.staff.get(account.username)
  if (!before) return 'not_found'
  return leavesNoAdmin(before, account, state.staff.values()) ? 'last_admin' : 'done'
}

/** A guarded removal worked out on the state as it is now (nothing written). */
export function staffRemovalOf(state: MemoryState, username: string): StaffChange {
  const before = state.staff.get(username)
  if (!before) return 'not_found'
  return leavesNoAdmin(before, undefined, state.staff.values()) ? 'last_admin' : 'done'
}

/*
 * Unanswered entries are never changed in place (markHandled stores a new object), so they are kept frozen and
 * handed out as they are: the console reads all 5000 on each page view, and copying them cost more than the rest
 * of the page together.
 */
function frozenEntry(e: UnansweredEntry): UnansweredEntry {
  for (const s of e.sections) Object.freeze(s)
  Object.freeze(e.sections)
  if (e.group) Object.freeze(e.group)
  return Object.freeze(e)
}

const newestEntryFirst = (a: UnansweredEntry, b: UnansweredEntry) => b.at - a.at || (a.id < b.id ? 1 : -1)

/**
 * Add an unanswered entry (once per id) and drop the oldest beyond UNANSWERED_KEEP. Oldest by time, not by
 * insertion, so replaying a journal onto a snapshot that already dropped an entry drops it again.
 */
export function addUnanswered(state: MemoryState, entry: UnansweredEntry): void {
  if (state.unanswered.has(entry.id)) return
  state.unanswered.set(entry.id, frozenEntry(entry))
  while (state.unanswered.size > UNANSWERED_KEEP) {
    let oldest: UnansweredEntry | undefined
    for (const e of state.unanswered.values()) if (!oldest || newestEntryFirst(e, oldest) > 0) oldest = e
    state.unanswered.delete(oldest!.id)
  }
}

/** Unanswered entries, newest first, at most `limit`. */
export function recentUnanswered(state: MemoryState, limit: number): UnansweredEntry[] {
  return [...state.unanswered.values()].sort(newestEntryFirst).slice(0, Math.max(0, limit))
}

/** Mark entries handled; unknown ids are ignored. */
export function markUnansweredHandled(state: MemoryState, ids: string[], by: string, at: number): void {
  for (const id of ids) {
    const e = state.unanswered.get(id)
    if (e) state.unanswered.set(id, frozenEntry({ ...e, handledAt: at, handledBy: by }))
  }
}

/** A keyed mutex for one process: each key's callers run one after another. */
export function createLocalLocks() {
  const tails = new Map<string, Promise<unknown>>()
  return function runExclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = tails.get(key) ?? Promise.resolve()
    const run = previous.then(fn, fn)
    const tail = run.catch(() => undefined)
    tails.set(key, tail)
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key)
    })
    return run
  }
}

const newestFirst = (a: LossReport, b: LossReport) => b.createdAt - a.createdAt || b.id.localeCompare(a.id)

/** In-process store; values are cloned in and out so callers never share objects with it. */
export function createMemoryStore({ sessionTtlSeconds, now = Date.now, handoffKeepClosed = HANDOFF_KEEP_CLOSED }: MemoryStoreOptions, state: MemoryState = emptyMemoryState()): Store & { state: MemoryState } {
  const sweep = setInterval(() => {
    const t = now()
    for (const [k, v] of state.sessions) if (v.expiresAt <= t) state.sessions.delete(k)
    for (const [k, v] of state.kv) if (v.expiresAt <= t) state.kv.delete(k)
  }, 60_000)
  sweep.unref?.()

  const liveKv = (key: string) => {
    const e = state.kv.get(key)
    if (e && e.expiresAt <= now()) {
      state.kv.delete(key)
      return undefined
    }
    return e
  }

  return {
    state,
    sessions: {
      async get(userId) {
        const entry = state.sessions.get(userId)
        if (!entry) return undefined
        if (entry.expiresAt <= now()) {
          state.sessions.delete(userId)
          return undefined
        }
        return structuredClone(entry.session)
      },
      async save(session) {
        state.sessions.set(session.userId, { session: structuredClone(session), expiresAt: now() + sessionTtlSeconds * 1000 })
      },
      async delete(userId) {
        state.sessions.delete(userId)
      },
    },
    reports: {
      async nextSequence(day) {
        const n = (state.sequences.get(day) ?? 0) + 1
        state.sequences.set(day, n)
        return n
      },
      async create(req) {
        // One synchronous step: nothing can run between the check and the write.
        assertDay(req.day)
        const filed = state.reports.get(state.submissions.get(req.submission) ?? '')
        if (filed) return { report: structuredClone(filed), created: false }
        const report = filedReport(req, (state.sequences.get(req.day) ?? 0) + 1)
        putReport(state, report)
        if (req.notify) {
          const notice = reportNoticeItem(report.id, now())
          state.outbox.set(notice.id, notice)
        }
        return { report: structuredClone(report), created: true }
      },
      async bySubmission(key) {
        const id = state.submissions.get(key)
        const r = id === undefined ? undefined : state.reports.get(id)
        return r && structuredClone(r)
      },
      async save(report) {
        putReport(state, structuredClone(report))
      },
      async get(id) {
        const r = state.reports.get(id)
        return r && structuredClone(r)
      },
      async listByUser(userId) {
        return [...state.reports.values()].filter((r) => r.userId === userId).sort(newestFirst).map((r) => structuredClone(r))
      },
      async listByDistrict(district) {
        return [...state.reports.values()].filter((r) => r.district === district).sort(newestFirst).map((r) => structuredClone(r))
      },
      async listRecent(limit) {
        return [...state.reports.values()].sort(newestFirst).slice(0, limit).map((r) => structuredClone(r))
      },
      async listFiled(query) {
        return queryReports(state, query).map((r) => structuredClone(r))
      },
      async changeStatus(id, change, expectUpdatedAt, audit) {
        // One synchronous step, like create(), with its audit entry.
        const result = statusChangeOf(state, id, change, expectUpdatedAt)
        if (result.kind === 'changed') {
          putReport(state, structuredClone(result.report))
          if (audit) state.audit.set(auditId(audit), structuredClone(audit))
        }
        return result
      },
    },
    outbox: {
      async add(item) {
        state.outbox.set(item.id, structuredClone(item))
      },
      async due(t, limit) {
        return [...state.outbox.values()]
          .filter((i) => i.nextAttemptAt <= t)
          .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.createdAt - b.createdAt)
          .slice(0, limit)
          .map((i) => structuredClone(i))
      },
      async update(item) {
        if (state.outbox.has(item.id)) state.outbox.set(item.id, structuredClone(item))
      },
      async remove(id) {
        state.outbox.delete(id)
      },
      async size() {
        return state.outbox.size
      },
    },
    roster: {
      async replace(entries) {
        state.roster = new Map(entries.map((e) => [e.creditCode, { ...e }]))
        return state.roster.size
      },
      async getByCode(code) {
        const e = state.roster.get(code)
        return e && { ...e }
      },
      async all() {
        return [...state.roster.values()].map((e) => ({ ...e }))
      },
      async size() {
        return state.roster.size
      },
    },
    kv: {
      async setIfAbsent(key, value, ttlSeconds) {
        if (liveKv(key)) return false
        state.kv.set(key, { value, expiresAt: now() + ttlSeconds * 1000 })
        return true
      },
      async get(key) {
        return liveKv(key)?.value
      },
      async set(key, value, ttlSeconds) {
        state.kv.set(key, { value, expiresAt: now() + ttlSeconds * 1000 })
      },
      async delete(key) {
        state.kv.delete(key)
      },
      // Compare and write with no await between them: atomic in this process.
      async setIfEquals(key, expected, value, ttlSeconds) {
        if (liveKv(key)?.value !== expected) return false
        state.kv.set(key, { value, expiresAt: now() + ttlSeconds * 1000 })
        return true
      },
      async deleteIfEquals(key, expected) {
        if (liveKv(key)?.value !== expected) return false
        state.kv.delete(key)
        return true
      },
    },
    staff: {
      async get(username) {
        const a = state.staff.get(username)
        return a && structuredClone(a)
      },
      async put(account) {
        state.staff.set(account.username, structuredClone(account))
      },
      async remove(username) {
        return state.staff.delete(username)
      },
      async list() {
        return [...state.staff.values()].sort((a, b) => (a.username < b.username ? -1 : 1)).map((a) => structuredClone(a))
      },
      // Checked and written with no await between them: atomic in this process.
      async replaceKeepingAdmin(account) {
        const result = staffReplaceOf(state, account)
        if (result === 'done') state.staff.set(account.username, structuredClone(account))
        return result
      },
      async removeKeepingAdmin(username) {
        const result = staffRemovalOf(state, username)
        if (result === 'done') state.staff.delete(username)
        return result
      },
    },
    audit: {
      async append(entry) {
        state.audit.set(auditId(entry), structuredClone(entry))
      },
      async list(offset, limit) {
        return auditPage(state, offset, limit)
      },
      async size() {
        return state.audit.size
      },
    },
    handoffs: {
      async open(h) {
        // One synchronous step: nothing can run between the owner check and the write.
        const existing = openHandoffOf(state, h.owner)
        if (existing) return { handoff: structuredClone(existing), created: false } satisfies HandoffOpened
        if (state.handoffs.has(h.id)) throw new Error(`handoff ${h.id} exists`)
        putHandoff(state, structuredClone({ ...h, version: 1 }))
        return { handoff: structuredClone({ ...h, version: 1 }), created: true }
      },
      async get(id) {
        const h = state.handoffs.get(id)
        return h && structuredClone(h)
      },
      async replace(next, audit) {
        if (!canReplaceHandoff(state, next)) return false
        putHandoff(state, structuredClone(next), closedBeyondCap(state, next, handoffKeepClosed))
        if (audit) state.audit.set(auditId(audit), structuredClone(audit))
        return true
      },
      async listOpen() {
        return openHandoffs(state).map((h) => structuredClone(h))
      },
      async listClosed(limit, offset) {
        return closedHandoffs(state, limit, offset).map((h) => structuredClone(h))
      },
      async countClosed() {
        return closedCount(state)
      },
    },
    unanswered: {
      async add(entry) {
        addUnanswered(state, structuredClone(entry))
      },
      async recent(limit) {
        // Frozen (frozenEntry): safe to share without a copy.
        return recentUnanswered(state, limit)
      },
      async markHandled(ids, by, at) {
        markUnansweredHandled(state, ids, by, at)
      },
    },
    runExclusive: createLocalLocks(),
    // No clock(): one process, so its clock (`now`) is the one clock every comparison of stored times uses.
    async health() {
      return 'ok'
    },
    async close() {
      clearInterval(sweep)
    },
  }
}
