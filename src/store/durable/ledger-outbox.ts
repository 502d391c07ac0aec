import type { SqlStorage } from '@cloudflare/workers-types/index.js'
import type { OutboxItem, RosterEntry } from '../types.js'
import { escapeKey } from './keys.js'

/** The outbox and the roster, as SQL over the ledger object's storage (synchronous, so atomic in the object). */
export function migrateOutbox(sql: SqlStorage): void {
  sql.exec('CREATE TABLE IF NOT EXISTS outbox (id TEXT PRIMARY KEY, next_at INTEGER NOT NULL, created_at INTEGER NOT NULL, body TEXT NOT NULL)')
  sql.exec('CREATE INDEX IF NOT EXISTS outbox_due ON outbox (next_at, created_at)')
  sql.exec('CREATE TABLE IF NOT EXISTS roster (code TEXT PRIMARY KEY, body TEXT NOT NULL)')
}

export function putOutboxItem(sql: SqlStorage, item: OutboxItem): void {
  sql.exec('INSERT OR REPLACE INTO outbox (id, next_at, created_at, body) VALUES (?, ?, ?, ?)', escapeKey(item.id), item.nextAttemptAt, item.createdAt, JSON.stringify(item))
}

/** Replace an item that is still there (after a failed attempt); a removed one stays removed. */
export function updateOutboxItem(sql: SqlStorage, item: OutboxItem): void {
  sql.exec('UPDATE outbox SET next_at = ?, created_at = ?, body = ? WHERE id = ?', item.nextAttemptAt, item.createdAt, JSON.stringify(item), escapeKey(item.id))
}

export function dueOutboxItems(sql: SqlStorage, now: number, limit: number): OutboxItem[] {
  if (limit <= 0) return []
  return [...sql.exec<{ body: string }>('SELECT body FROM outbox WHERE next_at <= ? ORDER BY next_at, created_at LIMIT ?', now, limit)].map((r) => JSON.parse(r.body) as OutboxItem)
}

export function removeOutboxItem(sql: SqlStorage, id: string): void {
  sql.exec('DELETE FROM outbox WHERE id = ?', escapeKey(id))
}

export function outboxSize(sql: SqlStorage): number {
  return sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM outbox').one().n
}

/** When the next notice is due, or null when the outbox is empty. */
export function nextDue(sql: SqlStorage): number | null {
  return sql.exec<{ t: number | null }>('SELECT MIN(next_at) AS t FROM outbox').one().t
}

export function replaceRoster(sql: SqlStorage, entries: RosterEntry[]): number {
  sql.exec('DELETE FROM roster')
  for (const e of entries) sql.exec('INSERT OR REPLACE INTO roster (code, body) VALUES (?, ?)', escapeKey(e.creditCode), JSON.stringify({ ...e }))
  return rosterSize(sql)
}

export function rosterEntry(sql: SqlStorage, code: string): RosterEntry | undefined {
  const row = sql.exec<{ body: string }>('SELECT body FROM roster WHERE code = ?', escapeKey(code)).toArray()[0]
  return row && (JSON.parse(row.body) as RosterEntry)
}

export function rosterEntries(sql: SqlStorage): RosterEntry[] {
  return [...sql.exec<{ body: string }>('SELECT body FROM roster ORDER BY code')].map((r) => JSON.parse(r.body) as RosterEntry)
}

export function rosterSize(sql: SqlStorage): number {
  return sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM roster').one().n
}
