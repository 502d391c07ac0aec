import { afterEach, describe, expect, it } from 'vitest'
import { ownerKey } from '../src/engine/types.js'
import { FULL_REPORT } from './helpers/claim.js'
import { wechatyHarness, type WechatyHarness } from './helpers/wechaty-mock.js'

// The web protocol (wechat4u) names contacts "@…" and gives them a new name at every login. Each test plays one
// person before and after a re-login as two mock contacts with different ids and what the puppet still knows.
let h: WechatyHarness
afterEach(() => h?.close())

/** Fills the first `n` answers of the loss report. */
async function startReport(contact: Parameters<WechatyHarness['say']>[0], n: number) {
  for (const [answer] of FULL_REPORT.slice(0, n)) await h.say(contact, answer)
}

describe('wechaty identity across logins', () => {
  it('a WeChat number keeps the person: the form goes on after a re-login, and "我的报案" finds the report', async () => {
    h = await wechatyHarness()
    const before = h.contact({ id: '@0a1f', name: '张三', weixin: 'zhangsan88' })
    await startReport(before, 3)
    const after = h.contact({ id: '@7c2e', name: '张三', weixin: 'zhangsan88' })
    expect((await h.say(after, '宝安区')).text).toContain('联系人')
    for (const [answer] of FULL_REPORT.slice(4)) await h.say(after, answer)
    const done = (await h.say(after, '确认')).text
    const id = /BS\d{8}-\d{4}/.exec(done)![0]
    expect((await h.store.reports.get(id))!.userId).toBe(ownerKey({ channel: 'wechaty', userId: 'wx:zhangsan88' }))
  })

  it('without a WeChat number, the remark (alias) the account gave the contact keeps the person', async () => {
    h = await wechatyHarness()
    await startReport(h.contact({ id: '@91bd', name: '李四', alias: '李四-示例电子' }), 3)
    const after = h.contact({ id: '@44f0', name: '李四', alias: '李四-示例电子' })
    expect((await h.say(after, '宝安区')).text).toContain('联系人')
  })

  it('with neither, the web id holds for one login only: after a re-login the form is not continued', async () => {
    h = await wechatyHarness()
    await startReport(h.contact({ id: '@5e5e', name: '王五' }), 3)
    const after = h.contact({ id: '@6f6f', name: '王五' })
    expect((await h.say(after, '宝安区')).text).not.toContain('联系人')
  })

  it('a puppet with stable ids (not "@…", e.g. a wxid) is keyed by the id, whatever the remark', async () => {
    h = await wechatyHarness()
    const c = h.contact({ id: 'wxid_abc123', name: '赵六', alias: '赵六', weixin: 'zhaoliu' })
    await h.say(c, '赔付比例是多少')
    expect(await h.store.sessions.get(ownerKey({ channel: 'wechaty', userId: 'id:wxid_abc123' }))).toBeDefined()
  })
})
