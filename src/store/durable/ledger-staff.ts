import type { SqlStorage } from '@cloudflare/workers-types/index.js'
import { leavesNoAdmin, type AuditEntry, type StaffAccount, type StaffChange } from '../types.js'
import { escapeKey } from './keys.js'

/** Staff accounts and the append-only audit log, as SQL over the ledger object's storage. */
export function migrateStaff(sql: SqlStorage): void {
  sql.exec('CREATE TABLE IF NOT EXISTS staff (username TEXT PRIMARY KEY, body TEXT NOT NULL)')
  // AUTOINCREMENT: a row id is never reused, so the log's order is the order of appends.
  sql.exec('CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL)')
}

export function staffAccount(sql: SqlStorage, username: string): StaffAccount | undefined {
  const row = sql.exec<{ body: string }>('SELECT body FROM staff WHERE username = ?', escapeKey(username)).toArray()[0]
  return row && (JSON.parse(row.body) as StaffAccount)
}

export function putStaffAccount(sql: SqlStorage, account: StaffAccount): void {
  sql.exec('INSERT OR REPLACE INTO staff (username, body) VALUES (?, ?)', escapeKey(account.username), JSON.stringify(account))
}

export function removeStaffAccount(sql: SqlStorage, username: string): boolean {
  const existed = staffAccount(sql, username) !== undefined
  sql.exec('DELETE FROM staff WHERE username = ?', escapeKey(username))
  return existed
}

/** Replace an existing account unless that leaves no admin (synchronous SQL: the check and the write are one step). */
export function replaceStaffKeepingAdmin(sql: SqlStorage, account: StaffAccount): StaffChange {
  const before = staffAccount(sql, account.username)
  if (!before) return 'not_found'
  if (leavesNoAdmin(before, account, staffAccounts(sql))) return 'last_admin'
  putStaffAccount(sql, account)
  return 'done'
}

/** Remove an account unless it is the last admin (synchronous SQL: the check and the removal are one step). */
export function removeStaffKeepingAdmin(sql: SqlStorage, username: string): StaffChange {
  const before = staffAccount(sql, username)
  if (!before) return 'not_found'
  if (leavesNoAdmin(before, undefined, staffAccounts(sql))) return 'last_admin'
  sql.exec('DELETE FROM staff WHERE username = ?', escapeKey(username))
  return 'done'
}

export function staffAccounts(sql: SqlStorage): StaffAccount[] {
  return [...sql.exec<{ body: string }>('SELECT body FROM staff ORDER BY username')].map((r) => JSON.parse(r.body) as StaffAccount)
}

export function appendAudit(sql: SqlStorage, entry: AuditEntry): void {
  sql.exec('INSERT INTO audit (body) VALUES (?)', JSON.stringify(entry))
}

/** Newest first: `offset` skipped, then at most `limit`. */
export function auditEntries(sql: SqlStorage, offset: number, limit: number): AuditEntry[] {
  if (limit <= 0) return []
  return [...sql.exec<{ body: string }>('SELECT body FROM audit ORDER BY seq DESC LIMIT ? OFFSET ?', limit, Math.max(0, offset))].map((r) => JSON.parse(r.body) as AuditEntry)
}

export function auditSize(sql: SqlStorage): number {
  return sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM audit').one().n
}
