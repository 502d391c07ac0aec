import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWeChatApi } from '../src/channels/wechat/api.js'
import { createMemoryStore } from '../src/store/memory-store.js'
import { silentLogger } from './helpers/bot.js'
import { pageText, signedIn } from './helpers/console.js'
import { handoffSetup } from './helpers/handoff.js'
import { APP_ID, TOKEN, postPlain, tag, textMessage } from './helpers/wechat-client.js'
import { startWeChatApiStub, type WeChatApiStub } from './helpers/wechat-stub.js'

/*
 * 转人工 over /wechat against the WeChat API stub. The WeChat route checks timestamps against the real clock, so
 * the bot's clock starts at the real time too; the queue is open around the clock so the hour does not matter.
 */
let stub: WeChatApiStub
beforeAll(async () => {
  stub = await startWeChatApiStub()
})
afterAll(async () => {
  await stub.close()
})
let msg = 0
const msgId = () => `7300000000${String(++msg).padStart(6, '0')}`

function setup(withSecret: boolean) {
  let t = Date.now()
  const store = createMemoryStore({ sessionTtlSeconds: 3600, now: () => t })
  const api = withSecret
    ? createWeChatApi({ appId: APP_ID, appSecret: 'secret', apiBase: stub.base, kv: store.kv, runExclusive: (k, fn) => store.runExclusive(k, fn), logger: silentLogger })
    : undefined
  const s = handoffSetup({ store, start: t, hours: 'always', wechat: { token: TOKEN, api } })
  const send = async (openId: string, text: string) => {
    const res = await postPlain(s.app, textMessage(openId, text, msgId()))
    expect(res.status).toBe(200)
    const body = await res.text()
    return body === 'success' ? 'success' : (tag(body, 'Content') ?? '')
  }
  return { ...s, send, advance: (ms: number) => { t += ms; s.advance(ms) } }
}

describe('转人工 over /wechat', () => {
  it('staff reply reaches the user as a customer-service message; while waiting the bot acknowledges once and then answers "success"', async () => {
    const s = setup(true)
    await s.addStaff('zhang', 'hotline')
    const openId = `o-handoff-${Date.now()}`
    expect(await s.send(openId, '宝安区客户经理是谁')).toContain('吕宇翔')
    expect(await s.send(openId, '转人工')).toContain('已为您转接人工客服')
    expect(await s.send(openId, '我们的买家拖欠货款三个月了')).toBe('已转给人工客服，工作人员回复后会在这里显示。回复“结束人工”可回到机器人。')
    // Quiet: "success", never a text reply with empty content (WeChat shows that as an error).
    expect(await s.send(openId, '需要什么材料')).toBe('success')

    const zhang = await signedIn(s.app, 'zhang')
    const [h] = await s.store.handoffs!.listOpen()
    expect(h!.channel).toBe('wechat')
    const res = await zhang.post(`/console/handoffs/${h!.id}/reply`, { text: '您好，请准备合同、报关单和催收记录，稍后我打电话给您。' })
    expect(res.headers.get('location')).toBe(`/console/handoffs/${h!.id}?done=sent`)
    const sent = stub.sent.filter((m) => m.touser === openId)
    expect(sent.map((m) => m.content)).toEqual(['人工客服：您好，请准备合同、报关单和催收记录，稍后我打电话给您。'])
    expect(pageText(await (await zhang.get(`/console/handoffs/${h!.id}`)).text())).toContain('已送达')
    // Delivered once: the next message does not repeat it.
    expect(await s.send(openId, '好的谢谢')).toBe('success')

    // Closed: the user is told by customer-service message too, and the bot answers again.
    expect((await zhang.post(`/console/handoffs/${h!.id}/close`, { note: '电话联系' })).status).toBe(303)
    expect(stub.sent.filter((m) => m.touser === openId).at(-1)!.content).toBe('人工客服已结束本次服务。您可以继续向我提问，需要时再回复“转人工”。')
    const back = await s.send(openId, '赔付比例是多少')
    expect(back).toContain('80%')
    expect(back).not.toContain('人工客服已结束')
  })

  it('outside the 48 h window (45015), and without an AppSecret, the reply is shown first at the user’s next message', async () => {
    for (const withSecret of [true, false]) {
      const s = setup(withSecret)
      await s.addStaff('zhang', 'hotline')
      const openId = `o-kept-${withSecret}-${Date.now()}`
      await s.send(openId, '转人工')
      const zhang = await signedIn(s.app, 'zhang')
      const [h] = await s.store.handoffs!.listOpen()
      if (withSecret) stub.sendErrors.push(45015)
      const res = await zhang.post(`/console/handoffs/${h!.id}/reply`, { text: '您好，请问贵司的出口额是多少？' })
      expect(res.headers.get('location')).toBe(`/console/handoffs/${h!.id}?done=kept`)
      expect(stub.sent.some((m) => m.touser === openId)).toBe(false)
      // The user's next message: the reply first (in front of the one acknowledgement), once.
      const next = await s.send(openId, '500万美元')
      expect(next.startsWith('人工客服：您好，请问贵司的出口额是多少？')).toBe(true)
      expect(next).not.toMatch(/人工客服：您好[\s\S]*人工客服：您好/)
      expect(await s.send(openId, '还在吗')).toBe('success')
    }
  })

  it('nobody picks up in time: the WeChat user is told at once by customer-service message, with the hotlines', async () => {
    const s = setup(true)
    const openId = `o-timeout-${Date.now()}`
    await s.send(openId, '人工客服')
    await s.desk.sweep()
    expect(stub.sent.some((m) => m.touser === openId)).toBe(false)
    // (The request was timed by the WeChat route's clock, a little after the bot's.)
    s.advance(10 * 60_000 + 5_000)
    await s.desk.sweep()
    const told = stub.sent.filter((m) => m.touser === openId)
    expect(told).toHaveLength(1)
    expect(told[0]!.content).toContain('10 分钟内暂时没有人工客服接待')
    expect(told[0]!.content).toContain(s.bot.knowledge.contacts.policyHotlines.phones[0]!)
    // Swept again (another instance): not told twice. Their next message is answered, without the notice again.
    await s.desk.sweep()
    expect(stub.sent.filter((m) => m.touser === openId)).toHaveLength(1)
    const next = await s.send(openId, '赔付比例是多少')
    expect(next).toContain('80%')
    expect(next).not.toContain('没有人工客服接待')
  })
})
