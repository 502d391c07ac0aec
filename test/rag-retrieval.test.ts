import { describe, expect, it } from 'vitest'
import { composeAnswer } from '../src/rag/answer.js'
import { phraseMatcher } from '../src/rag/phrases.js'
import { testBot } from './helpers/bot.js'

const bot = testBot()
const { analyzer, retriever, knowledge } = bot
const ids = (q: string, lang?: 'zh' | 'en') => retriever.retrieve(q, lang).sections.map((s) => s.id)

describe('analyzer: the words people type become the words of the brief', () => {
  it('maps homophone typos and Cantonese wording to the canonical terms', () => {
    expect(analyzer.words('陪付比列')).toEqual(['赔付', '比例'])
    expect(analyzer.words('理陪')).toEqual(['赔付'])
    expect(analyzer.words('保多耐')).toEqual(['期限'])
    expect(analyzer.words('买家执笠')).toEqual(['买方', '破产'])
    // Traditional characters are simplified first.
    expect(analyzer.words('保險賠付')).toEqual(analyzer.words('保险赔付'))
  })

  it('keeps English content words, in one form, mapped to the Chinese terms where the brief has them', () => {
    expect(analyzer.words('What is the indemnity ratio?')).toEqual(['赔付', '比例'])
    expect(analyzer.words('Who handles claims?')).toEqual(analyzer.words('who handles the claim'))
    expect(analyzer.words('When should we report a loss?')).toEqual(['报案'])
    expect(analyzer.words('exports to all countries')).toEqual(['出口', 'all', '国家'])
    expect(analyzer.words("The buyer doesn't pay")).toEqual(['买方', '拖欠'])
  })

  it('does not lose a Latin letter that is part of a Chinese name (A公司)', () => {
    expect(analyzer.words('A公司后来买了什么险')).toContain('a公司')
  })
})

describe('phrase matching', () => {
  it('matches English phrases as whole words, plural allowed, and Chinese as substrings', () => {
    expect(phraseMatcher('free service')('what free services do we get')).toBe(true)
    expect(phraseMatcher('loan')('any loans?')).toBe(true)
    expect(phraseMatcher('loan')('download the app')).toBe(false)
    expect(phraseMatcher('送什么')('领了保单还送什么')).toBe(true)
  })
})

describe('retriever', () => {
  it('finds the report section for questions about when to report, before the due date included', () => {
    expect(ids('货款还没到期，买家好像资金链断了，要不要现在就报')).toContain('report')
    expect(ids('买家所在国家出事了，要马上通知信保吗')).toContain('report')
    expect(ids('When should we report a loss?', 'en')).toContain('report')
  })

  it('answers a general question about the free services with the whole service package', () => {
    for (const q of ['有什么免费服务', '统保有啥增值服务', '领了保单还送些什么？', 'What free services do we get?']) {
      const r = retriever.retrieve(q)
      expect(r.sections.map((s) => s.id), q).toEqual(['services', 'app', 'online-services'])
    }
    // A question about one service gets that one.
    expect(ids('资信报告免费送几份')).toEqual(['services'])
  })

  it('answers "how to collect the policy" with both ways, unless the question names one', () => {
    expect(ids('保单在哪里领')).toEqual(['collect-online', 'collect-offline'])
    expect(ids('网上怎么领保单')).not.toContain('collect-offline')
  })

  it('uses a case study only for a question about cases', () => {
    expect(ids('有没有企业拿到赔款的例子')).toContain('case-1')
    expect(ids('A公司后来投保了什么')).toContain('case-2')
    for (const q of ['能不能用保单融资', '参加统保有啥好处', '货款还没到期，买家好像资金链断了，要不要现在就报', '统保保单几时开始几时结束']) {
      expect(ids(q), q).not.toContain('case-1')
      expect(ids(q), q).not.toContain('case-2')
    }
  })

  it('points a claims question to the section with the claims phone', () => {
    expect(ids('理赔找谁')).toEqual(['period'])
    expect(ids('出了损失找谁索赔')).toContain('period')
    expect(ids("What's the claims phone number?", 'en')).toContain('period')
  })

  it('names the topic the brief does not cover: loans, premium, tax rebates, other cities, in Chinese and English', () => {
    const topic = (q: string) => retriever.retrieve(q).outOfScope
    expect(topic('保单可以拿去银行贷款吗')).toBe('保单融资和贷款')
    expect(topic('Can we use the policy to get a bank loan?')).toBe('保单融资和贷款')
    expect(topic('统保要交钱吗')).toBe('保费和费率')
    expect(topic('领保单要不要钱')).toBe('保费和费率')
    expect(topic('How much is the premium?')).toBe('保费和费率')
    expect(topic('Is the policy free?')).toBe('保费和费率')
    expect(topic('出口退税跟统保有关系吗')).toBe('出口退税')
    expect(topic('东莞有没有类似政策')).toBe('其他城市的政策')
    // A buyer's unpaid goods (货款) are not a loan (贷款), and the free reports are not a question about fees.
    expect(topic('买家拖欠货款怎么办')).toBeUndefined()
    expect(topic('What free services do we get?')).toBeUndefined()
  })

  it('understands English questions about each part of the brief', () => {
    const cases: Array<[string, string]> = [
      ['What percentage of the loss does the policy pay?', 'amount'],
      ['How long does the blanket policy last?', 'period'],
      ['Which risks does the policy cover?', 'risks'],
      ['How can we collect the policy online?', 'collect-online'],
      ['Where is the list of eligible companies published?', 'list'],
      ['Which exports are covered by the policy?', 'scope'],
      ['Is there an app we should install?', 'app'],
      ['Tell me about the four online services', 'online-services'],
    ]
    for (const [q, id] of cases) expect(ids(q, 'en'), q).toContain(id)
  })

  it('keeps the Chinese ranking apart from the English lines: a Chinese question uses the Chinese index', () => {
    expect(ids('保单有效期是一年吗还是更久')).toContain('period')
    expect(ids('保单到底是找哪家领，商务局还是保险公司？')[0]).toBe('core')
  })
})

describe('composeAnswer', () => {
  it('adds how to report (claims phone, guided report) to the report section, and the English lead for English', () => {
    const r = retriever.retrieve('买家所在国家出事了，要马上通知信保吗')
    const zh = composeAnswer(knowledge, r, analyzer, retriever, { question: '买家所在国家出事了，要马上通知信保吗' }).text
    expect(zh).toContain('第一时间')
    expect(zh).toContain('88325700')
    expect(zh).toContain('也可以回复“报损”由我在线登记')
    const en = composeAnswer(knowledge, retriever.retrieve('When should we report a loss?', 'en'), analyzer, retriever, { lang: 'en' }).text
    expect(en.split('\n')[0]).toMatch(/^Report at once/)
    expect(en).toContain('第一时间')
    expect(en).toContain('reply “报损”')
    expect(en).toMatch(/来源：《2020年出口额800万美元以下企业统保政策简介》/)
  })
})
