import { open, readFile, rename, truncate } from 'node:fs/promises'
import { dirname } from 'node:path'
import { crc32 } from 'node:zlib'
import type { Logger } from 'pino'
import type { Session } from '../engine/types.js'
import { addUnanswered, markUnansweredHandled, putHandoff, putReport, type MemoryState } from './memory-store.js'
import type { AuditEntry, Handoff, LossReport, OutboxItem, RosterEntry, StaffAccount, UnansweredEntry } from './types.js'

/*
 * The embedded store's files. journal.jsonl: one record a line, `<crc32 hex> <json>`; the checksum covers the JSON
 * text and is chained (it starts from the previous line's), so a damaged line is told apart from a torn last one,
 * and a line that went missing breaks the chain of the next. snapshot.json: the whole state, written atomically;
 * its `gen` counts compactions, and the journal's first record (`begin`) names the generation it continues, so a
 * journal or snapshot that went missing, or an old one put back, is noticed at start-up instead of replayed.
 */

export type JournalRecord =
  | { op: 'begin'; gen: number }
  | { op: 'session.save'; session: Session; expiresAt: number }
  | { op: 'session.delete'; userId: string }
  | { op: 'report.save'; report: LossReport; audit?: { id: string; entry: AuditEntry } }
  /** create(): the number, the report and its notice in one record, so a crash keeps all of them or none. */
  | { op: 'report.create'; report: LossReport; notice?: OutboxItem }
  | { op: 'seq'; day: string; n: number }
  | { op: 'outbox.add' | 'outbox.update'; item: OutboxItem }
  | { op: 'outbox.remove'; id: string }
  | { op: 'roster.replace'; entries: RosterEntry[] }
  | { op: 'kv.set'; key: string; value: string; expiresAt: number }
  | { op: 'kv.delete'; key: string }
  | { op: 'staff.put'; account: StaffAccount }
  | { op: 'staff.remove'; username: string }
  /** Keyed by `id`, so a replay onto a snapshot that holds the entry adds nothing. */
  | { op: 'audit.append'; id: string; entry: AuditEntry }
  /**
   * A handoff as opened or replaced (the store checked the owner and the version before writing it), and the closed
   * ones deleted in the same step (beyond HANDOFF_KEEP_CLOSED): named, so a replay deletes the same ones.
   */
  | { op: 'handoff.put'; handoff: Handoff; drop?: string[]; audit?: { id: string; entry: AuditEntry } }
  | { op: 'unanswered.add'; entry: UnansweredEntry }
  | { op: 'unanswered.handled'; ids: string[]; by: string; at: number }

export interface Snapshot {
  v: 1 | 2
  /** Compactions so far (v2); the journal's `begin` record names the one it continues. */
  gen?: number
  sessions: [string, { session: Session; expiresAt: number }][]
  reports: LossReport[]
  sequences: [string, number][]
  outbox: OutboxItem[]
  roster: RosterEntry[]
  /** Unexpired kv entries (v2): message dedupe marks and cached answers survive a restart. */
  kv?: [string, { value: string; expiresAt: number }][]
  /** Staff console accounts and the audit log (absent in snapshots written before the console). */
  staff?: StaffAccount[]
  audit?: [string, AuditEntry][]
  /** Handoffs and the unanswered log (absent in snapshots written before them). */
  handoffs?: Handoff[]
  unanswered?: UnansweredEntry[]
}

/** The journal or snapshot cannot be trusted; the store refuses to start rather than lose or reuse anything. */
export class JournalDamagedError extends Error {
  override name = 'JournalDamagedError'
}

const errCode = (err: unknown) => (err as NodeJS.ErrnoException).code
const hex = (crc: number) => crc.toString(16).padStart(8, '0')

/** One journal line, newline included, chained to the previous line's checksum (0 at the start of a journal). */
export function encodeRecord(rec: JournalRecord, prev: number): { line: string; crc: number } {
  const json = JSON.stringify(rec)
  const crc = crc32(json, prev)
  return { line: `${hex(crc)} ${json}\n`, crc }
}

