import { describe, expect, it } from 'vitest'
import { createMemoryStore } from '../src/store/memory-store.js'
import { chat, testBot } from './helpers/bot.js'
import { FULL_REPORT } from './helpers/claim.js'

function setup() {
  const store = createMemoryStore({ sessionTtlSeconds: 30 * 24 * 3600 })
  return { store, bot: testBot({ store }) }
}

/** A chat that has answered the first `n` turns of the careful report (turn 0 starts it). */
async function reportUpTo(bot: ReturnType<typeof testBot>, n: number, userId?: string) {
  const c = chat(bot, userId)
  for (const [answer] of FULL_REPORT.slice(0, n)) await c.say(answer)
  return c
}

const reportId = (reply: string) => /BS\d{8}-\d{4}/.exec(reply)?.[0]

describe('loss report: a question asked mid-form', () => {
  it('is answered at every kind of step, the same question follows, and no question is stored as a value', async () => {
    const { bot, store } = setup()
    const c = chat(bot, 'asker')
    // [question, what its answer shows, the form's question that must come back]
    const detours: Record<number, [string, string | undefined, string]> = {
      1: ['等一下，理赔电话是多少', '88325700', '企业全称'],
      4: ['这个要多久', undefined, '联系人的姓名'],
      6: ['请问保单号在哪里看', undefined, '有保单号吗'],
      7: ['赔付比例是多少来着', '80%', '买方（进口商）的名称'],
      15: ['这个要多久', undefined, '简单说说情况'],
    }
    for (const [i, [answer, expected]] of FULL_REPORT.entries()) {
      const detour = detours[i]
      if (detour) {
        const [question, shows, same] = detour
        const reply = await c.say(question)
        if (shows) expect(reply, question).toContain(shows)
        expect(reply, question).toContain('您的报损还没填完')
        expect(reply, question).toContain(same)
      }
      expect(await c.say(answer), `after “${answer}”`).toContain(expected)
    }
    const id = reportId(await c.say('确认'))!
    const fields = (await store.reports.get(id))!.fields as Record<string, unknown>
    expect(fields).toMatchObject({ company: '深圳市示例电子科技有限公司', contactName: '张三', policyNo: null, buyerName: 'Gamma Trading GmbH', description: '多次催收无果' })
    for (const [question] of Object.values(detours)) expect(JSON.stringify(fields)).not.toContain(question)
  })

  it('at the issuing bank, the contact or the summary: answered, then the form goes on where it was', async () => {
    const { bot } = setup()
    const c = await reportUpTo(bot, 9)
    expect(await c.say('是')).toContain('开证行是哪家银行')
    const q = await c.say('理赔电话是多少？')
    expect(q).toContain('88325700')
    expect(q).toContain('开证行是哪家银行')
    expect(await c.say('HSBC Bank plc')).toContain('损失原因')
    for (const [answer] of FULL_REPORT.slice(10)) await c.say(answer)
    const atSummary = await c.say('赔付比例是多少')
    expect(atSummary).toContain('80%')
    expect(atSummary).toContain('您的报损还没填完')
    expect(atSummary).not.toContain('报案编号')
    const done = await c.say('确认')
    expect(done).toContain('报案编号')
    expect(done).not.toContain('赔付比例')
  })

  it('keeps a description that tells what happened, even with 怎么办 in it', async () => {
    const { bot } = setup()
    const c = await reportUpTo(bot, 15)
    const summary = await c.say('买家一直拖着不付款，催了三次，不知道怎么办才好')
    expect(summary).toContain('请核对报损信息')
    expect(summary).toContain('情况说明：买家一直拖着不付款，催了三次，不知道怎么办才好')
  })

  it('an account that says 应该是 or 有错 is a description, not a correction of the buyer', async () => {
    const { bot } = setup()
    const c = await reportUpTo(bot, 15)
    const summary = await c.say('买家说应该是下个月付款，又说单据有错')
    expect(summary).toContain('情况说明：买家说应该是下个月付款，又说单据有错')
    expect(summary).toContain('买方名称：Gamma Trading GmbH')
    expect(await c.say('联系人的电话改成13900001111')).toContain('已更正联系电话：13900001111')
  })

  it('"我要报损" again mid-form is not a company name: the form goes on', async () => {
    const { bot } = setup()
    const c = await reportUpTo(bot, 1)
    const again = await c.say('我要报损')
    expect(again).toContain('您正在填写报损')
    expect(again).toContain('企业全称')
    expect(await c.say('深圳市示例电子科技有限公司')).toContain('统一社会信用代码')
    for (const [answer] of FULL_REPORT.slice(2, 10)) await c.say(answer)
    expect(await c.say('买家一直不付款，我要索赔')).toContain('哪年哪月报关')
  })

  it('a short question right after submitting does not open a new form', async () => {
    const { bot } = setup()
    const c = await reportUpTo(bot, FULL_REPORT.length)
    expect(reportId(await c.say('确认'))).toBeDefined()
    const after = await c.say('这个要多久')
    expect(after).not.toContain('企业全称')
    expect(after).not.toContain('未完成的报损')
    expect(await c.say('深圳市示例电子科技有限公司')).not.toContain('统一社会信用代码')
  })
})

