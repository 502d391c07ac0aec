import { DurableObject } from 'cloudflare:workers'
import type { DurableObjectState, SqlStorage } from '@cloudflare/workers-types/index.js'
import { createLocalLocks } from '../memory-store.js'
import type { KeyedApi } from './api.js'

type Row = { v: string; exp: number }

/**
 * A user's Durable Object (and, under other names, a shard of the shared kv): SQLite rows with an expiry, and
 * an in-memory queue per lock. The queue is what serialises a user's turns: an `await` inside a method lets the
 * next call in, so two turns of one user would otherwise both read the session and one update would be lost.
 * A lock is held by an RPC callback into the caller; if the caller goes away the callback fails and the lock is
 * free again — no lease to expire.
 */
export class KeyedObject extends DurableObject<unknown> implements KeyedApi {
  private readonly sql: SqlStorage
  private readonly locks = createLocalLocks()
  /** The alarm that sweeps expired rows; undefined until read from storage. */
  private alarmAt: number | null | undefined

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    this.sql.exec('CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL, exp INTEGER NOT NULL)')
    this.sql.exec('CREATE INDEX IF NOT EXISTS kv_exp ON kv (exp)')
  }

  /** The row's value while it lives; an expired row is dropped on the way. Synchronous: no other call can interleave. */
  private live(k: string): string | undefined {
    const row = this.sql.exec<Row>('SELECT v, exp FROM kv WHERE k = ?', k).toArray()[0]
    if (!row) return undefined
    if (row.exp > Date.now()) return row.v
    this.sql.exec('DELETE FROM kv WHERE k = ?', k)
    return undefined
  }

  private put(k: string, v: string, ttlSeconds: number): number {
    const exp = Date.now() + ttlSeconds * 1000
    this.sql.exec('INSERT INTO kv (k, v, exp) VALUES (?, ?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v, exp = excluded.exp', k, v, exp)
    return exp
  }

  /** Expired rows are deleted by an alarm at the earliest expiry, so a user who never returns leaves nothing behind. */
  private async sweepAt(exp: number): Promise<void> {
    if (this.alarmAt === undefined) this.alarmAt = await this.ctx.storage.getAlarm()
    if (this.alarmAt !== null && this.alarmAt <= exp) return
    this.alarmAt = exp
    await this.ctx.storage.setAlarm(exp)
  }

  async get(key: string): Promise<string | undefined> {
    return this.live(`k:${key}`)
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.sweepAt(this.put(`k:${key}`, value, ttlSeconds))
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    // Check and write with no await between them: atomic within the object.
    if (this.live(`k:${key}`) !== undefined) return false
    await this.sweepAt(this.put(`k:${key}`, value, ttlSeconds))
    return true
  }

  async delete(key: string): Promise<void> {
    this.sql.exec('DELETE FROM kv WHERE k = ?', `k:${key}`)
  }

  async setIfEquals(key: string, expected: string, value: string, ttlSeconds: number): Promise<boolean> {
    // Compare and write with no await between them, as setIfAbsent: a stale holder cannot slip in between.
    if (this.live(`k:${key}`) !== expected) return false
    await this.sweepAt(this.put(`k:${key}`, value, ttlSeconds))
    return true
  }

  async deleteIfEquals(key: string, expected: string): Promise<boolean> {
    if (this.live(`k:${key}`) !== expected) return false
    this.sql.exec('DELETE FROM kv WHERE k = ?', `k:${key}`)
    return true
  }

  async exclusive(lock: string, held: () => Promise<unknown>): Promise<void> {
    await this.locks(`x:${lock}`, async () => void (await held()))
  }

  async turn(owner: string, ttlSeconds: number, step: (session: string | undefined) => Promise<string | undefined>): Promise<void> {
    await this.locks(`x:user:${owner}`, async () => {
      const k = `s:${owner}`
      const next = await step(this.live(k))
      // undefined: the turn failed in the caller; nothing is saved.
      if (next !== undefined) await this.sweepAt(this.put(k, next, ttlSeconds))
    })
  }

  /** Sessions go through the same rows as kv, under their own prefix. */
  async getSession(owner: string): Promise<string | undefined> {
    return this.live(`s:${owner}`)
  }

  async saveSession(owner: string, session: string, ttlSeconds: number): Promise<void> {
    await this.sweepAt(this.put(`s:${owner}`, session, ttlSeconds))
  }

  async deleteSession(owner: string): Promise<void> {
    this.sql.exec('DELETE FROM kv WHERE k = ?', `s:${owner}`)
  }

  async ping(): Promise<'ok'> {
    return 'ok'
  }

  override async alarm(): Promise<void> {
    this.sql.exec('DELETE FROM kv WHERE exp <= ?', Date.now())
    const next = this.sql.exec<{ exp: number | null }>('SELECT MIN(exp) AS exp FROM kv').one().exp
    this.alarmAt = next
    if (next !== null) await this.ctx.storage.setAlarm(next)
  }
}
