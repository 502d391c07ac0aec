import { describe, expect, it } from 'vitest'
import { chat, testBot } from './helpers/bot.js'

const bot = testBot()

describe('reporting a loss', () => {
  it('says to report at once, even before the due date, and how: the claims phone or the guided report', async () => {
    const a = await chat(bot).say('买家最近好像资金周转不灵，货款还没到期，要现在就跟信保说吗')
    expect(a).toContain('第一时间')
    expect(a).toContain('88325700')
    expect(a).toContain('报损')
  })

  it('answers a Cantonese question about reporting in the same way', async () => {
    const a = await chat(bot).say('買家國家出咗事，使唔使即刻通知信保？')
    expect(a).toContain('第一时间')
  })
})

describe('the free service package', () => {
  it('answers "有什么免费服务" with the reports, the monthly information, the APP and the four online services at once', async () => {
    for (const q of ['参加统保有什么免费服务', '领了保单还送些什么？', '統保有冇啲咩附加服務？']) {
      const a = await chat(bot).say(q)
      expect(a, q).toContain('3个海外买家资信报告')
      expect(a, q).toContain('按月定期推送')
      expect(a, q).toContain('信步天下')
      expect(a, q).toContain('线上承保、线上报损核赔、线上资信、线上咨询')
    }
  })

  it('answers a question about one service with that service only', async () => {
    const a = await chat(bot).say('免费的资信报告能查几家买家')
    expect(a).toContain('3个')
    expect(a).not.toContain('信步天下')
  })
})

describe('topics the brief does not cover', () => {
  it('says the brief does not cover loans against the policy and gives the phones, never a case study', async () => {
    for (const q of ['统保保单可以拿去银行做贷款吗', '能不能用这张保单做融资']) {
      const a = await chat(bot).say(q)
      expect(a, q).toContain('没有找到确切答案')
      expect(a, q).toContain('88325713')
      expect(a, q).not.toContain('A公司')
      expect(a, q).not.toContain('案例')
    }
  })

  it('does not claim the policy is free: the brief only says firms collect it', async () => {
    const a = await chat(bot).say('领保单要不要钱')
    expect(a).toContain('没有找到确切答案')
    expect(a).toContain('没有写保费')
    expect(a).not.toMatch(/免费领取|不收费|不用钱/)
  })

  it('says the scheme is Shenzhen’s when asked about another city’s scheme', async () => {
    const a = await chat(bot).say('东莞有没有类似的统保政策')
    expect(a).toContain('没有找到确切答案')
    expect(a).toContain('深圳')
  })

  it('abstains on tax rebates', async () => {
    expect(await chat(bot).say('出口退税跟统保有关系吗')).toContain('没有找到确切答案')
  })
})

describe('typos, Cantonese and traditional characters', () => {
  it('understands 陪付/比列/理陪 and 几多/保多耐', async () => {
    expect(await chat(bot).say('陪付比列几多')).toContain('80%')
    expect(await chat(bot).say('理陪电话几多')).toContain('88325700')
    expect(await chat(bot).say('统保保多耐')).toContain('1.5年')
    expect(await chat(bot).say('保單幾時到期')).toContain('2022年6月')
  })

  it('answers where to collect the policy asked in Cantonese with both ways', async () => {
    const a = await chat(bot).say('统保保单喺边度领')
    expect(a).toContain('http://sz.singlewindow.cn/')
    expect(a).toContain('客户经理')
  })
})
