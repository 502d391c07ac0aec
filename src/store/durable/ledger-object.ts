import { DurableObject } from 'cloudflare:workers'
import type { DurableObjectState, SqlStorage } from '@cloudflare/workers-types/index.js'
import type { OutboxWorker } from '../../notify/outbox-worker.js'
import type { AuditEntry, Handoff, NewReport, OutboxItem, OutboxStore, ReportQuery, ReportStore, RosterEntry, StaffAccount, StaffChange, StatusChange, UnansweredEntry } from '../types.js'
import type { LedgerApi } from './api.js'
import {
  dueOutboxItems,
  migrateOutbox,
  nextDue,
  outboxSize,
  putOutboxItem,
  removeOutboxItem,
  replaceRoster,
  rosterEntries,
  rosterEntry,
  rosterSize,
  updateOutboxItem,
} from './ledger-outbox.js'
import {
  changeReportStatus,
  createReport,
  filedReports,
  getReport,
  migrateReports,
  nextSequence,
  putReport,
  recentReports,
  reportBySubmission,
  reportsByDistrict,
  reportsByUser,
} from './ledger-reports.js'
import {
  addUnanswered,
  closedCount,
  closedHandoffs,
  getHandoff,
  markUnansweredHandled,
  migrateHandoffs,
  openHandoff,
  openHandoffs,
  recentUnanswered,
  replaceHandoff,
} from './ledger-handoffs.js'
import {
  appendAudit,
  auditEntries,
  auditSize,
  migrateStaff,
  putStaffAccount,
  removeStaffAccount,
  removeStaffKeepingAdmin,
  replaceStaffKeepingAdmin,
  staffAccount,
  staffAccounts,
} from './ledger-staff.js'

/**
 * The one ledger object (SQLite-backed): reports, the day sequences, the outbox, the roster, staff accounts, the
 * audit log, handoffs to a person and the unanswered log. Each method runs
 * its SQL synchronously, so "create if absent, take the day's next number, store, index, queue the notice" is
 * one atomic step, as in the other stores. Notices are delivered by the object's alarm, retried with back-off
 * (the alarm is set to the next item due), never by a timer.
 */
