import { mkdir, open, stat, type FileHandle } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Logger } from 'pino'
import { acquireLock } from './dir-lock.js'
import { checkPair, loadSnapshot, replayJournal, type JournalRecord } from './journal.js'
import { createJournalWriter, unavailable } from './journal-writer.js'
import {
  auditId,
  canReplaceHandoff,
  closedBeyondCap,
  createMemoryStore,
  emptyMemoryState,
  filedReport,
  openHandoffOf,
  staffRemovalOf,
  staffReplaceOf,
  statusChangeOf,
} from './memory-store.js'
import { assertDay, HANDOFF_KEEP_CLOSED, WIPE_PROBLEM_MS, reportNoticeItem, StoreUnavailableError, type Store } from './types.js'

export interface FileStoreOptions {
  dataDir: string
  sessionTtlSeconds: number
  now?: () => number
  logger?: Logger
  /** Compact once the journal passes this many bytes (default 8 MiB)… */
  compactAfterBytes?: number
  /** …and at least this often while it holds anything (default 10 min). */
  compactEveryMs?: number
  /** A lock file nobody has touched for this long is stale, whatever its pid (default 30 s). */
  lockStaleMs?: number
  /** Closed handoffs kept (HANDOFF_KEEP_CLOSED, default 2000); older ones are deleted when another closes. */
  handoffKeepClosed?: number
  /** How often to look whether the data folder is still there (default 5 s). */
  folderCheckMs?: number
}

/** The file store, with compaction exposed for tests and maintenance. */
export type FileStore = Store & { compact(): Promise<void> }

/**
 * The embedded store: the memory store, with every change appended to a checksummed journal in dataDir
 * (journal.ts) and compacted into a snapshot now and then. kv entries (WeChat message dedupe, cached answers,
 * tokens) are journaled too, so a restart does not forget which messages were already answered.
 */
