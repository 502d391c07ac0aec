import { describe, expect, it } from 'vitest'
import { chat, testBot } from './helpers/bot.js'

const bot = testBot()

describe('"还有别的办法吗" follows the last answer', () => {
  it('after the online way to collect the policy, gives the offline way', async () => {
    const c = chat(bot)
    await c.say('保单怎么网上领')
    const a = await c.say('还有别的办法吗')
    expect(a).toContain('线下领取')
    expect(a).toMatch(/来源：.*线下领取保单/)
  })

  it('after a payout estimate, gives the ways to report the loss', async () => {
    const c = chat(bot)
    await c.say('买家欠了10万美元能赔多少')
    const a = await c.say('还有别的办法吗')
    expect(a).toContain('88325700')
    expect(a).toContain('报损')
  })

  it('after the eligibility answer, says the brief has only the two ways', async () => {
    const c = chat(bot)
    await c.say('我们2020年出口500万美元，能参加吗')
    expect(await c.say('还有其他方式吗')).toContain('只有线上、线下两种方式')
  })

  it('in English', async () => {
    const c = chat(bot)
    await c.say('How do we collect the policy online?')
    expect(await c.say('any other way?')).toContain('Offline')
  })

  it('with nothing before it, gives the consultation phones instead of guessing', async () => {
    expect(await chat(bot).say('还有别的办法吗')).toContain('88325713')
  })
})
