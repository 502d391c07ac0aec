import { describe, expect, it } from 'vitest'
import { chat, testBot } from './helpers/bot.js'

const bot = testBot()

describe('coverage follow-ups keep the case', () => {
  it('answers "那…的货呢" and "如果是信用证呢" with the remembered cause, and says it did', async () => {
    const c = chat(bot)
    await c.say('2021年5月出的货，买家破产了，以我们名义报关，能赔吗')
    const a = await c.say('那2020年12月的货呢')
    expect(a).toContain('按您前面说的：买家破产、无力偿还债务，以贵司名义签约报关。')
    expect(a).toContain('不符合：2020年12月报关的出口不在承保期间')
    const b = await c.say('那2021年的货呢')
    expect(b).toContain('符合：2021年报关，在承保期间')
    expect(b).toContain('结论：属于统保保障范围')
    const l = await c.say('如果是信用证呢')
    expect(l).toContain('按您前面说的：2021年报关，买家破产、无力偿还债务，以贵司名义签约报关。')
    expect(l).toContain('信用证结算时，开证行破产、停业、被接管，开证行拖欠、拒绝承兑也属于列举的商业风险')
  })

  it('replaces the cause when a new one is named, keeping the date', async () => {
    const c = chat(bot)
    await c.say('2021年10月发的货，客户拒收，能赔吗')
    const a = await c.say('要是买方国家外汇管制呢')
    expect(a).toContain('按您前面说的：2021年10月报关。')
    expect(a).toContain('外汇管制（政治风险）')
    expect(a).not.toContain('拒绝接受货物')
  })

  it('never turns a case the brief does not settle into "covered" on a follow-up', async () => {
    const c = chat(bot)
    const first = await c.say('我们延迟交货，客户拒收了，2021年8月的货，以我们名义报关，能赔吗')
    expect(first).toContain('政策简介没有说明')
    const a = await c.say('如果是信用证呢')
    expect(a).toContain('政策简介没有说明')
    expect(a).not.toContain('结论：属于统保保障范围')
  })

  it('reuses a loss described to another skill: "这种能赔吗" after "买家破产了"', async () => {
    const c = chat(bot)
    await c.say('2021年6月出的货，买家破产了，能赔吗')
    const a = await c.say('这种情况能赔吗')
    expect(a).toContain('按您前面说的：2021年6月报关，买家破产、无力偿还债务。')
  })

  it('lets other skills answer what they answer right after a coverage answer', async () => {
    const c = chat(bot)
    await c.say('2021年5月出的货，买家破产了，能赔吗')
    expect(await c.say('那能赔多少')).not.toContain('核对统保保障范围')
    expect(await c.say('宝安区客户经理')).toContain('吕宇翔')
  })

  it('gives the manager when the user answers the question for the district', async () => {
    const c = chat(bot)
    expect(await c.say('2021年9月出的货，客户说质量有问题拒付，能赔吗')).toContain('请告诉我贵司在深圳哪个区')
    expect(await c.say('宝安')).toContain('吕宇翔 13699865957')
  })

  it('does not hold on to a new question on another subject', async () => {
    const c = chat(bot)
    await c.say('2021年5月出的货，买家破产了，能赔吗')
    const a = await c.say('保单怎么在网上领取')
    expect(a).not.toContain('核对统保保障范围')
    expect(a).toContain('http://sz.singlewindow.cn/')
  })

  it('writes the facts it used into the working facts other skills read', async () => {
    const c = chat(bot)
    await c.say('如果是信用证，2021年9月发的货，开证行拒付，以我们名义报关，保不保')
    const session = await bot.store.sessions.get(`api:${c.userId}`)
    expect(session?.profile).toMatchObject({ declared: { year: 2021, month: 9 }, riskIds: ['bank-default'], lc: true, ownName: true })
  })
})
