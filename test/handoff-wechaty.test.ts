import { describe, expect, it } from 'vitest'
import { createContactSender } from '../src/channels/wechaty/staff-send.js'
import { createMemoryStore } from '../src/store/memory-store.js'
import { signedIn } from './helpers/console.js'
import { handoffSetup } from './helpers/handoff.js'
import { wechatyHarness } from './helpers/wechaty-mock.js'

/** The wechaty channel (mock puppet) in front of a bot whose queue is always open, and the console over the same store. */
async function setup({ consoleElsewhere }: { consoleElsewhere: boolean }) {
  const store = createMemoryStore({ sessionTtlSeconds: 3600 })
  // With consoleElsewhere the console builds its own desk over the store, as on another instance: it cannot
  // reach wechaty, so the reply waits in the store for this process's sweep.
  const s = handoffSetup({ store, start: Date.now(), hours: 'always', shareDesk: !consoleElsewhere })
  const h = await wechatyHarness({ store, engine: () => s.bot.engine })
  s.desk.usePusher('wechaty', createContactSender({ wechaty: h.wechaty }))
  await s.addStaff('zhang', 'hotline')
  return { s, h }
}

describe('转人工 in WeChat chats (wechaty)', () => {
  it('a staff reply is sent to the contact straight away', async () => {
    const { s, h } = await setup({ consoleElsewhere: false })
    try {
      const firm = h.contact({ name: '李经理' })
      expect((await h.say(firm, '转人工')).text).toContain('已为您转接人工客服')
      expect((await h.say(firm, '我们的买家破产了')).text).toBe('已转给人工客服，工作人员回复后会在这里显示。回复“结束人工”可回到机器人。')
      expect((await h.say(firm, '要准备什么')).replies).toEqual([])
      const zhang = await signedIn(s.app, 'zhang')
      const [handoff] = await s.store.handoffs!.listOpen()
      expect(handoff!.channel).toBe('wechaty')
      const res = await zhang.post(`/console/handoffs/${handoff!.id}/reply`, { text: '您好，请准备报关单和合同。' })
      expect(res.headers.get('location')).toBe(`/console/handoffs/${handoff!.id}?done=sent`)
      expect(h.saidTo(firm).at(-1)).toBe('人工客服：您好，请准备报关单和合同。')
      // Sent once: the next message does not repeat it.
      expect((await h.say(firm, '好的')).replies).toEqual([])
    } finally {
      await h.close()
    }
  })

  it('a reply written on another instance goes out at this process’s next sweep; group members are asked to write privately', async () => {
    const { s, h } = await setup({ consoleElsewhere: true })
    try {
      const firm = h.contact({ name: '王总' })
      await h.say(firm, '人工客服')
      const zhang = await signedIn(s.app, 'zhang')
      const [handoff] = await s.store.handoffs!.listOpen()
      const res = await zhang.post(`/console/handoffs/${handoff!.id}/reply`, { text: '您好，我是人工客服。' })
      expect(res.headers.get('location')).toBe(`/console/handoffs/${handoff!.id}?done=turn`)
      expect(h.saidTo(firm).some((t) => t.startsWith('人工客服：'))).toBe(false)
      await s.desk.sweep()
      expect(h.saidTo(firm).at(-1)).toBe('人工客服：您好，我是人工客服。')
      expect((await s.store.handoffs!.get(handoff!.id))!.messages.at(-1)).toMatchObject({ from: 'staff', delivered: 'sent' })
      await s.desk.sweep()
      expect(h.saidTo(firm).filter((t) => t.startsWith('人工客服：'))).toHaveLength(1)

      const other = h.contact({ name: '赵会计' })
      const room = h.room(other)
      const inGroup = await h.sayInRoom(other, room, '转人工', { mention: true })
      expect(inGroup.inRoom.join()).toContain('人工客服只在私聊中提供')
      expect(await s.store.handoffs!.listOpen()).toHaveLength(1)
    } finally {
      await h.close()
    }
  })
})
