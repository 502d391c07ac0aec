import { mkdir, open, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Logger } from 'pino'
import { applyRecord, encodeRecord, writeFileAtomic, type JournalRecord, type Snapshot } from './journal.js'
import type { MemoryState } from './memory-store.js'
import { StoreUnavailableError } from './types.js'

// Sessions and kv entries are written at once but fsynced lazily (a killed process loses nothing the kernel has;
// only a power cut can take the last second); reports, numbers, outbox and roster are fsynced before the call resolves.
const SESSION_SYNC_MS = 1000
const COMPACT_RETRY_MS = 60_000

export const unavailable = (what: string, err: unknown) =>
  new StoreUnavailableError(`file store: ${what}: ${(err as Error).message}`, { cause: err })

export interface JournalWriterOptions {
  /** The journal, open for appending. */
  handle: FileHandle
  paths: { journal: string; snapshot: string }
  /** The state the journal was replayed into; written records are applied to it. */
  state: MemoryState
  /** Where the replay left off: journal bytes, bytes of its `begin` record, last line's checksum, snapshot generation. */
  position: { bytes: number; baseBytes: number; crc: number; gen: number }
  now: () => number
  logger?: Logger
  compactAfterBytes: number
  compactEveryMs: number
}

export interface JournalWriter {
  /**
   * Append a record (group commit); it reaches the state once written, so memory never shows what the disk lacks.
   * `applied`: the caller changed the state already (kv), the record is only made durable.
   */
  write(rec: JournalRecord, durable: boolean, applied?: boolean): Promise<void>
  /** Write a snapshot and start a new journal that continues it. */
  compact(): Promise<void>
  /** The data folder was emptied under this process: write everything it holds back, as a new snapshot and journal. */
  rebuild(): Promise<void>
  failing(): boolean
  closed(): boolean
  /** Sync, compact (a clean stop leaves just a snapshot), close the file; writes after this are refused. */
  close(): Promise<void>
}

/** The embedded store's disk side: appends, fsyncs and compactions, one task at a time. */
export function createJournalWriter({ handle: journal, paths, state, position, now, logger, compactAfterBytes, compactEveryMs }: JournalWriterOptions): JournalWriter {
  let { bytes: journalBytes, baseBytes, crc: lastCrc, gen } = position

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
      staff: [...state.staff.values()],
      audit: [...state.audit],
      handoffs: [...state.handoffs.values()],
      unanswered: [...state.unanswered.values()],
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

  return {
    write,
    compact: () => enqueue(compactNow),
    rebuild: () =>
      enqueue(async () => {
        await mkdir(dirname(paths.journal), { recursive: true })
        // The open handle points at the deleted file: a new one at the path, then a snapshot of the whole state.
        const gone = journal
        journal = await open(paths.journal, 'a')
        await gone.close().catch(() => undefined)
        await compactNow()
      }),
    failing: () => failing,
    closed: () => closed,
    async close() {
      if (closed) return
      closed = true
      clearInterval(compactTimer)
      clearTimeout(syncTimer)
      await enqueue(async () => {
        await syncNow()
        await compactQuietly()
        await journal.close()
      })
    },
  }
}
