import type { SqlStorage } from '@cloudflare/workers-types/index.js'
import { filedReport } from '../memory-store.js'
import {
  applyStatusChange,
  assertDay,
  parseReportNumber,
  reportNoticeItem,
  type AuditEntry,
  type ChangeStatusResult,
  type CreatedReport,
  type LossReport,
  type NewReport,
  type ReportQuery,
  type StatusChange,
} from '../types.js'
import { escapeKey } from './keys.js'
import { appendAudit } from './ledger-staff.js'
import { putOutboxItem } from './ledger-outbox.js'

/** Reports and the day sequences, as SQL over the ledger object's storage. Every function is synchronous: atomic in the object. */
export function migrateReports(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS reports (
    id TEXT PRIMARY KEY, user_id TEXT NOT NULL, district TEXT NOT NULL, created_at INTEGER NOT NULL, submission TEXT, body TEXT NOT NULL)`)
  sql.exec('CREATE INDEX IF NOT EXISTS reports_user ON reports (user_id, created_at)')
  sql.exec('CREATE INDEX IF NOT EXISTS reports_district ON reports (district, created_at)')
  sql.exec('CREATE INDEX IF NOT EXISTS reports_created ON reports (created_at)')
  sql.exec('CREATE INDEX IF NOT EXISTS reports_submission ON reports (submission)')
  sql.exec('CREATE TABLE IF NOT EXISTS sequences (day TEXT PRIMARY KEY, n INTEGER NOT NULL)')
}

// Newest first, ties by id highest first: the order of every store.
const NEWEST = 'ORDER BY created_at DESC, id DESC'

const bodies = (rows: Iterable<{ body: string }>): LossReport[] => [...rows].map((r) => JSON.parse(r.body) as LossReport)

export function nextSequence(sql: SqlStorage, day: string): number {
  assertDay(day)
  return sql.exec<{ n: number }>('INSERT INTO sequences (day, n) VALUES (?, 1) ON CONFLICT (day) DO UPDATE SET n = n + 1 RETURNING n', day).one().n
}

/** Store a report; its number is never handed out again, even if the sequence had not reached it. */
export function putReport(sql: SqlStorage, report: LossReport): void {
  sql.exec(
    'INSERT OR REPLACE INTO reports (id, user_id, district, created_at, submission, body) VALUES (?, ?, ?, ?, ?, ?)',
    escapeKey(report.id),
    escapeKey(report.userId),
    escapeKey(report.district),
    report.createdAt,
    report.submission === undefined ? null : escapeKey(report.submission),
    JSON.stringify(report),
  )
  const no = parseReportNumber(report.id)
  if (no) sql.exec('INSERT INTO sequences (day, n) VALUES (?, ?) ON CONFLICT (day) DO UPDATE SET n = MAX(n, excluded.n)', no.day, no.n)
}

export function reportBySubmission(sql: SqlStorage, submission: string): LossReport | undefined {
  return bodies(sql.exec<{ body: string }>(`SELECT body FROM reports WHERE submission = ? ${NEWEST} LIMIT 1`, escapeKey(submission)))[0]
}

/** File a report once per submission key: number, report and notice in one synchronous step. */
export function createReport(sql: SqlStorage, req: NewReport, now: number): CreatedReport {
  assertDay(req.day)
  const filed = reportBySubmission(sql, req.submission)
  if (filed) return { report: filed, created: false }
  const n = (sql.exec<{ n: number }>('SELECT n FROM sequences WHERE day = ?', req.day).toArray()[0]?.n ?? 0) + 1
  const report = filedReport(req, n)
  putReport(sql, report)
  if (req.notify) putOutboxItem(sql, reportNoticeItem(report.id, now))
  return { report, created: true }
}

export function getReport(sql: SqlStorage, id: string): LossReport | undefined {
  return bodies(sql.exec<{ body: string }>('SELECT body FROM reports WHERE id = ?', escapeKey(id)))[0]
}

export function reportsByUser(sql: SqlStorage, userId: string): LossReport[] {
  return bodies(sql.exec<{ body: string }>(`SELECT body FROM reports WHERE user_id = ? ${NEWEST}`, escapeKey(userId)))
}

export function reportsByDistrict(sql: SqlStorage, district: string): LossReport[] {
  return bodies(sql.exec<{ body: string }>(`SELECT body FROM reports WHERE district = ? ${NEWEST}`, escapeKey(district)))
}

export function recentReports(sql: SqlStorage, limit: number): LossReport[] {
  if (limit <= 0) return []
  return bodies(sql.exec<{ body: string }>(`SELECT body FROM reports ${NEWEST} LIMIT ?`, limit))
}

/** Filed in [from, to] (either end open), optionally in one district, newest first. */
export function filedReports(sql: SqlStorage, { from, to, district }: ReportQuery): LossReport[] {
  const where: string[] = []
  const args: Array<string | number> = []
  const when = (clause: string, arg: string | number) => {
    where.push(clause)
    args.push(arg)
  }
  if (from !== undefined) when('created_at >= ?', from)
  if (to !== undefined) when('created_at <= ?', to)
  if (district !== undefined) when('district = ?', escapeKey(district))
  return bodies(sql.exec<{ body: string }>(`SELECT body FROM reports ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ${NEWEST}`, ...args))
}

/** A status change in one synchronous step: concurrent changes all land, a stale copy changes nothing. */
export function changeReportStatus(sql: SqlStorage, id: string, change: StatusChange, expectUpdatedAt?: number, audit?: AuditEntry): ChangeStatusResult {
  const before = getReport(sql, id)
  if (!before) return { kind: 'not_found' }
  if (expectUpdatedAt !== undefined && before.updatedAt !== expectUpdatedAt) return { kind: 'stale', report: before }
  const report = applyStatusChange(structuredClone(before), change)
  putReport(sql, report)
  if (audit) appendAudit(sql, audit)
  return { kind: 'changed', before, report }
}
