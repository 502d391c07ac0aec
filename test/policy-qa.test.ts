import { describe, expect, it } from 'vitest'
import { chat, testBot } from './helpers/bot.js'

const bot = testBot()
const SOURCE = /来源：《2020年出口额800万美元以下企业统保政策简介》/

describe('policy questions', () => {
  it('answers the indemnity ratio and limit with its source section', async () => {
    const a = await chat(bot).say('出了风险能赔多少？')
    expect(a).toContain('80%')
    expect(a).toContain('15万美元')
    expect(a).toMatch(/来源：.*保障金额/)
  })

  it('understands traditional characters', async () => {
    const a = await chat(bot).say('統保的保險期限是多久')
    expect(a).toContain('1.5年')
    expect(a).toMatch(/来源：.*保险期限/)
  })

  it('understands English words exporters use (L/C, bank)', async () => {
    const a = await chat(bot).say('L/C的开证行倒闭了保不保')
    expect(a).toContain('开证行破产')
    expect(a).toMatch(/来源：.*保障风险种类/)
  })

  it('gives the online way to collect the policy with the single-window URL and phone', async () => {
    const a = await chat(bot).say('网上怎么领保单')
    expect(a).toContain('http://sz.singlewindow.cn/')
    expect(a).toMatch(SOURCE)
  })

  it('tells an overdue receivable must be reported at once', async () => {
    const a = await chat(bot).say('客户货款逾期一直收不回来怎么办')
    expect(a).toContain('第一时间')
    expect(a).toMatch(/来源：.*报案/)
  })

  it('abstains honestly on an off-topic question and gives the policy hotlines', async () => {
    const a = await chat(bot).say('明天天气怎么样')
    expect(a).toContain('没有找到确切答案')
    expect(a).toContain('88325713')
    expect(a).not.toContain('80%')
  })

  it('does not stretch a section to a question it does not answer (documents to bring)', async () => {
    const a = await chat(bot).say('领保单需要带什么材料')
    expect(a).toContain('没有找到确切答案')
    expect(a).not.toContain('案例')
  })

  it('answers thanks politely instead of abstaining', async () => {
    const a = await chat(bot).say('谢谢')
    expect(a).toContain('不客气')
    expect(a).not.toContain('没有找到')
  })

  it('shows the full section on "详细一点" after a shortened answer', async () => {
    const c = chat(bot)
    const short = await c.say('有没有企业真的拿到赔款的案例')
    expect(short).toContain('详细一点')
    const full = await c.say('详细一点')
    expect(full.length).toBeGreaterThan(short.length)
    expect(full).toContain('130票货物')
    expect(full).toMatch(/来源：.*案例1/)
  })

  it('asks for a topic when "详细一点" comes first', async () => {
    expect(await chat(bot).say('详细一点')).toContain('请先告诉我')
  })

  it('greets with a numbered menu and answers a menu number', async () => {
    const c = chat(bot)
    const menu = await c.say('你好')
    expect(menu).toMatch(/1\. 政策问答/)
    expect(await c.say('1')).toContain('请直接输入您的问题')
  })

  it('answers in plain text without markdown symbols', async () => {
    const a = await chat(bot).say('保障范围是什么')
    expect(a).not.toMatch(/\*\*|^#|```/m)
  })
})
