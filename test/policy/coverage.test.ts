import { describe, expect, it } from 'vitest'
import { assessCoverage, checkCoverage, findOwnName, findRisks, splitMonths } from '../../src/policy/coverage.js'
import { findMonths } from '../../src/policy/dates.js'
import { standardWording } from '../../src/text/colloquial.js'
import { normalize } from '../../src/text/normalize.js'
import { realKnowledge } from '../helpers/bot.js'

const { knowledge } = realKnowledge()
const risks = (t: string) => findRisks(knowledge.risks, standardWording(normalize(t)))
const ids = (t: string) => risks(t).kinds.map((k) => k.id)
const rawIds = (t: string) => findRisks(knowledge.risks, normalize(t)).kinds.map((k) => k.id)

describe('findRisks: causes described in the users’ own words', () => {
  it.each<[string, string]>([
    ['进口国政府突然禁止这类货物进口', 'trade-control'],
    ['对方国家不让我们的产品进口了', 'trade-control'],
    ['买家的进口许可证被吊销了', 'trade-control'],
    ['the government banned imports of our products', 'trade-control'],
    ['their import licence was revoked', 'trade-control'],
    ['那边央行冻结了外汇，钱汇不出来', 'fx-control'],
    ['当地不允许把钱汇出境外', 'fx-control'],
    ['the buyer cannot remit because of currency controls', 'fx-control'],
    ['money is not allowed out of the country', 'fx-control'],
    ['买方那边发生政变', 'war'],
    ['那边暴乱，港口都关了', 'war'],
    ['there was a coup in the buyer’s country', 'war'],
    ['civil unrest in the buyer country', 'war'],
    ['the war stopped everything', 'war'],
    ['客户走佬咗', 'buyer-insolvency'],
    ['买家执笠了', 'buyer-insolvency'],
    ['客户冇钱还', 'buyer-insolvency'],
    ['the buyer went bankrupt', 'buyer-insolvency'],
    ['our customer is insolvent', 'buyer-insolvency'],
    ['buyer went bust last month', 'buyer-insolvency'],
    ['个客唔俾钱', 'buyer-default'],
    ['佢一直拖数', 'buyer-default'],
    ['买家赖数', 'buyer-default'],
    ['收唔到钱', 'buyer-default'],
    ['客户唔找数', 'buyer-default'],
    ["the buyer won't pay", 'buyer-default'],
    ["the customer hasn't paid for three months", 'buyer-default'],
    ['the buyer refused the goods', 'buyer-refusal'],
    ['the issuing bank failed', 'bank-insolvency'],
    ['the issuing bank refused to honour the L/C', 'bank-default'],
  ])('%s → %s', (t, id) => {
    expect(ids(t)).toContain(id)
  })

  it('reads Cantonese wording even before the engine rewrites it (the loss form parses raw answers)', () => {
    expect(rawIds('客户走佬咗')).toEqual(['buyer-insolvency'])
    expect(rawIds('個客唔俾錢')).toEqual(['buyer-default'])
    expect(rawIds('佢執咗笠')).toEqual(['buyer-insolvency'])
  })

  it('matches English words whole: no war in software, no bank context in bankrupt', () => {
    expect(ids('we sell software to a buyer in Germany')).toEqual([])
    expect(ids('the buyer went bankrupt')).toEqual(['buyer-insolvency'])
    expect(ids('开证行倒闭了')).toEqual(['bank-insolvency'])
  })

  it('names circumstances the brief does not settle, and keeps the exporter’s late delivery apart from the buyer’s default', () => {
    const late = risks('我们交货延迟了两周，客户就拒收了')
    expect(late.unsettled).toEqual(['late-delivery'])
    expect(late.kinds.map((k) => k.id)).toEqual(['buyer-refusal'])
    const late2 = risks('我们逾期交货，买家拒收')
    expect(late2.kinds.map((k) => k.id)).toEqual(['buyer-refusal'])
    expect(risks('the buyer refused the goods after we delivered late').unsettled).toEqual(['late-delivery'])
    expect(risks('客户说质量有问题不付款').unsettled).toEqual(['quality-dispute'])
    expect(risks('合同纠纷，对方不给钱').unsettled).toEqual(['contract-dispute'])
    // the buyer's overdue payment after shipment is not the exporter's delay
    expect(risks('发货后付款逾期了').unsettled).toEqual([])
  })

  it('lists a cause outside the listed risks as such', () => {
    expect(risks('汇率损失能赔吗').notCovered).toEqual(['汇率损失'])
    expect(risks('exchange rate loss').notCovered).toEqual(['exchange rate'])
  })
})

describe('splitMonths', () => {
  const now = new Date(Date.UTC(2022, 7, 10))
  const split = (t: string) => {
    const n = normalize(t)
    const s = splitMonths(n, findMonths(n, now))
    return { declared: s.declared && [s.declared.year, s.declared.month], due: s.due && [s.due.year, s.due.month] }
  }
  it('takes the month next to the shipment, not the date of the event', () => {
    expect(split('买家2022年8月破产了，货是2021年12月发的').declared).toEqual([2021, 12])
    expect(split('the buyer went bankrupt in August 2022; the goods were shipped in May 2022').declared).toEqual([2022, 5])
    expect(split('2021年9月出运，付款到期2022年1月')).toEqual({ declared: [2021, 9], due: [2022, 1] })
  })
})

describe('findOwnName', () => {
  it('reads Chinese and English', () => {
    expect(findOwnName('以我们公司名义报关')).toBe(true)
    expect(findOwnName('we signed the contract ourselves and declared in our own name')).toBe(true)
    expect(findOwnName('exported through our hong kong company')).toBe(false)
    expect(findOwnName('通过香港公司签的合同')).toBe(false)
  })
})

describe('assessCoverage: the period read from rules.json, edge months inclusive', () => {
  const facts = (year: number, month?: number) => ({ declared: { year, month }, ownName: true, risks: knowledge.risks.kinds.slice(0, 1), notCovered: [] })
  it.each<[number, number | undefined, string]>([
    [2021, 1, 'in'],
    [2022, 6, 'in'],
    [2020, 12, 'out'],
    [2022, 7, 'out'],
    [2021, undefined, 'in'],
    [2020, undefined, 'out'],
    [2022, undefined, 'need-month'],
  ])('%i-%s → %s', (y, m, status) => {
    expect(assessCoverage(knowledge.rules, facts(y, m)).period.status).toBe(status)
  })

  it('follows rules.json, not a hard-coded period', () => {
    const rules = { ...knowledge.rules, coverPeriod: { ...knowledge.rules.coverPeriod, from: '2023-03', to: '2023-09' } }
    expect(assessCoverage(rules, facts(2023, 3)).verdict).toBe('covered')
    expect(assessCoverage(rules, facts(2022, 6)).verdict).toBe('outside')
  })

  it('never calls a case the brief does not settle covered', () => {
    const a = assessCoverage(knowledge.rules, { ...facts(2021, 5), unsettled: ['quality-dispute'] })
    expect(a.verdict).toBe('unsettled')
    expect(checkCoverage(knowledge.rules, { ...facts(2021, 5), unsettled: ['quality-dispute'] }).unsettled[0]).toContain('政策简介没有说明')
  })
})

describe('findRisks: several causes in one sentence', () => {
  it('finds the issuing bank’s refusal and its failure together', () => {
    expect(ids('我们做L/C的多，万一开证行拒绝承兑或者倒闭了能赔吗').sort()).toEqual(['bank-default', 'bank-insolvency'])
  })
})