export class LedgerObject extends DurableObject<unknown> implements LedgerApi {
  protected readonly sql: SqlStorage

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    migrateReports(this.sql)
    migrateOutbox(this.sql)
    migrateStaff(this.sql)
    migrateHandoffs(this.sql)
  }

  /** The worker that delivers notices; undefined (here) when nobody is to be notified: items wait in the outbox. */
  protected delivery(): OutboxWorker | undefined {
    return undefined
  }

  /** The outbox as the notify worker sees it, over this object's own rows. */
  protected localOutbox(): OutboxStore {
    const sql = this.sql
    return {
      add: async (item) => putOutboxItem(sql, item),
      due: async (now, limit) => dueOutboxItems(sql, now, limit),
      update: async (item) => updateOutboxItem(sql, item),
      remove: async (id) => removeOutboxItem(sql, id),
      size: async () => outboxSize(sql),
    }
  }

  /** Reads of this object's reports for a notice's text (only get is used). */
  protected localReports(): Pick<ReportStore, 'get'> {
    return { get: async (id) => getReport(this.sql, id) }
  }

  /** Make sure the alarm goes off by `t` when there is someone to deliver to. */
  private async deliverBy(t: number): Promise<void> {
    if (!this.delivery()) return
    const at = await this.ctx.storage.getAlarm()
    if (at === null || at > t) await this.ctx.storage.setAlarm(t)
  }

  override async alarm(): Promise<void> {
    const worker = this.delivery()
    if (!worker) return
    // Failures are rescheduled by the worker (attempts, lastError, back-off); the alarm follows the next item due.
    await worker.drain()
    const next = nextDue(this.sql)
    if (next !== null) await this.ctx.storage.setAlarm(next)
  }

  async nextSequence(day: string): Promise<number> {
    return nextSequence(this.sql, day)
  }

  async create(request: string): Promise<string> {
    const req = JSON.parse(request) as NewReport
    const created = createReport(this.sql, req, Date.now())
    if (created.created && req.notify) await this.deliverBy(Date.now())
    return JSON.stringify(created)
  }

  async bySubmission(submission: string): Promise<string | undefined> {
    const r = reportBySubmission(this.sql, submission)
    return r && JSON.stringify(r)
  }

  async save(report: string): Promise<void> {
    putReport(this.sql, JSON.parse(report))
  }

  async get(id: string): Promise<string | undefined> {
    const r = getReport(this.sql, id)
    return r && JSON.stringify(r)
  }

  async listByUser(userId: string): Promise<string> {
    return JSON.stringify(reportsByUser(this.sql, userId))
  }

  async listByDistrict(district: string): Promise<string> {
    return JSON.stringify(reportsByDistrict(this.sql, district))
  }

  async listRecent(limit: number): Promise<string> {
    return JSON.stringify(recentReports(this.sql, limit))
  }

  async listFiled(query: string): Promise<string> {
    return JSON.stringify(filedReports(this.sql, JSON.parse(query) as ReportQuery))
  }

  async changeStatus(id: string, change: string, expectUpdatedAt?: number, audit?: string): Promise<string> {
    return JSON.stringify(changeReportStatus(this.sql, id, JSON.parse(change) as StatusChange, expectUpdatedAt, audit ? (JSON.parse(audit) as AuditEntry) : undefined))
  }

  async outboxAdd(item: string): Promise<void> {
    const parsed = JSON.parse(item) as OutboxItem
    putOutboxItem(this.sql, parsed)
    await this.deliverBy(parsed.nextAttemptAt)
  }

  async outboxDue(now: number, limit: number): Promise<string> {
    return JSON.stringify(dueOutboxItems(this.sql, now, limit))
  }

  async outboxUpdate(item: string): Promise<void> {
    updateOutboxItem(this.sql, JSON.parse(item))
  }

  async outboxRemove(id: string): Promise<void> {
    removeOutboxItem(this.sql, id)
  }

  async outboxSize(): Promise<number> {
    return outboxSize(this.sql)
  }

  async rosterReplace(entries: string): Promise<number> {
    return replaceRoster(this.sql, JSON.parse(entries) as RosterEntry[])
  }

  async rosterGet(code: string): Promise<string | undefined> {
    const e = rosterEntry(this.sql, code)
    return e && JSON.stringify(e)
  }

  async rosterAll(): Promise<string> {
    return JSON.stringify(rosterEntries(this.sql))
  }

  async rosterSize(): Promise<number> {
    return rosterSize(this.sql)
  }

  async staffGet(username: string): Promise<string | undefined> {
    const a = staffAccount(this.sql, username)
    return a && JSON.stringify(a)
  }

  async staffPut(account: string): Promise<void> {
    putStaffAccount(this.sql, JSON.parse(account))
  }

  async staffRemove(username: string): Promise<boolean> {
    return removeStaffAccount(this.sql, username)
  }

  async staffList(): Promise<string> {
    return JSON.stringify(staffAccounts(this.sql))
  }

  async staffReplaceKeepingAdmin(account: string): Promise<StaffChange> {
    return replaceStaffKeepingAdmin(this.sql, JSON.parse(account) as StaffAccount)
  }

  async staffRemoveKeepingAdmin(username: string): Promise<StaffChange> {
    return removeStaffKeepingAdmin(this.sql, username)
  }

  async auditAppend(entry: string): Promise<void> {
    appendAudit(this.sql, JSON.parse(entry))
  }

  async auditList(offset: number, limit: number): Promise<string> {
    return JSON.stringify(auditEntries(this.sql, offset, limit))
  }

  async auditSize(): Promise<number> {
    return auditSize(this.sql)
  }

  async handoffOpen(handoff: string): Promise<string> {
    return JSON.stringify(openHandoff(this.sql, JSON.parse(handoff) as Handoff))
  }

  async handoffGet(id: string): Promise<string | undefined> {
    const h = getHandoff(this.sql, id)
    return h && JSON.stringify(h)
  }

  async handoffReplace(next: string, keepClosed: number, audit?: string): Promise<boolean> {
    // Synchronous SQL in one method: the replace and its audit entry land together or not at all.
    const written = replaceHandoff(this.sql, JSON.parse(next) as Handoff, keepClosed)
    if (written && audit) appendAudit(this.sql, JSON.parse(audit) as AuditEntry)
    return written
  }

  async handoffsOpen(): Promise<string> {
    return JSON.stringify(openHandoffs(this.sql))
  }

  async handoffsClosed(limit: number, offset: number): Promise<string> {
    return JSON.stringify(closedHandoffs(this.sql, limit, offset))
  }

  async handoffsClosedCount(): Promise<number> {
    return closedCount(this.sql)
  }

  async unansweredAdd(entry: string): Promise<void> {
    addUnanswered(this.sql, JSON.parse(entry) as UnansweredEntry)
  }

  async unansweredRecent(limit: number, offset = 0): Promise<string> {
    return JSON.stringify(recentUnanswered(this.sql, limit, offset))
  }

  async unansweredMarkHandled(ids: string, by: string, at: number): Promise<void> {
    markUnansweredHandled(this.sql, JSON.parse(ids) as string[], by, at)
  }

  async ping(): Promise<'ok'> {
    return 'ok'
  }
}
