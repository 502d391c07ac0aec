import { mkdir, open, type FileHandle } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Logger } from 'pino'
import { acquireLock } from './dir-lock.js'
import { applyRecord, checkPair, encodeRecord, loadSnapshot, replayJournal, writeFileAtomic, type JournalRecord, type Snapshot } from './journal.js'
import { createMemoryStore, emptyMemoryState, filedReport } from './memory-store.js'
import { assertDay, reportNoticeItem, StoreUnavailableError, type Store } from './types.js'

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
}

/** The file store, with compaction exposed for tests and maintenance. */
export type FileStore = Store & { compact(): Promise<void> }

// Sessions and kv entries are written at once but fsynced lazily (a killed process loses nothing the kernel has;
// only a power cut can take the last second); reports, numbers, outbox and roster are fsynced before the call resolves.
const SESSION_SYNC_MS = 1000
const COMPACT_RETRY_MS = 60_000

const unavailable = (what: string, err: unknown) =>
  new StoreUnavailableError(`file store: ${what}: ${(err as Error).message}`, { cause: err })

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
}: FileStoreOptions): Promise<FileStore> {
  const dir = resolve(dataDir)
  const paths = { lock: join(dir, 'store.lock'), snapshot: join(dir, 'snapshot.json'), journal: join(dir, 'journal.jsonl') }
  await mkdir(dir, { recursive: true }).catch((err) => {
    throw unavailable(`cannot create ${dir}`, err)
  })
  const releaseLock = await acquireLock(paths.lock, lockStaleMs, logger).catch((err) => {
    throw err instanceof StoreUnavailableError ? err : unavailable(`cannot lock ${dir}`, err)
  })

  const state = emptyMemoryState()
  let journal: FileHandle
  let journalBytes: number
  // Bytes of the journal's own `begin` record: a journal of just that holds nothing to compact.
  let baseBytes = 0
  let lastCrc = 0
  let gen: number
  try {
    const snapshotGen = await loadSnapshot(paths.snapshot, state)
    const replayed = await replayJournal(paths.journal, state, logger)
    checkPair(paths, replayed, snapshotGen)
    gen = Math.max(snapshotGen ?? 0, replayed.gen)
    journalBytes = Math.max(0, replayed.bytes)
    if (replayed.records <= 1 && replayed.gen > 0) baseBytes = journalBytes
    lastCrc = replayed.crc
    journal = await open(paths.journal, 'a')
  } catch (err) {
    await releaseLock()
    throw unavailable('cannot load', err)
  }
  const t0 = now()
  for (const [k, e] of state.kv) if (e.expiresAt <= t0) state.kv.delete(k)
  const memory = createMemoryStore({ sessionTtlSeconds, now }, state)

  // All disk work runs one task at a time on this queue, so compaction never interleaves with an append.
  let queue: Promise<unknown> = Promise.resolve()
  function enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task)
    queue = run.catch(() => undefined)
    return run
  }

  interface Pending {
    rec: JournalRecord
    durable: boolean
    /** Already in memory (kv): not applied again when written, or a later change would be undone meanwhile. */
    applied: boolean
    done: (err?: Error) => void
  }
  let pending: Pending[] = []
  let flushQueued = false
  // A failed append may have left part of a line; it is cut off before the next one, so the journal never holds
  // a damaged line in the middle (which start-up would refuse).
  let partialTail = false
  let unsynced = false
  let failing = false
  let closed = false
  let compactFailedAt = -Infinity
  let syncTimer: NodeJS.Timeout | undefined
  // Submission keys being written by create(): a second create with the same key waits for the first.
  const creating = new Map<string, Promise<void>>()

  /** Append a record; it reaches memory once written (kv: at once), so memory never shows what the disk lacks. */
  function write(rec: JournalRecord, durable: boolean, applied = false): Promise<void> {
    if (closed) return Promise.reject(new StoreUnavailableError('file store is closed'))
    return new Promise((resolvePromise, reject) => {
      pending.push({ rec, durable, applied, done: (err) => (err ? reject(err) : resolvePromise()) })
      if (!flushQueued) {
        flushQueued = true
        void enqueue(flush)
      }
    })
  }

  // Group commit: everything that arrived while the previous write ran goes out in one write (and one fsync).
  async function flush() {
    flushQueued = false
    const batch = pending
    pending = []
    try {
      if (partialTail) {
        await journal.truncate(journalBytes)
        partialTail = false
      }
      // Encoded here, in journal order, each line chained to the one before.
      let crc = lastCrc
      const text = batch.map((p) => {
        const encoded = encodeRecord(p.rec, crc)
        crc = encoded.crc
        return encoded.line
      }).join('')
      partialTail = true
      await journal.appendFile(text)
      partialTail = false
      lastCrc = crc
      journalBytes += Buffer.byteLength(text)
      if (batch.some((p) => p.durable)) {
        await journal.datasync()
        unsynced = false
      } else {
        unsynced = true
        syncTimer ??= setTimeout(() => void enqueue(syncNow), SESSION_SYNC_MS).unref()
      }
      failing = false
      for (const p of batch) if (!p.applied) applyRecord(state, p.rec)
      for (const p of batch) p.done()
    } catch (err) {
      failing = true
      logger?.error({ err: (err as Error).message }, 'store journal write failed')
      const e = unavailable('journal write failed', err)
      for (const p of batch) p.done(e)
    }
    if (journalBytes >= compactAfterBytes && Date.now() - compactFailedAt > COMPACT_RETRY_MS) await compactQuietly()
  }

  async function syncNow() {
    syncTimer = undefined
    if (!unsynced) return
    try {
      await journal.datasync()
      unsynced = false
    } catch (err) {
      logger?.error({ err: (err as Error).message }, 'store journal sync failed')
    }
  }

  async function compactNow() {
    const t = now()
    const snap: Snapshot = {
      v: 2,
      gen: gen + 1,
      sessions: [...state.sessions].filter(([, s]) => s.expiresAt > t),
      reports: [...state.reports.values()],
      sequences: [...state.sequences],
      outbox: [...state.outbox.values()],
      roster: [...state.roster.values()],
      kv: [...state.kv].filter(([, e]) => e.expiresAt > t),
    }
    try {
      await writeFileAtomic(paths.snapshot, JSON.stringify(snap))
      gen++
      // The journal now continues the new snapshot, and says so in its first record.
      const begin = encodeRecord({ op: 'begin', gen }, 0)
      await journal.truncate(0)
      journalBytes = 0
      lastCrc = 0
      partialTail = true
      await journal.appendFile(begin.line)
      partialTail = false
      await journal.datasync()
      lastCrc = begin.crc
      journalBytes = baseBytes = Buffer.byteLength(begin.line)
    } catch (err) {
      compactFailedAt = Date.now()
      throw unavailable('compaction failed', err)
    }
  }

  async function compactQuietly() {
    await compactNow().catch((err: Error) => logger?.error({ err: err.message }, 'store compaction failed'))
  }

  const compactTimer = setInterval(() => {
    if (journalBytes > baseBytes) void enqueue(compactQuietly)
  }, compactEveryMs)
  compactTimer.unref()
  if (journalBytes >= compactAfterBytes) void enqueue(compactQuietly)

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
        if (closed) throw new StoreUnavailableError('file store is closed')
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
        if (closed) throw new StoreUnavailableError('file store is closed')
        if (!(await memory.kv.setIfAbsent(key, value, ttlSeconds))) return false
        const entry = state.kv.get(key)!
        await writeKv({ op: 'kv.set', key, value, expiresAt: entry.expiresAt }, () => {
          if (state.kv.get(key) === entry) state.kv.delete(key)
        })
        return true
      },
      async set(key, value, ttlSeconds) {
        if (closed) throw new StoreUnavailableError('file store is closed')
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
        if (closed) throw new StoreUnavailableError('file store is closed')
        const before = state.kv.get(key)
        if (!before) return
        state.kv.delete(key)
        await writeKv({ op: 'kv.delete', key }, () => {
          if (!state.kv.has(key)) state.kv.set(key, before)
        })
      },
    },
    runExclusive: memory.runExclusive,
    async health() {
      return closed || failing ? 'degraded' : 'ok'
    },
    compact: () => enqueue(compactNow),
    async close() {
      if (closed) return
      closed = true
      clearInterval(compactTimer)
      clearTimeout(syncTimer)
      await enqueue(async () => {
        await syncNow()
        await compactQuietly() // a clean stop leaves just a snapshot: the next start reads one file
        await journal.close()
      })
      await releaseLock()
      await memory.close()
    },
  }
}
