import { describe, expect, it } from 'vitest'
import { respectively } from '../src/understand/clauses.js'
import { chat, testBot } from './helpers/bot.js'

// Verdicts that flipped after a tiny change of wording (issue 20): each now read as meant, and the answer says what
// it read, so the user can correct it.
describe('verdicts read as meant', () => {
  it('"超过了800万" is over the threshold, with or without 了 or traditional characters', async () => {
    for (const q of ['出口额超过了800万，还能不能享受统保', '出口额超过800万，还能不能享受统保', '出口額超過了800萬美金，還能參加統保嗎']) {
      const a = await chat(testBot()).say(q)
      expect(a, q).toContain('不在这次统保')
      expect(a, q).not.toContain('符合统保条件')
    }
  })

  it('"八百万零一块美金" is 8,000,001 US dollars: over the line, not yuan', async () => {
    const a = await chat(testBot()).say('我们2020年出口八百万零一块美金，能参加统保吗')
    expect(a).toContain('8,000,001美元')
    expect(a).toContain('不在这次统保')
    expect(a).not.toContain('人民币')
  })

  it('a sum paid back comes off the loss, and the answer shows how it was read', async () => {
    const a = await chat(testBot()).say('买家总共欠12万美元，后来还了6万，能赔多少？')
    expect(a).toContain('120,000 − 已还60,000 = 60,000美元')
    expect(a).toContain('48,000美元')
    expect(a).not.toContain('144,000')
    const b = await chat(testBot()).say('The buyer owed us USD 120,000 and has paid back 20,000. How much can we get?')
    expect(b).toContain('USD 80,000')
    // "没付了" is still unpaid, not paid back.
    expect(await chat(testBot()).say('买家没付了10万美元，能赔多少')).toContain('80,000美元')
  })

  it('a greeting before the question is not answered as a question of its own', async () => {
    const a = await chat(testBot()).say('亲，在吗？请问赔付比例是多少')
    expect(a).toContain('80%')
    expect(a).not.toContain('没有找到确切答案')
  })
})

describe('a correction answers the same question again with the corrected fact', () => {
  it('eligibility, manager, coverage and payout', async () => {
    const cases: Array<[string, string, string, string?]> = [
      ['我们2020年出口900万美元，能参加吗？', '不对不对，是600万美元', '符合统保条件', '不在这次统保'],
      ['龙华区客户经理是谁', '搞错了，我们公司其实在宝安', '吕宇翔', '林石洁'],
      ['2022年7月以我们公司名义报关的货，买家破产了，能赔吗？', '说错了，是2022年5月报关的', '属于统保保障范围', '不在承保期间'],
      ['买家欠了30万美元，能赔多少', '更正一下，是12万美元', '96,000美元', '150,000'],
    ]
    for (const [first, fix, want, not] of cases) {
      const c = chat(testBot())
      await c.say(first)
      const a = await c.say(fix)
      expect(a, fix).toContain(want)
      if (not) expect(a, fix).not.toContain(not)
    }
  })
})

describe('"X和Y分别…" asks two questions, and both are answered', () => {
  it('splits the clause, giving a head noun said once to both', () => {
    expect(respectively({ text: '理赔电话和政策咨询电话分别是多少', asked: true }).map((c) => c.text)).toEqual(['理赔电话是多少', '政策咨询电话是多少'])
    expect(respectively({ text: '光明和宝安的客户经理分别是谁', asked: true }).map((c) => c.text)).toEqual(['光明的客户经理是谁', '宝安的客户经理是谁'])
    expect(respectively({ text: '赔付比例是多少', asked: true })).toEqual([{ text: '赔付比例是多少', asked: true }])
  })

  it('gives both phones and both managers', async () => {
    const phones = await chat(testBot()).say('理赔电话和政策咨询电话分别是多少？')
    expect(phones).toContain('88325700')
    expect(phones).toContain('88325713')
    const managers = await chat(testBot()).say('光明和宝安的客户经理分别是谁')
    expect(managers).toContain('林石洁')
    expect(managers).toContain('吕宇翔')
  })
})
