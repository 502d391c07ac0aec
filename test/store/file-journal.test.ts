import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { newSession } from '../../src/engine/types.js'
import { createFileStore } from '../../src/store/file-store.js'
import type { LossReport, NewReport } from '../../src/store/types.js'

const dirs: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tb-journal-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const open = (dataDir: string) => createFileStore({ dataDir, sessionTtlSeconds: 3600 })
const journalPath = (dir: string) => join(dir, 'journal.jsonl')
const lines = (dir: string) => readFileSync(journalPath(dir), 'utf8').split('\n').filter(Boolean)
const writeLines = (dir: string, ls: string[]) => writeFileSync(journalPath(dir), ls.map((l) => `${l}\n`).join(''))

const filing = (submission: string, userId = 'api:u1'): NewReport => ({
  submission,
  day: '20261126',
  notify: true,
  report: { userId, channel: 'api', district: '南山区', status: 'received', createdAt: 1_000, updatedAt: 1_000, fields: { company: '甲公司' }, flags: [] },
})

/** A journal of three reports (BS…-0001 to -0003), left by a process that was killed (no compaction on close). */
async function journalOfThree(dir: string): Promise<void> {
  const store = await open(dir)
  for (const s of ['a', 'b', 'c']) await store.reports.create(filing(`sub-${s}`))
  const kept = readFileSync(journalPath(dir), 'utf8')
  await store.close() // compacts; put the uncompacted journal back, as a kill -9 would have left it
  unlinkSync(join(dir, 'snapshot.json'))
  writeFileSync(journalPath(dir), kept)
}

describe('journal checks at start-up', () => {
  it('writes one checksummed line per filed report, and a restart files nothing twice', async () => {
    const dir = tempDir()
    await journalOfThree(dir)
    expect(lines(dir)).toHaveLength(3)
    for (const l of lines(dir)) expect(l).toMatch(/^[0-9a-f]{8} \{"op":"report\.create"/)
    const store = await open(dir)
    expect((await store.reports.listRecent(10)).map((r) => r.id)).toEqual(['BS20261126-0003', 'BS20261126-0002', 'BS20261126-0001'])
    expect((await store.outbox.due(Date.now(), 10)).map((i) => i.id)).toHaveLength(3)
    expect(await store.reports.create(filing('sub-b'))).toMatchObject({ created: false, report: { id: 'BS20261126-0002' } })
    expect((await store.reports.create(filing('sub-d'))).report.id).toBe('BS20261126-0004')
    await store.close()
  })

  it('refuses to start on a damaged line in the middle, naming it, instead of dropping a report', async () => {
    const dir = tempDir()
    await journalOfThree(dir)
    const ls = lines(dir)
    ls[1] = ls[1]!.replace('甲公司', '乙公司')
    writeLines(dir, ls)
    await expect(open(dir)).rejects.toThrow(/journal\.jsonl line 2 of 3 is damaged \(checksum mismatch/)
    // Nothing was changed: the damage is still there for the operator to see, and the store still refuses.
    expect(lines(dir)).toEqual(ls)
    await expect(open(dir)).rejects.toThrow(/line 2 of 3/)
  })

  it('refuses a journal with a whole line missing, which would hand out that report’s number again', async () => {
    const dir = tempDir()
    await journalOfThree(dir)
    const ls = lines(dir)
    writeLines(dir, [ls[0]!, ls[2]!])
    await expect(open(dir)).rejects.toThrow(/line 2 of 2 is damaged .*a line before it is missing/)
  })

  it('refuses unreadable text in the middle, and says the store will not start', async () => {
    const dir = tempDir()
    await journalOfThree(dir)
    const ls = lines(dir)
    writeLines(dir, [ls[0]!, 'garbage', ls[1]!, ls[2]!])
    await expect(open(dir)).rejects.toThrow(/line 2 of 4 is damaged \(no checksum\)\. The store will not start/)
  })

  it('still reads a journal written before checksums', async () => {
    const dir = tempDir()
    const legacy: LossReport = { id: 'BS20261126-0007', userId: 'api:u1', channel: 'api', district: '南山区', status: 'received', createdAt: 1, updatedAt: 1, fields: {}, flags: [] }
    writeLines(dir, [JSON.stringify({ op: 'seq', day: '20261126', n: 7 }), JSON.stringify({ op: 'report.save', report: legacy })])
    const store = await open(dir)
    expect(await store.reports.get('BS20261126-0007')).toEqual(legacy)
    expect((await store.reports.create(filing('sub-new'))).report.id).toBe('BS20261126-0008')
    await store.close()
    const again = await open(dir)
    expect(await again.reports.listRecent(10)).toHaveLength(2)
    await again.close()
  })

  it('refuses a snapshot whose journal was deleted, and a journal whose snapshot was deleted', async () => {
    const dir = tempDir()
    const store = await open(dir)
    await store.reports.create(filing('sub-a'))
    await store.close()
    renameSync(journalPath(dir), `${journalPath(dir)}.away`)
    await expect(open(dir)).rejects.toThrow(/journal\.jsonl is missing beside .*snapshot\.json/)
    renameSync(`${journalPath(dir)}.away`, journalPath(dir))

    renameSync(join(dir, 'snapshot.json'), join(dir, 'snapshot.away'))
    await expect(open(dir)).rejects.toThrow(/snapshot\.json is missing, but .*journal\.jsonl continues snapshot 1/)
    renameSync(join(dir, 'snapshot.away'), join(dir, 'snapshot.json'))
    const again = await open(dir)
    expect(await again.reports.bySubmission('sub-a')).toMatchObject({ id: 'BS20261126-0001' })
    await again.close()
  })

  it('refuses an older snapshot put back beside a newer journal', async () => {
    const dir = tempDir()
    const store = await open(dir)
    await store.reports.create(filing('sub-a'))
    await store.compact()
    const old = readFileSync(join(dir, 'snapshot.json'))
    await store.reports.create(filing('sub-b'))
    await store.compact()
    await store.reports.create(filing('sub-c'))
    await store.compact()
    await store.reports.create(filing('sub-d'))
    await store.sessions.save(newSession('api:u1', 1))
    const journal = readFileSync(journalPath(dir))
    await store.close()
    writeFileSync(join(dir, 'snapshot.json'), old)
    writeFileSync(journalPath(dir), journal)
    await expect(open(dir)).rejects.toThrow(/snapshot 1\) and .*continues snapshot 3\) do not belong together/)
  })
})

