import { describe, expect, it } from 'vitest'
import { chat, testBot } from './helpers/bot.js'

const bot = testBot()

describe('payout per buyer or issuing bank', () => {
  it('adds up several shipments to one buyer and caps them once, showing the grouping', async () => {
    const a = await chat(bot).say('买方A三票分别6万、7万、8万美元，能赔多少')
    expect(a).toContain('买方A：损失60,000+70,000+80,000 = 210,000美元 × 80% = 168,000美元，超过单一买方限额，按150,000美元计')
    expect(a).toContain('预计可赔约150,000美元')
  })

  it('keeps two invoices of the same customer under one limit', async () => {
    const a = await chat(bot).say('同一个客户两张发票，分别10万和12万美元没收回来，能赔多少')
    expect(a).toContain('100,000+120,000 = 220,000美元 × 80% = 176,000美元，超过单一买方限额，按150,000美元计')
    expect(a).not.toContain('合计约')
  })

  it('gives each buyer its own limit', async () => {
    const a = await chat(bot).say('A客户欠6万和7万，B客户欠8万美元，能赔多少')
    expect(a).toContain('A客户：损失60,000+70,000 = 130,000美元 × 80% = 104,000美元')
    expect(a).toContain('B客户：损失80,000美元 × 80% = 64,000美元')
    expect(a).toContain('合计约168,000美元')
  })

  it('caps per issuing bank for L/Cs from the same bank', async () => {
    const a = await chat(bot).say('两张信用证是同一家开证行开的，分别拒付了20万和10万美元，能赔多少')
    expect(a).toContain('300,000美元 × 80% = 240,000美元，超过单一开证行限额，按150,000美元计')
  })

  it('says when it assumed one buyer or several', async () => {
    expect(await chat(bot).say('30万美元和5万美元能赔多少')).toContain('如果是同一买方的')
    expect(await chat(bot).say('买家欠了30万美元和5万美元，能赔多少')).toContain('如果是不同买方')
  })
})

describe('payout in other currencies', () => {
  it('takes 80 % in HKD and says the USD limit binds at any plausible rate', async () => {
    const a = await chat(bot).say('香港买家欠了港币180万，能赔多少')
    expect(a).toContain('1,800,000港币 × 80% = 1,440,000港币')
    expect(a).toContain('按正式保单约定的汇率折算后适用')
    expect(a).toContain('无论按什么汇率折算')
    expect(a).toContain('限额会起作用')
  })

  it('says when an RMB loss stays under the limit whatever the rate', async () => {
    const a = await chat(bot).say('客户欠我们50万人民币，能赔多少')
    expect(a).toContain('500,000人民币 × 80% = 400,000人民币')
    expect(a).toContain('限额不起作用')
  })

  it('leaves a EUR loss near the limit to the formal policy’s rate', async () => {
    const a = await chat(bot).say('德国客户欠了18万欧元，能赔多少')
    expect(a).toContain('180,000欧元 × 80% = 144,000欧元')
    expect(a).toContain('以正式保单约定的汇率为准')
    expect(a).not.toContain('限额会起作用')
  })

  it('keeps buyers in different currencies apart', async () => {
    const a = await chat(bot).say('两个买家，一个欠20万美元，一个欠100万港币，能赔多少')
    expect(a).toContain('200,000美元 × 80% = 160,000美元，超过单一买方限额，按150,000美元计')
    expect(a).toContain('1,000,000港币 × 80% = 800,000港币')
    expect(a).toContain('不合计')
  })
})

describe('approximate losses', () => {
  it('gives the range and says the limit binds only when the whole range is over it', async () => {
    const a = await chat(bot).say('客户拖欠了大概20万美金，能赔多少')
    expect(a).toContain('损失约200,000美元（180,000–220,000美元） × 80% = 144,000–176,000美元')
    expect(a).toContain('可能超过也可能不超过')
    expect(a).toContain('只有整个范围都超过限额时')
    expect(a).toContain('144,000–150,000美元')
  })

  it('says the limit binds when the whole range is over it', async () => {
    const a = await chat(bot).say('买家欠了30多万美元，能赔多少')
    expect(a).toContain('整个范围都超过单一买方限额，按150,000美元计')
    expect(a).toContain('预计可赔约150,000美元')
  })
})

