import { describe, expect, it } from 'vitest'
import { AccountError, createAccounts } from '../src/console/accounts.js'
import { createMemoryStore } from '../src/store/memory-store.js'
import type { StaffStore, Store } from '../src/store/types.js'
import { consoleSetup, pageText, signedIn, testHasher } from './helpers/console.js'

/**
 * A memory store whose account calls take a round trip, like Redis or a Durable Object: two requests then really
 * overlap (both signed in and past their checks before either writes), as they do against a shared store.
 */
function storeWithRoundTrips(ms = 5): Store {
  const store = createMemoryStore({ sessionTtlSeconds: 3600 })
  const later = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => async (...args: A) => {
    await new Promise((r) => setTimeout(r, ms))
    return fn(...args)
  }
  const base = store.staff
  const staff: StaffStore = {
    get: later(base.get),
    put: later(base.put),
    remove: later(base.remove),
    list: later(base.list),
    replaceKeepingAdmin: later(base.replaceKeepingAdmin),
    removeKeepingAdmin: later(base.removeKeepingAdmin),
  }
  return { ...store, staff }
}

describe('the last admin (console)', () => {
  it('two admins removing each other at the same moment: one removal goes through, the other is refused, one admin is left', async () => {
    const s = await consoleSetup({ store: storeWithRoundTrips() })
    await s.addStaff('wang', 'admin')
    await s.addStaff('zhao', 'admin')
    await s.addStaff('zhang', 'hotline')
    const wang = await signedIn(s.app, 'wang')
    const zhao = await signedIn(s.app, 'zhao')

    const answers = await Promise.all([wang.post('/console/staff/zhao/remove', {}), zhao.post('/console/staff/wang/remove', {})])
    const admins = (await s.store.staff.list()).filter((a) => a.role === 'admin')
    expect(admins).toHaveLength(1)
    expect(answers.map((r) => r.status).sort()).toEqual([303, 400])
    const refused = answers.find((r) => r.status === 400)!
    expect(pageText(await refused.text())).toContain('这是最后一个管理员账号，不能删除')
    // The one left is the one whose removal was refused; the hotline account was never at stake.
    expect(admins[0]!.username).toBe(answers[0]!.status === 400 ? 'zhao' : 'wang')
    expect(await s.store.staff.get('zhang')).toBeDefined()
  })

  it('an admin demoting the other while being removed by them: one admin is left', async () => {
    const s = await consoleSetup({ store: storeWithRoundTrips() })
    await s.addStaff('wang', 'admin')
    await s.addStaff('zhao', 'admin')
    const wang = await signedIn(s.app, 'wang')
    const zhao = await signedIn(s.app, 'zhao')
    const answers = await Promise.all([wang.post('/console/staff/zhao/role', { role: 'hotline' }), zhao.post('/console/staff/wang/remove', {})])
    expect((await s.store.staff.list()).filter((a) => a.role === 'admin')).toHaveLength(1)
    expect(answers.map((r) => r.status).sort()).toEqual([303, 400])
    expect(pageText(await answers.find((r) => r.status === 400)!.text())).toContain('这是最后一个管理员账号')
  })
})

describe('an admin’s own account', () => {
  it('cannot be removed under another spelling of its name (trailing or leading space, capitals)', async () => {
    const s = await consoleSetup()
    await s.addStaff('admin', 'admin')
    // A second admin, so the last-admin rule is not what refuses.
    await s.addStaff('root', 'admin')
    const c = await signedIn(s.app, 'admin')
    for (const spelled of ['admin%20', 'ADMIN', '%20admin', 'Admin%20%20']) {
      const res = await c.post(`/console/staff/${spelled}/remove`, {})
      expect(res.status, spelled).toBe(400)
      expect(pageText(await res.text())).toContain('不能删除自己正在使用的账号')
      expect(await s.store.staff.get('admin')).toBeDefined()
    }
    // The session still works: nothing was removed.
    expect((await c.get('/console/staff')).status).toBe(200)
    expect((await s.store.audit.list(0, 50)).filter((e) => e.action === 'staff.remove')).toEqual([])
  })

  it('is the same rule for `npm run staff` (accounts.remove): the actor is compared normalised', async () => {
    const s = await consoleSetup()
    await s.addStaff('admin', 'admin')
    await s.addStaff('root', 'admin')
    const accounts = createAccounts({ staff: s.store.staff, audit: s.store.audit, hasher: testHasher, districts: ['宝安区'], now: s.now })
    await expect(accounts.remove(' Admin', 'admin')).rejects.toThrow(new AccountError('不能删除自己正在使用的账号。'))
    await expect(accounts.remove('root', 'ROOT ')).rejects.toThrow(AccountError)
    await accounts.remove('root', 'cli')
    expect((await s.store.staff.list()).map((a) => a.username)).toEqual(['admin'])
  })
})
