import { describe, expect, it } from 'vitest'
import { realKnowledge } from './helpers/bot.js'
import { pageText, signedIn } from './helpers/console.js'
import { beijing, handoffIdIn, handoffSetup } from './helpers/handoff.js'

const { knowledge } = realKnowledge()
const POLICY_PHONES = knowledge.contacts.policyHotlines.phones
const CLAIMS_PHONES = knowledge.contacts.claimsHotline.phones

describe('转人工 over /api/chat, answered from the console', () => {
  it('a user asks for a person, a staff member takes the handoff and replies, and the user’s next turn carries the reply', async () => {
    const s = handoffSetup()
    await s.addStaff('zhang', 'hotline')
    await s.say('firm-1', '我们在沙井，2020年出口600万美元')
    await s.say('firm-1', '买家欠了12万美元')

    const asked = await s.say('firm-1', '转人工')
    expect(asked).toHaveLength(1)
    expect(asked[0]).toContain('已为您转接人工客服')
    expect(asked[0]).toContain('预计 10 分钟内有人回复')
    expect(asked[0]).toContain('周一至周五 9:00–18:00（北京时间）')
    expect(asked[0]).toContain('回复“结束人工”可回到机器人')
    // While a person is awaited: one short acknowledgement, then quiet; every message goes to the queue.
    s.advance(60_000)
    expect(await s.say('firm-1', '我们的买家是德国的，已经逾期三个月了')).toEqual(['已转给人工客服，工作人员回复后会在这里显示。回复“结束人工”可回到机器人。'])
    expect(await s.say('firm-1', '还需要准备什么材料')).toEqual([])

    const zhang = await signedIn(s.app, 'zhang')
    s.advance(3 * 60_000)
    const queue = pageText(await (await zhang.get('/console/handoffs')).text())
    expect(queue).toContain('等待接待')
    expect(queue).toContain('4 分钟') // waiting since the request
    expect(queue).toContain('用户：还需要准备什么材料')
    expect(queue).toContain('机器人：已转给人工客服') // the recent conversation, the bot's answers included
    expect(queue).toContain('所在区：宝安区')
    expect(queue).toContain('2020年出口额：6,000,000美元')
    expect(queue).toContain('买方的损失：120,000美元')
    const id = handoffIdIn(await (await zhang.get('/console/handoffs')).text())

    // The conversation, the bot's answers included, and the facts.
    const detail = pageText(await (await zhang.get(`/console/handoffs/${id}`)).text())
    for (const line of ['我们在沙井，2020年出口600万美元', '买家欠了12万美元', '转人工', '已为您转接人工客服', '我们的买家是德国的，已经逾期三个月了', '还需要准备什么材料', '所在区：宝安区']) {
      expect(detail).toContain(line)
    }
    expect(detail).toMatch(/机器人 .*宝安区/) // a bot answer before the request

    expect((await zhang.post(`/console/handoffs/${id}/take`, {})).status).toBe(303)
    const reply = await zhang.post(`/console/handoffs/${id}/reply`, { text: '您好，我是人工客服小张。请准备报关单、合同和催收记录。' })
    expect(reply.status).toBe(303)
    expect(reply.headers.get('location')).toBe(`/console/handoffs/${id}?done=turn`)
    expect(pageText(await (await zhang.get(`/console/handoffs/${id}?done=turn`)).text())).toContain('用户下一次发消息时，回复里会先给出这句话')

    const next = await s.say('firm-1', '好的')
    expect(next[0]).toBe('人工客服：您好，我是人工客服小张。请准备报关单、合同和催收记录。')
    // Given once.
    expect(await s.say('firm-1', '明白了')).toEqual([])
    expect(pageText(await (await zhang.get(`/console/handoffs/${id}`)).text())).toContain('已在用户下一条消息时给出')

    // Closed with a note: the user is told at their next turn, and the bot answers again.
    expect((await zhang.post(`/console/handoffs/${id}/close`, { note: '已告知所需材料' })).status).toBe(303)
    const after = await s.say('firm-1', '赔付比例是多少')
    expect(after[0]).toBe('人工客服已结束本次服务。您可以继续向我提问，需要时再回复“转人工”。')
    expect(after[1]).toContain('80%')
    const queueAfter = pageText(await (await zhang.get('/console/handoffs')).text())
    expect(queueAfter).toContain('现在没有人在等人工客服')
    expect(queueAfter).toContain('备注：已告知所需材料')
    const audit = (await s.store.audit.list(0, 20)).map((e) => e.action)
    expect(audit).toEqual(expect.arrayContaining(['handoff.take', 'handoff.reply', 'handoff.close']))
  })

  it('"结束人工" or "取消" returns the user to the bot; a reply after that is refused', async () => {
    const s = handoffSetup()
    await s.addStaff('li', 'hotline')
    await s.say('firm-2', '人工客服')
    expect(await s.say('firm-2', '取消')).toEqual(['已结束人工客服，您可以继续向我提问。'])
    expect((await s.say('firm-2', '赔付比例是多少')).join()).toContain('80%')
    await s.say('firm-3', '找真人')
    await s.say('firm-3', '在吗')
    expect(await s.say('firm-3', '结束人工')).toEqual(['已结束人工客服，您可以继续向我提问。'])
    expect((await s.say('firm-3', '宝安区客户经理')).join()).toContain('吕宇翔')
    const li = await signedIn(s.app, 'li')
    const [closed] = await s.store.handoffs!.listClosed(1)
    expect(closed).toMatchObject({ status: 'closed', closedBy: 'user' })
    const late = await li.post(`/console/handoffs/${closed!.id}/reply`, { text: '您好' })
    expect(late.status).toBe(409)
    expect(pageText(await late.text())).toContain('这个人工客服请求已经结束')
  })

  it('"talk to a person" works in English; "人工客服电话多少" is still the hotline answer', async () => {
    const s = handoffSetup()
    expect((await s.say('en-1', 'Can I talk to a person?'))[0]).toContain('I have passed you to our staff')
    const phones = (await s.say('zh-1', '人工客服电话是多少')).join()
    expect(phones).toContain(POLICY_PHONES[0]!)
    expect(await s.store.handoffs!.listOpen()).toHaveLength(1)
  })

  it('nobody picks up within N minutes: the bot says so, gives the hotlines and answers again; staff can still reply later', async () => {
    const s = handoffSetup({ pickupMinutes: 5 })
    await s.addStaff('zhang', 'hotline')
    await s.say('firm-4', '转人工')
    await s.say('firm-4', '我想问一下保单怎么领')
    s.advance(4 * 60_000)
    expect(await s.say('firm-4', '有人吗')).toEqual([])
    s.advance(60_000)
    const timedOut = await s.say('firm-4', '赔付比例是多少')
    expect(timedOut[0]).toContain('5 分钟内暂时没有人工客服接待')
    for (const phone of [...POLICY_PHONES, ...CLAIMS_PHONES]) expect(timedOut[0]).toContain(phone)
    expect(timedOut[1]).toContain('80%')
    // Told once; the bot keeps answering.
    expect((await s.say('firm-4', '宝安区客户经理')).join()).toContain('吕宇翔')
    expect((await s.say('firm-4', '宝安区客户经理')).join()).not.toContain('没有人工客服接待')

    const zhang = await signedIn(s.app, 'zhang')
    expect(pageText(await (await zhang.get('/console/handoffs')).text())).toContain('超时未接（已给用户热线）')
    const id = handoffIdIn(await (await zhang.get('/console/handoffs')).text())
    await zhang.post(`/console/handoffs/${id}/reply`, { text: '抱歉久等，保单可以在单一窗口线上领取。' })
    const later = await s.say('firm-4', '谢谢')
    expect(later[0]).toBe('人工客服：抱歉久等，保单可以在单一窗口线上领取。')
    expect(later.length).toBeGreaterThan(1) // the bot answered "谢谢" too: the user is no longer waiting quietly
  })

  it('outside office hours: says when someone will reply, takes the question as a message, gives the phones; "always" keeps the queue open', async () => {
    const night = beijing(2026, 11, 26, 20)
    const s = handoffSetup({ start: night })
    const asked = await s.say('firm-5', '转人工')
    expect(asked[0]).toContain('现在不是人工客服的工作时间（周一至周五 9:00–18:00（北京时间））')
    expect(asked[0]).toContain('工作人员会在明天（周五）9:00后回复您')
    expect(asked[0]).toContain('请直接发送您的问题')
    expect(asked[0]).toContain(POLICY_PHONES[0]!)
    expect(await s.say('firm-5', '我们的买家破产了，报案需要哪些材料？')).toEqual(['已留言，工作人员会在明天（周五）9:00后在这里回复您。其他问题可以继续问我。'])
    // Back to the bot at once.
    expect((await s.say('firm-5', '赔付比例是多少')).join()).toContain('80%')
    const [h] = await s.store.handoffs!.listOpen()
    expect(h).toMatchObject({ afterHours: true, status: 'waiting' })
    expect(h!.pickupBy).toBeUndefined()
    expect(h!.messages.map((m) => m.text)).toContain('我们的买家破产了，报案需要哪些材料？')

    // The request carrying its question is the message; on Saturday night the reply is promised for Monday.
    const weekend = handoffSetup({ start: beijing(2026, 11, 28, 22) })
    const left = await weekend.say('firm-6', '转人工，我想问保费怎么交')
    expect(left[0]).toContain('周一（11月30日）9:00')
    expect(left[0]).toContain('您的问题已经留言给工作人员')
    expect((await weekend.say('firm-6', '赔付比例是多少')).join()).toContain('80%')

    const always = handoffSetup({ start: night, hours: 'always' })
    const open = await always.say('firm-7', '转人工')
    expect(open[0]).toContain('已为您转接人工客服')
    expect(open[0]).toContain('人工客服工作时间：全天')
  })

  it('after two answers in a row the bot could not give, it offers a person, and "好的" takes the offer', async () => {
    const s = handoffSetup()
    await s.say('firm-8', '保费多少钱')
    const second = await s.say('firm-8', '出口退税怎么办理')
    expect(second.at(-1)).toBe('我连续两次没能回答您的问题。需要人工客服帮忙吗？回复“转人工”即可。')
    expect((await s.say('firm-8', '好的'))[0]).toContain('已为您转接人工客服')
    const [h] = await s.store.handoffs!.listOpen()
    expect(h!.reason).toBe('offered')
    // An answer in between resets the count.
    await s.say('firm-9', '保费多少钱')
    await s.say('firm-9', '赔付比例是多少')
    expect((await s.say('firm-9', '出口退税怎么办理')).join()).not.toContain('需要人工客服帮忙吗')
    // "好的" without an offer is not a request.
    await s.say('firm-10', '好的')
    expect(await s.store.handoffs!.listOpen()).toHaveLength(1)
  })

  it('"转人工" in the middle of a loss report: the request goes through and the form keeps its place', async () => {
    const s = handoffSetup()
    await s.say('firm-11', '我要报损')
    await s.say('firm-11', '深圳市示例电子科技有限公司')
    const asked = await s.say('firm-11', '转人工')
    expect(asked[0]).toContain('已为您转接人工客服')
    expect(asked.at(-1)).toContain('您的报损还没填完')
    expect(asked.at(-1)).toContain('统一社会信用代码')
    expect((await s.say('firm-11', '91440300MA5EXAMP1F')).join()).toContain('哪个区')
  })

  it('two staff members taking the same handoff at once: exactly one gets it; the other is told who', async () => {
    const s = handoffSetup()
    const names = ['zhang', 'li', 'wang', 'zhao']
    for (const n of names) await s.addStaff(n, 'hotline')
    await s.say('firm-12', '转人工')
    const [h] = await s.store.handoffs!.listOpen()
    // Signed in one after another (an instance checks only a couple of passwords at once); the takes race.
    const clients = []
    for (const n of names) clients.push(await signedIn(s.app, n))
    const results = await Promise.all(clients.map((c) => c.post(`/console/handoffs/${h!.id}/take`, {})))
    expect(results.map((r) => r.status).sort()).toEqual([303, 409, 409, 409])
    const winner = names[results.findIndex((r) => r.status === 303)]!
    expect((await s.store.handoffs!.get(h!.id))!.takenBy).toBe(winner)
    const loser = results.find((r) => r.status === 409)!
    expect(pageText(await loser.text())).toContain(`${winner} 已经在接待这位用户`)
    // A reply from someone else is refused too; the holder can pass it on.
    const other = clients[results.findIndex((r) => r.status === 409)]!
    expect((await other.post(`/console/handoffs/${h!.id}/reply`, { text: '我来' })).status).toBe(409)
    const holder = clients[names.indexOf(winner)]!
    const to = names.find((n) => n !== winner)!
    expect((await holder.post(`/console/handoffs/${h!.id}/assign`, { to })).status).toBe(303)
    expect((await s.store.handoffs!.get(h!.id))!.takenBy).toBe(to)
  })

  it('a manager sees only the handoffs of their districts; bad input gets a clear 4xx', async () => {
    const s = handoffSetup()
    await s.addStaff('wang', 'manager', ['宝安区'])
    await s.addStaff('zhang', 'hotline')
    await s.say('baoan', '我们在沙井')
    await s.say('baoan', '转人工')
    await s.say('nanshan', '我们在南山区')
    await s.say('nanshan', '转人工')
    const wang = await signedIn(s.app, 'wang')
    const queue = pageText(await (await wang.get('/console/handoffs')).text())
    expect(queue).toContain('所在区：宝安区')
    expect(queue).not.toContain('南山区')
    const nanshan = (await s.store.handoffs!.listOpen()).find((h) => h.facts.district === '南山区')!
    expect((await wang.get(`/console/handoffs/${nanshan.id}`)).status).toBe(404)
    const zhang = await signedIn(s.app, 'zhang')
    expect((await zhang.get('/console/handoffs/not-an-id')).status).toBe(404)
    expect((await zhang.post(`/console/handoffs/${nanshan.id}/reply`, { text: '   ' })).status).toBe(400)
    expect((await zhang.post(`/console/handoffs/${nanshan.id}/reply`, { text: '长'.repeat(1001) })).status).toBe(400)
    expect((await zhang.post(`/console/handoffs/${nanshan.id}/reply`, { text: '你好' }, { csrf: 'wrong' })).status).toBe(403)
    expect((await zhang.post(`/console/handoffs/${nanshan.id}/assign`, { to: 'nobody' })).status).toBe(400)
    // Escaped like everything else on the console.
    await s.say('xss', '转人工')
    await s.say('xss', '<img src=x onerror=alert(1)>')
    const html = await (await zhang.get('/console/handoffs')).text()
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
  })
})
