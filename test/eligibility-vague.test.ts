import { describe, expect, it } from 'vitest'
import { chat, testBot } from './helpers/bot.js'

const bot = testBot()

describe('eligibility with approximate figures', () => {
  it('gives a verdict when the whole range is under the line, showing the range', async () => {
    const a = await chat(bot).say('我们2020年出口额600多万美元，能参加统保吗')
    expect(a).toContain('6,000,000–7,000,000美元')
    expect(a).toContain('符合统保条件')
  })

  it('reads "六百几万" and "700多万" as under the line (inclusive)', async () => {
    expect(await chat(bot).say('2020年出口六百几万美金，符合吗')).toContain('符合统保条件')
    expect(await chat(bot).say('2020年出口额700多万美元能参加吗')).toContain('符合统保条件')
  })

  it('refuses when the whole range is over the line: "800多万" is more than 8 million', async () => {
    const a = await chat(bot).say('2020年出口额800多万美元能参加统保吗')
    expect(a).toContain('不在这次统保')
    expect(a).not.toContain('符合统保条件')
  })

  it('asks for the exact figure, and says why, when the range crosses the line', async () => {
    const c = chat(bot)
    const a = await c.say('2020年出口额大概800万美元，能参加吗')
    expect(a).toContain('7,200,000–8,800,000美元')
    expect(a).toContain('可能在800万美元上下')
    expect(a).toContain('准确')
    expect(a).not.toMatch(/符合统保条件|不在这次统保/)
    expect(await c.say('准确是7,950,000美元')).toContain('符合统保条件')
  })

  it('does not remember an approximate figure as the firm\'s exports', async () => {
    const c = chat(bot)
    await c.say('2020年出口额大概500万美元，能参加吗')
    const again = await c.say('我们能参加统保吗')
    expect(again).not.toContain('按您前面说的')
  })

  it('remembers an exact USD figure and says so when it reuses it', async () => {
    const c = chat(bot)
    await c.say('2020年出口额300万美元')
    await c.say('赔付比例是多少')
    const a = await c.say('那我们能参加统保吗')
    expect(a).toContain('按您前面说的')
    expect(a).toContain('3,000,000美元')
    expect(a).toContain('符合统保条件')
  })
})

describe('eligibility in other currencies', () => {
  it('gives a verdict for RMB far under the line, without naming a rate', async () => {
    const a = await chat(bot).say('我们2020年出口额人民币2000万，能参加吗')
    expect(a).toContain('按美元计')
    expect(a).toContain('深圳市商务局')
    expect(a).toContain('无论按什么汇率')
    expect(a).toContain('可以参加统保')
    expect(a).not.toMatch(/汇率[为是约]?\s*\d/)
  })

  it('gives a verdict for RMB far over the line', async () => {
    const a = await chat(bot).say('2020年出口1亿人民币能参加吗')
    expect(a).toContain('无论按什么汇率')
    expect(a).toContain('不在这次统保')
  })

  it('asks for USD for an approximate RMB figure that could fall either side', async () => {
    const a = await chat(bot).say('2020年出口额差不多五千万人民币，能参加统保吗')
    expect(a).toContain('按美元计')
    expect(a).toContain('准确美元数')
    expect(a).not.toMatch(/可以参加统保|不在这次统保|符合统保条件/)
  })

  it('handles HKD by the same rule', async () => {
    expect(await chat(bot).say('2020年出口额600万港币能参加吗')).toContain('可以参加统保')
    expect(await chat(bot).say('2020年出口额6200万港币能参加吗')).toContain('准确美元数')
  })

  it('asks for USD for a currency it has no band for', async () => {
    const a = await chat(bot).say('2020年出口额5亿日元能参加吗')
    expect(a).toContain('请告诉我折合多少美元')
    expect(a).not.toMatch(/可以参加统保|不在这次统保|符合统保条件/)
  })
})

describe('eligibility follow-ups', () => {
  it('judges a new figure said elliptically after a verdict', async () => {
    const c = chat(bot)
    expect(await c.say('2020年出口额500万美元能参加吗')).toContain('符合统保条件')
    expect(await c.say('那如果是900万呢')).toContain('不在这次统保')
    expect(await c.say('要是780万左右呢')).toContain('可能在800万美元上下')
  })

  it('leaves the follow-up for a question about something else', async () => {
    const c = chat(bot)
    await c.say('2020年出口额500万美元能参加吗')
    const a = await c.say('买家欠了10万美元能赔多少')
    expect(a).toContain('80,000美元')
    expect(a).not.toContain('符合统保条件')
  })
})

describe('eligibility in English', () => {
  it('asks for the figure, then judges "7.5M" and a follow-up figure', async () => {
    const c = chat(bot)
    const first = await c.say('Can we join?')
    expect(first).toContain('USD 8,000,000 or less')
    expect(first).toContain("What were your company's 2020 exports")
    const second = await c.say('our 2020 exports were 7.5M')
    expect(second).toContain('USD 7,500,000')
    expect(second).toContain('you qualify')
    expect(second).toContain('深圳市商务局')
    const third = await c.say('what about 9 million?')
    expect(third).toContain('USD 9,000,000')
    expect(third).toContain('not in this blanket policy')
  })

  it('answers "are we eligible" with an approximate figure across the line by asking for the exact one', async () => {
    const a = await chat(bot).say('are we eligible? our exports in 2020 were around 8 million dollars')
    expect(a).toContain('either side')
    expect(a).toContain('exact')
    expect(a).not.toMatch(/you qualify|not in this blanket policy/)
  })

  it('names the district manager in English, the name in Chinese', async () => {
    const a = await chat(bot).say("We are in Bao'an, 2020 exports USD 3 million, do we qualify?")
    expect(a).toContain('you qualify')
    expect(a).toContain('吕宇翔')
    expect(a).toContain('13699865957')
  })

  it('says the threshold is in USD for RMB, in English', async () => {
    const a = await chat(bot).say('Our 2020 exports were RMB 20 million, are we eligible?')
    expect(a).toContain('in US dollars')
    expect(a).toContain('whatever the exchange rate')
    expect(a).toContain('深圳市商务局')
  })

  it('judges the year: another year asks for 2020', async () => {
    const a = await chat(bot).say('Our exports in 2019 were USD 3 million, can we join?')
    expect(a).toContain('judged on 2020 exports')
    expect(a).not.toContain('you qualify')
  })
})
