import { describe, expect, it } from 'vitest'
import { chat, testBot } from './helpers/bot.js'

const bot = testBot()

describe('payout estimate', () => {
  it('pays 80 % of the loss and shows the arithmetic', async () => {
    const a = await chat(bot).say('买家欠了10万美元能赔多少')
    expect(a).toContain('100,000美元 × 80% = 80,000美元')
    expect(a).toContain('正式保单')
    expect(a).toMatch(/来源：.*保障金额/)
  })

  it('caps one buyer at USD 150,000', async () => {
    const a = await chat(bot).say('客户拖欠了30万美金，最多能赔多少')
    expect(a).toContain('300,000美元 × 80% = 240,000美元')
    expect(a).toContain('按150,000美元计')
  })

  it('caps several buyers one by one, also when the amounts follow in the next message', async () => {
    const c = chat(bot)
    await c.say('能赔多少')
    const a = await c.say('两个买家分别欠了30万美元和5万美元')
    expect(a).toContain('买方1：损失300,000美元')
    expect(a).toContain('买方2：损失50,000美元 × 80% = 40,000美元')
    expect(a).toContain('合计约190,000美元')
  })

  it('explains the rule when no amount is given', async () => {
    const a = await chat(bot).say('出了风险能赔几成')
    expect(a).toContain('80%')
    expect(a).toContain('15万美元')
  })

  it('does not convert other currencies', async () => {
    const a = await chat(bot).say('香港买家欠了港币180万，能赔多少')
    expect(a).toContain('不做汇率换算')
    expect(a).toContain('1,440,000港币')
  })

  it('points to the claims hotline', async () => {
    expect(await chat(bot).say('买家欠款5万美元能赔吗')).toContain('88325700')
  })
})
