import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { createFileStore } from '../../src/store/file-store.js'
import type { NewReport } from '../../src/store/types.js'

const report = (submission: string): NewReport => ({
  submission,
  day: '20261207',
  notify: false,
  report: { userId: 'u1', channel: 'api', district: '宝安区', status: 'received', createdAt: 1, updatedAt: 1, fields: {}, flags: [] },
})

describe('the embedded store whose data folder is wiped while it runs', () => {
  it('writes everything it holds back, says so in its problems, and a restart finds it all: no number reused', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'tongbao-wiped-')), 'data')
    const store = await createFileStore({ dataDir, sessionTtlSeconds: 3600, folderCheckMs: 50 })
    expect((await store.reports.create(report('a'))).report.id).toBe('BS20261207-0001')
    await store.staff.put({ username: 'root', role: 'admin', districts: [], passwordHash: 'x', createdAt: 1, updatedAt: 1, passwordChangedAt: 1 })
    expect(await store.problems!()).toEqual([])

    rmSync(dataDir, { recursive: true, force: true })
    await vi.waitFor(async () => expect((await store.problems!()).join()).toContain('data folder wiped'), { timeout: 3000, interval: 50 })
    expect((await store.problems!()).join()).toContain('nothing it held was lost')
    expect((await store.reports.create(report('b'))).report.id).toBe('BS20261207-0002')
    await store.close()

    const again = await createFileStore({ dataDir, sessionTtlSeconds: 3600 })
    try {
      expect((await again.reports.get('BS20261207-0001'))?.submission).toBe('a')
      expect((await again.reports.get('BS20261207-0002'))?.submission).toBe('b')
      expect((await again.staff.get('root'))?.role).toBe('admin')
      expect((await again.reports.create(report('c'))).report.id).toBe('BS20261207-0003')
    } finally {
      await again.close()
    }
  })
})