/** The audit entry written in the same record as the change it tells of (keyed by id: a replay adds it once). */
function auditWith(state: MemoryState, audit: { id: string; entry: AuditEntry } | undefined): void {
  if (audit && !state.audit.has(audit.id)) state.audit.set(audit.id, audit.entry)
}

/**
 * Apply one record. Replaying records onto a state that already contains them changes nothing, which is what
 * makes a crash between writing the snapshot and truncating the journal harmless.
 */
export function applyRecord(state: MemoryState, r: JournalRecord): void {
  switch (r.op) {
    case 'begin': break
    case 'session.save': state.sessions.set(r.session.userId, { session: r.session, expiresAt: r.expiresAt }); break
    case 'session.delete': state.sessions.delete(r.userId); break
    case 'report.save': putReport(state, r.report); auditWith(state, r.audit); break
    case 'report.create':
      putReport(state, r.report)
      if (r.notice) state.outbox.set(r.notice.id, r.notice)
      break
    case 'seq': state.sequences.set(r.day, Math.max(state.sequences.get(r.day) ?? 0, r.n)); break
    case 'outbox.add': state.outbox.set(r.item.id, r.item); break
    case 'outbox.update': if (state.outbox.has(r.item.id)) state.outbox.set(r.item.id, r.item); break
    case 'outbox.remove': state.outbox.delete(r.id); break
    case 'roster.replace': state.roster = new Map(r.entries.map((e) => [e.creditCode, e])); break
    case 'kv.set': state.kv.set(r.key, { value: r.value, expiresAt: r.expiresAt }); break
    case 'kv.delete': state.kv.delete(r.key); break
    case 'staff.put': state.staff.set(r.account.username, r.account); break
    case 'staff.remove': state.staff.delete(r.username); break
    case 'audit.append': if (!state.audit.has(r.id)) state.audit.set(r.id, r.entry); break
    case 'handoff.put': putHandoff(state, r.handoff, r.drop); auditWith(state, r.audit); break
    case 'unanswered.add': addUnanswered(state, r.entry); break
    case 'unanswered.handled': markUnansweredHandled(state, r.ids, r.by, r.at); break
    default: throw new Error(`unknown record "${String((r as { op: unknown }).op)}" (written by a newer version?)`)
  }
}

/** Load snapshot.json into state; its generation, or undefined when there is none. */
export async function loadSnapshot(path: string, state: MemoryState): Promise<number | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if (errCode(err) === 'ENOENT') return undefined
    throw err
  }
  let snap: Snapshot
  try {
    snap = JSON.parse(text) as Snapshot
    if (snap.v !== 1 && snap.v !== 2) throw new Error(`unknown snapshot version ${String(snap.v)}`)
  } catch (err) {
    throw new JournalDamagedError(`${path} is unreadable (${(err as Error).message}); restore it from a backup`)
  }
  for (const [userId, entry] of snap.sessions) state.sessions.set(userId, entry)
  for (const [day, n] of snap.sequences) state.sequences.set(day, n)
  for (const r of snap.reports) putReport(state, r)
  for (const i of snap.outbox) state.outbox.set(i.id, i)
  state.roster = new Map(snap.roster.map((e) => [e.creditCode, e]))
  for (const [k, e] of snap.kv ?? []) state.kv.set(k, e)
  for (const a of snap.staff ?? []) state.staff.set(a.username, a)
  state.audit = new Map(snap.audit ?? [])
  for (const h of snap.handoffs ?? []) putHandoff(state, h)
  for (const e of snap.unanswered ?? []) addUnanswered(state, e)
  return snap.gen ?? 0
}

export interface Replayed {
  /** Bytes of the journal once a torn last line is cut off (-1: there is no journal file). */
  bytes: number
  /** The snapshot generation the journal continues (its `begin` record; 0 for a journal without one). */
  gen: number
  records: number
  /** Checksum of the last line, which the next line chains from. */
  crc: number
}

