import { afterEach, describe, expect, it, vi } from 'vitest'
import { ADD_FRIEND_FIRST, FAILED, MOVED_PRIVATE, NOT_TEXT, RATE_LIMITED, STATUS_PRIVATE, VOICE_UNREADABLE } from '../src/channels/wechaty/texts.js'
import { ownerKey } from '../src/engine/types.js'
import { createMemoryStore } from '../src/store/memory-store.js'
import { StoreUnavailableError, type Store } from '../src/store/types.js'
import { FULL_REPORT } from './helpers/claim.js'
import { wechatyHarness, type HarnessOptions, type WechatyHarness } from './helpers/wechaty-mock.js'

let open: WechatyHarness[] = []
async function harness(opts: HarnessOptions = {}) {
  const h = await wechatyHarness(opts)
  open.push(h)
  return h
}
afterEach(async () => {
  await Promise.all(open.map((h) => h.close()))
  open = []
})

const reportId = (text: string) => /BS\d{8}-\d{4}/.exec(text)?.[0]

describe('wechaty: direct messages', () => {
  it('answers a question with the engine, citing its source', async () => {
    const h = await harness()
    const alice = h.contact({ name: '张三' })
    const { outcome, text } = await h.say(alice, '赔付比例是多少')
    expect(outcome).toBe('answered')
    expect(text).toContain('80%')
    expect(text).toContain('来源：')
  })

  it('the loss-report form runs over several messages, through to a report number the user can look up', async () => {
    const h = await harness()
    const alice = h.contact({ name: '张三' })
    for (const [answer, expected] of FULL_REPORT) expect((await h.say(alice, answer)).text, `after “${answer}”`).toContain(expected)
    const done = await h.say(alice, '确认')
    const id = reportId(done.text)
    expect(id, done.text).toBeDefined()
    // Owned by the contact's wechaty identity: the same person finds it, under the channel's own owner key.
    const mine = await h.store.reports.listByUser(ownerKey({ channel: 'wechaty', userId: `id:${alice.id}` }))
    expect(mine.map((r) => r.id)).toEqual([id])
    expect((await h.say(alice, '我的报案')).text).toContain(id)
  })

  it('voice, pictures and files get the "text only" answer; notices get none', async () => {
    const h = await harness()
    const alice = h.contact({ name: '张三' })
    const { types } = h
    const image = await h.deliver({ talkerId: alice.id, listenerId: h.me.id, type: types.Message.Image })
    expect(image).toEqual({ outcome: 'not-text', replies: [NOT_TEXT] })
    const file = await h.deliver({ talkerId: alice.id, listenerId: h.me.id, type: types.Message.Attachment })
    expect(file).toEqual({ outcome: 'not-text', replies: [NOT_TEXT] })
    const voice = await h.deliver({ talkerId: alice.id, listenerId: h.me.id, type: types.Message.Audio })
    expect(voice).toEqual({ outcome: 'not-text', replies: [VOICE_UNREADABLE] })
    const recalled = await h.deliver({ talkerId: alice.id, listenerId: h.me.id, type: types.Message.Recalled })
    expect(recalled).toEqual({ outcome: 'ignored:system', replies: [] })
    // The conversation goes on as before.
    expect((await h.say(alice, '赔付比例是多少')).text).toContain('80%')
  })

  it('ignores its own messages, messages from before the login and official accounts', async () => {
    const h = await harness()
    const alice = h.contact({ name: '张三' })
    const own = await h.deliver({ talkerId: h.me.id, listenerId: alice.id, text: '赔付比例是多少', type: h.types.Message.Text })
    expect(own.outcome).toBe('ignored:self')
    const old = await h.deliver({ talkerId: alice.id, listenerId: h.me.id, text: '赔付比例是多少', type: h.types.Message.Text, timestamp: Date.now() - 3600_000 })
    expect(old).toEqual({ outcome: 'ignored:old', replies: [] })
    const news = h.contact({ name: '某某服务号', type: h.types.Contact.Official })
    expect(await h.say(news, '赔付比例是多少')).toMatchObject({ outcome: 'ignored:official', replies: [] })
    // The old message started nothing: the next question is answered on its own.
    expect((await h.say(alice, '宝安区客户经理')).outcome).toBe('answered')
  })

  it('splits a long answer into WeChat-sized messages, in order, losing nothing', async () => {
    const paragraph = '统保保单由出口信用保险公司深圳分公司出具，企业可直接领取。'.repeat(20)
    const long = [paragraph, paragraph, paragraph].join('\n\n')
    const h = await harness({ maxBytes: 2047, engine: (real) => ({ handle: async (m) => (m.text === '全文' ? [{ type: 'text', text: long }] : real.handle(m)) }) })
    const alice = h.contact({ name: '张三' })
    const { replies } = await h.say(alice, '全文')
    expect(replies.length).toBeGreaterThan(1)
    for (const r of replies) expect(Buffer.byteLength(r)).toBeLessThanOrEqual(2047)
    expect(replies.join('')).toBe(long.replace(/\s+/g, ''))
  })

  it('an engine error is logged and answered with an apology; the bot keeps answering', async () => {
    const h = await harness({
      engine: (real) => ({
        handle: async (m) => {
          if (m.text.includes('出错')) throw new Error('engine exploded')
          return real.handle(m)
        },
      }),
    })
    const alice = h.contact({ name: '张三' })
    expect(await h.say(alice, '这句会出错')).toMatchObject({ outcome: 'failed', replies: [FAILED] })
    const after = await h.say(alice, '赔付比例是多少')
    expect(after.outcome).toBe('answered')
    expect(after.text).toContain('80%')
    // Another contact was never affected.
    expect((await h.say(h.contact({ name: '李四' }), '赔付比例是多少')).text).toContain('80%')
  })
})

