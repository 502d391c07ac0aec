import { describe, expect, it } from 'vitest'
import { checkAnswer, collectEvidence, describeViolations } from '../src/llm/guard.js'
import { personNames, sectionBlocks } from '../src/llm/sources.js'
import { realKnowledge } from './helpers/bot.js'

const { knowledge } = realKnowledge()
const names = personNames(knowledge)
const section = (id: string) => sectionBlocks(knowledge, [knowledge.sections.get(id)!])[0]!.text
/** The evidence of a turn that retrieved these sections, plus any rule results. */
const evidence = (ids: string[], rules: string[] = []) => collectEvidence([...ids.map(section), ...rules], names)
const rejected = (answer: string, ids: string[], rules: string[] = []) => checkAnswer(answer, evidence(ids, rules)).map((v) => v.raw)

describe('fact guard: amounts are compared as values', () => {
  it('accepts the limit in any unit and currency spelling: 15万美元, USD 150,000, $150k, 0.15 million USD, 十五万美元', () => {
    for (const a of ['单一买方限额15万美元', 'up to USD 150,000 per buyer', 'capped at $150k', 'USD 0.15 million at most', '最多十五万美元', '限额150,000美元']) {
      expect(rejected(a, ['amount']), a).toEqual([])
    }
    expect(rejected('Firms with 2020 exports of USD 8 million or less', ['core'])).toEqual([])
    expect(rejected('出口额八百万美元（含）以下', ['core'])).toEqual([])
  })

  it('rejects the limit in another unit or currency, and an invented limit', () => {
    expect(rejected('单一买方限额15万元', ['amount'])).toEqual(['15万元'])
    expect(rejected('单一买方限额15万港币', ['amount'])).toEqual(['15万港币'])
    expect(rejected('up to RMB 150,000 per buyer', ['amount'])).toEqual(['rmb 150,000'])
    expect(rejected('单一买方限额20万美元', ['amount'])).toEqual(['20万美元'])
    expect(rejected('each buyer is capped at USD 1.5 million', ['amount'])).toEqual(['usd 1.5 million'])
  })
})

describe('fact guard: percents and Chinese numerals', () => {
  it('reads 八成, 百分之八十, 80 % and eighty percent as the 80% of the source', () => {
    for (const a of ['按损失的八成赔付', '赔付百分之八十', '赔 80 %', 'it pays eighty percent of the loss']) expect(rejected(a, ['amount']), a).toEqual([])
  })

  it('rejects another ratio in any spelling', () => {
    expect(rejected('按损失的九成赔付', ['amount'])).toEqual(['九成'])
    expect(rejected('赔付百分之九十', ['amount'])).toEqual(['百分之九十'])
    expect(rejected('赔付比例是90%', ['amount'])).toEqual(['90%'])
  })

  it('checks counts and durations: 1.5年 = 一年半, 3个 = three; a wrong count is caught', () => {
    expect(rejected('保险期限一年半，即1.5年', ['period'])).toEqual([])
    expect(rejected('免费提供三个海外买家资信报告', ['services'])).toEqual([])
    expect(rejected('three free credit reports on overseas buyers', ['services'])).toEqual([])
    expect(rejected('免费提供5个海外买家资信报告', ['services'])).toEqual(['5'])
    expect(rejected('保险期限为2年', ['period'])).toEqual(['2'])
  })

  it('does not read words as numbers: 第一时间, 统一, 一揽子, list numbering', () => {
    expect(rejected('第一时间报案。统保是一揽子服务。\n1、线上报损\n2、拨打理赔电话 88325700', ['report', 'period'])).toEqual([])
  })
})

describe('fact guard: phones, URLs, dates and names', () => {
  it('accepts the source phone with or without the area code, rejects a changed digit', () => {
    expect(rejected('理赔服务电话：88325700', ['period'])).toEqual([])
    expect(rejected('请拨打 0755-88325700', ['period'])).toEqual([])
    expect(rejected('理赔服务电话：88325701', ['period'])).toEqual(['88325701'])
    expect(rejected('请拨打 13800138000', ['period'])).toEqual(['13800138000'])
  })

  it('accepts the Single Window address in any spelling of the same URL, rejects another', () => {
    expect(rejected('登录 http://sz.singlewindow.cn/ 领取', ['collect-online'])).toEqual([])
    expect(rejected('log in at sz.singlewindow.cn', ['collect-online'])).toEqual([])
    expect(rejected('登录 https://www.singlewindow.cn/sz 领取', ['collect-online'])).toEqual(['https://www.singlewindow.cn/sz'])
  })

  it('accepts the cover period in Chinese or English, rejects a month the sources never name', () => {
    expect(rejected('2021年1月至2022年6月期间报关的出口', ['scope'])).toEqual([])
    expect(rejected('exports declared from January 2021 to June 2022', ['scope'])).toEqual([])
    expect(rejected('2021年3月至2022年12月期间报关的出口', ['scope'])).toEqual(['2021年3月', '2022年12月'])
    // A day the sources never give is invented precision.
    expect(rejected('2022年6月30日前报关的出口', ['scope'])).toEqual(['2022年6月30日'])
  })

  it("accepts the user's own month when this turn's rule results carry it", () => {
    expect(rejected('您2021年3月报关的货在承保期间内', ['scope'])).toEqual(['2021年3月'])
    expect(rejected('您2021年3月报关的货在承保期间内', ['scope'], ['报关出口时间2021年3月：在承保期间（2021年1月至2022年6月）内'])).toEqual([])
  })

  it('accepts a manager named in the sources, rejects one who is not, an invented contact and an English title', () => {
    expect(rejected('宝安区请联系吕宇翔 13699865957', ['collect-offline'])).toEqual([])
    expect(rejected('宝安区请联系吕经理', ['collect-offline'])).toEqual([])
    // The rule result names only the Bao'an manager; another manager in the answer is not supported.
    expect(rejected('请联系金悠', ['amount'], ['宝安区的客户经理：吕宇翔 13699865957'])).toEqual(['金悠'])
    expect(rejected('可以找张经理咨询', ['amount'])).toEqual(['张经理'])
    expect(rejected('please contact Mr. Wang', ['amount'])).toEqual(['mr. wang'])
  })

  it('states violations for the repair prompt and the log', () => {
    expect(describeViolations(checkAnswer('赔付比例90%，电话88325799', evidence(['amount'])))).toBe('“90%”（比例）、“88325799”（电话）')
  })
})
