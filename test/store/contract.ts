import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { newSession, type Session } from '../../src/engine/types.js'
import {
  runTurn,
  type AuditEntry,
  type Handoff,
  type HandoffStore,
  type LossReport,
  type NewReport,
  type OutboxItem,
  type StaffAccount,
  type Store,
  type UnansweredEntry,
  type UnansweredLog,
} from '../../src/store/types.js'

/** Session expiry every store under the contract must be created with. */
export const CONTRACT_SESSION_TTL_SECONDS = 1
/** Closed handoffs kept (handoffKeepClosed) by every store under the handoff contract. */
export const CONTRACT_HANDOFF_KEEP_CLOSED = 5

export interface StoreUnderTest {
  store: Store
  cleanup(): Promise<void>
  /** Move the store's clock forward; stores without an injectable clock (Redis) leave it out and time really passes. */
  advance?(ms: number): Promise<void>
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A clock for stores that take `now`. */
export function fakeClock(start = Date.UTC(2026, 10, 26, 8)) {
  let t = start
  return { now: () => t, advance: async (ms: number) => void (t += ms) }
}

function report(id: string, over: Partial<LossReport> = {}): LossReport {
  return {
    id,
    userId: 'u1',
    channel: 'api',
    district: '南山区',
    status: 'received',
    createdAt: 1_000,
    updatedAt: 1_000,
    fields: { buyer: 'ACME Ltd', amountUsd: 12_000, notes: ['拖欠', '破产'] },
    flags: [],
    ...over,
  }
}

function newReport(submission: string, over: Partial<NewReport['report']> = {}, notify = true): NewReport {
  const { id: _id, ...fields } = report('unused', over)
  return { submission, day: '20261126', report: fields, notify }
}

// Three ids that are different strings but the same bytes once written as UTF-8 (each lone surrogate → U+FFFD).
const LONE_IDS = ['api:\ud800', 'api:\udc00', 'api:\ufffd'] as const

function item(id: string, nextAttemptAt: number, over: Partial<OutboxItem> = {}): OutboxItem {
  return { id, kind: 'notify-manager', payload: { reportId: 'BS1', to: ['m1'] }, attempts: 0, nextAttemptAt, createdAt: nextAttemptAt, ...over }
}

function staff(username: string, over: Partial<StaffAccount> = {}): StaffAccount {
  return { username, role: 'hotline', districts: [], passwordHash: `scrypt$16384$8$1$salt$${username}`, createdAt: 1_000, updatedAt: 1_000, passwordChangedAt: 1_000, ...over }
}

function audit(n: number, over: Partial<AuditEntry> = {}): AuditEntry {
  return { at: 1_000 + n, actor: 'zhang', action: 'report.status', target: `BS-${n}`, before: { status: 'received' }, after: { status: 'in_review', flags: [] }, ...over }
}

function session(userId: string, now = 1_000): Session {
  const s = newSession(userId, now)
  s.profile.district = '福田区'
  s.flow = { name: 'loss-report', v: 1, step: 'buyer', data: { amount: 3 }, startedAt: now }
  return s
}

/** The behaviour every Store implementation must share; makeStore builds a fresh, empty store each time. */
export function storeContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`${name} store contract`, () => {
    let h: StoreUnderTest
    let store: Store
    const advance = (ms: number) => (h.advance ? h.advance(ms) : sleep(ms))

    beforeEach(async () => {
      h = await makeStore()
      store = h.store
    })
    afterEach(async () => {
      await h.cleanup()
    })

    describe('sessions', () => {
      it('returns what was saved, as a copy, until deleted', async () => {
        expect(await store.sessions.get('nobody')).toBeUndefined()
        const s = session('u1')
        await store.sessions.save(s)
        s.profile.district = 'changed after save'
        const got = await store.sessions.get('u1')
        expect(got).toEqual(session('u1'))
        got!.profile.district = 'changed after get'
        expect((await store.sessions.get('u1'))!.profile.district).toBe('福田区')
        await store.sessions.delete('u1')
        expect(await store.sessions.get('u1')).toBeUndefined()
        await store.sessions.delete('u1') // deleting what is gone is fine
      })

      it('expires a session TTL after its last save', async () => {
        await store.sessions.save(session('u1'))
        await store.sessions.save(session('u2'))
        await advance(600)
        await store.sessions.save(session('u1')) // renews u1 only
        await advance(600)
        expect(await store.sessions.get('u1')).toBeDefined()
        expect(await store.sessions.get('u2')).toBeUndefined()
        await advance(600)
        expect(await store.sessions.get('u1')).toBeUndefined()
      })
    })

    describe('kv', () => {
      it('setIfAbsent sets only once until the key is deleted or expires', async () => {
        expect(await store.kv.setIfAbsent('msg:1', 'a', 1)).toBe(true)
        expect(await store.kv.setIfAbsent('msg:1', 'b', 1)).toBe(false)
        expect(await store.kv.get('msg:1')).toBe('a')
        await store.kv.delete('msg:1')
        expect(await store.kv.get('msg:1')).toBeUndefined()
        expect(await store.kv.setIfAbsent('msg:1', 'c', 1)).toBe(true)
        await advance(1100)
        expect(await store.kv.get('msg:1')).toBeUndefined()
        expect(await store.kv.setIfAbsent('msg:1', 'd', 60)).toBe(true)
        expect(await store.kv.get('msg:1')).toBe('d')
      })

      it('gives a key to exactly one of many concurrent callers', async () => {
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.kv.setIfAbsent('token-fetch', `c${i}`, 60)))
        expect(results.filter(Boolean)).toHaveLength(1)
      })

      it('set overwrites and renews', async () => {
        await store.kv.set('k', 'v1', 60)
        await store.kv.set('k', 'v2', 60)
        expect(await store.kv.get('k')).toBe('v2')
        expect(await store.kv.setIfAbsent('k', 'v3', 60)).toBe(false)
      })

      it('setIfEquals writes only over the expected value, with the expiry it is given', async () => {
        await store.kv.set('cas:renew', 'w:a', 1)
        await store.kv.set('cas:answer', 'w:a', 60)
        await store.kv.set('cas:expired', 'w:a', 1)
        expect(await store.kv.setIfEquals('cas:renew', 'w:a', 'w:a', 60)).toBe(true) // renewed: outlives its first second
        expect(await store.kv.setIfEquals('cas:answer', 'w:a', 'a:done', 1)).toBe(true) // replaced: its own expiry now
        expect(await store.kv.get('cas:answer')).toBe('a:done')
        expect(await store.kv.setIfEquals('cas:renew', 'w:b', 'w:b', 60)).toBe(false)
        expect(await store.kv.setIfEquals('cas:renew', 'w:', 'w:b', 60)).toBe(false) // a prefix is not equal
        expect(await store.kv.get('cas:renew')).toBe('w:a')
        expect(await store.kv.setIfEquals('cas:absent', 'w:a', 'w:b', 60)).toBe(false)
        expect(await store.kv.get('cas:absent')).toBeUndefined()
        await advance(1100)
        expect(await store.kv.get('cas:renew')).toBe('w:a')
        expect(await store.kv.get('cas:answer')).toBeUndefined()
        // Expired is absent: a stale holder cannot revive its lease.
        expect(await store.kv.setIfEquals('cas:expired', 'w:a', 'w:a', 60)).toBe(false)
        expect(await store.kv.get('cas:expired')).toBeUndefined()
        expect(await store.kv.setIfAbsent('cas:expired', 'w:b', 60)).toBe(true)
      })

      it('deleteIfEquals deletes only the expected value', async () => {
        await store.kv.set('cad', 'w:a', 60)
        await store.kv.set('cad:expired', 'w:a', 1)
        expect(await store.kv.deleteIfEquals('cad', 'w:b')).toBe(false)
        expect(await store.kv.get('cad')).toBe('w:a')
        expect(await store.kv.deleteIfEquals('cad', 'w:a')).toBe(true)
        expect(await store.kv.get('cad')).toBeUndefined()
        expect(await store.kv.deleteIfEquals('cad', 'w:a')).toBe(false)
        expect(await store.kv.deleteIfEquals('cad:absent', 'w:a')).toBe(false)
        await advance(1100)
        expect(await store.kv.deleteIfEquals('cad:expired', 'w:a')).toBe(false)
        expect(await store.kv.setIfAbsent('cad', 'w:b', 60)).toBe(true)
        expect(await store.kv.deleteIfEquals('cad', 'w:a')).toBe(false)
        expect(await store.kv.get('cad')).toBe('w:b')
      })

      it('lets exactly one of many concurrent compare-and-sets (or deletes) of one value win', async () => {
        await store.kv.set('cas:race', 'v0', 60)
        const sets = await Promise.all(Array.from({ length: 20 }, (_, i) => store.kv.setIfEquals('cas:race', 'v0', `c${i}`, 60)))
        expect(sets.filter(Boolean)).toHaveLength(1)
        expect(await store.kv.get('cas:race')).toBe(`c${sets.indexOf(true)}`)
        const deletes = await Promise.all(Array.from({ length: 20 }, () => store.kv.deleteIfEquals('cas:race', `c${sets.indexOf(true)}`)))
        expect(deletes.filter(Boolean)).toHaveLength(1)
        expect(await store.kv.get('cas:race')).toBeUndefined()
      })
    })

    describe('reports', () => {
      it('numbers a day 1, 2, 3 and each day on its own', async () => {
        expect(await store.reports.nextSequence('20261126')).toBe(1)
        expect(await store.reports.nextSequence('20261126')).toBe(2)
        expect(await store.reports.nextSequence('20261127')).toBe(1)
        expect(await store.reports.nextSequence('20261126')).toBe(3)
      })

      it('never hands out a number twice under 50 concurrent calls', async () => {
        const ns = await Promise.all(Array.from({ length: 50 }, () => store.reports.nextSequence('20261126')))
        expect(new Set(ns).size).toBe(50)
        expect([...ns].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
      })

      it('saves, gets and lists newest first by user, district and overall', async () => {
        expect(await store.reports.get('BS-none')).toBeUndefined()
        await store.reports.save(report('BS-1', { createdAt: 1_000 }))
        await store.reports.save(report('BS-2', { createdAt: 3_000, userId: 'u2', district: '福田区' }))
        await store.reports.save(report('BS-3', { createdAt: 2_000 }))
        await store.reports.save(report('BS-4', { createdAt: 4_000, userId: 'u2' }))
        expect(await store.reports.get('BS-1')).toEqual(report('BS-1', { createdAt: 1_000 }))
        const ids = (rs: LossReport[]) => rs.map((r) => r.id)
        expect(ids(await store.reports.listByUser('u1'))).toEqual(['BS-3', 'BS-1'])
        expect(ids(await store.reports.listByUser('u2'))).toEqual(['BS-4', 'BS-2'])
        expect(ids(await store.reports.listByDistrict('南山区'))).toEqual(['BS-4', 'BS-3', 'BS-1'])
        expect(ids(await store.reports.listByDistrict('福田区'))).toEqual(['BS-2'])
        expect(await store.reports.listByUser('nobody')).toEqual([])
        expect(ids(await store.reports.listRecent(3))).toEqual(['BS-4', 'BS-2', 'BS-3'])
        expect(ids(await store.reports.listRecent(10))).toEqual(['BS-4', 'BS-2', 'BS-3', 'BS-1'])
        expect(await store.reports.listRecent(0)).toEqual([])
      })

      it('breaks createdAt ties by id, highest first', async () => {
        for (const id of ['BS-a', 'BS-c', 'BS-b']) await store.reports.save(report(id, { createdAt: 5_000 }))
        expect((await store.reports.listRecent(10)).map((r) => r.id)).toEqual(['BS-c', 'BS-b', 'BS-a'])
      })

      it('re-saving a report replaces it in every index', async () => {
        await store.reports.save(report('BS-1'))
        const moved = report('BS-1', { status: 'in_review', district: '宝安区', updatedAt: 9_000 })
        await store.reports.save(moved)
        expect(await store.reports.get('BS-1')).toEqual(moved)
        expect(await store.reports.listByDistrict('南山区')).toEqual([])
        expect(await store.reports.listByDistrict('宝安区')).toEqual([moved])
        expect(await store.reports.listByUser('u1')).toEqual([moved])
        expect(await store.reports.listRecent(10)).toEqual([moved])
      })

      it('hands out copies', async () => {
        const r = report('BS-1')
        await store.reports.save(r)
        r.flags.push('changed after save')
        const got = (await store.reports.get('BS-1'))!
        got.flags.push('changed after get')
        expect((await store.reports.get('BS-1'))!.flags).toEqual([])
      })
    })

    describe('reports filed once per submission (create)', () => {
      it('numbers, stores, indexes and queues the notice in one step; a repeat returns the first report and queues nothing', async () => {
        const first = await store.reports.create(newReport('sub-1'))
        expect(first.created).toBe(true)
        expect(first.report).toMatchObject({ id: 'BS20261126-0001', userId: 'u1', submission: 'sub-1', fields: report('x').fields })
        expect(await store.reports.get('BS20261126-0001')).toEqual(first.report)
        expect(await store.reports.bySubmission('sub-1')).toEqual(first.report)
        expect((await store.reports.listByUser('u1')).map((r) => r.id)).toEqual(['BS20261126-0001'])
        expect((await store.reports.listByDistrict('南山区')).map((r) => r.id)).toEqual(['BS20261126-0001'])
        const notices = await store.outbox.due(Number.MAX_SAFE_INTEGER, 10)
        expect(notices).toEqual([
          expect.objectContaining({ id: 'report-notice:BS20261126-0001', kind: 'report-notice', payload: { reportId: 'BS20261126-0001' }, attempts: 0 }),
        ])

        const again = await store.reports.create(newReport('sub-1', { fields: { changed: true } }))
        expect(again).toEqual({ report: first.report, created: false })
        expect(await store.outbox.size()).toBe(1)
        expect(await store.reports.listRecent(10)).toHaveLength(1)
        expect(await store.reports.bySubmission('sub-other')).toBeUndefined()
      })

      it('files one report for many concurrent confirms of one draft, and distinct numbers for distinct drafts', async () => {
        const same = await Promise.all(Array.from({ length: 10 }, () => store.reports.create(newReport('sub-race'))))
        expect(same.filter((r) => r.created)).toHaveLength(1)
        expect(new Set(same.map((r) => r.report.id)).size).toBe(1)
        const distinct = await Promise.all(Array.from({ length: 10 }, (_, i) => store.reports.create(newReport(`sub-${i}`))))
        expect(new Set(distinct.map((r) => r.report.id)).size).toBe(10)
        expect(await store.reports.listRecent(100)).toHaveLength(11)
        expect(await store.outbox.size()).toBe(11)
      })

      it('shares the day sequence with nextSequence, queues no notice when asked not to, and never reuses a stored number', async () => {
        expect(await store.reports.nextSequence('20261126')).toBe(1)
        const a = await store.reports.create(newReport('sub-a', {}, false))
        expect(a.report.id).toBe('BS20261126-0002')
        expect(await store.outbox.size()).toBe(0)
        // A report stored under a number the sequence has not reached (restored, or its sequence record lost).
        await store.reports.save(report('BS20261126-0003'))
        const b = await store.reports.create(newReport('sub-b', {}, false))
        expect(b.report.id).toBe('BS20261126-0004')
        expect(await store.reports.get('BS20261126-0003')).toEqual(report('BS20261126-0003'))
      })
    })

    describe('report lifecycle (changeStatus)', () => {
      it('sets status and outcome, appends the change to the timeline and returns before and after', async () => {
        await store.reports.save(report('BS-1'))
        const first = await store.reports.changeStatus('BS-1', { at: 2_000, by: 'zhang', status: 'in_review', note: '请补充报关单' })
        expect(first).toEqual({
          kind: 'changed',
          before: report('BS-1'),
          report: report('BS-1', { status: 'in_review', updatedAt: 2_000, timeline: [{ at: 2_000, by: 'zhang', status: 'in_review', note: '请补充报关单' }] }),
        })
        const closed = await store.reports.changeStatus('BS-1', { at: 3_000, by: 'li', status: 'closed', outcome: 'paid' })
        expect(closed.kind).toBe('changed')
        const got = await store.reports.get('BS-1')
        expect(got).toMatchObject({ status: 'closed', outcome: 'paid', updatedAt: 3_000, fields: report('x').fields, flags: [] })
        expect(got!.timeline).toEqual([
          { at: 2_000, by: 'zhang', status: 'in_review', note: '请补充报关单' },
          { at: 3_000, by: 'li', status: 'closed', outcome: 'paid' },
        ])
        // Reopened: the outcome goes with the closed status; the indexes still find it.
        await store.reports.changeStatus('BS-1', { at: 4_000, by: 'li', status: 'in_review', outcome: 'paid' })
        const reopened = (await store.reports.get('BS-1'))!
        expect(reopened.outcome).toBeUndefined()
        expect(reopened.timeline!.at(-1)).toEqual({ at: 4_000, by: 'li', status: 'in_review' })
        expect((await store.reports.listByDistrict('南山区')).map((r) => r.status)).toEqual(['in_review'])
        expect((await store.reports.listByUser('u1')).map((r) => r.timeline?.length)).toEqual([3])
      })

      it('reports a missing report, and refuses a change made on a stale copy', async () => {
        expect(await store.reports.changeStatus('BS-none', { at: 2_000, by: 'zhang', status: 'in_review' })).toEqual({ kind: 'not_found' })
        await store.reports.save(report('BS-1'))
        await store.reports.changeStatus('BS-1', { at: 2_000, by: 'zhang', status: 'in_review' }, 1_000)
        const stale = await store.reports.changeStatus('BS-1', { at: 2_500, by: 'li', status: 'closed', outcome: 'declined' }, 1_000)
        expect(stale.kind).toBe('stale')
        expect(stale.kind === 'stale' && stale.report.updatedAt).toBe(2_000)
        expect(await store.reports.get('BS-1')).toMatchObject({ status: 'in_review', updatedAt: 2_000 })
      })

      it('appends the audit entry in the same step as the change, and none for a change not written', async () => {
        await store.reports.save(report('BS-1'))
        const entry = (at: number, note: string) => ({ at, actor: 'zhang', action: 'report.status', target: 'BS-1', after: { status: 'in_review', note } })
        expect((await store.reports.changeStatus('BS-1', { at: 2_000, by: 'zhang', status: 'in_review' }, 1_000, entry(2_000, 'first'))).kind).toBe('changed')
        expect((await store.reports.changeStatus('BS-1', { at: 2_500, by: 'zhang', status: 'in_review' }, 1_000, entry(2_500, 'stale'))).kind).toBe('stale')
        expect((await store.reports.changeStatus('BS-none', { at: 2_600, by: 'zhang', status: 'in_review' }, undefined, entry(2_600, 'missing'))).kind).toBe('not_found')
        expect(await store.audit.list(0, 10)).toEqual([entry(2_000, 'first')])
      })

      it('loses no change when many land at once', async () => {
        await store.reports.save(report('BS-1'))
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, i) => store.reports.changeStatus('BS-1', { at: 2_000 + i, by: `s${i}`, status: 'in_review', note: `第${i}条` })),
        )
        expect(results.every((r) => r.kind === 'changed')).toBe(true)
        const notes = (await store.reports.get('BS-1'))!.timeline!.map((t) => t.note)
        expect([...notes].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `第${i}条`).sort())
      })
    })

    describe('reports filed in a time range (listFiled)', () => {
      it('includes both ends, filters by district, newest first', async () => {
        await store.reports.save(report('BS-1', { createdAt: 1_000 }))
        await store.reports.save(report('BS-2', { createdAt: 2_000, district: '福田区' }))
        await store.reports.save(report('BS-3', { createdAt: 3_000 }))
        await store.reports.save(report('BS-4', { createdAt: 4_000 }))
        const ids = (rs: LossReport[]) => rs.map((r) => r.id)
        expect(ids(await store.reports.listFiled({}))).toEqual(['BS-4', 'BS-3', 'BS-2', 'BS-1'])
        expect(ids(await store.reports.listFiled({ from: 2_000, to: 3_000 }))).toEqual(['BS-3', 'BS-2'])
        expect(ids(await store.reports.listFiled({ from: 2_001 }))).toEqual(['BS-4', 'BS-3'])
        expect(ids(await store.reports.listFiled({ to: 1_999 }))).toEqual(['BS-1'])
        expect(ids(await store.reports.listFiled({ district: '南山区', from: 1_000, to: 3_000 }))).toEqual(['BS-3', 'BS-1'])
        expect(ids(await store.reports.listFiled({ district: '龙岗区' }))).toEqual([])
        // A report that moved district is listed under its new one only.
        await store.reports.save(report('BS-3', { createdAt: 3_000, district: '福田区' }))
        expect(ids(await store.reports.listFiled({ district: '福田区' }))).toEqual(['BS-3', 'BS-2'])
      })
    })

    describe('staff accounts', () => {
      it('creates, replaces, lists by username and removes accounts, handing out copies', async () => {
        expect(await store.staff.get('zhang')).toBeUndefined()
        expect(await store.staff.list()).toEqual([])
        await store.staff.put(staff('zhang'))
        await store.staff.put(staff('admin', { role: 'admin' }))
        await store.staff.put(staff('wang', { role: 'manager', districts: ['宝安区', '光明区'] }))
        expect((await store.staff.list()).map((a) => a.username)).toEqual(['admin', 'wang', 'zhang'])
        expect(await store.staff.get('wang')).toEqual(staff('wang', { role: 'manager', districts: ['宝安区', '光明区'] }))
        const got = (await store.staff.get('wang'))!
        got.districts.push('changed after get')
        expect((await store.staff.get('wang'))!.districts).toEqual(['宝安区', '光明区'])
        await store.staff.put(staff('zhang', { passwordHash: 'new', passwordChangedAt: 5_000 }))
        expect(await store.staff.get('zhang')).toMatchObject({ passwordHash: 'new', passwordChangedAt: 5_000 })
        expect(await store.staff.remove('zhang')).toBe(true)
        expect(await store.staff.remove('zhang')).toBe(false)
        expect(await store.staff.get('zhang')).toBeUndefined()
        expect((await store.staff.list()).map((a) => a.username)).toEqual(['admin', 'wang'])
      })
    })

    describe('staff accounts: at least one admin remains (guarded changes)', () => {
      const admins = async () => (await store.staff.list()).filter((a) => a.role === 'admin').map((a) => a.username)

      it('of many concurrent removals of every admin, all but one go through and one admin is left', async () => {
        const names = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6']
        for (const n of names) await store.staff.put(staff(n, { role: 'admin' }))
        await store.staff.put(staff('zhang'))
        const results = await Promise.all(names.map((n) => store.staff.removeKeepingAdmin(n)))
        expect(results.filter((r) => r === 'done')).toHaveLength(names.length - 1)
        expect(results.filter((r) => r === 'last_admin')).toHaveLength(1)
        const left = await admins()
        expect(left).toEqual([names[results.indexOf('last_admin')]])
        expect(await store.staff.get('zhang')).toEqual(staff('zhang'))
      })

      it('a demotion racing a removal leaves one admin, whichever lands first', async () => {
        for (let round = 0; round < 4; round++) {
          const [x, y] = [`x${round}`, `y${round}`]
          await store.staff.put(staff(x, { role: 'admin' }))
          await store.staff.put(staff(y, { role: 'admin' }))
          const demote = () => store.staff.replaceKeepingAdmin(staff(x, { role: 'hotline', updatedAt: 2_000 }))
          const remove = () => store.staff.removeKeepingAdmin(y)
          const results = round % 2 ? await Promise.all([remove(), demote()]) : await Promise.all([demote(), remove()])
          expect(results.filter((r) => r === 'last_admin')).toHaveLength(1)
          expect(await admins()).toHaveLength(1)
          // Leave the next round a store with no admin from this one.
          for (const a of await store.staff.list()) await store.staff.remove(a.username)
        }
      })

      it('changes and removes anyone else freely, keeps the last admin an admin, and writes nothing it refuses', async () => {
        await store.staff.put(staff('root', { role: 'admin' }))
        await store.staff.put(staff('zhang'))
        await store.staff.put(staff('wang', { role: 'manager', districts: ['宝安区'] }))
        expect(await store.staff.replaceKeepingAdmin(staff('wang', { role: 'hotline', districts: [], updatedAt: 2_000 }))).toBe('done')
        expect(await store.staff.get('wang')).toEqual(staff('wang', { role: 'hotline', districts: [], updatedAt: 2_000 }))
        expect(await store.staff.removeKeepingAdmin('wang')).toBe('done')
        expect(await store.staff.get('wang')).toBeUndefined()
        // The last admin: a new password is fine, another role or removal is not.
        expect(await store.staff.replaceKeepingAdmin(staff('root', { role: 'admin', passwordHash: 'new', passwordChangedAt: 3_000 }))).toBe('done')
        expect(await store.staff.replaceKeepingAdmin(staff('root', { role: 'manager', districts: ['宝安区'] }))).toBe('last_admin')
        expect(await store.staff.removeKeepingAdmin('root')).toBe('last_admin')
        expect(await store.staff.get('root')).toEqual(staff('root', { role: 'admin', passwordHash: 'new', passwordChangedAt: 3_000 }))
        // Once another is an admin, either may go.
        expect(await store.staff.replaceKeepingAdmin(staff('zhang', { role: 'admin' }))).toBe('done')
        expect(await store.staff.removeKeepingAdmin('root')).toBe('done')
        expect(await admins()).toEqual(['zhang'])
      })

      it('answers not_found for an account that is not there, and does not create it', async () => {
        await store.staff.put(staff('root', { role: 'admin' }))
        expect(await store.staff.removeKeepingAdmin('nobody')).toBe('not_found')
        expect(await store.staff.replaceKeepingAdmin(staff('nobody', { role: 'admin' }))).toBe('not_found')
        expect(await store.staff.get('nobody')).toBeUndefined()
        // With no admin at all (accounts made before the rule), the others are still changed and removed.
        await store.staff.remove('root')
        await store.staff.put(staff('zhang'))
        expect(await store.staff.replaceKeepingAdmin(staff('zhang', { role: 'manager', districts: ['宝安区'] }))).toBe('done')
        expect(await store.staff.removeKeepingAdmin('zhang')).toBe('done')
        expect(await store.staff.list()).toEqual([])
      })
    })

    describe('audit log', () => {
      it('keeps every entry and pages through them newest first', async () => {
        expect(await store.audit.list(0, 10)).toEqual([])
        for (let n = 1; n <= 7; n++) await store.audit.append(audit(n))
        expect(await store.audit.size()).toBe(7)
        expect(await store.audit.list(0, 3)).toEqual([audit(7), audit(6), audit(5)])
        expect((await store.audit.list(3, 3)).map((e) => e.target)).toEqual(['BS-4', 'BS-3', 'BS-2'])
        expect((await store.audit.list(6, 3)).map((e) => e.target)).toEqual(['BS-1'])
        expect(await store.audit.list(7, 3)).toEqual([])
        expect(await store.audit.list(0, 0)).toEqual([])
        const all = await Promise.all(Array.from({ length: 10 }, (_, i) => store.audit.append(audit(100 + i))))
        expect(all).toHaveLength(10)
        expect(await store.audit.size()).toBe(17)
      })
    })

    describe('ids with lone surrogates', () => {
      it('keeps sessions, reports, kv entries and turns of different ill-formed ids apart', async () => {
        for (const [i, id] of LONE_IDS.entries()) {
          const s = newSession(id, 1_000 + i)
          await store.sessions.save(s)
          await store.reports.create(newReport(`sub-lone-${i}`, { userId: id }, false))
          await store.kv.set(`wx:msg:${id}:1`, `v${i}`, 60)
        }
        for (const [i, id] of LONE_IDS.entries()) {
          expect((await store.sessions.get(id))?.createdAt, JSON.stringify(id)).toBe(1_000 + i)
          const mine = await store.reports.listByUser(id)
          expect(mine.map((r) => r.userId), JSON.stringify(id)).toEqual([id])
          expect(await store.kv.get(`wx:msg:${id}:1`)).toBe(`v${i}`)
          expect(await store.kv.setIfAbsent(`wx:msg:${LONE_IDS[(i + 1) % 3]}:2`, 'x', 60)).toBe(true)
        }
        // Compare-and-set and compare-and-delete find the same keys (the same encoding as get and set).
        for (const [i, id] of LONE_IDS.entries()) {
          expect(await store.kv.setIfEquals(`wx:msg:${id}:1`, `v${i}`, `w${i}`, 60), JSON.stringify(id)).toBe(true)
          expect(await store.kv.deleteIfEquals(`wx:msg:${id}:2`, 'x'), JSON.stringify(id)).toBe(true)
        }
        for (const [i, id] of LONE_IDS.entries()) {
          expect(await store.kv.get(`wx:msg:${id}:1`)).toBe(`w${i}`)
          expect(await store.kv.get(`wx:msg:${id}:2`)).toBeUndefined()
        }
        const seen = await Promise.all(LONE_IDS.map((id) => runTurn(store, id, async (s) => ({ session: s!, result: s!.userId }))))
        expect(seen).toEqual([...LONE_IDS])
      })
    })

    describe('outbox', () => {
      it('gives due items oldest first, up to the limit', async () => {
        await store.outbox.add(item('o3', 3_000))
        await store.outbox.add(item('o1', 1_000, { lastError: 'timeout' }))
        await store.outbox.add(item('o2', 2_000))
        await store.outbox.add(item('o9', 9_000))
        expect(await store.outbox.size()).toBe(4)
        expect((await store.outbox.due(2_500, 10)).map((i) => i.id)).toEqual(['o1', 'o2'])
        expect((await store.outbox.due(5_000, 2)).map((i) => i.id)).toEqual(['o1', 'o2'])
        expect(await store.outbox.due(500, 10)).toEqual([])
        expect((await store.outbox.due(1_000, 10))[0]).toEqual(item('o1', 1_000, { lastError: 'timeout' }))
      })

      it('update moves an item; remove drops it; neither creates one', async () => {
        await store.outbox.add(item('o1', 1_000))
        await store.outbox.add(item('o2', 2_000))
        const retried = item('o1', 10_000, { attempts: 1, lastError: 'HTTP 500', createdAt: 1_000 })
        await store.outbox.update(retried)
        expect((await store.outbox.due(5_000, 10)).map((i) => i.id)).toEqual(['o2'])
        expect(await store.outbox.due(10_000, 10)).toEqual([item('o2', 2_000), retried])
        await store.outbox.remove('o2')
        await store.outbox.update(item('o2', 3_000))
        await store.outbox.remove('never-added')
        expect(await store.outbox.size()).toBe(1)
        expect((await store.outbox.due(20_000, 10)).map((i) => i.id)).toEqual(['o1'])
      })
    })

    describe('roster', () => {
      it('replaces the whole list and looks up by credit code', async () => {
        const a = { name: '甲公司', creditCode: '91440300AAAAAAAAAA' }
        const b = { name: '乙公司', creditCode: '91440300BBBBBBBBBB' }
        const c = { name: '丙公司', creditCode: '91440300CCCCCCCCCC' }
        expect(await store.roster.size()).toBe(0)
        expect(await store.roster.replace([a, b])).toBe(2)
        expect(await store.roster.getByCode(a.creditCode)).toEqual(a)
        expect(await store.roster.replace([b, c, { ...c, name: '丙公司（更名）' }])).toBe(2)
        expect(await store.roster.getByCode(a.creditCode)).toBeUndefined()
        expect(await store.roster.getByCode(c.creditCode)).toEqual({ ...c, name: '丙公司（更名）' })
        expect((await store.roster.all()).map((e) => e.creditCode).sort()).toEqual([b.creditCode, c.creditCode])
        expect(await store.roster.size()).toBe(2)
        expect(await store.roster.replace([])).toBe(0)
        expect(await store.roster.all()).toEqual([])
      })
    })

    describe('runExclusive', () => {
      it('never lets two holders of one key overlap, and passes results and errors through', async () => {
        let inside = 0
        let overlaps = 0
        const order: number[] = []
        const holders = Array.from({ length: 5 }, (_, i) =>
          store.runExclusive('user:u1', async () => {
            inside++
            if (inside > 1) overlaps++
            await sleep(15)
            order.push(i)
            inside--
            if (i === 2) throw new Error('flow failed')
            return i
          }),
        )
        const results = await Promise.allSettled(holders)
        expect(overlaps).toBe(0)
        expect(order).toHaveLength(5)
        expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([0, 1, 'flow failed', 3, 4])
        expect(await store.runExclusive('user:u1', async () => 'free again')).toBe('free again')
      })

      it('does not hold up other keys', async () => {
        let release!: () => void
        let entered!: () => void
        const inside = new Promise<void>((resolve) => (entered = resolve))
        const held = store.runExclusive('user:slow', () => {
          entered()
          return new Promise<void>((resolve) => (release = resolve))
        })
        await inside
        expect(await store.runExclusive('user:other', async () => 'ran')).toBe('ran')
        release()
        await held
      })
    })

    describe('runTurn (one turn with the session)', () => {
      it('serialises concurrent turns of one user so no update is lost, and saves what the turn returns', async () => {
        const turns = Array.from({ length: 8 }, (_, i) =>
          runTurn(store, 'turner', async (s) => {
            const session = s ?? newSession('turner', 1)
            await sleep(3)
            session.profile.exports2020Usd = (session.profile.exports2020Usd ?? 0) + 1
            return { session, result: i }
          }),
        )
        expect((await Promise.all(turns)).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
        expect((await store.sessions.get('turner'))?.profile.exports2020Usd).toBe(8)
      })

      it('saves nothing and frees the user when the turn fails', async () => {
        await expect(runTurn(store, 'failer', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
        expect(await store.sessions.get('failer')).toBeUndefined()
        const again = await runTurn(store, 'failer', async (s) => ({ session: s ?? newSession('failer', 2), result: 'ok' }))
        expect(again).toBe('ok')
        expect(await store.sessions.get('failer')).toMatchObject({ userId: 'failer' })
      })
    })

    it('reports itself healthy', async () => {
      expect(await store.health()).toBe('ok')
    })
  })
}