describe('wechaty: groups', () => {
  it('ignores a group message without a mention, and answers one with a mention, @-ing the asker', async () => {
    const h = await harness()
    const alice = h.contact({ name: '张三' })
    const room = h.room(alice)
    expect(await h.sayInRoom(alice, room, '赔付比例是多少')).toEqual({ outcome: 'ignored:not-addressed', inRoom: [], privately: [] })
    const asked = await h.sayInRoom(alice, room, '赔付比例是多少', { mention: true })
    expect(asked.outcome).toBe('answered')
    expect(asked.inRoom[0]).toMatch(/^@张三\s/)
    expect(asked.inRoom.join('\n')).toContain('80%')
    expect(asked.privately).toEqual([])
  })

  it('an @ with nothing else gets the menu; an over-long message is declined politely', async () => {
    const h = await harness()
    const alice = h.contact({ name: '张三' })
    const room = h.room(alice)
    const menu = await h.sayInRoom(alice, room, '', { mention: true })
    expect(menu.outcome).toBe('answered')
    expect(menu.inRoom.join('\n')).toContain('回复数字选择')
    const long = await h.say(alice, '买家不付款'.repeat(300))
    expect(long).toMatchObject({ outcome: 'too-long' })
    expect(long.text).toContain('太长')
  })

  it('answers a message that starts with the configured prefix', async () => {
    const h = await harness({ groupPrefix: '统保' })
    const alice = h.contact({ name: '张三' })
    const room = h.room(alice)
    const asked = await h.sayInRoom(alice, room, '统保：赔付比例是多少')
    expect(asked.outcome).toBe('answered')
    expect(asked.inRoom[0]).toMatch(/^@张三\s/)
    expect(asked.inRoom.join('\n')).toContain('80%')
    expect((await h.sayInRoom(alice, room, '赔付比例是多少')).outcome).toBe('ignored:not-addressed')
  })

  it('a request for the loss-report form in a group moves to the private chat, where the form starts', async () => {
    const h = await harness()
    const alice = h.contact({ name: '张三' })
    const room = h.room(alice)
    const moved = await h.sayInRoom(alice, room, '我要报损', { mention: true })
    expect(moved.outcome).toBe('moved-private')
    expect(moved.inRoom).toEqual([`@张三 ${MOVED_PRIVATE}`])
    expect(moved.privately.join('\n')).toContain('企业全称')
    // The form goes on privately…
    expect((await h.say(alice, '深圳市示例电子科技有限公司')).text).toContain('统一社会信用代码')
    // …and never in the group: a company name said there is not taken as the form's answer.
    const inGroup = await h.sayInRoom(alice, room, '宝安区客户经理', { mention: true })
    expect(inGroup.outcome).toBe('answered')
    expect(inGroup.inRoom.join('\n')).not.toMatch(/报损|统一社会信用代码/)
    expect((await h.say(alice, '91440300MA5EXAMP1F')).text).toContain('哪个区')
  })

  it('a group member who is not the bot’s friend is asked to add it first; nothing is said privately', async () => {
    const h = await harness()
    const stranger = h.contact({ name: '王五', friend: false })
    const room = h.room(stranger)
    const moved = await h.sayInRoom(stranger, room, '我要报损', { mention: true })
    expect(moved).toEqual({ outcome: 'moved-private', inRoom: [`@王五 ${ADD_FRIEND_FIRST}`], privately: [] })
  })

  it('"我的报案" asked in a group is answered privately', async () => {
    const h = await harness()
    const alice = h.contact({ name: '张三' })
    const room = h.room(alice)
    for (const [answer] of FULL_REPORT) await h.say(alice, answer)
    const id = reportId((await h.say(alice, '确认')).text)!
    const asked = await h.sayInRoom(alice, room, '我的报案', { mention: true })
    expect(asked.inRoom).toEqual([`@张三 ${STATUS_PRIVATE}`])
    expect(asked.privately.join('\n')).toContain(id)
  })
})

