import { mkdir, open, readFile, rename, truncate, type FileHandle } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { Logger } from 'pino'
import type { Session } from '../engine/types.js'
import { acquireLock } from './dir-lock.js'
import { createMemoryStore, emptyMemoryState, type MemoryState } from './memory-store.js'
import { StoreUnavailableError, type LossReport, type OutboxItem, type RosterEntry, type Store } from './types.js'

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

type JournalRecord =
  | { op: 'session.save'; session: Session; expiresAt: number }
  | { op: 'session.delete'; userId: string }
  | { op: 'report.save'; report: LossReport }
  | { op: 'seq'; day: string; n: number }
  | { op: 'outbox.add' | 'outbox.update'; item: OutboxItem }
  | { op: 'outbox.remove'; id: string }
  | { op: 'roster.replace'; entries: RosterEntry[] }

interface Snapshot {
  v: 1
  sessions: [string, { session: Session; expiresAt: number }][]
  reports: LossReport[]
  sequences: [string, number][]
  outbox: OutboxItem[]
  roster: RosterEntry[]
}

// Sessions are written at once but fsynced lazily; everything else is fsynced before the call resolves.
const SESSION_SYNC_MS = 1000
const COMPACT_RETRY_MS = 60_000

const errCode = (err: unknown) => (err as NodeJS.ErrnoException).code
const unavailable = (what: string, err: unknown) =>
  new StoreUnavailableError(`file store: ${what}: ${(err as Error).message}`, { cause: err })

/**
 * Apply one journal record. Replaying records onto a state that already contains them changes nothing, which is
 * what makes a crash between writing the snapshot and truncating the journal harmless.
 */
function applyRecord(state: MemoryState, r: JournalRecord): void {
  switch (r.op) {
    case 'session.save': state.sessions.set(r.session.userId, { session: r.session, expiresAt: r.expiresAt }); break
    case 'session.delete': state.sessions.delete(r.userId); break
    case 'report.save': state.reports.set(r.report.id, r.report); break
    case 'seq': state.sequences.set(r.day, Math.max(state.sequences.get(r.day) ?? 0, r.n)); break
    case 'outbox.add': state.outbox.set(r.item.id, r.item); break
    case 'outbox.update': if (state.outbox.has(r.item.id)) state.outbox.set(r.item.id, r.item); break
    case 'outbox.remove': state.outbox.delete(r.id); break
    case 'roster.replace': state.roster = new Map(r.entries.map((e) => [e.creditCode, e])); break
    default: throw new Error(`unknown journal record ${String((r as { op: unknown }).op)}`)
  }
}

async function loadSnapshot(path: string, state: MemoryState): Promise<void> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if (errCode(err) === 'ENOENT') return
    throw err
  }
  const snap = JSON.parse(text) as Snapshot
  if (snap.v !== 1) throw new Error(`unknown snapshot version ${String(snap.v)}`)
  for (const [userId, entry] of snap.sessions) state.sessions.set(userId, entry)
  for (const r of snap.reports) state.reports.set(r.id, r)
  for (const [day, n] of snap.sequences) state.sequences.set(day, n)
  for (const i of snap.outbox) state.outbox.set(i.id, i)
  state.roster = new Map(snap.roster.map((e) => [e.creditCode, e]))
}

/** Replay the journal into state; returns its length once a torn last line is cut off. */
async function replayJournal(path: string, state: MemoryState, logger?: Logger): Promise<number> {
  let buf: Buffer
  try {
    buf = await readFile(path)
  } catch (err) {
    if (errCode(err) === 'ENOENT') return 0
    throw err
  }
  // Bytes after the last newline are a record whose write never finished (its caller was never told "saved").
  // Cut them off, or the next append would be glued onto them.
  const end = buf.lastIndexOf(0x0a) + 1
  if (end < buf.length) {
    logger?.warn({ bytes: buf.length - end }, 'store journal ends in a torn line; dropped it')
    await truncate(path, end)
  }
  let skipped = 0
  for (const line of buf.subarray(0, end).toString('utf8').split('\n')) {
    if (!line) continue
    try {
      applyRecord(state, JSON.parse(line) as JournalRecord)
    } catch {
      skipped++
    }
  }
  if (skipped) logger?.warn({ skipped }, 'store journal had unreadable lines; skipped them')
  return end
}

