import { describe, expect, it } from 'vitest'
import { chat, testBot } from './helpers/bot.js'

const bot = testBot()

describe('firms outside Shenzhen', () => {
  it.each([
    '我们是东莞的公司，2020年出口300万美元，能参加统保吗',
    '公司注册在广州，可以领统保保单吗',
    '我们是香港公司，有资格参加吗',
    '我们是东莞的公司，买家破产了怎么办',
  ])('%s → the scheme is for Shenzhen firms, never a "yes"', async (q) => {
    const a = await chat(bot).say(q)
    expect(a).toContain('统保是深圳市的政策')
    expect(a).not.toContain('符合统保条件')
    expect(a).toMatch(/来源：.*政策核心内容/)
  })

  it('answers in English', async () => {
    const a = await chat(bot).say('We are a Dongguan company with 2020 exports of USD 3 million. Can we join?')
    expect(a).toContain('Shenzhen scheme')
    expect(a).toContain('Dongguan')
  })

  it('leaves a Shenzhen firm that mentions Hong Kong to the coverage rules', async () => {
    const a = await chat(bot).say('我们通过香港公司报关出口的货能赔吗')
    expect(a).not.toContain('统保是深圳市的政策')
  })

  it('leaves Shenzhen firms to the eligibility rule', async () => {
    const a = await chat(bot).say('我们是深圳的公司，2020年出口300万美元，能参加统保吗')
    expect(a).toContain('符合统保条件')
  })
})
