import { describe, expect, it } from 'vitest'
import { mergeAnswers } from '../src/engine/compose.js'
import { splitClauses as clauses } from '../src/understand/clauses.js'
import { text } from '../src/engine/types.js'
import { chat, testBot } from './helpers/bot.js'

const bot = testBot()
const sourceLines = (a: string) => a.split('\n').filter((l) => l.startsWith('来源：'))

describe('several questions in one message', () => {
  it('answers the verdict and the manager, with one source list at the end', async () => {
    const a = await chat(bot).say('我们在福永，2020年出口600万美元，能参加吗？找谁办？')
    expect(a).toContain('符合统保条件')
    expect(a).toContain('吕宇翔 13699865957')
    // The manager line is said once, the sources once each, all after the answer.
    expect(a.split('吕宇翔 13699865957').length - 1).toBe(1)
    const sources = sourceLines(a)
    expect(new Set(sources).size).toBe(sources.length)
    expect(a.trimEnd().endsWith(sources.at(-1)!)).toBe(true)
    expect(a).not.toContain('按您前面说的')
  })

  it('answers a policy question and a phone question asked together', async () => {
    const a = await chat(bot).say('保险期限多长？理赔电话是多少？')
    expect(a).toContain('1.5年')
    expect(a).toContain('88325700')
  })

  it('keeps one question with two clauses for the same skill whole', async () => {
    const a = await chat(bot).say('两个买家分别欠30万美元和5万美元。能赔多少？')
    expect(a).toContain('150,000美元')
    expect(a).toContain('40,000美元')
  })
})

describe('follow-ups keep their context', () => {
  it('"那南山呢" and "电话多少" after a manager answer', async () => {
    const c = chat(bot)
    expect(await c.say('宝安区客户经理是谁')).toContain('吕宇翔')
    expect(await c.say('那南山呢')).toContain('金悠 18813671303')
    const phones = await c.say('电话多少')
    expect(phones).toContain('18813671303')
    expect(phones).toContain('按您前面说的南山区')
  })

  it('"电话多少" after a payout answer is the claims line', async () => {
    const c = chat(bot)
    await c.say('买家欠了10万美元能赔多少')
    expect(await c.say('电话多少')).toContain('88325700')
  })

  it('remembers a district said in passing for a later question, and says so', async () => {
    const c = chat(bot)
    await c.say('我们公司在坂田，做电子产品出口的')
    const a = await c.say('客户经理电话多少')
    expect(a).toContain('王清莹')
    expect(a).toContain('按您前面说的龙岗区')
  })

  it('a follow-up after half an hour is a new question', async () => {
    let t = Date.parse('2026-03-02T02:00:00Z')
    const timed = testBot({ now: () => t })
    const c = chat(timed)
    await c.say('宝安区客户经理是谁')
    t += 31 * 60_000
    // No topic any more: "电话多少" is the general list of hotlines, not one manager.
    expect(await c.say('电话多少')).toContain('88325713')
  })
})

describe('clauses and merging', () => {
  it('splits at sentence ends, not at commas', () => {
    expect(clauses('我们在福永，2020年出口600万美元，能参加吗？找谁办').map((c) => [c.text, c.asked])).toEqual([['我们在福永，2020年出口600万美元，能参加吗', true], ['找谁办', false]])
    expect(clauses('？？。')).toEqual([])
  })

  it('drops repeated lines and collects sources once at the end', () => {
    const merged = mergeAnswers([
      [text('甲答案\n来源：A\n回复“详细一点”查看全文。')],
      [text('甲答案\n乙答案\n来源：A\n来源：B')],
    ])[0]!.text
    expect(merged).toBe('甲答案\n\n乙答案\n\n来源：A\n来源：B\n\n回复“详细一点”查看全文。')
  })
})