export async function createFileStore({
  dataDir,
  sessionTtlSeconds,
  now = Date.now,
  logger,
  compactAfterBytes = 8 * 1024 * 1024,
  compactEveryMs = 10 * 60_000,
  lockStaleMs = 30_000,
  handoffKeepClosed = HANDOFF_KEEP_CLOSED,
  folderCheckMs = 5_000,
}: FileStoreOptions): Promise<FileStore> {
  const dir = resolve(dataDir)
  const paths = { lock: join(dir, 'store.lock'), snapshot: join(dir, 'snapshot.json'), journal: join(dir, 'journal.jsonl') }
  await mkdir(dir, { recursive: true }).catch((err) => {
    throw unavailable(`cannot create ${dir}`, err)
  })
  let releaseLock = await acquireLock(paths.lock, lockStaleMs, logger).catch((err) => {
    throw err instanceof StoreUnavailableError ? err : unavailable(`cannot lock ${dir}`, err)
  })

  const state = emptyMemoryState()
  let journal: FileHandle
  let position: { bytes: number; baseBytes: number; crc: number; gen: number }
  try {
    const snapshotGen = await loadSnapshot(paths.snapshot, state)
    const replayed = await replayJournal(paths.journal, state, logger)
    checkPair(paths, replayed, snapshotGen)
    const bytes = Math.max(0, replayed.bytes)
    position = {
      bytes,
      // A journal holding just its `begin` record has nothing to compact.
      baseBytes: replayed.records <= 1 && replayed.gen > 0 ? bytes : 0,
      crc: replayed.crc,
      gen: Math.max(snapshotGen ?? 0, replayed.gen),
    }
    journal = await open(paths.journal, 'a')
  } catch (err) {
    await releaseLock()
    throw unavailable('cannot load', err)
  }
  const t0 = now()
  for (const [k, e] of state.kv) if (e.expiresAt <= t0) state.kv.delete(k)
  const memory = createMemoryStore({ sessionTtlSeconds, now, handoffKeepClosed }, state)

  const writer = createJournalWriter({
    handle: journal,
    paths,
    state,
    position,
    now,
    logger,
    compactAfterBytes,
    compactEveryMs,
  })
  const write = writer.write

  /*
   * The data folder wiped while this process runs (a cleanup job, a volume remounted empty): the journal this
   * process appends to is a deleted file, and a restart would find nothing — reports, accounts, numbering. Every
   * few seconds the lock file is looked for; when it is gone, everything held in memory is written back (a new
   * snapshot and journal) and the lock taken again, so nothing is lost and no report number is reused. /healthz
   * says so for a day. If another process took the folder meanwhile, this one stops writing to it.
   */
  let wiped: { at: number; problem: string } | undefined
  let rebuilding = false
  async function checkFolder(): Promise<void> {
    if (rebuilding || writer.closed() || (await stat(paths.lock).then(() => true, () => false))) return
    rebuilding = true
    const at = now()
    logger?.error({ dataDir: dir }, 'data folder wiped under the running store: writing everything it holds back')
    try {
      await releaseLock()
      await mkdir(dir, { recursive: true })
      releaseLock = await acquireLock(paths.lock, lockStaleMs, logger)
      await writer.rebuild()
      wiped = { at, problem: `data folder wiped at ${new Date(at).toISOString()}: rebuilt from what this process held; nothing it held was lost` }
    } catch (err) {
      wiped = { at, problem: `data folder wiped at ${new Date(at).toISOString()} and could not be rebuilt: ${(err as Error).message}` }
      logger?.error({ err: (err as Error).message, dataDir: dir }, 'could not rebuild the wiped data folder')
    } finally {
      rebuilding = false
    }
  }
  const watching = setInterval(() => void checkFolder(), folderCheckMs)
  watching.unref()

  // Submission keys being written by create(): a second create with the same key waits for the first.
  const creating = new Map<string, Promise<void>>()

  /** A kv change is in memory at once (setIfAbsent must answer at once), written lazily like sessions. */
  async function writeKv(rec: JournalRecord & { op: 'kv.set' | 'kv.delete' }, undo: () => void): Promise<void> {
    try {
      await write(rec, false, true)
    } catch (err) {
      undo()
      throw err
    }
  }

  return {
    sessions: {
      get: memory.sessions.get,
      save: (session) =>
        write({ op: 'session.save', session: structuredClone(session), expiresAt: now() + sessionTtlSeconds * 1000 }, false),
      delete: (userId) => write({ op: 'session.delete', userId }, false),
    },
    reports: {
      async nextSequence(day) {
        // Taken in memory at once so concurrent callers never share a number; a failed write leaves a gap, not a repeat.
        const n = (state.sequences.get(day) ?? 0) + 1
        state.sequences.set(day, n)
        await write({ op: 'seq', day, n }, true)
        return n
      },
      async create(req) {
        assertDay(req.day)
        for (;;) {
          const filed = memory.reports.bySubmission(req.submission)
          const report = await filed
          if (report) return { report, created: false }
          const inFlight = creating.get(req.submission)
          if (!inFlight) break
          await inFlight.catch(() => undefined)
        }
        if (writer.closed()) throw new StoreUnavailableError('file store is closed')
        // The number is taken at once, like nextSequence(); the report, its number and its notice then reach the
        // disk as one record, so a crash keeps all three or none.
        const n = (state.sequences.get(req.day) ?? 0) + 1
        state.sequences.set(req.day, n)
        const report = filedReport(req, n)
        const notice = req.notify ? reportNoticeItem(report.id, now()) : undefined
        const written = write({ op: 'report.create', report, ...(notice ? { notice } : {}) }, true)
        creating.set(req.submission, written)
        try {
          await written
        } finally {
          creating.delete(req.submission)
        }
        return { report: structuredClone(report), created: true }
      },
      bySubmission: memory.reports.bySubmission,
      save: (report) => write({ op: 'report.save', report: structuredClone(report) }, true),
      get: memory.reports.get,
      listByUser: memory.reports.listByUser,
      listByDistrict: memory.reports.listByDistrict,
      listRecent: memory.reports.listRecent,
      listFiled: memory.reports.listFiled,
      // One change of a report at a time (this process is the only writer): read, apply, journal, then the next.
      changeStatus: (id, change, expectUpdatedAt, audit) =>
        memory.runExclusive(`report-status:${id}`, async () => {
          const result = statusChangeOf(state, id, change, expectUpdatedAt)
          // The audit entry in the same journal record: a crash keeps both or neither.
          const withAudit = audit ? { audit: { id: auditId(audit), entry: structuredClone(audit) } } : {}
          if (result.kind === 'changed') await write({ op: 'report.save', report: structuredClone(result.report), ...withAudit }, true)
          return result
        }),
    },
    outbox: {
      add: (item) => write({ op: 'outbox.add', item: structuredClone(item) }, true),
      due: memory.outbox.due,
      update: (item) => write({ op: 'outbox.update', item: structuredClone(item) }, true),
      remove: (id) => write({ op: 'outbox.remove', id }, true),
      size: memory.outbox.size,
    },
    roster: {
      async replace(entries) {
        await write({ op: 'roster.replace', entries: entries.map((e) => ({ ...e })) }, true)
        return state.roster.size
      },
      getByCode: memory.roster.getByCode,
      all: memory.roster.all,
      size: memory.roster.size,
    },
    kv: {
      get: memory.kv.get,
      async setIfAbsent(key, value, ttlSeconds) {
        if (writer.closed()) throw new StoreUnavailableError('file store is closed')
        if (!(await memory.kv.setIfAbsent(key, value, ttlSeconds))) return false
        const entry = state.kv.get(key)!
        await writeKv({ op: 'kv.set', key, value, expiresAt: entry.expiresAt }, () => {
          if (state.kv.get(key) === entry) state.kv.delete(key)
        })
        return true
      },
      async set(key, value, ttlSeconds) {
        if (writer.closed()) throw new StoreUnavailableError('file store is closed')
        const before = state.kv.get(key)
        await memory.kv.set(key, value, ttlSeconds)
        const entry = state.kv.get(key)!
        await writeKv({ op: 'kv.set', key, value, expiresAt: entry.expiresAt }, () => {
          if (state.kv.get(key) !== entry) return
          if (before) state.kv.set(key, before)
          else state.kv.delete(key)
        })
      },
      async delete(key) {
        if (writer.closed()) throw new StoreUnavailableError('file store is closed')
        const before = state.kv.get(key)
        if (!before) return
        state.kv.delete(key)
        await writeKv({ op: 'kv.delete', key }, () => {
          if (!state.kv.has(key)) state.kv.set(key, before)
        })
      },
      // Compared and changed in memory with no await between (this process is the only writer), then journaled as
      // the plain kv.set / kv.delete record it amounts to: replay needs no compare, the journal format is unchanged.
      async setIfEquals(key, expected, value, ttlSeconds) {
        if (writer.closed()) throw new StoreUnavailableError('file store is closed')
        const before = state.kv.get(key)
        if (!(await memory.kv.setIfEquals(key, expected, value, ttlSeconds))) return false
        const entry = state.kv.get(key)!
        await writeKv({ op: 'kv.set', key, value, expiresAt: entry.expiresAt }, () => {
          if (state.kv.get(key) === entry) state.kv.set(key, before!)
        })
        return true
      },
      async deleteIfEquals(key, expected) {
        if (writer.closed()) throw new StoreUnavailableError('file store is closed')
        const before = state.kv.get(key)
        if (!(await memory.kv.deleteIfEquals(key, expected))) return false
        await writeKv({ op: 'kv.delete', key }, () => {
          if (!state.kv.has(key)) state.kv.set(key, before!)
        })
        return true
      },
    },
    // Account writes one at a time (this process is the only writer): a guarded change checks the state its
    // predecessor left (the journal writer applies a record once it is written), then journals the plain
    // staff.put / staff.remove record it amounts to — replay needs no check, the journal format is unchanged.
    staff: {
      get: memory.staff.get,
      put: (account) => memory.runExclusive('staff', () => write({ op: 'staff.put', account: structuredClone(account) }, true)),
      remove: (username) =>
        memory.runExclusive('staff', async () => {
          if (!state.staff.has(username)) return false
          await write({ op: 'staff.remove', username }, true)
          return true
        }),
      list: memory.staff.list,
      replaceKeepingAdmin: (account) =>
        memory.runExclusive('staff', async () => {
          const result = staffReplaceOf(state, account)
          if (result === 'done') await write({ op: 'staff.put', account: structuredClone(account) }, true)
          return result
        }),
      removeKeepingAdmin: (username) =>
        memory.runExclusive('staff', async () => {
          const result = staffRemovalOf(state, username)
          if (result === 'done') await write({ op: 'staff.remove', username }, true)
          return result
        }),
    },
    audit: {
      append: (entry) => write({ op: 'audit.append', id: auditId(entry), entry: structuredClone(entry) }, true),
      list: memory.audit.list,
      size: memory.audit.size,
    },
    handoffs: {
      // One handoff write at a time (this process is the only writer): check the owner or the version, journal, next.
      open: (h) =>
        memory.runExclusive('handoffs', async () => {
          const existing = openHandoffOf(state, h.owner)
          if (existing) return { handoff: structuredClone(existing), created: false }
          if (state.handoffs.has(h.id)) throw new Error(`handoff ${h.id} exists`)
          const handoff = { ...structuredClone(h), version: 1 }
          await write({ op: 'handoff.put', handoff }, true)
          return { handoff: structuredClone(handoff), created: true }
        }),
      get: memory.handoffs!.get,
      replace: (next, audit) =>
        memory.runExclusive('handoffs', async () => {
          if (!canReplaceHandoff(state, next)) return false
          // The closed ones beyond the cap go in the same record, by id: a crash keeps the close and the deletions or
          // neither; so does the audit entry.
          const drop = closedBeyondCap(state, next, handoffKeepClosed)
          const withAudit = audit ? { audit: { id: auditId(audit), entry: structuredClone(audit) } } : {}
          await write({ op: 'handoff.put', handoff: structuredClone(next), ...(drop.length ? { drop } : {}), ...withAudit }, true)
          return true
        }),
      listOpen: memory.handoffs!.listOpen,
      listClosed: memory.handoffs!.listClosed,
      countClosed: memory.handoffs!.countClosed,
    },
    unanswered: {
      // Not fsynced at once, like sessions: a log for staff, not a record anyone relies on.
      add: (entry) => write({ op: 'unanswered.add', entry: structuredClone(entry) }, false),
      recent: memory.unanswered!.recent,
      markHandled: (ids, by, at) => write({ op: 'unanswered.handled', ids: [...ids], by, at }, false),
    },
    runExclusive: memory.runExclusive,
    async health() {
      return writer.closed() || writer.failing() ? 'degraded' : 'ok'
    },
    async problems() {
      if (wiped === undefined || now() - wiped.at > WIPE_PROBLEM_MS) return []
      return [wiped.problem]
    },
    compact: writer.compact,
    async close() {
      if (writer.closed()) return
      clearInterval(watching)
      await writer.close()
      await releaseLock()
      await memory.close()
    },
  }
}
