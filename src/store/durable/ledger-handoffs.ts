import type { SqlStorage } from '@cloudflare/workers-types/index.js'
import { UNANSWERED_KEEP, type Handoff, type HandoffOpened, type UnansweredEntry } from '../types.js'
import { escapeKey } from './keys.js'

/** Handoffs (转人工) and the unanswered log, as SQL over the ledger object's storage (synchronous: atomic in the object). */
export function migrateHandoffs(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS handoffs (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, status TEXT NOT NULL, version INTEGER NOT NULL,
    created_at INTEGER NOT NULL, closed_order INTEGER NOT NULL, body TEXT NOT NULL)`)
  sql.exec('CREATE INDEX IF NOT EXISTS handoffs_owner ON handoffs (owner, status)')
  sql.exec('CREATE INDEX IF NOT EXISTS handoffs_status ON handoffs (status, created_at)')
  // The closed list in close order: its pages, and the first closed that retention deletes.
  sql.exec('CREATE INDEX IF NOT EXISTS handoffs_closed ON handoffs (status, closed_order, id)')
  sql.exec('CREATE TABLE IF NOT EXISTS unanswered (id TEXT PRIMARY KEY, at INTEGER NOT NULL, body TEXT NOT NULL)')
  sql.exec('CREATE INDEX IF NOT EXISTS unanswered_at ON unanswered (at, id)')
}

const parse = (rows: Iterable<{ body: string }>): Handoff[] => [...rows].map((r) => JSON.parse(r.body) as Handoff)

function putHandoff(sql: SqlStorage, h: Handoff): void {
  sql.exec(
    'INSERT OR REPLACE INTO handoffs (id, owner, status, version, created_at, closed_order, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
    escapeKey(h.id),
    escapeKey(h.owner),
    h.status,
    h.version,
    h.createdAt,
    h.closedAt ?? h.updatedAt,
    JSON.stringify(h),
  )
}

export function getHandoff(sql: SqlStorage, id: string): Handoff | undefined {
  return parse(sql.exec<{ body: string }>('SELECT body FROM handoffs WHERE id = ?', escapeKey(id)))[0]
}

/** A new handoff (version 1), unless its owner has one that is not closed: then that one. */
export function openHandoff(sql: SqlStorage, h: Handoff): HandoffOpened {
  const existing = parse(sql.exec<{ body: string }>("SELECT body FROM handoffs WHERE owner = ? AND status != 'closed' LIMIT 1", escapeKey(h.owner)))[0]
  if (existing) return { handoff: existing, created: false }
  if (getHandoff(sql, h.id)) throw new Error(`handoff ${h.id} exists`)
  const stored = { ...h, version: 1 }
  putHandoff(sql, stored)
  return { handoff: stored, created: true }
}

/**
 * Compare-and-set on the version; a closed handoff stays closed. Closing one deletes the first closed beyond
 * `keepClosed` in the same step.
 */
export function replaceHandoff(sql: SqlStorage, next: Handoff, keepClosed: number): boolean {
  const cur = getHandoff(sql, next.id)
  if (!cur || cur.version !== next.version - 1 || (cur.status === 'closed' && next.status !== 'closed')) return false
  putHandoff(sql, next)
  if (next.status === 'closed') {
    const extra = closedCount(sql) - keepClosed
    if (extra > 0) {
      sql.exec("DELETE FROM handoffs WHERE id IN (SELECT id FROM handoffs WHERE status = 'closed' ORDER BY closed_order, id LIMIT ?)", extra)
    }
  }
  return true
}

/** How many closed handoffs are kept. */
export function closedCount(sql: SqlStorage): number {
  return sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM handoffs WHERE status = 'closed'").one().n
}

export function openHandoffs(sql: SqlStorage): Handoff[] {
  return parse(sql.exec<{ body: string }>("SELECT body FROM handoffs WHERE status != 'closed' ORDER BY created_at, id"))
}

/** The last closed first: `offset` skipped, then at most `limit`. */
export function closedHandoffs(sql: SqlStorage, limit: number, offset = 0): Handoff[] {
  if (limit <= 0) return []
  return parse(
    sql.exec<{ body: string }>("SELECT body FROM handoffs WHERE status = 'closed' ORDER BY closed_order DESC, id DESC LIMIT ? OFFSET ?", limit, Math.max(0, offset)),
  )
}

/** Once per id; the oldest beyond UNANSWERED_KEEP are dropped. */
export function addUnanswered(sql: SqlStorage, entry: UnansweredEntry): void {
  sql.exec('INSERT OR IGNORE INTO unanswered (id, at, body) VALUES (?, ?, ?)', escapeKey(entry.id), entry.at, JSON.stringify(entry))
  const extra = sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM unanswered').one().n - UNANSWERED_KEEP
  if (extra > 0) sql.exec('DELETE FROM unanswered WHERE id IN (SELECT id FROM unanswered ORDER BY at, id LIMIT ?)', extra)
}

export function recentUnanswered(sql: SqlStorage, limit: number, offset = 0): UnansweredEntry[] {
  if (limit <= 0) return []
  return [...sql.exec<{ body: string }>('SELECT body FROM unanswered ORDER BY at DESC, id DESC LIMIT ? OFFSET ?', limit, Math.max(0, offset))].map((r) => JSON.parse(r.body) as UnansweredEntry)
}

export function markUnansweredHandled(sql: SqlStorage, ids: string[], by: string, at: number): void {
  for (const id of ids) {
    const row = sql.exec<{ body: string }>('SELECT body FROM unanswered WHERE id = ?', escapeKey(id)).toArray()[0]
    if (!row) continue
    sql.exec('UPDATE unanswered SET body = ? WHERE id = ?', JSON.stringify({ ...(JSON.parse(row.body) as UnansweredEntry), handledAt: at, handledBy: by }), escapeKey(id))
  }
}