describe('loss report: name fields', () => {
  it('the company name refuses a district, a yes/no, a filler, a number or an amount, and re-asks with an example', async () => {
    const { bot } = setup()
    const c = await reportUpTo(bot, 1)
    const place = await c.say('宝安区')
    expect(place).toContain('是地名')
    expect(place).toContain('深圳市某某科技有限公司')
    for (const wrong of ['是', '不是', '对', '好的', '嗯', 'ok', '收到', '12345', '5万美元', '示例电子']) {
      const reply = await c.say(wrong)
      expect(reply, wrong).toContain('企业全称')
      expect(reply, wrong).not.toContain('统一社会信用代码')
    }
    expect(await c.say('深圳市示例电子科技有限公司')).toContain('统一社会信用代码')
  })

  it('"稍等" and the like are answered kindly and the question waits', async () => {
    const { bot } = setup()
    const c = await reportUpTo(bot, 4)
    for (const moment of ['稍等', '等一下，我查查', '我找一下再发你', 'hold on']) {
      const wait = await c.say(moment)
      expect(wait, moment).toContain('不着急')
      expect(wait, moment).toContain('联系人的姓名')
    }
    expect(await c.say('张三')).toContain('手机或座机')
  })

  it('the contact, the buyer and the issuing bank refuse the same non-names', async () => {
    const { bot, store } = setup()
    const c = await reportUpTo(bot, 4, 'names')
    const contact = await c.say('宝安区')
    expect(contact).toContain('是地名，不是联系人姓名')
    expect(contact).toContain('张三')
    for (const wrong of ['不是', '收到', '好的', '13812345678元']) expect(await c.say(wrong), wrong).toContain('联系人姓名')
    await c.say('张三')
    await c.say('13812345678')
    await c.say('没有')
    for (const wrong of ['对', '好的', '嗯', '8万美元', '100000', '南山']) {
      const reply = await c.say(wrong)
      expect(reply, wrong).toContain('买方名称')
      expect(reply, wrong).not.toContain('国家或地区')
    }
    expect(await c.say('Germany')).toContain('是国家或地区')
    await c.say('Gamma Trading GmbH')
    await c.say('德国')
    await c.say('是')
    for (const wrong of ['好的', '是的', 'ok', '福田区']) {
      const reply = await c.say(wrong)
      expect(reply, wrong).toContain('开证行')
      expect(reply, wrong).not.toContain('损失原因')
    }
    await c.say('Deutsche Bank AG')
    for (const [answer] of FULL_REPORT.slice(10)) await c.say(answer)
    const id = reportId(await c.say('确认'))!
    expect((await store.reports.get(id))!.fields).toMatchObject({ contactName: '张三', buyerName: 'Gamma Trading GmbH', issuingBank: 'Deutsche Bank AG' })
  })

  it('the country, the cause and the description refuse a bare filler', async () => {
    const { bot } = setup()
    const c = await reportUpTo(bot, 8)
    expect(await c.say('好的')).toContain('国家或地区')
    await c.say('德国')
    await c.say('不是')
    const cause = await c.say('嗯')
    expect(cause).toContain('损失原因')
    expect(cause).not.toContain('报关出口')
    for (const [answer] of FULL_REPORT.slice(10, 15)) await c.say(answer)
    expect(await c.say('好的')).toContain('没有可回复“无”')
    expect(await c.say('无')).toContain('情况说明：无')
  })

  it('keeps names exactly as given: legal form, case and punctuation', async () => {
    const { bot, store } = setup()
    const c = chat(bot, 'exact')
    const answers = [
      '我要报损',
      '是深圳市某某电子有限公司。',
      '91440300MA5EXAMP1F',
      '南山',
      'Zhang San',
      '13812345678',
      '没有',
      'ACME Co., Ltd.',
      '美国',
      '是',
      'Beta GmbH & Co. KG',
    ]
    for (const a of answers) await c.say(a)
    for (const [answer] of FULL_REPORT.slice(10, 15)) await c.say(answer)
    const summary = await c.say('无')
    expect(summary).toContain('企业名称：深圳市某某电子有限公司\n')
    expect(summary).toContain('买方名称：ACME Co., Ltd.\n')
    expect(summary).toContain('开证行：Beta GmbH & Co. KG\n')
    expect(summary).toContain('联系人：Zhang San\n')
    const id = reportId(await c.say('确认'))!
    expect((await store.reports.get(id))!.fields).toMatchObject({
      company: '深圳市某某电子有限公司',
      buyerName: 'ACME Co., Ltd.',
      issuingBank: 'Beta GmbH & Co. KG',
    })
  })

  it('keeps a buyer named inside a sentence whole', async () => {
    const { bot } = setup()
    const c = chat(bot)
    const first = await c.say('我要报损，德国买家Gamma Trading GmbH欠我们12.5万美元')
    expect(first).toContain('已记下：')
    const answers = ['深圳市示例电子科技有限公司', '91440300MA5EXAMP1F', '宝安', '张三', '13812345678', '没有', '不是', '2021年9月', '是', '2021年12月', '无']
    let last = ''
    for (const a of answers) last = await c.say(a)
    expect(last).toContain('买方名称：Gamma Trading GmbH\n')
    expect(last).toContain('买方所在国家或地区：德国')
  })
})

