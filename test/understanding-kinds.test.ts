import { describe, expect, it } from 'vitest'
import { chat, testBot } from './helpers/bot.js'

/*
 * The kinds of message issue 20 found misread, each in several wordings: a fact the user states about the policy,
 * a reference to the last answer, a statement alone, two questions in one message, a party named by a letter.
 */
const bot = testBot()
const ask = async (...turns: string[]) => {
  const c = chat(bot)
  let last = ''
  for (const t of turns) last = await c.say(t)
  return last
}

describe('a fact the user states about the policy is confirmed or corrected', () => {
  it('corrects a wrong claims phone, saying what the wrong number is', async () => {
    for (const q of ['报案是打88325713对吧？', '理赔电话是88325713吗', '出险了打88325713报案，没错吧']) {
      const a = await ask(q)
      expect(a, q).toMatch(/^不对/)
      expect(a, q).toContain('88325700')
      expect(a, q).toContain('88325713是政策办理咨询电话')
    }
  })

  it('confirms a right one', async () => {
    const a = await ask('报案电话是88325700对吧')
    expect(a).toMatch(/^对/)
    expect(a).toContain('88325700')
  })

  it('corrects a wrong ratio, cap or term, and confirms the right ones', async () => {
    expect(await ask('赔付比例是90%吧？')).toMatch(/^不对.*80%/)
    expect(await ask('是不是赔九成')).toMatch(/^不对.*80%/)
    expect(await ask('赔付比例是80%对吧')).toMatch(/^对.*80%/)
    expect(await ask('每个买家的限额是20万美元吗')).toMatch(/^不对.*150,000/)
    expect(await ask('保险期限是1.5个月对吧')).toMatch(/^不对.*1\.5年/)
  })

  it('leaves a loss figure said with a question to the payout estimate', async () => {
    const a = await ask('买家欠了15万美元，最多赔多少')
    expect(a).toContain('120,000美元')
    expect(a).not.toMatch(/^不对/)
  })
})

describe('references to the last answer', () => {
  it('"那另一位呢" after a manager named is the other manager of those districts', async () => {
    for (const [first, then, want, notWant] of [
      ['金悠的电话多少', '那另一位呢', '钟旭阳', '金悠'],
      ['钟旭阳是负责哪个区的', '另外一位的电话呢', '金悠', '钟旭阳'],
    ] as const) {
      const a = await ask(first, then)
      expect(a, then).toContain(want)
      expect(a, then).not.toContain(notWant)
    }
    expect(await ask('吕宇翔电话', '那另一位呢')).toContain('只有这一位')
    // After a district answer: the managers it named.
    expect(await ask('我们公司在观澜', '那另一位呢')).toContain('林石洁负责的区只有这一位')
    expect(await ask('南山区客户经理是谁', '那另一位呢')).toContain('就是金悠、钟旭阳')
  })

  it('"那B呢" after two buyers is buyer B alone', async () => {
    const a = await ask('两个买家，A欠10万美元，B欠5万美元，能赔多少', '那B呢')
    expect(a).toContain('40,000美元')
    expect(a).not.toContain('80,000美元')
    const unnamed = await ask('两个买家分别欠10万美元和5万美元，能赔多少', '那买方2呢')
    expect(unnamed).toContain('40,000美元')
  })

  it('"这个要多久" after an answer that gives no time says the brief does not say, instead of another section’s time', async () => {
    for (const first of ['线上怎么领保单', '在线领取保单怎么操作']) {
      const a = await ask(first, '这个要多久')
      expect(a, first).toContain('没有写需要多长时间')
      expect(a, first).not.toContain('1.5年')
    }
    // When the last answer does hold the value, it is answered as usual.
    expect(await ask('保险期限多长', '这个要多久')).toContain('1.5年')
  })

  it('"这个电话多少" is the phone of what the last answer was about', async () => {
    const a = await ask('线上怎么领保单', '这个电话多少')
    expect(a).toContain('83165355')
    expect(a).not.toContain('88325700')
  })
})

describe('statements alone', () => {
  it('a place said alone is answered with its manager', async () => {
    for (const [q, who] of [
      ['我们公司在观澜', '林石洁'],
      ['我司位于沙井街道', '吕宇翔'],
      ['公司在南山', '金悠'],
    ] as const) {
      expect(await ask(q), q).toContain(who)
    }
  })

  it('"我要领保单" gets the two ways to collect it', async () => {
    for (const q of ['我要领保单', '想领取统保保单']) {
      const a = await ask(q)
      expect(a, q).toContain('sz.singlewindow.cn')
      expect(a, q).toContain('客户经理')
    }
  })

  it('"想申请赔偿" starts the loss report', async () => {
    for (const q of ['货款收不回来，想申请赔偿', '我要申请赔款']) expect(await ask(q), q).toContain('报损')
  })
})

