import { describe, expect, it } from 'vitest'
import { chat, testBot } from './helpers/bot.js'

const bot = testBot()
// 10 August 2022 in Shenzhen: 去年 is 2021.
const august2022 = testBot({ now: () => Date.UTC(2022, 7, 10, 2) })

describe('coverage check', () => {
  it('puts a 2020 shipment outside the cover period', async () => {
    const a = await chat(bot).say('2020年3月出运的货能赔吗')
    expect(a).toContain('不符合：2020年3月报关的出口不在承保期间（2021年1月至2022年6月）内')
    expect(a).toContain('可能不在统保保障范围内')
  })

  it('says what is missing, then completes the check with the next message', async () => {
    const c = chat(bot)
    const a = await c.say('2021年5月出运的，买家破产了，能赔吗')
    expect(a).toContain('符合：2021年5月报关')
    expect(a).toContain('买家破产')
    expect(a).toContain('还需要确认：销售合同是否由贵司与买方签订')
    const b = await c.say('是我们自己签的合同，以我们公司名义报关')
    expect(b).toContain('结论：属于统保保障范围')
    expect(b).toContain('按您前面说的：2021年5月报关，买家破产')
    expect(b).toContain('不予承保的国别以正式保单约定为准')
  })

  it('takes a bare yes as the answer to the own-name question', async () => {
    const c = chat(bot)
    await c.say('2021年7月发的货，客户拖欠货款，保不保')
    expect(await c.say('是的')).toContain('结论：属于统保保障范围')
  })

  it('flags a contract signed through another company', async () => {
    const a = await chat(bot).say('2021年8月通过香港关联公司签的合同出口，买家拖欠货款，能赔吗')
    expect(a).toContain('不符合：合同不是由贵司签订')
  })

  it('names a political risk and an issuing-bank risk', async () => {
    expect(await chat(bot).say('2022年3月出的货，买方国家打仗了钱收不回来，保不保')).toContain('战争、动乱（政治风险）')
    expect(await chat(bot).say('L/C开证行倒闭了能赔吗')).toContain('开证行破产、停业、被接管')
  })

  it('says a cause outside the listed risks is not covered, without guessing', async () => {
    const b = await chat(bot).say('2021年6月出的货，汇率损失能赔吗')
    expect(b).toContain('不在列举的保障风险种类内')
  })
})

describe('coverage questions in every form', () => {
  it.each([
    '2021年5月出的货，买家破产，在不在范围内',
    '客户拖欠货款，统保管吗',
    '开证行拒付，保不保',
    '21年3月走的货，个客唔俾钱，赔唔赔',
    '买家走佬咗，算不算',
    '2021年9月发的货买家不付款，能不能赔',
    '客户一直拖数，有冇得赔',
    '買家破產了，這種情況在不在保障範圍內',
  ])('%s', async (q) => {
    expect(await chat(bot).say(q)).toContain('按您说的情况核对统保保障范围')
  })
})

describe('declaration dates in every phrasing', () => {
  it.each<[string, string]>([
    ['2021年3月出的货，买家破产，能赔吗', '符合：2021年3月报关'],
    ['2021年3月发的货，买家破产，能赔吗', '符合：2021年3月报关'],
    ['21年3月走的货，买家破产，能赔吗', '符合：2021年3月报关'],
    ['2021年11月出运，买家破产，能赔吗', '符合：2021年11月报关'],
    ['2022年6月30号报关的，买家破产，能赔吗', '符合：2022年6月报关'],
    ['2022年6月底出的货，买家破产，能赔吗', '符合：2022年6月报关'],
    ['2021-05出的货，买家破产，能赔吗', '符合：2021年5月报关'],
    ['2021年的货，买家破产，能赔吗', '符合：2021年报关'],
  ])('%s', async (q, fact) => {
    expect(await chat(bot).say(q)).toContain(fact)
  })

  it('reads 去年 against the time of the message and says how it read it', async () => {
    const a = await chat(august2022).say('去年6月出的货，买家跑路了，能不能赔')
    expect(a).toContain('符合：2021年6月报关（“去年6月”按提问时间算是2021年6月）')
  })

  it('asks the year of a month given without one, then judges with the year', async () => {
    const c = chat(bot)
    const a = await c.say('6月30号报关的货，买家拒收，统保管吗')
    expect(a).toContain('您说的“6月30号”是哪一年报关的')
    expect(a).not.toContain('结论：属于统保保障范围')
    const b = await c.say('2022年')
    expect(b).toContain('符合：2022年6月报关')
  })

  it('keeps the edge months inside and the months beyond them outside', async () => {
    expect(await chat(bot).say('2021年1月出的货买家破产能赔吗')).toContain('符合：2021年1月报关')
    expect(await chat(bot).say('2022年6月出的货买家破产能赔吗')).toContain('符合：2022年6月报关')
    expect(await chat(bot).say('2020年12月出的货买家破产能赔吗')).toContain('不符合：2020年12月报关')
    expect(await chat(bot).say('2022年7月出的货买家破产能赔吗')).toContain('不符合：2022年7月报关')
  })

  it('asks for the month when only the year 2022 is given (half of it is outside)', async () => {
    expect(await chat(bot).say('2022年出的货，买家破产，能赔吗')).toContain('还需要确认：2022年的具体报关月份')
  })
})

describe('political risks described without the keyword', () => {
  it.each<[string, string]>([
    ['2022年3月出口，进口国政府突然禁止这类货物进口，买方不提货，能赔吗', '贸易管制（政治风险）'],
    ['2021年4月出的货，买家的进口许可证被吊销了，能不能赔', '贸易管制（政治风险）'],
    ['2021年10月出的货，对方央行冻结外汇，钱汇不出来，保不保', '外汇管制（政治风险）'],
    ['2021年12月的货，当地不允许把钱汇出境外，统保管吗', '外汇管制（政治风险）'],
    ['2022年2月发的货，买方那边发生政变，能赔吗', '战争、动乱（政治风险）'],
    ['2022年1月出的货，那边暴乱港口都关了，算不算', '战争、动乱（政治风险）'],
  ])('%s', async (q, fact) => {
    expect(await chat(bot).say(q)).toContain(fact)
  })
})

describe('cases the brief does not settle', () => {
  it.each([
    '我们交货晚了两个星期，客户就拒收了，2021年8月的货，以我们名义报关，能不能赔',
    '2021年9月出的货，以我们名义报关，客户说质量有问题不付款，算不算',
    '2021年5月出的货，以我们名义报关，合同纠纷，买家不给钱，统保管吗',
  ])('%s: says so, points to the manager and the formal policy, never "covered"', async (q) => {
    const a = await chat(bot).say(q)
    expect(a).toContain('政策简介没有说明这种情况能否赔付')
    expect(a).toContain('以正式保单约定为准')
    expect(a).toContain('请告诉我贵司在深圳哪个区')
    expect(a).not.toContain('结论：属于统保保障范围')
  })

  it("names the district's account manager when the district is known", async () => {
    const c = chat(bot)
    await c.say('我们在宝安')
    const a = await c.say('2021年9月出的货，客户说质量有问题不付款，能赔吗')
    expect(a).toContain('宝安区的客户经理：吕宇翔 13699865957')
    expect(a).not.toContain('结论：属于统保保障范围')
  })
})
