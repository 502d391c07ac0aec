import { spawn, spawnSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { newSession } from '../../src/engine/types.js'
import { createFileStore, type FileStoreOptions } from '../../src/store/file-store.js'
import { StoreUnavailableError, type Handoff, type LossReport } from '../../src/store/types.js'
import { CONTRACT_HANDOFF_KEEP_CLOSED, CONTRACT_SESSION_TTL_SECONDS, fakeClock, handoffStoreContract, storeContract } from './contract.js'

const dirs: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tb-file-store-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

storeContract('file', async () => {
  const clock = fakeClock()
  const store = await createFileStore({ dataDir: tempDir(), sessionTtlSeconds: CONTRACT_SESSION_TTL_SECONDS, handoffKeepClosed: CONTRACT_HANDOFF_KEEP_CLOSED, now: clock.now })
  return { store, advance: clock.advance, cleanup: () => store.close() }
})

handoffStoreContract('file', async () => {
  const clock = fakeClock()
  const store = await createFileStore({ dataDir: tempDir(), sessionTtlSeconds: CONTRACT_SESSION_TTL_SECONDS, handoffKeepClosed: CONTRACT_HANDOFF_KEEP_CLOSED, now: clock.now })
  return { store, advance: clock.advance, cleanup: () => store.close() }
})

const report = (id: string, createdAt = 1_000): LossReport => ({
  id,
  userId: 'u1',
  channel: 'wechat',
  district: '南山区',
  status: 'received',
  createdAt,
  updatedAt: createdAt,
  fields: { buyer: 'ACME', amountUsd: 5_000 },
  flags: ['超过90天'],
})
const entry = { name: '甲公司', creditCode: '91440300AAAAAAAAAA' }
const open = (dataDir: string, over: Partial<FileStoreOptions> = {}) => createFileStore({ dataDir, sessionTtlSeconds: 3600, ...over })
const journalLines = (dir: string) => readFileSync(join(dir, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean)
/** The journal's records, each line's checksum stripped. */
const journalRecords = (dir: string) => journalLines(dir).map((l) => JSON.parse(l.slice(9)) as { op: string; [k: string]: unknown })

/** Write one of everything: what a restart must bring back. */
async function fill(store: Awaited<ReturnType<typeof open>>) {
  const s = newSession('u1', 1_000)
  s.profile.district = '南山区'
  await store.sessions.save(s)
  await store.sessions.save(newSession('gone', 1_000))
  await store.sessions.delete('gone')
  await store.reports.nextSequence('20261126')
  await store.reports.nextSequence('20261126')
  await store.reports.save(report('BS20261126-0001'))
  await store.outbox.add({ id: 'o1', kind: 'notify', payload: { to: 'm1' }, attempts: 0, nextAttemptAt: 5, createdAt: 1 })
  await store.outbox.add({ id: 'o2', kind: 'notify', payload: {}, attempts: 0, nextAttemptAt: 6, createdAt: 2 })
  await store.outbox.update({ id: 'o1', kind: 'notify', payload: { to: 'm1' }, attempts: 1, nextAttemptAt: 50, createdAt: 1, lastError: '500' })
  await store.outbox.remove('o2')
  await store.roster.replace([entry])
}

async function expectFilled(store: Awaited<ReturnType<typeof open>>) {
  expect((await store.sessions.get('u1'))?.profile.district).toBe('南山区')
  expect(await store.sessions.get('gone')).toBeUndefined()
  expect(await store.reports.get('BS20261126-0001')).toEqual(report('BS20261126-0001'))
  expect((await store.reports.listByDistrict('南山区')).map((r) => r.id)).toContain('BS20261126-0001')
  expect(await store.reports.nextSequence('20261126')).toBe(3)
  expect(await store.outbox.due(100, 10)).toEqual([
    { id: 'o1', kind: 'notify', payload: { to: 'm1' }, attempts: 1, nextAttemptAt: 50, createdAt: 1, lastError: '500' },
  ])
  expect(await store.roster.getByCode(entry.creditCode)).toEqual(entry)
}

describe('file store on disk', () => {
  it('keeps sessions, reports, sequences, outbox and roster across a clean restart', async () => {
    const dir = tempDir()
    const first = await open(dir)
    await fill(first)
    await first.close()
    const second = await open(dir)
    await expectFilled(second)
    await second.close()
  })

  it('brings everything back from the journal alone, and after compaction from snapshot plus journal', async () => {
    const dir = tempDir()
    const store = await open(dir)
    await store.reports.save(report('BS-before'))
    await store.compact()
    expect(journalRecords(dir)).toEqual([{ op: 'begin', gen: 1 }])
    await fill(store)
    expect(journalLines(dir).length).toBeGreaterThan(5)
    await store.close()
    const again = await open(dir)
    await expectFilled(again)
    expect(await again.reports.get('BS-before')).toBeDefined()
    await again.close()
  })

  it('has a confirmed report and sequence in the journal before the call resolves', async () => {
    const dir = tempDir()
    const store = await open(dir)
    await store.reports.save(report('BS-durable'))
    expect(await store.reports.nextSequence('20261126')).toBe(1)
    expect(journalRecords(dir).map((r) => r.op)).toEqual(['report.save', 'seq'])
    await store.close()
  })

  it('compacts by itself once the journal passes compactAfterBytes', async () => {
    const dir = tempDir()
    const store = await open(dir, { compactAfterBytes: 1 })
    await store.reports.save(report('BS-1'))
    await store.sessions.save(newSession('u1', 1))
    await store.kv.set('not-persisted', 'x', 60)
    // Compaction follows the write that crossed the threshold, after that write's caller is answered.
    await vi.waitFor(() => expect(journalRecords(dir).map((r) => r.op)).toEqual(['begin']))
    expect(readFileSync(join(dir, 'snapshot.json'), 'utf8')).toContain('BS-1')
    await store.close()
  })

  it('drops sessions that expired while it was stopped', async () => {
    const dir = tempDir()
    const clock = fakeClock()
    const store = await open(dir, { sessionTtlSeconds: 60, now: clock.now })
    await store.sessions.save(newSession('u1', clock.now()))
    await store.close()
    await clock.advance(61_000)
    const again = await open(dir, { sessionTtlSeconds: 60, now: clock.now })
    expect(await again.sessions.get('u1')).toBeUndefined()
    await again.close()
  })

  it('drops a torn last journal line on start-up and keeps appending cleanly after it', async () => {
    const dir = tempDir()
    const store = await open(dir)
    await fill(store)
    await store.reports.save(report('BS-ok', 2_000))
    await store.close()
    // The last write was cut short: part of a line, no newline.
    const journal = join(dir, 'journal.jsonl')
    appendFileSync(journal, '0badc0de {"op":"report.save","report":{"id":"BS-torn","userId":"u1","chan')
    const again = await open(dir)
    await expectFilled(again)
    expect(await again.reports.get('BS-ok')).toBeDefined()
    expect(await again.reports.get('BS-torn')).toBeUndefined()
    await again.reports.save(report('BS-after', 3_000))
    await again.close()
    const third = await open(dir)
    expect((await third.reports.listRecent(10)).map((r) => r.id)).toEqual(['BS-after', 'BS-ok', 'BS20261126-0001'])
    await third.close()
  })

  it('loses nothing confirmed when its process is killed, and the next start takes over the dead lock', async () => {
    const dir = tempDir()
    const module = resolve('src/store/file-store.ts')
    const code = `
      import { createFileStore } from ${JSON.stringify(module)}
      const store = await createFileStore({ dataDir: ${JSON.stringify(dir)}, sessionTtlSeconds: 3600 })
      await store.sessions.save({ v: 1, userId: 'u-killed', createdAt: 1, updatedAt: 1, profile: { district: '宝安区' } })
      await store.reports.save(${JSON.stringify(report('BS-killed'))})
      await store.outbox.add({ id: 'o-killed', kind: 'notify', payload: {}, attempts: 0, nextAttemptAt: 1, createdAt: 1 })
      console.log('saved ' + (await store.reports.nextSequence('20261126')))
      setInterval(() => {}, 1000)
    `
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    await new Promise<void>((done, fail) => {
      child.stdout.on('data', () => out.includes('saved') && done())
      child.on('exit', () => fail(new Error(`child exited early: ${out}`)))
    })
    await expect(open(dir)).rejects.toThrow(/in use by process/)
    const exited = new Promise((done) => child.on('exit', done))
    child.kill('SIGKILL')
    await exited
    const store = await open(dir)
    expect((await store.sessions.get('u-killed'))?.profile.district).toBe('宝安区')
    expect(await store.reports.get('BS-killed')).toEqual(report('BS-killed'))
    expect(await store.outbox.size()).toBe(1)
    expect(await store.reports.nextSequence('20261126')).toBe(2)
    await store.close()
  })

  it('refuses a second live store on the same directory until the first closes', async () => {
    const dir = tempDir()
    const first = await open(dir)
    const second = open(dir)
    await expect(second).rejects.toBeInstanceOf(StoreUnavailableError)
    await expect(second).rejects.toThrow(/in use by process/)
    await first.close()
    const third = await open(dir)
    await third.close()
  })

  it('refuses a lock held by another live process and takes over one from a dead pid', async () => {
    const dir = tempDir()
    const lock = join(dir, 'store.lock')
    const sleeper = spawn('sleep', ['30'])
    try {
      writeFileSync(lock, JSON.stringify({ pid: sleeper.pid, host: hostname(), token: 'other' }))
      await expect(open(dir)).rejects.toThrow(new RegExp(`in use by process ${sleeper.pid}`))
    } finally {
      sleeper.kill()
    }
    const deadPid = spawnSync('true').pid
    writeFileSync(lock, JSON.stringify({ pid: deadPid, host: hostname(), token: 'dead' }))
    const store = await open(dir)
    expect(readFileSync(lock, 'utf8')).toContain(String(process.pid))
    await store.close()
    expect(() => statSync(lock)).toThrow()
  })

  it('answers StoreUnavailableError once closed, and when the data directory cannot be made', async () => {
    const dir = tempDir()
    const store = await open(dir)
    await store.close()
    await expect(store.reports.save(report('BS-late'))).rejects.toBeInstanceOf(StoreUnavailableError)
    expect(await store.health()).toBe('degraded')
    const notADir = join(dir, 'file')
    writeFileSync(notADir, '')
    await expect(open(join(notADir, 'data'))).rejects.toBeInstanceOf(StoreUnavailableError)
  })

  it('keeps staff accounts, the audit log and status changes across restarts, and a journal replayed onto its snapshot adds no audit entry twice', async () => {
    const dir = tempDir()
    const store = await open(dir)
    await store.reports.save(report('BS-1'))
    await store.staff.put({ username: 'zhang', role: 'manager', districts: ['南山区'], passwordHash: 'h', createdAt: 1, updatedAt: 1, passwordChangedAt: 1 })
    await store.staff.put({ username: 'gone', role: 'hotline', districts: [], passwordHash: 'h', createdAt: 1, updatedAt: 1, passwordChangedAt: 1 })
    expect(await store.staff.remove('gone')).toBe(true)
    await store.reports.changeStatus('BS-1', { at: 2_000, by: 'zhang', status: 'in_review', note: '补充材料' })
    await store.audit.append({ at: 2_000, actor: 'zhang', action: 'report.status', target: 'BS-1', before: { status: 'received' }, after: { status: 'in_review' } })
    await store.audit.append({ at: 2_001, actor: 'zhang', action: 'logout' })
    const journalBefore = readFileSync(join(dir, 'journal.jsonl'))
    await store.compact()
    // A crash after the snapshot was written but before the journal was cut: the old journal replays onto the new snapshot.
    const crashed = tempDir()
    writeFileSync(join(crashed, 'snapshot.json'), readFileSync(join(dir, 'snapshot.json')))
    writeFileSync(join(crashed, 'journal.jsonl'), journalBefore)
    await store.close()
    for (const d of [dir, crashed]) {
      const again = await open(d)
      expect((await again.staff.list()).map((a) => a.username)).toEqual(['zhang'])
      expect(await again.audit.size()).toBe(2)
      expect((await again.audit.list(0, 10)).map((e) => e.action)).toEqual(['logout', 'report.status'])
      expect(await again.reports.get('BS-1')).toMatchObject({ status: 'in_review', timeline: [{ by: 'zhang', note: '补充材料' }] })
      await again.close()
    }
  })
})

describe('file store: handoffs and the unanswered log on disk', () => {
  const handoff = (id: string, owner: string): Handoff => ({
    id, owner, channel: 'api', userId: owner.slice(4), status: 'waiting', version: 1, createdAt: 1_000, updatedAt: 1_000, reason: 'asked', messages: [{ at: 1_000, from: 'user', text: '转人工' }], facts: {},
  })

  it('keeps open and closed handoffs, the owner index and the unanswered log, from the journal alone and from a snapshot', async () => {
    const dir = tempDir()
    const first = await open(dir)
    await first.handoffs!.open(handoff('h1', 'api:u1'))
    await first.handoffs!.open(handoff('h2', 'api:u2'))
    const taken = { ...(await first.handoffs!.get('h1'))!, version: 2, status: 'taken' as const, takenBy: 'zhang' }
    expect(await first.handoffs!.replace(taken)).toBe(true)
    expect(await first.handoffs!.replace({ ...handoff('h2', 'api:u2'), version: 2, status: 'closed', closedAt: 2_000, closedBy: 'user' })).toBe(true)
    await first.unanswered!.add({ id: 'q1', at: 5, channel: 'api', kind: 'abstained', question: '保费多少', lang: 'zh', sections: [] })
    await first.unanswered!.markHandled(['q1'], 'zhang', 9)
    // Handoff writes are on disk when the call returns; the log's reach it within the second (like sessions).
    expect(journalRecords(dir).filter((r) => r.op === 'handoff.put')).toHaveLength(4)
    await new Promise((r) => setTimeout(r, 50))
    // The journal alone, as a crash would leave it (no snapshot yet), in a directory of its own.
    const crashed = tempDir()
    writeFileSync(join(crashed, 'journal.jsonl'), readFileSync(join(dir, 'journal.jsonl')))
    await first.close()
    expect(journalRecords(dir).map((r) => r.op)).toEqual(['begin']) // a clean stop compacts into the snapshot

    for (const d of [crashed, dir]) {
      const again = await open(d)
      expect(await again.handoffs!.get('h1')).toEqual(taken)
      expect((await again.handoffs!.listOpen()).map((h) => h.id)).toEqual(['h1'])
      expect((await again.handoffs!.listClosed(5)).map((h) => h.id)).toEqual(['h2'])
      // u1 still has an open handoff; u2's was closed, so u2 may open a new one.
      expect((await again.handoffs!.open(handoff('h3', 'api:u1'))).created).toBe(false)
      expect((await again.handoffs!.open(handoff('h4', 'api:u2'))).created).toBe(true)
      expect(await again.unanswered!.recent(5)).toEqual([{ id: 'q1', at: 5, channel: 'api', kind: 'abstained', question: '保费多少', lang: 'zh', sections: [], handledBy: 'zhang', handledAt: 9 }])
      await again.close()
    }
  })

  it('brings back the same closed handoffs after retention deleted some, from the journal alone, whatever the cap at restart', async () => {
    const dir = tempDir()
    const first = await open(dir, { handoffKeepClosed: 3 })
    await first.handoffs!.open(handoff('stay', 'api:stay'))
    for (let i = 1; i <= 5; i++) {
      await first.handoffs!.open(handoff(`h${i}`, `api:u${i}`))
      expect(await first.handoffs!.replace({ ...handoff(`h${i}`, `api:u${i}`), version: 2, status: 'closed', closedAt: 2_000 + i, closedBy: 'user' })).toBe(true)
    }
    const kept = ['h5', 'h4', 'h3']
    expect((await first.handoffs!.listClosed(10)).map((h) => h.id)).toEqual(kept)
    // The deletions are in the journal with the close that made them: a crash now, then a start with another cap.
    expect(journalRecords(dir).filter((r) => r.drop)).toHaveLength(2)
    const crashed = tempDir()
    writeFileSync(join(crashed, 'journal.jsonl'), readFileSync(join(dir, 'journal.jsonl')))
    await first.close()

    for (const d of [crashed, dir]) {
      const again = await open(d, { handoffKeepClosed: 2000 })
      expect((await again.handoffs!.listClosed(10)).map((h) => h.id)).toEqual(kept)
      expect(await again.handoffs!.get('h1')).toBeUndefined()
      expect(await again.handoffs!.get('h2')).toBeUndefined()
      expect((await again.handoffs!.listOpen()).map((h) => h.id)).toEqual(['stay'])
      // The owners of deleted handoffs are free to ask again.
      expect((await again.handoffs!.open(handoff('h6', 'api:u1'))).created).toBe(true)
      await again.close()
    }
  })
})