describe('every part of a message is answered', () => {
  it('two questions joined by a comma are both answered', async () => {
    const a = await ask('买家破产了最多赔多少，理赔打哪个电话')
    expect(a).toContain('80%')
    expect(a).toContain('88325700')
    const b = await ask('资信报告免费几份，超出的收不收费')
    expect(b).toContain('3个')
    expect(b).toMatch(/保费|收费/)
  })

  it('a short tail after a comma stays with its question', async () => {
    const a = await ask('买家欠我们10万美元能赔多少，怎么算的')
    expect(a).toContain('80,000美元')
    expect(a).not.toContain('没有找到确切答案')
  })

  it('"兜底多少" and "cover多少" ask for the payout, with the loss said beside them', async () => {
    expect(await ask('保险能兜底多少？买家欠我们20万美金')).toContain('150,000美元')
    expect(await ask('客户bankrupt了 invoice金额是50k USD 能cover多少')).toContain('40,000美元')
  })

  it('a figure said in the same message is "您说的", not "您前面说的"', async () => {
    const a = await ask('买家破产了，欠我们30万美元，2021年5月出的货，能赔吗？能赔多少？')
    expect(a).toContain('150,000美元')
    expect(a).not.toContain('前面说的')
  })
})

describe('a figure with nothing to say what it is', () => {
  it('is asked about, never guessed, in several wordings', async () => {
    for (const q of ['500万美元可以吗', '800万', '我们大概700万美金', '30万美元能行吗', 'USD 5 million, ok?']) {
      const a = await ask(q)
      expect(a, q).toMatch(/出口额[\s\S]*损失金额|2020 exports[\s\S]*loss/)
      expect(a, q).not.toMatch(/符合统保条件|不在这次统保|预计可赔|没有找到确切答案|could not find/)
    }
  })

  it('the answer sends the figure to the check it belongs to, and follow-ups go on from there', async () => {
    const c = chat(bot)
    await c.say('500万美元可以吗')
    expect(await c.say('1')).toContain('符合统保条件')
    expect(await c.say('那如果是900万呢')).toContain('不在这次统保')
    const d = chat(bot)
    await d.say('30万美元能行吗')
    expect(await d.say('是损失')).toContain('150,000美元')
    const e = chat(bot)
    await e.say('我们大概700万美金')
    expect(await e.say('出口额')).toContain('符合统保条件')
  })

  it('a wrong reply is asked again, and a later "损失呢" never fails', async () => {
    const c = chat(bot)
    await c.say('800万')
    expect(await c.say('3')).toContain('请回复1（2020年出口额）或2（损失金额）')
    expect(await c.say('2')).toContain('150,000美元')
    const d = chat(bot)
    await d.say('800万')
    await d.say('你好')
    const a = await d.say('损失呢')
    expect(a).not.toMatch(/系统出了点问题/)
    expect(a).toContain('请告诉我金额')
  })

  it('something else instead of the answer is answered as usual', async () => {
    const c = chat(bot)
    await c.say('10万')
    expect(await c.say('宝安区客户经理是谁')).toContain('吕宇翔')
  })

  it('a figure with its role is not asked about', async () => {
    expect(await ask('2020年出口额500万美元')).toContain('符合统保条件')
    expect(await ask('买家欠了10万美元')).toContain('80,000美元')
  })
})

describe('a corrected figure goes back to the question it corrects', () => {
  it('after an eligibility answer, in several wordings', async () => {
    for (const [first, fix, want] of [
      ['我们2020年出口900万', '不对，看错表了，是600万美元', '符合统保条件'],
      ['我们20年出口额790万美元', '唔好意思 财务话其实系820万美金', '不在这次统保'],
      ['2020年出口额500万美元', '实际上是850万美元', '不在这次统保'],
    ] as const) {
      const a = await ask(first, fix)
      expect(a, fix).toContain(want)
      expect(a, fix).not.toContain('回复1或2')
    }
  })

  it('after a payout estimate', async () => {
    const a = await ask('买家欠了30万美元，能赔多少', '不对，是10万美元')
    expect(a).toContain('80,000美元')
  })

  it('with no such answer before, the figure is still asked about', async () => {
    expect(await ask('其实是500万美元')).toContain('回复1或2')
  })
})