describe('wechaty: store down', () => {
  it('still answers what needs no memory, in private and in groups, without a rate limit', async () => {
    const fail = async (): Promise<never> => {
      throw new StoreUnavailableError('redis unreachable')
    }
    const base = createMemoryStore({ sessionTtlSeconds: 3600 })
    const store: Store = { ...base, kv: { setIfAbsent: fail, get: fail, set: fail, delete: fail, setIfEquals: fail, deleteIfEquals: fail }, sessions: { get: fail, save: fail, delete: fail }, runExclusive: fail, turn: undefined }
    const h = await harness({ store, rateLimit: 1 })
    const alice = h.contact({ name: '张三' })
    for (const q of ['赔付比例是多少', '赔付比例是多少']) expect((await h.say(alice, q)).text).toContain('80%')
    const room = h.room(alice)
    const form = await h.sayInRoom(alice, room, '我要报损', { mention: true })
    expect(form.outcome).toBe('answered')
    expect(form.inRoom.join('\n')).toContain('暂时无法保存')
    expect(form.privately).toEqual([])
  })
})

describe('wechaty: limits and friends', () => {
  it('rate-limits each contact: one notice when over the limit, then silence; others still answered', async () => {
    const t0 = Date.now()
    const h = await harness({ rateLimit: 2, rateWindowSeconds: 60, now: () => t0 })
    const alice = h.contact({ name: '张三' })
    expect((await h.say(alice, '赔付比例是多少')).outcome).toBe('answered')
    expect((await h.say(alice, '宝安区客户经理')).outcome).toBe('answered')
    expect(await h.say(alice, '理赔电话')).toMatchObject({ outcome: 'limited', replies: [RATE_LIMITED] })
    expect(await h.say(alice, '理赔电话')).toMatchObject({ outcome: 'limited', replies: [] })
    expect((await h.say(h.contact({ name: '李四' }), '理赔电话')).outcome).toBe('answered')
  })

  it('handles one contact’s messages one at a time: replies come in the order asked', async () => {
    // The first answer is slow: it waits (a bounded number of event-loop turns) for the second to be said first,
    // which only a channel that answers two messages of one contact at once would do.
    const said = () => h.saidTo(alice)
    const h: WechatyHarness = await harness({
      engine: () => ({
        handle: async (m) => {
          for (let i = 0; m.text === '第一' && i < 50 && !said().includes('答：第二'); i++) await new Promise((r) => setImmediate(r))
          return [{ type: 'text', text: `答：${m.text}` }]
        },
      }),
    })
    const alice = h.contact({ name: '张三' })
    const results = await Promise.all(['第一', '第二', '第三'].map((q) => h.say(alice, q)))
    expect(results.map((r) => r.outcome)).toEqual(['answered', 'answered', 'answered'])
    expect(said()).toEqual(['答：第一', '答：第二', '答：第三'])
  })

  it('auto-accepts a friend request when configured, and welcomes the new friend with the menu', async () => {
    const h = await harness({ autoAccept: true })
    const carol = h.contact({ name: '赵六', friend: false })
    const accepted: string[] = []
    h.puppet.friendshipRawPayload = async (id: string) => ({ id, contactId: carol.id, hello: '你好', type: h.types.Friendship.Receive, timestamp: Date.now() })
    h.puppet.friendshipAccept = async (id: string) => void accepted.push(id)
    h.puppet.emit('friendship', { friendshipId: 'fr-1' })
    await vi.waitFor(() => expect(h.saidTo(carol).join('\n')).toContain('回复数字选择'))
    expect(accepted).toEqual(['fr-1'])
  })
})