describe('payout follow-ups', () => {
  it('reuses the amounts said before and says so', async () => {
    const c = chat(bot)
    await c.say('我们有个买家欠了30万美元，一直不付')
    const a = await c.say('那能赔多少')
    expect(a).toContain('按您前面说的300,000美元')
    expect(a).toContain('按150,000美元计')
  })

  it('explains the per-bank limit for "如果是信用证呢", with the remembered amounts', async () => {
    const c = chat(bot)
    await c.say('A客户欠6万和7万，B客户欠8万美元，能赔多少')
    const a = await c.say('如果是信用证呢')
    expect(a).toContain('限额按开证行计算')
    expect(a).toContain('按您前面说的A客户 60,000+70,000美元、B客户 80,000美元')
    expect(a).toContain('如果这几笔是同一家开证行开的信用证：合计210,000美元 × 80% = 168,000美元，超过单一开证行限额，按150,000美元计')
    const same = await c.say('是同一家开证行')
    expect(same).toContain('210,000美元 × 80% = 168,000美元，超过单一开证行限额，按150,000美元计')
  })

  it('adds a buyer on "还有一个买家欠5万呢"', async () => {
    const c = chat(bot)
    await c.say('买家欠了30万美元能赔多少')
    const a = await c.say('还有一个买家欠5万呢')
    expect(a).toContain('加上您前面说的')
    expect(a).toContain('买方1：损失300,000美元')
    expect(a).toContain('买方2：损失50,000美元 × 80% = 40,000美元')
    expect(a).toContain('合计约190,000美元')
  })

  it('replaces the figure on "那如果是20万呢", keeping the currency', async () => {
    const c = chat(bot)
    await c.say('买家欠了10万美元能赔多少')
    const a = await c.say('那如果是20万呢')
    expect(a).toContain('200,000美元 × 80% = 160,000美元，超过单一买方限额')
    expect(a).not.toContain('按美元理解')
  })

  it('merges or splits the buyers when the user corrects the assumption', async () => {
    const c = chat(bot)
    await c.say('30万美元和5万美元能赔多少')
    expect(await c.say('是同一个买家')).toContain('350,000美元 × 80% = 280,000美元，超过单一买方限额')
  })

  it('reads the amounts given in answer to "能赔多少" as losses, grouped', async () => {
    const c = chat(bot)
    await c.say('能赔多少')
    const a = await c.say('买方A三票，分别6万、7万、8万美元')
    expect(a).toContain('买方A：损失60,000+70,000+80,000 = 210,000美元 × 80% = 168,000美元，超过单一买方限额，按150,000美元计')
  })

  it('uses a loss remembered from the session when asked "能赔多少" later', async () => {
    const c = chat(bot)
    await c.say('德国的Gamma公司欠我们12.5万美元')
    await c.say('宝安区的客户经理是谁')
    const a = await c.say('那能赔多少')
    expect(a).toContain('按您前面说的Gamma公司 125,000美元')
    expect(a).toContain('100,000美元')
  })

  it('remembers the losses in the session for later skills', async () => {
    const c = chat(bot)
    await c.say('A客户欠6万和7万，B客户欠8万美元，能赔多少')
    const session = await bot.store.sessions.get(`api:${c.userId}`)
    expect(session?.profile.losses?.map((g) => [g.name, g.amounts.map((x) => x.value)])).toEqual([
      ['A客户', [60_000, 70_000]],
      ['B客户', [80_000]],
    ])
  })
})

describe('payout in English', () => {
  it('works out a loss given in English', async () => {
    const a = await chat(bot).say('buyer owes us USD 120k, how much can we get back?')
    expect(a).toContain('USD 120,000 × 80% = USD 96,000')
    expect(a).toContain('Estimated payout about USD 96,000')
    expect(a).toContain('88325700')
  })

  it('explains the rule, per buyer or issuing bank', async () => {
    const a = await chat(bot).say('is the limit per buyer?')
    expect(a).toContain('USD 150,000 per buyer')
    expect(a).toContain('issuing bank')
    expect(a).toContain('capped once')
  })

  it("answers \"what's the payout\" from the remembered loss, and the L/C follow-up", async () => {
    const c = chat(bot)
    await c.say('Our buyer owes us USD 200,000 and has stopped paying')
    const a = await c.say("what's the payout?")
    expect(a).toContain('Based on what you told me earlier')
    expect(a).toContain('USD 150,000')
    const lc = await c.say('what if it was an L/C')
    expect(lc).toContain('per issuing bank')
  })

  it('groups English buyers', async () => {
    const a = await chat(bot).say('Buyer A owes 60k and 70k USD, buyer B owes 80k USD. How much can we get back?')
    expect(a).toContain('Buyer A: loss 60,000+70,000 = USD 130,000 × 80% = USD 104,000')
    expect(a).toContain('buyer B: loss USD 80,000 × 80% = USD 64,000')
  })
})