describe('how people really type on WeChat', () => {
  it('takes a space between Chinese phrases as the end of a question', async () => {
    const a = await chat(bot).say('保险期限多长 出险了打哪个电话')
    expect(a).toContain('1.5年')
    expect(a).toContain('88325700')
    const b = await chat(bot).say('我们在观澜 有个买家拖欠了20万美元 能赔多少 找谁')
    expect(b).toContain('150,000美元')
    expect(b).toContain('林石洁')
  })

  it('answers "有没有…" as a question of its own', async () => {
    const a = await chat(bot).say('统保保哪些风险 另外有没有免费的资信报告')
    expect(a).toContain('买家破产')
    expect(a).toContain('3个海外买家资信报告')
  })

  it('"同一个客户还有一笔" adds to the same buyer and caps once', async () => {
    const c = chat(bot)
    await c.say('有个客户欠我们12万美元货款')
    const a = await c.say('同一个客户还有一笔9万美元的也没付 加起来能赔多少')
    expect(a).toContain('120,000+90,000 = 210,000美元')
    expect(a).toContain('按150,000美元计')
  })

  it('"三笔各3万" is three amounts against one buyer', async () => {
    expect(await chat(bot).say('同一个客户 三笔货款各3万美元 都逾期没付 能赔多少')).toContain('72,000美元')
    expect(await chat(bot).say('one buyer has three invoices of USD 30,000 each unpaid, how much can we get?')).toContain('USD 72,000')
  })

  it('an approximate loss well under the limit still gets the estimate on the figure given', async () => {
    expect(await chat(bot).say('买家欠了大概8万美金 收不回来 能赔多少')).toContain('64,000美元')
  })

  it('"How can I get the policy online?" is about collecting it, not eligibility', async () => {
    const a = await chat(bot).say("How can I get the policy online? what's the website")
    expect(a).toContain('http://sz.singlewindow.cn/')
    expect(a).not.toContain('What were your company')
  })
})

describe('one question that needs two answers', () => {
  it('"…欠我们30万美元，2021年5月出的货，能赔吗" gets the coverage check and the estimate, then takes the missing fact', async () => {
    const c = chat(bot)
    const a = await c.say('买家破产了，欠我们30万美元，2021年5月出的货，能赔吗')
    expect(a).toContain('在承保期间')
    expect(a).toContain('按150,000美元计')
    expect(a.indexOf('在承保期间')).toBeLessThan(a.indexOf('按150,000美元计'))
    expect(await c.say('是的，我们自己签的合同自己报关')).toContain('属于统保保障范围')
  })

  it('"能赔多少" is only the estimate', async () => {
    const a = await chat(bot).say('买家欠了10万美元能赔多少')
    expect(a).toContain('80,000美元')
    expect(a).not.toContain('核对统保保障范围')
  })
})

describe('a new short question after a follow-up topic', () => {
  it('is answered as itself, not as the last topic', async () => {
    const c = chat(bot)
    await c.say('我们在沙井')
    const a = await c.say('保险期限多久')
    expect(a).toContain('1.5年')
    expect(a).not.toContain('吕宇翔')
    expect(await c.say('统保是什么')).not.toContain('吕宇翔')
  })
})

describe('English greetings and menu numbers', () => {
  it('a greeting in English gets the English menu, and a number picked from it is answered in English', async () => {
    const c = chat(bot)
    expect(await c.say('hello')).toContain('I can help you')
    expect(await c.say('4')).toContain('Which district')
    expect(await c.say('thanks!')).toContain('You are welcome')
  })

  it('a greeting in Chinese keeps the Chinese menu', async () => {
    expect(await chat(bot).say('你好')).toContain('回复数字选择')
  })
})

describe('one source line per reply', () => {
  it('a reply that cites several sections of the brief names them on one line, after the answer', async () => {
    const { oneSourceLine } = await import('../src/engine/compose.js')
    expect(oneSourceLine('答一\n来源：《简介》甲\n\n答二\n来源：《简介》乙\n回复“详细一点”查看全文。')).toBe('答一\n\n答二\n来源：《简介》甲；乙\n回复“详细一点”查看全文。')
    // Lines of another document, or a single line, stay as they are.
    expect(oneSourceLine('答\n来源：《简介》甲')).toBe('答\n来源：《简介》甲')
    expect(oneSourceLine('答\n来源：《简介》甲\n来源：《另一份》乙')).toBe('答\n来源：《简介》甲\n来源：《另一份》乙')
  })

  it('the bot answers a two-part question with one source line', async () => {
    const { chat, testBot } = await import('./helpers/bot.js')
    const a = await chat(testBot()).say('宝安区客户经理是谁？理赔电话是多少？')
    expect(a.split('\n').filter((l) => l.startsWith('来源：'))).toHaveLength(1)
    expect(a).toMatch(/来源：.*线下领取保单；/)
  })
})