describe('loss report: confirmations and yes/no answers', () => {
  it('submits on natural confirmations', async () => {
    const { bot } = setup()
    for (const yes of ['确认无误，提交', '没问题，提交吧', '确认提交', '可以，提交', '对的', '好，提交', 'yes, submit']) {
      const c = await reportUpTo(bot, FULL_REPORT.length)
      expect(reportId(await c.say(yes)), yes).toBeDefined()
    }
  })

  it('"不对", "要改", "有错" ask which item to change, with examples; a correction then works', async () => {
    const { bot } = setup()
    const c = await reportUpTo(bot, FULL_REPORT.length)
    for (const no of ['不对', '要改', '有错']) {
      const reply = await c.say(no)
      expect(reply, no).toContain('要改哪一项')
      expect(reply, no).toContain('金额改成13万美元')
      expect(reportId(reply)).toBeUndefined()
    }
    expect(await c.say('电话写错了')).toContain('请重新填写联系电话')
    const fixed = await c.say('13900001111')
    expect(fixed).toContain('联系电话：13900001111')
    const amount = await c.say('不对，金额应该是13万美元')
    expect(amount).toContain('已更正未付金额：130,000美元')
    expect(reportId(await c.say('确认'))).toBeDefined()
  })

  it('asks an unclear answer to a yes/no question again; 是/对 stay yes, 不是/没有 stay no', async () => {
    const { bot } = setup()
    const c = await reportUpTo(bot, 9)
    for (const unclear of ['好的', '嗯', 'ok']) {
      const reply = await c.say(unclear)
      expect(reply, unclear).toContain('是用信用证（L/C）结算的吗')
      expect(reply, unclear).not.toContain('开证行')
    }
    expect(await c.say('没有')).toContain('损失原因')
    await c.say('买家拖欠货款')
    await c.say('2021年9月')
    const own = await c.say('嗯')
    expect(own).toContain('以贵司名义报关吗')
    expect(own).not.toContain('还欠多少')
    expect(await c.say('对')).toContain('还欠多少')
    expect(await c.say('上一步')).toContain('以贵司名义报关')
    expect(await c.say('嗯，是的')).toContain('还欠多少')

    const lc = await reportUpTo(bot, 9)
    expect(await lc.say('对')).toContain('开证行')
  })
})

describe('loss report summary', () => {
  it('a loss in another currency: 80% in that currency, the USD cap after conversion, and whether it binds at any rate', async () => {
    const { bot } = setup()
    const hkd = await reportUpTo(bot, 13)
    await hkd.say('180万港币')
    await hkd.say('2021年12月31日')
    const summary = await hkd.say('无')
    expect(summary).toContain('1,800,000港币 × 80% = 1,440,000港币')
    expect(summary).toContain('单一买方限额15万美元按正式保单约定的汇率折算后适用')
    expect(summary).toContain('按任何合理汇率都超过限额，预计按150,000美元计')

    const cny = await reportUpTo(bot, 13)
    await cny.say('120万人民币')
    await cny.say('2021年12月31日')
    const close = await cny.say('无')
    expect(close).toContain('960,000人民币')
    expect(close).not.toContain('按任何合理汇率')
  })
})