describe('kv entries (WeChat dedupe marks, cached answers) in the file store', () => {
  it('survive a kill -9 and a clean restart; expired ones do not come back', async () => {
    const dir = tempDir()
    const module = resolve('src/store/file-store.ts')
    const code = `
      import { createFileStore } from ${JSON.stringify(module)}
      const store = await createFileStore({ dataDir: ${JSON.stringify(dir)}, sessionTtlSeconds: 3600 })
      await store.kv.setIfAbsent('wx:msg:o-1:1001', '1', 600)
      await store.kv.set('wx:msg:o-1:1001:answer', '您好', 600)
      await store.kv.set('short', 'x', 1)
      await store.kv.set('gone', 'x', 600)
      await store.kv.delete('gone')
      // Compare-and-set and compare-and-delete reach the journal too (a claim answered, a claim released).
      await store.kv.set('wx:msg:o-1:1002', 'w:t1', 1)
      await store.kv.setIfEquals('wx:msg:o-1:1002', 'w:t1', 'a:答复', 600)
      await store.kv.set('wx:msg:o-1:1003', 'w:t2', 600)
      await store.kv.deleteIfEquals('wx:msg:o-1:1003', 'w:t2')
      await store.kv.set('wx:msg:o-1:1004', 'w:new', 600)
      if (await store.kv.setIfEquals('wx:msg:o-1:1004', 'w:old', 'a:stale', 600)) throw new Error('stale write')
      if (await store.kv.deleteIfEquals('wx:msg:o-1:1004', 'w:old')) throw new Error('stale delete')
      console.log('saved')
      setInterval(() => {}, 1000)
    `
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    await new Promise<void>((done, fail) => {
      child.stdout.on('data', (d) => (out += d) && out.includes('saved') && done())
      child.stderr.on('data', (d) => (out += d))
      child.on('exit', () => fail(new Error(`child exited early: ${out}`)))
    })
    const exited = new Promise((done) => child.on('exit', done))
    child.kill('SIGKILL')
    await exited
    // Two seconds later, by the clock of the next start: 'short' has expired meanwhile.
    const store = await createFileStore({ dataDir: dir, sessionTtlSeconds: 3600, now: () => Date.now() + 2_000 })
    expect(await store.kv.setIfAbsent('wx:msg:o-1:1001', '1', 600)).toBe(false)
    expect(await store.kv.get('wx:msg:o-1:1001:answer')).toBe('您好')
    expect(await store.kv.get('short')).toBeUndefined()
    expect(await store.kv.get('gone')).toBeUndefined()
    expect(await store.kv.get('wx:msg:o-1:1002')).toBe('a:答复') // its 1 s lease was replaced by the answer's 600 s
    expect(await store.kv.get('wx:msg:o-1:1003')).toBeUndefined()
    expect(await store.kv.get('wx:msg:o-1:1004')).toBe('w:new')
    await store.close()
    const again = await open(dir)
    expect(await again.kv.get('wx:msg:o-1:1001:answer')).toBe('您好')
    expect(JSON.parse(readFileSync(join(dir, 'snapshot.json'), 'utf8')).kv.map(([k]: [string]) => k).sort()).toEqual(['wx:msg:o-1:1001', 'wx:msg:o-1:1001:answer', 'wx:msg:o-1:1002', 'wx:msg:o-1:1004'])
    await again.close()
  })
})
