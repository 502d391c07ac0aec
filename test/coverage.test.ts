import { describe, expect, it } from 'vitest'
import { chat, testBot } from './helpers/bot.js'

const bot = testBot()

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
    expect(b).toContain('不予承保的国别以正式保单约定为准')
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
    const a = await chat(bot).say('2021年6月出的货，客户说有质量问题不付款，能赔吗')
    // 不付款 is a covered default; the quality dispute alone is not
    expect(a).toContain('拖欠货款')
    const b = await chat(bot).say('2021年6月出的货，汇率损失能赔吗')
    expect(b).toContain('不在列举的保障风险种类内')
  })

  it('asks about the months the cover runs at its edges', async () => {
    expect(await chat(bot).say('2022年6月出的货买家破产能赔吗')).toContain('符合：2022年6月报关')
    expect(await chat(bot).say('2022年7月出的货买家破产能赔吗')).toContain('不符合：2022年7月报关')
  })
})