function handoff(id: string, owner: string, over: Partial<Handoff> = {}): Handoff {
  return {
    id,
    owner,
    channel: 'api',
    userId: owner.replace(/^api:/, ''),
    status: 'waiting',
    version: 1,
    createdAt: 1_000,
    updatedAt: 1_000,
    reason: 'asked',
    pickupBy: 601_000,
    messages: [{ at: 900, from: 'user', text: '转人工' }],
    facts: { district: '南山区', reports: [] },
    ...over,
  }
}

function unanswered(n: number, over: Partial<UnansweredEntry> = {}): UnansweredEntry {
  return { id: `q${n}`, at: 1_000 + n, channel: 'api', kind: 'abstained', question: `问题${n} 138****5678`, lang: 'zh', sections: [{ id: 'scope', score: 1.5 }], coverage: 0.2, ...over }
}

/**
 * Handoffs (转人工) and the unanswered log: every store that has them (memory, file, Redis; the Durable Object
 * store once it implements them) passes these.
 */
export function handoffStoreContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`${name} store contract: handoffs and the unanswered log`, () => {
    let h: StoreUnderTest
    let handoffs: HandoffStore
    let log: UnansweredLog
    beforeEach(async () => {
      h = await makeStore()
      if (!h.store.handoffs || !h.store.unanswered) throw new Error(`${name} store has no handoffs or unanswered log`)
      handoffs = h.store.handoffs
      log = h.store.unanswered
    })
    afterEach(async () => {
      await h.cleanup()
    })

    it('opens one handoff per owner until it is closed, then a new one', async () => {
      const first = await handoffs.open(handoff('h1', 'api:u1'))
      expect(first).toEqual({ handoff: handoff('h1', 'api:u1'), created: true })
      // The same owner again (another instance, a lost session): the open one comes back, nothing is written.
      const again = await handoffs.open(handoff('h2', 'api:u1', { createdAt: 2_000 }))
      expect(again).toEqual({ handoff: handoff('h1', 'api:u1'), created: false })
      expect(await handoffs.get('h2')).toBeUndefined()
      expect((await handoffs.open(handoff('h3', 'wechat:u1'))).created).toBe(true)
      expect(await handoffs.replace({ ...handoff('h1', 'api:u1'), version: 2, status: 'closed', closedAt: 5_000, closedBy: 'user' })).toBe(true)
      const next = await handoffs.open(handoff('h4', 'api:u1', { createdAt: 6_000 }))
      expect(next.created).toBe(true)
      expect(next.handoff.id).toBe('h4')
    })

    it('gives one handoff to exactly one of many concurrent opens by the same owner', async () => {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => handoffs.open(handoff(`c${i}`, 'api:racer', { createdAt: 1_000 + i }))))
      expect(results.filter((r) => r.created)).toHaveLength(1)
      expect(new Set(results.map((r) => r.handoff.id)).size).toBe(1)
      expect(await handoffs.listOpen()).toHaveLength(1)
    })

    it('replaces only the version it was read at: of concurrent takes exactly one wins', async () => {
      await handoffs.open(handoff('h1', 'api:u1'))
      const read = (await handoffs.get('h1'))!
      const takes = await Promise.all(
        ['zhang', 'li', 'wang', 'zhao'].map((by) => handoffs.replace({ ...read, version: read.version + 1, status: 'taken', takenBy: by, takenAt: 2_000, updatedAt: 2_000 })),
      )
      expect(takes.filter(Boolean)).toHaveLength(1)
      const taken = (await handoffs.get('h1'))!
      expect(taken.version).toBe(2)
      expect(['zhang', 'li', 'wang', 'zhao'][takes.indexOf(true)]).toBe(taken.takenBy)
      // A stale copy, a version from the future and an unknown id are all refused, and nothing changes.
      expect(await handoffs.replace({ ...read, version: 2, takenBy: 'late' })).toBe(false)
      expect(await handoffs.replace({ ...taken, version: 4 })).toBe(false)
      expect(await handoffs.replace({ ...taken, id: 'nope', version: 3 })).toBe(false)
      expect(await handoffs.get('h1')).toEqual(taken)
    })

    it('appends the audit entry of a replace in the same step, and none when the replace is refused', async () => {
      await handoffs.open(handoff('h1', 'api:u1'))
      const read = (await handoffs.get('h1'))!
      const entry = (by: string) => ({ at: 2_000, actor: by, action: 'handoff.take', target: 'h1', after: { status: 'taken', takenBy: by } })
      const takes = await Promise.all(['zhang', 'li', 'wang'].map((by) => handoffs.replace({ ...read, version: 2, status: 'taken', takenBy: by, updatedAt: 2_000 }, entry(by))))
      const winner = (await handoffs.get('h1'))!.takenBy!
      expect(takes.filter(Boolean)).toHaveLength(1)
      expect(await h.store.audit.list(0, 10)).toEqual([entry(winner)])
    })

    it('keeps every field, hands out copies, and lists open ones oldest first and closed ones last closed first', async () => {
      await handoffs.open(handoff('late', 'api:b', { createdAt: 3_000 }))
      await handoffs.open(handoff('early', 'api:a', { createdAt: 2_000 }))
      await handoffs.open(handoff('mid', 'api:c', { createdAt: 2_500 }))
      const got = (await handoffs.get('early'))!
      got.messages.push({ at: 1, from: 'bot', text: 'changed' })
      expect(await handoffs.get('early')).toEqual(handoff('early', 'api:a', { createdAt: 2_000 }))
      expect((await handoffs.listOpen()).map((x) => x.id)).toEqual(['early', 'mid', 'late'])

      const staffReply = { at: 4_000, from: 'staff' as const, id: 'm1', by: 'zhang', text: '您好，我是人工客服', delivered: 'sent' as const }
      const closing = (id: string, owner: string, at: number, createdAt: number) =>
        ({ ...handoff(id, owner, { createdAt }), version: 2, status: 'closed' as const, closedAt: at, closedBy: 'zhang', note: '已解答', updatedAt: at, messages: [...handoff(id, owner).messages, staffReply] })
      expect(await handoffs.replace(closing('mid', 'api:c', 5_000, 2_500))).toBe(true)
      expect(await handoffs.replace(closing('early', 'api:a', 6_000, 2_000))).toBe(true)
      expect((await handoffs.listOpen()).map((x) => x.id)).toEqual(['late'])
      expect(await handoffs.listClosed(10)).toEqual([closing('early', 'api:a', 6_000, 2_000), closing('mid', 'api:c', 5_000, 2_500)])
      expect((await handoffs.listClosed(1)).map((x) => x.id)).toEqual(['early'])
      expect(await handoffs.listClosed(0)).toEqual([])
      // A closed handoff may still be marked (the user was told), but never reopened.
      const closed = (await handoffs.get('early'))!
      expect(await handoffs.replace({ ...closed, version: 3, status: 'waiting' })).toBe(false)
      expect(await handoffs.replace({ ...closed, version: 3, closeTold: true })).toBe(true)
      expect((await handoffs.get('early'))!.closeTold).toBe(true)
      expect((await handoffs.listOpen()).map((x) => x.id)).toEqual(['late'])
    })

    it(`keeps the ${CONTRACT_HANDOFF_KEEP_CLOSED} last closed: closing one more deletes the first closed, never an open one`, async () => {
      const keep = CONTRACT_HANDOFF_KEEP_CLOSED
      const close = async (id: string, at: number) => {
        const cur = (await handoffs.get(id))!
        expect(await handoffs.replace({ ...cur, version: cur.version + 1, status: 'closed', closedAt: at, closedBy: 'user', updatedAt: at })).toBe(true)
      }
      for (let i = 0; i <= keep + 2; i++) await handoffs.open(handoff(`open${i}`, `api:o${i}`, { createdAt: 1_000 + i }))
      for (let i = 0; i < keep; i++) {
        await handoffs.open(handoff(`c${i}`, `api:c${i}`, { createdAt: 2_000 + i }))
        await close(`c${i}`, 10_000 + i)
      }
      expect(await handoffs.countClosed()).toBe(keep)
      expect(await handoffs.get('c0')).toBeDefined()

      // One more closes (the owner of the first closed one, again): the first closed goes, record and list.
      await handoffs.open(handoff('c-next', 'api:c0', { createdAt: 3_000 }))
      await close('c-next', 20_000)
      expect(await handoffs.get('c0')).toBeUndefined()
      expect(await handoffs.countClosed()).toBe(keep)
      const closedIds = ['c-next', ...Array.from({ length: keep - 1 }, (_, i) => `c${keep - 1 - i}`)]
      expect((await handoffs.listClosed(100)).map((x) => x.id)).toEqual(closedIds)
      // Pages of the closed list: offset, then limit.
      expect((await handoffs.listClosed(2, 1)).map((x) => x.id)).toEqual(closedIds.slice(1, 3))
      expect((await handoffs.listClosed(10, keep - 1)).map((x) => x.id)).toEqual(closedIds.slice(keep - 1))
      expect(await handoffs.listClosed(10, keep)).toEqual([])
      // Every open one is still there, however many closed ones went.
      expect((await handoffs.listOpen()).map((x) => x.id)).toEqual(Array.from({ length: keep + 3 }, (_, i) => `open${i}`))
      // A closed one marked again (the user was told) is not a new close: nothing else is deleted.
      const last = (await handoffs.get('c1'))!
      expect(await handoffs.replace({ ...last, version: last.version + 1, closeTold: true })).toBe(true)
      expect(await handoffs.countClosed()).toBe(keep)
      expect(await handoffs.get('c1')).toMatchObject({ closeTold: true })

      // Two more at once: exactly the two first closed go.
      await Promise.all(['open0', 'open1'].map((id, i) => close(id, 30_000 + i)))
      expect(await handoffs.get('c1')).toBeUndefined()
      expect(await handoffs.get('c2')).toBeUndefined()
      expect(await handoffs.countClosed()).toBe(keep)
      expect((await handoffs.listOpen())).toHaveLength(keep + 1)
    })

    it('keeps owners with lone surrogates apart', async () => {
      const opened = await Promise.all(LONE_IDS.map((owner, i) => handoffs.open(handoff(`s${i}`, owner))))
      expect(opened.map((o) => o.created)).toEqual([true, true, true])
    })

    it('logs unanswered questions newest first and marks them handled', async () => {
      expect(await log.recent(10)).toEqual([])
      for (let n = 1; n <= 5; n++) await log.add(unanswered(n))
      await log.add(unanswered(9, { kind: 'guarded-out', detail: '“90%”（比例）', sections: [{ id: 'payout', score: 7.25 }, { id: 'limits', score: 6.5 }] }))
      expect((await log.recent(3)).map((e) => e.id)).toEqual(['q9', 'q5', 'q4'])
      expect((await log.recent(10))[0]).toEqual(unanswered(9, { kind: 'guarded-out', detail: '“90%”（比例）', sections: [{ id: 'payout', score: 7.25 }, { id: 'limits', score: 6.5 }] }))
      await log.markHandled(['q4', 'q5', 'unknown'], 'zhang', 9_000)
      const all = await log.recent(10)
      expect(all.filter((e) => e.handledBy === 'zhang' && e.handledAt === 9_000).map((e) => e.id)).toEqual(['q5', 'q4'])
      expect(all).toHaveLength(6)
      expect(await log.recent(0)).toEqual([])
    })
  })
}