describe('loss report after a conversation', () => {
  it('starts with the facts said earlier, says so, and lets them be corrected', async () => {
    const { bot, store } = setup()
    const c = chat(bot, 'remembers')
    await c.say('我们在沙井，2021年3月走的货，买家破产了，能赔吗')
    const first = await c.say('我要报损')
    expect(first).toContain('按您前面说的')
    expect(first).toContain('所在区：宝安区')
    expect(first).toContain('报关出口时间：2021年3月')
    expect(first).toContain('损失原因：买家破产')
    expect(first).toContain('企业全称')
    expect(await c.say('报关时间改成2021年5月')).toContain('已更正报关出口时间：2021年5月')
    const answers = ['深圳市示例电子科技有限公司', '91440300MA5EXAMP1F', '张三', '13812345678', '没有', 'Gamma Trading GmbH', '德国', '不是', '是', '12.5万美元', '2021年12月31日']
    for (const a of answers) await c.say(a)
    const summary = await c.say('无')
    expect(summary).toContain('所在区：宝安区')
    expect(summary).toContain('报关出口时间：2021年5月')
    const id = reportId(await c.say('确认'))!
    expect((await store.reports.get(id))!.fields).toMatchObject({ district: '宝安区', declaredAt: { year: 2021, month: 5 } })
  })

  it('after a long pause only the firm’s district is taken over', async () => {
    let t = Date.parse('2026-11-20T02:00:00Z')
    const store = createMemoryStore({ sessionTtlSeconds: 30 * 24 * 3600, now: () => t })
    const c = chat(testBot({ store, now: () => t }))
    await c.say('我们在沙井，2021年3月走的货，买家破产了，能赔吗')
    t += 2 * 3600_000
    const first = await c.say('我要报损')
    expect(first).toContain('所在区：宝安区')
    expect(first).not.toContain('报关出口时间')
    expect(first).not.toContain('损失原因')
  })
})

describe('loss report in English', () => {
  it('starts from English wording and says the form is in Chinese', async () => {
    const { bot } = setup()
    for (const start of ['I want to report a loss', 'file a claim', 'report a claim', "I'd like to file a claim for an unpaid invoice"]) {
      const reply = await chat(bot).say(start)
      expect(reply, start).toContain('The form below is in Chinese')
      expect(reply, start).toContain('企业全称')
    }
  })

  it('starts for a request phrased as a question', async () => {
    const { bot } = setup()
    for (const q of ['能帮我报损吗', '帮我报案吧']) expect(await chat(bot).say(q), q).toContain('企业全称')
  })

  it('does not start the form for a question about claims', async () => {
    const { bot } = setup()
    for (const q of ['How do I file a claim?', 'Can I file a claim if the buyer is late?', '客户欠款收不回来，要报损吗', '需不需要报案', '買家付款逾期咗，幾時要報案？']) {
      expect(await chat(bot).say(q), q).not.toContain('企业全称')
    }
  })

  it('takes English answers: names as typed, yes/no, none', async () => {
    const { bot, store } = setup()
    const c = chat(bot, 'en-user')
    const answers = [
      'I want to report a loss',
      'Shenzhen Example Electronics Co., Ltd.',
      '91440300MA5EXAMP1F',
      '宝安区',
      'Zhang San',
      '13812345678',
      'no',
      'ACME Co., Ltd.',
      'Germany',
      'no',
      '买家拖欠货款',
      '2021年9月',
      'yes',
      'USD 125,000',
      '2021年12月31日',
    ]
    for (const a of answers) await c.say(a)
    const summary = await c.say('none')
    expect(summary).toContain('企业名称：Shenzhen Example Electronics Co., Ltd.\n')
    expect(summary).toContain('保单号：未提供')
    expect(summary).toContain('情况说明：无')
    const id = reportId(await c.say('yes, submit'))!
    expect((await store.reports.get(id))!.fields).toMatchObject({ buyerName: 'ACME Co., Ltd.', lc: false, ownName: true })
  })
})

describe('loss report amounts', () => {
  it('asks for the exact amount when the answer is approximate, and keeps the form', async () => {
    const bot = testBot()
    const c = chat(bot)
    await c.say('我要报损')
    for (const a of ['深圳市示例电子科技有限公司', '91440300MA5EXAMP1F', '宝安区', '张三', '13800138000', '没有', 'Gamma Trading GmbH', '德国', '不是', '买家拖欠货款', '2021年9月', '是']) await c.say(a)
    const approx = await c.say('大概12万美元')
    expect(approx).toContain('准确的金额')
    expect(await c.say('12.5万美元')).toContain('到期')
  })
})

describe('a district said in passing during the form', () => {
  it('is not asked again when the form reaches the district question', async () => {
    const c = chat(testBot())
    await c.say('我要报损')
    const b = await c.say('宝安区')
    expect(b).toContain('企业全称')
    expect(b).toContain('已记下所在区：宝安区')
    await c.say('深圳市示例电子科技有限公司')
    const a = await c.say('91440300MA5EXAMP1F')
    expect(a).toContain('联系人')
    expect(a).not.toContain('哪个区')
  })
})