/** Replace a file so that a crash leaves the old or the new content, never a mix. */
async function writeFileAtomic(path: string, data: string): Promise<void> {
  const tmp = `${path}.tmp`
  const fh = await open(tmp, 'w')
  try {
    await fh.writeFile(data)
    await fh.sync()
  } finally {
    await fh.close()
  }
  await rename(tmp, path)
  // The rename itself is only durable once the directory is synced.
  const dir = await open(dirname(path), 'r')
  try {
    await dir.sync()
  } catch (err) {
    if (!['EISDIR', 'EPERM', 'EINVAL'].includes(errCode(err) ?? '')) throw err // platforms that cannot fsync a directory
  } finally {
    await dir.close()
  }
}

/**
 * The embedded store: the memory store, with every change of sessions, reports, sequences, outbox and roster
 * appended to a JSON-lines journal in dataDir and compacted into a snapshot now and then. kv stays in memory.
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
  try {
    await loadSnapshot(paths.snapshot, state).catch((err: Error) => {
      throw new Error(`${paths.snapshot} is unreadable (${err.message}); restore it from a backup or move it away`)
    })
    journalBytes = await replayJournal(paths.journal, state, logger)
    journal = await open(paths.journal, 'a')
  } catch (err) {
    await releaseLock()
    throw unavailable('cannot load', err)
  }
  const memory = createMemoryStore({ sessionTtlSeconds, now }, state)

  // All disk work runs one task at a time on this queue, so compaction never interleaves with an append.
  let queue: Promise<unknown> = Promise.resolve()
  function enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task)
    queue = run.catch(() => undefined)
    return run
  }

  let pending: { line: string; rec: JournalRecord; durable: boolean; done: (err?: Error) => void }[] = []
  let flushQueued = false
  let tornTail = false
  let unsynced = false
  let failing = false
  let closed = false
  let compactFailedAt = -Infinity
  let syncTimer: NodeJS.Timeout | undefined

  /** Append a record; it is applied to memory only once written, so memory never shows what the disk lacks. */
  function write(rec: JournalRecord, durable: boolean): Promise<void> {
    if (closed) return Promise.reject(new StoreUnavailableError('file store is closed'))
    return new Promise((resolvePromise, reject) => {
      pending.push({ line: `${JSON.stringify(rec)}\n`, rec, durable, done: (err) => (err ? reject(err) : resolvePromise()) })
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
      // A failed write may have left half a line; start on a fresh one so the next record stays readable.
      const text = (tornTail ? '\n' : '') + batch.map((p) => p.line).join('')
      tornTail = true
      await journal.appendFile(text)
      tornTail = false
      journalBytes += Buffer.byteLength(text)
      if (batch.some((p) => p.durable)) {
        await journal.datasync()
        unsynced = false
      } else {
        unsynced = true
        syncTimer ??= setTimeout(() => void enqueue(syncNow), SESSION_SYNC_MS).unref()
      }
      failing = false
      for (const p of batch) applyRecord(state, p.rec)
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
      v: 1,
      sessions: [...state.sessions].filter(([, s]) => s.expiresAt > t),
      reports: [...state.reports.values()],
      sequences: [...state.sequences],
      outbox: [...state.outbox.values()],
      roster: [...state.roster.values()],
    }
    try {
      await writeFileAtomic(paths.snapshot, JSON.stringify(snap))
      await journal.truncate(0)
      journalBytes = 0
      tornTail = false
    } catch (err) {
      compactFailedAt = Date.now()
      throw unavailable('compaction failed', err)
    }
  }

  async function compactQuietly() {
    await compactNow().catch((err: Error) => logger?.error({ err: err.message }, 'store compaction failed'))
  }

  const compactTimer = setInterval(() => {
    if (journalBytes > 0) void enqueue(compactQuietly)
  }, compactEveryMs)
  compactTimer.unref()
  if (journalBytes >= compactAfterBytes) void enqueue(compactQuietly)

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
    kv: memory.kv,
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
