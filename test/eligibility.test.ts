import { describe, expect, it } from 'vitest'
import { chat, testBot } from './helpers/bot.js'

const bot = testBot()
const SRC = /来源：.*一、政策核心内容/

describe('eligibility check', () => {
  it('says a firm with USD 5 million of 2020 exports qualifies, and how to collect the policy', async () => {
    const a = await chat(bot).say('我们2020年出口额500万美元，能参加统保吗')
    expect(a).toContain('符合统保条件')
    expect(a).toContain('深圳市商务局')
    expect(a).toContain('http://sz.singlewindow.cn/')
    expect(a).toMatch(SRC)
  })

  it('treats exactly USD 8 million as inclusive, reading a bare amount as USD and saying so', async () => {
    const a = await chat(bot).say('2020年出口额刚好800万')
    expect(a).toContain('8,000,000美元')
    expect(a).toContain('符合统保条件')
    expect(a).toContain('按美元理解')
  })

  it('refuses one dollar over the threshold and points to other cover', async () => {
    const a = await chat(bot).say('2020年出口额8,000,001美元能参加吗')
    expect(a).toContain('不在这次统保')
    expect(a).toContain('综合险')
    expect(a).not.toContain('符合统保条件')
  })

  it('understands English amounts', async () => {
    expect(await chat(bot).say('2020 exports USD 7.5 million, 能参加统保吗')).toContain('7,500,000美元')
    expect(await chat(bot).say('我们2020年出口9.5 million dollars，符合吗')).toContain('不在这次统保')
  })

  it('asks for the amount when it is missing and remembers the question across turns', async () => {
    const c = chat(bot)
    const first = await c.say('我们公司能参加统保吗')
    expect(first).toContain('您公司2020年的出口额大约是多少美元')
    expect(first).toMatch(SRC)
    const second = await c.say('大概六百万美金')
    expect(second).toContain('6,000,000美元')
    expect(second).toContain('符合统保条件')
  })

  it('confirms the year when the user says 去年, then decides on "是"', async () => {
    const c = chat(bot)
    const q = await c.say('去年出口七百万美金')
    expect(q).toContain('是2020年的出口额吗')
    expect(await c.say('是')).toContain('符合统保条件')
  })

  it('explains the rule uses 2020 exports when another year is given', async () => {
    const c = chat(bot)
    const a = await c.say('我们2019年出口额300万美元，能参加统保吗')
    expect(a).toContain('按2020年的出口额判断')
    expect(a).not.toContain('符合统保条件')
    expect(await c.say('2020年是900万美元')).toContain('不在这次统保')
  })

  it('asks for USD when an RMB amount could be on either side of the line, without stating a rate', async () => {
    const c = chat(bot)
    const a = await c.say('2020年出口额人民币5500万，能参加统保吗')
    expect(a).toContain('按美元计')
    expect(a).toContain('不做汇率换算')
    expect(a).toContain('深圳市商务局')
    expect(a).not.toMatch(/符合统保条件|不在这次统保|可以参加统保/)
    expect(a).not.toMatch(/汇率[为是约]?\s*\d|\d\.\d+\s*(?:元|人民币)?\s*[兑换]/)
    expect(await c.say('折合450万美元')).toContain('符合统保条件')
  })

  it('re-asks politely when the answer is not an amount', async () => {
    const c = chat(bot)
    await c.say('我们能参加统保吗')
    expect(await c.say('不清楚')).toContain('没看懂这个金额')
  })

  it('names the district manager once the district is known', async () => {
    const c = chat(bot)
    await c.say('我们在宝安区')
    const a = await c.say('2020年出口额200万美元能参加统保吗')
    expect(a).toContain('吕宇翔 13699865957')
  })

  it('remembers a street mentioned in the same message and names its manager', async () => {
    const a = await chat(bot).say('我们在沙井，2020年出口450万美元能参加吗')
    expect(a).toContain('符合统保条件')
    expect(a).toContain('吕宇翔 13699865957')
  })

  it('lets the user leave the follow-up with another question', async () => {
    const c = chat(bot)
    await c.say('我们能参加统保吗')
    const a = await c.say('赔付比例是多少')
    expect(a).toContain('80%')
  })
})