/**
 * Replay journal.jsonl into state. Bytes after the last newline are a write that never finished (its caller was
 * never told "saved"): they are cut off. Any other line that fails its checksum or does not parse stops the
 * start-up with the line's number: skipping it could drop a report or a `seq` record and hand out a number twice.
 */
export async function replayJournal(path: string, state: MemoryState, logger?: Logger): Promise<Replayed> {
  let buf: Buffer
  try {
    buf = await readFile(path)
  } catch (err) {
    if (errCode(err) === 'ENOENT') return { bytes: -1, gen: 0, records: 0, crc: 0 }
    throw err
  }
  const end = buf.lastIndexOf(0x0a) + 1
  if (end < buf.length) {
    logger?.warn({ bytes: buf.length - end }, 'store journal ends in a torn line (a write cut short); dropped it')
    await truncate(path, end)
  }
  let gen = 0
  let records = 0
  let checked = false
  let prev = 0
  const lines = buf.subarray(0, end).toString('utf8').split('\n')
  lines.pop() // the empty string after the final newline
  lines.forEach((line, i) => {
    const where = `${path} line ${i + 1} of ${lines.length}`
    const damaged = (why: string) =>
      new JournalDamagedError(
        `${where} is damaged (${why}). The store will not start, so that no report is lost and no report number is used twice. ` +
          `Restore ${path} from a backup, or repair that line; the line's neighbours are intact.`,
      )
    if (!line) return
    const m = /^([0-9a-f]{8}) (.*)$/s.exec(line)
    // Lines without a checksum come from the version before checksums, and only before the first checked line.
    if (!m && checked) throw damaged('no checksum')
    if (m) {
      const crc = crc32(m[2]!, prev)
      if (hex(crc) !== m[1]) throw damaged('checksum mismatch: the line was changed, or a line before it is missing')
      prev = crc
    }
    let rec: JournalRecord
    try {
      rec = JSON.parse(m ? m[2]! : line) as JournalRecord
      if (rec.op === 'begin') {
        if (records > 0) throw new Error('a begin record after other records')
        gen = rec.gen
      }
      applyRecord(state, rec)
    } catch (err) {
      throw damaged((err as Error).message)
    }
    if (m) checked = true
    records++
  })
  return { bytes: end, gen, records, crc: prev }
}

/**
 * A journal and a snapshot that do not belong together lose data silently if replayed: say which, and how to
 * proceed. `journal` is the replay result (bytes -1: missing), `snapshotGen` undefined when there is no snapshot.
 */
export function checkPair(paths: { journal: string; snapshot: string }, journal: Replayed, snapshotGen: number | undefined): void {
  if (snapshotGen !== undefined && journal.bytes < 0) {
    throw new JournalDamagedError(
      `${paths.journal} is missing beside ${paths.snapshot}: everything written since the last snapshot would be lost. ` +
        `Restore it from a backup; to start from the snapshot alone, accepting that loss, create an empty ${paths.journal}.`,
    )
  }
  if (snapshotGen === undefined && journal.gen > 0) {
    throw new JournalDamagedError(
      `${paths.snapshot} is missing, but ${paths.journal} continues snapshot ${journal.gen}: what the snapshot held would be lost. Restore it from a backup.`,
    )
  }
  // gen = snapshot - 1: a crash between writing the snapshot and truncating the journal (replay is harmless).
  if (snapshotGen !== undefined && journal.records > 0 && journal.gen !== snapshotGen && journal.gen !== snapshotGen - 1) {
    throw new JournalDamagedError(
      `${paths.snapshot} (snapshot ${snapshotGen}) and ${paths.journal} (continues snapshot ${journal.gen}) do not belong together: ` +
        'one of them was restored from an older backup. Put back the matching pair.',
    )
  }
}

/** Replace a file so that a crash leaves the old or the new content, never a mix. */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
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
