import { describe, expect, it } from 'vitest'
import { chat, testBot } from './helpers/bot.js'

const bot = testBot()

describe('coverage questions in English get English answers', () => {
  it('judges a complete case as covered', async () => {
    const a = await chat(bot).say('Is this covered? Shipped in June 2021, the buyer went bankrupt, we signed and declared in our own name.')
    expect(a).toContain('In cover: declared in June 2021, within the cover period (January 2021 to June 2022)')
    expect(a).toContain('buyer bankruptcy or insolvency (commercial risk)')
    expect(a).toContain('Conclusion: covered by the 统保 policy')
    expect(a).toContain('88325700')
    expect(a).not.toContain('结论')
  })

  it.each<[string, string]>([
    ["Can I claim? Goods shipped Dec 2020, the buyer won't pay.", 'exports declared in December 2020 are outside the cover period (January 2021 to June 2022)'],
    ['Are we covered? shipped in July 2022, buyer is insolvent', 'exports declared in July 2022 are outside the cover period'],
    ['Jan 2021 shipment, the buyer hasn’t paid for months. Can we claim?', 'In cover: declared in January 2021'],
    ["Are we covered if the buyer's government banned imports of our goods? Shipped March 2022.", 'trade control, such as an import ban (political risk)'],
    ['We shipped in May 2021 and the buyer cannot remit because of currency controls. Is this covered?', 'foreign-exchange control (political risk)'],
    ['There was a coup in the buyer’s country after we shipped in Oct 2021, can we claim?', 'war or civil unrest (political risk)'],
    ['The issuing bank failed, goods shipped 2021-08. Is it covered?', 'the issuing bank’s bankruptcy, closure or takeover'],
  ])('%s', async (q, fact) => {
    const a = await chat(bot).say(q)
    expect(a).toContain(fact)
    expect(a).toMatch(/^Checking your case against the 统保 cover:/)
  })

  it('does not settle a refusal after the exporter’s own late delivery', async () => {
    const a = await chat(bot).say('The buyer refused the goods after we delivered late. Shipped March 2022 in our own name. Can I claim?')
    expect(a).toContain('Not settled: your own late delivery: the policy brief does not say whether such a case is paid')
    expect(a).toContain('Tell me which Shenzhen district your firm is in')
    expect(a).not.toContain('Conclusion: covered')
  })

  it('answers an English follow-up with the remembered facts', async () => {
    const c = chat(bot)
    await c.say('Shipped in May 2021, the buyer went bankrupt. Can we claim?')
    const a = await c.say('What about goods shipped in July 2022?')
    expect(a).toContain('Based on what you told me earlier: buyer bankruptcy or insolvency.')
    expect(a).toContain('exports declared in July 2022 are outside the cover period')
  })

  it('keeps Chinese answers for Chinese questions', async () => {
    const a = await chat(bot).say('2021年5月出的货，buyer破产了，能赔吗')
    expect(a).toContain('按您说的情况核对统保保障范围')
    expect(a).not.toContain('Checking your case')
  })
})
